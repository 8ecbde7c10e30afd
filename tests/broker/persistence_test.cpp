// The broker on its SQLite store: group commit, confirms after commit, a
// crash that really forgets, recovery, and disk trouble.
#include <doctest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "broker/broker.h"
#include "broker/store_batch.h"
#include "test_util.h"

using namespace wmq;
using namespace wmq::test;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() /
           ("wmq-persist-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const char* name = "broker.db") const { return (path / name).string(); }
};

std::unique_ptr<Store> open_store(const std::string& path, StoreOptions o = {}) {
  auto s = Store::open(path, o);
  REQUIRE_MESSAGE(s.is_ok(), s.status().message());
  return std::move(s).value();
}

QueueOptions durable() {
  QueueOptions o;
  o.durable = true;
  return o;
}

Message persistent(std::string body, std::string key) {
  Message m = msg(std::move(body), std::move(key));
  m.persistent = true;
  return m;
}

// A broker on a file, reopened at will: the test's "process".
struct Node {
  ManualClock& clock;
  std::string path;
  std::unique_ptr<Broker> broker;
  EventLog log;
  Node(ManualClock& c, std::string p, BrokerOptions o = {}) : clock(c), path(std::move(p)) {
    start(o);
  }
  void start(BrokerOptions o = {}) {
    broker = std::make_unique<Broker>(clock, o);
    broker->add_listener(&log);
    Status st = broker->attach_store(open_store(path));
    REQUIRE_MESSAGE(st.is_ok(), st.message());
  }
  // The crash: the broker object goes, nothing is flushed.
  void crash() { broker.reset(); }
};

}  // namespace

TEST_CASE("a persistent message on a durable queue is confirmed only after its commit") {
  TempDir dir;
  ManualClock clock;
  Node n(clock, dir.file());
  Recorder pr;
  SessionId p = client(*n.broker, &pr);
  REQUIRE(n.broker->declare_queue("orders", durable()).is_ok());
  auto r = n.broker->publish(p, "", persistent("satay", "orders"));
  REQUIRE(r.is_ok());
  CHECK_FALSE(r->confirmed);
  CHECK(pr.confirms.empty());
  REQUIRE(n.broker->flush().is_ok());
  CHECK(pr.confirms == std::vector<PublishSeq>{1});
  CHECK(n.log.count(EventKind::kCommitted) == 1);
}

TEST_CASE("a transient message or queue never waits for the disk") {
  TempDir dir;
  ManualClock clock;
  Node n(clock, dir.file());
  Recorder pr;
  SessionId p = client(*n.broker, &pr);
  REQUIRE(n.broker->declare_queue("durable", durable()).is_ok());
  REQUIRE(n.broker->declare_queue("transient", {}).is_ok());
  REQUIRE(n.broker->flush().is_ok());
  CHECK(n.broker->publish(p, "", msg("not persistent", "durable"))->confirmed);
  CHECK(n.broker->publish(p, "", persistent("on a transient queue", "transient"))->confirmed);
  CHECK(n.broker->snapshot().store.pending_writes == 0);
  n.crash();
  n.start();
  CHECK(queue_of(*n.broker, "durable").ready == 0);
  CHECK_FALSE(n.broker->has_queue("transient"));
}

TEST_CASE("confirms come in seq order even when a later publish needs no disk") {
  TempDir dir;
  ManualClock clock;
  Node n(clock, dir.file());
  Recorder pr;
  SessionId p = client(*n.broker, &pr);
  REQUIRE(n.broker->declare_queue("durable", durable()).is_ok());
  REQUIRE(n.broker->declare_queue("memory", {}).is_ok());
  REQUIRE(n.broker->flush().is_ok());
  REQUIRE(n.broker->publish(p, "", persistent("disk", "durable")).is_ok());
  auto r = n.broker->publish(p, "", msg("no disk", "memory"));
  REQUIRE(r.is_ok());
  CHECK_FALSE(r->confirmed);
  CHECK(pr.confirms.empty());
  REQUIRE(n.broker->flush().is_ok());
  CHECK(pr.confirms == std::vector<PublishSeq>{1, 2});
  // With nothing waiting, a memory-only publish is confirmed at once.
  CHECK(n.broker->publish(p, "", msg("alone", "memory"))->confirmed);
}

