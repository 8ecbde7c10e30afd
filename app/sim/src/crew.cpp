// The people of the restaurant: customers arriving, cashiers taking orders
// and handing food, cooks cooking (Simulation::Impl, simulation_impl.h).
#include <algorithm>
#include <charconv>

#include "sim/order_format.h"
#include "simulation_impl.h"

namespace wmq::sim {

namespace {

void append_uint(std::string& out, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

// The food-ready message's body: {"order":17,"dish":"nasi goreng","table":4,"ready":true}.
void set_food_json(std::string& out, uint32_t order, std::string_view dish, uint32_t table) {
  out.assign("{\"order\":");
  append_uint(out, order);
  out += ",\"dish\":\"";
  out.append(dish);
  out += "\",\"table\":";
  append_uint(out, table);
  out += ",\"ready\":true}";
}

}  // namespace

// ------------------------------------------------------------- customers

void Simulation::Impl::schedule_next_arrival() {
  ++arrival_gen_;
  if (rate_ <= 0) return;
  const Micros gap = std::max<Micros>(1, round_micros(rng_arrivals_.exponential(60e6 / rate_)));
  sched_.push(now() + gap, kArrival, 0, arrival_gen_);
}

void Simulation::Impl::draw_customer(Customer& c, Rng& rng) {
  int64_t pick = rng.uniform_int(0, static_cast<int64_t>(total_weight_) - 1);
  uint32_t dish = sc_.dishes.front();
  for (uint32_t d : sc_.dishes) {
    pick -= menu_->dishes[d].weight;
    if (pick < 0) {
      dish = d;
      break;
    }
  }
  c.dish = static_cast<uint16_t>(dish);
  c.qty = static_cast<uint8_t>(rng.uniform_int(1, sc_.max_qty));
  c.table = static_cast<uint16_t>(rng.uniform_int(1, sc_.tables));
  c.service = sc_.service.sample(rng);
  c.cook_time = menu_->dishes[dish].cook.sample(rng);
}

uint32_t Simulation::Impl::shortest_line() const {
  uint32_t best = 0;
  size_t best_len = SIZE_MAX;
  bool best_up = false;
  for (const Cashier& c : cashiers_) {
    const bool up = c.state != CashierState::kCrashed;
    const size_t len = c.line.size() + (c.state == CashierState::kIdle ? 0 : 1);
    if ((up && !best_up) || (up == best_up && len < best_len)) {
      best = c.index;
      best_len = len;
      best_up = up;
    }
  }
  return best;
}

Customer& Simulation::Impl::add_customer(Rng& rng, Special special) {
  Customer c;
  c.id = static_cast<uint32_t>(customers_.size() + 1);
  c.arrived = now();
  c.special = special;
  draw_customer(c, rng);
  customers_.push_back(std::move(c));
  ++counters_.customers;
  return customers_.back();
}

void Simulation::Impl::on_arrival() {
  Customer& cu = add_customer(rng_arrivals_, Special::kNone);
  const uint32_t ci = shortest_line();
  cu.cashier = ci;
  Cashier& c = cashiers_[ci];
  c.line.push_back(cu.id);
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kCustomerArrived, now());
    e.customer = cu.id;
    e.cashier = static_cast<int32_t>(ci);
    emit(e);
  }
  if (c.state == CashierState::kIdle) cashier_next(c);
  schedule_next_arrival();
}

void Simulation::Impl::cashier_next(Cashier& c) {
  if (c.state == CashierState::kCrashed) return;
  if (sc_.mode == Mode::kBroker && c.pending.size() >= sc_.max_unconfirmed) {
    // Blocked until a receipt comes (max_unconfirmed 1: the customer waits for it).
    c.state =
        broker_ && c.session != 0 ? CashierState::kWaitingConfirm : CashierState::kWaitingBroker;
    return;
  }
  if (!c.food.empty()) {
    const FoodTicket f = c.food.front();
    c.food.pop_front();
    c.handing = f.order;
    handing_tag_[c.index] = f.tag;
    handing_epoch_[c.index] = f.tag != 0 ? epoch_ : 0;
    c.state = CashierState::kHanding;
    c.busy_until = now() + sc_.handoff;
    sched_.push(c.busy_until, kHandoffDone, c.index, ++c.gen);
    return;
  }
  if (!c.line.empty()) {
    const uint32_t id = c.line.front();
    c.line.pop_front();
    Customer& cu = customers_[id - 1];
    cu.state = CustomerState::kOrdering;
    c.customer = id;
    c.state = CashierState::kTaking;
    c.busy_until = now() + cu.service;
    sched_.push(c.busy_until, kServiceDone, c.index, ++c.gen);
    return;
  }
  c.state = CashierState::kIdle;
}

