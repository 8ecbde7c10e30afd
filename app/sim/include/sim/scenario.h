// Scenario: a restaurant, a timeline and the expectations a run must meet,
// read from a TOML file (scenarios/*.toml; every key is in docs/scenarios.md).
//
// Loading checks everything before anything runs: an unknown key (the
// nearest known key is suggested), a value out of range, an unknown dish,
// station, cook or cashier, a malformed file. Every error is one sentence
// starting with "file:line: " that says what to write instead.
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/clock.h"
#include "broker/status.h"
#include "sim/condition.h"
#include "sim/injection.h"
#include "sim/menu.h"

namespace wmq::sim {

enum class Mode : uint8_t {
  kBroker,  // cashiers publish to the order board; cooks consume from it
  kDirect,  // no broker: the cashier hands the order to a cook and waits for the food
};

// "broker" or "direct", as scenario files and reports spell it.
const char* mode_name(Mode mode);

// A sentence in both languages of the project. Either may be empty.
struct Text {
  std::string en;
  std::string id;
  bool empty() const { return en.empty() && id.empty(); }
  bool operator==(const Text&) const = default;
};

struct QueueSettings {
  bool durable = true;
  uint32_t max_length = 0;  // 0 = no limit; a full queue refuses new orders
  Micros ttl = 0;           // 0 = orders wait forever
  uint32_t delivery_limit = 0;
  bool operator==(const QueueSettings&) const = default;
};

struct StationSettings {
  std::string name;            // also the name of its queue and its routing key
  uint32_t cooks = 1;          // named <name>-1, <name>-2, ...
  uint32_t prefetch = 1;       // orders a cook may hold unacked (0 = no limit)
  std::vector<double> speeds;  // per cook; missing ones are 1.0
  QueueSettings queue;
};

// One [[event]] of the timeline: an injection, narration, or both.
//
// It fires at `at`, or, with a `when`, at the first moment from `at` (the
// file's `after`) that the condition holds, checked after every step of the
// scheduler; at `deadline` it fires anyway. Its action and narration follow
// it whenever it fires. A cook target "busiest" and the names {cook},
// {order} and {queue} in its narration are filled from what it picked then.
struct TimelineEvent {
  Micros at = 0;                    // when it fires; with `when`: the earliest it may
  std::optional<Condition> when;    // absent: fires at `at`
  Micros deadline = -1;             // with `when`: fires anyway then; -1 = waits to the end
  std::optional<Injection> action;  // absent: narration only
  Text say;                         // narration for this moment
  bool pause = false;               // the GUI pauses here
  uint32_t line = 0;                // where it is in the file
  // What the moment is about, for the GUI to point at while its narration is current:
  // "order:N", "cook:NAME", "cashier:NAME", "queue:NAME", "broker" or "shelf:NAME"
  // (dead-letters, expired, lost). Names are checked when the file is read; an order's
  // number is not (orders arrive as the run goes).
  std::vector<std::string> focus;
  // Set only on the fired copy Simulation::narration() returns: why it fired
  // at its deadline ("" = on time), e.g. "grill-1 never held at least 1 order".
  std::string late;
};

// One check of the end-of-run report.
struct Expectation {
  enum class Kind : uint8_t {
    kMin,              // figure >= value
    kMax,              // figure <= value
    kNoConfirmedLost,  // lost == 0
    kMaxWaiting,       // at most `value` orders waited longer than `over`
    kQueueMinPeak,     // queue's max depth >= value
    kQueueMaxPeak,     // queue's max depth <= value
    kQueueMaxFinal,    // queue's depth at the end <= value
    kEventsOnTime,     // every event that waits fired on its condition (not late, not pending)
  };
  Kind kind = Kind::kMin;
  std::string name;    // as written: "min_served", "queue.wok.min_peak"
  std::string figure;  // "served", "latency_p90" (kMin/kMax)
  std::string queue;   // kQueue*
  int64_t value = 0;   // count, or microseconds for latency figures
  Micros over = 0;     // kMaxWaiting
  uint32_t line = 0;
};

struct Scenario {
  // [scenario]
  std::string file;  // the path it was read from
  std::string name;
  Text title, about, watch, question, answer;
  uint64_t seed = 1;
  Micros duration = 30 * 60 * kSeconds;
  Mode mode = Mode::kBroker;
  Menu menu;
  std::vector<uint32_t> dishes;  // menu indices customers order from

  // [restaurant]
  uint32_t cashiers = 2;
  uint32_t old_cashiers = 0;  // the first N write plain-text notes (translation)
  uint32_t tables = 20;
  double rate = 2.0;  // customers per minute at the start
  TimeDist service = TimeDist::uniform(20 * kSeconds, 40 * kSeconds);
  Micros handoff = 5 * kSeconds;
  uint32_t max_qty = 3;
  Micros confirm_timeout = 5 * kSeconds;
  uint32_t max_unconfirmed = 1;  // orders a cashier may have out without a receipt
  Micros heartbeat = 5 * kSeconds;
  Micros suspect_after = 15 * kSeconds;
  Micros dead_after = 30 * kSeconds;
  Micros cook_restart = 30 * kSeconds;
  Micros cashier_restart = 20 * kSeconds;
  Micros broker_restart = 10 * kSeconds;
  Micros commit_window = 2 * kMillis;
  uint32_t pickup_prefetch = 1;
  bool announcements = false;

  // [queues] (defaults, already folded into each station), [pickup], [[station]]
  std::vector<StationSettings> stations;
  QueueSettings pickup;

  std::vector<TimelineEvent> timeline;  // in time order (file order among equals)
  std::vector<Expectation> expect;

  // The station called `name`, or -1.
  int station_index(const std::string& name) const;
  // The cook names at the start ("grill-1", ...), station by station.
  std::vector<std::string> cook_names() const;
  // "cashier-1", ...
  std::vector<std::string> cashier_names() const;
};

struct LoadOptions {
  // The menu used when the scenario names none; empty = the shipped
  // assets/menu.toml of this source tree.
  std::string default_menu;
};

// Reads and checks a scenario file. Errors: kIoError (unreadable file or
// menu), kInvalid ("file:line: sentence"). Nothing is half-loaded.
Result<Scenario> load_scenario(const std::string& path, const LoadOptions& options = {});
// The same from text; `file` names it in messages and anchors relative paths.
Result<Scenario> parse_scenario(const std::string& text, const std::string& file,
                                const LoadOptions& options = {});

// Every expectation key a scenario may use under [expect] (for docs and
// suggestions): "no_confirmed_lost", "min_served", "max_latency_p90", ...
std::vector<std::string> expectation_keys();

// The figures min_/max_ may bound, in report order. Three are read off the
// others, to say a lesson's point rather than a count: "unplaced" (customers
// whose order no cashier took), "board_peak" (the most orders that waited on
// one station's board at once), "board_final" (orders on the station boards
// at the end).
const std::vector<std::string>& figure_names();

// Whether figure `name` is a duration (latency_p50, ..., latency_max: written
// and bounded as "1m30s", held in microseconds) rather than a count.
bool is_duration_figure(std::string_view name);

}  // namespace wmq::sim
