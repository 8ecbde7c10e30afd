// The simulator's benchmark: a busy day at a food court (at least 100,000
// orders, three broker crashes) run headless, durable on real SQLite and
// transient, timed on the wall clock.
//
//   sim_orders_per_s_durable    orders placed per wall second, durable queues on SQLite
//   sim_orders_per_s_transient  the same day with transient queues
//
// Call run_sim_bench(out) from the bench driver; it adds its figures to `out`
// (and a few more that explain them: orders, commits, wall seconds).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sim/simulation.h"

namespace wmq::sim::bench {

namespace {

// Fast food: short cooking times, so a kitchen of a few dozen cooks keeps up
// with five customers a second.
const char* kMenu = R"(
[[dish]]
name = "nasi goreng"
station = "wok"
cook = { dist = "uniform", min = "4s", max = "8s" }
weight = 3
[[dish]]
name = "mie goreng"
station = "wok"
cook = { dist = "uniform", min = "4s", max = "8s" }
weight = 2
[[dish]]
name = "sate ayam"
station = "grill"
cook = { dist = "uniform", min = "5s", max = "9s" }
weight = 3
[[dish]]
name = "es teh"
station = "drinks"
cook = { dist = "uniform", min = "2s", max = "4s" }
weight = 4
)";

std::string busy_day(const std::string& menu, bool durable) {
  return std::string(R"(
[scenario]
name = "busy-day"
duration = "6h"
menu = ")") +
         menu + R"("

[restaurant]
cashiers = 20
rate = 320
service = { dist = "uniform", min = "1s", max = "3s" }
handoff = "1s"
confirm_timeout = "30s"
heartbeat = "30s"
suspect_after = "90s"
dead_after = "3m"
broker_restart = "20s"
commit_window = "1s"
pickup_prefetch = 4

[queues]
durable = )" +
         (durable ? "true" : "false") +
         R"(

[pickup]
durable = )" +
         (durable ? "true" : "false") +
         R"(

[[station]]
name = "wok"
cooks = 16
prefetch = 4

[[station]]
name = "grill"
cooks = 12
prefetch = 4

[[station]]
name = "drinks"
cooks = 7
prefetch = 4

[[event]]
at = "1h30m"
do = "crash_broker"

[[event]]
at = "3h"
do = "crash_broker"

[[event]]
at = "4h30m"
do = "crash_broker"
)";
}

struct Run {
  double wall_s = 0;
  Report report;
};

Run run_day(const Scenario& s, Storage storage) {
  SimOptions o;
  o.seed = 1;
  o.storage = storage;
  o.history = false;
  Result<std::unique_ptr<Simulation>> sim = Simulation::create(s, o);
  if (!sim.is_ok()) {
    std::fprintf(stderr, "sim_bench: %s\n", sim.status().message().c_str());
    return {};
  }
  const auto start = std::chrono::steady_clock::now();
  sim.value()->run_until(s.duration);
  const auto end = std::chrono::steady_clock::now();
  Run r;
  r.wall_s = std::chrono::duration<double>(end - start).count();
  r.report = sim.value()->report();
  return r;
}

}  // namespace

void run_sim_bench(nlohmann::json& out) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wmq-sim-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string menu = (dir / "menu.toml").string();
  std::ofstream(menu) << kMenu;

  for (const bool durable : {true, false}) {
    Result<Scenario> s = parse_scenario(busy_day(menu, durable), "busy-day.toml");
    if (!s.is_ok()) {
      std::fprintf(stderr, "sim_bench: %s\n", s.status().message().c_str());
      continue;
    }
    const Run r = run_day(s.value(), Storage::kSqlite);
    const std::string k = durable ? "durable" : "transient";
    out["sim_orders_per_s_" + k] =
        r.wall_s > 0 ? static_cast<double>(r.report.placed) / r.wall_s : 0;
    out["sim_" + k + "_orders"] = r.report.placed;
    out["sim_" + k + "_wall_s"] = r.wall_s;
    out["sim_" + k + "_group_commits"] = r.report.group_commits;
    out["sim_" + k + "_crashes"] = r.report.crashes;
    out["sim_" + k + "_lost"] = r.report.lost;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace wmq::sim::bench
