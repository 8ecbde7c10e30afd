// Persistence figures: publish -> confirm on a durable queue, the full
// publish -> confirm -> deliver -> ack with the delete committed, and
// recovery of 1,000,000 queued messages.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "bench.h"
#include "broker/broker.h"

namespace {

using namespace wmq;
namespace fs = std::filesystem;
using WallClock = std::chrono::steady_clock;

// The broker's clock in these runs: real elapsed time, so the commit window
// means what it means in a server.
class SteadyClock : public Clock {
 public:
  Micros now() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               WallClock::now().time_since_epoch())
        .count();
  }
};

struct Dir {
  fs::path path;
  Dir() {
    path = fs::current_path() / ("wmq-bench-" + std::to_string(getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
  std::string file() const { return (path / "broker.db").string(); }
};

double seconds_since(WallClock::time_point t) {
  return std::chrono::duration<double>(WallClock::now() - t).count();
}

struct Publisher : SessionSink {
  uint64_t confirmed = 0;
  PublishSeq last = 0;
  void on_confirm(PublishSeq seq) override {
    ++confirmed;
    last = seq;
  }
};

struct Consumer : SessionSink {
  std::vector<std::pair<DeliveryTag, MessageId>> held;
  void on_delivery(const Delivery& d) override { held.emplace_back(d.tag, d.message->id()); }
};

std::unique_ptr<Broker> open_broker(Clock& clock, const std::string& file) {
  auto b = std::make_unique<Broker>(clock);
  auto store = Store::open(file);
  if (!store.is_ok() || !b->attach_store(std::move(store).value()).is_ok()) {
    std::fprintf(stderr, "persist bench: cannot open %s\n", file.c_str());
    std::exit(1);
  }
  QueueOptions q;
  q.durable = true;
  (void)b->declare_queue("q", q);
  return b;
}

Message message() {
  Message m;
  m.body.assign(200, 'x');
  m.routing_key = "q";
  m.persistent = true;
  return m;
}

// Publishes `n` persistent messages; returns confirmed messages per second.
double confirmed_rate(size_t n) {
  Dir dir;
  SteadyClock clock;
  auto b = open_broker(clock, dir.file());
  Publisher pub;
  SessionId p = b->open_session(SessionOptions{"p", 0, 0}, &pub);
  (void)b->connected(p);
  (void)b->flush();
  Message m = message();
  auto t0 = WallClock::now();
  for (size_t i = 0; i < n; ++i)
    (void)b->publish(p, "", m);
  (void)b->flush();
  double s = seconds_since(t0);
  if (pub.confirmed != n)
    std::fprintf(stderr, "persist bench: %lu of %zu confirmed\n", pub.confirmed, n);
  return static_cast<double>(pub.confirmed) / s;
}

// Publish -> confirm -> deliver -> ack, the consumer acking only messages
// whose insert has committed, so every delete is a real one; ends with the
// last delete committed.
double e2e_rate(size_t n) {
  Dir dir;
  SteadyClock clock;
  auto b = open_broker(clock, dir.file());
  Publisher pub;
  Consumer con;
  SessionId p = b->open_session(SessionOptions{"p", 0, 0}, &pub);
  SessionId c = b->open_session(SessionOptions{"c", 0, 0}, &con);
  (void)b->connected(p);
  (void)b->connected(c);
  (void)b->subscribe(c, "q", ConsumeOptions{256, false});
  (void)b->flush();
  Message m = message();
  std::vector<MessageId> ids;  // by seq - 1
  ids.reserve(n);
  auto t0 = WallClock::now();
  size_t acked = 0;
  auto ack_confirmed = [&] {
    const MessageId safe = pub.last == 0 ? 0 : ids[pub.last - 1];
    size_t k = 0;
    while (k < con.held.size() && con.held[k].second <= safe) {
      (void)b->ack(c, con.held[k].first);
      ++k;
      ++acked;
    }
    con.held.erase(con.held.begin(), con.held.begin() + static_cast<long>(k));
  };
  for (size_t i = 0; i < n; ++i) {
    auto r = b->publish(p, "", m);
    ids.push_back(r.is_ok() ? r->id : 0);
    if (con.held.size() >= 256) {
      ack_confirmed();
      if (con.held.size() >= 256) {
        (void)b->flush();  // the window would do it; here the loop is "idle"
        ack_confirmed();
      }
    }
  }
  while (acked < n) {
    (void)b->flush();
    ack_confirmed();
  }
  (void)b->flush();
  return static_cast<double>(n) / seconds_since(t0);
}

// Recovery of `n` queued persistent messages: open + attach_store.
double recover_rate(size_t n) {
  Dir dir;
  SteadyClock clock;
  {
    auto b = open_broker(clock, dir.file());
    Publisher pub;
    SessionId p = b->open_session(SessionOptions{"p", 0, 0}, &pub);
    (void)b->connected(p);
    Message m = message();
    for (size_t i = 0; i < n; ++i)
      (void)b->publish(p, "", m);
    (void)b->flush();
  }
  std::vector<double> runs;
  for (int r = 0; r < 3; ++r) {
    auto t0 = WallClock::now();
    auto b = open_broker(clock, dir.file());
    double s = seconds_since(t0);
    if (b->snapshot().queues.at(0).ready != n)
      std::fprintf(stderr, "persist bench: recovered the wrong count\n");
    runs.push_back(static_cast<double>(n) / s);
  }
  return wmq::bench::median(runs);
}

const bool registered = wmq::bench::add_section("persist", [](nlohmann::json& out) {
  std::vector<double> confirmed, e2e;
  for (int i = 0; i < 5; ++i)
    confirmed.push_back(confirmed_rate(300'000));
  for (int i = 0; i < 5; ++i)
    e2e.push_back(e2e_rate(200'000));
  const double recover = recover_rate(1'000'000);
  out["persist_confirmed_msgs_per_s"] = static_cast<int64_t>(wmq::bench::median(confirmed));
  out["persist_e2e_msgs_per_s"] = static_cast<int64_t>(wmq::bench::median(e2e));
  out["recover_msgs_per_s"] = static_cast<int64_t>(recover);
  std::printf("persist: confirmed %.0f msgs/s (runs:", wmq::bench::median(confirmed));
  for (double v : confirmed)
    std::printf(" %.0f", v);
  std::printf("), e2e %.0f msgs/s (runs:", wmq::bench::median(e2e));
  for (double v : e2e)
    std::printf(" %.0f", v);
  std::printf("), recovery %.0f msgs/s\n", recover);
});

}  // namespace
