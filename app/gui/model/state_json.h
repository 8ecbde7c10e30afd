// The simulator's part of the --state-out report, and the A/B comparison of
// two reports: what the GUI tests read to know what a click did.
//
// state_json(bench) = {
//   "scenario", "file", "seed", "mode", "time_us", "time" ("05:00"), "horizon_us", "end_us",
//   "playing", "speed", "at_pause_point", "reached_end", "selection" ("cook 2"),
//   "variant" ("durable=false", or null), "b_kind" ("none", "variant", "previous-future"),
//   "previous_fork_us" (-1 before any fork), "forks_us": [..],
//   "injections": [{"at_us", "made_at_us", "what" (describe), "on_b"}],
//   "a": run_json(A), "b": run_json(B) or null,
//   "deterministic" (false once live), "listening": {"bind", "port"} or null }
// run_json(run) = {
//   "time_us", "broker_down", "narration" (en text or ""), "pauses_reached",
//   "counters": {customers, placed, confirmed, ...every Counters field},
//   "figures": {placed, served, lost, ...every Report figure},
//   "cooks": [{"name", "station", "state", "prefetch", "held": [order numbers],
//              "held_counts": [delivery counts], "crashes", "cooked"}],
//   "cashiers": [{"name", "state", "line", "receipts", "last_receipt", "crashes"}],
//   "queues": [{"name", "durable", "depth", "max_depth"}],
//   "orders": [{"number", "status", "station", "deliveries", "redeliveries", "confirmed",
//               "steps": [step kind names]}],
//   "external_clients": [{"name", "role" ("cook", "cashier"), "state" ("connected", "gone"),
//               "station" (or null), "connected_at_us", "left_at_us", "delivered", "acked",
//               "returned", "held": [order numbers], "sent", "rejected"}],
//   "events": events seen so far }
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gui/model/run.h"
#include "gui/model/workbench.h"
#include "sim/report.h"

namespace wmq::gui {

nlohmann::json run_json(const Run& run);
nlohmann::json state_json(const Workbench& bench);

// One figure of the A/B comparison.
struct FigureDiff {
  std::string name;  // a Report figure ("served", "lost", "latency_p50")
  int64_t a = 0;
  int64_t b = 0;
  bool differs() const { return a != b; }
};

// The figures a lesson compares, in a fixed order: placed, served, in flight, lost, redelivered,
// duplicates, dead-lettered, expired, rejected, latency p50 and p90 (microseconds).
std::vector<FigureDiff> compare_reports(const sim::Report& a, const sim::Report& b);

}  // namespace wmq::gui
