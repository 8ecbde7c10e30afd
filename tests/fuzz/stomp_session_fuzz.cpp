// libFuzzer target for the STOMP session (broker/stomp/session.h): a
// fuzzer-chosen script of frames from three connections against
// StompSessions on one in-memory broker, on a ManualClock.
//
// Properties, checked as the broker's events come (the invariant tracker of
// tests/broker/random_ops_test.cpp) and at the end:
//   - every message copy is enqueued once, delivered only while ready, acked
//     or requeued only while unacked: an acked message never comes back;
//   - a message written on an ack:auto subscription is never delivered again;
//   - at the end every enqueued copy is in one place, and the broker's own
//     counts (snapshot, peek) agree with the tracker.
//
// Script: each step is one byte (connection = byte % 3, action = byte / 3
// % 12) and the bytes its action reads; see step().
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/broker.h"
#include "fuzz_util.h"
#include "stomp/frame.h"
#include "stomp/session.h"

using namespace wmq;
using namespace wmq::stomp;
using wmq::fuzz::require;

namespace {

constexpr const char* kTarget = "stomp_session_fuzz";

enum class Place { kReady, kUnacked, kAcked, kGone };

struct Tracker final : EventListener {
  using Key = std::pair<MessageId, std::string>;
  std::map<Key, Place> place;
  std::map<std::pair<SessionId, DeliveryTag>, Key> by_tag;
  std::set<Key> auto_written;  // written on an ack:auto subscription

  void expect(const Key& k, Place want, const char* what) {
    auto it = place.find(k);
    require(it != place.end() && it->second == want, kTarget, what,
            "#" + std::to_string(k.first) + " in " + k.second);
  }
  void on_event(const Event& e) override {
    const Key k{e.message, std::string(e.queue)};
    switch (e.kind) {
      case EventKind::kEnqueued:
        require(place.count(k) == 0, kTarget, "a copy is enqueued once");
        place[k] = Place::kReady;
        break;
      case EventKind::kDelivered:
        expect(k, Place::kReady, "delivered only while ready (acked never come back)");
        require(auto_written.count(k) == 0, kTarget,
                "an ack:auto delivery is never delivered again",
                "#" + std::to_string(k.first) + " in " + k.second);
        place[k] = Place::kUnacked;
        by_tag[{e.session, e.seq}] = k;
        break;
      case EventKind::kAcked:
        expect(k, Place::kUnacked, "acked only while unacked");
        place[k] = Place::kAcked;
        break;
      case EventKind::kRequeued:
        expect(k, Place::kUnacked, "requeued only while unacked");
        place[k] = Place::kReady;
        break;
      case EventKind::kExpired:
      case EventKind::kDeadLettered:
      case EventKind::kDropped:
        place[k] = Place::kGone;
        break;
      default:
        break;
    }
  }
  size_t count(const std::string& queue, Place p) const {
    size_t n = 0;
    for (const auto& [k, v] : place)
      n += (k.second == queue && v == p);
    return n;
  }
};

struct Wire final : Transport {
  std::string bytes;
  bool closed = false;
  void send(std::string_view b) override {
    require(!closed, kTarget, "a session never writes after closing its transport");
    bytes.append(b);
  }
  void close() override {
    require(!closed, kTarget, "a transport is closed once");
    closed = true;
  }
};

struct Conn {
  std::unique_ptr<Wire> wire;
  std::unique_ptr<StompSession> session;
  FrameParser reader{Limits{}, server_commands()};
  size_t read_upto = 0;
  std::vector<std::string> ack_ids;  // client-mode MESSAGEs not yet acked by the script
  int next_sub = 0;
};

class Script {
 public:
  Script(const uint8_t* data, size_t size) : data_(data), size_(size) {
    broker_.add_listener(&tracker_);
    for (auto& c : conns_)
      open(c);
  }
  ~Script() {
    // Sessions before their broker.
    for (auto& c : conns_)
      c.session.reset();
    broker_.remove_listener(&tracker_);
  }

  void run() {
    while (at_ < size_)
      step();
    for (auto& c : conns_)
      read(c);
    check_counts();
  }

 private:
  uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }

  void open(Conn& c) {
    c.session.reset();
    c.wire = std::make_unique<Wire>();
    c.reader = FrameParser(Limits{}, server_commands());
    c.read_upto = 0;
    c.ack_ids.clear();
    SessionConfig config;
    config.peer = "fuzz:" + std::to_string(++opened_);
    config.auto_window = 4;
    c.session = std::make_unique<StompSession>(broker_, *c.wire, config);
  }

  // Reads what the session wrote: MESSAGE frames feed the auto-ack check.
  void read(Conn& c) {
    c.reader.feed(std::string_view(c.wire->bytes).substr(c.read_upto));
    c.read_upto = c.wire->bytes.size();
    for (;;) {
      ParseResult r = c.reader.next();
      if (r.need_more_bytes()) break;
      require(!r.is_error(), kTarget, "the session writes frames a client can read",
              r.status().message());
      if (r.is_heart_beat()) continue;
      Frame f = r.take_frame();
      if (f.command != "MESSAGE") continue;
      if (auto ack = f.header("ack")) {
        c.ack_ids.emplace_back(*ack);
      } else if (auto id = f.header("message-id")) {
        auto it =
            tracker_.by_tag.find({c.session->broker_session(), std::stoull(std::string(*id))});
        require(it != tracker_.by_tag.end(), kTarget, "a MESSAGE is a delivery", std::string(*id));
        tracker_.auto_written.insert(it->second);
      }
    }
  }

