#include "gui/model/state_json.h"

#include "sim/duration.h"
#include "sim/scenario.h"

namespace wmq::gui {

namespace {

using nlohmann::json;

json counters_json(const sim::Counters& c) {
  return {{"customers", c.customers},
          {"placed", c.placed},
          {"confirmed", c.confirmed},
          {"rejected", c.rejected},
          {"delivered", c.delivered},
          {"redelivered", c.redelivered},
          {"cooked", c.cooked},
          {"served", c.served},
          {"duplicates", c.duplicates},
          {"late_acks", c.late_acks},
          {"publishes", c.publishes},
          {"retries", c.retries},
          {"crashes", c.crashes},
          {"recoveries", c.recoveries},
          {"recovered_messages", c.recovered_messages},
          {"group_commits", c.group_commits},
          {"cook_crashes", c.cook_crashes},
          {"announcements", c.announcements},
          {"external_delivered", c.external_delivered},
          {"external_cooked", c.external_cooked},
          {"external_returned", c.external_returned},
          {"external_sent", c.external_sent},
          {"external_rejected", c.external_rejected}};
}

json figures_json(const sim::Report& r) {
  json out = json::object();
  for (const std::string& name : sim::figure_names())
    out[name] = r.figure(name);
  return out;
}

std::string dish_station(const sim::Simulation& s, uint16_t dish) {
  const auto& dishes = s.scenario().menu.dishes;
  return dish < dishes.size() ? dishes[dish].station : std::string();
}

json externals_json(const sim::Simulation& s) {
  json out = json::array();
  for (const sim::ExternalClient& x : s.external_clients()) {
    json held = json::array();
    for (const sim::Ticket& t : x.held)
      held.push_back(t.order);
    const bool at_station = x.station >= 0 && static_cast<size_t>(x.station) < s.stations().size();
    out.push_back(
        {{"name", x.name},
         {"role", sim::external_role_name(x.role)},
         {"state", sim::external_state_name(x.state)},
         {"station", at_station ? json(s.stations()[static_cast<size_t>(x.station)]) : json()},
         {"connected_at_us", x.connected_at},
         {"left_at_us", x.left_at},
         {"delivered", x.delivered},
         {"acked", x.cooked},
         {"returned", x.returned},
         {"held", held},
         {"sent", x.sent},
         {"rejected", x.rejected}});
  }
  return out;
}

}  // namespace

json run_json(const Run& run) {
  const sim::Simulation& s = run.sim();
  json cooks = json::array();
  for (const sim::Cook& k : s.cooks()) {
    json held = json::array();
    json counts = json::array();
    for (const sim::Ticket& t : k.held) {
      held.push_back(t.order);
      counts.push_back(t.delivery_count);
    }
    if (k.direct_order != 0) held.push_back(k.direct_order);
    cooks.push_back({{"name", k.name},
                     {"station", s.stations()[k.station]},
                     {"state", sim::cook_state_name(k.state)},
                     {"prefetch", k.prefetch},
                     {"held", held},
                     {"held_counts", counts},
                     {"crashes", k.crashes},
                     {"cooked", k.cooked}});
  }
  json cashiers = json::array();
  for (const sim::Cashier& c : s.cashiers()) {
    cashiers.push_back({{"name", c.name},
                        {"state", sim::cashier_state_name(c.state)},
                        {"line", c.line.size()},
                        {"receipts", c.receipts},
                        {"last_receipt", c.last_receipt},
                        {"crashes", c.crashes}});
  }
  json queues = json::array();
  for (const sim::QueueStats& q : s.queues()) {
    queues.push_back(
        {{"name", q.name}, {"durable", q.durable}, {"depth", q.depth}, {"max_depth", q.max_depth}});
  }
  json orders = json::array();
  for (const sim::Order& o : s.orders()) {
    json steps = json::array();
    uint32_t redeliveries = 0;
    for (const sim::OrderStep& st : s.history(o.number)) {
      steps.push_back(sim::step_kind_name(st.kind));
      if (st.kind == sim::StepKind::kDelivered && st.flag) ++redeliveries;
    }
    orders.push_back({{"number", o.number},
                      {"status", sim::order_status_name(o.status)},
                      {"station", dish_station(s, o.dish)},
                      {"deliveries", o.deliveries},
                      {"redeliveries", redeliveries},
                      {"confirmed", o.confirmed},
                      {"steps", steps}});
  }
  const sim::TimelineEvent* said = s.narration();
  return {{"time_us", s.now()},
          {"broker_down", s.broker_down()},
          {"narration", said != nullptr ? said->say.en : std::string()},
          {"pauses_reached", s.pauses_reached()},
          {"counters", counters_json(s.counters())},
          {"figures", figures_json(s.report())},
          {"cooks", cooks},
          {"cashiers", cashiers},
          {"queues", queues},
          {"orders", orders},
          {"external_clients", externals_json(s)},
          {"events", run.log().next_seq()}};
}

json state_json(const Workbench& bench) {
  json injections = json::array();
  for (const Recorded& r : bench.recorded()) {
    injections.push_back({{"at_us", r.injection.at},
                          {"made_at_us", r.made_at},
                          {"what", sim::describe(r.injection)},
                          {"on_b", r.on_b}});
  }
  // Where STOMP clients connect, while the run is live.
  const json listening =
      bench.live() ? json{{"bind", bench.listen_bind()}, {"port", bench.listen_port()}} : json();
  return {{"scenario", bench.scenario().name},
          {"file", bench.scenario().file},
          {"seed", bench.seed()},
          {"mode", sim::mode_name(bench.scenario().mode)},
          {"time_us", bench.now()},
          {"time", sim::format_clock(bench.now())},
          {"horizon_us", bench.horizon()},
          {"end_us", bench.end()},
          {"playing", bench.player().playing()},
          {"speed", bench.player().speed()},
          {"at_pause_point", bench.at_pause_point()},
          {"reached_end", bench.reached_end()},
          {"selection", describe(bench.selection())},
          {"variant", bench.variant() != nullptr ? json(describe(*bench.variant())) : json()},
          {"b_kind", bench.b_kind() == Workbench::BKind::kNone      ? "none"
                     : bench.b_kind() == Workbench::BKind::kVariant ? "variant"
                                                                    : "previous-future"},
          {"previous_fork_us", bench.previous_fork()},
          {"forks_us", bench.forks()},
          {"injections", injections},
          {"a", run_json(bench.a())},
          {"b", bench.b() != nullptr ? run_json(*bench.b()) : json()},
          {"deterministic", !bench.live()},
          {"listening", listening}};
}

std::vector<FigureDiff> compare_reports(const sim::Report& a, const sim::Report& b) {
  static const char* const kNames[] = {"placed",      "served",      "in_flight",     "lost",
                                       "redelivered", "duplicates",  "dead_lettered", "expired",
                                       "rejected",    "latency_p50", "latency_p90"};
  std::vector<FigureDiff> out;
  for (const char* n : kNames)
    out.push_back(FigureDiff{n, a.figure(n), b.figure(n)});
  return out;
}

}  // namespace wmq::gui
