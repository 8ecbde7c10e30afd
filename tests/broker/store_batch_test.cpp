// StoreBatch holds the coalescing rules every Store follows (broker/store_batch.h).
#include <doctest.h>

#include "broker/store_batch.h"

using namespace wmq;

namespace {

PayloadRef payload(MessageId id) {
  Payload::Fields f;
  f.id = id;
  f.body = "nasi goreng";
  f.routing_key = "wok";
  f.persistent = true;
  return PayloadRef::adopt(Payload::make(f));
}

// "op queue/id count" per message write, in the order a Store applies them.
std::vector<std::string> writes(StoreBatch& b) {
  std::vector<std::string> out;
  for (const auto& [key, w] : b.messages_in_order()) {
    const char* op = w->op == StoreBatch::Op::kInsert   ? "insert"
                     : w->op == StoreBatch::Op::kUpdate ? "update"
                                                        : "remove";
    out.push_back(std::string(op) + " " + std::to_string(key.queue) + "/" + std::to_string(key.id) +
                  " " + std::to_string(w->delivery_count));
  }
  return out;
}

}  // namespace

TEST_CASE("a store batch coalesces message writes and lists them in key order") {
  StoreBatch b;
  b.insert_message(2, payload(9), kNever, 0);
  b.insert_message(1, payload(7), kNever, 0);
  b.set_delivery_count(1, 7, 3);  // folded into the insert
  b.insert_message(1, payload(8), kNever, 0);
  b.remove_message(1, 8);         // never written
  b.set_delivery_count(1, 4, 2);  // a committed row
  b.set_delivery_count(1, 4, 5);  // the last one wins
  b.remove_message(1, 3);
  CHECK(writes(b) ==
        std::vector<std::string>{"remove 1/3 0", "update 1/4 5", "insert 1/7 3", "insert 2/9 0"});
  CHECK(b.pending() == 4);
  CHECK(b.max_inserted_id() == 9);
}

TEST_CASE("a store batch's queue purge drops the writes it made to that queue's messages") {
  StoreBatch b;
  b.insert_message(1, payload(1), kNever, 0);
  b.set_delivery_count(1, 2, 1);
  b.insert_message(2, payload(3), kNever, 0);
  b.put_queue(QueueRecord{1, "wok", "{}"});
  b.delete_queue(1);
  CHECK(writes(b) == std::vector<std::string>{"insert 2/3 0"});
  CHECK(b.purged_queues() == std::set<QueueKey>{1});
  REQUIRE(b.queues().count(1) == 1);
  CHECK_FALSE(b.queues().at(1).has_value());
  CHECK(b.pending() == 3);  // the insert, the purge, the queue's delete
  CHECK(b.max_inserted_id() == 3);
}

TEST_CASE("a store batch keeps the last put or delete of each definition") {
  StoreBatch b;
  b.put_exchange(ExchangeRecord{"orders", "direct", ""});
  b.delete_exchange("orders");
  b.put_binding(BindingRecord{"orders", "wok", "wok"});
  b.delete_binding(BindingRecord{"orders", "wok", "wok"});
  b.put_binding(BindingRecord{"orders", "wok", "wok"});
  CHECK_FALSE(b.exchanges().at("orders").has_value());
  CHECK(b.bindings().at(StoreBatch::BindingKey{"orders", "wok", "wok"}));
  CHECK(b.pending() == 2);
  b.clear();
  CHECK(b.pending() == 0);
  CHECK(b.max_inserted_id() == 0);
}

TEST_CASE("a store batch holds an inserted payload until it is removed or cleared") {
  StoreBatch b;
  PayloadRef p = payload(1);
  b.insert_message(1, p, kNever, 0);
  CHECK(p->TEST_refs() == 2);
  b.remove_message(1, 1);
  CHECK(p->TEST_refs() == 1);
  b.insert_message(1, p, kNever, 0);
  b.clear();
  CHECK(p->TEST_refs() == 1);
}
