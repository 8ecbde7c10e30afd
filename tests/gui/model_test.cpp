// The GUI's model without a display: player, tickets, event log, runs, time travel, forks,
// A/B, save as scenario, commands and the state report.
#include <doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gui/model/actions.h"
#include "gui/model/event_log.h"
#include "gui/model/player.h"
#include "gui/model/run.h"
#include "gui/model/scenario_writer.h"
#include "gui/model/state_json.h"
#include "gui/model/targets.h"
#include "gui/model/tickets.h"
#include "gui/model/variant.h"
#include "gui/model/workbench.h"
#include "run_command.h"
#include "sim/duration.h"
#include "sim/report.h"
#include "sim/scenario.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

const std::string kLesson = std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/lesson.toml";
const std::string kSandbox = std::string(WMQ_SCENARIOS_DIR) + "/00-sandbox.toml";
constexpr Micros kMinute = 60 * kSeconds;

std::unique_ptr<Workbench> open(const std::string& path = kLesson) {
  auto bench = std::make_unique<Workbench>();
  Status st = bench->load(path);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  return bench;
}

sim::Injection crash(const std::string& cook) {
  return injection_now(sim::InjectionKind::kCrashCook, cook);
}

// The state that must match between two passes over the same moment: everything in run_json
// except the count of events seen (a replay starts its log afresh, so it is the same too, but
// the point is the restaurant and the broker).
nlohmann::json restaurant_state(const Run& run) {
  nlohmann::json j = run_json(run);
  return j;
}

