// The shell driven headless (headless.h): the menu bar, language switches, views opened, closed
// and collapsed, quit, screenshots, toasts, the theme and the tiled windows' backgrounds.
#include <doctest.h>

#include <imgui.h>

#include <memory>
#include <string>

#include "gui/shell.h"
#include "gui/theme.h"
#include "headless.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

// A view at a given tile.
class TiledView : public View {
 public:
  TiledView(std::string id, Tile tile) : View(std::move(id), "about.title"), tile_(tile) {}

 protected:
  void drawContent(ViewContext&) override {}
  Tile tile() const override { return tile_; }

 private:
  Tile tile_;
};

// A view that counts how often its content is drawn and can ask for a key of its choice.
class CountingView : public View {
 public:
  explicit CountingView(std::string key = "about.title")
      : View("counting", "about.title"), key_(std::move(key)) {}
  int draws = 0;
  bool collapse = false;  // collapse the window from the next frame on

 protected:
  void prepare_window(const ImGuiViewport& viewport) override {
    View::prepare_window(viewport);
    if (collapse) ImGui::SetNextWindowCollapsed(true);
  }
  void drawContent(ViewContext& ctx) override {
    ++draws;
    ImGui::TextUnformatted(ctx.i18n.tr(key_));
  }

 private:
  std::string key_;
};

using Headless = test::HeadlessShell;

}  // namespace

TEST_CASE("a language switch applies after the frame, not during it") {
  Headless h;
  h.frame([&] {
    h.shell->queue_set_language("id");
    CHECK(h.shell->i18n().language() == "en");
  });
  CHECK(h.shell->i18n().language() == "id");
  CHECK(h.shell->commands().applied() == std::vector<std::string>{"set-language id"});
}

TEST_CASE("clicking ID in the menu bar switches the interface to Indonesian") {
  Headless h;
  h.frame();
  const Rect* id = h.shell->anchors().find("lang.id");
  REQUIRE(id != nullptr);
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(id->x + id->w / 2, id->y + id->h / 2);
  h.frame();  // hover
  io.MouseDown[0] = true;
  h.frame();  // press
  io.MouseDown[0] = false;
  h.frame();  // release: the button fires, the command runs after this frame
  CHECK(h.shell->i18n().language() == "id");
  CHECK(h.shell->commands().applied() == std::vector<std::string>{"set-language id"});
  h.frame();
  CHECK(std::string(h.shell->i18n().tr("menu.file")) == "Berkas");
}

TEST_CASE("switching to a language that is not loaded keeps the language and says why") {
  Headless h;
  h.frame([&] { h.shell->queue_set_language("fr"); });
  CHECK(h.shell->i18n().language() == "en");
  REQUIRE(h.shell->ui().toasts.size() == 1);
  CHECK(h.shell->ui().toasts[0].text == "language \"fr\": not loaded (have en, id)");
}

TEST_CASE("every string the shell draws exists in both languages") {
  for (const char* lang : {"en", "id"}) {
    CAPTURE(lang);
    Headless h(lang);
    // Two frames: auto-resizing windows draw their content from the second one.
    h.frame();
    h.frame();
    h.shell->report_screenshot("/tmp/x.png", Status::ok());
    h.shell->report_screenshot("/tmp/x.png", Status::error(Code::kIoError, "disk full"));
    h.frame();
    CHECK(h.shell->i18n().missing_keys() == std::vector<std::string>{});
  }
}

TEST_CASE("a missing key in a view is shown and reported in the state") {
  Headless h;
  h.shell->add_view(std::make_unique<CountingView>("no.such.key"));
  h.frame();
  h.frame();
  nlohmann::json state = h.shell->state_json();
  CHECK(state["missing_strings"] == 1);
  CHECK(state["missing_keys"] == nlohmann::json::array({"no.such.key"}));
}

TEST_CASE("the state report has frames, language, missing strings and writer sections") {
  Headless h("id");
  h.shell->add_state_writer("sim", [] { return nlohmann::json{{"orders", 3}}; });
  h.frame();
  h.frame();
  h.frame();
  nlohmann::json s = h.shell->state_json();
  CHECK(s["frames"] == 3);
  CHECK(s["language"] == "id");
  CHECK(s["missing_strings"] == 0);
  CHECK(s["commands"] == nlohmann::json::array());
  CHECK(s["screenshots"] == nlohmann::json::array());
  CHECK(s["sim"] == nlohmann::json{{"orders", 3}});
  CHECK(s["palette"]["backdrop"] == "#fffaf1");
}

