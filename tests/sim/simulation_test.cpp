// The restaurant's behaviours, one per test: what a class should see happen.
#include <doctest.h>

#include <algorithm>

#include "sim/duration.h"
#include "sim_util.h"

using namespace wmq;
using namespace wmq::sim;
using namespace wmq::sim::test;

namespace {

constexpr Micros kMinute = 60 * kSeconds;

// A small warung: one cashier, wok and grill, no events.
std::string warung(const std::string& extra = "", const std::string& queues = "durable = true",
                   const std::string& mode = "broker") {
  return R"(
[scenario]
name = "t"
mode = ")" +
         mode +
         R"("
[restaurant]
cashiers = 2
rate = 2.0
[queues]
)" + queues +
         R"(
[[station]]
name = "wok"
cooks = 2
[[station]]
name = "grill"
cooks = 2
)" + extra;
}

std::vector<StepKind> kinds(const std::vector<OrderStep>& steps) {
  std::vector<StepKind> out;
  for (const OrderStep& s : steps)
    out.push_back(s.kind);
  return out;
}

bool has_step(const std::vector<OrderStep>& steps, StepKind k) {
  return std::any_of(steps.begin(), steps.end(), [k](const OrderStep& s) { return s.kind == k; });
}

// Everything a view can see, as text: two runs agree iff these agree.
std::string fingerprint(const Simulation& sim) {
  std::string out = report_json(sim.report());
  out += "now " + std::to_string(sim.now()) + "\n";
  for (const Order& o : sim.orders()) {
    out += std::to_string(o.number) + ":" + order_status_name(o.status) + ":" +
           std::to_string(o.copies) + "/" + std::to_string(o.food) + ":" +
           std::to_string(o.cooked) + " ";
  }
  for (const Cook& k : sim.cooks())
    out += k.name + "=" + cook_state_name(k.state) + "/" + std::to_string(k.held.size()) + " ";
  for (const Cashier& c : sim.cashiers())
    out += c.name + "=" + cashier_state_name(c.state) + "/" + std::to_string(c.line.size()) + " ";
  if (const Broker* b = sim.broker()) {
    for (const QueueSnapshot& q : b->snapshot().queues)
      out += q.name + ":" + std::to_string(q.ready) + "+" + std::to_string(q.unacked) + " ";
  }
  return out;
}

}  // namespace

TEST_CASE("a quiet warung serves its customers and every order is accounted for") {
  auto sim = start(scenario(warung()));
  sim->run_until(30 * kMinute);
  const Report r = sim->report();
  CHECK(r.placed == 57);
  CHECK(r.served == 25);
  CHECK(r.lost == 0);
  CHECK(r.rejected == 0);
  CHECK(r.confirmed == r.placed);
  CHECK(r.group_commits == 108);
  check_conservation(r);
  CHECK(sim->now() == 30 * kMinute);
}

TEST_CASE("crash_broker with durable queues loses no confirmed order: they come back from disk") {
  auto sim = start(scenario(warung("", "durable = true")));
  sim->run_until(10 * kMinute);
  std::vector<uint32_t> on_board;
  for (const Order& o : sim->orders()) {
    if (o.confirmed && o.copies > 0) on_board.push_back(o.number);
  }
  REQUIRE_FALSE(on_board.empty());
  Injection crash = inj(InjectionKind::kCrashBroker);
  crash.restart_after = 30 * kSeconds;
  REQUIRE(sim->inject(crash).is_ok());
  CHECK(sim->broker() == nullptr);
  CHECK(sim->broker_down());
  CHECK(sim->broker_restart_at() == 10 * kMinute + 30 * kSeconds);
  sim->run_until(11 * kMinute);
  REQUIRE(sim->broker() != nullptr);
  for (uint32_t n : on_board) {
    CAPTURE(n);
    const Order& o = *sim->order(n);
    CHECK((o.copies > 0 || o.served > 0 || o.food > 0));
    CHECK(has_step(sim->history(n), StepKind::kRecovered));
  }
  sim->run_until(40 * kMinute);
  const Report r = sim->report();
  CHECK(r.crashes == 1);
  CHECK(r.recoveries == 1);
  CHECK(r.lost == 0);
  check_conservation(r);
}

TEST_CASE("crash_broker with transient queues loses the confirmed orders they held") {
  auto sim = start(scenario(warung("", "durable = false")));
  sim->run_until(10 * kMinute);
  std::vector<uint32_t> on_board;
  for (const Order& o : sim->orders()) {
    if (o.confirmed && o.copies > 0) on_board.push_back(o.number);
  }
  REQUIRE_FALSE(on_board.empty());
  REQUIRE(sim->inject(inj(InjectionKind::kCrashBroker)).is_ok());
  sim->run_until(11 * kMinute);
  for (uint32_t n : on_board) {
    CAPTURE(n);
    const Order& o = *sim->order(n);
    CHECK(o.status == OrderStatus::kLost);
    CHECK(has_step(sim->history(n), StepKind::kVanished));
  }
  const Report r = sim->report();
  CHECK(r.lost >= on_board.size());
  CHECK(r.lost == 12);
  check_conservation(r);
}