const nlohmann::json* find_cook(const nlohmann::json& run, const std::string& name) {
  for (const auto& k : run["cooks"]) {
    if (k["name"] == name) return &k;
  }
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------- player

TEST_CASE("the player picks the nearest speed on its ladder and stays within it") {
  Player p;
  CHECK(p.speed() == 8);
  p.set_speed(3);
  CHECK(p.speed() == 4);  // nearer on a log scale
  p.set_speed(1.4);
  CHECK(p.speed() == 1);
  p.set_speed(100);
  CHECK(p.speed() == 64);
  p.faster();
  CHECK(p.speed() == 64);
  p.set_speed(0.1);
  CHECK(p.speed() == 0.25);
  p.slower();
  CHECK(p.speed() == 0.25);
  p.faster();
  CHECK(p.speed() == 0.5);
}

TEST_CASE("the player advances nothing when paused and caps a stalled frame") {
  Player p(4);
  CHECK(p.advance_by(0.016) == 0);
  p.play();
  CHECK(p.advance_by(0.05) == 200 * kMillis);
  CHECK(p.advance_by(2.0) == 400 * kMillis);  // capped at 0.1 s of wall time
  p.toggle();
  CHECK_FALSE(p.playing());
}

// ---------------------------------------------------------------- tickets

TEST_CASE("a row of tickets folds the rest into a counted stack in its last slot") {
  CHECK(fold_tickets(5, 10).shown == 5);
  CHECK(fold_tickets(5, 10).folded == 0);
  CHECK(fold_tickets(10, 10).folded == 0);
  Fold f = fold_tickets(2000, 24);
  CHECK(f.shown == 23);
  CHECK(f.folded == 1977);
  CHECK(fold_tickets(3, 0).folded == 3);
}

TEST_CASE("a ticket on the board is persisted, ready or redelivered") {
  CHECK(board_ticket_state(true, true, 0, false) == TicketState::kPersisted);
  CHECK(board_ticket_state(true, false, 0, false) == TicketState::kReady);
  CHECK(board_ticket_state(false, true, 0, false) == TicketState::kReady);
  CHECK(board_ticket_state(true, true, 1, true) == TicketState::kRedelivered);
  CHECK(redelivery_badge(1, false) == 2);  // delivered once, back on the board: its next is x2
  CHECK(redelivery_badge(0, false) == 0);
  CHECK(redelivery_badge(1, true) == 0);  // a first delivery in a cook's hands
  CHECK(redelivery_badge(3, true) == 3);
  CHECK(std::string(ticket_state_name(TicketState::kDeadLettered)) == "dead_lettered");
}

TEST_CASE("a program's order is named by its own order id, else P and its ordinal") {
  const std::optional<std::string> none;
  CHECK(program_order_id(R"({"order": 9001, "dish": "sate ayam"})", none) == "9001");
  CHECK(program_order_id(R"({"order": -3})", none) == "-3");
  CHECK(program_order_id(R"({"order": " A-17 "})", none) == "A-17");
  CHECK(program_order_id(R"({"order": "pesanan nomor tujuh dari meja empat di warung"})", none) ==
        "pesanan nomor tujuh dari meja em");  // kept to 32 characters
  // The note format names its order in a header; a JSON id wins over it.
  CHECK(program_order_id("2x sate ayam; meja 4", std::string("12")) == "12");
  CHECK(program_order_id(R"({"order": 7})", std::string("12")) == "7");
  // None a person can read.
  CHECK(program_order_id(R"({"dish": "sate ayam"})", none).empty());
  CHECK(program_order_id(R"({"order": 1.5})", none).empty());
  CHECK(program_order_id(R"({"order": "\u00e9\t"})", none).empty());
  CHECK(program_order_id(R"({"order": ""})", std::string("  ")).empty());
  CHECK(program_order_id("not json {", none).empty());
  CHECK(program_order_id("[1, 2]", none).empty());
  CHECK(program_order_name("9001", 3) == "9001");
  CHECK(program_order_name("", 3) == "P3");
}

TEST_CASE("a program order's ticket shows its name, or the end of a long one") {
  CHECK(program_ticket_label("9001") == "9001");
  CHECK(program_ticket_label("P42") == "P42");
  CHECK(program_ticket_label("A-17") == "A-17");
  CHECK(program_ticket_label("123456") == "~456");
  CHECK(program_ticket_label("P1234") == "~234");
}

// ---------------------------------------------------------------- event log

TEST_CASE("the event log keeps the newest events and forgets the oldest") {
  EventLog log(3);
  sim::SimEvent e;
  e.kind = sim::SimEventKind::kCustomerArrived;
  for (uint32_t i = 1; i <= 5; ++i) {
    e.customer = i;
    e.at = i * kSeconds;
    log.add(e, nullptr);
  }
  CHECK(log.size() == 3);
  CHECK(log.first_seq() == 2);
  CHECK(log.next_seq() == 5);
  CHECK(log.find(1) == nullptr);
  CHECK(log.find(5) == nullptr);
  REQUIRE(log.find(4) != nullptr);
  CHECK(log.find(4)->customer == 5);
  CHECK(log.find(2)->customer == 3);
}

TEST_CASE("the filtered log follows new events and rescans when the filter changes") {
  EventLog log(100);
  sim::SimEvent e;
  for (uint32_t i = 1; i <= 6; ++i) {
    e.kind = i % 2 ? sim::SimEventKind::kOrderPlaced : sim::SimEventKind::kServed;
    e.order = i;
    log.add(e, nullptr);
  }
  FilteredLog view;
  LogFilter only_placed;
  only_placed.kind = static_cast<int>(sim::SimEventKind::kOrderPlaced);
  view.update(log, only_placed, 1);
  CHECK(std::vector<uint64_t>(view.seqs().begin(), view.seqs().end()) ==
        std::vector<uint64_t>{0, 2, 4});
  e.kind = sim::SimEventKind::kOrderPlaced;
  e.order = 7;
  log.add(e, nullptr);
  view.update(log, only_placed, 1);
  CHECK(view.seqs().back() == 6);
  CHECK(view.seqs().size() == 4);
  LogFilter order_3;
  order_3.order = 3;
  view.update(log, order_3, 1);
  CHECK(std::vector<uint64_t>(view.seqs().begin(), view.seqs().end()) == std::vector<uint64_t>{2});
  LogFilter no_customers;
  no_customers.groups &= ~(1u << static_cast<unsigned>(LogGroup::kCustomers));
  view.update(log, no_customers, 1);
  CHECK(view.seqs().empty());  // placing and serving orders are both customers' events
}

TEST_CASE("the log names the cook behind a broker session") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(2 * kMinute).is_ok());
  const SessionId first = bench->a().sim().cooks()[0].session;
  // A new session for grill-1, opened while the log listens.
  REQUIRE(bench->inject(crash("grill-1")).is_ok());
  REQUIRE(bench->inject(injection_now(sim::InjectionKind::kReviveCook, "grill-1")).is_ok());
  REQUIRE(bench->seek(3 * kMinute).is_ok());
  const Run& run = bench->a();
  LogFilter grill_1;
  grill_1.cook = 0;
  FilteredLog view;
  view.update(run.log(), grill_1, 0);
  bool delivered = false, opened = false;
  for (uint64_t seq : view.seqs()) {
    const LogRecord* r = run.log().find(seq);
    REQUIRE(r != nullptr);
    CHECK(r->cook == 0);
    if (r->kind == sim::SimEventKind::kBroker && r->broker_kind == EventKind::kDelivered) {
      delivered = true;
      CHECK((r->session == first || r->session == run.sim().cooks()[0].session));
    }
    if (r->kind == sim::SimEventKind::kBroker && r->broker_kind == EventKind::kSessionOpened) {
      opened = true;
    }
  }
  CHECK(delivered);
  CHECK(opened);  // patched once the simulator stored the session's id
}

