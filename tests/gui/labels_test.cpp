// Labels: the words the views put on the simulator's values, on the lessons' own moments.
#include <doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gui/labels.h"
#include "gui/model/tickets.h"
#include "gui/model/workbench.h"
#include "sim/simulation.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

const std::filesystem::path kI18nDir = std::filesystem::path(WMQ_ASSETS_DIR) / "i18n";

I18n languages(const char* initial) {
  Result<I18n> t = I18n::load(kI18nDir, {"en", "id"}, initial);
  REQUIRE_MESSAGE(t.is_ok(), t.status().message());
  return std::move(t).value();
}

// The lesson `file` (in scenarios/) at `t`.
void open_lesson(Workbench& bench, const std::string& file, Micros t) {
  Status st = bench.load(std::string(WMQ_SCENARIOS_DIR) + "/" + file);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  st = bench.seek(t);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
}

}  // namespace

TEST_CASE("a zero-portion order is headed with what the cashier wrote") {
  // Lesson 4 at 1m25s: order 1 is the nasi goreng with zero portions the broker refused.
  Workbench bench;
  open_lesson(bench, "04-validation.toml", 85 * kSeconds);
  const sim::Simulation& sim = bench.a().sim();
  const sim::Order* o = sim.order(1);
  REQUIRE(o != nullptr);
  REQUIRE(o->status == sim::OrderStatus::kRejected);
  I18n t = languages("en");
  CHECK(order_heading(t, sim, *o) == "Order #1: fried rice ×0");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(order_heading(t, sim, *o) == "Pesanan #1: nasi goreng ×0");
}

TEST_CASE("an order for a dish not on the menu is headed with that dish, and no table reads so") {
  Workbench bench;
  open_lesson(bench, "04-validation.toml", 5 * 60 * kSeconds);
  const sim::Simulation& sim = bench.a().sim();
  I18n t = languages("en");
  const sim::Order* rendang = nullptr;
  const sim::Order* no_table = nullptr;
  for (const sim::Order& o : sim.orders()) {
    if (o.dish_written == "rendang") rendang = &o;
    if (o.special == sim::Special::kBad && o.table == 0) no_table = &o;
  }
  REQUIRE(rendang != nullptr);
  REQUIRE(no_table != nullptr);
  CHECK(order_heading(t, sim, *rendang) ==
        "Order #" + std::to_string(rendang->number) + ": rendang ×" + std::to_string(rendang->qty));
  CHECK(table_label(t, *no_table) == "none written");
  CHECK(table_label(t, *rendang) == std::to_string(rendang->table));
  REQUIRE(t.set_language("id").is_ok());
  CHECK(table_label(t, *no_table) == "tidak ditulis");
}

TEST_CASE("an unroutable order says it was returned, not refused at the door") {
  // Lesson 5 at 2m30s: order 9, the martabak, passed the check and no station cooks it.
  Workbench bench;
  open_lesson(bench, "05-routing.toml", 150 * kSeconds);
  const sim::Simulation& sim = bench.a().sim();
  const sim::Order* o = sim.order(9);
  REQUIRE(o != nullptr);
  I18n t = languages("en");
  CHECK(std::string(order_status_label(t, *o)) == "returned: no station cooks it");
  const sim::OrderStep& last = sim.history(9).back();
  REQUIRE(last.kind == sim::StepKind::kRejected);
  CHECK(step_text(t, sim, *o, last) == "cashier-2 got it back: no station cooks sweet pancake");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(std::string(order_status_label(t, *o)) ==
        "dikembalikan: tidak ada stasiun yang memasaknya");
  // An invalid order still reads as refused at the door.
  Workbench four;
  open_lesson(four, "04-validation.toml", 85 * kSeconds);
  CHECK(std::string(order_status_label(t, *four.a().sim().order(1))) == "ditolak di pintu");
}

TEST_CASE("an order on the board before its receipt is ready, and the inspector says so") {
  // Lesson 6 at 2m30.562s: order 6 is pinned on the grill board, its receipt not yet sent.
  // Lesson 8 at 1m28s: order 6's two copies wait on the drinks board; the disk is slow.
  struct Moment {
    const char* file;
    Micros at;
  };
  for (const Moment& m : {Moment{"06-translation.toml", 150 * kSeconds + 562 * 1000},
                          Moment{"08-publisher-confirms.toml", 88 * kSeconds}}) {
    CAPTURE(m.file);
    Workbench bench;
    open_lesson(bench, m.file, m.at);
    const sim::Order* o = bench.a().sim().order(6);
    REQUIRE(o != nullptr);
    REQUIRE(o->status == sim::OrderStatus::kPlacing);  // the cashier still holds it
    REQUIRE(o->copies > 0);                            // and the broker has it queued
    CHECK(order_ticket_state(*o) == TicketState::kReady);
    I18n t = languages("en");
    CHECK(std::string(order_status_label(t, *o)) == "on the board, receipt not yet sent");
    REQUIRE(t.set_language("id").is_ok());
    CHECK(std::string(order_status_label(t, *o)) == "di papan, struk belum dikirim");
  }
  // Lesson 8 at 2m05s: the broker crashed with order 9 unwritten; only cashier-2 holds it.
  Workbench bench;
  open_lesson(bench, "08-publisher-confirms.toml", 125 * kSeconds);
  const sim::Order* o = bench.a().sim().order(9);
  REQUIRE(o != nullptr);
  REQUIRE(o->copies == 0);
  CHECK(order_ticket_state(*o) == TicketState::kPlacing);
  CHECK(std::string(order_status_label(languages("en"), *o)) == "being placed");
}

