// Scenario runs (label `scenario`): every shipped scenario meets its
// expectations, runs are byte-identical, and every order is accounted for
// whatever the seed.
#include <doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/run_command.h"
#include "sim_util.h"

using namespace wmq;
using namespace wmq::sim;
using namespace wmq::sim::test;

namespace {

std::vector<std::string> shipped() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(WMQ_SCENARIOS_DIR)) {
    if (e.path().extension() == ".toml") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string run_json(const std::string& file, uint64_t seed, Storage storage = Storage::kMemory) {
  Result<Scenario> s = load_scenario(file);
  REQUIRE(s.is_ok());
  auto sim = start(s.value(), seed, {}, storage);
  sim->run_until(s->duration);
  return report_json(sim->report());
}

// A short busy lunch with every kind of trouble.
const char* kBusy = R"(
[scenario]
name = "busy"
duration = "25m"
[restaurant]
cashiers = 3
old_cashiers = 1
rate = 6
[queues]
durable = true
delivery_limit = 3
ttl = "12m"
[pickup]
durable = false
[[station]]
name = "grill"
cooks = 2
prefetch = 2
[[station]]
name = "wok"
cooks = 2
[[station]]
name = "drinks"
cooks = 1
[[event]]
at = "3m"
do = "freeze_cook"
cook = "wok-1"
[[event]]
at = "4m"
do = "poison_order"
[[event]]
at = "5m"
do = "bad_order"
problem = "qty"
[[event]]
at = "6m"
do = "slow_disk"
window = "7s"
[[event]]
at = "8m"
do = "crash_broker"
restart_after = "20s"
[[event]]
at = "9m"
do = "revive_cook"
cook = "wok-1"
[[event]]
at = "10m"
do = "slow_disk"
window = "0s"
[[event]]
at = "12m"
do = "set_queue"
queue = "grill"
durable = false
[[event]]
at = "14m"
do = "crash_cook"
cook = "grill-2"
[[event]]
at = "16m"
do = "crash_broker"
[[event]]
at = "18m"
do = "crash_cashier"
cashier = "cashier-2"
)";

}  // namespace

TEST_CASE("every shipped scenario meets its expectations") {
  const std::vector<std::string> files = shipped();
  REQUIRE(!files.empty());
  for (const std::string& f : files) {
    CAPTURE(f);
    std::ostringstream out, err;
    RunArgs a;
    a.scenario = f;
    a.store = "memory";
    const int rc = run_scenario(a, out, err);
    INFO(out.str() << err.str());
    CHECK(rc == 0);
  }
}

TEST_CASE("the same scenario and seed give byte-identical reports; another seed another run") {
  for (const std::string& f : shipped()) {
    CAPTURE(f);
    const std::string a = run_json(f, 11);
    CHECK(a == run_json(f, 11));
    CHECK(a != run_json(f, 12));
  }
}

TEST_CASE("the conservation law holds over 50 seeds of a busy day with every failure") {
  const Scenario s = scenario(kBusy);
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    CAPTURE(seed);
    auto sim = start(s, seed);
    sim->run_until(s.duration);
    const Report r = sim->report();
    check_conservation(r);
    CHECK(r.crashes == 2);
    CHECK(r.placed > 50);
    // Orders the grill lost after it turned transient are the only losses.
    for (const Order& o : sim->orders()) {
      if (o.status == OrderStatus::kLost) CHECK(o.confirmed);
    }
  }
}

TEST_CASE("the conservation law holds at every moment, not only at the end") {
  const Scenario s = scenario(kBusy);
  auto sim = start(s, 3);
  for (Micros t = 0; t <= s.duration; t += 17 * kSeconds) {
    sim->run_until(t);
    check_conservation(sim->report());
  }
}

TEST_CASE("the trace has one JSON line per event, broker and restaurant") {
  const std::string trace =
      std::filesystem::temp_directory_path().string() + "/wmq-trace-test.jsonl";
  std::ostringstream out, err;
  RunArgs a;
  a.scenario = std::string(WMQ_SCENARIOS_DIR) + "/00-sandbox.toml";
  a.store = "memory";
  a.until = "5m";
  a.trace = trace;
  REQUIRE(run_scenario(a, out, err) == 1);  // 5 minutes is too short for min_served
  std::ifstream in(trace);
  std::string line;
  int broker = 0, sim_events = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    REQUIRE(j.contains("t"));
    broker += j["src"] == "broker";
    sim_events += j["src"] == "sim";
  }
  CHECK(broker > 20);
  CHECK(sim_events > 10);
  std::filesystem::remove(trace);
}

TEST_CASE("a bad scenario file or option exits 2 with the sentence, and nothing runs") {
  std::ostringstream out, err;
  RunArgs a;
  a.scenario = std::string(WMQ_SOURCE_DIR) + "/tests/sim/data/bad.toml";
  CHECK(run_scenario(a, out, err) == 2);
  CHECK(err.str() == a.scenario +
                         ":5: unknown key \"cashers\" in [restaurant]; did you mean "
                         "\"cashiers\"?\n");
  CHECK(out.str().empty());
  std::ostringstream out2, err2;
  RunArgs b;
  b.scenario = std::string(WMQ_SCENARIOS_DIR) + "/00-sandbox.toml";
  b.until = "soon";
  CHECK(run_scenario(b, out2, err2) == 2);
  CHECK(err2.str() ==
        "warungmq run: --until \"soon\" is not a duration; write it like \"90s\", "
        "\"2m30s\", \"1h\" or \"500ms\"\n");
}
