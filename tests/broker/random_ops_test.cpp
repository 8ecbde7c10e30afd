// A seeded randomized test: thousands of random operations, then every
// accepted message must be in exactly one place, and first deliveries of a
// queue must leave in publish order.
#include <doctest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "broker/broker.h"
#include "test_util.h"

using namespace wmq;
using namespace wmq::test;

namespace {

// A tiny deterministic generator (splitmix64) so the test does not depend on
// the standard library's engines.
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return next() % n; }
};

enum class Place { kReady, kUnacked, kAcked, kExpired, kDeadLettered, kDropped };

// Follows every message copy (message id, queue) through the events.
class Tracker : public EventListener {
 public:
  void on_event(const Event& e) override {
    const Key k{e.message, std::string(e.queue)};
    switch (e.kind) {
      case EventKind::kEnqueued: {
        auto it = place.find(k);
        { CHECK_MESSAGE(it == place.end(), "enqueued twice: #" << e.message << " in " << e.queue); }
        place[k] = Place::kReady;
        break;
      }
      case EventKind::kDelivered:
        expect(k, Place::kReady, "delivered");
        place[k] = Place::kUnacked;
        if (e.count == 1) {
          MessageId& last = last_first_delivery[k.second];
          CHECK_MESSAGE(e.message > last, "first delivery out of order in "
                                              << e.queue << ": #" << e.message << " after #"
                                              << last);
          last = e.message;
        }
        break;
      case EventKind::kAcked:
        expect(k, Place::kUnacked, "acked");
        place[k] = Place::kAcked;
        break;
      case EventKind::kRequeued:
        expect(k, Place::kUnacked, "requeued");
        place[k] = Place::kReady;
        break;
      case EventKind::kExpired:
        expect(k, Place::kReady, "expired");
        place[k] = Place::kExpired;
        break;
      case EventKind::kDeadLettered:
        place[k] = Place::kDeadLettered;
        break;
      case EventKind::kDropped:
        place[k] = Place::kDropped;
        break;
      default:
        break;
    }
  }

  void expect(const std::pair<MessageId, std::string>& k, Place want, const char* what) {
    auto it = place.find(k);
    bool ok = it != place.end() && it->second == want;
    CHECK_MESSAGE(ok, what << " from the wrong place: #" << k.first << " in " << k.second);
  }

  size_t count(const std::string& queue, Place p) const {
    size_t n = 0;
    for (const auto& [k, v] : place)
      n += (k.second == queue && v == p);
    return n;
  }

  using Key = std::pair<MessageId, std::string>;
  std::map<Key, Place> place;
  std::map<std::string, MessageId> last_first_delivery;
};

struct Client : SessionSink {
  SessionId id = 0;
  std::vector<DeliveryTag> held;
  std::vector<ConsumerId> consumers;
  void on_delivery(const Delivery& d) override { held.push_back(d.tag); }
};

}  // namespace