TEST_CASE("a batch commits when it reaches its size cap") {
  TempDir dir;
  ManualClock clock;
  BrokerOptions o;
  o.commit_batch_max = 3;
  o.commit_window = kSeconds;
  Node n(clock, dir.file(), o);
  Recorder pr;
  SessionId p = client(*n.broker, &pr);
  REQUIRE(n.broker->declare_queue("q", durable()).is_ok());
  REQUIRE(n.broker->flush().is_ok());
  REQUIRE(n.broker->publish(p, "", persistent("1", "q")).is_ok());
  REQUIRE(n.broker->publish(p, "", persistent("2", "q")).is_ok());
  CHECK(pr.confirms.empty());
  REQUIRE(n.broker->publish(p, "", persistent("3", "q")).is_ok());
  CHECK(pr.confirms == std::vector<PublishSeq>{1, 2, 3});
}

TEST_CASE("a batch commits when its window passes on the injected clock") {
  TempDir dir;
  ManualClock clock;
  BrokerOptions o;
  o.commit_window = 5 * kMillis;
  Node n(clock, dir.file(), o);
  Recorder pr;
  SessionId p = client(*n.broker, &pr);
  REQUIRE(n.broker->declare_queue("q", durable()).is_ok());
  REQUIRE(n.broker->flush().is_ok());
  clock.advance(kSeconds);
  REQUIRE(n.broker->publish(p, "", persistent("1", "q")).is_ok());
  CHECK(n.broker->next_deadline() == clock.now() + 5 * kMillis);
  clock.advance(5 * kMillis - 1);
  n.broker->tick();
  CHECK(pr.confirms.empty());
  clock.advance(1);
  n.broker->tick();
  CHECK(pr.confirms == std::vector<PublishSeq>{1});
}

TEST_CASE("a crash forgets what was not committed and recovers what was") {
  TempDir dir;
  ManualClock clock;
  Node n(clock, dir.file());
  Recorder pr;
  SessionId p = client(*n.broker, &pr);
  REQUIRE(n.broker->declare_queue("q", durable()).is_ok());
  REQUIRE(n.broker->publish(p, "", persistent("committed", "q")).is_ok());
  REQUIRE(n.broker->flush().is_ok());
  REQUIRE(n.broker->publish(p, "", persistent("pending", "q")).is_ok());
  CHECK(pr.confirms == std::vector<PublishSeq>{1});
  n.crash();
  n.start();
  auto peek = n.broker->peek("q", 0, 10);
  REQUIRE(peek.size() == 1);
  CHECK(peek[0].id == 1);
  CHECK(n.log.count(EventKind::kRecovered) == 1);
}

TEST_CASE(
    "recovery brings messages back in queue order, unacked ones redelivered with their count") {
  TempDir dir;
  ManualClock clock;
  Node n(clock, dir.file());
  Recorder pr, cr;
  SessionId p = client(*n.broker, &pr);
  SessionId c = client(*n.broker, &cr);
  REQUIRE(n.broker->declare_queue("q", durable()).is_ok());
  for (int i = 1; i <= 4; ++i)
    REQUIRE(n.broker->publish(p, "", persistent(std::to_string(i), "q")).is_ok());
  REQUIRE(n.broker->flush().is_ok());
  REQUIRE(n.broker->subscribe(c, "q", ConsumeOptions{2, false}).is_ok());
  REQUIRE(cr.got.size() == 2);
  REQUIRE(n.broker->ack(c, cr.got[0].tag).is_ok());  // "1" is done; "2" and "3" in hand
  REQUIRE(n.broker->flush().is_ok());
  n.crash();
  n.start();
  Recorder again;
  SessionId c2 = client(*n.broker, &again);
  REQUIRE(n.broker->subscribe(c2, "q", ConsumeOptions{0, false}).is_ok());
  REQUIRE(again.got.size() == 3);
  CHECK(again.bodies() == std::vector<std::string>{"2", "3", "4"});
  CHECK(again.got[0].redelivered);
  CHECK(again.got[0].count == 2);
  CHECK(again.got[1].redelivered);
  CHECK_FALSE(again.got[2].redelivered);
  CHECK(again.got[2].count == 1);
}

