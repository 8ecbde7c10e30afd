// ChartSampler: the figures the charts plot, sampled at fixed moments of
// virtual time (every `interval`), so a replay to the same moment draws the
// same charts whatever the frame rate was.
//
// Series, one value per sample:
//   waiting      orders on the boards (ready in the station queues) at the sample
//   publish      publishes per minute over the interval (orders and food-ready)
//   deliver      deliveries per minute over the interval
//   ack          acks per minute over the interval
//   latency      median order-to-served time (seconds) of the orders served in the
//                interval; the previous value when none was served
//   lost         orders lost so far (status lost)
//   redelivered  redeliveries so far
//
// Thread-safety: none; the thread driving the Simulation owns it.
#pragma once

#include <cstdint>
#include <vector>

#include "broker/clock.h"
#include "sim/events.h"

namespace wmq::sim {
class Simulation;
}

namespace wmq::gui {

struct ChartSeries {
  std::vector<Micros> at;  // when each sample was taken
  std::vector<float> waiting, publish, deliver, ack, latency, lost, redelivered;
};

class ChartSampler {
 public:
  // Samples every `interval` of virtual time (> 0), the first at `interval`.
  explicit ChartSampler(Micros interval = 10 * kSeconds);

  // Counts what the rates and the latency need. Feed every event of the run.
  void on_event(const sim::SimEvent& event, const sim::Simulation& sim);
  // Takes the sample due at sim.now(); call when sim.now() == next_due().
  void sample(const sim::Simulation& sim);
  // When the next sample is due.
  Micros next_due() const { return next_due_; }
  Micros interval() const { return interval_; }
  const ChartSeries& series() const { return series_; }

 private:
  Micros interval_;
  Micros next_due_;
  ChartSeries series_;
  uint64_t publishes_ = 0, deliveries_ = 0, acks_ = 0;  // in the current interval
  std::vector<Micros> latencies_;                       // of orders served in the interval
  float last_latency_ = 0;
};

}  // namespace wmq::gui