TEST_CASE("the log names a session no simulated person holds by the client it was opened for") {
  std::unique_ptr<Workbench> bench = open();
  const sim::Simulation& sim = bench->a().sim();
  EventLog log;
  auto broker_event = [&log](EventKind kind, SessionId session, std::string_view reason = {}) {
    Event b;
    b.kind = kind;
    b.session = session;
    b.reason = reason;
    sim::SimEvent e;
    e.broker = &b;
    log.add(e, nullptr);
    return log.find(log.next_seq() - 1);
  };
  const SessionId sid = 900;  // a session the simulation does not know
  CHECK(log.who(*broker_event(EventKind::kSessionOpened, sid, "budi"), sim) == "budi");
  CHECK(log.who(*broker_event(EventKind::kDelivered, sid), sim) == "budi");
  CHECK(log.who(*broker_event(EventKind::kAcked, sid), sim) == "budi");
  CHECK(log.client_name(sid) == "budi");
  // A restarted broker numbers sessions from 1 again: the id now belongs to someone else.
  broker_event(EventKind::kSessionOpened, sid, "siti");
  CHECK(log.who(*broker_event(EventKind::kPublished, sid), sim) == "siti");
  CHECK(log.who(*broker_event(EventKind::kPublished, sid + 1), sim).empty());  // never opened
}

TEST_CASE("the log still names simulated cooks and cashiers first") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(2 * kMinute).is_ok());
  const Run& run = bench->a();
  bool cook = false, cashier = false;
  for (uint64_t seq = run.log().first_seq(); seq < run.log().next_seq(); ++seq) {
    const LogRecord* r = run.log().find(seq);
    REQUIRE(r != nullptr);
    if (r->kind != sim::SimEventKind::kBroker) continue;
    if (r->broker_kind == EventKind::kDelivered && r->cook >= 0) {
      cook = true;
      CHECK(run.log().who(*r, run.sim()) == run.sim().cooks()[static_cast<size_t>(r->cook)].name);
    }
    if (r->broker_kind == EventKind::kPublished && r->cashier >= 0) {
      cashier = true;
      CHECK(run.log().who(*r, run.sim()) ==
            run.sim().cashiers()[static_cast<size_t>(r->cashier)].name);
    }
  }
  CHECK(cook);
  CHECK(cashier);
}

TEST_CASE("after a broker restart the log names the new holder of a reused session id") {
  std::unique_ptr<Workbench> bench = open();
  // lesson.toml crashes the broker at 12m; the new one numbers its sessions from 1 again.
  REQUIRE(bench->seek(20 * kMinute).is_ok());
  const Run& run = bench->a();
  size_t checked = 0;
  for (uint64_t seq = run.log().first_seq(); seq < run.log().next_seq(); ++seq) {
    const LogRecord* r = run.log().find(seq);
    REQUIRE(r != nullptr);
    if (r->at <= 13 * kMinute || r->kind != sim::SimEventKind::kBroker ||
        r->broker_kind != EventKind::kDelivered || r->cook < 0) {
      continue;
    }
    // No cook crashes after 12m: each delivery went to the session its cook holds now.
    CHECK(run.sim().cooks()[static_cast<size_t>(r->cook)].session == r->session);
    ++checked;
  }
  CHECK(checked == 13);
}

TEST_CASE("every log kind has a name and a group") {
  CHECK(log_kind_name(static_cast<int>(sim::SimEventKind::kOrderPlaced)) == "order_placed");
  CHECK(log_kind_name(100 + static_cast<int>(EventKind::kDelivered)) == "broker.delivered");
  CHECK(log_kind_name(0) == "");  // kBroker itself is not a kind of its own
  CHECK(log_kind_name(99) == "");
  LogRecord r;
  r.kind = sim::SimEventKind::kBroker;
  r.broker_kind = EventKind::kCommitted;
  CHECK(log_group(r) == LogGroup::kPersistence);
  r.kind = sim::SimEventKind::kCookCrashed;
  CHECK(log_group(r) == LogGroup::kTrouble);
}

TEST_CASE("the kind filter offers every sim kind, then every broker kind, each named") {
  const std::vector<int> codes = log_kind_codes();
  REQUIRE(codes.size() == 26 + 29);  // SimEventKind after kBroker, then EventKind
  CHECK(codes.front() == static_cast<int>(sim::SimEventKind::kCustomerArrived));
  CHECK(codes[25] == static_cast<int>(sim::SimEventKind::kWaitingForCook));
  CHECK(codes[26] == kBrokerKindBase);
  CHECK(codes.back() == kBrokerKindBase + static_cast<int>(EventKind::kRecovered));
  for (int code : codes)
    CHECK_MESSAGE(!log_kind_name(code).empty(), code);
}

// ---------------------------------------------------------------- runs

TEST_CASE("a run samples its charts every interval of virtual time") {
  Result<sim::Scenario> sc = sim::load_scenario(kLesson);
  REQUIRE(sc.is_ok());
  Result<std::unique_ptr<Run>> run = Run::create(sc.value(), 7);
  REQUIRE(run.is_ok());
  Run& r = *run.value();
  r.advance_to(kMinute + 5 * kSeconds, false);
  const ChartSeries& c = r.charts();
  REQUIRE(c.at.size() == 6);
  CHECK(c.at.front() == 10 * kSeconds);
  CHECK(c.at.back() == kMinute);
  CHECK(c.waiting.size() == 6);
  CHECK(c.lost.size() == 6);
  // Stepping event by event takes the same samples as running.
  Result<std::unique_ptr<Run>> stepped = Run::create(sc.value(), 7);
  REQUIRE(stepped.is_ok());
  while (stepped.value()->sim().next_event_time() <= kMinute + 5 * kSeconds)
    stepped.value()->step();
  CHECK(stepped.value()->charts().at == c.at);
  CHECK(stepped.value()->charts().publish == c.publish);
  CHECK(stepped.value()->charts().waiting == c.waiting);
}