TEST_CASE("direct mode: a crashed cook loses the order in hand") {
  auto sim = start(scenario(warung("", "durable = true", "direct")));
  CHECK(sim->broker() == nullptr);
  CHECK_FALSE(sim->broker_down());
  step_until(*sim, [&] { return cook(*sim, "wok-1").direct_order != 0; });
  const uint32_t n = cook(*sim, "wok-1").direct_order;
  const uint32_t cashier = sim->order(n)->cashier;
  CHECK(sim->cashiers()[cashier].state == CashierState::kWaitingFood);
  REQUIRE(sim->inject(inj(InjectionKind::kCrashCook, "wok-1")).is_ok());
  const Order& o = *sim->order(n);
  CHECK(o.status == OrderStatus::kLost);
  CHECK(o.lost_in_hand);
  CHECK(sim->customers()[o.customer - 1].state == CustomerState::kLeft);
  CHECK(sim->cashiers()[cashier].order == 0);  // the cashier stopped waiting
  const Report r = sim->report();
  CHECK(r.lost == 1);
  check_conservation(r);
}

TEST_CASE("direct mode: a busy cook blocks the cashier until the food is ready") {
  auto sim = start(scenario(warung("", "durable = true", "direct")));
  step_until(*sim, [&] {
    return std::any_of(sim->cashiers().begin(), sim->cashiers().end(),
                       [](const Cashier& c) { return c.state == CashierState::kWaitingFood; });
  });
  const Cashier* waiting = nullptr;
  for (const Cashier& c : sim->cashiers()) {
    if (c.state == CashierState::kWaitingFood) waiting = &c;
  }
  const uint32_t n = waiting->order;
  const uint32_t index = waiting->index;
  step_until(*sim, [&] { return sim->order(n)->cooked > 0; });
  CHECK(sim->cashiers()[index].state == CashierState::kHanding);
  CHECK(sim->cashiers()[index].handing == n);
}

TEST_CASE("a frozen cook is suspected, then dead; its order is redelivered, its late ack refused") {
  // Long wok dishes so the frozen cook is mid-dish; prefetch 1.
  auto sim = start(scenario(warung()));
  EventRecorder log;
  sim->add_observer(&log);
  step_until(*sim, [&] { return cook(*sim, "wok-1").state == CookState::kCooking; });
  const uint32_t n = cook(*sim, "wok-1").held.front().order;
  const SessionId session = cook(*sim, "wok-1").session;
  REQUIRE(sim->inject(inj(InjectionKind::kFreezeCook, "wok-1")).is_ok());
  CHECK(cook(*sim, "wok-1").state == CookState::kFrozen);
  const Micros frozen_at = sim->now();
  sim->run_until(frozen_at + 40 * kSeconds);  // suspect after 15s, dead after 30s
  const auto& states = log.entries();
  int suspected = 0, dead = 0;
  for (const LogEntry& e : states) {
    if (e.kind == SimEventKind::kBroker && e.broker_kind == EventKind::kSessionState &&
        e.session == session) {
      suspected += e.text == "missed heartbeats";
      dead += e.text == "no heartbeat within the dead timeout";
    }
  }
  CHECK(suspected == 1);
  CHECK(dead == 1);
  CHECK(cook(*sim, "wok-1").session_dead);
  CHECK(has_step(sim->history(n), StepKind::kRequeued));
  // Another cook gets it, redelivered, count 2.
  step_until(*sim, [&] { return sim->order(n)->cooked >= 1; });
  bool redelivered_to_other = false;
  for (const OrderStep& s : sim->history(n)) {
    if (s.kind == StepKind::kDelivered && s.flag && s.count == 2)
      redelivered_to_other = sim->cooks()[s.who].name == "wok-2";
  }
  CHECK(redelivered_to_other);
  // The frozen cook wakes, finishes the dish it had, and its ack is refused.
  REQUIRE(sim->inject(inj(InjectionKind::kReviveCook, "wok-1")).is_ok());
  step_until(*sim, [&] { return sim->report().late_acks == 1; });
  CHECK(sim->order(n)->cooked == 2);
  CHECK(has_step(sim->history(n), StepKind::kLateAckRefused));
  const Report r = sim->report();
  CHECK(r.duplicates == 1);
  CHECK(r.redelivered == 1);
  // It reconnected as a new session.
  CHECK(cook(*sim, "wok-1").session != session);
  CHECK_FALSE(cook(*sim, "wok-1").session_dead);
  check_conservation(r);
}

