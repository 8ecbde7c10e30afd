// Scheduler: the discrete-event queue that drives virtual time.
//
// Events are ordered by (time, lane, insertion sequence). The sequence makes
// ties deterministic: two events at the same time run in the order they were
// scheduled. The late lane puts scenario events and injections after every
// restaurant event of the same microsecond, so an injection stamped at time t
// lands at the same point whether it came from a file, a test, or a click
// replayed by the GUI's time travel (see injection.h).
//
// An event is a small value (what, who, generation): the owner checks the
// generation when it runs, so cancelling is "bump the generation" and a stale
// event is skipped in O(1) instead of being searched for in the heap.
//
// Thread-safety: a value; one thread.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "broker/clock.h"

namespace wmq::sim {

struct Scheduled {
  Micros at = 0;
  uint64_t order = 0;  // lane << 63 | sequence: the tie-break
  uint8_t what = 0;    // the owner's event kind
  uint32_t who = 0;    // whose event: a cook, a cashier, an index
  uint64_t gen = 0;    // the owner's generation when scheduled

  uint8_t lane() const { return static_cast<uint8_t>(order >> 63); }
};

class Scheduler {
 public:
  static constexpr uint8_t kMainLane = 0;  // the restaurant's own events
  static constexpr uint8_t kLateLane = 1;  // scenario events and injections: last in their instant

  // Schedules an event. `at` may equal the current time but never lies before
  // what the caller has already run (the caller asserts that, it knows now()).
  void push(Micros at, uint8_t what, uint32_t who, uint64_t gen, uint8_t lane = kMainLane) {
    assert(lane <= 1 && "Scheduler::push: lane is 0 or 1");
    Scheduled e{at, (uint64_t{lane} << 63) | next_seq_++, what, who, gen};
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }

  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  // The next event; the scheduler must not be empty.
  const Scheduled& top() const {
    assert(!heap_.empty() && "Scheduler::top: no event scheduled");
    return heap_.front();
  }
  // Removes and returns the next event.
  Scheduled pop() {
    assert(!heap_.empty() && "Scheduler::pop: no event scheduled");
    Scheduled out = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return out;
  }

 private:
  static bool before(const Scheduled& a, const Scheduled& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  }
  void sift_up(size_t i) {
    Scheduled e = heap_[i];
    while (i > 0) {
      const size_t parent = (i - 1) / 2;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  void sift_down(size_t i) {
    const size_t n = heap_.size();
    Scheduled e = heap_[i];
    for (;;) {
      size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], e)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = e;
  }

  std::vector<Scheduled> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace wmq::sim
