#include "disk_gate.h"

namespace wmq::sim {

namespace {
// SQLite's words for SQLITE_FULL, so a run says the same whichever store it uses.
constexpr const char* kFull = "database or disk is full";
}  // namespace

Status DiskGate::write(StoreBatch& batch) {
  if (*full_ && batch.pending() > 0) {
    ++refused_;
    refused_last_ = true;
    return Status::error(Code::kIoError,
                         "broker file \"" + inner_->path() + "\": commit failed: " + kFull);
  }
  Status st = inner_->write(batch);
  refused_last_ = false;  // it went through, or failed for a reason of its own
  return st;
}

StoreStats DiskGate::stats() const {
  StoreStats s = inner_->stats();
  s.pending = pending();
  s.failed_commits += refused_;
  if (refused_last_) {
    s.disk_full = true;
    s.last_failure = kFull;
  } else if (s.last_failure.empty() && refused_ > 0) {
    s.last_failure = kFull;
  }
  return s;
}

}  // namespace wmq::sim