TEST_CASE(
    "a poison order crashes every cook who takes it until the delivery limit dead-letters it") {
  auto sim = start(scenario(warung("", "durable = true\ndelivery_limit = 3")));
  sim->run_until(1 * kMinute);
  Injection poison = inj(InjectionKind::kPoisonOrder);
  poison.dish = "nasi goreng";
  REQUIRE(sim->inject(poison).is_ok());
  sim->run_until(20 * kMinute);
  const Order* p = nullptr;
  for (const Order& o : sim->orders()) {
    if (o.special == Special::kPoison) p = &o;
  }
  REQUIRE(p != nullptr);
  CHECK(p->status == OrderStatus::kDeadLettered);
  CHECK(p->reason == "delivery_limit");
  CHECK(p->deliveries == 3);
  CHECK(sim->counters().cook_crashes == 3);
  const Report r = sim->report();
  CHECK(r.dead_lettered == 1);
  for (const QueueReport& q : r.queues) {
    if (q.name == "dead-letters") CHECK(q.final_depth == 1);
  }
  check_conservation(r);
}

TEST_CASE("bad orders are rejected with the broker's sentence and never reach a cook") {
  auto sim = start(scenario(warung()));
  const std::pair<std::string, std::string> problems[] = {
      {"qty", R"("qty" must be 1..20, got 0)"},
      {"table", R"("table" is missing)"},
      {"dish", R"("dish" must be a dish on the menu, got "pizza")"},
      {"json", "order rejected: the body is not a JSON object"},
      {"note", "cannot read the note"},
      {"station", R"(has no queue for routing key "drinks")"},
  };
  for (const auto& [problem, sentence] : problems) {
    Injection bad = inj(InjectionKind::kBadOrder, "cashier-1");
    bad.problem = problem;
    REQUIRE(sim->inject(bad).is_ok());
    sim->run_until(sim->now() + 2 * kMinute);
  }
  int rejected = 0;
  for (const Order& o : sim->orders()) {
    if (o.special != Special::kBad) continue;
    ++rejected;
    CAPTURE(o.reason);
    CHECK(o.status == OrderStatus::kRejected);
    CHECK(o.deliveries == 0);
    CHECK(o.cooked == 0);
  }
  REQUIRE(rejected == 6);
  std::vector<std::string> reasons;
  for (const Order& o : sim->orders()) {
    if (o.special == Special::kBad) reasons.push_back(o.reason);
  }
  for (size_t i = 0; i < 6; ++i) {
    CAPTURE(reasons[i]);
    CHECK(reasons[i].find(problems[i].second) != std::string::npos);
  }
  check_conservation(sim->report());
}

TEST_CASE("a bad order keeps what the cashier wrote, and an unroutable one says it was returned") {
  auto sim = start(scenario(warung()));
  for (const char* problem : {"qty", "table", "dish", "note", "station", "json"}) {
    Injection bad = inj(InjectionKind::kBadOrder, "cashier-1");
    bad.problem = problem;
    if (std::string(problem) == "dish") bad.dish = "rendang";
    REQUIRE(sim->inject(bad).is_ok());
    sim->run_until(sim->now() + 2 * kMinute);
  }
  std::vector<const Order*> bad;
  for (const Order& o : sim->orders()) {
    if (o.special == Special::kBad) bad.push_back(&o);
  }
  REQUIRE(bad.size() == 6);
  const Customer& zero = sim->customers()[bad[0]->customer - 1];
  CHECK(bad[0]->qty == 0);  // zero portions, as written; the customer wanted some
  CHECK(zero.qty > 0);
  CHECK(bad[1]->table == 0);  // no table number
  CHECK(bad[1]->qty > 0);
  CHECK(bad[2]->dish_written == "rendang");
  CHECK(bad[3]->qty == 2);  // "dua ...": the hurried note says two
  CHECK(bad[5]->dish_written.empty());
  for (size_t i = 0; i < bad.size(); ++i) {
    CAPTURE(i);
    CHECK(bad[i]->unroutable == (i == 4));  // only "station" fails at routing
    CHECK(bad[i]->status == OrderStatus::kRejected);
  }
}

TEST_CASE("an old cashier's notes are translated and cooked like JSON orders") {
  Scenario s = scenario(warung());
  s.cashiers = 1;
  s.old_cashiers = 1;
  auto sim = start(s);
  EventRecorder log;
  sim->add_observer(&log);
  sim->run_until(20 * kMinute);
  int translated = 0;
  for (const LogEntry& e : log.entries()) {
    if (e.kind == SimEventKind::kBroker && e.broker_kind == EventKind::kTranslated) {
      ++translated;
      CHECK(e.text == "text/x-order-note -> application/json");
    }
  }
  CHECK(translated == 31);
  CHECK(sim->report().served == 15);
  CHECK(sim->report().rejected == 0);
}

