// The three renderings of a report, on a fixed value: the JSON keys the
// issue lists, the text a person reads (narration en then id), the handout.
#include <doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sim/report.h"

using namespace wmq;
using namespace wmq::sim;

namespace {

Report sample() {
  Report r;
  r.scenario = "crash";
  r.file = "scenarios/x.toml";
  r.title = Text{"The broker crashes", "Broker mogok"};
  r.seed = 3;
  r.virtual_time = 20 * 60 * kSeconds;
  r.placed = 10;
  r.confirmed = 9;
  r.rejected = 1;
  r.delivered = 8;
  r.redelivered = 2;
  r.cooked = 7;
  r.served = 6;
  r.dead_lettered = 1;
  r.expired = 0;
  r.lost = 1;
  r.duplicates = 1;
  r.in_flight = 1;
  r.crashes = 1;
  r.recoveries = 1;
  r.group_commits = 42;
  r.latency_p50 = 61 * kSeconds + 400 * kMillis;
  r.latency_p90 = 5 * 60 * kSeconds;
  r.latency_p99 = 6 * 60 * kSeconds;
  r.latency_max = 6 * 60 * kSeconds + 1;
  r.queues = {QueueReport{"wok", 5, 1, true}, QueueReport{"pickup", 1, 0, false}};
  r.timeline = {
      NarrationLine{8 * 60 * kSeconds, "crash_broker", Text{"It crashes.", "Mogok."}, ""}};
  r.expectations = {
      ExpectationResult{"no_confirmed_lost", false, "1 confirmed order was lost (order 4)"},
      ExpectationResult{"min_served", true, "served 6, expected at least 5"}};
  return r;
}

// sample() with a lesson's watch line, question and answer.
Report lesson_sample() {
  Report r = sample();
  r.watch = Text{"Watch the board.", "Perhatikan papan."};
  r.question = Text{"Why?", "Kenapa?"};
  r.answer = Text{"Because.", "Karena."};
  return r;
}

}  // namespace

TEST_CASE("the JSON report has the documented keys, in order") {
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(report_json(sample()));
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items())
    keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"scenario", "seed", "mode", "virtual_seconds", "orders",
                                         "broker", "latency_ms", "queues", "expectations"});
  std::vector<std::string> orders;
  for (const auto& [k, v] : j["orders"].items())
    orders.push_back(k);
  CHECK(orders == std::vector<std::string>{"placed", "confirmed", "rejected", "delivered",
                                           "redelivered", "cooked", "served", "dead_lettered",
                                           "expired", "lost", "duplicates", "in_flight",
                                           "late_acks", "customers", "retries"});
  CHECK(j["virtual_seconds"] == 1200.0);
  CHECK(j["mode"] == "broker");
  CHECK(j["broker"] ==
        nlohmann::ordered_json::parse(R"({"crashes":1,"recoveries":1,"group_commits":42})"));
  CHECK(j["latency_ms"]["order_to_served"] ==
        nlohmann::ordered_json::parse(R"({"p50":61400,"p90":300000,"p99":360000,"max":360000})"));
  CHECK(j["queues"]["wok"] ==
        nlohmann::ordered_json::parse(R"({"max_depth":5,"final_depth":1,"durable":true})"));
  CHECK(
      j["expectations"][0] ==
      nlohmann::ordered_json::parse(
          R"j({"name":"no_confirmed_lost","ok":false,"detail":"1 confirmed order was lost (order 4)"})j"));
}

TEST_CASE("the text report tells what happened in English then Indonesian, with the figures") {
  const std::string t = report_text(sample());
  CHECK(t == R"(WarungMQ run: crash - The broker crashes
              Broker mogok
file scenarios/x.toml, seed 3, broker mode, 20m of virtual time

What happened
  08:00  crash_broker
         en: It crashes.
         id: Mogok.

Orders
  placed 10 = served 6 + in flight 1 + rejected 1 + dead-lettered 1 + expired 0 + lost 1
  customers 0, confirmed 9, retries 0
  delivered 8 (2 redelivered), cooked 7 (1 duplicate), late acks refused 0
  order to served: p50 1m1s, p90 5m, p99 6m, max 6m

Broker
  crashes 1, recoveries 1, group commits 42

Queues
  wok           durable    peak 5, at the end 1
  pickup        transient  peak 1, at the end 0

Expectations
  FAIL  no_confirmed_lost: 1 confirmed order was lost (order 4)
  ok    min_served: served 6, expected at least 5

Result: 1 of 2 expectations failed
)");
}

