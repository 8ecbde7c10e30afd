// `warungmq run SCENARIO`: a scenario headless, a report out, an exit code.
//
//   warungmq run SCENARIO [--seed N] [--until DURATION] [--report text|json|md]
//                [--out FILE] [--data FILE] [--trace FILE] [--store sqlite|memory]
//                [--listen PORT [--bind 127.0.0.1] [--users FILE | --allow-anyone]]
//
// With --listen the broker is opened to STOMP clients (Simulation::listen):
// the first line on stdout names the port ("warungmq run: listening on
// 127.0.0.1 port 40123; ..."), the virtual clock follows the wall clock
// until --until (or SIGINT/SIGTERM, which end the run early with its
// report), and the report says the run is not deterministic. Who may come
// in is `warungmq serve`'s rule (stomp/door.h): without --users, a --bind
// other than loopback is refused (exit 2) unless --allow-anyone, which warns.
//
// Exit 0 when every expectation holds, 1 when one fails (the report says
// which and why), 2 on bad input (a readable error on stderr, nothing run).
//
// Thread-safety: none needed; one call runs one scenario.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace wmq::sim {

struct RunArgs {
  std::string scenario;            // path to the TOML file
  std::optional<uint64_t> seed;    // default: the scenario's seed
  std::string until;               // a duration; default: the scenario's duration
  std::string report = "text";     // text | json | md
  std::string out;                 // the report's file; empty = `out`
  std::string data;                // the broker file; empty = a temporary one
  std::string trace;               // JSON lines of every event; empty = none
  std::string store = "sqlite";    // sqlite | memory
  std::optional<uint16_t> listen;  // STOMP port (0 = any free one); none = not listening
  std::string bind = "127.0.0.1";  // the address --listen uses
  std::string users;               // the users file clients log in with; empty = none
  bool allow_anyone = false;       // a non-loopback --bind without --users anyway
};

// Runs one scenario and writes its report to `args.out` or `out`; errors
// for people go to `err`. Returns the exit code (0, 1 or 2, as above).
int run_scenario(const RunArgs& args, std::ostream& out, std::ostream& err);

// The `run` subcommand, added to a CLI11 app. After parsing, if selected(),
// main returns execute().
class RunCommand {
 public:
  virtual ~RunCommand() = default;
  virtual bool selected() const = 0;
  virtual int execute() = 0;
};

// Adds `run` to `app`; the app must outlive the returned command.
std::unique_ptr<RunCommand> add_run_command(CLI::App& app);

}  // namespace wmq::sim
