// Workbench: everything the GUI shows that is not pixels — the scenario, the
// run (and the B run of the split view), the player, the timeline with its
// forks, the teacher's injections and the selection. Views read it through
// const accessors; Actions (actions.h) queue the calls that change it, and
// the shell applies them after the frame.
//
// Time travel. A run is determined by (scenario, seed, injections), so the
// workbench records every injection with the virtual time it was made at.
// Going back to t makes fresh runs from the same three and advances them to
// t; the recorded injections stay scheduled, so playing on replays the same
// future. The horizon is the latest moment this timeline has reached: an
// injection made before it forks a new future — the injections made after
// that moment are dropped, the fork is marked on the timeline, and the
// horizon starts again from there.
//
// A/B. With a variant set, run B is the same scenario with the variant
// applied, on the same seed, given the same injections (one it cannot take,
// e.g. a cook it does not have, is skipped for B and marked so) and advanced
// in lockstep to A's time.
//
// Live. After listen(), run A's broker is open to STOMP clients too, and
// what they do is not in the record: the run cannot be replayed. So its
// clock follows the wall clock at 1x (tick() lets the clients in every
// frame, also while paused), and everything that would replay it, replace it
// or move its clock is refused with live_refusal(): going back or forward on
// the timeline, a step, another speed, the split view, opening another
// scenario. Play, pause and the failure buttons still work: a click is
// applied now, as always.
//
// Thread-safety: none; the GUI thread owns it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/status.h"
#include "gui/model/player.h"
#include "gui/model/run.h"
#include "gui/model/selection.h"
#include "gui/model/variant.h"
#include "sim/scenario.h"
#include "sim/simulation.h"

namespace wmq::gui {

// One injection as the teacher made it.
struct Recorded {
  sim::Injection injection;  // `at` always set: when it applies
  Micros made_at = 0;        // the virtual time of the click (<= injection.at)
  bool on_b = true;          // run B took it too
};

class Workbench {
 public:
  explicit Workbench(RunOptions run_options = {}) : run_options_(run_options) {}

  // ---- Loading ---------------------------------------------------------------

  // Reads a scenario file and starts it at 0, paused. `seed` overrides the file's. The variant
  // is kept (one the new scenario cannot take is dropped); the selection and everything
  // recorded are forgotten. Errors: live_refusal when live (the clients are in this run); those
  // of load_scenario and Run::create; on error nothing changes.
  Status load(const std::string& path, std::optional<uint64_t> seed = std::nullopt);
  // The same from a scenario already in memory; `source` is the file's text (for save as).
  Status load(sim::Scenario scenario, std::string source, std::optional<uint64_t> seed);
  bool loaded() const { return a_ != nullptr; }

  // ---- Reading ---------------------------------------------------------------

  const Run& a() const { return *a_; }
  // Run B, or null when no variant is set.
  const Run* b() const { return b_.get(); }
  // The variant of run B, or null (no B, or B replays the previous future).
  const Variant* variant() const { return variant_ ? &*variant_ : nullptr; }
  // What run B is.
  enum class BKind : uint8_t { kNone, kVariant, kPreviousFuture };
  BKind b_kind() const;
  // Where the last fork left a future behind (-1: no fork yet); B can replay it.
  Micros previous_fork() const { return previous_fork_; }
  // The scenario as loaded (run A's).
  const sim::Scenario& scenario() const { return a_->scenario(); }
  const std::string& source_text() const { return source_; }
  uint64_t seed() const { return seed_; }
  const Player& player() const { return player_; }
  Micros now() const { return a_->sim().now(); }
  // The latest moment this timeline has reached.
  Micros horizon() const { return horizon_; }
  // The right end of the timeline slider: the scenario's duration or the horizon if later.
  Micros end() const;
  // Where the timeline forked, oldest first.
  const std::vector<Micros>& forks() const { return forks_; }
  const std::vector<Recorded>& recorded() const { return recorded_; }
  const Selection& selection() const { return selection_; }
  // True while paused at a scenario pause point (cleared by play).
  bool at_pause_point() const { return at_pause_point_; }
  // True once the scenario's duration was reached while playing.
  bool reached_end() const { return reached_end_; }
  // True once listen() succeeded: the run is live (see the top of this file).
  bool live() const { return live_; }
  // The address and port STOMP clients connect to; "" and 0 when not live.
  const std::string& listen_bind() const { return listen_bind_; }
  uint16_t listen_port() const;
  // How many STOMP programs are connected to run A now (those gone not counted).
  size_t connected_clients() const;
  // Ok when not live; when live, kInvalid saying that `what` ("going back in time") cannot be
  // done while STOMP clients can connect, and why.
  Status live_refusal(const std::string& what) const;
  // Bumped whenever the runs are replaced (load, going back, a fork, a variant): views drop
  // what they cached about the old runs (animation, filtered log).
  uint64_t epoch() const { return epoch_; }

