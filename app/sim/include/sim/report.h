// Report: what a run did, for a person (text), a handout (Markdown) and a
// program (JSON). Built by Simulation::report(); the same scenario and seed
// give byte-identical renderings.
//
// The conservation law holds in every report:
//   placed = rejected + served + dead_lettered + expired + lost + in_flight
// where `lost` counts orders a cashier saw confirmed (direct mode: handed to
// a cook) that will never be served and are neither dead-lettered nor in
// flight.
//
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "broker/clock.h"
#include "sim/scenario.h"

namespace wmq::sim {

struct ExpectationResult {
  std::string name;
  bool ok = false;
  std::string detail;  // "served 143, expected at least 100"
};

struct NarrationLine {
  Micros at = 0;
  std::string action;  // describe(injection), or "" for narration only
  Text say;
  std::string late;  // an event that waited: why it fired at its deadline ("" = on time)
};

struct QueueReport {
  std::string name;
  uint64_t max_depth = 0;
  uint64_t final_depth = 0;
  bool durable = false;
};

struct Report {
  std::string scenario;  // its name
  std::string file;
  Text title;
  // The lesson's lines for the class (Scenario::watch, question, answer); the text and Markdown
  // reports print them so a student replaying at home gets the question, then its answer.
  Text watch, question, answer;
  uint64_t seed = 0;
  Mode mode = Mode::kBroker;
  Micros virtual_time = 0;

  // orders
  uint64_t placed = 0, confirmed = 0, rejected = 0, delivered = 0, redelivered = 0, cooked = 0,
           served = 0, dead_lettered = 0, expired = 0, lost = 0, duplicates = 0, in_flight = 0,
           late_acks = 0;
  uint64_t customers = 0, retries = 0;
  // broker
  uint64_t crashes = 0, recoveries = 0, group_commits = 0;
  // announcement deliveries to stations (one per station per announce)
  uint64_t announcements = 0;
  // STOMP programs on the scene (Simulation::listen). A live run's virtual
  // clock followed the wall clock: it is not deterministic.
  bool live = false;
  uint32_t external_cooks = 0, external_cashiers = 0;
  uint64_t external_delivered = 0, external_cooked = 0, external_returned = 0, external_sent = 0,
           external_rejected = 0;
  // order placed -> served, served orders only
  Micros latency_p50 = 0, latency_p90 = 0, latency_p99 = 0, latency_max = 0;
  std::vector<QueueReport> queues;  // station queues, pickup, dead-letters
  std::vector<NarrationLine> timeline;
  std::vector<ExpectationResult> expectations;
  std::vector<std::string> notes;  // anomalies worth a person's attention

  // True when every expectation holds (also when there are none).
  bool all_ok() const;
  // The figure called `name` (figure_names() in scenario.h, or latency_*);
  // 0 for a name it does not know.
  int64_t figure(const std::string& name) const;
};

// What expectation `name` checks, as one word a window translates into the
// point it shows ("min_redelivered" -> "redelivered", "queue.wok.min_peak"
// -> "queue", "events_on_time" -> itself).
std::string expectation_point(const std::string& name);

// The JSON report (keys as docs/scenarios.md lists them), pretty-printed
// with a newline at the end.
std::string report_json(const Report& report);
// The text report for a person: what happened, narration en then id, the figures.
std::string report_text(const Report& report);
// The Markdown handout.
std::string report_markdown(const Report& report);

}  // namespace wmq::sim