TEST_CASE("durable exchanges, queues, bindings and queue settings survive a crash") {
  TempDir dir;
  ManualClock clock;
  Node n(clock, dir.file());
  REQUIRE(n.broker->declare_exchange("orders", {ExchangeKind::kDirect, true, ""}).is_ok());
  REQUIRE(n.broker->declare_exchange("temp", {ExchangeKind::kFanout, false, ""}).is_ok());
  QueueOptions o = durable();
  o.max_length = 7;
  o.delivery_limit = 3;
  o.message_ttl = 60 * kSeconds;
  o.dead_letter_exchange = "orders";
  REQUIRE(n.broker->declare_queue("grill", o).is_ok());
  REQUIRE(n.broker->bind("grill", "orders", "grill").is_ok());
  REQUIRE(n.broker->flush().is_ok());
  n.crash();
  n.start();
  CHECK(n.broker->has_exchange("orders"));
  CHECK_FALSE(n.broker->has_exchange("temp"));
  CHECK(queue_of(*n.broker, "grill").options == o);
  Recorder pr;
  SessionId p = client(*n.broker, &pr);
  CHECK(n.broker->publish(p, "orders", persistent("satay", "grill"))->queues == 1);
}

TEST_CASE("message ids are never reused after recovery") {
  TempDir dir;
  ManualClock clock;
  Node n(clock, dir.file());
  Recorder pr, cr;
  SessionId p = client(*n.broker, &pr);
  SessionId c = client(*n.broker, &cr);
  REQUIRE(n.broker->declare_queue("q", durable()).is_ok());
  REQUIRE(n.broker->subscribe(c, "q", ConsumeOptions{0, true}).is_ok());
  for (int i = 0; i < 5; ++i)
    REQUIRE(n.broker->publish(p, "", persistent("x", "q")).is_ok());
  REQUIRE(n.broker->flush().is_ok());
  n.crash();
  n.start();
  Recorder pr2;
  SessionId p2 = client(*n.broker, &pr2);
  auto r = n.broker->publish(p2, "", persistent("y", "q"));
  REQUIRE(r.is_ok());
  CHECK(r->id > 5);
}

TEST_CASE("a second broker on a held file is refused with the file named") {
  TempDir dir;
  ManualClock clock;
  Node n(clock, dir.file());
  auto second = Store::open(dir.file());
  REQUIRE_FALSE(second.is_ok());
  CHECK(second.status().code() == Code::kBusy);
  CHECK(second.status().message().find(dir.file()) != std::string::npos);
}

TEST_CASE(
    "a full disk nacks the batch's publishers, confirms nothing of it, and the broker carries on") {
  TempDir dir;
  ManualClock clock;
  StoreOptions so;
  Broker b(clock);
  {
    // Size the file so definitions fit and a burst of messages does not.
    auto probe = open_store(dir.file());
  }
  so.TEST_max_page_count = 12;
  REQUIRE(b.attach_store(open_store(dir.file(), so)).is_ok());
  EventLog log;
  b.add_listener(&log);
  Recorder pr, cr;
  SessionId p = client(b, &pr);
  SessionId c = client(b, &cr);
  REQUIRE(b.declare_queue("q", durable()).is_ok());
  REQUIRE(b.declare_queue("mem", {}).is_ok());
  REQUIRE(b.flush().is_ok());
  REQUIRE(b.publish(p, "", persistent("small", "q")).is_ok());
  REQUIRE(b.flush().is_ok());
  CHECK(pr.confirms == std::vector<PublishSeq>{1});
  for (int i = 0; i < 200; ++i)
    REQUIRE(b.publish(p, "", persistent(std::string(2000, 'x'), "q")).is_ok());
  Status st = b.flush();
  CHECK(st.code() == Code::kIoError);
  CHECK(st.message().find("full") != std::string::npos);
  CHECK(pr.confirms == std::vector<PublishSeq>{1});
  CHECK(pr.nacks.size() == 200);
  CHECK(pr.nack_reasons[0] == st.message());
  CHECK(log.count(EventKind::kCommitFailed) == 1);
  // The refused messages are not left to be delivered; the confirmed one is.
  CHECK(queue_of(b, "q").ready == 1);
  REQUIRE(b.subscribe(c, "q", ConsumeOptions{0, false}).is_ok());
  CHECK(cr.bodies() == std::vector<std::string>{"small"});
  // Memory-only work goes on.
  CHECK(b.publish(p, "", msg("still cooking", "mem"))->confirmed);
  // A memory-only publish queued behind a failed batch is confirmed, not nacked.
  for (int i = 0; i < 200; ++i)
    REQUIRE(b.publish(p, "", persistent(std::string(2000, 'y'), "q")).is_ok());
  auto later = b.publish(p, "", msg("behind it", "mem"));
  REQUIRE(later.is_ok());
  CHECK_FALSE(later->confirmed);
  const size_t nacks = pr.nacks.size();
  CHECK(b.flush().code() == Code::kIoError);
  CHECK(pr.nacks.size() == nacks + 200);
  CHECK(pr.confirms.back() == later->seq);
}

