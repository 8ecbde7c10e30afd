#include "sim/scenario.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "condition_read.h"
#include "sim/duration.h"
#include "toml_read.h"

namespace wmq::sim {

using detail::LoadError;
using detail::quoted_list;
using detail::Reader;
using detail::suggest;
using detail::TValue;

namespace {

constexpr Micros kHour = 3600 * kSeconds;
constexpr Micros kDay = 24 * kHour;

const std::vector<std::string> kLatencyFigures = {"latency_p50", "latency_p90", "latency_p99",
                                                  "latency_max"};

Text read_text(const Reader& r, const TValue& table, const std::string& key) {
  Text t;
  const TValue* v = r.find(table, key);
  if (v == nullptr) return t;
  if (v->is_string()) {
    t.en = v->as_string().str;
    return t;
  }
  if (!v->is_table()) {
    r.fail(*v, "\"" + key + "\" must be a table like { en = \"...\", id = \"...\" }, got " +
                   Reader::type_name(*v));
  }
  r.check_keys(*v, "\"" + key + "\"", {"en", "id"});
  t.en = r.get_string(*v, "en").value_or("");
  t.id = r.get_string(*v, "id").value_or("");
  return t;
}

void read_queue_settings(const Reader& r, const TValue& t, QueueSettings& q) {
  if (auto v = r.get_bool(t, "durable")) q.durable = *v;
  if (auto v = r.get_int(t, "max_length", 0, 1'000'000)) q.max_length = static_cast<uint32_t>(*v);
  if (auto v = r.get_duration(t, "ttl", 0, kDay)) q.ttl = *v;
  if (auto v = r.get_int(t, "delivery_limit", 0, 1000))
    q.delivery_limit = static_cast<uint32_t>(*v);
}

// The names a timeline may refer to, as they exist at each moment.
struct Names {
  std::vector<std::string> cooks;
  std::vector<std::string> cashiers;
  std::vector<std::string> stations;
  std::vector<uint32_t> cooks_per_station;
};

std::string require_name(const Reader& r, const TValue& ev, const std::string& key,
                         const std::vector<std::string>& known, const std::string& what,
                         bool busiest = false) {
  const TValue& v = r.require(ev, key, "this " + what + " event");
  if (!v.is_string()) r.fail(v, "\"" + key + "\" must be a name in quotes");
  const std::string name = v.as_string().str;
  if (busiest && name == kBusiestCook) return name;
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    if (busiest) {
      std::vector<std::string> all = known;
      all.push_back(kBusiestCook);
      r.fail(v, "unknown " + key + " \"" + name + "\"" + suggest(name, all));
    }
    r.fail(v, "unknown " + key + " \"" + name + "\"" + suggest(name, known));
  }
  return name;
}

std::optional<std::string> optional_name(const Reader& r, const TValue& ev, const std::string& key,
                                         const std::vector<std::string>& known) {
  const TValue* v = r.find(ev, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) r.fail(*v, "\"" + key + "\" must be a name in quotes");
  const std::string name = v->as_string().str;
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    r.fail(*v, "unknown " + key + " \"" + name + "\"" + suggest(name, known));
  }
  return name;
}

// One focus target: "order:N" takes any number, the others a name the scenario defines.
std::string read_focus_target(const Reader& r, const TValue& v, const Names& names) {
  if (!v.is_string()) {
    r.fail(v,
           "\"focus\" must be what the moment is about in quotes, like \"order:1\" or "
           "\"cook:grill-1\", or a list of them");
  }
  const std::string target = v.as_string().str;
  // What an event that waits picks when it fires (check_narration_names checks it can).
  if (target == "cook:{cook}" || target == "order:{order}" || target == "queue:{queue}") {
    return target;
  }
  if (target.rfind("order:", 0) == 0) {
    const std::string n = target.substr(6);
    const bool number = !n.empty() && n.size() <= 9 &&
                        n.find_first_not_of("0123456789") == std::string::npos && n != "0";
    if (!number) r.fail(v, "focus \"" + target + "\" needs the order's number, like \"order:1\"");
    return target;
  }
  std::vector<std::string> known = {"broker"};
  for (const std::string& c : names.cooks)
    known.push_back("cook:" + c);
  for (const std::string& c : names.cashiers)
    known.push_back("cashier:" + c);
  for (const std::string& q : names.stations)
    known.push_back("queue:" + q);
  known.insert(known.end(), {"queue:pickup", "queue:dead-letters", "shelf:dead-letters",
                             "shelf:expired", "shelf:lost"});
  if (std::find(known.begin(), known.end(), target) == known.end()) {
    r.fail(v, "unknown focus \"" + target + "\"" + suggest(target, known));
  }
  return target;
}