void Simulation::Impl::on_service_done(Cashier& c) {
  Customer& cu = customers_[c.customer - 1];
  Order o;
  o.number = static_cast<uint32_t>(orders_.size() + 1);
  o.customer = cu.id;
  o.cashier = c.index;
  o.dish = cu.dish;
  o.dish_written = cu.dish_override;
  o.qty = cu.qty;
  o.table = cu.table;
  // What the cashier writes for a bad order (build_order_message writes the same).
  if (cu.problem == "qty") o.qty = 0;
  if (cu.problem == "note") o.qty = 2;  // "dua ...": two
  if (cu.problem == "table") o.table = 0;
  o.special = cu.special;
  o.placed_at = now();
  o.with_cashier = true;
  orders_.push_back(std::move(o));
  ledger_.add_order();
  ++counters_.placed;
  const uint32_t n = orders_.back().number;
  ledger_.record(n, StepKind::kPlaced, {.who = c.index});
  cu.order = n;
  cu.state = CustomerState::kWaitingFood;
  c.customer = 0;
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kOrderPlaced, now());
    e.order = n;
    e.customer = cu.id;
    e.cashier = static_cast<int32_t>(c.index);
    emit(e);
  }
  if (sc_.mode == Mode::kDirect) {
    c.order = n;
    direct_.deliver(c);
  } else {
    c.pending.push_back(n);
    c.state = CashierState::kIdle;  // the service is over
    publish_order(c, n);
    after_publish(c);
  }
}

// The message a cashier publishes for its current order, in scratch_.
void Simulation::Impl::build_order_message(const Cashier& c, const Order& o) {
  const Customer& cu = customers_[o.customer - 1];
  const Dish& d = menu_->dishes[o.dish];
  std::string_view dish =
      cu.dish_override.empty() ? std::string_view(d.name) : std::string_view(cu.dish_override);
  Message& m = scratch_;
  m.persistent = true;
  m.headers.resize(1);
  m.headers[0].name = "order";
  m.headers[0].value.clear();
  append_uint(m.headers[0].value, o.number);
  m.routing_key = d.station;
  if (cu.special == Special::kPoison) {
    m.headers.push_back(Header{"x-poison", "1"});
  }
  const bool note = c.old || cu.problem == "note";
  m.content_type = note ? kOrderNote : kOrderJson;
  if (cu.problem == "note") {
    m.body = "dua " + std::string(dish) + " buat meja " + std::to_string(o.table) + " ya";
  } else if (note) {
    m.body = order_note(dish, o.qty, o.table);
  } else if (cu.problem == "qty") {
    m.body = order_json(o.number, dish, 0, o.table);
  } else if (cu.problem == "table") {
    m.body = "{\"order\":" + std::to_string(o.number) + ",\"dish\":\"" + std::string(dish) +
             "\",\"qty\":" + std::to_string(o.qty) + "}";
  } else if (cu.problem == "json") {
    m.body = "order " + std::to_string(o.number) + ": " + std::to_string(o.qty) + " " +
             std::string(dish) + " for table " + std::to_string(o.table);
  } else {
    m.body.clear();
    append_order_json(m.body, o.number, dish, o.qty, o.table);
  }
}

