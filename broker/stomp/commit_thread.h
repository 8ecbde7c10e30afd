// CommitThread: a Store that commits on a thread of its own, so the server's
// loop never waits for the disk.
//
// It wraps the Store that owns the file (a SqliteStore from Store::open) and
// stands in for it before the broker: the broker's writes build a batch here,
// on the broker's thread, with the coalescing rules of store_batch.h; each
// commit_async() hands the batch to the writer thread, which writes it with
// the inner Store's write() (SQLite's commit, fsync and any checkpoint
// happen there), and the loop goes on at once. The answer comes back as an
// event: completion_fd() turns readable, and the owner of the loop calls
// run_completions(), which calls each batch's `done` on the broker's thread,
// in the order the batches were handed over. That is where the broker
// releases confirms, and so receipts: a receipt still means "on disk".
//
// The broker hands over one batch at a time (Broker::flush), so batches are
// written in order and never overlap; the writer thread touches only the
// inner Store and the batch it was given (payload bodies are read, never
// counted: references are dropped on the broker's thread once answered).
//
// commit() (synchronous) still works: it waits for the running batch, then
// writes the pending one on the caller's thread. Destroying a CommitThread
// is a crash: the writer finishes the batch it is writing (SQLite cannot be
// stopped mid-transaction) and nothing else is written or answered.
//
// Thread-safety: every method on the broker's thread; the writer thread is
// this class's own.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "broker/store.h"
#include "broker/store_batch.h"

namespace wmq::stomp {

class CommitThread final : public BatchedStore {
 public:
  // Takes the inner store (not null; it must support write()). Starts the
  // writer thread.
  explicit CommitThread(std::unique_ptr<Store> inner);
  ~CommitThread() override;
  CommitThread(const CommitThread&) = delete;
  CommitThread& operator=(const CommitThread&) = delete;

  Result<Recovered> recover() override;

  Status commit() override;
  void commit_async(CommitDone done) override;
  void drain() override;

  StoreStats stats() const override;
  const std::string& path() const override { return path_; }

  // Readable (an eventfd) while answers wait for run_completions(); -1 if
  // the eventfd could not be made (then drain() or a poll of running() is
  // the only way to see answers).
  int completion_fd() const { return event_fd_; }
  // Calls `done` for every batch answered since the last call, in order.
  void run_completions();
  // Batches handed over and not yet answered by run_completions().
  size_t running() const { return handed_over_; }

  // Called (on the broker's thread, before the batch's `done`) for every
  // batch whose write failed; the broker nacks its publishers itself. The
  // StompServer given this CommitThread sets it in listen() and clears it
  // when destroyed.
  void set_failure_log(std::function<void(const Status&)> log) { failure_log_ = std::move(log); }

  // Test hook: while held, the writer thread does not start writing a new
  // batch (one it is writing already finishes); release to go on. drain()
  // and commit() while held wait until it is released.
  void TEST_hold(bool hold);

 private:
  struct Job {
    StoreBatch batch;
    CommitDone done;
    Status result;
  };

  void writer();

  std::unique_ptr<Store> inner_;
  const std::string path_;
  size_t handed_over_ = 0;
  std::function<void(const Status&)> failure_log_;
  int event_fd_ = -1;

  mutable std::mutex mu_;
  std::condition_variable wake_;           // the writer: work came, or stop
  std::condition_variable written_;        // drain(): a job was written
  std::deque<std::unique_ptr<Job>> todo_;  // handed over, not yet written
  std::deque<std::unique_ptr<Job>> done_;  // written, not yet answered
  StoreStats inner_stats_;                 // as the writer saw after its last write
  bool stop_ = false;
  bool hold_ = false;
  std::thread thread_;  // last: started once the rest is built
};

}  // namespace wmq::stomp