std::vector<std::string> read_focus(const Reader& r, const TValue& ev, const Names& names) {
  std::vector<std::string> out;
  const TValue* v = r.find(ev, "focus");
  if (v == nullptr) return out;
  if (v->is_array()) {
    for (const TValue& one : v->as_array())
      out.push_back(read_focus_target(r, one, names));
  } else {
    out.push_back(read_focus_target(r, *v, names));
  }
  return out;
}

// When an event may fire: its `at`, or for one that waits (`when`) its
// `after` (0 when left out). Each shape's wrong mix is its own sentence.
Micros event_time(const Reader& r, const TValue& ev) {
  const bool at = r.find(ev, "at") != nullptr;
  if (r.find(ev, "when") != nullptr) {
    if (at) {
      r.fail(*r.find(ev, "at"),
             "an event with \"when\" waits from \"after\", not \"at\"; write after = \"" +
                 format_duration(*r.get_duration(ev, "at", 0, 30 * kDay)) + "\"");
    }
    return r.get_duration(ev, "after", 0, 30 * kDay).value_or(0);
  }
  for (const char* key : {"after", "deadline"}) {
    if (const TValue* v = r.find(ev, key)) {
      r.fail(*v, std::string("\"") + key +
                     "\" is for an event that waits for a moment; add a \"when\" such as "
                     "when = { cook = \"grill-1\", holds_at_least = 1 }, or write only \"at\"");
    }
  }
  r.require(ev, "at", "[[event]]");
  return *r.get_duration(ev, "at", 0, 30 * kDay);
}

void check_narration_names(const Reader& r, const TValue& ev, const TimelineEvent& e) {
  const bool cook_target = e.action && !e.action->target.empty() &&
                           (e.action->kind == InjectionKind::kCrashCook ||
                            e.action->kind == InjectionKind::kFreezeCook ||
                            e.action->kind == InjectionKind::kReviveCook ||
                            e.action->kind == InjectionKind::kRemoveCook);
  const bool by_queue = e.when && (e.when->kind == Condition::Kind::kQueueWaiting ||
                                   e.when->kind == Condition::Kind::kQueueRefused);
  const bool cook = cook_target || (e.when && !by_queue);
  const bool order = cook || (e.when && e.when->kind == Condition::Kind::kOrderState);
  const bool queue = by_queue;
  for (const char* key : {"en", "id"}) {
    if (const TValue* v = r.find(ev, key)) {
      detail::check_names(r, *v, key, v->as_string().str, cook, order, queue);
    }
  }
  if (const TValue* v = r.find(ev, "focus")) {
    for (const std::string& f : e.focus)
      detail::check_names(r, *v, "focus", f, cook, order, queue);
  }
}

