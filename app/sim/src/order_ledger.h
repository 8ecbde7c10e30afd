// OrderLedger: the bookkeeping that turns the broker's events into each
// order's life. Private to app/sim/src.
//
// It owns what the broker's events are read against: which message is which
// order (the map is per broker: a restart begins a new one), each queue's
// depth and peak as the restaurant sees them, and every order's steps (the
// inspector's history). The orders and the counters it updates belong to the
// Simulation; the ledger holds references to them and never outlives it.
//
// Thread-safety: none; the Simulation's thread calls it.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/clock.h"
#include "broker/events.h"
#include "sim/restaurant.h"

namespace wmq::sim {

// The restaurant's broker topology (Simulation::Impl::start_broker declares it).
inline constexpr const char* kOrdersExchange = "orders";
inline constexpr const char* kDeadLetterExchange = "dlx";
inline constexpr const char* kDeadLetterQueue = "dead-letters";
inline constexpr const char* kPickupQueue = "pickup";
inline constexpr const char* kAnnounceExchange = "announcements";

// What a step says beyond its order, kind and time (OrderStep's other fields).
struct StepFacts {
  uint32_t who = 0;  // cook or cashier index; an external client's with `external`
  uint32_t count = 0;
  MessageId message = 0;
  bool flag = false;  // what OrderStep::flag means for the kind (redelivered, persisted)
  int queue = -1;     // index into queues(); -1: the step names none
  bool external = false;
};

class OrderLedger {
 public:
  // `orders` and `counters` are the Simulation's; `keep_history` is
  // SimOptions::history. All three outlive the ledger.
  OrderLedger(std::vector<Order>& orders, Counters& counters, const ManualClock& clock,
              bool keep_history);

  // ---- Messages ---------------------------------------------------------
  // The order a message of this broker carries (0: none), and whether it is
  // the food-ready message rather than the order itself.
  uint32_t order_of(MessageId id) const { return tagged(id) & ~kFoodBit; }
  bool is_food(MessageId id) const { return (tagged(id) & kFoodBit) != 0; }
  // The order being published by the next broker call: its kPublished event
  // maps the new message to it. `food`: the food-ready message.
  void begin_publish(uint32_t order, bool food) { publishing_ = order | (food ? kFoodBit : 0); }
  void end_publish() { publishing_ = 0; }
  // A new broker: message ids start again and queue names live in new
  // storage. Orders keep their history.
  void new_broker();

  // ---- Queues -----------------------------------------------------------
  void add_queue(QueueStats q) { queues_.push_back(std::move(q)); }
  const std::vector<QueueStats>& queues() const { return queues_; }
  std::vector<QueueStats>& queues() { return queues_; }
  // The index of the queue called `name` in queues(), -1 for one the
  // restaurant does not count (news.*). `name` is a broker's own string: its
  // address is cached until new_broker().
  int queue_index(std::string_view name);
  // The broker is gone: nothing waits in any queue.
  void empty_queues();

  // ---- History ----------------------------------------------------------
  // A new order was placed (numbers count up from 1).
  void add_order();
  // Appends a step, stamped now, to order `n`'s history (nothing for n 0 or
  // when history is off).
  void record(uint32_t n, StepKind kind, const StepFacts& facts = {});
  const std::vector<OrderStep>& steps(uint32_t n) const;

  // ---- Broker events ----------------------------------------------------
  // What one event was about, for the parts of the scene that read it next.
  struct Seen {
    uint32_t order = 0;  // 0: no order of ours
    bool food = false;   // the food-ready message, not the order
    bool station = false;
    int queue = -1;  // index into queues(), -1: none
  };
  // Updates the orders, queue figures, counters and history for `e`.
  Seen on_broker_event(const Event& e);
  // Messages the current broker recovered from its store.
  uint32_t recovered() const { return recovered_; }

 private:
  // Message values mark food-ready messages with this bit.
  static constexpr uint32_t kFoodBit = 0x80000000u;

  uint32_t tagged(MessageId id) const { return id < msg_order_.size() ? msg_order_[id] : 0; }
  void map_message(MessageId id, uint32_t value);

  std::vector<Order>& orders_;
  Counters& counters_;
  const ManualClock& clock_;
  bool keep_history_;
  std::vector<uint32_t> msg_order_;  // message id -> order number (| kFoodBit), this broker
  uint32_t publishing_ = 0;          // the order being published right now (| kFoodBit)
  uint32_t recovered_ = 0;
  std::vector<QueueStats> queues_;
  std::vector<std::pair<const char*, int>> qcache_;  // broker queue name storage -> index
  std::vector<std::vector<OrderStep>> steps_of_;
};

}  // namespace wmq::sim
