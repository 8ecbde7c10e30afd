// MemoryStore: the broker's Store (broker/store.h) kept in memory, for runs
// that need the broker's persistence semantics but no file: the GUI's time
// travel replays, tests, and A/B runs side by side.
//
// The "disk" is a MemoryDisk the simulator owns; it outlives each broker and
// each MemoryStore, so destroying the broker (a crash) and opening a new
// MemoryStore on the same disk recovers exactly what was committed, as with
// the SQLite file. The pending batch is the same StoreBatch the SQLite store
// keeps (broker/store_batch.h), so it coalesces by the same rules and
// pending() counts the same entries: group commits fall at the same moments
// whichever store a run uses.
//
// Thread-safety: one thread.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>

#include "broker/store.h"
#include "broker/store_batch.h"

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

class MemoryStore final : public BatchedStore {
 public:
  // Opens `disk`. Error: kBusy when another live MemoryStore holds it.
  static Result<std::unique_ptr<Store>> open(std::shared_ptr<MemoryDisk> disk,
                                             std::string name = ":memory:");
  ~MemoryStore() override;

  Result<Recovered> recover() override;
  Status write(StoreBatch& batch) override;
  StoreStats stats() const override;
  const std::string& path() const override { return name_; }

 private:
  MemoryStore(std::shared_ptr<MemoryDisk> disk, std::string name)
      : disk_(std::move(disk)), name_(std::move(name)) {}

  std::shared_ptr<MemoryDisk> disk_;
  std::string name_;
  StoreStats stats_;
};

}  // namespace wmq::sim