void read_event(const Reader& r, const TValue& ev, Scenario& s, Names& names, TimelineEvent& out) {
  std::vector<std::string> keys = {"at", "after", "when",  "deadline", "do",
                                   "en", "id",    "pause", "focus"};
  const std::optional<std::string> what = r.get_string(ev, "do");
  std::optional<InjectionKind> kind;
  if (what) {
    kind = injection_kind_from_name(*what);
    if (!kind) {
      std::vector<std::string> all;
      for (int i = 0; i < kInjectionKinds; ++i)
        all.push_back(injection_kind_name(static_cast<InjectionKind>(i)));
      r.fail(*r.find(ev, "do"), "\"do\" \"" + *what + "\" is not something the simulator can do" +
                                    suggest(*what, all));
    }
  }
  // The keys each kind reads, on top of the common ones.
  if (kind) {
    switch (*kind) {
      case InjectionKind::kCrashCook:
        keys.insert(keys.end(), {"cook", "restart_after"});
        break;
      case InjectionKind::kFreezeCook:
      case InjectionKind::kReviveCook:
      case InjectionKind::kRemoveCook:
        keys.push_back("cook");
        break;
      case InjectionKind::kAddCook:
        keys.insert(keys.end(), {"station", "speed"});
        break;
      case InjectionKind::kCrashCashier:
        keys.insert(keys.end(), {"cashier", "restart_after"});
        break;
      case InjectionKind::kReviveCashier:
        keys.push_back("cashier");
        break;
      case InjectionKind::kCrashBroker:
        keys.push_back("restart_after");
        break;
      case InjectionKind::kRestartBroker:
      case InjectionKind::kFillDisk:
      case InjectionKind::kFreeDisk:
        break;
      case InjectionKind::kBadOrder:
        keys.insert(keys.end(), {"problem", "cashier", "dish"});
        break;
      case InjectionKind::kPoisonOrder:
        keys.insert(keys.end(), {"cashier", "dish"});
        break;
      case InjectionKind::kSetRate:
        keys.push_back("rate");
        break;
      case InjectionKind::kSetQueue:
        keys.insert(keys.end(), {"queue", "durable", "max_length", "ttl", "delivery_limit"});
        break;
      case InjectionKind::kSlowDisk:
        keys.push_back("window");
        break;
      case InjectionKind::kAnnounce:
        keys.push_back("message");
        break;
    }
  }
  r.check_keys(ev, what ? "this " + *what + " event" : "[[event]]", keys);
  out.at = event_time(r, ev);
  if (const TValue* w = r.find(ev, "when")) {
    std::vector<std::string> queues = names.stations;
    queues.insert(queues.end(), {"pickup", "dead-letters"});
    out.when = detail::read_condition(r, *w, names.cooks, names.stations, queues);
    if (auto d = r.get_duration(ev, "deadline", 0, 30 * kDay)) {
      if (*d <= out.at) {
        r.fail(*r.find(ev, "deadline"), "\"deadline\" (" + format_duration(*d) +
                                            ") must be later than \"after\" (" +
                                            format_duration(out.at) + "), or it never waits");
      }
      out.deadline = *d;
    }
  }
  out.say.en = r.get_string(ev, "en").value_or("");
  out.say.id = r.get_string(ev, "id").value_or("");
  out.pause = r.get_bool(ev, "pause").value_or(false);
  out.line = r.line_of(ev);
  out.focus = read_focus(r, ev, names);
  if (!kind) {
    if (out.say.empty()) {
      r.fail(ev,
             "this [[event]] does nothing; add \"do\" (an injection such as \"crash_cook\") "
             "or narration \"en\" / \"id\"");
    }
    check_narration_names(r, ev, out);
    return;
  }
  const std::string where = "this " + *what + " event";
  Injection in;
  in.kind = *kind;
  in.at = out.at;
  switch (*kind) {
    case InjectionKind::kCrashCook:
    case InjectionKind::kFreezeCook:
    case InjectionKind::kReviveCook:
    case InjectionKind::kRemoveCook:
      // Who is busiest is known only when the event fires.
      in.target =
          require_name(r, ev, "cook", names.cooks, *what, *kind != InjectionKind::kReviveCook);
      break;
    case InjectionKind::kAddCook: {
      in.target = require_name(r, ev, "station", names.stations, *what);
      in.speed = r.get_number(ev, "speed", 0.05, 20).value_or(1.0);
      const auto st = static_cast<size_t>(s.station_index(in.target));
      names.cooks.push_back(in.target + "-" + std::to_string(++names.cooks_per_station[st]));
      break;
    }
    case InjectionKind::kCrashCashier:
    case InjectionKind::kReviveCashier:
      in.target = require_name(r, ev, "cashier", names.cashiers, *what);
      break;
    case InjectionKind::kCrashBroker:
    case InjectionKind::kRestartBroker:
    case InjectionKind::kFillDisk:
    case InjectionKind::kFreeDisk:
      break;
    case InjectionKind::kBadOrder:
    case InjectionKind::kPoisonOrder: {
      if (auto c = optional_name(r, ev, "cashier", names.cashiers)) in.target = *c;
      if (auto d = r.get_string(ev, "dish")) {
        in.dish = *d;
        const bool unknown_ok =
            *kind == InjectionKind::kBadOrder && r.get_string(ev, "problem").value_or("") == "dish";
        if (!unknown_ok && s.menu.find(in.dish) == nullptr) {
          r.fail(*r.find(ev, "dish"), "unknown dish \"" + in.dish + "\" (not on the menu \"" +
                                          s.menu.path + "\")" + suggest(in.dish, s.menu.names()));
        }
      }
      if (*kind == InjectionKind::kBadOrder) {
        r.require(ev, "problem", where);
        in.problem = *r.get_string(ev, "problem");
        if (!is_bad_order_problem(in.problem)) {
          r.fail(*r.find(ev, "problem"),
                 "\"problem\" \"" + in.problem + "\" is not a problem the simulator knows" +
                     suggest(in.problem, {"qty", "dish", "table", "json", "note", "station"}));
        }
        if (in.problem == "station") {
          // The point is a real dish whose station has no queue in this restaurant.
          if (!in.dish.empty()) {
            if (s.station_index(s.menu.find(in.dish)->station) >= 0) {
              r.fail(*r.find(ev, "dish"),
                     "problem \"station\" needs a dish whose station has no queue here, but \"" +
                         in.dish + "\" is cooked at \"" + s.menu.find(in.dish)->station + "\"");
            }
          } else {
            bool any = false;
            for (const Dish& d : s.menu.dishes)
              any |= s.station_index(d.station) < 0;
            if (!any) {
              r.fail(ev,
                     "problem \"station\" needs a dish whose station has no queue here, and "
                     "every dish on the menu has one; leave a station out or pick another "
                     "problem");
            }
          }
        }
      }
      break;
    }
    case InjectionKind::kSetRate:
      r.require(ev, "rate", where);
      in.rate = *r.get_number(ev, "rate", 0, 10000);
      break;
    case InjectionKind::kSetQueue: {
      std::vector<std::string> queues = names.stations;
      queues.push_back("pickup");
      in.target = require_name(r, ev, "queue", queues, *what);
      if (auto v = r.get_bool(ev, "durable")) in.queue.durable = *v;
      if (auto v = r.get_int(ev, "max_length", 0, 1'000'000))
        in.queue.max_length = static_cast<uint32_t>(*v);
      if (auto v = r.get_duration(ev, "ttl", 0, kDay)) in.queue.ttl = *v;
      if (auto v = r.get_int(ev, "delivery_limit", 0, 1000))
        in.queue.delivery_limit = static_cast<uint32_t>(*v);
      if (in.queue == QueueChange{}) {
        r.fail(ev,
               "this set_queue event changes nothing; add durable, max_length, ttl or "
               "delivery_limit");
      }
      break;
    }
    case InjectionKind::kSlowDisk:
      r.require(ev, "window", where);
      in.window = *r.get_duration(ev, "window", 0, kHour);
      break;
    case InjectionKind::kAnnounce:
      r.require(ev, "message", where);
      in.message = *r.get_string(ev, "message");
      if (!s.announcements) {
        r.fail(ev,
               "announce needs the announcements exchange; add announcements = true to "
               "[restaurant]");
      }
      break;
  }
  if (*kind == InjectionKind::kCrashCook || *kind == InjectionKind::kCrashCashier ||
      *kind == InjectionKind::kCrashBroker) {
    in.restart_after = r.get_duration(ev, "restart_after", 0, kDay);
  }
  out.action = std::move(in);
  check_narration_names(r, ev, out);
}

