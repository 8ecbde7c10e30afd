// DiskGate: the simulator's full disk (the fill_disk and free_disk
// failures). It wraps the run's store, SQLite file or MemoryStore alike;
// while `full` says so, every commit that has something to write fails as
// SQLite's does when the disk has no room (SQLITE_FULL): nothing of the batch
// is written, the error is kIoError "broker file "...": commit failed:
// database or disk is full", and stats() says disk_full until a commit goes
// through again. The broker then nacks the batch's publishers (their orders
// are in no queue) and the deletes of acks are lost with it (those orders
// may come back after a crash: at least once). Private to app/sim/src.
//
// The flag belongs to the Simulation: it outlives each broker, as a disk
// outlives a crash, so a restart does not empty it.
//
// Thread-safety: one thread.
#pragma once

#include <memory>
#include <string>

#include "broker/store.h"
#include "broker/store_batch.h"

namespace wmq::sim {

class DiskGate final : public BatchedStore {
 public:
  // Takes the store (not null; one that can write() a batch).
  DiskGate(std::unique_ptr<Store> inner, std::shared_ptr<const bool> full)
      : inner_(std::move(inner)), full_(std::move(full)) {}

  Result<Recovered> recover() override { return inner_->recover(); }
  Status write(StoreBatch& batch) override;
  StoreStats stats() const override;
  const std::string& path() const override { return inner_->path(); }

 private:
  std::unique_ptr<Store> inner_;
  std::shared_ptr<const bool> full_;
  uint64_t refused_ = 0;       // commits this gate failed
  bool refused_last_ = false;  // and the last commit was one of them
};

}  // namespace wmq::sim
