#include "gui/labels.h"

#include <cstdio>
#include <optional>
#include <string_view>
#include <utility>

#include "broker/events.h"
#include "gui/model/tickets.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

std::string cook_name(const sim::Simulation& sim, uint32_t i, bool external = false) {
  if (external) {
    const auto& all = sim.external_clients();
    return i < all.size() ? all[i].name : std::string("?");
  }
  return i < sim.cooks().size() ? sim.cooks()[i].name : std::string("?");
}

std::string cashier_name(const sim::Simulation& sim, uint32_t i) {
  return i < sim.cashiers().size() ? sim.cashiers()[i].name : std::string("?");
}

std::string queue_name(const sim::Simulation& sim, uint8_t q) {
  return q < sim.queues().size() ? sim.queues()[q].name : std::string("?");
}

// "1.5", "6", "0.25": a number without trailing zeros.
std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

// A limit in words: its value, or "no limit" for 0.
std::string limit(const I18n& t, uint64_t value, std::string shown) {
  return value == 0 ? std::string(t.tr("inject.no_limit")) : std::move(shown);
}

// " · part" joined onto `out`.
void add_part(std::string& out, const std::string& part) {
  if (part.empty()) return;
  out += " \xC2\xB7 ";  // a middle dot
  out += part;
}

// The key of a broker's drop reason in words; nullptr for those shown as the broker spells them.
const char* drop_reason_key(DropReason reason) {
  switch (reason) {
    case DropReason::kMaxLength:
      return "log.reason.maxlen";
    case DropReason::kDeliveryLimit:
      return "log.reason.delivery_limit";
    case DropReason::kExpired:
      return "log.reason.expired";
    case DropReason::kRejected:
      return "log.reason.rejected";
    case DropReason::kNone:
    case DropReason::kCommitFailed:
    case DropReason::kQueueDeleted:
      return nullptr;
  }
  return nullptr;
}

// The reasons the simulator writes as fixed English words and the broker's drop reasons (an
// order keeps the name drop_reason_name gave it), in words. Any other text (a validator's
// sentence, a STOMP program's words) is shown as written.
std::string known_reason(const I18n& t, const std::string& text) {
  static constexpr std::pair<std::string_view, std::string_view> kKnown[] = {
      {"crashed", "log.reason.crashed"},
      {"a poison order made the cook ill", "log.reason.poisoned"},
  };
  for (const auto& [words, key] : kKnown) {
    if (text == words) return t.tr(key);
  }
  if (std::optional<DropReason> drop = drop_reason_from_name(text)) {
    if (const char* key = drop_reason_key(*drop)) return t.tr(key);
  }
  return text;
}

}  // namespace

std::string dish_name(const I18n& t, const sim::Simulation& sim, uint16_t dish) {
  const auto& dishes = sim.scenario().menu.dishes;
  if (dish >= dishes.size()) return "?";
  const sim::Dish& d = dishes[dish];
  const std::string& name = t.language() == "id" ? d.id : d.en;
  return name.empty() ? d.name : name;
}

std::string order_heading(const I18n& t, const sim::Simulation& sim, const sim::Order& o) {
  const std::string dish = o.dish_written.empty() ? dish_name(t, sim, o.dish) : o.dish_written;
  return fill_placeholders(
      t.tr("inspector.order_heading"),
      {{"number", std::to_string(o.number)}, {"dish", dish}, {"qty", std::to_string(o.qty)}});
}

std::string table_label(const I18n& t, const sim::Order& o) {
  return o.table == 0 ? std::string(t.tr("inspector.no_table")) : std::to_string(o.table);
}

std::string step_text(const I18n& t, const sim::Simulation& sim, const sim::Order& order,
                      const sim::OrderStep& s) {
  std::string key = std::string("step.") + sim::step_kind_name(s.kind);
  if (s.kind == sim::StepKind::kConfirmed && s.flag) key = "step.confirmed_persisted";
  if (s.kind == sim::StepKind::kDelivered && s.flag) key = "step.redelivered";
  if (s.kind == sim::StepKind::kRejected && order.unroutable) key = "step.returned";
  // English counts "once", then "2 times"; each language says both its own way.
  if (s.kind == sim::StepKind::kRequeued && s.count == 1) key = "step.requeued_once";
  std::string who;
  switch (s.kind) {
    case sim::StepKind::kPlaced:
    case sim::StepKind::kRejected:
    case sim::StepKind::kServed:
      who = cashier_name(sim, s.who);
      break;
    default:
      who = cook_name(sim, s.who, s.external);  // a STOMP program's steps name it by its login
      break;
  }
  return fill_placeholders(t.tr(key),
                           {{"cook", who},
                            {"cashier", who},
                            {"count", std::to_string(s.count)},
                            {"queue", queue_name(sim, s.queue)},
                            {"reason", order.unroutable ? unroutable_reason(t, sim, order)
                                                        : known_reason(t, order.reason)}});
}

