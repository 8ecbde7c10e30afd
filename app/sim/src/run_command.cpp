#include "sim/run_command.h"

#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::sim {

int run_scenario(const RunArgs& args, std::ostream& out, std::ostream& err) {
  if (args.report != "text" && args.report != "json" && args.report != "md") {
    err << "warungmq run: --report must be text, json or md, got \"" << args.report << "\"\n";
    return 2;
  }
  if (args.store != "sqlite" && args.store != "memory") {
    err << "warungmq run: --store must be sqlite or memory, got \"" << args.store << "\"\n";
    return 2;
  }
  Result<Scenario> sc = load_scenario(args.scenario);
  if (!sc.is_ok()) {
    err << sc.status().message() << "\n";
    return 2;
  }
  Micros until = sc->duration;
  if (!args.until.empty()) {
    Result<Micros> u = parse_duration(args.until);
    if (!u.is_ok()) {
      err << "warungmq run: --until " << u.status().message() << "\n";
      return 2;
    }
    until = *u;
  }
  SimOptions opt;
  opt.seed = args.seed.value_or(sc->seed);
  opt.storage = args.store == "memory" ? Storage::kMemory : Storage::kSqlite;
  opt.data_path = args.data;
  opt.history = false;  // nobody inspects orders in a headless run
  Result<std::unique_ptr<Simulation>> sim = Simulation::create(sc.value(), opt);
  if (!sim.is_ok()) {
    err << "warungmq run: " << sim.status().message() << "\n";
    return 2;
  }
  std::ofstream trace_file;
  std::unique_ptr<TraceWriter> trace;
  if (!args.trace.empty()) {
    trace_file.open(args.trace, std::ios::binary | std::ios::trunc);
    if (!trace_file) {
      err << "warungmq run: cannot write the trace file \"" << args.trace << "\"\n";
      return 2;
    }
    trace = std::make_unique<TraceWriter>(trace_file, *sim.value());
    sim.value()->add_observer(trace.get());
  }
  sim.value()->run_until(until);
  if (trace) sim.value()->remove_observer(trace.get());
  const Report report = sim.value()->report();
  const std::string text = args.report == "json" ? report_json(report)
                           : args.report == "md" ? report_markdown(report)
                                                 : report_text(report);
  if (args.out.empty()) {
    out << text;
  } else {
    std::ofstream f(args.out, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f) {
      err << "warungmq run: cannot write the report to \"" << args.out << "\"\n";
      return 2;
    }
  }
  return report.all_ok() ? 0 : 1;
}

namespace {

class Run final : public RunCommand {
 public:
  explicit Run(CLI::App& app) {
    sub_ = app.add_subcommand("run", "Run a scenario headless and print its report");
    sub_->add_option("scenario", args_.scenario, "The scenario file (scenarios/*.toml)")
        ->required();
    sub_->add_option("--seed", seed_, "Random seed (default: the scenario's)");
    sub_->add_option("--until", args_.until,
                     "Virtual time to run, e.g. 30m or 1h30m (default: the scenario's duration)");
    sub_->add_option("--report", args_.report, "Report format: text, json or md")
        ->check(CLI::IsMember({"text", "json", "md"}));
    sub_->add_option("--out", args_.out, "Write the report to this file instead of stdout");
    sub_->add_option("--data", args_.data,
                     "The broker's SQLite file (must not exist; default: a temporary one)");
    sub_->add_option("--trace", args_.trace,
                     "Write every broker and restaurant event as JSON lines");
    sub_->add_option("--store", args_.store,
                     "Where durable queues live: sqlite (a real file) or memory")
        ->check(CLI::IsMember({"sqlite", "memory"}));
  }
  bool selected() const override { return sub_->parsed(); }
  int execute() override {
    if (sub_->count("--seed") > 0) args_.seed = seed_;
    return run_scenario(args_, std::cout, std::cerr);
  }

 private:
  CLI::App* sub_ = nullptr;
  RunArgs args_;
  uint64_t seed_ = 0;
};

}  // namespace

std::unique_ptr<RunCommand> add_run_command(CLI::App& app) {
  return std::make_unique<Run>(app);
}

}  // namespace wmq::sim