TEST_CASE("the pipeline counts follow the broker's steps") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(5 * kMinute).is_ok());
  const PipelineCounts& p = bench->a().pipeline();
  const sim::Counters& c = bench->a().sim().counters();
  auto passed = [&](Stage s) { return p.passed[static_cast<size_t>(s)]; };
  CHECK(passed(Stage::kValidate) >= c.placed);
  CHECK(passed(Stage::kRoute) >= c.placed);
  CHECK(passed(Stage::kConfirm) >= c.confirmed);
  CHECK(passed(Stage::kDeliver) >= c.delivered);
  CHECK(passed(Stage::kPersist) == 54);
  CHECK(passed(Stage::kAck) == 12);
  CHECK(passed(Stage::kTranslate) == 0);  // nobody writes notes in this lesson
}

TEST_CASE("a refused publish counts at the one stop that refused it") {
  PipelineCounts p;
  auto refused = [&](Stage s) { return p.refused[static_cast<size_t>(s)]; };
  Event e;
  e.kind = EventKind::kValidated;
  count_stage(p, e);
  // An unroutable publish: the broker says kUnroutable, then rejects it with that code.
  e.kind = EventKind::kUnroutable;
  count_stage(p, e);
  e.kind = EventKind::kRejected;
  e.code = Code::kUnroutable;
  count_stage(p, e);
  CHECK(refused(Stage::kValidate) == 0);
  CHECK(refused(Stage::kRoute) == 1);
  // A full queue refuses at the board; a malformed order at the check.
  e.code = Code::kFull;
  count_stage(p, e);
  CHECK(refused(Stage::kStore) == 1);
  e.code = Code::kInvalid;
  count_stage(p, e);
  CHECK(refused(Stage::kValidate) == 1);
  CHECK(refused(Stage::kRoute) == 1);
}

TEST_CASE("lesson 5's unroutable martabak counts at Route and not at the check") {
  std::unique_ptr<Workbench> bench = open(std::string(WMQ_SCENARIOS_DIR) + "/05-routing.toml");
  REQUIRE(bench->seek(150 * kSeconds).is_ok());
  const PipelineCounts& p = bench->a().pipeline();
  CHECK(p.refused[static_cast<size_t>(Stage::kValidate)] == 0);
  CHECK(p.refused[static_cast<size_t>(Stage::kRoute)] == 1);
  const sim::Order* o = bench->a().sim().order(9);
  REQUIRE(o != nullptr);
  CHECK(o->unroutable);
}

TEST_CASE("a queue's settings and depth are found by its name while the broker is up") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(3 * kMinute).is_ok());
  const std::optional<QueueSnapshot> grill = find_queue(bench->a(), "grill");
  REQUIRE(grill.has_value());
  CHECK(grill->name == "grill");
  CHECK(grill->options.durable);
  CHECK(grill->ready == bench->a().sim().queues()[0].depth);
  CHECK_FALSE(find_queue(bench->a(), "no-such-queue").has_value());
  REQUIRE(bench->inject(injection_now(sim::InjectionKind::kCrashBroker)).is_ok());
  REQUIRE(bench->a().sim().broker() == nullptr);
  CHECK_FALSE(find_queue(bench->a(), "grill").has_value());
}

TEST_CASE("a run knows which order a board message carries") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(5 * kMinute).is_ok());
  const Run& run = bench->a();
  std::vector<QueuedMessage> board = run.sim().broker()->peek("grill", 0, 50);
  REQUIRE_FALSE(board.empty());
  for (const QueuedMessage& m : board) {
    const uint32_t n = run.order_of_message(m.id);
    REQUIRE(n != 0);
    CHECK(run.sim().order(n) != nullptr);
  }
  CHECK(run.order_of_message(999'999) == 0);
}

// ---------------------------------------------------------------- time travel

TEST_CASE("going back to t and forward again gives the state of the first pass") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(4 * kMinute).is_ok());
  const nlohmann::json at_4 = restaurant_state(bench->a());
  REQUIRE(bench->seek(9 * kMinute).is_ok());  // past the crash at 6m and its pause
  const nlohmann::json at_9 = restaurant_state(bench->a());
  const uint64_t epoch = bench->epoch();

  REQUIRE(bench->seek(4 * kMinute).is_ok());
  CHECK(bench->epoch() == epoch + 1);  // a replay
  CHECK(bench->now() == 4 * kMinute);
  CHECK(restaurant_state(bench->a()) == at_4);
  REQUIRE(bench->seek(9 * kMinute).is_ok());
  CHECK(restaurant_state(bench->a()) == at_9);
  CHECK(bench->horizon() == 9 * kMinute);
  CHECK(bench->forks().empty());
}