namespace {
// A store on a disk that is full until told otherwise: every commit with something to write
// fails as SQLite's does, and nothing is kept.
class FullDisk final : public BatchedStore {
 public:
  Result<Recovered> recover() override { return Recovered{}; }
  Status write(StoreBatch& batch) override {
    ++tries;
    if (full && batch.pending() > 0)
      return Status::error(Code::kIoError, "commit failed: database or disk is full");
    return Status::ok();
  }
  StoreStats stats() const override { return {}; }
  const std::string& path() const override { return path_; }
  bool full = true;
  int tries = 0;

 private:
  std::string path_ = "full";
};
}  // namespace

TEST_CASE("after a commit fails the broker waits longer and longer before trying again") {
  ManualClock clock;
  Broker b(clock);
  auto owned = std::make_unique<FullDisk>();
  FullDisk& disk = *owned;
  REQUIRE(b.attach_store(std::move(owned)).is_ok());
  Recorder pr;
  SessionId p = client(b, &pr);
  REQUIRE(b.declare_queue("q", durable()).is_ok());
  REQUIRE(b.publish(p, "", persistent("nasi goreng", "q")).is_ok());
  CHECK(b.flush().code() == Code::kIoError);
  CHECK(pr.nacks.size() == 1);
  // The failed batch's definitions wait to be written again. The broker's own retries (at its
  // deadlines, nobody asking) back off, 0.1 s doubling up to 5 s, rather than coming every
  // 2 ms commit window while the disk stays full.
  const Micros start = clock.now();
  std::vector<Micros> tries;
  while (clock.now() < start + 20 * kSeconds) {
    const Micros next = b.next_deadline();
    REQUIRE(next != kNever);
    clock.set(std::max(next, clock.now()));
    const int before = disk.tries;
    b.tick();
    if (disk.tries > before) tries.push_back(clock.now() - start);
  }
  std::string at;
  for (Micros t : tries)
    at += std::to_string(t / kMillis) + "ms ";
  INFO("tries at " << at);
  CHECK(tries.size() >= 6);
  CHECK(tries.size() <= 9);  // 0.1 0.3 0.7 1.5 3.1 6.3 11.3 16.3 within 20 s
  REQUIRE(!tries.empty());
  CHECK(tries[0] >= 100 * kMillis);
  for (size_t i = 1; i < tries.size(); ++i) {
    const Micros gap = tries[i] - tries[i - 1];
    CHECK(gap >= std::min<Micros>((100 * kMillis) << i, 5 * kSeconds));
    CHECK(gap <= 5 * kSeconds);
  }
  // A publish that waits for its confirm is not held back by the backoff: the disk has room
  // again and its commit comes one window after it, as usual.
  disk.full = false;
  auto r = b.publish(p, "", persistent("mie ayam", "q"));
  REQUIRE(r.is_ok());
  const Micros published = clock.now();
  clock.set(b.next_deadline());
  CHECK(clock.now() - published <= 2 * kMillis);
  b.tick();
  CHECK(pr.confirms.size() == 1);
}

TEST_CASE("a queue turned durable writes its persistent messages; turned transient, removes them") {
  TempDir dir;
  ManualClock clock;
  Node n(clock, dir.file());
  Recorder pr;
  SessionId p = client(*n.broker, &pr);
  REQUIRE(n.broker->declare_queue("q", {}).is_ok());
  REQUIRE(n.broker->publish(p, "", persistent("kept", "q")).is_ok());
  REQUIRE(n.broker->publish(p, "", msg("not persistent", "q")).is_ok());
  REQUIRE(n.broker->update_queue("q", durable()).is_ok());
  REQUIRE(n.broker->flush().is_ok());
  n.crash();
  n.start();
  auto peek = n.broker->peek("q", 0, 10);
  REQUIRE(peek.size() == 1);
  CHECK(peek[0].id == 1);
  REQUIRE(n.broker->update_queue("q", QueueOptions{}).is_ok());
  REQUIRE(n.broker->flush().is_ok());
  n.crash();
  n.start();
  CHECK_FALSE(n.broker->has_queue("q"));
}

