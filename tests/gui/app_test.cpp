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
