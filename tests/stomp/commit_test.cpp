// Receipts and asynchronous commits: a RECEIPT says "on disk", so it waits
// for the store's answer, however late that comes; deliveries do not.
#include <doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "broker/broker.h"
#include "broker/store_batch.h"
#include "stomp/commit_thread.h"
#include "stomp/session.h"
#include "stomp_test_util.h"

using namespace wmq;
using namespace wmq::stomp;
using namespace wmq::stomp::test;

namespace {

// A Store whose commit_async() answers only when the test says so: the
// batches it was handed wait in `held`, in order.
class HeldStore final : public BatchedStore {
 public:
  struct Held {
    size_t writes;
    CommitDone done;
  };
  std::vector<Held>* held;  // owned by the test: outlives this store's broker calls
  explicit HeldStore(std::vector<Held>* h) : held(h) {}

  Result<Recovered> recover() override { return Recovered{}; }
  // commit() (BatchedStore's) drops the batch: nothing is kept.
  Status write(StoreBatch& /*batch*/) override { return Status::ok(); }
  void commit_async(CommitDone done) override {
    held->push_back(Held{batch_.pending(), std::move(done)});
    batch_.clear();
  }
  StoreStats stats() const override { return StoreStats{}; }
  const std::string& path() const override { return path_; }

 private:
  std::string path_ = "held";
};

struct World {
  ManualClock clock{1'000'000};
  Broker broker{clock};
  std::vector<HeldStore::Held> held;
  World() { REQUIRE(broker.attach_store(std::make_unique<HeldStore>(&held)).is_ok()); }
  // Answers the oldest batch handed over.
  void answer(Status st = Status::ok()) {
    REQUIRE(!held.empty());
    HeldStore::Held h = std::move(held.front());
    held.erase(held.begin());
    h.done(st);
  }
};

Frame send_frame(std::string dest, std::string body, Headers extra = {}) {
  Headers h = {{"destination", std::move(dest)}};
  for (auto& e : extra)
    h.push_back(e);
  return make("SEND", std::move(h), std::move(body));
}

std::vector<std::string> commands(const std::vector<Frame>& frames) {
  std::vector<std::string> out;
  for (const Frame& f : frames)
    out.push_back(f.command + (f.header("receipt-id") ? ":" + header(f, "receipt-id") : ""));
  return out;
}

}  // namespace

TEST_CASE("a persistent SEND's RECEIPT waits for its commit's answer; its MESSAGE does not") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(
      make("SUBSCRIBE", {{"id", "s"}, {"destination", "/queue/q"}, {"ack", "client-individual"}}));
  REQUIRE(w.broker.flush().is_ok());  // the queue's definition
  while (!w.held.empty())
    w.answer();
  (void)cook.frames();

  cashier.send(send_frame("/queue/q", "1", {{"receipt", "r1"}, {"persistent", "true"}}));
  CHECK(commands(cook.frames()) == std::vector<std::string>{"MESSAGE"});
  REQUIRE(w.broker.flush().is_ok());  // handed over, not answered
  REQUIRE(w.held.size() == 1);
  CHECK(cashier.frames().empty());
  // The loop goes on meanwhile: a second SEND, and a flush that must wait
  // for the first batch's answer before the second batch is handed over.
  cashier.send(send_frame("/queue/q", "2", {{"receipt", "r2"}, {"persistent", "true"}}));
  REQUIRE(w.broker.flush().is_ok());
  CHECK(w.held.size() == 1);
  CHECK(commands(cook.frames()) == std::vector<std::string>{"MESSAGE"});
  CHECK(cashier.frames().empty());

  w.answer();
  CHECK(commands(cashier.frames()) == std::vector<std::string>{"RECEIPT:r1"});
  REQUIRE(w.held.size() == 1);  // the second batch, handed over by the answer
  CHECK(cashier.frames().empty());
  w.answer();
  CHECK(commands(cashier.frames()) == std::vector<std::string>{"RECEIPT:r2"});
  CHECK(w.held.empty());
}

TEST_CASE("a receipted ACK's RECEIPT waits for the commit of its delete") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cashier.send(send_frame("/queue/q", "1", {{"persistent", "true"}}));
  REQUIRE(w.broker.flush().is_ok());
  while (!w.held.empty())
    w.answer();
  cook.send(
      make("SUBSCRIBE", {{"id", "s"}, {"destination", "/queue/q"}, {"ack", "client-individual"}}));
  std::vector<Frame> m = cook.frames();
  REQUIRE(commands(m) == std::vector<std::string>{"MESSAGE"});
  cook.send(make("ACK", {{"id", header(m[0], "ack")}, {"receipt", "a"}}));
  // The ACK's delete is handed over (the session asks for the commit), not answered.
  REQUIRE(w.held.size() == 1);
  CHECK(w.held[0].writes == 1);
  CHECK(cook.frames().empty());
  CHECK(cook.session->awaiting_confirms());
  w.answer();
  CHECK(commands(cook.frames()) == std::vector<std::string>{"RECEIPT:a"});
  // Acking is not publishing: the flow-control alarms would not pause this consumer.
  CHECK_FALSE(cook.session->has_published());
}

