// Actions: every change a person can ask of the workbench, as a queued
// command. A view or a keyboard shortcut calls an Actions method while the
// frame is drawn; the shell applies the queue after the frame (see
// command_queue.h), so a whole frame is drawn from one state.
//
// Labels are stable and readable ("inject crash_cook grill-1", "seek 05:00")
// and end up in the --state-out report, where the GUI tests read them.
// Outcomes worth telling the person (a refused injection, a file saved or
// not) go to the `notify` callback once the command has run.
//
// Thread-safety: none; the GUI thread owns it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "broker/status.h"
#include "gui/model/command_queue.h"
#include "gui/model/workbench.h"
#include "sim/injection.h"

namespace wmq::gui {

// What became of a command worth a message.
struct Outcome {
  // "inject", "seek", "variant", "load", "save-scenario", "export-report", "live" (a step or a
  // speed change refused while live)
  std::string action;
  Status status;     // ok, or why it failed
  std::string path;  // the file written or read, when there is one
};

// Writes `text` to `path`, replacing it. kIoError naming the path when it cannot.
Status write_text_file(const std::string& path, std::string_view text);

// How long the lunch rush lasts and how much busier it is.
inline constexpr Micros kLunchRushLength = 5 * 60 * kSeconds;
inline constexpr double kLunchRushFactor = 4.0;
inline constexpr double kLunchRushMinRate = 6.0;  // customers per minute at least

class Actions {
 public:
  using Notify = std::function<void(const Outcome&)>;

  // The queue and the workbench must outlive the Actions. `notify` may be empty.
  Actions(CommandQueue& queue, Workbench& bench, Notify notify = {});

  // ---- The player ----
  void play();
  void pause();
  void toggle_play();
  void step();
  void set_speed(double speed);
  void faster();
  void slower();
  // Time travel: to virtual time `t`; back_by goes `d` earlier than now.
  void seek(Micros t);
  void back_by(Micros d);

  // ---- Failures (each an injection applied now) ----
  void inject(sim::Injection injection);
  void crash_cook(const std::string& cook);
  void freeze_cook(const std::string& cook);
  void revive_cook(const std::string& cook);
  void crash_cashier(const std::string& cashier);
  void revive_cashier(const std::string& cashier);
  void crash_broker();
  void restart_broker();
  // The broker's disk fills up (its commits fail) / has room again.
  void fill_disk();
  void free_disk();
  // A bad order with `problem` (see injection.h: "qty", "dish", "table", "json", "note").
  void bad_order(const std::string& problem);
  void poison_order();
  // kLunchRushFactor times the customers (at least kLunchRushMinRate a minute) for
  // kLunchRushLength, then the rate as it was: two injections, now and later.
  void lunch_rush();
  void set_queue(const std::string& queue, sim::QueueChange change);

  // ---- The rest ----
  void select(Selection selection);
  void set_variant(std::optional<Variant> variant);
  // Run B := the future the last fork left behind (see Workbench).
  void compare_previous_future();
  void load(const std::string& path);
  void save_scenario(const std::string& path);
  void export_report(const std::string& path);

 private:
  void push(std::string label, std::function<void()> apply);
  // True, after telling the person why, when the workbench is live and `what` cannot be done.
  bool refused_live(const std::string& what);
  void tell(std::string action, Status status, std::string path = {});

  CommandQueue& queue_;
  Workbench& bench_;
  Notify notify_;
};

// Builds an injection of `kind` aimed at `target`, applied now.
sim::Injection injection_now(sim::InjectionKind kind, std::string target = {});

}  // namespace wmq::gui