// Publishes pending order `n` (again). With no broker or no session it
// stays pending: the cashier publishes it when it reconnects. A refused
// publish (validator, full queue, unroutable) rejects the order for good.
void Simulation::Impl::publish_order(Cashier& c, uint32_t n) {
  Order& o = orders_[n - 1];
  if (!broker_ || c.session == 0) return;
  build_order_message(c, o);
  ledger_.begin_publish(n, false);
  Result<Published> r = changing_broker().publish(c.session, kOrdersExchange, scratch_);
  ledger_.end_publish();
  ++o.attempts;
  ++counters_.publishes;
  if (o.attempts > 1) ++counters_.retries;
  if (!r.is_ok()) {
    if (r.status().code() == Code::kClosed) return;
    if (r.status().code() == Code::kUnroutable) o.unroutable = true;
    if (r.status().code() == Code::kFull) {
      for (QueueStats& q : ledger_.queues()) {
        if (q.name == menu_->dishes[o.dish].station) ++q.refused;
      }
    }
    std::erase(c.pending, n);
    ledger_.record(n, StepKind::kRejected, {.who = c.index});
    reject_order(c, o, r.status().message());
    return;
  }
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kOrderPublished, now());
    e.order = n;
    e.cashier = static_cast<int32_t>(c.index);
    e.message = r->id;
    e.count = o.attempts;
    emit(e);
  }
  c.unconfirmed.emplace_back(r->seq, n);
  // The timeout names the order and its attempt: a later publish or a
  // confirm makes it moot.
  sched_.push(now() + sc_.confirm_timeout, kConfirmTimeout, c.index,
              (uint64_t{n} << 32) | o.attempts);
}

// After placing or publishing: the next customer, unless the cashier has
// as many orders without a receipt as it may (max_unconfirmed).
void Simulation::Impl::after_publish(Cashier& c) {
  if (c.state == CashierState::kIdle || c.state == CashierState::kWaitingConfirm ||
      c.state == CashierState::kWaitingBroker)
    cashier_next(c);
}

// Back on a broker (restart, or the cashier revived): publish again every
// order still without a receipt, oldest first.
void Simulation::Impl::republish_pending(Cashier& c) {
  const std::deque<uint32_t> again = c.pending;
  for (uint32_t n : again)
    publish_order(c, n);
  after_publish(c);
}

void Simulation::Impl::reject_order(Cashier& c, Order& o, const std::string& reason) {
  o.rejected = true;
  o.with_cashier = false;
  if (o.reason.empty()) o.reason = reason;
  if (o.copies == 0 && o.served == 0 && !o.confirmed) o.status = OrderStatus::kRejected;
  ++counters_.rejected;
  customers_[o.customer - 1].state = CustomerState::kLeft;
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kOrderRejected, now());
    e.order = o.number;
    e.cashier = static_cast<int32_t>(c.index);
    e.text = o.reason;
    emit(e);
  }
}

void Simulation::Impl::on_confirm(Cashier& c, PublishSeq seq) {
  auto it = std::find_if(c.unconfirmed.begin(), c.unconfirmed.end(),
                         [seq](const auto& p) { return p.first == seq; });
  if (it == c.unconfirmed.end()) return;
  const uint32_t n = it->second;
  c.unconfirmed.erase(it);
  Order& o = orders_[n - 1];
  if (!o.confirmed) {
    o.confirmed = true;
    o.confirmed_at = now();
    ++counters_.confirmed;
    if (o.status == OrderStatus::kPlacing) o.status = OrderStatus::kOnBoard;
  }
  ledger_.record(n, StepKind::kConfirmed, {.who = c.index, .flag = queues_persist(o)});
  auto p = std::find(c.pending.begin(), c.pending.end(), n);
  if (p == c.pending.end()) return;  // an earlier attempt's receipt came first
  c.pending.erase(p);
  o.with_cashier = false;
  ++c.receipts;
  c.last_receipt = n;
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kReceipt, now());
    e.order = n;
    e.cashier = static_cast<int32_t>(c.index);
    emit(e);
  }
  if (c.state == CashierState::kWaitingConfirm) after_publish(c);
}

bool Simulation::Impl::queues_persist(const Order& o) const {
  const int s = sc_.station_index(menu_->dishes[o.dish].station);
  return s >= 0 && station_q_[static_cast<size_t>(s)].durable;
}

