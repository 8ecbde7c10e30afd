#include "run_command.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::sim {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_live_run_stop_signal(int) {
  g_stop.store(true);
}

// Ctrl-C ends a live run early, with its report; a stray SIGPIPE from a
// client that vanished mid-write must not kill it.
void install_live_signals() {
  g_stop.store(false);
  struct sigaction sa {};
  sa.sa_handler = on_live_run_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

// How late a client's frame may be stamped: the clock stands still while
// the server waits for input (Simulation::live_turn).
constexpr Micros kLiveMaxWait = 10 * kMillis;

// Virtual time follows the wall clock from now until `until` or a signal.
void run_live(Simulation& sim, Micros until) {
  using Steady = std::chrono::steady_clock;
  const Steady::time_point start = Steady::now();
  const Micros base = sim.now();
  while (!g_stop.load()) {
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - start).count();
    const Micros t = base + static_cast<Micros>(elapsed);
    if (t >= until) {
      sim.live_turn(until, 0);
      return;
    }
    sim.live_turn(t, std::min(kLiveMaxWait, until - t));
  }
}

}  // namespace

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
  if (args.listen) {
    ListenOptions lo;
    lo.bind = args.bind;
    lo.port = *args.listen;
    lo.users_file = args.users;
    lo.allow_anyone = args.allow_anyone;
    lo.log = [&err](std::string_view line) { err << line << "\n"; };
    lo.warn = [&err](std::string_view line) { err << "warungmq run: " << line << "\n"; };
    Status st = sim.value()->listen(lo);
    if (!st.is_ok()) {
      err << "warungmq run: " << st.message() << "\n";
      return 2;
    }
    // Tests and scripts read the port from this first line (--listen 0 picks one).
    out << "warungmq run: listening on " << args.bind << " port " << sim.value()->listen_port()
        << "; the virtual clock follows the wall clock until " << format_duration(until)
        << " (Ctrl-C ends the run early)" << std::endl;
    install_live_signals();
    run_live(*sim.value(), until);
  } else {
    sim.value()->run_until(until);
  }
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
    CLI::Option* listen =
        sub_->add_option("--listen", listen_,
                         "Open the broker to STOMP clients on this port (0: any free port, printed "
                         "first); the clock then follows the wall clock");
    sub_->add_option("--bind", args_.bind, "Address --listen uses (0.0.0.0: every interface)")
        ->capture_default_str();
    CLI::Option* users =
        sub_->add_option("--users", args_.users,
                         "Users file STOMP clients log in with (as for `warungmq serve`); "
                         "needed for a --bind other than loopback")
            ->check(CLI::ExistingFile)
            ->needs(listen);
    sub_->add_flag("--allow-anyone", args_.allow_anyone,
                   "Without --users, listen on a --bind address other than loopback anyway: "
                   "anyone who can reach it may connect (an open classroom)")
        ->excludes(users)
        ->needs(listen);
  }
  bool selected() const override { return sub_->parsed(); }
  int execute() override {
    if (sub_->count("--seed") > 0) args_.seed = seed_;
    if (sub_->count("--listen") > 0) args_.listen = listen_;
    return run_scenario(args_, std::cout, std::cerr);
  }

 private:
  CLI::App* sub_ = nullptr;
  RunArgs args_;
  uint64_t seed_ = 0;
  uint16_t listen_ = 0;
};

}  // namespace

std::unique_ptr<RunCommand> add_run_command(CLI::App& app) {
  return std::make_unique<Run>(app);
}

}  // namespace wmq::sim
