// MemoryStore: the broker's Store (broker/store.h) kept in memory, for runs
// that need the broker's persistence semantics but no file: the GUI's time
// travel replays, tests, and A/B runs side by side.
//
// The "disk" is a MemoryDisk the simulator owns; it outlives each broker and
// each MemoryStore, so destroying the broker (a crash) and opening a new
// MemoryStore on the same disk recovers exactly what was committed, as with
// the SQLite file. The pending batch coalesces by the same rules as the
// SQLite store (see store.h): a message inserted and removed in one batch is
// never written; a later delivery count is folded into a pending insert; a
// queue's purge drops what the batch meant to do to its messages. pending()
// counts the same entries, so group commits fall at the same moments
// whichever store a run uses.
//
// Thread-safety: one thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "broker/store.h"

namespace wmq::sim {

// What survives a crash.
struct MemoryDisk {
  std::map<std::string, ExchangeRecord> exchanges;
  std::map<QueueKey, QueueRecord> queues;
  std::set<std::tuple<std::string, std::string, std::string>> bindings;
  std::map<std::pair<QueueKey, MessageId>, MessageRecord> messages;
  MessageId max_message_id = 0;
  uint64_t commits = 0;
  bool open = false;  // a live store holds it
};

class MemoryStore final : public Store {
 public:
  // Opens `disk`. Error: kBusy when another live MemoryStore holds it.
  static Result<std::unique_ptr<Store>> open(std::shared_ptr<MemoryDisk> disk,
                                             std::string name = ":memory:");
  ~MemoryStore() override;

  Result<Recovered> recover() override;
  void put_exchange(const ExchangeRecord& exchange) override;
  void delete_exchange(const std::string& name) override;
  void put_queue(const QueueRecord& queue) override;
  void delete_queue(QueueKey queue) override;
  void put_binding(const BindingRecord& binding) override;
  void delete_binding(const BindingRecord& binding) override;
  void insert_message(QueueKey queue, PayloadRef payload, Micros entry_expires_at,
                      uint32_t delivery_count) override;
  void set_delivery_count(QueueKey queue, MessageId id, uint32_t delivery_count) override;
  void remove_message(QueueKey queue, MessageId id) override;
  size_t pending() const override;
  Status commit() override;
  StoreStats stats() const override;
  const std::string& path() const override { return name_; }

 private:
  MemoryStore(std::shared_ptr<MemoryDisk> disk, std::string name)
      : disk_(std::move(disk)), name_(std::move(name)) {}

  enum class Op : uint8_t { kInsert, kUpdate, kRemove };
  struct Pending {
    Op op = Op::kInsert;
    uint32_t delivery_count = 0;
    Micros entry_expires_at = kNever;
    PayloadRef payload;  // kInsert
  };
  struct KeyHash {
    size_t operator()(const std::pair<QueueKey, MessageId>& k) const {
      return static_cast<size_t>((k.second * 0x9E3779B97F4A7C15ull) ^ (uint64_t{k.first} << 29));
    }
  };
  using BindingKey = std::tuple<std::string, std::string, std::string>;

  void drop_batch();

  std::shared_ptr<MemoryDisk> disk_;
  std::string name_;
  std::unordered_map<std::pair<QueueKey, MessageId>, Pending, KeyHash> messages_;
  std::map<std::string, std::optional<ExchangeRecord>> exchanges_;
  std::map<QueueKey, std::optional<QueueRecord>> queues_;
  std::set<QueueKey> purged_;
  std::map<BindingKey, bool> bindings_;
  MessageId batch_max_id_ = 0;
  StoreStats stats_;
};

}  // namespace wmq::sim
