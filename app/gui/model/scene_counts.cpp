#include "gui/model/scene_counts.h"

#include "sim/simulation.h"

namespace wmq::gui {

SceneCounts count_scene(const sim::Simulation& sim) {
  SceneCounts c;
  auto count = [](size_t& n, std::vector<uint32_t>& last, uint32_t order) {
    if (++n <= kShelfTicketsShown) last.push_back(order);
  };
  const auto& orders = sim.orders();
  for (auto it = orders.rbegin(); it != orders.rend(); ++it) {
    switch (it->status) {
      case sim::OrderStatus::kDeadLettered:
        count(c.dead, c.last_dead, it->number);
        break;
      case sim::OrderStatus::kExpired:
        count(c.expired, c.last_expired, it->number);
        break;
      case sim::OrderStatus::kLost:
        count(c.lost, c.last_lost, it->number);
        break;
      default:
        break;
    }
  }
  for (const sim::Customer& cu : sim.customers()) {
    if (cu.state == sim::CustomerState::kWaitingFood) ++c.waiting_food;
  }
  for (const sim::QueueStats& q : sim.queues()) {
    if (q.name == "pickup") c.plates = q.depth;
  }
  return c;
}

}  // namespace wmq::gui