void read_expectations(const Reader& r, const TValue& t, Scenario& s) {
  const std::vector<std::string> known = expectation_keys();
  for (const auto& [key, v] : t.as_table()) {
    Expectation e;
    e.name = key;
    e.line = r.line_of(v);
    if (key == "no_confirmed_lost") {
      if (!r.get_bool(t, key).value()) continue;  // false: nothing to check
      e.kind = Expectation::Kind::kNoConfirmedLost;
    } else if (key == "events_on_time") {
      if (!r.get_bool(t, key).value()) continue;
      e.kind = Expectation::Kind::kEventsOnTime;
    } else if (key == "max_waiting") {
      if (!v.is_table()) {
        r.fail(v, "\"max_waiting\" must be a table like { over = \"10m\", count = 0 }");
      }
      r.check_keys(v, "\"max_waiting\"", {"over", "count"});
      r.require(v, "over", "\"max_waiting\"");
      r.require(v, "count", "\"max_waiting\"");
      e.kind = Expectation::Kind::kMaxWaiting;
      e.over = *r.get_duration(v, "over", 0, kDay);
      e.value = *r.get_int(v, "count", 0, 100'000'000);
    } else if (key == "queue") {
      if (!v.is_table()) r.fail(v, "\"queue\" must hold one table per queue: [expect.queue.wok]");
      std::vector<std::string> queues;
      for (const StationSettings& st : s.stations)
        queues.push_back(st.name);
      queues.insert(queues.end(), {"pickup", "dead-letters"});
      for (const auto& [qname, qv] : v.as_table()) {
        if (std::find(queues.begin(), queues.end(), qname) == queues.end()) {
          r.fail(qv, "unknown queue \"" + qname + "\" in [expect.queue]" + suggest(qname, queues));
        }
        if (!qv.is_table()) {
          r.fail(qv, "[expect.queue." + qname +
                         "] must be a table with min_peak, max_peak or "
                         "max_final");
        }
        r.check_keys(qv, "[expect.queue." + qname + "]", {"min_peak", "max_peak", "max_final"});
        for (const auto& [k, kv] : qv.as_table()) {
          Expectation q;
          q.queue = qname;
          q.name = "queue." + qname + "." + k;
          q.line = r.line_of(kv);
          q.value = *r.get_int(qv, k, 0, 100'000'000);
          q.kind = k == "min_peak"   ? Expectation::Kind::kQueueMinPeak
                   : k == "max_peak" ? Expectation::Kind::kQueueMaxPeak
                                     : Expectation::Kind::kQueueMaxFinal;
          s.expect.push_back(std::move(q));
        }
      }
      continue;
    } else if (std::find(known.begin(), known.end(), key) != known.end()) {
      e.kind = key.rfind("min_", 0) == 0 ? Expectation::Kind::kMin : Expectation::Kind::kMax;
      e.figure = key.substr(4);
      if (is_duration_figure(e.figure)) {
        e.value = *r.get_duration(t, key, 0, 30 * kDay);
      } else {
        e.value = *r.get_int(t, key, 0, 1'000'000'000);
      }
    } else {
      r.fail(v, "unknown key \"" + key + "\" in [expect]" + suggest(key, known));
    }
    s.expect.push_back(std::move(e));
  }
  std::stable_sort(s.expect.begin(), s.expect.end(),
                   [](const Expectation& a, const Expectation& b) { return a.line < b.line; });
}

Scenario parse(const Reader& r, const std::string& text, const LoadOptions& options) {
  const TValue root = r.parse(text);
  r.check_keys(root, "the scenario file",
               {"scenario", "restaurant", "queues", "pickup", "station", "event", "expect"});
  Scenario s;
  s.file = r.file();

  // [scenario]
  const TValue* sc = r.find(root, "scenario");
  if (sc == nullptr || !sc->is_table()) {
    r.fail_line(1, "a scenario file needs a [scenario] table with at least name = \"...\"");
  }
  r.check_keys(*sc, "[scenario]",
               {"name", "title", "about", "watch", "question", "answer", "seed", "duration", "mode",
                "menu", "dishes"});
  r.require(*sc, "name", "[scenario]");
  s.name = *r.get_string(*sc, "name");
  s.title = read_text(r, *sc, "title");
  s.about = read_text(r, *sc, "about");
  s.watch = read_text(r, *sc, "watch");
  s.question = read_text(r, *sc, "question");
  s.answer = read_text(r, *sc, "answer");
  if (auto v = r.get_int(*sc, "seed", 0, INT64_MAX)) s.seed = static_cast<uint64_t>(*v);
  if (auto v = r.get_duration(*sc, "duration", kSeconds, 7 * kDay)) s.duration = *v;
  if (auto m = r.get_string(*sc, "mode")) {
    if (*m == "broker") {
      s.mode = Mode::kBroker;
    } else if (*m == "direct") {
      s.mode = Mode::kDirect;
    } else {
      r.fail(*r.find(*sc, "mode"), "\"mode\" must be \"broker\" or \"direct\", got \"" + *m + "\"");
    }
  }
  std::string menu_path = options.default_menu.empty() ? WMQ_DEFAULT_MENU : options.default_menu;
  if (auto m = r.get_string(*sc, "menu")) {
    std::filesystem::path p(*m);
    if (p.is_relative()) p = std::filesystem::path(r.file()).parent_path() / p;
    menu_path = p.lexically_normal().string();
  }
  Result<Menu> menu = load_menu(menu_path);
  if (!menu.is_ok()) {
    const TValue* at = r.find(*sc, "menu");
    if (at != nullptr && menu.status().code() == Code::kIoError) {
      r.fail(*at, "cannot read the menu \"" + menu_path +
                      "\"; \"menu\" is relative to the "
                      "scenario file");
    }
    throw LoadError{menu.status().message()};
  }
  s.menu = std::move(menu).value();

  // [restaurant]
  if (const TValue* rt = r.find(root, "restaurant")) {
    if (!rt->is_table()) r.fail(*rt, "\"restaurant\" must be a table: [restaurant]");
    r.check_keys(*rt, "[restaurant]",
                 {"cashiers", "old_cashiers", "tables", "rate", "service", "handoff", "max_qty",
                  "confirm_timeout", "max_unconfirmed", "heartbeat", "suspect_after", "dead_after",
                  "cook_restart", "cashier_restart", "broker_restart", "commit_window",
                  "pickup_prefetch", "announcements"});
    if (auto v = r.get_int(*rt, "cashiers", 1, 50)) s.cashiers = static_cast<uint32_t>(*v);
    if (auto v = r.get_int(*rt, "old_cashiers", 0, s.cashiers))
      s.old_cashiers = static_cast<uint32_t>(*v);
    if (auto v = r.get_int(*rt, "tables", 1, 1000)) s.tables = static_cast<uint32_t>(*v);
    if (auto v = r.get_number(*rt, "rate", 0, 10000)) s.rate = *v;
    if (const TValue* v = r.find(*rt, "service"))
      s.service = detail::read_time_dist(r, *v, "service");
    if (auto v = r.get_duration(*rt, "handoff", 0, kHour)) s.handoff = *v;
    if (auto v = r.get_int(*rt, "max_qty", 1, 20)) s.max_qty = static_cast<uint32_t>(*v);
    if (auto v = r.get_duration(*rt, "confirm_timeout", kMillis, kHour)) s.confirm_timeout = *v;
    if (auto v = r.get_int(*rt, "max_unconfirmed", 1, 100))
      s.max_unconfirmed = static_cast<uint32_t>(*v);
    if (auto v = r.get_duration(*rt, "heartbeat", kMillis, kHour)) s.heartbeat = *v;
    if (auto v = r.get_duration(*rt, "suspect_after", 0, kDay)) s.suspect_after = *v;
    if (auto v = r.get_duration(*rt, "dead_after", 0, kDay)) s.dead_after = *v;
    if (auto v = r.get_duration(*rt, "cook_restart", 0, kDay)) s.cook_restart = *v;
    if (auto v = r.get_duration(*rt, "cashier_restart", 0, kDay)) s.cashier_restart = *v;
    if (auto v = r.get_duration(*rt, "broker_restart", 0, kDay)) s.broker_restart = *v;
    if (auto v = r.get_duration(*rt, "commit_window", 0, kHour)) s.commit_window = *v;
    if (auto v = r.get_int(*rt, "pickup_prefetch", 0, 1000))
      s.pickup_prefetch = static_cast<uint32_t>(*v);
    if (auto v = r.get_bool(*rt, "announcements")) s.announcements = *v;
    if (s.suspect_after > 0 && s.dead_after > 0 && s.dead_after < s.suspect_after) {
      r.fail(*r.find(*rt, "dead_after"), "\"dead_after\" (" + format_duration(s.dead_after) +
                                             ") must be >= \"suspect_after\" (" +
                                             format_duration(s.suspect_after) + ")");
    }
    if (s.suspect_after > 0 && s.suspect_after <= s.heartbeat) {
      const TValue* at = r.find(*rt, "suspect_after");
      r.fail(at ? *at : *rt, "\"suspect_after\" (" + format_duration(s.suspect_after) +
                                 ") must be longer than \"heartbeat\" (" +
                                 format_duration(s.heartbeat) +
                                 "), or every healthy cook would be suspected");
    }
  }

  // [queues]: defaults for every station queue; [pickup].
  QueueSettings defaults;
  if (const TValue* q = r.find(root, "queues")) {
    if (!q->is_table()) r.fail(*q, "\"queues\" must be a table: [queues]");
    r.check_keys(*q, "[queues]", {"durable", "max_length", "ttl", "delivery_limit"});
    read_queue_settings(r, *q, defaults);
  }
  if (const TValue* p = r.find(root, "pickup")) {
    if (!p->is_table()) r.fail(*p, "\"pickup\" must be a table: [pickup]");
    r.check_keys(*p, "[pickup]", {"durable", "max_length", "ttl", "delivery_limit"});
    read_queue_settings(r, *p, s.pickup);
  }

  // [[station]]
  const std::vector<std::string> menu_stations = s.menu.stations();
  const TValue* stations = r.find(root, "station");
  if (stations == nullptr || !stations->is_array() || stations->as_array().empty()) {
    r.fail_line(1, "the restaurant needs at least one [[station]] with a name from the menu (" +
                       quoted_list(menu_stations) + ")");
  }
  for (const TValue& t : stations->as_array()) {
    if (!t.is_table()) r.fail(t, "each station must be a [[station]] table");
    r.check_keys(
        t, "[[station]]",
        {"name", "cooks", "prefetch", "speeds", "durable", "max_length", "ttl", "delivery_limit"});
    StationSettings st;
    r.require(t, "name", "[[station]]");
    st.name = *r.get_string(t, "name");
    if (std::find(menu_stations.begin(), menu_stations.end(), st.name) == menu_stations.end()) {
      r.fail(*r.find(t, "name"), "unknown station \"" + st.name +
                                     "\"; no dish on the menu is "
                                     "cooked there" +
                                     suggest(st.name, menu_stations));
    }
    if (s.station_index(st.name) >= 0) {
      r.fail(t, "station \"" + st.name + "\" is listed twice; give each station one [[station]]");
    }
    st.cooks = static_cast<uint32_t>(r.get_int(t, "cooks", 0, 100).value_or(1));
    st.prefetch = static_cast<uint32_t>(r.get_int(t, "prefetch", 0, 1000).value_or(1));
    if (const TValue* sp = r.find(t, "speeds")) {
      if (!sp->is_array()) r.fail(*sp, "\"speeds\" must be a list of numbers like [1.0, 0.5]");
      if (sp->as_array().size() > st.cooks) {
        r.fail(*sp, "\"speeds\" lists " + std::to_string(sp->as_array().size()) +
                        " cooks but the station has " + std::to_string(st.cooks));
      }
      for (const TValue& x : sp->as_array()) {
        double v = x.is_integer() ? static_cast<double>(x.as_integer())
                                  : (x.is_floating() ? x.as_floating() : -1.0);
        if (!(v >= 0.05 && v <= 20)) {
          r.fail(x, "each of \"speeds\" must be a number 0.05..20 (1.0 is normal speed)");
        }
        st.speeds.push_back(v);
      }
    }
    st.queue = defaults;
    read_queue_settings(r, t, st.queue);
    s.stations.push_back(std::move(st));
  }

  // Dishes customers order.
  const TValue* dishes = r.find(*sc, "dishes");
  if (dishes != nullptr) {
    const std::vector<std::string> names = r.get_string_array(*sc, "dishes");
    if (names.empty()) r.fail(*dishes, "\"dishes\" is empty; list dishes from the menu");
    for (size_t i = 0; i < names.size(); ++i) {
      const int idx = s.menu.index_of(names[i]);
      if (idx < 0) {
        r.fail(dishes->as_array()[i], "unknown dish \"" + names[i] + "\" (not on the menu \"" +
                                          s.menu.path + "\")" + suggest(names[i], s.menu.names()));
      }
      s.dishes.push_back(static_cast<uint32_t>(idx));
    }
  } else {
    for (size_t i = 0; i < s.menu.dishes.size(); ++i) {
      if (s.station_index(s.menu.dishes[i].station) >= 0)
        s.dishes.push_back(static_cast<uint32_t>(i));
    }
    if (s.dishes.empty()) {
      r.fail(*sc,
             "no dish on the menu is cooked at these stations; add a [[station]] or list "
             "\"dishes\"");
    }
  }

  // [[event]]
  Names names;
  names.cashiers = s.cashier_names();
  names.cooks = s.cook_names();
  for (const StationSettings& st : s.stations) {
    names.stations.push_back(st.name);
    names.cooks_per_station.push_back(st.cooks);
  }
  if (const TValue* events = r.find(root, "event")) {
    if (!events->is_array()) r.fail(*events, "events must be [[event]] tables");
    // Names of added cooks depend on time order, so read the events in it.
    std::vector<const TValue*> order;
    std::vector<Micros> ats;
    for (const TValue& ev : events->as_array()) {
      if (!ev.is_table()) r.fail(ev, "each event must be an [[event]] table");
      order.push_back(&ev);
      ats.push_back(event_time(r, ev));
    }
    std::vector<size_t> idx(order.size());
    for (size_t i = 0; i < idx.size(); ++i)
      idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return ats[a] < ats[b]; });
    for (size_t i : idx) {
      TimelineEvent te;
      read_event(r, *order[i], s, names, te);
      s.timeline.push_back(std::move(te));
    }
  }

  // [expect]
  if (const TValue* ex = r.find(root, "expect")) {
    if (!ex->is_table()) r.fail(*ex, "\"expect\" must be a table: [expect]");
    read_expectations(r, *ex, s);
  }
  return s;
}

}  // namespace

