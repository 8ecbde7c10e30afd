#include "gui/model/player.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace wmq::gui {

void Player::set_speed(double speed) {
  assert(speed > 0 && "Player::set_speed: a speed must be positive");
  size_t best = 0;
  for (size_t i = 1; i < kSpeeds.size(); ++i) {
    // Compare on a log scale: 3x is as far from 2x as from 4x... nearly; the slower wins ties.
    if (std::abs(std::log2(kSpeeds[i] / speed)) < std::abs(std::log2(kSpeeds[best] / speed))) {
      best = i;
    }
  }
  index_ = best;
}

void Player::faster() {
  if (index_ + 1 < kSpeeds.size()) ++index_;
}

void Player::slower() {
  if (index_ > 0) --index_;
}

Micros Player::advance_by(double real_seconds) const {
  if (!playing_ || real_seconds <= 0) return 0;
  const double capped = std::min(real_seconds, kMaxFrameSeconds);
  return static_cast<Micros>(std::llround(capped * speed() * static_cast<double>(kSeconds)));
}

}  // namespace wmq::gui
