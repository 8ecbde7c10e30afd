// Injection: one thing a teacher, a scenario file or a test does to the
// restaurant at a moment of virtual time (crash a cook, a lunch rush, ...).
//
// One type for all three, so a click in the GUI, a [[event]] in a scenario
// file and a call in a test are the same value. A run is fully determined by
// (scenario, seed, injections): the GUI's time travel replays that list.
//
// When an injection applies: at the END of its instant. Every restaurant
// event due at time `at` runs first, then the scenario's timeline events and
// the injections stamped `at`, in the order they were made. That rule is what
// lets a live click, the same click replayed from the list, and the same
// click saved into a scenario file all land at exactly the same point.
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "broker/clock.h"

namespace wmq::sim {

enum class InjectionKind : uint8_t {
  kCrashCook,      // target cook: its session dies now; unacked orders go back to the board
  kFreezeCook,     // target cook: stops heartbeating and cooking, still holds its orders
  kReviveCook,     // target cook: a crashed cook reconnects; a frozen one wakes up
  kAddCook,        // target station: one more cook (named <station>-<n>), `speed`
  kRemoveCook,     // target cook: leaves cleanly (its unacked orders go back)
  kCrashCashier,   // target cashier: its session dies; back after restart_after
  kReviveCashier,  // target cashier: back now
  kCrashBroker,    // the broker's memory is destroyed; restarts after restart_after
  kRestartBroker,  // a crashed broker restarts now
  kBadOrder,       // a customer with an invalid order (`problem`) joins `target`'s line
  kPoisonOrder,    // a customer whose order crashes every cook who takes it
  kSetRate,        // customers per minute from now on (`rate`)
  kSetQueue,       // target queue (a station or "pickup"): change its settings
  kSlowDisk,       // group commits wait `window` (0 = the scenario's own window)
  kAnnounce,       // `message` goes to every station through the fanout exchange
  kFillDisk,       // the broker's disk is full: commits fail, publishes are nacked
  kFreeDisk,       // the broker's disk has room again
};
constexpr int kInjectionKinds = static_cast<int>(InjectionKind::kFreeDisk) + 1;

// "crash_cook", "freeze_cook", ...: the names scenario files use.
const char* injection_kind_name(InjectionKind kind);
// The kind called `name`, or nullopt.
std::optional<InjectionKind> injection_kind_from_name(std::string_view name);

// What set_queue changes; an unset field keeps its value.
struct QueueChange {
  std::optional<bool> durable;
  std::optional<uint32_t> max_length;      // 0 = no limit
  std::optional<Micros> ttl;               // 0 = no limit
  std::optional<uint32_t> delivery_limit;  // 0 = no limit
  bool operator==(const QueueChange&) const = default;
};

// What is wrong with a bad order (bad_order's `problem`).
//   "qty"     quantity 0                      -> rejected by the validator
//   "dish"    a dish not on the menu          -> rejected by the validator
//   "table"   no table number                 -> rejected by the validator
//   "json"    a body that is not JSON         -> rejected by the validator
//   "note"    a plain-text note nobody can read -> rejected by the translator
//   "station" a real dish whose station has no queue here -> returned unroutable
// Every problem is known here; scenario files are checked against this list.
bool is_bad_order_problem(std::string_view problem);

struct Injection {
  InjectionKind kind = InjectionKind::kCrashCook;
  // The virtual time it applies (see the rule above). -1 = now: inject()
  // stamps it with the current time.
  Micros at = -1;
  // Who: a cook ("grill-1"), a cashier ("cashier-2"), a station (add_cook),
  // a queue (set_queue). Empty where the kind needs nobody; for bad_order and
  // poison_order, empty = the cashier with the shortest line.
  std::string target;
  // crash_cook, crash_cashier, crash_broker: back after this long; nullopt =
  // the scenario's default; 0 = stays down until revived or restarted.
  std::optional<Micros> restart_after;
  double rate = 0;      // set_rate: customers per minute, >= 0
  double speed = 1.0;   // add_cook: cooking speed (2.0 = twice as fast)
  Micros window = 0;    // slow_disk
  std::string problem;  // bad_order
  std::string dish;     // bad_order, poison_order: the dish; empty = drawn at random
  std::string message;  // announce
  QueueChange queue;    // set_queue

  bool operator==(const Injection&) const = default;
};

// One line a person reads: "crash_cook grill-1", "set_rate 6/min",
// "set_queue grill durable=false".
std::string describe(const Injection& injection);

// The injection as a scenario [[event]] table (TOML text, ending in a blank
// line). "Save as scenario" is the scenario file's own text followed by one
// of these per injections() entry: `warungmq run` replays it to the same
// report (a test checks that).
std::string injection_to_toml(const Injection& injection);

}  // namespace wmq::sim