// The broker could not write the order (its commit failed: a full disk). It
// is in no queue; the cashier sends it again when the confirm timeout of this
// attempt runs out, not at once: a disk that is full now is full a moment later.
void Simulation::Impl::on_nack(Cashier& c, PublishSeq seq) {
  auto it = std::find_if(c.unconfirmed.begin(), c.unconfirmed.end(),
                         [seq](const auto& p) { return p.first == seq; });
  if (it == c.unconfirmed.end()) return;
  const uint32_t n = it->second;
  c.unconfirmed.erase(it);
  if (std::find(c.pending.begin(), c.pending.end(), n) != c.pending.end())
    ledger_.record(n, StepKind::kNotSaved, {.who = c.index});
}

void Simulation::Impl::on_confirm_timeout(Cashier& c, uint32_t n, uint32_t attempt) {
  if (c.state == CashierState::kCrashed || !broker_) return;  // republished on reconnect
  if (orders_[n - 1].attempts != attempt) return;             // published again since
  if (std::find(c.pending.begin(), c.pending.end(), n) == c.pending.end()) return;
  ledger_.record(n, StepKind::kConfirmTimeout, {.who = c.index});
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kConfirmTimeout, now());
    e.order = n;
    e.cashier = static_cast<int32_t>(c.index);
    emit(e);
  }
  publish_order(c, n);
  after_publish(c);
}

void Simulation::Impl::on_handoff_done(Cashier& c) {
  const uint32_t n = c.handing;
  c.handing = 0;
  serve(n, c);
  if (broker_ && c.session != 0 && handing_epoch_[c.index] == epoch_) {
    (void)changing_broker().ack(c.session, handing_tag_[c.index]);
  }
  cashier_next(c);
}

void Simulation::Impl::serve(uint32_t n, Cashier& c) {
  if (n == 0) return;
  Order& o = orders_[n - 1];
  ++o.served;
  if (o.served == 1) {
    o.served_at = now();
    o.status = OrderStatus::kServed;
    ++counters_.served;
    latencies_.push_back(now() - o.placed_at);
    customers_[o.customer - 1].state = CustomerState::kServed;
  }
  ledger_.record(n, StepKind::kServed, {.who = c.index, .count = o.served});
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kServed, now());
    e.order = n;
    e.cashier = static_cast<int32_t>(c.index);
    e.count = o.served;
    emit(e);
  }
}

void Simulation::Impl::crash_cashier(Cashier& c, std::optional<Micros> restart_after) {
  if (c.state == CashierState::kCrashed) return;
  if (broker_ && c.session != 0)
    (void)changing_broker().kill_session(c.session, "the cashier crashed");
  c.session = 0;
  if (sc_.mode == Mode::kBroker) {
    c.food.clear();  // its pickup deliveries went back to the queue with its session
  } else if (c.handing != 0) {
    c.food.push_front(FoodTicket{c.handing, 0, 0});  // real food: it waits at the pass
  }
  c.unconfirmed.clear();
  c.handing = 0;
  if (c.customer != 0) {
    // The customer at the counter had not ordered yet: back to the front.
    customers_[c.customer - 1].state = CustomerState::kInLine;
    c.line.push_front(c.customer);
    c.customer = 0;
  }
  if (sc_.mode == Mode::kDirect && c.state == CashierState::kWaitingCook) direct_.forget_cashier(c);
  c.state = CashierState::kCrashed;
  ++c.crashes;
  ++c.gen;
  SimEvent e = make_event(SimEventKind::kCashierCrashed, now());
  e.cashier = static_cast<int32_t>(c.index);
  emit(e);
  const Micros after = restart_after.value_or(sc_.cashier_restart);
  if (after > 0) sched_.push(now() + after, kCashierRestart, c.index, c.gen);
}

void Simulation::Impl::revive_cashier(Cashier& c) {
  if (c.state != CashierState::kCrashed) return;
  ++c.gen;
  c.state = CashierState::kIdle;
  if (sc_.mode == Mode::kBroker) connect_cashier(c);
  SimEvent e = make_event(SimEventKind::kCashierBack, now());
  e.cashier = static_cast<int32_t>(c.index);
  emit(e);
  if (sc_.mode == Mode::kDirect && c.order != 0) {
    direct_.deliver(c);
  } else if (!c.pending.empty()) {
    republish_pending(c);
  } else {
    cashier_next(c);
  }
}