TEST_CASE("the Markdown handout has the timeline, the figures and the checks") {
  const std::string m = report_markdown(sample());
  CHECK(m.rfind("# The broker crashes\n\n*Broker mogok*\n", 0) == 0);
  CHECK(m.find("| 08:00 | `crash_broker` | It crashes. | Mogok. |") != std::string::npos);
  CHECK(m.find("| lost | 1 |") != std::string::npos);
  CHECK(m.find("- [ ] **FAILED** `no_confirmed_lost`: 1 confirmed order was lost (order 4)") !=
        std::string::npos);
  CHECK(m.find("**Result:** 1 of 2 expectations failed.") != std::string::npos);
}

TEST_CASE("figures are looked up by the names expectations use") {
  const Report r = sample();
  CHECK(r.figure("served") == 6);
  CHECK(r.figure("group_commits") == 42);
  CHECK(r.figure("latency_p90") == 5 * 60 * kSeconds);
  CHECK_FALSE(r.all_ok());
  for (const std::string& f : figure_names())
    CHECK(r.figure(f) >= 0);
}

TEST_CASE("the text report gives the lesson's watch line, question and answer in both languages") {
  const Report r = lesson_sample();
  const std::string t = report_text(r);
  CHECK(t.find("file scenarios/x.toml, seed 3, broker mode, 20m of virtual time\n\n"
               "Watch this\n  en: Watch the board.\n  id: Perhatikan papan.\n\n"
               "What happened\n") != std::string::npos);
  CHECK(t.find("Question for the class\n  en: Why?\n  id: Kenapa?\n\n"
               "Answer\n  en: Because.\n  id: Karena.\n\nExpectations\n") != std::string::npos);
}

TEST_CASE("the Markdown handout folds the answer under the question") {
  const Report r = lesson_sample();
  const std::string m = report_markdown(r);
  CHECK(m.find("## Watch this\n\nWatch the board.\n\n*Perhatikan papan.*\n\n") !=
        std::string::npos);
  CHECK(m.find("## Question for the class\n\nWhy?\n\n*Kenapa?*\n\n"
               "<details><summary>Answer / Jawaban</summary>\n\nBecause.\n\n*Karena.*\n\n"
               "</details>\n") != std::string::npos);
  CHECK(m.find("## Question") < m.find("## Expectations"));
}

TEST_CASE("a report without lesson text prints no empty lesson headings") {
  const Report r = sample();
  CHECK(report_text(r).find("Watch this") == std::string::npos);
  CHECK(report_text(r).find("Question") == std::string::npos);
  CHECK(report_markdown(r).find("<details>") == std::string::npos);
}

TEST_CASE("unplaced, board_peak and board_final are read off the report's figures") {
  Report r = sample();
  r.customers = 12;
  r.placed = 9;
  r.queues = {QueueReport{"wok", 5, 2, true}, QueueReport{"grill", 7, 1, true},
              QueueReport{"pickup", 9, 3, true}, QueueReport{"dead-letters", 8, 4, true}};
  CHECK(r.figure("unplaced") == 3);
  CHECK(r.figure("board_peak") == 7);
  CHECK(r.figure("board_final") == 3);
  r.placed = 13;  // a bad order's customer counts once; never below zero
  CHECK(r.figure("unplaced") == 0);
}

TEST_CASE("customers and retries are figures expectations can use") {
  Report r = sample();
  r.customers = 12;
  r.retries = 4;
  CHECK(r.figure("customers") == 12);
  CHECK(r.figure("retries") == 4);
  const std::vector<std::string>& names = figure_names();
  CHECK(std::find(names.begin(), names.end(), "retries") != names.end());
  CHECK(std::find(names.begin(), names.end(), "customers") != names.end());
}

TEST_CASE("each expectation names the point a window shows for it") {
  CHECK(expectation_point("min_redelivered") == "redelivered");
  CHECK(expectation_point("max_unplaced") == "unplaced");
  CHECK(expectation_point("queue.dead-letters.min_peak") == "queue");
  CHECK(expectation_point("max_waiting") == "max_waiting");
  CHECK(expectation_point("events_on_time") == "events_on_time");
  CHECK(expectation_point("no_confirmed_lost") == "no_confirmed_lost");
}