TEST_CASE("going back keeps the clicks made later, so the same future plays again") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(3 * kMinute).is_ok());
  REQUIRE(bench->inject(crash("wok-1")).is_ok());
  REQUIRE(bench->seek(8 * kMinute).is_ok());
  const nlohmann::json first = restaurant_state(bench->a());
  REQUIRE(bench->seek(2 * kMinute).is_ok());
  CHECK(find_cook(run_json(bench->a()), "wok-1")->at("state") != "crashed");
  REQUIRE(bench->seek(8 * kMinute).is_ok());
  CHECK(restaurant_state(bench->a()) == first);
  REQUIRE(bench->recorded().size() == 1);
  CHECK(bench->recorded()[0].injection.at == 3 * kMinute);
}

TEST_CASE("a failure injected after going back forks the future and leaves the past alone") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(3 * kMinute).is_ok());
  REQUIRE(bench->inject(crash("wok-1")).is_ok());
  REQUIRE(bench->seek(10 * kMinute).is_ok());
  const nlohmann::json old_future = restaurant_state(bench->a());

  REQUIRE(bench->seek(2 * kMinute).is_ok());
  const nlohmann::json past = restaurant_state(bench->a());
  REQUIRE(bench->inject(crash("drinks-1")).is_ok());
  CHECK(bench->forks() == std::vector<Micros>{2 * kMinute});
  CHECK(bench->horizon() == 2 * kMinute);
  // The click at 3m belonged to the old future: it is gone.
  REQUIRE(bench->recorded().size() == 1);
  CHECK(bench->recorded()[0].injection.target == "drinks-1");
  CHECK(bench->recorded()[0].made_at == 2 * kMinute);
  // The past is the same: the cooks, queues and orders up to 2m, apart from the crash itself.
  nlohmann::json now = restaurant_state(bench->a());
  CHECK(now["counters"]["placed"] == past["counters"]["placed"]);
  CHECK(now["orders"].size() == past["orders"].size());
  CHECK(find_cook(now, "drinks-1")->at("state") == "crashed");
  CHECK(find_cook(now, "wok-1")->at("state") != "crashed");
  // And the future differs.
  REQUIRE(bench->seek(10 * kMinute).is_ok());
  CHECK(restaurant_state(bench->a()) != old_future);
  CHECK(find_cook(run_json(bench->a()), "wok-1")->at("crashes") == 0);
}

TEST_CASE("a refused injection after going back changes nothing") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(5 * kMinute).is_ok());
  REQUIRE(bench->seek(1 * kMinute).is_ok());
  const uint64_t epoch = bench->epoch();
  Status st = bench->inject(crash("nobody-9"));
  CHECK(st.code() == Code::kNotFound);
  CHECK(st.message().find("crash_cook: no cook \"nobody-9\"") == 0);
  CHECK(bench->forks().empty());
  CHECK(bench->horizon() == 5 * kMinute);
  CHECK(bench->epoch() == epoch);
}

TEST_CASE("playing pauses at the scenario's pause point and again at its end") {
  std::unique_ptr<Workbench> bench = open();
  bench->set_speed(64);
  bench->play();
  int frames = 0;
  while (bench->player().playing() && frames < 10000) {
    bench->tick(0.1);
    ++frames;
  }
  CHECK(bench->at_pause_point());
  CHECK(bench->now() == 6 * kMinute);
  CHECK(bench->a().sim().pauses_reached() == 1);
  bench->play();
  CHECK_FALSE(bench->at_pause_point());
  while (bench->player().playing() && frames < 10000) {
    bench->tick(0.1);
    ++frames;
  }
  CHECK(bench->reached_end());
  CHECK(bench->now() == 30 * kMinute);
  bench->play();
  bench->tick(0.1);
  CHECK(bench->now() == 30 * kMinute + 6400 * kMillis);  // on past the end once asked to
}

TEST_CASE("step runs one event and pauses") {
  std::unique_ptr<Workbench> bench = open();
  bench->play();
  const uint64_t before = bench->a().sim().steps();
  CHECK(bench->step());
  CHECK_FALSE(bench->player().playing());
  CHECK(bench->a().sim().steps() == before + 1);
}

// ---------------------------------------------------------------- A/B

TEST_CASE("transient queues lose orders on a broker crash and durable ones do not") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->set_variant(make_variant(VariantPreset::kTransient, bench->scenario())).is_ok());
  REQUIRE(bench->b() != nullptr);
  REQUIRE(bench->seek(15 * kMinute).is_ok());  // the broker crashed at 12m
  CHECK(bench->b()->sim().now() == bench->now());
  const sim::Report a = bench->a().sim().report();
  const sim::Report b = bench->b()->sim().report();
  CHECK(a.crashes == 1);
  CHECK(b.crashes == 1);
  CHECK(a.lost == 0);
  CHECK(b.lost == 23);
  bool lost_differs = false;
  for (const FigureDiff& d : compare_reports(a, b)) {
    if (d.name == "lost") lost_differs = d.differs();
  }
  CHECK(lost_differs);
}