Micros Simulation::Impl::cook_time(const Cook& k, uint32_t n) const {
  const Customer& cu = customers_[orders_[n - 1].customer - 1];
  return std::max<Micros>(1, round_micros(static_cast<double>(cu.cook_time) / k.speed));
}

void Simulation::Impl::cook_start(Cook& k) {
  if (k.held.empty()) {
    k.state = CookState::kIdle;
    k.on_stove = false;
    return;
  }
  const Ticket& t = k.held.front();
  if (t.order != 0 && orders_[t.order - 1].special == Special::kPoison) {
    crash_cook(k, "a poison order made the cook ill", std::nullopt);
    return;
  }
  k.state = CookState::kCooking;
  k.on_stove = true;
  k.cooking_until = now() + (t.order != 0 ? cook_time(k, t.order) : kSeconds);
  sched_.push(k.cooking_until, kCookDone, k.index, ++k.gen);
  if (t.order != 0)
    ledger_.record(t.order, StepKind::kCookStarted, {.who = k.index, .count = t.delivery_count});
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kCookStarted, now());
    e.order = t.order;
    e.cook = static_cast<int32_t>(k.index);
    e.message = t.message;
    e.count = t.delivery_count;
    emit(e);
  }
}

void Simulation::Impl::count_cooked(Cook& k, uint32_t n) {
  ++k.cooked;
  ++counters_.cooked;
  if (n == 0) return;
  Order& o = orders_[n - 1];
  ++o.cooked;
  if (o.cooked > 1) ++counters_.duplicates;
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kCookFinished, now());
    e.order = n;
    e.cook = static_cast<int32_t>(k.index);
    e.count = o.cooked;
    emit(e);
  }
}

void Simulation::Impl::on_cook_done(Cook& k) {
  if (sc_.mode == Mode::kDirect) {
    direct_.cook_done(k);
    return;
  }
  const Ticket t = k.held.front();
  k.held.pop_front();
  k.on_stove = false;
  count_cooked(k, t.order);
  bool refused = false;
  if (broker_ && k.session != 0) {
    if (t.order != 0) publish_food(k.session, t.order, k.index, false);
    Status st = changing_broker().ack(k.session, t.tag);
    if (st.is_ok()) {
      if (t.order != 0)
        ledger_.record(t.order, StepKind::kAcked,
                       {.who = k.index, .count = t.delivery_count, .message = t.message});
    } else {
      refused = st.code() == Code::kClosed;
    }
  } else {
    refused = true;
  }
  if (refused) {
    ++counters_.late_acks;
    k.session_dead = true;
    if (t.order != 0) ledger_.record(t.order, StepKind::kLateAckRefused, {.who = k.index});
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kLateAckRefused, now());
      e.order = t.order;
      e.cook = static_cast<int32_t>(k.index);
      emit(e);
    }
    // It now knows its session is gone: what it holds was given to others.
    connect_cook(k);
    return;
  }
  cook_start(k);
}

// Food-ready for order `n` to the pickup counter, published by `sid` on
// behalf of cook `who` (an index into external_clients() when `external`).
void Simulation::Impl::publish_food(SessionId sid, uint32_t n, uint32_t who, bool external) {
  const Order& o = orders_[n - 1];
  const Dish& d = menu_->dishes[o.dish];
  Message& m = scratch_;
  m.persistent = true;
  m.content_type = kOrderJson;
  m.routing_key = kPickupQueue;
  m.headers.resize(1);
  m.headers[0].name = "order";
  m.headers[0].value.clear();
  append_uint(m.headers[0].value, n);
  set_food_json(m.body, n, d.name, o.table);
  ledger_.begin_publish(n, true);
  Result<Published> r = changing_broker().publish(sid, "", m);
  ledger_.end_publish();
  if (r.is_ok())
    ledger_.record(n, StepKind::kFoodReady, {.who = who, .message = r->id, .external = external});
}

