// warungmq: one executable. Subcommands are added as their parts land.
#include <CLI/CLI.hpp>

#include <cstdio>

void add_serve_command(CLI::App& app);  // app/serve_command.cpp

int main(int argc, char** argv) {
  CLI::App app{"WarungMQ: the restaurant analogy for message brokers, with a real broker inside"};
  app.set_version_flag("--version", std::string("warungmq ") + WMQ_VERSION);
  add_serve_command(app);
  CLI11_PARSE(app, argc, argv);
  std::printf("warungmq %s: no subcommand yet; see --help\n", WMQ_VERSION);
  return 0;
}
