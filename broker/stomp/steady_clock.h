// SteadyClock: wall-speed time for a broker that serves real clients.
//
// The broker core never reads the wall clock (broker/clock.h); a network
// server hands it this one. It reads std::chrono::steady_clock, which never
// goes backwards (a changed system time does not move it), and counts from
// the moment the clock was made, so times start near zero like a
// ManualClock's.
//
// Thread-safety: now() may be called from any thread.
#pragma once

#include <chrono>

#include "broker/clock.h"

namespace wmq::stomp {

class SteadyClock final : public Clock {
 public:
  SteadyClock() : start_(std::chrono::steady_clock::now()) {}
  // Microseconds since this clock was made.
  Micros now() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                 start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace wmq::stomp