void Simulation::Impl::crash_cook(Cook& k, std::string_view why,
                                  std::optional<Micros> restart_after) {
  if (k.state == CookState::kCrashed || k.state == CookState::kRemoved) return;
  for (const Ticket& t : k.held) {
    if (t.order != 0)
      ledger_.record(t.order, StepKind::kCookCrashed, {.who = k.index, .count = t.delivery_count});
  }
  if (broker_ && k.session != 0 && !k.session_dead)
    (void)changing_broker().kill_session(k.session, why);
  if (k.direct_order != 0) direct_.lose(k);
  k.held.clear();
  k.on_stove = false;
  k.session = 0;
  k.session_dead = false;
  k.state = CookState::kCrashed;
  ++k.crashes;
  ++counters_.cook_crashes;
  ++k.gen;
  ++k.hb_gen;
  SimEvent e = make_event(SimEventKind::kCookCrashed, now());
  e.cook = static_cast<int32_t>(k.index);
  e.text = why;
  emit(e);
  const Micros after = restart_after.value_or(sc_.cook_restart);
  if (after > 0) {
    k.restart_at = now() + after;
    sched_.push(k.restart_at, kCookRestart, k.index, k.gen);
  } else {
    k.restart_at = -1;
  }
}

void Simulation::Impl::freeze_cook(Cook& k) {
  if (k.state == CookState::kCrashed || k.state == CookState::kRemoved ||
      k.state == CookState::kFrozen)
    return;
  k.cooking_left = k.on_stove ? std::max<Micros>(0, k.cooking_until - now()) : 0;
  k.state = CookState::kFrozen;
  ++k.gen;
  ++k.hb_gen;
  emit_cook(SimEventKind::kCookFrozen, k);
}

void Simulation::Impl::revive_cook(Cook& k) {
  if (k.state == CookState::kCrashed) {
    emit_cook(SimEventKind::kCookRevived, k);
    connect_cook(k);
    return;
  }
  if (k.state != CookState::kFrozen) return;
  emit_cook(SimEventKind::kCookRevived, k);
  const bool alive = broker_ != nullptr && k.session != 0 && !k.session_dead;
  if (alive) {
    (void)changing_broker().heartbeat(k.session);
    if (sc_.suspect_after > 0 || sc_.dead_after > 0)
      sched_.push(now() + sc_.heartbeat, kCookHeartbeat, k.index, ++k.hb_gen);
  }
  if (k.on_stove) {
    // It finishes the dish in front of it, whatever the broker decided meanwhile.
    k.state = CookState::kCooking;
    k.cooking_until = now() + k.cooking_left;
    sched_.push(k.cooking_until, kCookDone, k.index, ++k.gen);
    return;
  }
  if (sc_.mode == Mode::kDirect) {
    k.state = CookState::kIdle;
    direct_.next(k);
  } else if (alive) {
    k.state = CookState::kIdle;
    cook_start(k);
  } else {
    connect_cook(k);
  }
}

void Simulation::Impl::remove_cook(Cook& k) {
  if (k.state == CookState::kRemoved) return;
  if (broker_ && k.session != 0 && !k.session_dead)
    (void)changing_broker().close_session(k.session);
  // A clean goodbye hands the order back: its cashier looks for another cook.
  if (k.direct_order != 0) direct_.hand_back(k);
  k.held.clear();
  k.on_stove = false;
  k.session = 0;
  k.state = CookState::kRemoved;
  ++k.gen;
  ++k.hb_gen;
  emit_cook(SimEventKind::kCookRemoved, k);
  if (sc_.mode == Mode::kDirect) direct_.offer_work(k.station);
}

void Simulation::Impl::on_heartbeat(Cook& k) {
  if (k.state != CookState::kIdle && k.state != CookState::kCooking) return;
  if (broker_ && k.session != 0) {
    Status st = changing_broker().heartbeat(k.session);
    if (!st.is_ok()) {
      // Declared dead while healthy (heartbeats slower than dead_after): start over.
      k.session_dead = true;
      connect_cook(k);
      return;
    }
  }
  sched_.push(now() + sc_.heartbeat, kCookHeartbeat, k.index, k.hb_gen);
}

void Simulation::Impl::emit_cook(SimEventKind kind, const Cook& k) {
  if (observers_.empty()) return;
  SimEvent e = make_event(kind, now());
  e.cook = static_cast<int32_t>(k.index);
  emit(e);
}

}  // namespace wmq::sim