TEST_CASE(
    "a confirm slower than the timeout makes the cashier publish again: duplicates, no loss") {
  auto sim = start(scenario(warung()));
  sim->run_until(2 * kMinute);
  Injection slow = inj(InjectionKind::kSlowDisk);
  slow.window = 8 * kSeconds;  // confirm_timeout is 5s
  REQUIRE(sim->inject(slow).is_ok());
  CHECK(sim->commit_window() == 8 * kSeconds);
  sim->run_until(12 * kMinute);
  Injection fast = inj(InjectionKind::kSlowDisk);
  fast.window = 0;
  REQUIRE(sim->inject(fast).is_ok());
  CHECK(sim->commit_window() == 2 * kMillis);
  sim->run_until(60 * kMinute);
  const Report r = sim->report();
  CHECK(r.retries == 14);
  CHECK(r.duplicates == 14);
  CHECK(r.lost == 0);
  bool timed_out = false;
  for (const Order& o : sim->orders())
    timed_out |= has_step(sim->history(o.number), StepKind::kConfirmTimeout);
  CHECK(timed_out);
  check_conservation(r);
}

TEST_CASE("a full disk refuses orders (nack), the cashiers send them again, nothing is lost") {
  for (Storage storage : {Storage::kMemory, Storage::kSqlite}) {
    CAPTURE(static_cast<int>(storage));
    auto sim = start(scenario(warung()), 1, {}, storage);
    sim->run_until(2 * kMinute);
    const uint64_t failed_before = sim->broker()->snapshot().store.failed_commits;
    CHECK(failed_before == 0);
    REQUIRE(sim->inject(inj(InjectionKind::kFillDisk)).is_ok());
    CHECK(sim->disk_full());
    sim->run_until(4 * kMinute);
    const StoreSnapshot full = sim->broker()->snapshot().store;
    CHECK(full.disk_full);
    CHECK(full.failed_commits > 0);
    CHECK(full.last_failure == "database or disk is full");
    // The orders taken meanwhile were refused and are still with their cashiers.
    size_t not_saved = 0;
    for (const Order& o : sim->orders())
      not_saved += has_step(sim->history(o.number), StepKind::kNotSaved) ? 1 : 0;
    CHECK(not_saved > 0);
    // A crash does not empty the disk.
    Injection crash = inj(InjectionKind::kCrashBroker);
    crash.restart_after = 10 * kSeconds;
    REQUIRE(sim->inject(crash).is_ok());
    sim->run_until(5 * kMinute);
    REQUIRE(sim->broker() != nullptr);
    CHECK(sim->disk_full());
    REQUIRE(sim->inject(inj(InjectionKind::kFreeDisk)).is_ok());
    CHECK_FALSE(sim->disk_full());
    sim->run_until(60 * kMinute);
    CHECK_FALSE(sim->broker()->snapshot().store.disk_full);
    const Report r = sim->report();
    // Every refused order was sent again and written down once there was room.
    CHECK(r.lost == 0);
    CHECK(r.rejected == 0);
    CHECK(r.confirmed == r.placed);
    CHECK(r.retries >= not_saved);
    check_conservation(r);
  }
}