  void feed(Conn& c, const Frame& f) { c.session->on_bytes(serialize(f)); }

  std::string queue() { return "/queue/q" + std::to_string(byte() % 3); }

  void step() {
    const uint8_t op = byte();
    Conn& c = conns_[op % 3];
    if (c.session->ended()) open(c);
    Frame f;
    switch (op / 3 % 12) {
      case 0:
        f.command = "CONNECT";
        f.headers = {{"accept-version", "1.2"}, {"host", "/"}};
        if (byte() & 1) f.headers.emplace_back("heart-beat", "0,1000");
        break;
      case 1: {
        const uint8_t b = byte();
        f.command = "SEND";
        f.headers = {{"destination", queue()}};
        if (b & 1) f.headers.emplace_back("receipt", "r" + std::to_string(at_));
        if (b & 2) f.headers.emplace_back("persistent", "true");
        if (b & 4) f.headers.emplace_back("expiration", std::to_string(b * 10));
        f.body = "m" + std::to_string(at_);
        break;
      }
      case 2: {
        const uint8_t b = byte();
        static const char* const kModes[] = {"auto", "client", "client-individual"};
        f.command = "SUBSCRIBE";
        f.headers = {{"id", "s" + std::to_string(c.next_sub++)},
                     {"destination", queue()},
                     {"ack", kModes[b % 3]}};
        if (b & 4) f.headers.emplace_back("prefetch-count", std::to_string(b >> 4));
        if (b & 8) f.headers.emplace_back("receipt", "r" + std::to_string(at_));
        break;
      }
      case 3:
      case 4: {
        read(c);
        const uint8_t b = byte();
        f.command = op / 3 % 12 == 3 ? "ACK" : "NACK";
        std::string id = "999";
        if (!c.ack_ids.empty()) {
          const size_t i = b % c.ack_ids.size();
          id = c.ack_ids[i];
          c.ack_ids.erase(c.ack_ids.begin() + static_cast<long>(i));
        }
        f.headers = {{"id", id}, {"receipt", "a" + std::to_string(at_)}};
        if (f.command == "NACK" && (b & 1)) f.headers.emplace_back("requeue", "false");
        break;
      }
      case 5:
        f.command = "UNSUBSCRIBE";
        f.headers = {{"id", "s" + std::to_string(byte() % 4)}};
        break;
      case 6: {
        const uint8_t b = byte();
        static const char* const kTx[] = {"BEGIN", "COMMIT", "ABORT", "SEND"};
        f.command = kTx[b % 4];
        f.headers = {{"transaction", "t" + std::to_string((b >> 2) % 2)}};
        if (f.command == "SEND") {
          f.headers.emplace_back("destination", queue());
          f.body = "t" + std::to_string(at_);
        }
        break;
      }
      case 7:
        f.command = "DISCONNECT";
        f.headers = {{"receipt", "bye"}};
        break;
      case 8: {
        const size_t n = std::min<size_t>(byte() % 48, size_ - at_);
        c.session->on_bytes(std::string_view(reinterpret_cast<const char*>(data_) + at_, n));
        at_ += n;
        read(c);
        return;
      }
      case 9:
        read(c);
        c.session->on_output_drained();
        read(c);
        return;
      case 10:
        read(c);
        c.session->on_peer_closed();
        open(c);
        return;
      case 11:
        clock_.advance(static_cast<Micros>(byte()) * 40 * kMillis);
        broker_.tick();
        for (auto& x : conns_) {
          if (clock_.now() >= x.session->next_timer()) x.session->on_timer();
          read(x);
        }
        return;
    }
    feed(c, f);
    read(c);
  }

  void check_counts() {
    for (const QueueSnapshot& q : broker_.snapshot().queues) {
      require(q.ready == tracker_.count(q.name, Place::kReady), kTarget,
              "the broker's ready count is the tracker's", q.name);
      require(q.unacked == tracker_.count(q.name, Place::kUnacked), kTarget,
              "the broker's unacked count is the tracker's", q.name);
      for (const QueuedMessage& m : broker_.peek(q.name, 0, 1u << 20)) {
        auto it = tracker_.place.find({m.id, q.name});
        require(it != tracker_.place.end() &&
                    it->second == (m.unacked ? Place::kUnacked : Place::kReady),
                kTarget, "every message the queue holds is where the tracker says", q.name);
      }
    }
  }

  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
  size_t opened_ = 0;
  ManualClock clock_{1'000'000};
  Broker broker_{clock_};
  Tracker tracker_;
  Conn conns_[3];
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Script(data, size).run();
  return 0;
}
