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
// Live (listen()): the simulation is also open to STOMP clients, and the
// host drives it with live_advance_to() from the wall clock. Such a run is
// not determined by the three any more, so it is never replayed. The
// programs that joined are drawn among the simulation's own people: see
// scene_cooks() and scene_cashiers(). The orders they send get tickets of
// their own: see ticket_of() and program_order().
//
// Thread-safety: none; the GUI thread owns it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "broker/status.h"
#include "gui/model/charts.h"
#include "gui/model/event_log.h"
#include "gui/model/selection.h"
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

// Scene cooks and cashiers that stand for STOMP clients carry this plus their index in
// Simulation::external_clients() as their index (and a selection of one names them so): far above
// any simulated cook, and unchanged when the kitchen hires one.
inline constexpr uint32_t kExternalIndexBase = 1u << 20;

// A ticket for an order a STOMP program sent carries this plus the order's index in the run's
// program orders as its number (and Selection::order of it names it): no simulated order number
// comes near it.
inline constexpr uint32_t kProgramOrderBase = 1u << 30;

// An order a STOMP program put on a station's board (live runs), which no simulated order stands
// behind.
struct ProgramOrder {
  std::string name;         // the program's own order id, else "P" + its ordinal (tickets.h)
  std::string label;        // what its ticket says: the name, or its end when too long
  MessageId message = 0;    // the broker message it came as
  SessionId session = 0;    // the broker session that sent it
  std::string sender;       // that program's name: its login, else its client-id, else its address
  bool persistent = false;  // sent persistent: a durable queue keeps it on disk
  bool confirmed = false;   // the broker confirmed it
};

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
  // The number the scene's ticket for broker message `message` carries, given the simulated
  // `order` it holds (Ticket::order, order_of_message; 0 for none): that order, else
  // kProgramOrderBase + N when it is the N-th order a STOMP program sent, else 0 (nobody's).
  uint32_t ticket_of(uint32_t order, MessageId message) const;
  // What the ticket numbered `ticket` (ticket_of) says: the order number ("17"), or a program
  // order's label ("9001", "P2", "~456"); "?" for 0 or a number no ticket has.
  std::string ticket_label(uint32_t ticket) const;
  // The program order behind ticket number `ticket`; null for a simulated order or an unknown
  // number. Valid until the next mutating call.
  const ProgramOrder* program_order(uint32_t ticket) const;
  // Whether the order behind ticket `ticket` is written down once its queue is durable: a
  // simulated order its cashier has the receipt for, a program's persistent message the broker
  // confirmed. False for an unknown number.
  bool ticket_confirmed(uint32_t ticket) const;

  // Runs every event due at or before `t` (taking chart samples on the way) and sets the clock
  // to `t`. With `stop_at_pause`, stops right after a scenario pause point and returns true.
  bool advance_to(Micros t, bool stop_at_pause);
  // Runs the next single event (taking a chart sample first if one is due before it). False
  // when nothing is left to run.
  bool step();
  // Simulation::inject, same errors; applied now when `at` is -1 or now.
  Status inject(sim::Injection injection);

  // Opens the simulation to STOMP clients: Simulation::listen, same errors.
  Status listen(const sim::ListenOptions& options);
  // The live turn: advance_to(t, stop_at_pause), then the STOMP clients are let in at the clock
  // it stopped at (Simulation::live_turn without waiting: the GUI's frame is the wait). Without
  // listen() it is advance_to.
  bool live_advance_to(Micros t, bool stop_at_pause);

  // The cooks the kitchen shows: the simulation's, then one for each connected STOMP program
  // that cooks (named by its login, holding what it was given and has not acked; idle or
  // cooking; index kExternalIndexBase + its external index). Valid until the next mutating call.
  const std::vector<sim::Cook>& scene_cooks() const;
  // The same for the cashiers' desks: the simulation's, then the connected STOMP programs that
  // send orders.
  const std::vector<sim::Cashier>& scene_cashiers() const;
  // The STOMP program behind a scene cook's or cashier's index (kExternalIndexBase + N), or null
  // for a simulated one.
  const sim::ExternalClient* external_at(uint32_t index) const;

 private:
  Run(const sim::Scenario& scenario, RunOptions options);
  void on_sim_event(const sim::SimEvent& event) override;
  // Keeps the orders STOMP programs put on a board (live runs only).
  void note_program_order(const sim::SimEvent& event);
  void sample_due(Micros up_to);
  // Rebuilds the scene's cooks and cashiers after the simulation moved (only when STOMP programs
  // take part: otherwise the simulation's own lists are shown as they are).
  void refresh_scene();

  sim::Scenario scenario_;
  std::unique_ptr<sim::Simulation> sim_;
  EventLog log_;
  ChartSampler sampler_;
  PipelineCounts pipeline_;
  std::unordered_map<MessageId, uint32_t> message_order_;    // every message that named an order
  std::vector<ProgramOrder> program_orders_;                 // ticket kProgramOrderBase + i is [i]
  std::unordered_map<MessageId, uint32_t> program_tickets_;  // message -> ticket, dead letters too
  MessageId program_publish_ = 0;        // the program publish under way (0: none): enqueued next
  SessionId program_publisher_ = 0;      // ... its session
  uint32_t program_publish_ticket_ = 0;  // ... its ticket once on one board (a fanout reaches more)
  bool external_cooks_ = false;          // scene_cooks_ is in use
  bool external_cashiers_ = false;       // scene_cashiers_ is in use
  std::vector<sim::Cook> scene_cooks_;   // the simulation's cooks + connected STOMP cooks
  std::vector<sim::Cashier> scene_cashiers_;  // the same for cashiers
};

// The STOMP program a selection names: a scene cook that stands for one (by its index), or a desk
// that does (the painter selects desks by their position in Run::scene_cashiers()). Null
// otherwise.
const sim::ExternalClient* selected_external(const Run& run, const Selection& selection);

}  // namespace wmq::gui