// Crash points: a seeded workload crashed at hundreds of random moments
// (between publish and commit, between commit and confirm, mid-delivery,
// after an ack but before its delete commits). After each recovery: every
// confirmed message is back or was acked; nothing was confirmed that was not
// committed (it would be missing); queue order holds.
TEST_CASE("crash points: confirmed messages survive crashes at random moments") {
  TempDir dir;
  ManualClock clock;
  uint64_t rng = 7;
  auto next = [&rng](uint64_t n) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (rng >> 33) % n;
  };
  BrokerOptions bo;
  bo.commit_batch_max = 16;
  bo.commit_window = 3 * kMillis;
  std::set<MessageId> confirmed;  // ids whose confirm the publisher saw
  std::set<MessageId> acked;      // ids a consumer acked (the delete may not have committed)
  int crashes = 0;
  for (int round = 0; round < 200; ++round) {
    CAPTURE(round);
    auto broker = std::make_unique<Broker>(clock, bo);
    REQUIRE(broker->attach_store(open_store(dir.file())).is_ok());
    REQUIRE(broker->declare_queue("q", durable()).is_ok());
    // A confirm may arrive before publish() returns (the publish that fills
    // a batch commits it), so confirms are kept by seq and mapped later.
    struct Pub : SessionSink {
      std::map<PublishSeq, MessageId> ids;
      std::vector<PublishSeq> confirmed_now;
      void on_confirm(PublishSeq s) override { confirmed_now.push_back(s); }
    } pub;
    struct Con : SessionSink {
      std::vector<std::pair<DeliveryTag, MessageId>> held;
      void on_delivery(const Delivery& d) override { held.emplace_back(d.tag, d.message->id()); }
    } con;
    SessionId p = client(*broker, &pub, "pub");
    SessionId c = client(*broker, &con, "con");
    REQUIRE(broker->subscribe(c, "q", ConsumeOptions{8, false}).is_ok());
    const int steps = 1 + static_cast<int>(next(60));
    for (int s = 0; s < steps; ++s) {
      switch (next(4)) {
        case 0:
        case 1: {
          auto r = broker->publish(p, "", persistent("m", "q"));
          REQUIRE(r.is_ok());
          pub.ids[r->seq] = r->id;
          break;
        }
        case 2:
          if (!con.held.empty()) {
            auto [tag, id] = con.held.front();
            con.held.erase(con.held.begin());
            REQUIRE(broker->ack(c, tag).is_ok());
            acked.insert(id);
          }
          break;
        case 3:
          clock.advance(static_cast<Micros>(next(4)) * kMillis);
          broker->tick();
          break;
      }
    }
    // A crash between commit and confirm: the last confirms never reach
    // the publisher. They must still be on disk, but nobody relies on them.
    size_t heard = pub.confirmed_now.size();
    if (next(4) == 0 && heard > 0) heard -= 1 + next(heard);
    for (size_t i = 0; i < heard; ++i)
      confirmed.insert(pub.ids.at(pub.confirmed_now[i]));
    broker.reset();  // the crash
    ++crashes;
    auto check = std::make_unique<Broker>(clock, bo);
    REQUIRE(check->attach_store(open_store(dir.file())).is_ok());
    REQUIRE(check->has_queue("q"));
    std::set<MessageId> present;
    MessageId last = 0;
    for (const QueuedMessage& m : check->peek("q", 0, 1u << 20)) {
      CHECK(m.id > last);  // queue order survives
      last = m.id;
      present.insert(m.id);
    }
    for (MessageId id : confirmed) {
      if (acked.count(id)) continue;
      CHECK_MESSAGE(present.count(id) == 1,
                    "confirmed message #" << id << " lost at crash " << crashes);
    }
    check.reset();
  }
  CHECK(crashes == 200);
  CHECK(confirmed.size() > 200);
}
