// StoreBatch: the coalescing rules of a Store's pending batch (store_batch.h).
#include "broker/store_batch.h"

#include <algorithm>
#include <cassert>

namespace wmq {

void StoreBatch::delete_queue(QueueKey queue) {
  // The purge deletes every row of the queue, so what the batch meant to do
  // to single messages of it before now is moot.
  for (auto it = messages_.begin(); it != messages_.end();) {
    it = it->first.queue == queue ? messages_.erase(it) : std::next(it);
  }
  purged_queues_.insert(queue);
  queues_[queue] = std::nullopt;
}

void StoreBatch::insert_message(QueueKey queue, PayloadRef payload, Micros entry_expires_at,
                                uint32_t delivery_count) {
  assert(payload && "Store::insert_message: the payload is null; pass the message's PayloadRef");
  const MessageId id = payload->id();
  auto [it, inserted] = messages_.try_emplace(MessageKey{queue, id});
  assert(
      inserted &&
      "Store::insert_message: this (queue, id) already has a write pending; ids are never reused");
  (void)inserted;
  MessageWrite& m = it->second;
  m.op = Op::kInsert;
  m.delivery_count = delivery_count;
  m.entry_expires_at = entry_expires_at;
  m.payload = std::move(payload);  // the batch's reference, not a body copy
  max_inserted_id_ = std::max(max_inserted_id_, id);
}

void StoreBatch::set_delivery_count(QueueKey queue, MessageId id, uint32_t delivery_count) {
  auto [it, inserted] = messages_.try_emplace(MessageKey{queue, id});
  MessageWrite& m = it->second;
  if (inserted) m.op = Op::kUpdate;
  assert(m.op != Op::kRemove &&
         "Store::set_delivery_count: the message was removed earlier in this batch");
  m.delivery_count = delivery_count;
}

void StoreBatch::remove_message(QueueKey queue, MessageId id) {
  auto [it, inserted] = messages_.try_emplace(MessageKey{queue, id});
  MessageWrite& m = it->second;
  if (!inserted && m.op == Op::kInsert) {
    messages_.erase(it);  // never written, nothing to delete
    return;
  }
  m.op = Op::kRemove;
}

const std::vector<std::pair<StoreBatch::MessageKey, const StoreBatch::MessageWrite*>>&
StoreBatch::messages_in_order() {
  sorted_.clear();
  sorted_.reserve(messages_.size());
  for (const auto& [key, m] : messages_)
    sorted_.emplace_back(key, &m);
  std::sort(sorted_.begin(), sorted_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return sorted_;
}

void StoreBatch::clear() {
  messages_.clear();  // keeps the buckets for the next batch
  exchanges_.clear();
  queues_.clear();
  purged_queues_.clear();
  bindings_.clear();
  sorted_.clear();
  max_inserted_id_ = 0;
}

}  // namespace wmq

namespace wmq {

Status Store::write(StoreBatch& /*batch*/) {
  assert(false && "Store::write: this Store cannot write a batch handed to it");
  return Status::error(Code::kInvalid, "this store cannot write a batch handed to it");
}

}  // namespace wmq
