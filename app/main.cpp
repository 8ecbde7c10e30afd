// warungmq: one executable. Subcommands are added as their parts land.
#include <CLI/CLI.hpp>

#include <cstdio>

#ifdef WMQ_SIM_ENABLED
#include "sim/run_command.h"
#endif

int main(int argc, char** argv) {
  CLI::App app{"WarungMQ: the restaurant analogy for message brokers, with a real broker inside"};
  app.set_version_flag("--version", std::string("warungmq ") + WMQ_VERSION);
#ifdef WMQ_SIM_ENABLED
  auto run = wmq::sim::add_run_command(app);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Bad command-line input exits 2 like any bad input; --help and --version exit 0.
    return app.exit(e) == 0 ? 0 : 2;
  }
#ifdef WMQ_SIM_ENABLED
  if (run->selected()) return run->execute();
#endif
  std::printf("warungmq %s: no subcommand yet; see --help\n", WMQ_VERSION);
  return 0;
}