TEST_CASE("random operations keep every accepted message in exactly one place") {
  for (uint64_t seed : {1ull, 2ull, 3ull, 42ull}) {
    CAPTURE(seed);
    Rng rng{seed};
    ManualClock clock;
    Broker b(clock);
    Tracker tracker;
    b.add_listener(&tracker);
    const std::vector<std::string> queues{"grill", "wok", "drinks"};
    REQUIRE(b.declare_exchange("dlx", {ExchangeKind::kFanout, false, ""}).is_ok());
    REQUIRE(b.declare_queue("dead", {}).is_ok());
    REQUIRE(b.bind("dead", "dlx", "").is_ok());
    REQUIRE(b.declare_exchange("all", {ExchangeKind::kFanout, false, ""}).is_ok());
    for (size_t i = 0; i < queues.size(); ++i) {
      QueueOptions o;
      o.dead_letter_exchange = "dlx";
      o.delivery_limit = i == 0 ? 3 : 0;
      o.message_ttl = i == 1 ? 5 * kSeconds : 0;
      o.max_length = i == 2 ? 20 : 0;
      o.overflow = Overflow::kDropHead;
      REQUIRE(b.declare_queue(queues[i], o).is_ok());
      REQUIRE(b.bind(queues[i], "all", "").is_ok());
    }
    std::vector<std::unique_ptr<Client>> clients;
    std::set<MessageId> accepted;
    auto new_client = [&] {
      auto c = std::make_unique<Client>();
      c->id = client(b, c.get(), "c" + std::to_string(clients.size()), 2 * kSeconds, 4 * kSeconds);
      clients.push_back(std::move(c));
    };
    for (int i = 0; i < 4; ++i)
      new_client();

    for (int op = 0; op < 5000; ++op) {
      // Mostly the living act; now and then a dead or closed client tries too.
      std::vector<Client*> living;
      for (auto& x : clients) {
        SessionState st = b.session_state(x->id).value();
        if (st == SessionState::kActive || st == SessionState::kSuspected)
          living.push_back(x.get());
      }
      if (living.empty()) new_client();
      Client& c = (rng.below(10) == 0 || living.empty()) ? *clients[rng.below(clients.size())]
                                                         : *living[rng.below(living.size())];
      const bool live = b.session_state(c.id).value() == SessionState::kActive ||
                        b.session_state(c.id).value() == SessionState::kSuspected;
      switch (rng.below(10)) {
        case 0:
        case 1:
        case 2: {  // publish
          Message m = msg("m" + std::to_string(op), queues[rng.below(queues.size())]);
          if (rng.below(4) == 0) m.ttl = static_cast<Micros>(rng.below(3000)) * kMillis;
          auto r = b.publish(c.id, rng.below(5) == 0 ? "all" : "", m);
          if (r.is_ok()) accepted.insert(r->id);
          break;
        }
        case 3:  // subscribe
          if (live && c.consumers.size() < 2) {
            auto r =
                b.subscribe(c.id, queues[rng.below(queues.size())],
                            ConsumeOptions{static_cast<uint32_t>(rng.below(4)), rng.below(6) == 0});
            if (r.is_ok()) c.consumers.push_back(r.value());
          }
          break;
        case 4:
        case 5:  // ack
          if (!c.held.empty()) {
            size_t i = rng.below(c.held.size());
            Status st = b.ack(c.id, c.held[i]);
            CHECK((st.is_ok() || st.code() == Code::kClosed || st.code() == Code::kUnknownTag));
            c.held.erase(c.held.begin() + static_cast<long>(i));
          }
          break;
        case 6:  // nack
          if (!c.held.empty()) {
            size_t i = rng.below(c.held.size());
            (void)b.nack(c.id, c.held[i], rng.below(3) != 0);
            c.held.erase(c.held.begin() + static_cast<long>(i));
          }
          break;
        case 7:  // a client dies, closes or cancels; a new one arrives
          if (rng.below(3) == 0) {
            if (live) (void)(rng.below(2) ? b.kill_session(c.id, "crash") : b.close_session(c.id));
            new_client();
          } else if (live && !c.consumers.empty()) {
            (void)b.cancel(c.id, c.consumers.back());
            c.consumers.pop_back();
          }
          break;
        case 8:  // heartbeats from the living
          for (auto& x : clients) {
            if (rng.below(2)) (void)b.heartbeat(x->id);
          }
          break;
        case 9:  // time passes
          clock.advance(static_cast<Micros>(rng.below(1500)) * kMillis);
          b.tick();
          break;
      }
    }
    // Every accepted message is somewhere, exactly once per copy.
    for (MessageId id : accepted) {
      bool found = false;
      for (const auto& [k, v] : tracker.place)
        found |= k.first == id;
      CHECK_MESSAGE(found, "accepted message #" << id << " is nowhere");
    }
    // The broker's own counts agree with the tracker's.
    for (const QueueSnapshot& q : b.snapshot().queues) {
      CAPTURE(q.name);
      CHECK(q.ready == tracker.count(q.name, Place::kReady));
      CHECK(q.unacked == tracker.count(q.name, Place::kUnacked));
      std::vector<QueuedMessage> peek = b.peek(q.name, 0, 1u << 20);
      CHECK(peek.size() == q.ready + q.unacked);
      for (const QueuedMessage& m : peek) {
        auto it = tracker.place.find({m.id, q.name});
        REQUIRE(it != tracker.place.end());
        CHECK(it->second == (m.unacked ? Place::kUnacked : Place::kReady));
      }
    }
    CHECK(accepted.size() > 1000);
  }
}