TEST_CASE("a full disk gives the same day on the SQLite file and in memory") {
  Scenario s = scenario(warung(R"(
[[event]]
at = "1m"
do = "fill_disk"
[[event]]
at = "3m"
do = "crash_broker"
restart_after = "20s"
[[event]]
at = "4m"
do = "free_disk"
)"));
  auto a = start(s, 7, {}, Storage::kMemory);
  auto b = start(s, 7, {}, Storage::kSqlite);
  a->run_until(30 * kMinute);
  b->run_until(30 * kMinute);
  CHECK(report_json(a->report()) == report_json(b->report()));
  CHECK(a->report().retries > 0);
}

TEST_CASE("set_rate 0 closes the door: no customer arrives after it") {
  auto sim = start(scenario(warung()));
  sim->run_until(5 * kMinute);
  Injection close = inj(InjectionKind::kSetRate);
  close.rate = 0;
  REQUIRE(sim->inject(close).is_ok());
  CHECK(sim->rate() == 0);
  const size_t customers = sim->customers().size();
  sim->run_until(60 * kMinute);
  CHECK(sim->customers().size() == customers);
  const Report r = sim->report();
  CHECK(r.in_flight == 0);
  CHECK(r.served == r.placed);
}

TEST_CASE("a full queue with max_length refuses new orders with the broker's reason") {
  Scenario s = scenario(warung("", "durable = true\nmax_length = 2"));
  s.stations[0].cooks = 0;  // nobody cooks wok: the board fills up
  auto sim = start(s);
  sim->run_until(30 * kMinute);
  int full = 0;
  for (const Order& o : sim->orders()) {
    if (o.rejected && o.reason.find("queue \"wok\" is full (max-length 2, overflow "
                                    "reject-publish)") != std::string::npos)
      ++full;
  }
  CHECK(full == 23);
  CHECK(sim->queues()[0].max_depth == 2);
  check_conservation(sim->report());
}

TEST_CASE("an order that waits longer than the queue's TTL expires") {
  Scenario s = scenario(warung("", "durable = true\nttl = \"3m\""));
  s.stations[0].cooks = 0;
  auto sim = start(s);
  sim->run_until(20 * kMinute);
  int expired = 0;
  for (const Order& o : sim->orders()) {
    if (o.status == OrderStatus::kExpired) {
      ++expired;
      CHECK(has_step(sim->history(o.number), StepKind::kExpired));
    }
  }
  CHECK(expired == 23);
  const Report r = sim->report();
  CHECK(r.expired == static_cast<uint64_t>(expired));
  check_conservation(r);
}

TEST_CASE("set_queue makes a transient queue durable on the live broker") {
  auto sim = start(scenario(warung("", "durable = false")));
  sim->run_until(5 * kMinute);
  CHECK_FALSE(sim->queues()[0].durable);
  Injection d = inj(InjectionKind::kSetQueue, "wok");
  d.queue.durable = true;
  REQUIRE(sim->inject(d).is_ok());
  CHECK(sim->queues()[0].durable);
  bool durable = false;
  for (const QueueSnapshot& q : sim->broker()->snapshot().queues) {
    if (q.name == "wok") durable = q.options.durable;
  }
  CHECK(durable);
}

TEST_CASE("an order's history tells its whole life through a cook's crash and a redelivery") {
  auto sim = start(scenario(warung()));
  step_until(*sim, [&] { return cook(*sim, "wok-1").state == CookState::kCooking; });
  const uint32_t n = cook(*sim, "wok-1").held.front().order;
  REQUIRE(sim->inject(inj(InjectionKind::kCrashCook, "wok-1")).is_ok());
  step_until(*sim, [&] { return sim->order(n)->served > 0; });
  const std::vector<StepKind> got = kinds(sim->history(n));
  const std::vector<StepKind> want = {
      StepKind::kPlaced,      StepKind::kPublished, StepKind::kValidated, StepKind::kRouted,
      StepKind::kEnqueued,    StepKind::kConfirmed, StepKind::kDelivered, StepKind::kCookStarted,
      StepKind::kCookCrashed, StepKind::kRequeued,  StepKind::kDelivered, StepKind::kCookStarted,
      StepKind::kFoodReady,   StepKind::kAtPickup,  StepKind::kAcked,     StepKind::kServed};
  // Confirm and delivery may come in either order (the confirm waits for the commit).
  std::vector<StepKind> a = got, b = want;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  CHECK(a == b);
  const std::vector<OrderStep>& h = sim->history(n);
  const auto second = std::find_if(h.begin(), h.end(), [](const OrderStep& s) {
    return s.kind == StepKind::kDelivered && s.count == 2;
  });
  REQUIRE(second != h.end());
  CHECK(second->flag);  // redelivered
  CHECK(sim->cooks()[second->who].name == "wok-2");
  const auto requeued = std::find_if(
      h.begin(), h.end(), [](const OrderStep& s) { return s.kind == StepKind::kRequeued; });
  CHECK(requeued->count == 1);
}

TEST_CASE("a crashed cashier's customer goes back to the front; its order is published again") {
  Scenario s = scenario(warung());
  s.cashiers = 1;
  auto sim = start(s);
  step_until(*sim, [&] { return sim->cashiers()[0].state == CashierState::kTaking; });
  const uint32_t customer = sim->cashiers()[0].customer;
  Injection crash = inj(InjectionKind::kCrashCashier, "cashier-1");
  crash.restart_after = 1 * kMinute;
  REQUIRE(sim->inject(crash).is_ok());
  CHECK(sim->cashiers()[0].state == CashierState::kCrashed);
  CHECK(sim->cashiers()[0].line.front() == customer);
  CHECK(sim->customers()[customer - 1].state == CustomerState::kInLine);
  sim->run_until(sim->now() + 2 * kMinute);
  CHECK(sim->cashiers()[0].state != CashierState::kCrashed);
  CHECK(sim->customers()[customer - 1].order != 0);
  CHECK(sim->cashiers()[0].crashes == 1);
  check_conservation(sim->report());
}

TEST_CASE("add_cook and remove_cook change who works at a station") {
  auto sim = start(scenario(warung()));
  sim->run_until(2 * kMinute);
  Injection add = inj(InjectionKind::kAddCook, "wok");
  add.speed = 2.0;
  REQUIRE(sim->inject(add).is_ok());
  const Cook& added = sim->cooks().back();
  CHECK(added.name == "wok-3");
  CHECK(added.speed == 2.0);
  CHECK(added.session != 0);
  REQUIRE(sim->inject(inj(InjectionKind::kRemoveCook, "wok-1")).is_ok());
  CHECK(cook(*sim, "wok-1").state == CookState::kRemoved);
  sim->run_until(30 * kMinute);
  CHECK(cook(*sim, "wok-3").cooked == 15);
  const Report r = sim->report();
  CHECK(r.lost == 0);
  check_conservation(r);
}

TEST_CASE("an announcement goes to every station through the fanout exchange") {
  Scenario s = scenario(warung());
  s.announcements = true;
  auto sim = start(s);
  EventRecorder log;
  sim->add_observer(&log);
  sim->run_until(1 * kMinute);
  Injection a = inj(InjectionKind::kAnnounce);
  a.message = "no more sambal";
  REQUIRE(sim->inject(a).is_ok());
  std::vector<std::string> stations;
  for (const LogEntry& e : log.entries()) {
    if (e.kind == SimEventKind::kAnnouncement)
      stations.push_back(sim->stations()[sim->cooks()[e.cook].station]);
  }
  std::sort(stations.begin(), stations.end());
  CHECK(stations == std::vector<std::string>{"grill", "wok"});
  CHECK(sim->counters().announcements == 2);
}

TEST_CASE("an expectation counts the announcement's deliveries to the stations") {
  // The publish/subscribe lesson checks that every station heard the news.
  const Scenario s = scenario(R"(
[scenario]
name = "t"
duration = "2m"
[restaurant]
announcements = true
[[station]]
name = "wok"
[[station]]
name = "grill"
[[station]]
name = "drinks"
[[event]]
at = "1m"
do = "announce"
message = "no more sambal"
[expect]
min_announcements = 3
max_announcements = 2
)");
  auto sim = start(s);
  sim->run_until(s.duration);
  const Report r = sim->report();
  CHECK(r.announcements == 3);
  CHECK(r.figure("announcements") == 3);
  REQUIRE(r.expectations.size() == 2);
  CHECK(r.expectations[0].ok);
  CHECK(r.expectations[0].detail == "announcements 3, expected at least 3");
  CHECK_FALSE(r.expectations[1].ok);
  CHECK(r.expectations[1].detail == "announcements 3, expected at most 2");
}

TEST_CASE("inject refuses a cook nobody has and a moment already past, recording nothing") {
  auto sim = start(scenario(warung()));
  sim->run_until(5 * kMinute);
  Status st = sim->inject(inj(InjectionKind::kCrashCook, "wok-9"));
  CHECK(st.code() == Code::kNotFound);
  CHECK(st.message() ==
        "crash_cook: no cook \"wok-9\" (there are: wok-1, wok-2, grill-1, grill-2)");
  st = sim->inject(inj(InjectionKind::kCrashCook, "wok-1", 1 * kMinute));
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() ==
        "crash_cook wok-1: at 1m is in the past (now is 5m); to change the past, replay from "
        "the start with this injection");
  Injection bad = inj(InjectionKind::kBadOrder);
  bad.problem = "spicy";
  CHECK(sim->inject(bad).message() ==
        "bad_order: \"spicy\" is not a problem the simulator knows; write qty, dish, table, "
        "json, note or station");
  CHECK(sim->injections().empty());
}

