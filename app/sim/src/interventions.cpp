// Injections and the scenario's timeline: what a teacher (or a recorded run)
// does to the restaurant, checked, then applied at its time
// (Simulation::Impl, simulation_impl.h).
#include <algorithm>

#include "sim/duration.h"
#include "simulation_impl.h"

namespace wmq::sim {

Cook* Simulation::Impl::find_cook(const std::string& name) {
  for (Cook& k : cooks_) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

Cashier* Simulation::Impl::find_cashier(const std::string& name) {
  for (Cashier& c : cashiers_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// Checks what can be checked without knowing the future (a cook added
// later does not exist yet, so names are checked when the injection is made
// live, see check_now, or applied).
Status Simulation::Impl::check_shape(const Injection& in) const {
  switch (in.kind) {
    case InjectionKind::kBadOrder:
      if (!is_bad_order_problem(in.problem)) {
        return Status::error(Code::kInvalid, "bad_order: \"" + in.problem +
                                                 "\" is not a problem the simulator knows; "
                                                 "write qty, dish, table, json, note or station");
      }
      break;
    case InjectionKind::kSetRate:
      if (!(in.rate >= 0 && in.rate <= 10000))
        return Status::error(Code::kInvalid, "set_rate: the rate must be 0..10000 per minute");
      break;
    case InjectionKind::kAddCook:
      if (!(in.speed >= 0.05 && in.speed <= 20))
        return Status::error(Code::kInvalid, "add_cook: the speed must be 0.05..20");
      break;
    case InjectionKind::kSlowDisk:
      if (in.window < 0) return Status::error(Code::kInvalid, "slow_disk: the window must be >= 0");
      break;
    default:
      break;
  }
  if (in.restart_after && *in.restart_after < 0) {
    return Status::error(Code::kInvalid, describe(in) + ": restart_after must be >= 0");
  }
  return Status::ok();
}

Status Simulation::Impl::check_now(const Injection& in) {
  auto not_found = [&](const std::string& what, const std::vector<std::string>& known) {
    std::string list;
    for (size_t i = 0; i < known.size(); ++i)
      list += (i ? ", " : "") + known[i];
    return Status::error(Code::kNotFound, std::string(injection_kind_name(in.kind)) + ": no " +
                                              what + " \"" + in.target + "\" (there are: " + list +
                                              ")");
  };
  switch (in.kind) {
    case InjectionKind::kCrashCook:
    case InjectionKind::kFreezeCook:
    case InjectionKind::kReviveCook:
    case InjectionKind::kRemoveCook:
      if (find_cook(in.target) == nullptr) {
        std::vector<std::string> names;
        for (const Cook& k : cooks_)
          names.push_back(k.name);
        return not_found("cook", names);
      }
      break;
    case InjectionKind::kCrashCashier:
    case InjectionKind::kReviveCashier:
      if (find_cashier(in.target) == nullptr) return not_found("cashier", sc_.cashier_names());
      break;
    case InjectionKind::kBadOrder:
    case InjectionKind::kPoisonOrder:
      if (!in.target.empty() && find_cashier(in.target) == nullptr)
        return not_found("cashier", sc_.cashier_names());
      if (!in.dish.empty() && menu_->find(in.dish) == nullptr &&
          !(in.kind == InjectionKind::kBadOrder && in.problem == "dish")) {
        return Status::error(Code::kNotFound, std::string(injection_kind_name(in.kind)) +
                                                  ": no dish \"" + in.dish + "\" on the menu");
      }
      break;
    case InjectionKind::kAddCook:
      if (sc_.station_index(in.target) < 0) return not_found("station", stations_);
      break;
    case InjectionKind::kSetQueue: {
      std::vector<std::string> names = stations_;
      names.push_back(kPickupQueue);
      if (std::find(names.begin(), names.end(), in.target) == names.end())
        return not_found("queue", names);
      break;
    }
    default:
      break;
  }
  return check_shape(in);
}

void Simulation::Impl::apply(const Injection& in) {
  const std::string text = observers_.empty() ? std::string() : describe(in);
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kInjected, now());
    e.text = text;
    e.injection = &in;
    emit(e);
  }
  const bool brokered = sc_.mode == Mode::kBroker;
  switch (in.kind) {
    case InjectionKind::kCrashCook:
      if (Cook* k = find_cook(in.target)) crash_cook(*k, "crashed", in.restart_after);
      break;
    case InjectionKind::kFreezeCook:
      if (Cook* k = find_cook(in.target)) freeze_cook(*k);
      break;
    case InjectionKind::kReviveCook:
      if (Cook* k = find_cook(in.target)) revive_cook(*k);
      break;
    case InjectionKind::kAddCook: {
      const int s = sc_.station_index(in.target);
      if (s < 0) break;
      Cook& k = new_cook(static_cast<uint32_t>(s), in.speed);
      emit_cook(SimEventKind::kCookAdded, k);
      connect_cook(k);
      break;
    }
    case InjectionKind::kRemoveCook:
      if (Cook* k = find_cook(in.target)) remove_cook(*k);
      break;
    case InjectionKind::kCrashCashier:
      if (Cashier* c = find_cashier(in.target)) crash_cashier(*c, in.restart_after);
      break;
    case InjectionKind::kReviveCashier:
      if (Cashier* c = find_cashier(in.target)) revive_cashier(*c);
      break;
    case InjectionKind::kCrashBroker:
      if (brokered && broker_) crash_broker(in.restart_after);
      break;
    case InjectionKind::kRestartBroker:
      if (brokered && !broker_) restart_broker();
      break;
    case InjectionKind::kBadOrder:
    case InjectionKind::kPoisonOrder:
      special_customer(in);
      break;
    case InjectionKind::kSetRate:
      rate_ = in.rate;
      schedule_next_arrival();
      break;
    case InjectionKind::kSetQueue:
      set_queue(in);
      break;
    case InjectionKind::kSlowDisk:
      commit_window_ = in.window > 0 ? in.window : sc_.commit_window;
      if (broker_) changing_broker().set_commit_window(commit_window_);
      break;
    case InjectionKind::kAnnounce:
      if (brokered && broker_ && manager_session_ != 0) {
        Message m;
        m.body = in.message;
        m.content_type = "text/plain";
        (void)changing_broker().publish(manager_session_, kAnnounceExchange, m);
      }
      break;
    case InjectionKind::kFillDisk:
    case InjectionKind::kFreeDisk:
      *disk_full_ = in.kind == InjectionKind::kFillDisk;
      break;
  }
}

void Simulation::Impl::special_customer(const Injection& in) {
  Customer& cu = add_customer(
      rng_misc_, in.kind == InjectionKind::kPoisonOrder ? Special::kPoison : Special::kBad);
  if (in.kind == InjectionKind::kBadOrder) cu.problem = in.problem;
  if (!in.dish.empty()) {
    const int d = menu_->index_of(in.dish);
    if (d >= 0) {
      cu.dish = static_cast<uint16_t>(d);
    } else {
      cu.dish_override = in.dish;  // problem "dish": not on the menu, on purpose
    }
  } else if (in.problem == "dish") {
    cu.dish_override = "pizza";
  } else if (in.problem == "station") {
    for (size_t d = 0; d < menu_->dishes.size(); ++d) {
      if (sc_.station_index(menu_->dishes[d].station) < 0) {
        cu.dish = static_cast<uint16_t>(d);
        break;
      }
    }
  }
  if (in.problem == "station" && sc_.station_index(menu_->dishes[cu.dish].station) >= 0) {
    // Every station has a queue here; the order stays a plain one.
    cu.problem.clear();
  }
  const Cashier* target = in.target.empty() ? nullptr : find_cashier(in.target);
  const uint32_t ci = target != nullptr ? target->index : shortest_line();
  cu.cashier = ci;
  Cashier& c = cashiers_[ci];
  c.line.push_front(cu.id);  // they push to the front: the class sees it at once
  if (!observers_.empty()) {
    SimEvent e = make_event(SimEventKind::kCustomerArrived, now());
    e.customer = cu.id;
    e.cashier = static_cast<int32_t>(ci);
    emit(e);
  }
  if (c.state == CashierState::kIdle) cashier_next(c);
}

void Simulation::Impl::set_queue(const Injection& in) {
  QueueSettings* qs = nullptr;
  int qi = -1;
  if (in.target == kPickupQueue) {
    qs = &pickup_q_;
    for (size_t i = 0; i < ledger_.queues().size(); ++i) {
      if (ledger_.queues()[i].name == kPickupQueue) qi = static_cast<int>(i);
    }
  } else {
    const int s = sc_.station_index(in.target);
    if (s < 0) return;
    qs = &station_q_[static_cast<size_t>(s)];
    qi = s;
  }
  if (in.queue.durable) qs->durable = *in.queue.durable;
  if (in.queue.max_length) qs->max_length = *in.queue.max_length;
  if (in.queue.ttl) qs->ttl = *in.queue.ttl;
  if (in.queue.delivery_limit) qs->delivery_limit = *in.queue.delivery_limit;
  if (qi >= 0) ledger_.queues()[static_cast<size_t>(qi)].durable = qs->durable;
  if (broker_) (void)changing_broker().update_queue(in.target, queue_options(*qs));
}

void Simulation::Impl::on_timeline(uint32_t i, bool deadline) {
  const TimelineEvent& te = sc_.timeline[i];
  if (deadline) {
    // Still waiting when its deadline came: it fires anyway, and says why.
    const auto it = std::find(waiting_.begin(), waiting_.end(), i);
    if (it == waiting_.end()) return;  // it fired on time
    waiting_.erase(it);
    fire(i, evaluate(*te.when, warung()),
         "waited from " + format_duration(te.at) + " until " + describe(*te.when) +
             "; fired at its deadline " + format_duration(te.deadline));
    return;
  }
  if (!te.when) {
    fire(i, Pick{}, "");
    return;
  }
  const Pick pick = evaluate(*te.when, warung());
  if (pick.holds) {
    fire(i, pick, "");
    return;
  }
  waiting_.push_back(i);  // timeline order: `after` times come in order
  if (te.deadline >= 0) sched_.push(te.deadline, kTimeline, i, 1, Scheduler::kLateLane);
}

void Simulation::Impl::check_waiting() {
  // Every waiting event sees the same state: two that wait for one moment
  // fire together, even when the first changes what the second would see.
  std::vector<std::pair<uint32_t, Pick>> due;
  for (size_t w = 0; w < waiting_.size();) {
    Pick pick = evaluate(*sc_.timeline[waiting_[w]].when, warung());
    if (!pick.holds) {
      ++w;
      continue;
    }
    due.emplace_back(waiting_[w], std::move(pick));
    waiting_.erase(waiting_.begin() + static_cast<ptrdiff_t>(w));
  }
  for (const auto& [i, pick] : due)
    fire(i, pick, "");
}

void Simulation::Impl::fire(uint32_t i, const Pick& picked, std::string late) {
  TimelineEvent te = sc_.timeline[i];
  te.at = now();
  te.late = std::move(late);
  Pick pick = picked;
  if (te.action && te.action->target == kBusiestCook) {
    const Cook* k = busiest_cook(cooks_);
    te.action->target = k != nullptr ? k->name : "";
  }
  if (te.action && pick.cook.empty()) {
    // The cook it acts on is the one its narration names.
    if (const Cook* k = find_cook(te.action->target)) {
      pick.cook = k->name;
      if (pick.order == 0 && !k->held.empty()) pick.order = k->held.front().order;
      if (pick.order == 0) pick.order = k->direct_order;
    }
  }
  te.say.en = fill_names(te.say.en, pick);
  te.say.id = fill_names(te.say.id, pick);
  for (std::string& f : te.focus)
    f = fill_names(f, pick);
  fired_.push_back(std::move(te));
  const TimelineEvent& f = fired_.back();
  if (f.action) apply(*f.action);
  if (!f.say.empty()) {
    narration_ = static_cast<int>(fired_.size() - 1);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kNarration, now());
      e.text = f.say.en;
      e.text_id = f.say.id;
      emit(e);
    }
  }
  if (f.pause) {
    ++pauses_;
    pause_hit_ = true;
  }
}

Status Simulation::Impl::inject(Injection in) {
  if (in.at >= 0 && in.at < now()) {
    return Status::error(Code::kInvalid,
                         describe(in) + ": at " + format_duration(in.at) +
                             " is in the past (now is " + format_duration(now()) +
                             "); to change the past, replay from the start with this injection");
  }
  if (Status st = check_now(in); !st.is_ok()) return st;
  if (in.at < 0) in.at = now();
  injections_.push_back(in);
  sched_.push(in.at, kInjection, static_cast<uint32_t>(injections_.size() - 1), 0,
              Scheduler::kLateLane);
  if (in.at == now()) run_until(now(), false);
  return Status::ok();
}

}  // namespace wmq::sim