  // ---- Commands (applied by Actions after the frame) ---------------------------

  void play();
  void pause() { player_.pause(); }
  void toggle_play();
  // Speed changes; ignored while live (the speed stays 1x: see live_refusal).
  void set_speed(double speed);
  void faster();
  void slower();
  // Pauses and runs one event of A (B follows to A's time). False when nothing is left, and
  // when live (nothing happens then: see live_refusal).
  bool step();
  // Applies `injection` now (its `at` is ignored unless later than now: a delayed effect),
  // forking the timeline when now is before the horizon. Errors: those of Simulation::inject
  // for run A (nothing recorded, the timeline unchanged).
  Status inject(sim::Injection injection);
  // Pauses and moves both runs to `t` (clamped to [0, end()]): forward by running on, back by
  // replaying. Errors: live_refusal when live (nothing moves); otherwise only when a replay
  // cannot be made (not expected: the same inputs made the runs before).
  Status seek(Micros t);
  // Pauses and runs both runs on to `t`, which must not be before now: like seek() forward, but
  // past end() too, as playing on after the scenario's end goes there (a link to such a moment),
  // and the end counts as reached once passed. Errors: live_refusal when live.
  Status run_on_to(Micros t);
  // Sets (or, with nullopt, clears) the variant of run B, made and advanced to now. Errors:
  // live_refusal when live, those of apply_variant and Run::create; nothing changes then.
  Status set_variant(std::optional<Variant> variant);
  // Makes run B the future the last fork left behind: the same scenario with that timeline's
  // clicks, advanced to now, so the class sees the old future beside the new one. Clicks made
  // from now on go to A only. Errors: live_refusal when live; kNotFound when no fork has
  // happened yet; those of Run::create.
  Status compare_with_previous_future();
  void select(Selection selection) { selection_ = std::move(selection); }

  // Called once a frame after the commands: advances both runs by the player's share of
  // `real_seconds`, pausing at a scenario pause point and once at the scenario's end. Live, the
  // share is all of `real_seconds` (1x, no cap on a slow frame: the clock catches up with the
  // wall), and the STOMP clients are let in even while paused.
  void tick(double real_seconds);

  // ---- Live ------------------------------------------------------------------

  // Opens run A's broker to STOMP clients (Simulation::listen) and makes the workbench live at
  // 1x. Call after load(), before playing. Errors, nothing changed: kInvalid when the split view
  // is on (STOMP clients can join one run only) or already live; those of Simulation::listen
  // (direct mode: kInvalid; the address: kIoError).
  Status listen(const sim::ListenOptions& options);

  // ---- Files -----------------------------------------------------------------

  // The scenario file that replays this session (see scenario_writer.h): the injections made,
  // in order, on this timeline.
  Result<std::string> scenario_text() const;
  // The Markdown report of run A so far.
  std::string report_markdown() const;
  // The injections of the current timeline, in the order made.
  std::vector<sim::Injection> injections() const;

 private:
  // Runs and the injections they were made from: what a replay or a fork replaces.
  struct Timeline {
    std::unique_ptr<Run> a, b;
    std::vector<Recorded> recorded;
  };
  // Fresh runs from the recorded injections made at or before `made_by`, advanced to `t`;
  // nothing of the workbench changes.
  Result<Timeline> build(Micros t, Micros made_by) const;
  // Replaces the runs and the record with `timeline`'s.
  void commit(Timeline timeline);
  Result<std::unique_ptr<Run>> make_b(const Variant& variant, Micros t,
                                      std::vector<Recorded>& recorded) const;
  void follow_with_b();
  // tick() of a live workbench: A only (there is no B), by the whole frame, clients let in.
  void tick_live(double real_seconds);
  void touch_horizon();

  RunOptions run_options_;
  std::unique_ptr<Run> a_;
  std::unique_ptr<Run> b_;
  std::optional<Variant> variant_;
  // B replays these clicks instead of A's (the previous future), when set.
  std::optional<std::vector<sim::Injection>> b_clicks_;
  std::vector<sim::Injection> previous_future_;  // the clicks of the timeline the last fork left
  Micros previous_fork_ = -1;
  std::string source_;  // the scenario file's text
  uint64_t seed_ = 1;
  Player player_;
  Micros horizon_ = 0;
  std::vector<Micros> forks_;
  std::vector<Recorded> recorded_;  // this timeline's injections, in the order made
  Selection selection_;
  bool at_pause_point_ = false;
  bool reached_end_ = false;
  uint64_t epoch_ = 0;
  bool live_ = false;        // listen() succeeded: run A is open to STOMP clients
  std::string listen_bind_;  // the address it listens on (live)
};

}  // namespace wmq::gui
