// MemoryStore keeps the Store contract (broker/store.h) in memory: what a
// commit wrote survives the store's destruction (a crash), what was pending
// does not, and the batch coalesces like the SQLite store so group commits
// fall at the same moments.
#include <doctest.h>

#include "broker/broker.h"
#include "sim/memory_store.h"

using namespace wmq;
using namespace wmq::sim;

namespace {

PayloadRef payload(MessageId id, std::string body) {
  Payload::Fields f;
  f.id = id;
  f.body = body;
  f.routing_key = "wok";
  f.content_type = "application/json";
  f.persistent = true;
  return PayloadRef::adopt(Payload::make(f));
}

std::unique_ptr<Store> open(std::shared_ptr<MemoryDisk> disk) {
  Result<std::unique_ptr<Store>> s = MemoryStore::open(std::move(disk));
  REQUIRE(s.is_ok());
  return std::move(s).value();
}

}  // namespace

TEST_CASE("a committed message survives the store's destruction; a pending one does not") {
  auto disk = std::make_shared<MemoryDisk>();
  {
    auto s = open(disk);
    s->put_queue(QueueRecord{1, "wok", "{}"});
    s->insert_message(1, payload(5, "a"), kNever, 0);
    REQUIRE(s->commit().is_ok());
    s->insert_message(1, payload(6, "b"), kNever, 0);
    CHECK(s->pending() == 1);
  }  // crash: message 6 was never committed
  auto s = open(disk);
  Result<Recovered> r = s->recover();
  REQUIRE(r.is_ok());
  REQUIRE(r->messages.size() == 1);
  CHECK(r->messages[0].id == 5);
  CHECK(r->messages[0].body == "a");
  CHECK(r->queues.size() == 1);
  CHECK(r->max_message_id == 5);
}

TEST_CASE("insert then remove in one batch writes nothing but still uses up the id") {
  auto disk = std::make_shared<MemoryDisk>();
  auto s = open(disk);
  s->insert_message(1, payload(9, "x"), kNever, 0);
  s->set_delivery_count(1, 9, 1);
  CHECK(s->pending() == 1);
  s->remove_message(1, 9);
  CHECK(s->pending() == 0);
  REQUIRE(s->commit().is_ok());
  CHECK(disk->messages.empty());
  CHECK(disk->max_message_id == 9);
}

TEST_CASE("a delivery count set before the insert commits is folded into the insert") {
  auto disk = std::make_shared<MemoryDisk>();
  auto s = open(disk);
  s->insert_message(2, payload(3, "x"), kNever, 0);
  s->set_delivery_count(2, 3, 2);
  REQUIRE(s->commit().is_ok());
  REQUIRE(disk->messages.size() == 1);
  CHECK(disk->messages.begin()->second.delivery_count == 2);
  s->set_delivery_count(2, 3, 3);
  s->remove_message(2, 3);
  CHECK(s->pending() == 1);
  REQUIRE(s->commit().is_ok());
  CHECK(disk->messages.empty());
}

TEST_CASE("deleting a queue purges its messages and drops the batch's writes to them") {
  auto disk = std::make_shared<MemoryDisk>();
  auto s = open(disk);
  s->put_queue(QueueRecord{4, "grill", "{}"});
  s->insert_message(4, payload(1, "a"), kNever, 0);
  REQUIRE(s->commit().is_ok());
  s->insert_message(4, payload(2, "b"), kNever, 0);
  s->delete_queue(4);
  CHECK(s->pending() == 2);  // the purge and the queue's deletion
  REQUIRE(s->commit().is_ok());
  CHECK(disk->messages.empty());
  CHECK(disk->queues.empty());
}

TEST_CASE("a second live store on the same disk is refused as busy") {
  auto disk = std::make_shared<MemoryDisk>();
  auto s = open(disk);
  Result<std::unique_ptr<Store>> again = MemoryStore::open(disk, "kitchen");
  REQUIRE_FALSE(again.is_ok());
  CHECK(again.status().code() == Code::kBusy);
  CHECK(again.status().message() == "broker file \"kitchen\": in use by another live broker");
  s.reset();
  CHECK(MemoryStore::open(disk).is_ok());
}

TEST_CASE("a broker on a MemoryStore recovers durable messages after a crash") {
  auto disk = std::make_shared<MemoryDisk>();
  ManualClock clock;
  {
    Broker b(clock);
    REQUIRE(b.attach_store(open(disk)).is_ok());
    QueueOptions q;
    q.durable = true;
    REQUIRE(b.declare_queue("wok", q).is_ok());
    SessionId s = b.open_session({}, nullptr);
    REQUIRE(b.connected(s).is_ok());
    Message m;
    m.body = "nasi goreng";
    m.routing_key = "wok";
    m.persistent = true;
    REQUIRE(b.publish(s, "", m).is_ok());
    clock.advance(b.options().commit_window);
    b.tick();  // the group commit
    m.body = "mie goreng";
    REQUIRE(b.publish(s, "", m).is_ok());
  }  // crash before the second commit
  Broker b(clock);
  REQUIRE(b.attach_store(open(disk)).is_ok());
  std::vector<QueuedMessage> back = b.peek("wok", 0, 10);
  REQUIRE(back.size() == 1);
  CHECK(back[0].id == 1);
}

TEST_CASE("an inserted payload is shared with the memory store until its batch commits") {
  auto disk = std::make_shared<MemoryDisk>();
  auto s = open(disk);
  PayloadRef p = payload(1, "a");
  s->insert_message(1, p, kNever, 0);
  CHECK(p->TEST_refs() == 2);
  REQUIRE(s->commit().is_ok());
  CHECK(p->TEST_refs() == 1);
}

TEST_CASE("the memory store lets go of a payload removed before its batch commits") {
  auto disk = std::make_shared<MemoryDisk>();
  auto s = open(disk);
  PayloadRef p = payload(1, "a");
  s->insert_message(1, p, kNever, 0);
  s->remove_message(1, 1);
  CHECK(p->TEST_refs() == 1);
}

TEST_CASE("a memory store destroyed with writes pending lets go of their payloads") {
  auto disk = std::make_shared<MemoryDisk>();
  PayloadRef p = payload(1, "a");
  {
    auto s = open(disk);
    s->insert_message(1, p, kNever, 0);
    CHECK(p->TEST_refs() == 2);
  }
  CHECK(p->TEST_refs() == 1);
}
