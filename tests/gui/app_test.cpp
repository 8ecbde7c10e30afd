// run_gui's checks that need no display: they return before any window is opened.
#include <doctest.h>

#include "gui/app.h"

using namespace wmq;
using namespace wmq::gui;

TEST_CASE("check_options accepts the defaults") {
  CHECK(check_options(GuiOptions{}).is_ok());
}

TEST_CASE("check_options refuses a screenshot without a frame count") {
  GuiOptions o;
  o.screenshot = "x.png";
  Status st = check_options(o);
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() == "--screenshot saves the last frame, so it needs --frames N");
  o.frames = 5;
  CHECK(check_options(o).is_ok());
}

TEST_CASE("check_options refuses negative counts and an empty window") {
  GuiOptions o;
  o.frames = -1;
  CHECK(check_options(o).message() == "--frames must be 0 or more, got -1");
  o = GuiOptions{};
  o.exit_after_ms = -5;
  CHECK(check_options(o).message() == "--exit-after-ms must be 0 or more, got -5");
  o = GuiOptions{};
  o.width = 0;
  CHECK(check_options(o).message() == "the window size must be positive, got 0x720");
}

TEST_CASE("run_gui fails before opening a window when the options are wrong") {
  GuiOptions o;
  o.frames = -1;
  CHECK(run_gui(o) == kExitFailed);
}

TEST_CASE("run_gui fails before opening a window when the language files are missing") {
  GuiOptions o;
  o.assets_dir = "/nonexistent/assets";
  CHECK(run_gui(o) == kExitFailed);
}

TEST_CASE("check_options refuses a bad start time, comparison, vocabulary or speed") {
  GuiOptions o;
  o.at = "5 minutes";
  CHECK(check_options(o).message() ==
        "--at: \"5 minutes\" is not a duration; write it like \"90s\", \"2m30s\", \"1h\" or "
        "\"500ms\"");
  o = GuiOptions{};
  o.compare = "faster";
  CHECK(check_options(o).message() ==
        "--compare \"faster\" is not a comparison; use one of transient, durable, direct, broker, "
        "prefetch_1, prefetch_10, more_cooks, rush");
  o = GuiOptions{};
  o.vocabulary = "nautical";
  CHECK(check_options(o).message() ==
        "--vocabulary must be restaurant or broker, got \"nautical\"");
  o = GuiOptions{};
  o.speed = 100;
  CHECK(check_options(o).message().rfind("--speed must be 0.25..64, got 100", 0) == 0);
  o = GuiOptions{};
  o.bench_frames = -3;
  CHECK(check_options(o).message() == "--bench-frames must be 0 or more, got -3");
  o = GuiOptions{};
  o.at = "6m";
  o.compare = "transient";
  o.vocabulary = "broker";
  CHECK(check_options(o).is_ok());
}

TEST_CASE("run_gui fails before opening a window when the scenario does not load") {
  GuiOptions o;
  o.scenario = "/nonexistent/lesson.toml";
  CHECK(run_gui(o) == kExitFailed);
}

TEST_CASE("check_options refuses --users or --allow-anyone without --listen, or both together") {
  GuiOptions o;
  o.allow_anyone = true;
  CHECK(check_options(o).message() ==
        "--allow-anyone says who may connect to --listen, so it needs --listen PORT");
  o.listen = 0;
  CHECK(check_options(o).is_ok());
  o.users = "users.txt";
  CHECK(check_options(o).message() ==
        "--users and --allow-anyone cannot go together: a users file lets in only its logins");
  o.allow_anyone = false;
  CHECK(check_options(o).is_ok());
  o.listen.reset();
  CHECK(check_options(o).message() ==
        "--users says who may connect to --listen, so it needs --listen PORT");
}

TEST_CASE("check_options refuses --bind without --listen, --listen with --compare or a speed") {
  GuiOptions o;
  o.bind = "0.0.0.0";
  CHECK(check_options(o).message() ==
        "--bind \"0.0.0.0\" is the address --listen uses, so it needs --listen PORT");
  o.listen = 0;
  CHECK(check_options(o).is_ok());

  o = GuiOptions{};
  o.listen = 61613;
  o.compare = "transient";
  Status st = check_options(o);
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() ==
        "--listen and --compare cannot go together: STOMP clients join one run, and the split "
        "view's second run would have to replay theirs, which a live run cannot do");

  o = GuiOptions{};
  o.listen = 0;
  o.speed = 8;
  CHECK(check_options(o).message() ==
        "--speed 8: with --listen the clock follows the wall clock (1x), so leave --speed out");
  o.speed = 1;
  CHECK(check_options(o).is_ok());
  // A start time and a paused start are fine: the run goes live from there.
  o.at = "2m";
  o.paused = true;
  CHECK(check_options(o).is_ok());
}

TEST_CASE("run_gui fails before opening a window when --listen cannot listen") {
  GuiOptions o;
  o.scenario = std::string(WMQ_SCENARIOS_DIR) + "/01-without-a-board.toml";  // direct mode
  o.listen = 0;
  CHECK(run_gui(o) == kExitFailed);
  o.scenario.clear();
  o.bind = "192.0.2.1";  // TEST-NET-1: not an address of this machine
  CHECK(run_gui(o) == kExitFailed);
}

TEST_CASE("check_options refuses --link with a scenario file or with --listen") {
  GuiOptions o;
  o.link = "v1/03-a-cook-faints?t=1m45s";
  CHECK(check_options(o).is_ok());
  o.scenario = std::string(WMQ_SCENARIOS_DIR) + "/03-a-cook-faints.toml";
  CHECK(check_options(o).message() ==
        "--link names its own lesson, so leave the scenario file out");
  o.scenario.clear();
  o.listen = 0;
  CHECK(check_options(o).message() ==
        "--link and --listen cannot go together: a link replays a lesson, and a live run is not "
        "replayed");
}