std::string unroutable_reason(const I18n& t, const sim::Simulation& sim, const sim::Order& o) {
  const std::string dish = o.dish_written.empty() ? dish_name(t, sim, o.dish) : o.dish_written;
  return fill_placeholders(t.tr("inspector.unroutable_reason"), {{"dish", dish}});
}

std::string order_reason(const I18n& t, const sim::Simulation& sim, const sim::Order& o) {
  // The broker's sentence numbers the message and names the exchange: broker words the order's
  // page does not otherwise use, so a returned order says it in the kitchen's terms.
  if (!o.unroutable) return known_reason(t, o.reason);
  return fill_placeholders(
      t.tr("inspector.unroutable_why"),
      {{"reason", unroutable_reason(t, sim, o)}, {"cashier", cashier_name(sim, o.cashier)}});
}

const char* event_label(const I18n& t, const LogRecord& r) {
  return kind_code_label(t, log_kind_code(r));
}

const char* kind_code_label(const I18n& t, int code) {
  const std::string name = log_kind_name(code);
  if (name.empty()) return "?";
  return t.tr("event." + name);
}

std::string event_detail(const I18n& t, const EventLog& log, const LogRecord& r,
                         const sim::Simulation& sim) {
  // The broker's return sentence ("message 9 returned: exchange ...") is the order's reason; the
  // log tells it as the Inspector does, so the two never disagree on what happened.
  const sim::Order* o = r.order != 0 ? sim.order(r.order) : nullptr;
  const bool returned =
      o != nullptr && o->unroutable && r.text != 0 && log.text(r.text) == o->reason;
  auto reason = [&]() {
    return returned ? order_reason(t, sim, *o) : known_reason(t, log.text(r.text));
  };
  std::string out;
  auto add = [&out](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += " \xC2\xB7 ";  // a middle dot
    out += part;
  };
  add(log.text(r.queue));
  if (r.kind == sim::SimEventKind::kBroker) {
    switch (r.broker_kind) {
      case EventKind::kDelivered:
      case EventKind::kRequeued:
      case EventKind::kRecovered:
        add(fill_placeholders(t.tr("log.detail.delivery"), {{"count", std::to_string(r.count)}}));
        if (r.redelivered) add(t.tr("log.detail.redelivered"));
        break;
      case EventKind::kRouted:
        add(fill_placeholders(t.tr("log.detail.queues"), {{"count", std::to_string(r.count)}}));
        break;
      case EventKind::kCommitted:
        add(fill_placeholders(t.tr("log.detail.writes"), {{"count", std::to_string(r.count)}}));
        break;
      default:
        break;
    }
    add(reason());
  } else if (const sim::Injection* in = log.injection(r)) {
    add(injection_text(t, *in));
  } else if (r.kind == sim::SimEventKind::kNarration) {
    add(t.language() == "id" && r.text_id != 0 ? log.text(r.text_id) : log.text(r.text));
  } else {
    add(reason());
  }
  return out;
}