TEST_CASE("on a narrow screen the language switch keeps clear of the menus") {
  for (const char* lang : {"en", "id"}) {
    CAPTURE(lang);
    // A phone held upright (390 UI pixels), a little wider, and a 1024 projector.
    for (float width : {390.0f, 430.0f, 1024.0f}) {
      CAPTURE(width);
      Headless h(lang);
      ImGui::GetIO().DisplaySize = ImVec2(width, 720);
      h.frame();
      h.frame();
      const Anchors& a = h.shell->anchors();
      const Rect* help = a.find("menu.help");
      REQUIRE(help != nullptr);
      int buttons = 0;
      for (const char* code : {"en", "id"}) {
        const Rect* b = a.find(std::string("lang.") + code);
        if (b == nullptr) continue;
        ++buttons;
        CHECK(b->x >= help->x + help->w);  // right of the last menu, not over it
        CHECK(b->x + b->w <= width);
      }
      // Where there is room, both; where there is not, at least the way to the other language
      // stays in the Language menu.
      if (width >= 1024.0f) CHECK(buttons == 2);
    }
  }
}

TEST_CASE("the menu bar, the language switch and open views leave anchors for the tests") {
  Headless h;
  h.frame();
  h.frame();
  const Anchors& a = h.shell->anchors();
  REQUIRE(a.find("menubar") != nullptr);
  CHECK(a.find("menubar")->w == 1280);
  REQUIRE(a.find("lang.en") != nullptr);
  REQUIRE(a.find("lang.id") != nullptr);
  // The switch sits at the right end of the menu bar, EN then ID.
  CHECK(a.find("lang.en")->x < a.find("lang.id")->x);
  CHECK(a.find("lang.id")->x + a.find("lang.id")->w <= 1280);
  CHECK(a.find("lang.id")->x > 1000);
  REQUIRE(a.find("view.about") != nullptr);
  CHECK(a.find("view.about")->w == 620);
  CHECK(a.find("about.body") != nullptr);
}

TEST_CASE("a closed view draws nothing and leaves no anchor") {
  Headless h;
  auto view = std::make_unique<CountingView>();
  CountingView* v = view.get();
  h.shell->add_view(std::move(view));
  h.frame();
  CHECK(v->draws == 1);
  v->set_open(false);
  h.frame();
  CHECK(v->draws == 1);
  CHECK(h.shell->anchors().find("view.counting") == nullptr);
}

TEST_CASE("a collapsed view returns before drawing its content") {
  Headless h;
  auto view = std::make_unique<CountingView>();
  CountingView* v = view.get();
  h.shell->add_view(std::move(view));
  h.frame();
  CHECK(v->draws == 1);
  v->collapse = true;
  h.frame();
  CHECK(v->draws == 1);
  CHECK(h.shell->anchors().find("view.counting") != nullptr);  // the title bar is still there
}

TEST_CASE("show-view reopens a closed view after the frame") {
  Headless h;
  View* about = h.shell->find_view("about");
  about->set_open(false);
  h.frame([&] { h.shell->queue_show_view("about"); });
  CHECK(about->is_open());
  h.frame();
  CHECK(h.shell->anchors().find("view.about") != nullptr);
}

TEST_CASE("quit is requested only once the frame has ended") {
  Headless h;
  h.frame([&] {
    h.shell->queue_quit();
    CHECK_FALSE(h.shell->quit_requested());
  });
  CHECK(h.shell->quit_requested());
}

TEST_CASE("a screenshot request is taken once") {
  Headless h;
  CHECK_FALSE(h.shell->take_screenshot_request());
  h.frame([&] { h.shell->queue_screenshot(); });
  CHECK(h.shell->take_screenshot_request());
  CHECK_FALSE(h.shell->take_screenshot_request());
}