TEST_CASE("run B takes the same clicks, and skips one it cannot take") {
  std::unique_ptr<Workbench> bench = open();
  Variant fewer;
  fewer.extra_cooks = -1;  // grill-3 does not exist in B
  REQUIRE(bench->set_variant(fewer).is_ok());
  REQUIRE(bench->seek(2 * kMinute).is_ok());
  REQUIRE(bench->inject(crash("grill-1")).is_ok());
  REQUIRE(bench->inject(crash("grill-3")).is_ok());
  REQUIRE(bench->recorded().size() == 2);
  CHECK(bench->recorded()[0].on_b);
  CHECK_FALSE(bench->recorded()[1].on_b);
  CHECK(find_cook(run_json(*bench->b()), "grill-1")->at("state") == "crashed");
  // Going back and forth keeps B's view of the clicks.
  REQUIRE(bench->seek(1 * kMinute).is_ok());
  REQUIRE(bench->seek(3 * kMinute).is_ok());
  CHECK(find_cook(run_json(*bench->b()), "grill-1")->at("state") == "crashed");
  CHECK_FALSE(bench->recorded()[1].on_b);
  REQUIRE(bench->set_variant(std::nullopt).is_ok());
  CHECK(bench->b() == nullptr);
}

TEST_CASE("a variant changes only what it names") {
  Result<sim::Scenario> sc = sim::load_scenario(kLesson);
  REQUIRE(sc.is_ok());
  Variant v;
  v.durable = false;
  v.prefetch = 10;
  v.extra_cooks = 1;
  Result<sim::Scenario> out = apply_variant(sc.value(), v);
  REQUIRE(out.is_ok());
  CHECK_FALSE(out.value().stations[0].queue.durable);
  CHECK_FALSE(out.value().pickup.durable);
  CHECK(out.value().stations[1].prefetch == 10);
  CHECK(out.value().stations[0].cooks == 4);
  CHECK(out.value().rate == sc.value().rate);
  CHECK(out.value().stations[0].queue.delivery_limit == 5);
  CHECK(describe(v) == "durable=false prefetch=10 extra_cooks=1");
  Variant gone;
  gone.extra_cooks = -2;
  Result<sim::Scenario> bad = apply_variant(sc.value(), gone);
  CHECK(bad.status().message() == "variant extra_cooks -2: station \"drinks\" has only 1 cooks");
  CHECK(describe(make_variant(VariantPreset::kRush, sc.value())) == "rate=8");
  CHECK(describe(Variant{}) == "");
}

// ---------------------------------------------------------------- save as scenario

TEST_CASE("the seed goes into the [scenario] table and clicks are appended as events") {
  sim::Injection in = crash("grill-2");
  in.at = 90 * kSeconds;
  Result<std::string> out = scenario_with_injections(
      "# top\n[scenario]\nname = \"x\"\nseed = 3 # old\n\n[restaurant]\nrate = 1.0\n", "x.toml", 42,
      {in});
  REQUIRE(out.is_ok());
  CHECK(out.value() ==
        "# top\n[scenario]\nname = \"x\"\nseed = 42\n\n[restaurant]\nrate = 1.0\n"
        "\n# ---- Saved by WarungMQ from \"x.toml\": what was done in the GUI, in the order it "
        "was done.\n\n[[event]]\nat = \"1m30s\"\ndo = \"crash_cook\"\ncook = \"grill-2\"\n\n");
  Result<std::string> no_seed =
      scenario_with_injections("[scenario]\nname = \"x\"\n[[station]]\nname = \"a\"\n", "x", 5, {});
  REQUIRE(no_seed.is_ok());
  CHECK(no_seed.value() == "[scenario]\nname = \"x\"\nseed = 5\n[[station]]\nname = \"a\"\n");
  Result<std::string> text_block = scenario_with_injections(
      "[scenario]\nabout = \"\"\"\n[not a table]\nseed = 1\n\"\"\"\nname = \"x\"\n", "x", 5, {});
  REQUIRE(text_block.is_ok());
  CHECK(text_block.value() ==
        "[scenario]\nabout = \"\"\"\n[not a table]\nseed = 1\n\"\"\"\nname = \"x\"\nseed = 5\n");
  Result<std::string> none = scenario_with_injections("name = \"x\"\n", "y.toml", 5, {});
  CHECK(none.status().message() ==
        "scenario \"y.toml\": no [scenario] header line to put the seed under");
}

