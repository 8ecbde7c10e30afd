// The simulator's benchmark: a busy day at a food court (at least 100,000
// orders, three broker crashes) run headless, durable on real SQLite and
// transient, timed on the wall clock.
//
//   sim_orders_per_s_durable    orders placed per wall second, durable queues on SQLite
//   sim_orders_per_s_transient  the same day with transient queues
//
// run_sim_bench(out) adds its figures to `out` (and a few more that explain
// them: orders, group commits, wall seconds); it is registered as the bench
// section "sim" (wmq_bench --only sim).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "bench.h"
#include "sim/simulation.h"

namespace wmq::sim::bench {

namespace {

// Fast food: short cooking times, so a kitchen of a few dozen cooks keeps up
// with five customers a second.
const char* kMenu = R"(
[[dish]]
name = "nasi goreng"
station = "wok"
cook = { dist = "uniform", min = "1s", max = "2s" }
weight = 3
[[dish]]
name = "mie goreng"
station = "wok"
cook = { dist = "uniform", min = "1s", max = "2s" }
weight = 2
[[dish]]
name = "sate ayam"
station = "grill"
cook = { dist = "uniform", min = "1500ms", max = "2500ms" }
weight = 3
[[dish]]
name = "es teh"
station = "drinks"
cook = { dist = "uniform", min = "500ms", max = "1s" }
weight = 4
)";

// The day's knobs. Orders per group commit (rate x commit window) is what
// the durable figure depends on; a busy broker commits tens of messages per
// fsync, and so does this day.
struct Day {
  const char* duration = "3h";
  int rate = 600;  // customers per minute
  int cashiers = 20;
  int max_unconfirmed = 8;
  const char* commit_window = "5s";
  int wok = 8, grill = 6, drinks = 4;
};

std::string busy_day(const std::string& menu, bool durable, const Day& d) {
  const std::string yes = durable ? "true" : "false";
  return std::string(R"(
[scenario]
name = "busy-day"
duration = ")") +
         d.duration + R"("
menu = ")" +
         menu + R"("

[restaurant]
cashiers = )" +
         std::to_string(d.cashiers) + R"(
rate = )" +
         std::to_string(d.rate) + R"(
service = { dist = "uniform", min = "500ms", max = "1500ms" }
handoff = "500ms"
confirm_timeout = "30s"
max_unconfirmed = )" +
         std::to_string(d.max_unconfirmed) + R"(
heartbeat = "30s"
suspect_after = "90s"
dead_after = "3m"
broker_restart = "20s"
commit_window = ")" +
         d.commit_window + R"("
pickup_prefetch = 4

[queues]
durable = )" +
         yes + R"(

[pickup]
durable = )" +
         yes + R"(

[[station]]
name = "wok"
cooks = )" +
         std::to_string(d.wok) + R"(
prefetch = 4

[[station]]
name = "grill"
cooks = )" +
         std::to_string(d.grill) + R"(
prefetch = 4

[[station]]
name = "drinks"
cooks = )" +
         std::to_string(d.drinks) + R"(
prefetch = 4

[[event]]
at = "45m"
do = "crash_broker"

[[event]]
at = "1h30m"
do = "crash_broker"

[[event]]
at = "2h15m"
do = "crash_broker"
)";
}

struct Run {
  double wall_s = 0;
  double cpu_s = 0;  // user + system: the wall time minus waiting for the disk
  Report report;
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

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
  const double cpu0 = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  sim.value()->run_until(s.duration);
  const auto end = std::chrono::steady_clock::now();
  Run r;
  r.wall_s = std::chrono::duration<double>(end - start).count();
  r.cpu_s = cpu_seconds() - cpu0;
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
    Result<Scenario> s = parse_scenario(busy_day(menu, durable, Day{}), "busy-day.toml");
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
    out["sim_" + k + "_cpu_s"] = r.cpu_s;
    out["sim_" + k + "_group_commits"] = r.report.group_commits;
    out["sim_" + k + "_crashes"] = r.report.crashes;
    out["sim_" + k + "_lost"] = r.report.lost;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);

  // The GUI's time travel lands on a moment by replaying from the start:
  // the classroom sandbox, 30 virtual minutes, history kept, memory store.
  // (wmq_bench knows no scenarios directory; this file sits two levels below the root.)
  const std::filesystem::path root = std::filesystem::path(__FILE__).parent_path() / ".." / "..";
  Result<Scenario> sandbox = load_scenario((root / "scenarios" / "00-sandbox.toml").string());
  if (sandbox.is_ok()) {
    std::vector<double> ms;
    for (int i = 0; i < 7; ++i) {
      SimOptions o;
      o.storage = Storage::kMemory;
      const auto start = std::chrono::steady_clock::now();
      Result<std::unique_ptr<Simulation>> sim = Simulation::create(sandbox.value(), o);
      if (!sim.is_ok()) break;
      sim.value()->run_until(30 * 60 * kSeconds);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    out["sim_replay_sandbox_30m_ms"] = wmq::bench::median(ms);
  }
}

}  // namespace wmq::sim::bench

namespace {
const bool registered = wmq::bench::add_section(
    "sim", [](nlohmann::json& out) { wmq::sim::bench::run_sim_bench(out); });
}  // namespace
