#include "gui/model/targets.h"

#include <utility>

#include "sim/simulation.h"

namespace wmq::gui {

namespace {

using sim::CookState;
using sim::InjectionKind;

bool fits(const sim::Cook& k, InjectionKind kind) {
  switch (kind) {
    case InjectionKind::kCrashCook:
      return k.state != CookState::kCrashed && k.state != CookState::kRemoved;
    case InjectionKind::kFreezeCook:
      return k.state == CookState::kIdle || k.state == CookState::kCooking;
    case InjectionKind::kReviveCook:
      return k.state == CookState::kCrashed || k.state == CookState::kFrozen;
    default:
      return false;
  }
}

// The cook holding order `n`, or -1.
int holder_of(const sim::Simulation& sim, uint32_t n) {
  for (const sim::Cook& k : sim.cooks()) {
    for (const sim::Ticket& t : k.held) {
      if (t.order == n) return static_cast<int>(k.index);
    }
    if (k.direct_order == n && n != 0) return static_cast<int>(k.index);
  }
  return -1;
}

}  // namespace

std::optional<std::string> cook_for(const Workbench& bench, InjectionKind kind) {
  const sim::Simulation& sim = bench.a().sim();
  const Selection& sel = bench.selection();
  int chosen = -1;
  if (sel.kind == Selection::Kind::kCook) chosen = static_cast<int>(sel.index);
  if (sel.kind == Selection::Kind::kOrder) chosen = holder_of(sim, sel.index);
  if (chosen >= 0 && static_cast<size_t>(chosen) < sim.cooks().size()) {
    const sim::Cook& k = sim.cooks()[static_cast<size_t>(chosen)];
    return fits(k, kind) ? std::optional<std::string>(k.name) : std::nullopt;
  }
  const bool prefer_busy = kind != InjectionKind::kReviveCook;
  if (prefer_busy) {
    for (const sim::Cook& k : sim.cooks()) {
      if (fits(k, kind) && (!k.held.empty() || k.direct_order != 0)) return k.name;
    }
  }
  for (const sim::Cook& k : sim.cooks()) {
    if (fits(k, kind)) return k.name;
  }
  return std::nullopt;
}

std::optional<std::string> cashier_for(const Workbench& bench, InjectionKind kind) {
  const sim::Simulation& sim = bench.a().sim();
  const Selection& sel = bench.selection();
  auto ok = [kind](const sim::Cashier& c) {
    const bool down = c.state == sim::CashierState::kCrashed;
    return kind == InjectionKind::kReviveCashier ? down : !down;
  };
  if (sel.kind == Selection::Kind::kCashier && sel.index < sim.cashiers().size()) {
    const sim::Cashier& c = sim.cashiers()[sel.index];
    return ok(c) ? std::optional<std::string>(c.name) : std::nullopt;
  }
  for (const sim::Cashier& c : sim.cashiers()) {
    if (ok(c)) return c.name;
  }
  return std::nullopt;
}

std::string queue_for(const Workbench& bench) {
  const sim::Simulation& sim = bench.a().sim();
  const Selection& sel = bench.selection();
  if (sel.kind == Selection::Kind::kQueue && sel.queue != "dead-letters") return sel.queue;
  if (sel.kind == Selection::Kind::kCook && sel.index < sim.cooks().size()) {
    return sim.stations()[sim.cooks()[sel.index].station];
  }
  if (sel.kind == Selection::Kind::kOrder) {
    if (const sim::Order* o = sim.order(sel.index)) {
      const auto& dishes = sim.scenario().menu.dishes;
      if (o->dish < dishes.size()) return dishes[o->dish].station;
    }
  }
  return sim.stations().empty() ? std::string() : sim.stations().front();
}

std::optional<QueueSnapshot> find_queue(const Run& run, std::string_view name) {
  const Broker* broker = run.sim().broker();
  if (broker == nullptr) return std::nullopt;
  for (QueueSnapshot& q : broker->snapshot().queues) {
    if (q.name == name) return std::move(q);
  }
  return std::nullopt;
}

}  // namespace wmq::gui
