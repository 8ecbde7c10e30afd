// warungmq: one executable. `gui` (the default), `run SCENARIO` and `serve`.
// Two parts are optional: the window (WMQ_HAS_GUI, CMake's WMQ_GUI) and the
// STOMP server's sockets (WMQ_HAS_STOMP_SERVER, CMake's WMQ_STOMP_SERVER):
// `serve` and the window's --listen.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "run_command.h"
#if WMQ_HAS_GUI
#include "gui/app.h"
#endif
#if WMQ_HAS_STOMP_SERVER
#include "serve_command.h"
#endif

int main(int argc, char** argv) {
  CLI::App app{"WarungMQ: the restaurant analogy for message brokers, with a real broker inside"};
  app.set_version_flag("--version", std::string("warungmq ") + WMQ_VERSION);

#if WMQ_HAS_GUI
  wmq::gui::GuiOptions gui_opts;
  std::filesystem::path gui_scenario_flag;
  CLI::App* gui =
      app.add_subcommand("gui", "Open the WarungMQ window (also what no subcommand does)");
  CLI::Option* gui_scenario =
      gui->add_option("scenario", gui_opts.scenario,
                      "Scenario file to open (default: scenarios/00-sandbox.toml)")
          ->check(CLI::ExistingFile);
  gui->add_option("--scenario", gui_scenario_flag, "The same, as an option")
      ->check(CLI::ExistingFile)
      ->excludes(gui_scenario);
  gui->add_option("--seed", gui_opts.seed, "Seed of the simulation (default: the scenario's)");
  gui->add_option("--at", gui_opts.at, "Start at this virtual time, e.g. 6m");
  gui->add_flag("--paused", gui_opts.paused, "Start paused");
  gui->add_option("--speed", gui_opts.speed,
                  "Virtual seconds per real second, 0.25..64 (default 8; 1 with --listen)");
  gui->add_option("--compare", gui_opts.compare,
                  "Start in the A/B split view: transient, durable, direct, broker, prefetch_1, "
                  "prefetch_10, more_cooks or rush");
  gui->add_option("--select", gui_opts.select,
                  "Start with this selected: cook:NAME, cashier:NAME, queue:NAME, order:N, broker");
  gui->add_flag("--projector", gui_opts.projector, "Large fonts, high contrast, thick lines");
  gui->add_option("--vocabulary", gui_opts.vocabulary, "restaurant or broker words")
      ->check(CLI::IsMember({"restaurant", "broker"}));
  CLI::Option* frames =
      gui->add_option("--frames", gui_opts.frames, "Render N frames, then exit (0: until closed)")
          ->check(CLI::NonNegativeNumber);
  gui->add_option("--screenshot", gui_opts.screenshot, "Save the last frame as PNG")->needs(frames);
  gui->add_option("--state-out", gui_opts.state_out, "On exit, write the GUI's state as JSON");
  gui->add_option("--lang,--language", gui_opts.language, "Interface language")
      ->check(CLI::IsMember({"en", "id"}));
  gui->add_option("--width", gui_opts.width, "Window width in pixels")->check(CLI::PositiveNumber);
  gui->add_option("--height", gui_opts.height, "Window height in pixels")
      ->check(CLI::PositiveNumber);
  gui->add_option("--exit-after-ms", gui_opts.exit_after_ms, "Exit after this many milliseconds")
      ->check(CLI::NonNegativeNumber);
  gui->add_option("--anchors-out", gui_opts.anchors_out,
                  "Rewrite the widget rectangles (JSON) to this file after every frame");
#if WMQ_HAS_STOMP_SERVER
  gui->add_option("--listen", gui_opts.listen,
                  "Open the scene to STOMP clients on this port (0: any free port, printed "
                  "first); the clock then follows the wall clock");
  gui->add_option("--bind", gui_opts.bind,
                  "Address --listen uses (default 127.0.0.1; 0.0.0.0: every interface)");
  gui->add_option("--users", gui_opts.users,
                  "Users file STOMP clients log in with (as for `warungmq serve`); needed for a "
                  "--bind other than loopback")
      ->check(CLI::ExistingFile);
  gui->add_flag("--allow-anyone", gui_opts.allow_anyone,
                "Without --users, listen on a --bind address other than loopback anyway: anyone "
                "who can reach it may connect (an open classroom)");
  gui_opts.max_memory = default_max_memory();
  gui->add_option("--max-memory", gui_opts.max_memory,
                  "With --listen: bytes messages may hold before the STOMP programs that publish "
                  "are paused, as for `warungmq serve` (default: 40% of this machine's memory; 0: "
                  "no limit)");
#endif
  gui->add_option("--link", gui_opts.link,
                  "Open this moment: a link from File > Copy a link to this moment")
      ->excludes(gui_scenario);
  gui->add_option("--bench-frames", gui_opts.bench_frames,
                  "Render N frames unpaced and print frame-time percentiles (JSON)")
      ->check(CLI::NonNegativeNumber);
#endif
  auto run = wmq::sim::add_run_command(app);
#if WMQ_HAS_STOMP_SERVER
  add_serve_command(app);  // runs the server from its callback; its exit code comes back below
  add_users_command(app);  // the same way
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a subcommand that ran to its end (serve)
  } catch (const CLI::ParseError& e) {
    // Bad command-line input exits 2 like any bad input; --help and --version exit 0.
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (run->selected()) return run->execute();
#if WMQ_HAS_GUI
  if (!gui_scenario_flag.empty()) gui_opts.scenario = gui_scenario_flag;
  if (gui->parsed() || app.get_subcommands().empty()) return wmq::gui::run_gui(gui_opts);
#endif
  std::printf("warungmq %s: see --help\n", WMQ_VERSION);
  return 0;
}