TEST_CASE("a session with injected failures, saved as a scenario, replays to the same report") {
  std::unique_ptr<Workbench> bench = open(kSandbox);
  REQUIRE(bench->seek(4 * kMinute).is_ok());
  REQUIRE(bench->inject(crash("grill-1")).is_ok());
  REQUIRE(bench->seek(7 * kMinute + 123 * kMillis).is_ok());
  sim::Injection bad = injection_now(sim::InjectionKind::kBadOrder);
  bad.problem = "qty";
  REQUIRE(bench->inject(bad).is_ok());
  REQUIRE(bench->inject(injection_now(sim::InjectionKind::kPoisonOrder)).is_ok());
  REQUIRE(bench->seek(9 * kMinute).is_ok());
  REQUIRE(bench->inject(injection_now(sim::InjectionKind::kCrashBroker)).is_ok());
  REQUIRE(bench->seek(20 * kMinute).is_ok());
  const std::string live = sim::report_json(bench->a().sim().report());

  Result<std::string> text = bench->scenario_text();
  REQUIRE(text.is_ok());
  Result<sim::Scenario> saved = sim::parse_scenario(text.value(), kSandbox);
  REQUIRE_MESSAGE(saved.is_ok(), saved.status().message());
  CHECK(saved.value().timeline.size() == bench->scenario().timeline.size() + 4);
  sim::SimOptions so;
  so.seed = saved.value().seed;
  so.storage = sim::Storage::kMemory;
  Result<std::unique_ptr<sim::Simulation>> replay = sim::Simulation::create(saved.value(), so);
  REQUIRE(replay.is_ok());
  replay.value()->run_until(20 * kMinute);
  sim::Report r = replay.value()->report();
  const std::string replayed = sim::report_json(r);
  // The narration lists the saved events; the rest of the report is the live one.
  nlohmann::json a = nlohmann::json::parse(live);
  nlohmann::json b = nlohmann::json::parse(replayed);
  a.erase("timeline");
  b.erase("timeline");
  CHECK(a == b);
  CHECK(r.crashes == 1);
  CHECK(r.rejected == 1);
}

// ---------------------------------------------------------------- commands

TEST_CASE("actions wait in the queue until applied and carry readable labels") {
  std::unique_ptr<Workbench> bench = open();
  CommandQueue queue;
  std::vector<Outcome> told;
  Actions act(queue, *bench, [&told](const Outcome& o) { told.push_back(o); });
  act.seek(2 * kMinute);
  act.crash_cook("grill-2");
  act.crash_cook("nobody");
  act.set_speed(16);
  act.select(Selection::cook(1));
  CHECK(bench->now() == 0);
  CHECK(queue.apply_all() == 5);
  CHECK(queue.applied() == std::vector<std::string>{"seek 02:00", "inject crash_cook grill-2",
                                                    "inject crash_cook nobody", "speed 16",
                                                    "select cook 1"});
  CHECK(bench->now() == 2 * kMinute);
  CHECK(bench->player().speed() == 16);
  CHECK(bench->selection() == Selection::cook(1));
  REQUIRE(told.size() == 1);
  CHECK(told[0].action == "inject");
  CHECK(told[0].status.code() == Code::kNotFound);
}

TEST_CASE("a lunch rush raises the rate now and brings it back five minutes later") {
  std::unique_ptr<Workbench> bench = open();
  CommandQueue queue;
  Actions act(queue, *bench);
  act.seek(kMinute);
  act.lunch_rush();
  queue.apply_all();
  CHECK(bench->a().sim().rate() == 16.0);
  REQUIRE(bench->recorded().size() == 2);
  CHECK(bench->recorded()[1].injection.at == 6 * kMinute);
  CHECK(bench->recorded()[1].made_at == kMinute);
  REQUIRE(bench->seek(6 * kMinute).is_ok());
  CHECK(bench->a().sim().rate() == 4.0);
}

TEST_CASE("save and export write their files and say where") {
  std::unique_ptr<Workbench> bench = open();
  CommandQueue queue;
  std::vector<Outcome> told;
  Actions act(queue, *bench, [&told](const Outcome& o) { told.push_back(o); });
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "wmq-gui-model-save";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  act.seek(3 * kMinute);
  act.save_scenario((dir / "lesson.toml").string());
  act.export_report((dir / "report.md").string());
  act.export_report((dir / "missing" / "report.md").string());
  queue.apply_all();
  REQUIRE(told.size() == 3);
  CHECK(told[0].status.is_ok());
  CHECK(told[1].status.is_ok());
  CHECK(told[2].status.message() == "file \"" + (dir / "missing" / "report.md").string() +
                                        "\": cannot be written (No such file or directory)");
  CHECK(sim::load_scenario((dir / "lesson.toml").string()).is_ok());
  std::ifstream md(dir / "report.md");
  std::stringstream text;
  text << md.rdbuf();
  CHECK(text.str().find("gui-lesson") != std::string::npos);
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------- state report

TEST_CASE("the state report names cooks, held tickets, orders and the timeline") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(5 * kMinute).is_ok());
  REQUIRE(bench->inject(crash("grill-2")).is_ok());
  nlohmann::json s = state_json(*bench);
  CHECK(s["scenario"] == "gui-lesson");
  CHECK(s["seed"] == 7);
  CHECK(s["time"] == "05:00");
  CHECK(s["time_us"] == 5 * kMinute);
  CHECK(s["b"].is_null());
  CHECK(s["variant"].is_null());
  REQUIRE(s["injections"].size() == 1);
  CHECK(s["injections"][0]["what"] == "crash_cook grill-2");
  const nlohmann::json* k = find_cook(s["a"], "grill-2");
  REQUIRE(k != nullptr);
  CHECK((*k)["state"] == "crashed");
  CHECK((*k)["held"].empty());
  CHECK((*k)["crashes"] == 1);
  CHECK(s["a"]["counters"]["cook_crashes"] == 1);
  CHECK(s["a"]["figures"].contains("lost"));
  CHECK(s["a"]["orders"].size() == s["a"]["counters"]["placed"]);
  CHECK(s["a"]["orders"][0]["steps"][0] == "placed");
}

