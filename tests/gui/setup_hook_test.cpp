// run_gui in a real window (run under Xvfb by xvfb_doctest.sh): the setup hook
// can add views and state writers, and what they add reaches --state-out.
#include <doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "gui/app.h"
#include "gui/shell.h"

using namespace wmq::gui;

namespace {

class NoteView : public View {
 public:
  NoteView() : View("note", "log.title") {}

 protected:
  void drawContent(ViewContext& ctx) override { ImGui::TextUnformatted(ctx.i18n.tr("log.empty")); }
};

}  // namespace

TEST_CASE("the setup hook adds views and state sections that reach --state-out") {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "wmq-gui-setup-hook";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  setenv("XDG_CONFIG_HOME", (dir / "config").c_str(), 1);

  GuiOptions o;
  o.frames = 3;
  o.language = "id";
  o.state_out = dir / "state.json";
  int calls = 0;
  o.setup = [&calls](Shell& shell) {
    ++calls;
    shell.add_view(std::make_unique<NoteView>());
    shell.add_state_writer("sim", [] { return nlohmann::json{{"orders", 7}}; });
  };
  REQUIRE(run_gui(o) == kExitOk);
  CHECK(calls == 1);

  std::ifstream in(o.state_out);
  nlohmann::json state = nlohmann::json::parse(in);
  CHECK(state["frames"] == 3);
  CHECK(state["language"] == "id");
  CHECK(state["exit_reason"] == "frames");
  CHECK(state["sim"] == nlohmann::json{{"orders", 7}});
  CHECK(state["anchors"].contains("view.note"));
  CHECK(state["missing_strings"] == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the time limit ends an interactive run") {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "wmq-gui-time-limit";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  setenv("XDG_CONFIG_HOME", (dir / "config").c_str(), 1);

  GuiOptions o;
  o.exit_after_ms = 300;
  o.state_out = dir / "state.json";
  REQUIRE(run_gui(o) == kExitOk);
  std::ifstream in(o.state_out);
  nlohmann::json state = nlohmann::json::parse(in);
  CHECK(state["exit_reason"] == "time-limit");
  // Paced to about 60 frames a second: 300 ms is about 18 frames; unpaced it would be 60 or more.
  CHECK(state["frames"].get<int>() >= 2);
  CHECK(state["frames"].get<int>() <= 30);
  std::filesystem::remove_all(dir);
}
