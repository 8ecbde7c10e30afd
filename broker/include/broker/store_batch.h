// StoreBatch: the pending batch of a Store (store.h), with its coalescing
// rules written once, so every Store implementation (SqliteStore, the
// simulator's MemoryStore) follows them by construction and group commits
// fall at the same moments whichever store a run uses.
//
// The rules, within one batch:
//   insert_message -> a new row; a later set_delivery_count is folded into it;
//                     a later remove_message erases it: nothing is written
//   set_delivery_count of a committed row -> an update (the last one wins)
//   remove_message of a committed row -> a delete
//   delete_queue -> every message of the queue goes, and what the batch meant
//                   to do to single messages of it before now is moot
//   definitions -> the last put or delete of a name (key, binding) wins
// pending() counts the entries left after coalescing. A Store applies the
// batch in this order: purged queues, exchanges, queues, bindings, then
// messages in (queue, id) order, so a b-tree is walked once.
//
// Ownership: an insert holds the caller's PayloadRef until clear() or until
// a later write cancels it.
//
// Thread-safety: one thread, the Store's.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "broker/store.h"

namespace wmq {

class StoreBatch {
 public:
  enum class Op : uint8_t { kInsert, kUpdate, kRemove };

  struct MessageKey {
    QueueKey queue;
    MessageId id;
    bool operator==(const MessageKey&) const = default;
    bool operator<(const MessageKey& o) const {
      return queue != o.queue ? queue < o.queue : id < o.id;
    }
  };

  // What the batch does to one message, after coalescing.
  struct MessageWrite {
    Op op = Op::kInsert;
    uint32_t delivery_count = 0;       // kInsert, kUpdate
    Micros entry_expires_at = kNever;  // kInsert
    PayloadRef payload;                // kInsert
  };

  // (exchange, queue, binding key).
  using BindingKey = std::tuple<std::string, std::string, std::string>;

  void put_exchange(const ExchangeRecord& exchange) { exchanges_[exchange.name] = exchange; }
  void delete_exchange(const std::string& name) { exchanges_[name] = std::nullopt; }
  void put_queue(const QueueRecord& queue) { queues_[queue.key] = queue; }
  void delete_queue(QueueKey queue);
  void put_binding(const BindingRecord& b) {
    bindings_[BindingKey{b.exchange, b.queue, b.binding_key}] = true;
  }
  void delete_binding(const BindingRecord& b) {
    bindings_[BindingKey{b.exchange, b.queue, b.binding_key}] = false;
  }
  // Asserts that (queue, id) has no write pending: ids are never reused.
  void insert_message(QueueKey queue, PayloadRef payload, Micros entry_expires_at,
                      uint32_t delivery_count);
  // Asserts that the message was not removed earlier in the batch.
  void set_delivery_count(QueueKey queue, MessageId id, uint32_t delivery_count);
  void remove_message(QueueKey queue, MessageId id);

  // Entries left after coalescing.
  size_t pending() const {
    return messages_.size() + exchanges_.size() + queues_.size() + purged_queues_.size() +
           bindings_.size();
  }
  // The highest id inserted into this batch, even if coalesced away since: a
  // Store must remember it, or a recovered broker could hand it out again.
  MessageId max_inserted_id() const { return max_inserted_id_; }

  // What to apply, in the order given at the top of this file.
  const std::set<QueueKey>& purged_queues() const { return purged_queues_; }
  const std::map<std::string, std::optional<ExchangeRecord>>& exchanges() const {
    return exchanges_;  // nullopt: delete
  }
  const std::map<QueueKey, std::optional<QueueRecord>>& queues() const {
    return queues_;  // nullopt: delete
  }
  const std::map<BindingKey, bool>& bindings() const { return bindings_; }  // false: delete
  // The message writes in (queue, id) order; valid until the next change.
  const std::vector<std::pair<MessageKey, const MessageWrite*>>& messages_in_order();

  // Forgets the batch (written or dropped), releasing its payloads.
  void clear();

 private:
  struct MessageKeyHash {
    size_t operator()(const MessageKey& k) const {
      return static_cast<size_t>((k.id * 0x9E3779B97F4A7C15ull) ^ (uint64_t{k.queue} << 29));
    }
  };

  std::unordered_map<MessageKey, MessageWrite, MessageKeyHash> messages_;
  std::map<std::string, std::optional<ExchangeRecord>> exchanges_;
  std::map<QueueKey, std::optional<QueueRecord>> queues_;
  std::set<QueueKey> purged_queues_;
  std::map<BindingKey, bool> bindings_;
  MessageId max_inserted_id_ = 0;
  std::vector<std::pair<MessageKey, const MessageWrite*>> sorted_;  // reused by messages_in_order
};

// BatchedStore: a Store whose writes wait in a StoreBatch, written once for
// every store that keeps one (SqliteStore, CommitThread, the simulator's
// MemoryStore and DiskGate). A subclass says how a batch is written
// (write()) and what it reads back; commit() writes the pending batch and
// forgets it, whatever the outcome.
class BatchedStore : public Store {
 public:
  void put_exchange(const ExchangeRecord& exchange) override { batch_.put_exchange(exchange); }
  void delete_exchange(const std::string& name) override { batch_.delete_exchange(name); }
  void put_queue(const QueueRecord& queue) override { batch_.put_queue(queue); }
  void delete_queue(QueueKey queue) override { batch_.delete_queue(queue); }
  void put_binding(const BindingRecord& b) override { batch_.put_binding(b); }
  void delete_binding(const BindingRecord& b) override { batch_.delete_binding(b); }
  void insert_message(QueueKey queue, PayloadRef payload, Micros entry_expires_at,
                      uint32_t delivery_count) override {
    batch_.insert_message(queue, std::move(payload), entry_expires_at, delivery_count);
  }
  void set_delivery_count(QueueKey queue, MessageId id, uint32_t delivery_count) override {
    batch_.set_delivery_count(queue, id, delivery_count);
  }
  void remove_message(QueueKey queue, MessageId id) override { batch_.remove_message(queue, id); }
  size_t pending() const override { return batch_.pending(); }
  Status commit() override {
    Status st = write(batch_);
    batch_.clear();
    return st;
  }

 protected:
  StoreBatch batch_;  // the pending batch, on the broker's thread
};

}  // namespace wmq
