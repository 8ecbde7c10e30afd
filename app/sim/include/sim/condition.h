// Condition: the state of the warung a scenario event waits for (its
// `when`), and the cook, order or queue it picked when it held.
//
// A lesson's point must show on every day of the warung (every seed): "grill-1
// faints while holding an order" cannot be an event at a fixed 1m40s, because
// on another day grill-1 holds nothing then. So an event may wait, from its
// `after` time, until a condition holds (checked after every step of the
// scheduler, so it fires at the first moment it is true), or until its
// `deadline`, when it fires anyway and the report says why it was late.
//
// The three shapes, as scenario files write them (docs/scenarios.md):
//   when = { cook = "grill-1", holds_at_least = 1 }     cook name or "busiest"
//   when = { queue = "wok", waiting_at_least = 5 }      a station, "pickup", "dead-letters",
//                                                       or "busiest" (station boards);
//   when = { queue = "busiest", waiting_at_most = 0 }   every board is empty
//   when = { order = 1, state = "unacked" }             order number or "oldest-unacked"
//   when = { order = "poison", delivered_at_least = 2 } "poison", "any", or a number; with
//   when = { order = "any", state = "expired" }          a state, a delivery count or both
//   when = { queue = "drinks", refused_at_least = 1 }   the full board turned orders away
//
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/restaurant.h"

namespace wmq::sim {

// The cook target that picks by state: the cook holding the most orders
// (first in cook order among equals; only cooks at work, neither crashed
// nor gone). As a `when` queue: the station board with the most orders
// waiting (first in station order among equals).
inline constexpr const char* kBusiestCook = "busiest";
// The order target that picks by state: the lowest-numbered order in a
// cook's hands, not yet acknowledged.
inline constexpr const char* kOldestUnacked = "oldest-unacked";
// The order targets a `when` may name besides a number: the lowest-numbered
// order that is in the state (and has the deliveries) it waits for; the
// poison order (the first one poison_order made).
inline constexpr const char* kAnyOrder = "any";
inline constexpr const char* kPoisonOrder = "poison";

struct Condition {
  enum class Kind : uint8_t {
    kCookHolds,     // `cook` holds at least `at_least` orders
    kQueueWaiting,  // at least (`at_most`: at most) `at_least` orders wait on `queue`
    kOrderState,    // order `order` (see `which`) is in `state` / was delivered `at_least` times
    kQueueRefused,  // `queue` refused at least `at_least` orders at the door (full: max_length)
  };
  // kOrderState: which order it watches.
  enum class Which : uint8_t {
    kNumber,         // order number `order`
    kOldestUnacked,  // the lowest-numbered order in a cook's hands
    kAny,            // the lowest-numbered order in `state` with `at_least` deliveries
    kPoison,         // the first poison order
  };
  Kind kind = Kind::kCookHolds;
  std::string cook;    // kCookHolds: a cook's name or kBusiestCook
  std::string queue;   // kQueueWaiting: a queue's name or kBusiestCook
  uint32_t order = 0;  // kOrderState with kNumber; 0 for the others
  Which which = Which::kNumber;
  bool has_state = true;  // kOrderState: false = any state (it waits for deliveries only)
  OrderStatus state = OrderStatus::kCooking;
  // kCookHolds, kQueueWaiting, kQueueRefused: the count; kOrderState: the
  // deliveries it waits for (0 = any number).
  uint32_t at_least = 1;
  bool at_most = false;  // kQueueWaiting: `at_least` is an upper bound (the board drained)
  bool operator==(const Condition&) const = default;
};

// The order states a condition may name, as files write them: the
// order_status_name() of each, and "unacked" for "cooking" (in a cook's
// hands, not yet acknowledged: the word the lessons teach).
const std::vector<std::string>& condition_state_names();
// The state called `name` (one of condition_state_names()); false if none.
bool condition_state_from_name(const std::string& name, OrderStatus& out);

// What the condition waits for, in a sentence's middle: "grill-1 holds at
// least 1 order", "order 1 is unacked", "5 orders wait on wok".
std::string describe(const Condition& condition);

// What the scheduler shows a condition. References into the simulation,
// valid for the call.
struct WarungState {
  const std::vector<Cook>& cooks;
  const std::vector<Order>& orders;
  const std::vector<QueueStats>& queues;
};

// Who a condition (or a "busiest" target) picked: filled into the event's
// narration as {cook}, {order} and {queue}. Empty / 0 when nobody.
struct Pick {
  bool holds = false;
  std::string cook;
  uint32_t order = 0;
  std::string queue;
};

// Whether `condition` holds in `state`, and whom it picked: the cook and the
// first order in its hands; the order and the cook holding it; the queue.
Pick evaluate(const Condition& condition, const WarungState& state);

// The cook kBusiestCook names in `state`, or null when no cook is at work.
const Cook* busiest_cook(const std::vector<Cook>& cooks);

// `text` with {cook}, {order} and {queue} replaced by what `pick` holds
// ("-" for a name nothing picked: an event that fired at its deadline).
std::string fill_names(const std::string& text, const Pick& pick);

}  // namespace wmq::sim
