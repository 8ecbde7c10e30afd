// Clock: the only source of time the broker knows.
//
// The core never reads the wall clock. Heartbeats, TTLs and the group-commit
// window all run off an injected Clock. The simulator steps a ManualClock
// (deterministic, virtual time); the network server supplies a steady clock
// of its own (see broker/stomp). Times are microseconds since an arbitrary
// epoch chosen by the clock; only differences mean anything.
//
// Thread-safety: a Clock is used by the one thread that owns the broker.
#pragma once

#include <cassert>
#include <cstdint>

namespace wmq {

using Micros = int64_t;

constexpr Micros kMillis = 1000;
constexpr Micros kSeconds = 1000 * kMillis;

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time. Never goes backwards.
  virtual Micros now() const = 0;
};

// A clock that moves only when told to: tests and the simulator.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Micros start = 0) : now_(start) {}
  Micros now() const override { return now_; }
  void advance(Micros by) {
    assert(by >= 0 && "ManualClock::advance: time never goes backwards");
    now_ += by;
  }
  void set(Micros to) {
    assert(to >= now_ && "ManualClock::set: time never goes backwards");
    now_ = to;
  }

 private:
  Micros now_;
};

}  // namespace wmq