std::string injection_text(const I18n& t, const sim::Injection& in) {
  std::string key = std::string("did.") + sim::injection_kind_name(in.kind);
  if (in.kind == sim::InjectionKind::kSlowDisk && in.window == 0) key = "did.slow_disk_off";
  std::string who = in.target;
  if (who.empty() &&
      (in.kind == sim::InjectionKind::kBadOrder || in.kind == sim::InjectionKind::kPoisonOrder)) {
    who = t.tr("did.shortest_line");
  }
  std::string problem;
  if (!in.problem.empty()) problem = t.tr("inject.problem." + in.problem);
  std::string out = fill_placeholders(t.tr(key), {{"who", who},
                                                  {"problem", problem},
                                                  {"rate", number(in.rate)},
                                                  {"time", sim::format_duration(in.window)},
                                                  {"message", in.message}});
  switch (in.kind) {
    case sim::InjectionKind::kCrashCook:
    case sim::InjectionKind::kCrashCashier:
    case sim::InjectionKind::kCrashBroker:
      if (in.restart_after) {
        add_part(out, *in.restart_after == 0
                          ? std::string(t.tr("did.stays_down"))
                          : fill_placeholders(t.tr("did.back_after"),
                                              {{"time", sim::format_duration(*in.restart_after)}}));
      }
      break;
    case sim::InjectionKind::kAddCook:
      if (in.speed != 1.0) {
        add_part(out, fill_placeholders(t.tr("did.speed"), {{"speed", number(in.speed)}}));
      }
      break;
    case sim::InjectionKind::kBadOrder:
    case sim::InjectionKind::kPoisonOrder:
      if (!in.dish.empty()) add_part(out, fill_placeholders(t.tr("did.dish"), {{"dish", in.dish}}));
      break;
    case sim::InjectionKind::kSetQueue: {
      const sim::QueueChange& q = in.queue;
      if (q.durable) add_part(out, t.tr(*q.durable ? "did.durable" : "did.transient"));
      if (q.max_length) {
        add_part(out, fill_placeholders(
                          t.tr("did.max_length"),
                          {{"value", limit(t, *q.max_length, std::to_string(*q.max_length))}}));
      }
      if (q.ttl) {
        add_part(out, fill_placeholders(t.tr("did.ttl"),
                                        {{"value", limit(t, static_cast<uint64_t>(*q.ttl),
                                                         sim::format_duration(*q.ttl))}}));
      }
      if (q.delivery_limit) {
        add_part(out,
                 fill_placeholders(
                     t.tr("did.delivery_limit"),
                     {{"value", limit(t, *q.delivery_limit, std::to_string(*q.delivery_limit))}}));
      }
      break;
    }
    default:
      break;
  }
  return out;
}

std::string variant_text(const I18n& t, const Variant& v) {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ", ";
    out += part;
  };
  auto count = [&t](const char* key, uint64_t n) {
    return fill_placeholders(t.tr(key), {{"count", std::to_string(n)}});
  };
  auto valued = [&t](const char* key, uint64_t n, std::string shown) {
    return fill_placeholders(t.tr(key), {{"value", limit(t, n, std::move(shown))}});
  };
  if (v.durable) add(t.tr(*v.durable ? "compare.variant.durable" : "compare.variant.transient"));
  if (v.mode) {
    add(t.tr(*v.mode == sim::Mode::kDirect ? "compare.variant.direct" : "compare.variant.broker"));
  }
  if (v.prefetch) {
    add(*v.prefetch == 0 ? std::string(t.tr("compare.variant.no_prefetch"))
                         : count("compare.variant.prefetch", *v.prefetch));
  }
  if (v.extra_cooks && *v.extra_cooks != 0) {
    const int n = *v.extra_cooks;
    add(n > 0 ? count("compare.variant.more_cooks", static_cast<uint64_t>(n))
              : count("compare.variant.fewer_cooks", static_cast<uint64_t>(-n)));
  }
  if (v.rate) add(fill_placeholders(t.tr("compare.variant.rate"), {{"rate", number(*v.rate)}}));
  if (v.delivery_limit) {
    add(valued("compare.variant.delivery_limit", *v.delivery_limit,
               std::to_string(*v.delivery_limit)));
  }
  if (v.ttl) {
    add(valued("compare.variant.ttl", static_cast<uint64_t>(*v.ttl), sim::format_duration(*v.ttl)));
  }
  if (v.max_length) {
    add(valued("compare.variant.max_length", *v.max_length, std::to_string(*v.max_length)));
  }
  return out;
}

std::string side_b_label(const I18n& t, const Workbench& bench) {
  if (bench.b_kind() == Workbench::BKind::kPreviousFuture) {
    return fill_placeholders(t.tr("compare.side_b_previous"),
                             {{"time", sim::format_clock(bench.previous_fork())}});
  }
  const std::string what = bench.variant() != nullptr ? variant_text(t, *bench.variant()) : "";
  return fill_placeholders(t.tr("compare.side_b"), {{"variant", what}});
}

const char* cook_state_label(const I18n& t, sim::CookState state) {
  return t.tr(std::string("cook_state.") + sim::cook_state_name(state));
}

const char* cashier_state_label(const I18n& t, sim::CashierState state) {
  return t.tr(std::string("cashier_state.") + sim::cashier_state_name(state));
}

const char* order_status_label(const I18n& t, const sim::Order& order) {
  if (order.status == sim::OrderStatus::kRejected && order.unroutable) {
    return t.tr("order_status.returned");
  }
  if (order.status == sim::OrderStatus::kPlacing &&
      order_ticket_state(order) == TicketState::kReady) {
    return t.tr("order_status.on_board_no_receipt");
  }
  return t.tr(std::string("order_status.") + sim::order_status_name(order.status));
}

}  // namespace wmq::gui
