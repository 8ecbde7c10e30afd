#include "direct_kitchen.h"

#include "sim/order_format.h"
#include "simulation_impl.h"

namespace wmq::sim {

void DirectKitchen::deliver(Cashier& c) {
  Order& o = sim_.orders_[c.order - 1];
  sim_.build_order_message(c, o);
  Message m = sim_.scratch_;
  if (m.content_type == kOrderNote) {
    Result<std::string> body = sim_.translator_.fn(m);
    if (!body.is_ok()) {
      sim_.reject_order(c, o, body.status().message());
      c.order = 0;
      sim_.cashier_next(c);
      return;
    }
    m.body = std::move(body).value();
  }
  if (Status st = sim_.validator_(m); !st.is_ok()) {
    sim_.reject_order(c, o, st.message());
    c.order = 0;
    sim_.cashier_next(c);
    return;
  }
  const int s = sim_.sc_.station_index(sim_.menu_->dishes[o.dish].station);
  if (s < 0) {
    sim_.reject_order(c, o,
                      "order " + std::to_string(o.number) +
                          " returned: no cook works at station \"" +
                          sim_.menu_->dishes[o.dish].station + "\"");
    c.order = 0;
    sim_.cashier_next(c);
    return;
  }
  for (Cook& k : sim_.cooks_) {
    if (k.station == static_cast<uint32_t>(s) && k.state == CookState::kIdle &&
        k.direct_order == 0) {
      hand(k, c);
      return;
    }
  }
  c.state = CashierState::kWaitingCook;
  waiting_[static_cast<size_t>(s)].push_back(c.index);
  if (!sim_.observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kWaitingForCook, sim_.now());
    e.order = o.number;
    e.cashier = static_cast<int32_t>(c.index);
    sim_.emit(e);
  }
}

void DirectKitchen::hand(Cook& k, Cashier& c) {
  Order& o = sim_.orders_[c.order - 1];
  k.direct_order = o.number;
  k.direct_cashier = c.index;
  o.with_cashier = false;
  if (!o.confirmed) {
    o.confirmed = true;
    o.confirmed_at = sim_.now();
    ++sim_.counters_.confirmed;
  }
  ++o.deliveries;
  ++sim_.counters_.delivered;
  o.status = OrderStatus::kCooking;
  c.state = CashierState::kWaitingFood;
  sim_.ledger_.record(o.number, StepKind::kDelivered, {.who = k.index, .count = 1});
  if (!sim_.observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kReceipt, sim_.now());
    e.order = o.number;
    e.cashier = static_cast<int32_t>(c.index);
    e.cook = static_cast<int32_t>(k.index);
    sim_.emit(e);
  }
  if (o.special == Special::kPoison) {
    sim_.crash_cook(k, "a poison order made the cook ill", std::nullopt);
    return;
  }
  k.state = CookState::kCooking;
  k.on_stove = true;
  k.cooking_until = sim_.now() + sim_.cook_time(k, o.number);
  sim_.sched_.push(k.cooking_until, kCookDone, k.index, ++k.gen);
  sim_.ledger_.record(o.number, StepKind::kCookStarted, {.who = k.index, .count = 1});
  if (!sim_.observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kCookStarted, sim_.now());
    e.order = o.number;
    e.cook = static_cast<int32_t>(k.index);
    sim_.emit(e);
  }
}

void DirectKitchen::cook_done(Cook& k) {
  const uint32_t n = k.direct_order;
  k.direct_order = 0;
  k.on_stove = false;
  sim_.count_cooked(k, n);
  Cashier& c = sim_.cashiers_[k.direct_cashier];
  k.state = CookState::kIdle;
  if (c.state == CashierState::kWaitingFood && c.order == n) {
    c.order = 0;
    c.handing = n;
    sim_.handing_epoch_[c.index] = 0;
    c.state = CashierState::kHanding;
    c.busy_until = sim_.now() + sim_.sc_.handoff;
    sim_.sched_.push(c.busy_until, kHandoffDone, c.index, ++c.gen);
  } else {
    // The cashier is away (crashed): the food waits at the pass for it.
    if (c.order == n) c.order = 0;
    c.food.push_back(FoodTicket{n, 0, 0});
  }
  next(k);
}

void DirectKitchen::next(Cook& k) {
  if (k.state != CookState::kIdle) return;
  std::deque<uint32_t>& w = waiting_[k.station];
  while (!w.empty()) {
    Cashier& c = sim_.cashiers_[w.front()];
    w.pop_front();
    if (c.state == CashierState::kWaitingCook) {
      hand(k, c);
      return;
    }
  }
}

void DirectKitchen::lose(Cook& k) {
  const uint32_t n = k.direct_order;
  k.direct_order = 0;
  Order& o = sim_.orders_[n - 1];
  o.lost_in_hand = true;
  o.status = OrderStatus::kLost;
  sim_.customers_[o.customer - 1].state = CustomerState::kLeft;
  sim_.ledger_.record(n, StepKind::kLost, {.who = k.index});
  if (!sim_.observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kOrderLost, sim_.now());
    e.order = n;
    e.cook = static_cast<int32_t>(k.index);
    sim_.emit(e);
  }
  Cashier& c = sim_.cashiers_[k.direct_cashier];
  if (c.order == n) {
    // Told at once, or on coming back if it was down: either way it stops waiting.
    c.order = 0;
    if (c.state == CashierState::kWaitingFood) sim_.cashier_next(c);
  }
}

void DirectKitchen::hand_back(Cook& k) {
  Cashier& c = sim_.cashiers_[k.direct_cashier];
  k.direct_order = 0;
  if (c.state == CashierState::kWaitingFood) {
    c.state = CashierState::kWaitingCook;
    waiting_[k.station].push_front(c.index);
  }
}

void DirectKitchen::offer_work(uint32_t station) {
  for (Cook& other : sim_.cooks_) {
    if (other.station == station && other.state == CookState::kIdle) next(other);
  }
}

void DirectKitchen::forget_cashier(const Cashier& c) {
  for (std::deque<uint32_t>& w : waiting_)
    std::erase(w, c.index);
}

}  // namespace wmq::sim