TEST_CASE("a failed asynchronous commit: ERROR naming the receipt, for a SEND and for an ACK") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cashier.send(send_frame("/queue/q", "1", {{"persistent", "true"}}));
  REQUIRE(w.broker.flush().is_ok());
  while (!w.held.empty())
    w.answer();
  cook.send(
      make("SUBSCRIBE", {{"id", "s"}, {"destination", "/queue/q"}, {"ack", "client-individual"}}));
  std::vector<Frame> m = cook.frames();
  REQUIRE(m.size() == 1);
  cook.send(make("ACK", {{"id", header(m[0], "ack")}, {"receipt", "a"}}));
  cashier.send(send_frame("/queue/q", "2", {{"receipt", "r2"}, {"persistent", "true"}}));
  REQUIRE(w.broker.flush().is_ok());
  REQUIRE(w.held.size() == 1);
  w.answer(Status::error(Code::kIoError, "disk on fire"));
  std::vector<Frame> got = cook.frames();  // message 2 came before, not held by the commit
  CHECK(commands(got) == std::vector<std::string>{"MESSAGE", "ERROR:a"});
  REQUIRE(!got.empty());
  Frame e = got.back();
  CHECK(header(e, "message") == "message not saved");
  CHECK(header(e, "receipt-id") == "a");
  CHECK(e.body.find("An acknowledgement could not be written (disk on fire)") == 0);
  // The SEND went into the next batch, handed over by the failed answer.
  REQUIRE(w.held.size() == 1);
  w.answer(Status::error(Code::kIoError, "disk on fire"));
  Frame e2 = cashier.one();
  CHECK(header(e2, "message") == "message not saved");
  CHECK(header(e2, "receipt-id") == "r2");
}

TEST_CASE("CommitThread: the RECEIPT comes only once the writer thread has committed") {
  TempDir dir;
  ManualClock clock{1'000'000};
  {
    Broker broker{clock};
    auto inner = Store::open(dir.file());
    REQUIRE(inner.is_ok());
    auto threaded = std::make_unique<CommitThread>(std::move(inner).value());
    CommitThread& ct = *threaded;
    REQUIRE(broker.attach_store(std::move(threaded)).is_ok());
    Peer cashier(broker);
    cashier.connect();
    cashier.send(send_frame("/queue/q", "kept", {{"receipt", "r1"}, {"persistent", "true"}}));
    REQUIRE(broker.flush().is_ok());
    broker.drain();
    CHECK(commands(cashier.frames()) == std::vector<std::string>{"RECEIPT:r1"});

    ct.TEST_hold(true);
    cashier.send(send_frame("/queue/q", "held", {{"receipt", "r2"}, {"persistent", "true"}}));
    REQUIRE(broker.flush().is_ok());
    CHECK(ct.running() == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ct.run_completions();
    CHECK(cashier.frames().empty());
    // Destroying the broker now is a crash with the commit held back: r2 was
    // never receipted, so it may be lost; r1 may not.
  }
  auto again = Store::open(dir.file());
  REQUIRE(again.is_ok());
  Result<Recovered> r = again.value()->recover();
  REQUIRE(r.is_ok());
  REQUIRE(r->messages.size() == 1);
  CHECK(r->messages[0].body == "kept");
}

TEST_CASE("CommitThread: answers come through the completion fd, in order") {
  TempDir dir;
  ManualClock clock{1'000'000};
  Broker broker{clock};
  auto inner = Store::open(dir.file());
  REQUIRE(inner.is_ok());
  auto threaded = std::make_unique<CommitThread>(std::move(inner).value());
  CommitThread& ct = *threaded;
  REQUIRE(broker.attach_store(std::move(threaded)).is_ok());
  REQUIRE(ct.completion_fd() >= 0);
  Peer cashier(broker);
  cashier.connect();
  for (int i = 1; i <= 3; ++i) {
    std::string receipt = "r";
    receipt += std::to_string(i);
    cashier.send(send_frame("/queue/q", "x", {{"receipt", receipt}, {"persistent", "true"}}));
    REQUIRE(broker.flush().is_ok());
  }
  std::vector<std::string> got;
  for (int tries = 0; tries < 500 && got.size() < 3; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ct.run_completions();
    for (const std::string& c : commands(cashier.frames()))
      got.push_back(c);
  }
  CHECK(got == std::vector<std::string>{"RECEIPT:r1", "RECEIPT:r2", "RECEIPT:r3"});
  CHECK(ct.running() == 0);
  CHECK(ct.stats().commits >= 2);
}

TEST_CASE("a receipted ACK with nothing to write: at once when idle, after a running commit") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  // Transient messages: their ACKs write nothing.
  for (int i = 1; i <= 2; ++i)
    cashier.send(send_frame("/queue/q", std::to_string(i), {{"durable", "false"}}));
  cook.send(
      make("SUBSCRIBE", {{"id", "s"}, {"destination", "/queue/q"}, {"ack", "client-individual"}}));
  std::vector<Frame> m = cook.frames();
  REQUIRE(m.size() == 2);
  REQUIRE(w.broker.flush().is_ok());
  while (!w.held.empty())
    w.answer();
  cook.send(make("ACK", {{"id", header(m[0], "ack")}, {"receipt", "idle"}}));
  CHECK(commands(cook.frames()) == std::vector<std::string>{"RECEIPT:idle"});
  CHECK(w.held.empty());
  // A commit is running (another client's SEND): the ACK's receipt waits for
  // it, as it cannot tell which writes of the running batch are its own.
  Peer other(w.broker);
  other.connect();
  other.send(send_frame("/queue/p", "x", {{"persistent", "true"}, {"receipt", "p"}}));
  REQUIRE(w.broker.flush().is_ok());
  REQUIRE(w.held.size() == 1);
  cook.send(make("ACK", {{"id", header(m[1], "ack")}, {"receipt", "busy"}}));
  CHECK(cook.frames().empty());
  CHECK(w.held.size() == 1);  // no second batch: it waits on the running one
  w.answer();
  CHECK(commands(cook.frames()) == std::vector<std::string>{"RECEIPT:busy"});
  CHECK(commands(other.frames()) == std::vector<std::string>{"RECEIPT:p"});
  CHECK(w.held.empty());
}