TEST_CASE("an injection is stamped with its time and applied at the end of its instant") {
  auto sim = start(scenario(warung()));
  sim->run_until(3 * kMinute);
  REQUIRE(sim->inject(inj(InjectionKind::kCrashCook, "grill-2")).is_ok());
  REQUIRE(sim->inject(inj(InjectionKind::kCrashCook, "grill-1", 4 * kMinute)).is_ok());
  REQUIRE(sim->injections().size() == 2);
  CHECK(sim->injections()[0].at == 3 * kMinute);
  CHECK(cook(*sim, "grill-2").state == CookState::kCrashed);
  CHECK(cook(*sim, "grill-1").state != CookState::kCrashed);
  sim->run_until(4 * kMinute);
  CHECK(cook(*sim, "grill-1").state == CookState::kCrashed);
}

TEST_CASE("replaying (scenario, seed, injections) gives the same state at every moment") {
  const Scenario s = scenario(warung("", "durable = true\ndelivery_limit = 3"));
  auto live = start(s, 5);
  std::vector<std::pair<Micros, std::string>> seen;
  // A teacher clicking: step by step at times, some clicks mid-instant.
  live->run_until(3 * kMinute);
  REQUIRE(live->inject(inj(InjectionKind::kFreezeCook, "wok-1")).is_ok());
  for (int i = 0; i < 37; ++i)
    live->step();
  REQUIRE(live->inject(inj(InjectionKind::kCrashCook, "grill-1")).is_ok());
  seen.emplace_back(live->now(), fingerprint(*live));
  live->run_until(6 * kMinute);
  Injection poison = inj(InjectionKind::kPoisonOrder);
  REQUIRE(live->inject(poison).is_ok());
  live->run_until(8 * kMinute + 123);
  Injection crash = inj(InjectionKind::kCrashBroker);
  crash.restart_after = 20 * kSeconds;
  REQUIRE(live->inject(crash).is_ok());
  seen.emplace_back(live->now(), fingerprint(*live));
  live->run_until(9 * kMinute);
  REQUIRE(live->inject(inj(InjectionKind::kReviveCook, "wok-1")).is_ok());
  seen.emplace_back(live->now(), fingerprint(*live));
  live->run_until(20 * kMinute);
  seen.emplace_back(live->now(), fingerprint(*live));

  for (const auto& moment : seen) {
    const Micros t = moment.first;
    const std::string& want = moment.second;
    CAPTURE(t);
    auto replay = start(s, 5, live->injections());
    replay->run_until(t);
    CHECK(fingerprint(*replay) == want);
  }
  // A different future: the same start without the broker crash.
  std::vector<Injection> fork = live->injections();
  fork.erase(
      std::remove_if(fork.begin(), fork.end(),
                     [](const Injection& i) { return i.kind == InjectionKind::kCrashBroker; }),
      fork.end());
  auto other = start(s, 5, fork);
  other->run_until(seen[0].first);
  CHECK(fingerprint(*other) == seen[0].second);  // the past is the same
  other->run_until(20 * kMinute);
  CHECK(fingerprint(*other) != seen.back().second);  // the future is not
}