TEST_CASE("the event log tells an unroutable order in the order's terms, as the inspector does") {
  // Lesson 5 at 2m30s: order 9, the martabak, came back from routing.
  Workbench bench;
  open_lesson(bench, "05-routing.toml", 150 * kSeconds);
  const sim::Simulation& sim = bench.a().sim();
  const EventLog& log = bench.a().log();
  std::vector<const LogRecord*> told;  // the order's rows that carry a reason
  for (uint64_t s = log.first_seq(); s < log.next_seq(); ++s) {
    const LogRecord* r = log.find(s);
    if (r != nullptr && r->order == 9 && r->text != 0) told.push_back(r);
  }
  REQUIRE_FALSE(told.empty());
  for (const char* lang : {"en", "id"}) {
    I18n t = languages(lang);
    const std::string why = order_reason(t, sim, *sim.order(9));
    for (const LogRecord* r : told) {
      CAPTURE(std::string(lang));
      CAPTURE(std::string(event_label(t, *r)));
      CHECK(event_detail(t, log, *r, sim) == why);
    }
  }
  CHECK(order_reason(languages("en"), sim, *sim.order(9)) ==
        "no station cooks sweet pancake: sent back to cashier-2");
}

TEST_CASE("a teacher's action is told in the event log in the reader's language") {
  Workbench bench;
  Status st = bench.load(std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/lesson.toml");
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  REQUIRE(bench.seek(kSeconds).is_ok());
  sim::Injection crash;
  crash.kind = sim::InjectionKind::kCrashCook;
  crash.target = "grill-1";
  crash.restart_after = 30 * kSeconds;
  REQUIRE(bench.inject(crash).is_ok());
  const EventLog& log = bench.a().log();
  const LogRecord* did = nullptr;
  for (uint64_t s = log.first_seq(); s < log.next_seq(); ++s) {
    if (log.find(s)->kind == sim::SimEventKind::kInjected) did = log.find(s);
  }
  REQUIRE(did != nullptr);
  I18n t = languages("en");
  CHECK(std::string(event_label(t, *did)) == "You did");
  CHECK(event_detail(t, log, *did, bench.a().sim()) ==
        "Crash cook grill-1 \xC2\xB7 back after 30s");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(event_detail(t, log, *did, bench.a().sim()) ==
        "Koki grill-1 dibuat tumbang \xC2\xB7 kembali setelah 30s");
}

TEST_CASE("every kind of action has words in both languages") {
  for (const char* lang : {"en", "id"}) {
    I18n t = languages(lang);
    for (int k = 0; k <= static_cast<int>(sim::InjectionKind::kAnnounce); ++k) {
      sim::Injection in;
      in.kind = static_cast<sim::InjectionKind>(k);
      in.problem = "station";
      in.restart_after = 0;
      in.speed = 2;
      in.queue.durable = false;
      in.queue.max_length = 0;
      in.queue.ttl = 90 * kSeconds;
      in.queue.delivery_limit = 3;
      CAPTURE(sim::injection_kind_name(in.kind));
      CHECK(injection_text(t, in).find('{') == std::string::npos);
      CHECK(injection_text(t, in).find("_") == std::string::npos);  // no raw names
    }
    CHECK(t.missing_keys() == std::vector<std::string>{});
  }
  I18n t = languages("en");
  sim::Injection q;
  q.kind = sim::InjectionKind::kSetQueue;
  q.target = "grill";
  q.queue.durable = false;
  q.queue.ttl = 0;
  CHECK(injection_text(t, q) ==
        "Board row grill \xC2\xB7 transient \xC2\xB7 time to live: no limit");
  sim::Injection bad;
  bad.kind = sim::InjectionKind::kBadOrder;
  bad.problem = "qty";
  CHECK(injection_text(t, bad) == "A bad order at the shortest line: Zero portions");
  t.set_vocabulary(Vocabulary::kBroker);
  bad.target = "cashier-2";
  CHECK(injection_text(t, bad) == "An invalid message from cashier-2: Zero portions");
}

TEST_CASE("run B of the split view is named in words, not in preset text") {
  Workbench bench;
  Status st = bench.load(std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/lesson.toml");
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  REQUIRE(bench.set_variant(make_variant(VariantPreset::kTransient, bench.scenario())).is_ok());
  I18n t = languages("en");
  CHECK(side_b_label(t, bench) == "B: transient orders");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(side_b_label(t, bench) == "B: pesanan tidak tahan lama");
  t.set_vocabulary(Vocabulary::kBroker);
  CHECK(side_b_label(t, bench) == "B: antrean sementara");
  t.set_vocabulary(Vocabulary::kRestaurant);
  REQUIRE(bench.set_variant(make_variant(VariantPreset::kPrefetch10, bench.scenario())).is_ok());
  CHECK(side_b_label(t, bench) == "B: prefetch 10");

  REQUIRE(t.set_language("en").is_ok());
  Variant v;
  v.mode = sim::Mode::kDirect;
  v.extra_cooks = -1;
  v.rate = 1.5;
  v.ttl = 0;
  v.max_length = 20;
  CHECK(variant_text(t, v) ==
        "no broker (direct), 1 fewer cook(s) per station, 1.5 customers per minute, time to "
        "live: no limit, max length: 20");
  CHECK(variant_text(t, Variant{}).empty());
  CHECK(t.missing_keys() == std::vector<std::string>{});
}

TEST_CASE("an unroutable order's why is told in the order's terms, without the message number") {
  // Lesson 5 at 2m30s: the broker's reason for order 9 starts "message 9 returned: exchange".
  Workbench bench;
  open_lesson(bench, "05-routing.toml", 150 * kSeconds);
  const sim::Simulation& sim = bench.a().sim();
  const sim::Order* o = sim.order(9);
  REQUIRE(o != nullptr);
  REQUIRE(o->unroutable);
  REQUIRE(o->reason.rfind("message ", 0) == 0);
  I18n t = languages("en");
  CHECK(order_reason(t, sim, *o) == "no station cooks sweet pancake: sent back to cashier-2");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(order_reason(t, sim, *o) ==
        "tidak ada stasiun yang memasak martabak manis: dikembalikan ke cashier-2");
  CHECK(step_text(t, sim, *o, sim.history(9).back()) ==
        "cashier-2 menerimanya kembali: tidak ada stasiun yang memasak martabak manis");
}

TEST_CASE("a requeued step counts its deliveries as once, then as times") {
  // Lesson 3 at 1m40s: order 1 went back on the board after its first cook crashed.
  Workbench bench;
  open_lesson(bench, "03-a-cook-faints.toml", 100 * kSeconds);
  const sim::Simulation& sim = bench.a().sim();
  const sim::Order* o = sim.order(1);
  REQUIRE(o != nullptr);
  const sim::OrderStep* requeued = nullptr;
  for (const sim::OrderStep& s : sim.history(1)) {
    if (s.kind == sim::StepKind::kRequeued) requeued = &s;
  }
  REQUIRE(requeued != nullptr);
  REQUIRE(requeued->count == 1);
  sim::OrderStep twice = *requeued;
  twice.count = 2;
  I18n t = languages("en");
  CHECK(step_text(t, sim, *o, *requeued) == "Back on the board (delivered once so far)");
  CHECK(step_text(t, sim, *o, twice) == "Back on the board (delivered 2 times so far)");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(step_text(t, sim, *o, *requeued) == "Kembali ke papan (sudah dikirim sekali)");
  CHECK(step_text(t, sim, *o, twice) == "Kembali ke papan (sudah dikirim 2 kali)");
}

TEST_CASE("the simulator's and the broker's fixed reasons are told in the reader's language") {
  // Lesson 1 at 1m40s: grill-1 crashed, told in the event log with the simulator's "crashed".
  Workbench one;
  open_lesson(one, "01-without-a-board.toml", 100 * kSeconds);
  const EventLog& log = one.a().log();
  const LogRecord* crash = nullptr;
  for (uint64_t s = log.first_seq(); s < log.next_seq(); ++s) {
    if (log.find(s)->kind == sim::SimEventKind::kCookCrashed) crash = log.find(s);
  }
  REQUIRE(crash != nullptr);
  I18n t = languages("en");
  CHECK(event_detail(t, log, *crash, one.a().sim()) == "crashed");
  REQUIRE(t.set_language("id").is_ok());
  CHECK(event_detail(t, log, *crash, one.a().sim()) == "tumbang");
  // Lesson 10 at 1m45s: order 1 was dead-lettered for its delivery limit.
  Workbench ten;
  open_lesson(ten, "10-poison-and-dead-letters.toml", 105 * kSeconds);
  const sim::Order* o = ten.a().sim().order(1);
  REQUIRE(o != nullptr);
  REQUIRE(o->reason == "delivery_limit");
  CHECK(order_reason(t, ten.a().sim(), *o) == "terlalu sering diberikan");
  REQUIRE(t.set_language("en").is_ok());
  CHECK(order_reason(t, ten.a().sim(), *o) == "given too many times");
  CHECK(step_text(t, ten.a().sim(), *o, ten.a().sim().history(1).back()) ==
        "Moved to dead letters: given too many times");
}
