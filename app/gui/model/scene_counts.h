// SceneCounts: the figures the scene writes beside its pictures — how many
// orders went to each tray of the trouble shelf (and the newest few of each,
// whose tickets it shows), how many tables wait for food, how many plates
// wait at the pickup counter.
//
// Thread-safety: a pure function of the simulation's state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wmq::sim {
class Simulation;
}

namespace wmq::gui {

// How many of the newest orders of a shelf tray have their ticket drawn.
inline constexpr size_t kShelfTicketsShown = 3;

struct SceneCounts {
  size_t dead = 0, expired = 0, lost = 0;  // orders dead-lettered, expired, lost so far
  // The newest kShelfTicketsShown orders of each, newest first.
  std::vector<uint32_t> last_dead, last_expired, last_lost;
  size_t waiting_food = 0;  // customers at a table waiting for their food
  uint64_t plates = 0;      // food-ready messages in the pickup queue
};

SceneCounts count_scene(const sim::Simulation& sim);

}  // namespace wmq::gui