TEST_CASE("broker events reach observers tagged with the order they concern") {
  auto sim = start(scenario(warung()));
  EventRecorder log;
  sim->add_observer(&log);
  step_until(*sim, [&] { return sim->orders().size() >= 1 && sim->order(1)->served > 0; });
  std::vector<EventKind> of_order_1;
  for (const LogEntry& e : log.entries()) {
    if (e.kind == SimEventKind::kBroker && e.order == 1) of_order_1.push_back(e.broker_kind);
  }
  REQUIRE(of_order_1.size() == 14);
  CHECK(of_order_1[0] == EventKind::kPublished);
  CHECK(of_order_1[1] == EventKind::kValidated);
  CHECK(of_order_1[2] == EventKind::kRouted);
  CHECK(of_order_1[3] == EventKind::kEnqueued);
  CHECK(std::count(of_order_1.begin(), of_order_1.end(), EventKind::kAcked) == 2);
  sim->remove_observer(&log);
  const size_t before = log.entries().size();
  sim->run_until(sim->now() + kMinute);
  CHECK(log.entries().size() == before);
}

TEST_CASE("narration follows the timeline and pause points stop run_until") {
  auto sim = start(scenario(warung(R"(
[[event]]
at = "1m"
en = "Look at the board."
id = "Lihat papannya."
[[event]]
at = "2m"
do = "crash_cook"
cook = "wok-1"
en = "A cook faints."
pause = true
)")));
  CHECK(sim->narration() == nullptr);
  CHECK_FALSE(sim->run_until(90 * kSeconds, true));
  REQUIRE(sim->narration() != nullptr);
  CHECK(sim->narration()->say.id == "Lihat papannya.");
  CHECK(sim->run_until(10 * kMinute, true));
  CHECK(sim->now() == 2 * kMinute);
  CHECK(sim->pauses_reached() == 1);
  CHECK(sim->narration()->say.en == "A cook faints.");
  CHECK(cook(*sim, "wok-1").state == CookState::kCrashed);
}

TEST_CASE("an existing data file is refused: a run starts from an empty broker") {
  const std::string path = std::string(WMQ_SOURCE_DIR) + "/scenarios/00-sandbox.toml";
  SimOptions o;
  o.storage = Storage::kSqlite;
  o.data_path = path;
  Result<std::unique_ptr<Simulation>> r = Simulation::create(scenario(warung()), o);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kExists);
  CHECK(r.status().message() == "broker file \"" + path +
                                    "\": already exists; a run starts from an empty broker, so "
                                    "remove it or give another --data path");
}

TEST_CASE("a timeline event at the moment of a restaurant event runs after it") {
  const Scenario s = scenario(warung());
  auto probe = start(s);
  step_until(*probe, [&] { return !probe->customers().empty(); });
  const Micros t = probe->customers()[0].arrived;
  Scenario with_event = s;
  TimelineEvent te;
  te.at = t;
  te.say.en = "now";
  Injection rate = inj(InjectionKind::kSetRate, "", t);
  rate.rate = 3;
  te.action = rate;
  with_event.timeline.push_back(te);
  auto sim = start(with_event);
  EventRecorder log;
  sim->add_observer(&log);
  sim->run_until(t);
  std::vector<SimEventKind> at_t;
  for (const LogEntry& e : log.entries()) {
    if (e.at == t && e.kind != SimEventKind::kBroker) at_t.push_back(e.kind);
  }
  CHECK(at_t == std::vector<SimEventKind>{SimEventKind::kCustomerArrived, SimEventKind::kInjected,
                                          SimEventKind::kNarration});
}

TEST_CASE("with max_unconfirmed above 1 a cashier serves the next customer before the receipt") {
  Scenario s = scenario(warung());
  s.max_unconfirmed = 3;
  s.commit_window = 2 * kMinute;  // receipts come late: after several customers
  s.confirm_timeout = 5 * kMinute;
  s.rate = 6;
  auto sim = start(s);
  size_t most = 0;
  bool busy_with_pending = false;
  for (int i = 0; i < 20000 && sim->now() < 20 * kMinute; ++i) {
    REQUIRE(sim->step());
    for (const Cashier& c : sim->cashiers()) {
      most = std::max(most, c.pending.size());
      busy_with_pending |= c.state == CashierState::kTaking && !c.pending.empty();
      REQUIRE(c.pending.size() <= 3);
    }
  }
  CHECK(most == 3);
  CHECK(busy_with_pending);
  const Report r = sim->report();
  CHECK(r.lost == 0);
  check_conservation(r);
}

TEST_CASE("with max_unconfirmed 1 the customer waits at the counter for the receipt") {
  Scenario s = scenario(warung());
  s.commit_window = 2 * kMinute;
  s.confirm_timeout = 5 * kMinute;
  auto sim = start(s);
  for (int i = 0; i < 5000; ++i) {
    REQUIRE(sim->step());
    for (const Cashier& c : sim->cashiers()) {
      REQUIRE(c.pending.size() <= 1);
      if (!c.pending.empty()) REQUIRE(c.state == CashierState::kWaitingConfirm);
    }
  }
}

TEST_CASE("direct mode: an order lost with its cook stays lost when its crashed cashier is back") {
  auto sim = start(scenario(warung("", "durable = true", "direct")));
  step_until(*sim, [&] { return cook(*sim, "wok-1").direct_order != 0; });
  const uint32_t n = cook(*sim, "wok-1").direct_order;
  Injection crash = inj(InjectionKind::kCrashCashier, sim->cashiers()[sim->order(n)->cashier].name);
  crash.restart_after = kMinute;
  REQUIRE(sim->inject(crash).is_ok());
  REQUIRE(sim->inject(inj(InjectionKind::kCrashCook, "wok-1")).is_ok());
  sim->run_until(sim->now() + 10 * kMinute);
  const Order& o = *sim->order(n);
  CHECK(o.status == OrderStatus::kLost);
  CHECK(o.deliveries == 1);
  CHECK(o.cooked == 0);
  CHECK(o.served == 0);
  check_conservation(sim->report());
}

TEST_CASE("direct mode: food a crashed cashier was handing is handed when it is back") {
  auto sim = start(scenario(warung("", "durable = true", "direct")));
  step_until(*sim, [&] {
    return std::any_of(sim->cashiers().begin(), sim->cashiers().end(),
                       [](const Cashier& c) { return c.state == CashierState::kHanding; });
  });
  const Cashier* handing = nullptr;
  for (const Cashier& c : sim->cashiers()) {
    if (c.state == CashierState::kHanding) handing = &c;
  }
  const uint32_t n = handing->handing;
  Injection crash = inj(InjectionKind::kCrashCashier, handing->name);
  crash.restart_after = kMinute;
  REQUIRE(sim->inject(crash).is_ok());
  sim->run_until(sim->now() + 2 * kMinute);
  CHECK(sim->order(n)->served == 1);
  check_conservation(sim->report());
}

TEST_CASE("message_info names the order behind each ticket the broker shows") {
  Scenario s = scenario(warung());
  s.stations[0].cooks = 0;  // wok orders stay on the board
  auto sim = start(s);
  sim->run_until(15 * kMinute);
  const std::vector<QueuedMessage> board = sim->broker()->peek("wok", 0, 100);
  REQUIRE(board.size() == 13);
  for (const QueuedMessage& m : board) {
    const Simulation::MessageInfo info = sim->message_info(m.id);
    REQUIRE(info.order != 0);
    CHECK_FALSE(info.food);
    CHECK(sim->scenario().menu.dishes[sim->order(info.order)->dish].station == "wok");
  }
  bool food = false;
  for (const Order& o : sim->orders()) {
    for (const OrderStep& st : sim->history(o.number)) {
      if (st.kind == StepKind::kFoodReady) food |= sim->message_info(st.message).food;
    }
  }
  CHECK(food);
  CHECK(sim->message_info(999999).order == 0);
}

TEST_CASE("the steps that count as trouble are those where the order was hurt") {
  std::vector<std::string> trouble;
  for (int k = 0; k <= static_cast<int>(StepKind::kLost); ++k) {
    if (is_trouble(static_cast<StepKind>(k))) {
      trouble.emplace_back(step_kind_name(static_cast<StepKind>(k)));
    }
  }
  CHECK(trouble == std::vector<std::string>{"rejected", "cook_crashed", "requeued", "expired",
                                            "dead_lettered", "vanished", "lost"});
}
