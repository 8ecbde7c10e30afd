#include "stomp/commit_thread.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cassert>
#include <cstdint>
#include <utility>

namespace wmq::stomp {

CommitThread::CommitThread(std::unique_ptr<Store> inner)
    : inner_(std::move(inner)), path_(inner_->path()) {
  assert(inner_ != nullptr && "CommitThread: the inner store is null");
  event_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  inner_stats_ = inner_->stats();
  thread_ = std::thread([this] { writer(); });
}

CommitThread::~CommitThread() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  // Jobs never written or never answered go with their payload references,
  // here, on the broker's thread.
  todo_.clear();
  done_.clear();
  if (event_fd_ >= 0) ::close(event_fd_);
}

Result<Recovered> CommitThread::recover() {
  // Before any batch is handed over: the writer thread has nothing to do.
  std::lock_guard lock(mu_);
  Result<Recovered> r = inner_->recover();
  inner_stats_ = inner_->stats();
  return r;
}

void CommitThread::writer() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || (!todo_.empty() && !hold_); });
    if (stop_) return;
    Job& job = *todo_.front();
    lock.unlock();
    // The only thread using inner_ now; job.batch is this thread's until it
    // moves to done_.
    Status st = inner_->write(job.batch);
    StoreStats stats = inner_->stats();
    lock.lock();
    job.result = std::move(st);
    inner_stats_ = stats;
    done_.push_back(std::move(todo_.front()));
    todo_.pop_front();
    written_.notify_all();
    if (event_fd_ >= 0) {
      const uint64_t one = 1;
      (void)!::write(event_fd_, &one, sizeof one);
    }
  }
}

void CommitThread::commit_async(CommitDone done) {
  auto job = std::make_unique<Job>();
  job->batch = std::exchange(batch_, StoreBatch());
  job->done = std::move(done);
  ++handed_over_;
  {
    std::lock_guard lock(mu_);
    todo_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void CommitThread::run_completions() {
  if (event_fd_ >= 0) {
    uint64_t n = 0;
    (void)!::read(event_fd_, &n, sizeof n);
  }
  std::deque<std::unique_ptr<Job>> answered;
  {
    std::lock_guard lock(mu_);
    answered.swap(done_);
  }
  for (auto& job : answered) {
    --handed_over_;
    job->batch.clear();  // its payload references, on this thread
    if (!job->result.is_ok() && failure_log_) failure_log_(job->result);
    CommitDone done = std::move(job->done);
    // `done` may hand over the next batch (the broker's flush_again).
    done(job->result);
  }
}

void CommitThread::drain() {
  while (handed_over_ > 0) {
    {
      std::unique_lock lock(mu_);
      written_.wait(lock, [this] { return !done_.empty(); });
    }
    run_completions();
  }
}

Status CommitThread::commit() {
  drain();
  // Nothing is handed over: the writer thread is idle, so inner_ is ours.
  std::lock_guard lock(mu_);
  Status st = inner_->write(batch_);
  inner_stats_ = inner_->stats();
  batch_.clear();
  return st;
}

StoreStats CommitThread::stats() const {
  StoreStats s;
  {
    std::lock_guard lock(mu_);
    s = inner_stats_;
  }
  s.pending = batch_.pending();
  return s;
}

void CommitThread::TEST_hold(bool hold) {
  {
    std::lock_guard lock(mu_);
    hold_ = hold;
  }
  wake_.notify_all();
}

}  // namespace wmq::stomp
