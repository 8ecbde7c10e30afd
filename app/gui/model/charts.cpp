#include "gui/model/charts.h"

#include <algorithm>
#include <cassert>

#include "sim/simulation.h"

namespace wmq::gui {

ChartSampler::ChartSampler(Micros interval) : interval_(interval), next_due_(interval) {
  assert(interval > 0 && "ChartSampler needs a positive interval");
}

void ChartSampler::on_event(const sim::SimEvent& e, const sim::Simulation& sim) {
  if (e.broker != nullptr) {
    switch (e.broker->kind) {
      case EventKind::kPublished:
        ++publishes_;
        break;
      case EventKind::kDelivered:
        ++deliveries_;
        break;
      case EventKind::kAcked:
        ++acks_;
        break;
      default:
        break;
    }
    return;
  }
  if (e.kind == sim::SimEventKind::kServed && e.order != 0) {
    if (const sim::Order* o = sim.order(e.order)) latencies_.push_back(e.at - o->placed_at);
  }
}

void ChartSampler::sample(const sim::Simulation& sim) {
  const float per_minute = static_cast<float>(60 * kSeconds) / static_cast<float>(interval_);
  uint64_t waiting = 0;
  for (const sim::QueueStats& q : sim.queues()) {
    if (q.station) waiting += q.depth;
  }
  uint64_t lost = 0;
  for (const sim::Order& o : sim.orders()) {
    if (o.status == sim::OrderStatus::kLost) ++lost;
  }
  if (!latencies_.empty()) {
    auto mid = latencies_.begin() + static_cast<std::ptrdiff_t>(latencies_.size() / 2);
    std::nth_element(latencies_.begin(), mid, latencies_.end());
    last_latency_ = static_cast<float>(*mid) / static_cast<float>(kSeconds);
  }
  series_.at.push_back(sim.now());
  series_.waiting.push_back(static_cast<float>(waiting));
  series_.publish.push_back(static_cast<float>(publishes_) * per_minute);
  series_.deliver.push_back(static_cast<float>(deliveries_) * per_minute);
  series_.ack.push_back(static_cast<float>(acks_) * per_minute);
  series_.latency.push_back(last_latency_);
  series_.lost.push_back(static_cast<float>(lost));
  series_.redelivered.push_back(static_cast<float>(sim.counters().redelivered));
  publishes_ = deliveries_ = acks_ = 0;
  latencies_.clear();
  next_due_ += interval_;
}

}  // namespace wmq::gui