// ---------------------------------------------------------------- the lesson of issue 7

TEST_CASE("go back before the crash, make the queues durable, and watch both futures") {
  // The lesson with transient queues: the broker crash at 12m loses orders.
  Result<sim::Scenario> sc = sim::load_scenario(kLesson);
  REQUIRE(sc.is_ok());
  Variant transient;
  transient.durable = false;
  Result<sim::Scenario> t = apply_variant(sc.value(), transient);
  REQUIRE(t.is_ok());
  Workbench bench;
  REQUIRE(bench.load(t.value(), "[scenario]\nname = \"x\"\n", std::nullopt).is_ok());
  REQUIRE(bench.seek(15 * kMinute).is_ok());
  const uint64_t lost_before = bench.a().sim().report().lost;
  CHECK(lost_before == 23);
  CHECK(bench.compare_with_previous_future().code() == Code::kNotFound);

  // Back to 11m, every station durable: a new future.
  REQUIRE(bench.seek(11 * kMinute).is_ok());
  for (const char* q : {"grill", "wok", "drinks", "pickup"}) {
    sim::Injection in = injection_now(sim::InjectionKind::kSetQueue, q);
    in.queue.durable = true;
    REQUIRE(bench.inject(in).is_ok());
  }
  CHECK(bench.forks() == std::vector<Micros>{11 * kMinute});
  CHECK(bench.previous_fork() == 11 * kMinute);

  // B replays the old future beside it; new clicks stay in A.
  REQUIRE(bench.compare_with_previous_future().is_ok());
  CHECK(bench.b_kind() == Workbench::BKind::kPreviousFuture);
  CHECK(bench.variant() == nullptr);
  CHECK(bench.b()->sim().now() == 11 * kMinute);
  REQUIRE(bench.seek(15 * kMinute).is_ok());
  CHECK(bench.a().sim().report().lost == 0);
  CHECK(bench.b()->sim().report().lost == lost_before);
  REQUIRE(bench.inject(crash("wok-1")).is_ok());
  CHECK_FALSE(bench.recorded().back().on_b);
  CHECK(find_cook(run_json(*bench.b()), "wok-1")->at("state") != "crashed");
  // Going back keeps B the old future.
  REQUIRE(bench.seek(13 * kMinute).is_ok());
  CHECK(bench.b_kind() == Workbench::BKind::kPreviousFuture);
  CHECK(bench.b()->sim().report().lost == bench.b()->sim().report().lost);
  CHECK(state_json(bench)["b_kind"] == "previous-future");
}

TEST_CASE("warungmq run replays a saved session to the report the GUI showed") {
  std::unique_ptr<Workbench> bench = open();
  REQUIRE(bench->seek(3 * kMinute).is_ok());
  REQUIRE(bench->inject(crash("grill-2")).is_ok());
  sim::Injection ttl = injection_now(sim::InjectionKind::kSetQueue, "wok");
  ttl.queue.ttl = 2 * kMinute;
  REQUIRE(bench->inject(ttl).is_ok());
  REQUIRE(bench->seek(13 * kMinute).is_ok());
  const std::string file =
      (std::filesystem::temp_directory_path() / "wmq-gui-saved-lesson.toml").string();
  CommandQueue queue;
  Actions act(queue, *bench);
  act.save_scenario(file);
  queue.apply_all();

  sim::RunArgs args;
  args.scenario = file;
  args.until = "13m";
  args.report = "json";
  args.store = "memory";
  std::ostringstream out, err;
  const int code = sim::run_scenario(args, out, err);
  CHECK(err.str() == "");
  CHECK(code <= 1);  // 1 would be an expectation failing, which is a report like any other
  nlohmann::json replayed = nlohmann::json::parse(out.str());
  nlohmann::json live = nlohmann::json::parse(sim::report_json(bench->a().sim().report()));
  for (nlohmann::json* j : {&replayed, &live}) {
    j->erase("timeline");  // the saved file lists the clicks as its own events
  }
  CHECK(replayed == live);
  CHECK(live["orders"]["placed"].get<int>() > 0);
  std::filesystem::remove(file);
}