const char* mode_name(Mode mode) {
  return mode == Mode::kDirect ? "direct" : "broker";
}

int Scenario::station_index(const std::string& n) const {
  for (size_t i = 0; i < stations.size(); ++i) {
    if (stations[i].name == n) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> Scenario::cook_names() const {
  std::vector<std::string> out;
  for (const StationSettings& st : stations) {
    for (uint32_t i = 1; i <= st.cooks; ++i)
      out.push_back(st.name + "-" + std::to_string(i));
  }
  return out;
}

std::vector<std::string> Scenario::cashier_names() const {
  std::vector<std::string> out;
  for (uint32_t i = 1; i <= cashiers; ++i)
    out.push_back("cashier-" + std::to_string(i));
  return out;
}

const std::vector<std::string>& figure_names() {
  static const std::vector<std::string> names = {
      "placed",    "confirmed",     "rejected",   "delivered",     "redelivered",   "cooked",
      "served",    "dead_lettered", "expired",    "lost",          "duplicates",    "in_flight",
      "late_acks", "crashes",       "recoveries", "group_commits", "announcements", "customers",
      "retries",   "unplaced",      "board_peak", "board_final"};
  return names;
}

bool is_duration_figure(std::string_view name) {
  return std::find(kLatencyFigures.begin(), kLatencyFigures.end(), name) != kLatencyFigures.end();
}

std::vector<std::string> expectation_keys() {
  std::vector<std::string> out = {"no_confirmed_lost", "events_on_time", "max_waiting", "queue"};
  for (const std::string& f : figure_names()) {
    out.push_back("min_" + f);
    out.push_back("max_" + f);
  }
  for (const std::string& f : kLatencyFigures) {
    out.push_back("min_" + f);
    out.push_back("max_" + f);
  }
  return out;
}

Result<Scenario> parse_scenario(const std::string& text, const std::string& file,
                                const LoadOptions& options) {
  Reader r(file);
  try {
    return parse(r, text, options);
  } catch (const LoadError& e) {
    return Status::error(Code::kInvalid, e.message);
  }
}

Result<Scenario> load_scenario(const std::string& path, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::error(Code::kIoError,
                         path +
                             ": cannot read the scenario file; check the path (scenarios are "
                             "in the scenarios/ folder)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), path, options);
}

}  // namespace wmq::sim