TEST_CASE("a saved screenshot is recorded and announced in the current language") {
  Headless h("id");
  h.shell->report_screenshot("/tmp/warungmq-1.png", Status::ok());
  REQUIRE(h.shell->ui().toasts.size() == 1);
  CHECK(h.shell->ui().toasts[0].text == "Tangkapan layar disimpan di /tmp/warungmq-1.png");
  CHECK(h.shell->state_json()["screenshots"] == nlohmann::json::array({"/tmp/warungmq-1.png"}));
  CHECK(h.shell->state_json()["toasts"] ==
        nlohmann::json::array({"Tangkapan layar disimpan di /tmp/warungmq-1.png"}));
}

TEST_CASE("a failed screenshot is announced with the reason and not recorded") {
  Headless h;
  h.shell->report_screenshot("/ro/x.png", Status::error(Code::kIoError, "disk full"));
  REQUIRE(h.shell->ui().toasts.size() == 1);
  CHECK(h.shell->ui().toasts[0].text == "Could not save the screenshot: disk full");
  CHECK(h.shell->state_json()["screenshots"] == nlohmann::json::array());
}

TEST_CASE("toasts disappear when their time is up") {
  Headless h;
  h.shell->notify("hello", 0.05);
  h.frame();
  CHECK(h.shell->anchors().find("toast") != nullptr);
  ImGui::GetIO().DeltaTime = 0.1f;  // ImGui's clock advances by DeltaTime each NewFrame
  h.frame();
  CHECK(h.shell->ui().toasts.empty());
  CHECK(h.shell->anchors().find("toast") == nullptr);
}

TEST_CASE("the theme paints windows and text in the palette's colours") {
  ImGuiContext* ctx = ImGui::CreateContext();
  ImGuiStyle style;
  apply_theme(style);
  auto byte = [](float f) { return static_cast<int>(f * 255.0f + 0.5f); };
  CHECK(byte(style.Colors[ImGuiCol_WindowBg].x) == palette().window.r);
  CHECK(byte(style.Colors[ImGuiCol_WindowBg].z) == palette().window.b);
  CHECK(byte(style.Colors[ImGuiCol_Text].x) == palette().ink.r);
  CHECK(byte(style.Colors[ImGuiCol_Text].y) == palette().ink.g);
  CHECK(palette_json()["ink"] == "#3b2a1f");
  ImGui::DestroyContext(ctx);
}

TEST_CASE("the theme's sizes follow the pixel ratio, in projector mode too") {
  ImGuiContext* ctx = ImGui::CreateContext();
  ImGuiStyle one, two, projector_one, projector_two;
  apply_theme(one);
  apply_theme(two, false, 2.0f);
  apply_theme(projector_one, true);
  apply_theme(projector_two, true, 2.0f);
  CHECK(two.FramePadding.x == doctest::Approx(one.FramePadding.x * 2));
  CHECK(two.ItemSpacing.y == doctest::Approx(one.ItemSpacing.y * 2));
  CHECK(projector_two.WindowPadding.x == doctest::Approx(projector_one.WindowPadding.x * 2));
  CHECK(two.Colors[ImGuiCol_Text].x == one.Colors[ImGuiCol_Text].x);
  ImGui::DestroyContext(ctx);
}

TEST_CASE("tiled windows are drawn without a background until one overlaps another") {
  Headless h;
  h.shell->find_view("about")->set_open(false);
  auto left = std::make_unique<TiledView>("left", Tile{0.0f, 0.0f, 0.5f, 1.0f});
  auto right = std::make_unique<TiledView>("right", Tile{0.5f, 0.0f, 0.5f, 1.0f});
  View* l = left.get();
  View* r = right.get();
  h.shell->add_view(std::move(left));
  h.shell->add_view(std::move(right));
  h.frame();
  CHECK_FALSE(l->bare());  // not placed yet: its own paper
  h.frame();
  CHECK(l->bare());
  CHECK(r->bare());
  // Dragged over its neighbour: both paint their paper again.
  l->set_tile(Tile{0.3f, 0.0f, 0.5f, 1.0f});
  h.shell->request_relayout();
  h.frame();
  h.frame();
  CHECK_FALSE(l->bare());
  CHECK_FALSE(r->bare());
}
