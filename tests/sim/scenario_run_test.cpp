// Scenario runs (label `scenario`): every shipped scenario meets its
// expectations, runs are byte-identical, and every order is accounted for
// whatever the seed.
#include <doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "run_command.h"
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
  CHECK(broker == 36);
  CHECK(sim_events == 26);
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

TEST_CASE("the SQLite store and the memory store give byte-identical reports") {
  const Scenario s = scenario(kBusy);
  for (uint64_t seed : {1u, 2u}) {
    CAPTURE(seed);
    auto mem = start(s, seed, {}, Storage::kMemory);
    auto sql = start(s, seed, {}, Storage::kSqlite);
    // Compare at moments inside the broker's outages as well as at the end.
    for (Micros t :
         {8 * 60 * kSeconds + 10 * kSeconds, 16 * 60 * kSeconds + 30 * kSeconds, s.duration}) {
      mem->run_until(t);
      sql->run_until(t);
      CHECK(report_json(mem->report()) == report_json(sql->report()));
    }
  }
}

TEST_CASE("on SQLite, a broker crash with durable queues loses no confirmed order") {
  const Scenario s = scenario(R"(
[scenario]
name = "durable"
duration = "30m"
[restaurant]
rate = 3
[queues]
durable = true
[[station]]
name = "wok"
cooks = 1
[[station]]
name = "grill"
cooks = 1
[[event]]
at = "10m"
do = "crash_broker"
restart_after = "1m"
[[event]]
at = "20m"
do = "crash_broker"
restart_after = "30s"
)");
  auto sim = start(s, 4, {}, Storage::kSqlite);
  sim->run_until(10 * 60 * kSeconds + 1);
  CHECK(sim->broker_down());
  const Report during = sim->report();  // the file is read to see what will come back
  check_conservation(during);
  CHECK(during.lost == 0);
  sim->run_until(s.duration);
  const Report r = sim->report();
  CHECK(r.crashes == 2);
  CHECK(r.recoveries == 2);
  CHECK(r.lost == 0);
  CHECK(sim->counters().recovered_messages == 84);
  check_conservation(r);
}

TEST_CASE("--data keeps the broker file; without it the temporary file is removed") {
  const std::filesystem::path data =
      std::filesystem::temp_directory_path() / "wmq-sim-data-test.db";
  std::filesystem::remove(data);
  std::string temp_dir;
  {
    const Scenario s = scenario(kBusy);
    SimOptions o;
    o.storage = Storage::kSqlite;
    o.data_path = data.string();
    auto kept = Simulation::create(s, o);
    REQUIRE(kept.is_ok());
    kept.value()->run_until(60 * kSeconds);
    CHECK(kept.value()->data_path() == data.string());
    SimOptions t;
    t.storage = Storage::kSqlite;
    auto temp = Simulation::create(s, t);
    REQUIRE(temp.is_ok());
    temp.value()->run_until(60 * kSeconds);
    temp_dir = std::filesystem::path(temp.value()->data_path()).parent_path().string();
    CHECK(std::filesystem::exists(temp.value()->data_path()));
  }
  CHECK(std::filesystem::exists(data));
  CHECK_FALSE(std::filesystem::exists(temp_dir));
  std::filesystem::remove(data);
  std::filesystem::remove(data.string() + "-wal");
  std::filesystem::remove(data.string() + "-shm");
  std::filesystem::remove(data.string() + ".lock");
}

TEST_CASE("a run's injections appended to its scenario file replay to the same report") {
  const std::string text = std::string(kBusy);
  const Scenario s = scenario(text);
  auto live = start(s, 9);
  live->run_until(2 * 60 * kSeconds + 17);
  REQUIRE(live->inject(inj(InjectionKind::kCrashCook, "wok-2")).is_ok());
  live->run_until(7 * 60 * kSeconds);
  Injection bad = inj(InjectionKind::kBadOrder, "cashier-3");
  bad.problem = "dish";
  REQUIRE(live->inject(bad).is_ok());
  Injection q = inj(InjectionKind::kSetQueue, "wok");
  q.queue.max_length = 3;
  q.queue.durable = false;
  REQUIRE(live->inject(q).is_ok());
  Injection rate = inj(InjectionKind::kSetRate);
  rate.rate = 2.5;
  REQUIRE(live->inject(rate).is_ok());
  live->run_until(s.duration);

  std::string saved = text + "\n";
  for (const Injection& i : live->injections())
    saved += injection_to_toml(i);
  auto replay = start(scenario(saved), 9);
  replay->run_until(s.duration);
  CHECK(report_json(replay->report()) == report_json(live->report()));
  CHECK(report_text(replay->report()) == report_text(live->report()));
}

TEST_CASE("--report json --out FILE writes the JSON report there and nothing to stdout") {
  const std::string file =
      std::filesystem::temp_directory_path().string() + "/wmq-report-test.json";
  std::ostringstream out, err;
  RunArgs a;
  a.scenario = std::string(WMQ_SCENARIOS_DIR) + "/00-sandbox.toml";
  a.report = "json";
  a.out = file;
  a.seed = 4;
  a.store = "memory";
  CHECK(run_scenario(a, out, err) == 0);
  CHECK(out.str().empty());
  std::ifstream in(file);
  const nlohmann::json j = nlohmann::json::parse(in);
  CHECK(j["scenario"] == "sandbox");
  CHECK(j["seed"] == 4);
  CHECK(j["virtual_seconds"] == 1800.0);
  CHECK(j["orders"]["placed"].get<int>() == 51);
  CHECK(j["expectations"].size() == 2);
  std::filesystem::remove(file);
}
