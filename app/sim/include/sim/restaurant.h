// The restaurant's state as views read it: customers, cashiers, cooks,
// orders with their history, the queues' depths, the running counters.
//
// The Simulation (simulation.h) owns all of these and hands out const
// references; nothing here is changed by a view. Indices are stable: a cook
// or cashier keeps its index for the whole run (a removed cook stays in the
// list with state kRemoved), and order N is orders()[N - 1].
//
// Thread-safety: read on the thread that drives the Simulation.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "broker/clock.h"
#include "broker/message.h"
#include "broker/session.h"

namespace wmq::sim {

// Announcements reach each station through its own queue, "news.<station>" (order_ledger.cpp).
std::string news_queue(std::string_view station);
bool is_news_queue(std::string_view queue);

enum class CustomerState : uint8_t {
  kInLine,       // waiting in a cashier's line
  kOrdering,     // at the counter, the cashier is taking the order
  kWaitingFood,  // ordered; waiting at a table
  kServed,       // got the food
  kLeft,         // left without food (order rejected, lost, dead-lettered or expired)
};

// What a special customer orders (injections bad_order and poison_order).
enum class Special : uint8_t { kNone, kBad, kPoison };

struct Customer {
  uint32_t id = 0;  // from 1
  Micros arrived = 0;
  uint32_t cashier = 0;  // whose line
  uint32_t order = 0;    // 0 until the cashier has taken it
  CustomerState state = CustomerState::kInLine;
  Special special = Special::kNone;
  uint16_t dish = 0;  // menu index (bad orders may override the name)
  uint8_t qty = 1;
  uint16_t table = 1;
  Micros service = 0;         // how long taking this order takes
  Micros cook_time = 0;       // cooking time at speed 1.0 (drawn on arrival, so variants agree)
  std::string problem;        // kBad: what is wrong with it
  std::string dish_override;  // kBad/kPoison with an explicit dish
};

// "in_line", "ordering", ...: stable lower-case names for traces, logs and the GUI.
const char* customer_state_name(CustomerState state);

enum class CashierState : uint8_t {
  kIdle,            // nothing to do
  kTaking,          // taking a customer's order (service time)
  kWaitingConfirm,  // has max_unconfirmed orders without a receipt; waits for one
  kWaitingBroker,   // the same while the broker is down; publishes them again on reconnect
  kHanding,         // handing food from the pickup counter to a customer
  kWaitingCook,     // direct mode: waiting for a free cook at the station
  kWaitingFood,     // direct mode: waiting while the cook cooks
  kCrashed,         // down; back after cashier_restart or revive_cashier
};

// "idle", "taking", ...: stable lower-case names for traces, logs and the GUI.
const char* cashier_state_name(CashierState state);

// A food-ready message a cashier holds (pickup delivery, unacked).
struct FoodTicket {
  uint32_t order = 0;
  MessageId message = 0;
  DeliveryTag tag = 0;
};

struct Cashier {
  uint32_t index = 0;
  std::string name;  // "cashier-1"
  bool old = false;  // writes plain-text notes (text/x-order-note)
  CashierState state = CashierState::kIdle;
  SessionId session = 0;      // 0 while disconnected
  std::deque<uint32_t> line;  // customer ids, front = next
  uint32_t customer = 0;      // at the counter (kTaking) or being handed food
  // Broker mode: orders placed but without a receipt yet, oldest first (at
  // most max_unconfirmed; with 1, the customer waits for the receipt).
  std::deque<uint32_t> pending;
  uint32_t order = 0;           // direct mode: the order it walked to a cook and waits for
  uint32_t handing = 0;         // order whose food it is handing (kHanding)
  std::deque<FoodTicket> food;  // pickup deliveries held, front = next to hand
  uint32_t receipts = 0;        // confirms received
  uint32_t last_receipt = 0;    // order number of the last confirm
  uint32_t crashes = 0;
  Micros busy_until = 0;  // end of the current service or handoff
  uint64_t gen = 0;       // bumped to cancel its scheduled events
  // Publishes awaiting a confirm: (seq, order), oldest first.
  std::deque<std::pair<PublishSeq, uint32_t>> unconfirmed;
};

enum class CookState : uint8_t {
  kIdle,     // connected, nothing to cook
  kCooking,  // cooking held.front() until cooking_until
  kFrozen,   // not heartbeating, not cooking; still holds its orders
  kCrashed,  // its session died; back after cook_restart or revive_cook
  kOffline,  // the broker is down; reconnects when it is back
  kRemoved,  // left the kitchen
};

// "idle", "cooking", "frozen", ...: stable lower-case names for traces, logs and the GUI.
const char* cook_state_name(CookState state);

// An order in a cook's hands: delivered, not yet acked.
struct Ticket {
  uint32_t order = 0;
  MessageId message = 0;
  DeliveryTag tag = 0;
  uint32_t delivery_count = 0;
  bool redelivered = false;
};

struct Cook {
  uint32_t index = 0;
  std::string name;  // "grill-1"
  uint32_t station = 0;
  double speed = 1.0;
  uint32_t prefetch = 1;
  CookState state = CookState::kIdle;
  SessionId session = 0;        // 0 while disconnected
  bool session_dead = false;    // the broker declared its session dead (it may not know yet)
  std::deque<Ticket> held;      // prefetch window; front is on the stove when cooking
  bool on_stove = false;        // held.front() (or direct_order) is being cooked
  Micros cooking_until = 0;     // kCooking
  Micros cooking_left = 0;      // kFrozen with a dish on the stove
  Micros restart_at = -1;       // kCrashed: when it comes back (-1 = only by revive)
  uint32_t direct_order = 0;    // direct mode: the order in hand
  uint32_t direct_cashier = 0;  // direct mode: who waits for it
  uint32_t cooked = 0;
  uint32_t crashes = 0;
  uint64_t gen = 0;     // cancels its cooking/restart events
  uint64_t hb_gen = 0;  // cancels its heartbeat chain
};

// Where an order is now, for colour and the inspector.
enum class OrderStatus : uint8_t {
  kPlacing,   // published (or waiting to be), no confirm yet
  kOnBoard,   // confirmed, waiting in its station's queue
  kCooking,   // in a cook's hands
  kAtPickup,  // food ready, waiting for a cashier
  kServed,
  kRejected,
  kDeadLettered,
  kExpired,
  kLost,
};

// "placing", "on_board", ...: stable lower-case names for traces, logs and the GUI.
const char* order_status_name(OrderStatus status);

// An order as the cashier wrote it: a bad order keeps its mistake (qty 0, no table, a dish not on
// the menu) so the inspector can show what the broker refused.
struct Order {
  uint32_t number = 0;
  uint32_t customer = 0;
  uint32_t cashier = 0;
  uint16_t dish = 0;         // menu index (meaningless when dish_written is set)
  std::string dish_written;  // a dish not on the menu, as written (bad orders); else empty
  uint8_t qty = 1;           // 0 for a bad order with zero portions
  uint16_t table = 1;        // 0 when the cashier wrote none
  Special special = Special::kNone;
  Micros placed_at = 0;
  Micros confirmed_at = -1;  // first confirm (broker) or hand-over to a cook (direct)
  Micros served_at = -1;
  OrderStatus status = OrderStatus::kPlacing;
  uint16_t attempts = 0;  // publishes
  uint16_t copies = 0;    // order messages in the broker now (ready or unacked)
  uint16_t food = 0;      // food-ready messages in the broker now
  uint16_t deliveries = 0;
  uint16_t cooked = 0;  // times cooked to the end (a second time is a duplicate)
  uint16_t served = 0;  // times food was handed over
  bool confirmed = false;
  bool rejected = false;
  bool unroutable =
      false;  // rejected at routing: no queue takes its station (returned, not invalid)
  bool dead_lettered = false;
  bool expired = false;
  bool lost_in_hand = false;  // direct mode: the cook who held it crashed
  bool with_cashier = false;  // a cashier still holds it: no receipt yet
  std::string reason;         // why it was rejected / dead-lettered
};

// One step of an order's life, for the inspector (kept when
// SimOptions::history is on).
enum class StepKind : uint8_t {
  kPlaced,      // the cashier took the order
  kPublished,   // message `message`, attempt `count`
  kTranslated,  // note -> JSON
  kValidated,
  kRouted,  // `count` queues
  kUnroutable,
  kRejected,        // reason in Order::reason
  kEnqueued,        // on the board (queue `queue`)
  kConfirmed,       // the cashier has the receipt; persisted when `flag`
  kConfirmTimeout,  // no confirm in time: published again
  kDelivered,       // to cook `who`, delivery count `count`, redelivered `flag`
  kCookStarted,     // cook `who`
  kCookCrashed,     // cook `who` crashed holding it
  kRequeued,        // back on the board, count `count`
  kAcked,           // by cook `who`
  kLateAckRefused,  // cook `who` woke up too late
  kFoodReady,       // cook `who` published food-ready
  kAtPickup,        // food-ready message enqueued in `pickup`
  kExpired,
  kDeadLettered,  // reason in Order::reason
  kRecovered,     // came back from disk after a broker crash
  kVanished,      // gone with the broker's memory (transient queue)
  kServed,        // cashier `who`
  kLost,          // direct mode: gone with a crashed cook
  kNotSaved,      // the broker could not write it (full disk): nacked, sent again later
};

// "placed", "published", ...: stable lower-case names for traces, logs and the GUI.
const char* step_kind_name(StepKind kind);

// Whether a step is one where the order came to harm (refused, dropped, held by a cook who
// crashed, sent back, gone): the inspector shows these in red. A retry the order survives
// unharmed (confirm timeout, late ack) is not.
constexpr bool is_trouble(StepKind kind) {
  switch (kind) {
    case StepKind::kRejected:
    case StepKind::kCookCrashed:
    case StepKind::kRequeued:
    case StepKind::kExpired:
    case StepKind::kDeadLettered:
    case StepKind::kVanished:
    case StepKind::kLost:
    case StepKind::kNotSaved:
      return true;
    default:
      return false;
  }
}

struct OrderStep {
  Micros at = 0;
  StepKind kind = StepKind::kPlaced;
  bool flag = false;
  uint8_t queue = 0;  // index into Simulation::queues() when it names a queue
  uint32_t who = 0;   // cook or cashier index, as the kind says
  uint32_t count = 0;
  MessageId message = 0;
  bool external = false;  // `who` indexes Simulation::external_clients(), not cooks()
};

// A STOMP program on the scene (Simulation::listen): a cook when it
// subscribes to a station's queue, a cashier when it sends to the `orders`
// exchange (one program doing both appears twice, once per role). The
// simulator only watches it through the broker's events: it never drives it.
enum class ExternalRole : uint8_t { kCook, kCashier };

// "cook", "cashier": stable lower-case names for traces, logs and the GUI.
const char* external_role_name(ExternalRole role);

enum class ExternalState : uint8_t {
  kConnected,  // its broker session is alive
  kGone,       // disconnected, crashed or declared dead; what it held went back to the board
};

// "connected", "gone": stable lower-case names for traces, logs and the GUI.
const char* external_state_name(ExternalState state);

struct ExternalClient {
  uint32_t index = 0;
  // Its STOMP login, else its client-id, else its address ("127.0.0.1:40312");
  // "client <session>" if it left before its name could be read.
  std::string name;
  ExternalRole role = ExternalRole::kCook;
  ExternalState state = ExternalState::kConnected;
  SessionId session = 0;
  int32_t station = -1;     // kCook: the station whose queue it took from first
  Micros connected_at = 0;  // when it took on this role
  Micros left_at = -1;      // kGone: when
  std::deque<Ticket> held;  // kCook: delivered, not yet acked (Ticket::order 0: not ours)
  uint32_t delivered = 0;   // kCook: orders handed to it
  uint32_t cooked = 0;      // kCook: acks (each one counts as cooked)
  uint32_t returned = 0;    // kCook: orders it held when it left or nacked (back on the board)
  uint32_t sent = 0;        // kCashier: publishes to `orders`
  uint32_t rejected = 0;    // kCashier: publishes the broker refused
};

// A queue as the report and the charts see it.
struct QueueStats {
  std::string name;
  bool durable = false;
  bool station = false;  // a station's order queue (vs pickup, dead-letters)
  uint64_t depth = 0;    // ready messages now (orders on the board)
  uint64_t max_depth = 0;
  uint64_t refused = 0;  // orders it refused at the door, full (max_length)
};

// The running totals behind the report.
struct Counters {
  uint64_t customers = 0;
  uint64_t placed = 0;
  uint64_t confirmed = 0;
  uint64_t rejected = 0;
  uint64_t delivered = 0;
  uint64_t redelivered = 0;
  uint64_t cooked = 0;
  uint64_t served = 0;
  uint64_t duplicates = 0;  // extra cookings of an order already cooked
  uint64_t late_acks = 0;   // acks refused because the cook's session had died
  uint64_t publishes = 0;   // order publishes, retries included
  uint64_t retries = 0;
  uint64_t crashes = 0;     // broker crashes
  uint64_t recoveries = 0;  // broker restarts from its file
  uint64_t recovered_messages = 0;
  uint64_t group_commits = 0;
  uint64_t cook_crashes = 0;
  uint64_t announcements = 0;  // announcement deliveries to stations
  // STOMP programs on the scene (zero unless listening). Their deliveries and
  // acks are in `delivered` and `cooked` too.
  uint64_t external_delivered = 0;
  uint64_t external_cooked = 0;
  uint64_t external_returned = 0;  // held by an external cook that left or nacked
  uint64_t external_sent = 0;      // publishes to `orders` by external cashiers
  uint64_t external_rejected = 0;
};

}  // namespace wmq::sim
