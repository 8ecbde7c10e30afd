// Run: one Simulation as the GUI watches it — the simulation itself plus
// what the views need that the simulator does not keep: the event log, the
// chart samples, the pipeline strip's counters and which order each broker
// message belongs to.
//
// A Run is made from (scenario, seed, injections) and nothing else, like the
// Simulation it wraps, so making a new one with the same three and advancing
// it to t gives the same state as the first one had at t (time travel).
// Replays use the in-memory store: no file, same persistence semantics.
//
// Thread-safety: none; the GUI thread owns it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "broker/status.h"
#include "gui/model/charts.h"
#include "gui/model/event_log.h"
#include "sim/simulation.h"

namespace wmq::gui {

// The broker's pipeline as the strip under the scene shows it, one stop per step.
enum class Stage : uint8_t {
  kValidate,
  kTranslate,
  kRoute,
  kStore,
  kPersist,
  kConfirm,
  kDeliver,
  kAck,
};
inline constexpr int kStageCount = 8;

// "validate", "translate", ...: stable names (i18n keys end in them).
const char* stage_name(Stage stage);

// How many events passed each stop so far, and how many were refused there (a rejection at
// validation, an unroutable order at routing, a full queue at the board, a failed commit, a
// nack). Each refused publish counts at one stop only.
struct PipelineCounts {
  std::array<uint64_t, kStageCount> passed{};
  std::array<uint64_t, kStageCount> refused{};
  std::array<Micros, kStageCount> last_at{};  // virtual time of the latest pass or refusal
};

// Adds one broker event to the counts (events that are not a pipeline step are ignored).
void count_stage(PipelineCounts& counts, const Event& event);

struct RunOptions {
  size_t log_capacity = 50'000;
  Micros chart_interval = 10 * kSeconds;
};

class Run final : private sim::SimObserver {
 public:
  // Makes the simulation (in-memory store, history on) and schedules `injections`. Errors:
  // those of Simulation::create (an injection naming nobody: kNotFound, ...).
  static Result<std::unique_ptr<Run>> create(const sim::Scenario& scenario, uint64_t seed,
                                             std::vector<sim::Injection> injections = {},
                                             RunOptions options = {});
  ~Run() override;
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  const sim::Simulation& sim() const { return *sim_; }
  const sim::Scenario& scenario() const { return scenario_; }
  const EventLog& log() const { return log_; }
  const ChartSeries& charts() const { return sampler_.series(); }
  const PipelineCounts& pipeline() const { return pipeline_; }
  // The order a broker message carries (an order or its food-ready message), 0 when unknown.
  uint32_t order_of_message(MessageId message) const;

  // Runs every event due at or before `t` (taking chart samples on the way) and sets the clock
  // to `t`. With `stop_at_pause`, stops right after a scenario pause point and returns true.
  bool advance_to(Micros t, bool stop_at_pause);
  // Runs the next single event (taking a chart sample first if one is due before it). False
  // when nothing is left to run.
  bool step();
  // Simulation::inject, same errors; applied now when `at` is -1 or now.
  Status inject(sim::Injection injection);

 private:
  Run(const sim::Scenario& scenario, RunOptions options);
  void on_sim_event(const sim::SimEvent& event) override;
  void sample_due(Micros up_to);

  sim::Scenario scenario_;
  std::unique_ptr<sim::Simulation> sim_;
  EventLog log_;
  ChartSampler sampler_;
  PipelineCounts pipeline_;
  std::unordered_map<MessageId, uint32_t> message_order_;  // every message that named an order
};

}  // namespace wmq::gui
