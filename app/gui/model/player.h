// Player: play, pause and speed — how fast virtual time runs against the
// wall clock. It only computes; the Workbench advances the runs.
//
// Speeds come from a fixed ladder (0.25x to 64x) so the faster/slower keys
// step through readable values. 1x means one virtual second per real second.
//
// Thread-safety: a value.
#pragma once

#include <array>
#include <cstddef>

#include "broker/clock.h"

namespace wmq::gui {

class Player {
 public:
  static constexpr std::array<double, 9> kSpeeds = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64};
  // A frame longer than this (a stall, a window drag) advances no more than this.
  static constexpr double kMaxFrameSeconds = 0.1;

  explicit Player(double speed = 8.0) { set_speed(speed); }

  bool playing() const { return playing_; }
  double speed() const { return kSpeeds[index_]; }
  size_t speed_index() const { return index_; }

  void play() { playing_ = true; }
  void pause() { playing_ = false; }
  void toggle() { playing_ = !playing_; }
  // Picks the ladder speed nearest to `speed` (ties go to the slower one).
  void set_speed(double speed);
  // One step up or down the ladder; stays at the ends.
  void faster();
  void slower();

  // Virtual time to add after `real_seconds` of wall time: 0 when paused, else the time at
  // this speed with the frame capped at kMaxFrameSeconds, rounded to whole microseconds.
  Micros advance_by(double real_seconds) const;

 private:
  bool playing_ = false;
  size_t index_ = 0;
};

}  // namespace wmq::gui
