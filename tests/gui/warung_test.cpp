// The simulator's views driven headless: the shell of headless.h, a workbench on the GUI lesson,
// and WarungUi on top. Frames run as in the real loop.
#include <doctest.h>

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "gui/model/targets.h"
#include "gui/shell.h"
#include "gui/views/failure_menus.h"
#include "gui/views/link_view.h"
#include "gui/views/scene_view.h"
#include "gui/warung.h"
#include "headless.h"
#include "raw_stomp_client.h"
#include "sim/simulation.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

const std::string kLesson = std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/lesson.toml";
const std::string kLiveGrill = std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/live-grill.toml";
constexpr Micros kMinute = 60 * kSeconds;

// The shell of headless.h with a workbench on `scenario` and WarungUi on top.
struct Headless : test::HeadlessShell {
  Workbench bench;
  std::unique_ptr<WarungUi> warung;

  explicit Headless(const std::string& language = "en", const std::string& scenario = kLesson)
      : HeadlessShell(language) {
    Status st = bench.load(scenario);
    REQUIRE_MESSAGE(st.is_ok(), st.message());
    warung = std::make_unique<WarungUi>(*shell, bench, WMQ_SCENARIOS_DIR);
  }
  ~Headless() {
    // The views WarungUi added to the shell read the workbench: they go before it does.
    warung.reset();
    shell.reset();
  }

  // Opens every view, including those closed by default.
  void open_all() {
    for (const char* id : {"about", "compare", "scenarios", "files", "shortcuts", "broker", "log",
                           "charts", "inspector", "narration"}) {
      if (View* v = shell->find_view(id)) v->set_open(true);
    }
  }
  // Draws each failure menu (they only appear in popups) inside a window of their own.
  void draw_menus() {
    Anchors anchors;
    const Fonts f = shell->fonts();
    ViewContext vc{shell->i18n(), shell->commands(), anchors, f, shell->projector(), false};
    ImGui::Begin("menus");
    for (const Selection& s :
         {Selection::cook(0), Selection::cashier(0), Selection::of_queue("grill"),
          Selection::of_queue("dead-letters"), Selection::broker()}) {
      draw_failure_menu(vc, bench.a(), s, warung->actions(), "test.");
    }
    ImGui::End();
  }
};

}  // namespace

TEST_CASE("the scene's text floor is in the UI's pixels: a pixel ratio multiplies it") {
  CHECK(scene_text_floor(false, 1280, 720) == 12.0f);
  CHECK(scene_text_floor(false, 2560, 1440, 2.0f) == 24.0f);
  CHECK(scene_text_floor(true, 1024, 768) == 20.0f);
  CHECK(scene_text_floor(true, 1920, 1080) == 28.0f);
  // A 1024x768 projector page on a screen of ratio 2: the floor of 1024x768, twice.
  CHECK(scene_text_floor(true, 2048, 1536, 2.0f) == 40.0f);
  CHECK(scene_text_floor(true, 2048, 1536) == 40.0f);  // a 2048x1536 window at ratio 1
  CHECK(scene_text_floor(true, 3840, 2160, 2.0f) == 56.0f);
}

TEST_CASE("every string the warung draws exists in each language, vocabulary and mode") {
  for (const char* lang : {"en", "id"}) {
    for (bool broker_words : {false, true}) {
      for (bool projector : {false, true}) {
        CAPTURE(lang);
        CAPTURE(broker_words);
        CAPTURE(projector);
        Headless h(lang);
        h.shell->i18n().set_vocabulary(broker_words ? Vocabulary::kBroker
                                                    : Vocabulary::kRestaurant);
        if (projector) h.shell->queue_set_projector(true);
        h.frame();
        h.open_all();
        // A/B with B in direct mode: one scene with a board, one without.
        h.warung->actions().set_variant(make_variant(VariantPreset::kDirect, h.bench.scenario()));
        h.warung->actions().seek(6 * kMinute);  // grill-1 crashed, narration, pause point
        h.frame();
        for (const Selection& s : {Selection::order(13), Selection::cook(0), Selection::cashier(1),
                                   Selection::of_queue("wok"), Selection::broker()}) {
          h.warung->actions().select(s);
          h.frame([&] { h.draw_menus(); });
        }
        h.warung->actions().seek(12 * kMinute + 5 * kSeconds);  // the broker is down
        h.frame();
        h.frame([&] { h.draw_menus(); });
        h.warung->actions().seek(30 * kMinute);
        h.frame();
        h.frame();
        CHECK(h.shell->i18n().missing_keys() == std::vector<std::string>{});
      }
    }
  }
}

TEST_CASE("the vocabulary switch relabels the scene in the current language") {
  Headless h("id");
  h.frame();
  CHECK(std::string(h.shell->i18n().tr("scene.order_board")) == "Papan pesanan");
  h.warung->perform(Act::kVocabulary);
  h.frame();
  CHECK(h.shell->i18n().vocabulary() == Vocabulary::kBroker);
  CHECK(std::string(h.shell->i18n().tr("scene.order_board")) == "Antrean (queue)");
  CHECK(std::string(h.shell->i18n().tr("stage.persist")) == "persist");
  // A key without a broker word keeps its restaurant word.
  CHECK(std::string(h.shell->i18n().tr("controls.play")) == "Putar");
  h.warung->perform(Act::kLanguage);
  h.frame();
  CHECK(std::string(h.shell->i18n().tr("scene.order_board")) == "Queues");
  CHECK(h.shell->state_json()["vocabulary"] == "broker");
}

TEST_CASE("projector mode enlarges the fonts and shows only the warung, the story and one detail") {
  Headless h;
  h.frame();
  h.frame();
  REQUIRE(h.shell->anchors().find("controls.play") != nullptr);
  const float normal = h.shell->anchors().find("controls.play")->h;
  CHECK(h.shell->find_view("log")->is_open());
  h.warung->perform(Act::kProjector);
  h.frame();
  h.frame();
  CHECK(h.shell->projector());
  CHECK(h.shell->anchors().find("controls.play")->h >= normal * 1.3f);
  CHECK_FALSE(h.shell->find_view("log")->is_open());
  CHECK_FALSE(h.shell->find_view("broker")->is_open());
  CHECK(h.shell->find_view("inspector")->is_open());
  h.warung->perform(Act::kProjector);
  h.frame();
  h.frame();
  CHECK(h.shell->find_view("log")->is_open());
  CHECK(h.shell->anchors().find("controls.play")->h == normal);
}

TEST_CASE("the split view shows two scenes and the comparison, and tidies up after") {
  Headless h;
  h.frame();
  h.warung->actions().set_variant(make_variant(VariantPreset::kTransient, h.bench.scenario()));
  h.frame();
  h.frame();
  CHECK(h.shell->find_view("compare")->is_open());
  CHECK_FALSE(h.shell->find_view("log")->is_open());
  CHECK(h.shell->anchors().find("scene.board") != nullptr);
  CHECK(h.shell->anchors().find("sceneB.board") != nullptr);
  CHECK(h.shell->anchors().find("scene.board")->y < h.shell->anchors().find("sceneB.board")->y);
  h.warung->actions().set_variant(std::nullopt);
  h.frame();
  h.frame();
  CHECK(h.shell->find_view("log")->is_open());
  CHECK(h.shell->anchors().find("sceneB.board") == nullptr);
}

TEST_CASE("the split view's figure names wrap rather than run under the figures") {
  Headless h("id");
  h.frame();
  h.warung->actions().set_variant(make_variant(VariantPreset::kTransient, h.bench.scenario()));
  h.frame();
  h.frame();
  const Anchors& a = h.shell->anchors();
  int checked = 0;
  for (const char* fig : {"latency_p50", "latency_p90", "placed"}) {
    CAPTURE(fig);
    const Rect* name = a.find(std::string("compare.name.") + fig);
    const Rect* value = a.find(std::string("compare.a.") + fig);
    if (name == nullptr || value == nullptr) continue;
    ++checked;
    CHECK(name->x + name->w <= value->x);
  }
  CHECK(checked == 3);
}

TEST_CASE("the split view's A and B chips sit above their scenes, clear of the warung") {
  Headless h;
  h.frame();
  h.warung->actions().set_variant(make_variant(VariantPreset::kTransient, h.bench.scenario()));
  h.frame();
  h.frame();
  const Anchors& a = h.shell->anchors();
  for (const char* side : {"scene.", "sceneB."}) {
    CAPTURE(side);
    const Rect* chip = a.find(std::string(side) + "side_chip");
    const Rect* canvas = a.find(std::string(side) + "canvas");
    REQUIRE(chip != nullptr);
    REQUIRE(canvas != nullptr);
    CHECK(chip->y + chip->h <= canvas->y);  // the cashiers' heading is the canvas's top left
    CHECK(chip->w > 20);
  }
  CHECK(a.find("sceneB.side_chip")->y >= a.find("scene.canvas")->y + a.find("scene.canvas")->h);
}

namespace {

bool inside(const Rect& inner, const Rect& outer) {
  return inner.y >= outer.y && inner.y + inner.h <= outer.y + outer.h;
}

}  // namespace

TEST_CASE("the inspector opens an order on its newest step") {
  Headless h;
  h.warung->actions().seek(6 * kMinute + 20 * kSeconds);
  h.frame();
  h.warung->actions().select(Selection::order(13));  // crashed with grill-1, given again
  for (int i = 0; i < 4; ++i)
    h.frame();
  REQUIRE(h.bench.a().sim().history(13).size() == 12);  // more steps than the panel shows
  const Rect* life = h.shell->anchors().find("inspector.life");
  const Rect* last = h.shell->anchors().find("inspector.life.last");
  REQUIRE(life != nullptr);
  REQUIRE(last != nullptr);
  CHECK(inside(*last, *life));
}

namespace {

// Whether `inner` ends at or before `outer`'s right edge.
bool within_width(const Rect& inner, const Rect& outer) {
  return inner.x + inner.w <= outer.x + outer.w + 0.5f;
}

}  // namespace

TEST_CASE("the inspector wraps an order's red steps, its status and its why at the panel's edge") {
  // Lesson 10 at 1m45s: order 1 was dead-lettered; its last step is red and long.
  Headless h("id", std::string(WMQ_SCENARIOS_DIR) + "/10-poison-and-dead-letters.toml");
  ImGui::GetIO().DisplaySize = ImVec2(900, 720);  // a narrow inspector
  h.frame();
  h.warung->actions().seek(105 * kSeconds);
  h.frame();
  h.warung->actions().select(Selection::order(1));
  for (int i = 0; i < 4; ++i)
    h.frame();
  const Anchors& a = h.shell->anchors();
  const sim::OrderStep& last = h.bench.a().sim().history(1).back();
  REQUIRE(last.kind == sim::StepKind::kDeadLettered);
  const Rect* view = a.find("view.inspector");
  const Rect* life = a.find("inspector.life");
  REQUIRE(view != nullptr);
  REQUIRE(life != nullptr);
  for (const char* name : {"inspector.life.last", "inspector.status", "inspector.reason"}) {
    CAPTURE(name);
    REQUIRE(a.find(name) != nullptr);
    CHECK(within_width(*a.find(name), *view));
  }
  CHECK(within_width(*a.find("inspector.life.last"), *life));
  CHECK(a.find("inspector.life.last")->h > ImGui::GetFontSize() * 1.5f);  // two lines
}

TEST_CASE("selecting a cook brings its session into view in the broker panel") {
  Headless h;
  h.frame();
  h.shell->find_view("broker")->set_open(true);
  h.warung->actions().seek(6 * kMinute + 20 * kSeconds);
  h.frame();
  h.frame();
  const sim::Cook& cook = h.bench.a().sim().cooks().back();
  const std::string row = "broker.session.cook " + cook.name;  // the cook's session name
  const Rect* broker = h.shell->anchors().find("view.broker");
  REQUIRE(broker != nullptr);
  // Below the fold at first: the sessions' table is not drawn, or its row is out of view.
  const Rect* before = h.shell->anchors().find(row);
  REQUIRE_FALSE((before != nullptr && inside(*before, *broker)));
  h.warung->actions().select(Selection::cook(cook.index));
  // The selection, the panel's scroll to the table, the table's first drawing, its scroll.
  for (int i = 0; i < 6; ++i)
    h.frame();
  REQUIRE(h.shell->anchors().find(row) != nullptr);
  CHECK(inside(*h.shell->anchors().find(row), *h.shell->anchors().find("view.broker")));
}

TEST_CASE("the broker panel keeps the session table's column names in view with the cook's row") {
  // Lesson 9 at 2m: drinks-1, the frozen cook, has the last session but one.
  Headless h("en", std::string(WMQ_SCENARIOS_DIR) + "/09-client-state.toml");
  h.frame();
  h.shell->find_view("broker")->set_open(true);
  h.warung->actions().seek(2 * kMinute);
  h.frame();
  h.frame();
  uint32_t drinks = 0;
  for (const sim::Cook& k : h.bench.a().sim().cooks()) {
    if (k.name == "drinks-1") drinks = k.index;
  }
  h.warung->actions().select(Selection::cook(drinks));
  for (int i = 0; i < 6; ++i)  // as in the test above
    h.frame();
  const Anchors& a = h.shell->anchors();
  const Rect* broker = a.find("view.broker");
  REQUIRE(broker != nullptr);
  REQUIRE(a.find("broker.session.cook drinks-1") != nullptr);
  REQUIRE(a.find("broker.sessions.header") != nullptr);
  CHECK(inside(*a.find("broker.session.cook drinks-1"), *broker));
  CHECK(inside(*a.find("broker.sessions.header"), *broker));
}

TEST_CASE("a full disk shows in the broker panel and its menu offers to make room") {
  Headless h;
  // The broker's failure menu, drawn in a window of its own: which items it has.
  Anchors menu;
  auto draw_broker_menu = [&] {
    menu = Anchors();
    const Fonts f = h.shell->fonts();
    ViewContext vc{h.shell->i18n(), h.shell->commands(), menu, f, h.shell->projector(), false};
    ImGui::Begin("menus");
    draw_failure_menu(vc, h.bench.a(), Selection::broker(), h.warung->actions(), "test.");
    ImGui::End();
  };
  h.frame();
  h.shell->find_view("broker")->set_open(true);
  h.warung->actions().seek(1 * kMinute);
  h.frame(draw_broker_menu);
  h.frame(draw_broker_menu);
  CHECK(menu.find("test.fill_disk") != nullptr);
  CHECK(menu.find("test.free_disk") == nullptr);
  CHECK(h.shell->anchors().find("broker.disk_full") == nullptr);
  h.warung->actions().fill_disk();
  h.warung->actions().seek(2 * kMinute);
  h.frame(draw_broker_menu);
  h.frame(draw_broker_menu);
  const Anchors& a = h.shell->anchors();
  REQUIRE(a.find("broker.disk_full") != nullptr);
  CHECK(inside(*a.find("broker.disk_full"), *a.find("view.broker")));
  CHECK(a.find("broker.failed_commits") != nullptr);
  CHECK(menu.find("test.free_disk") != nullptr);
  CHECK(menu.find("test.fill_disk") == nullptr);
  // Projected, the broker panel is hidden: the inspector of the broker says it instead.
  h.warung->actions().select(Selection::broker());
  h.warung->perform(Act::kProjector);
  h.frame();
  h.frame();
  REQUIRE(h.shell->anchors().find("inspector.disk_full") != nullptr);
  CHECK(inside(*h.shell->anchors().find("inspector.disk_full"),
               *h.shell->anchors().find("view.inspector")));
  h.warung->perform(Act::kProjector);
  // The orders taken meanwhile say why they wait.
  bool not_saved = false;
  for (const sim::Order& o : h.bench.a().sim().orders()) {
    for (const sim::OrderStep& st : h.bench.a().sim().history(o.number))
      not_saved = not_saved || st.kind == sim::StepKind::kNotSaved;
  }
  CHECK(not_saved);
  h.warung->actions().free_disk();
  h.warung->actions().seek(3 * kMinute);
  h.frame();
  h.frame();
  CHECK(h.shell->anchors().find("broker.disk_full") == nullptr);
  CHECK(h.shell->anchors().find("inspector.disk_full") == nullptr);
  CHECK(h.shell->anchors().find("broker.failed_commits") != nullptr);  // on record
  CHECK(h.shell->i18n().missing_keys() == std::vector<std::string>{});
}

TEST_CASE("the story panel brings its newest line wholly into view") {
  // Lesson 5 at 2m30s in Indonesian: the unroutable line is long and the panel is short.
  Headless h("id", std::string(WMQ_SCENARIOS_DIR) + "/05-routing.toml");
  ImGui::GetIO().DisplaySize = ImVec2(1280, 900);  // the guide's window
  h.frame();
  h.warung->actions().seek(150 * kSeconds);
  for (int i = 0; i < 4; ++i)
    h.frame();
  const Anchors& a = h.shell->anchors();
  const Rect* view = a.find("view.narration");
  const Rect* text = a.find("narration.text");
  REQUIRE(view != nullptr);
  REQUIRE(text != nullptr);
  CHECK(text->h > ImGui::GetFontSize() * 2.5f);  // three lines at least: worth scrolling for
  CHECK(inside(*text, *view));
}

TEST_CASE("the story panel shows a paragraph too long for it from its first line") {
  // Lesson 7 at 3m45s in Indonesian on a 1024x768 projector: the broker's restart is told in
  // more lines than the panel has; the first of them is under the title bar, not scrolled away.
  Headless h("id", std::string(WMQ_SCENARIOS_DIR) + "/07-persistence.toml");
  ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
  h.warung->perform(Act::kProjector);
  h.frame();
  h.warung->actions().seek(225 * kSeconds);
  for (int i = 0; i < 6; ++i)
    h.frame();
  const Anchors& a = h.shell->anchors();
  const Rect* view = a.find("view.narration");
  const Rect* text = a.find("narration.text");
  REQUIRE(view != nullptr);
  REQUIRE(text != nullptr);
  REQUIRE(text->y + text->h > view->y + view->h);  // it does not fit
  const float title = h.fonts.body_large->FontSize + 2 * ImGui::GetStyle().FramePadding.y;
  CHECK(text->y >= view->y + title);
  CHECK(text->y <= view->y + title + ImGui::GetStyle().WindowPadding.y + 1);
}

TEST_CASE("the story panel starts a paragraph longer than it at the paragraph, not mid-title") {
  // Lesson 3 at 1m45s on a 1280x720 desk: the faint is told in more lines than the panel has
  // under the lesson's two-line title. The panel's first line is the paragraph's, whole: no
  // sliver of the title above it, and a paragraph left over from an earlier scroll starts
  // from its top as well.
  Headless h("en", std::string(WMQ_SCENARIOS_DIR) + "/03-a-cook-faints.toml");
  ImGui::GetIO().DisplaySize = ImVec2(1280, 720);
  h.frame();
  h.warung->actions().seek(105 * kSeconds);
  for (int i = 0; i < 6; ++i)
    h.frame();
  auto check = [&](const std::string& when) {
    CAPTURE(when);
    // Where the panel's content starts on screen: under its title bar and padding.
    float top = 0, bar = 0;
    h.frame([&] {
      ImGui::Begin("###narration");
      top = ImGui::GetWindowPos().y + ImGui::GetWindowContentRegionMin().y + ImGui::GetScrollY();
      bar = ImGui::GetWindowPos().y + ImGui::GetFrameHeight();
      ImGui::End();
    });
    const Anchors& a = h.shell->anchors();
    const Rect* text = a.find("narration.text");
    const Rect* view = a.find("view.narration");
    REQUIRE(text != nullptr);
    REQUIRE(view != nullptr);
    // The paragraph's first line is in view; one longer than the panel is the first thing
    // under the title bar...
    CHECK(text->y >= top - 1);
    if (text->y + text->h > view->y + view->h) CHECK(text->y <= top + 1);
    // ...and the lesson's title, when drawn at all, is wholly in view above it.
    if (const Rect* title = a.find("narration.title")) CHECK(title->y >= bar);
  };
  REQUIRE(h.shell->anchors().find("narration.text") != nullptr);
  const Rect* text = h.shell->anchors().find("narration.text");
  const Rect* view = h.shell->anchors().find("view.narration");
  REQUIRE(text->h > view->h / 2);  // a long paragraph for this panel
  check("after the seek");
  // The reader scrolls down to read the end, then steps back to the paragraph before.
  h.frame([] {
    ImGui::Begin("###narration");
    ImGui::SetScrollY(400);
    ImGui::End();
  });
  h.frame();
  h.warung->actions().seek(97 * kSeconds);
  for (int i = 0; i < 6; ++i)
    h.frame();
  check("after a scroll and a step back");
}

TEST_CASE(
    "every lesson's first pause is legible from the back: large type, no label over another") {
  // 1024x768 and 1920x1080 in projector mode, 1280x720 on a desk, English and Bahasa Indonesia
  // (whose words are longer). The floor is 20 px at 1024x768 and grows with the window; the
  // desk's is 12 px. In-process and headless: the figures come from the painter's calls, the
  // same ones a window under Xvfb reports (gui_spotlight checks one there).
  struct Size {
    float w, h;
    bool projector;
    float floor;
  };
  const Size sizes[] = {{1024, 768, true, 20}, {1280, 720, false, 12}, {1920, 1080, true, 28}};
  std::vector<std::filesystem::path> lessons;
  for (const auto& e : std::filesystem::directory_iterator(WMQ_SCENARIOS_DIR)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 3 && std::isdigit(static_cast<unsigned char>(name[0])) &&
        name.rfind("00-", 0) != 0) {
      lessons.push_back(e.path());
    }
  }
  std::sort(lessons.begin(), lessons.end());
  REQUIRE(lessons.size() >= 12);
  std::vector<std::string> problems;
  for (const auto& lesson : lessons) {
    for (const Size& size : sizes) {
      for (const std::string lang : {"en", "id"}) {
        Headless h(lang, lesson.string());
        ImGui::GetIO().DisplaySize = ImVec2(size.w, size.h);
        if (size.projector) h.warung->perform(Act::kProjector);
        h.frame();
        Micros first = -1;
        for (const sim::TimelineEvent& te : h.bench.scenario().timeline) {
          if (te.pause && (first < 0 || te.at < first)) first = te.at;
        }
        REQUIRE_MESSAGE(first >= 0, lesson.string());
        h.warung->actions().seek(first);
        for (int i = 0; i < 3; ++i)
          h.frame();
        const nlohmann::json ui = h.shell->state_json()["ui"];
        const std::string where = lesson.filename().string() + " " + std::to_string(int(size.w)) +
                                  "x" + std::to_string(int(size.h)) + " " + lang + ": ";
        if (ui["scene_text_floor_px"].get<float>() != size.floor) {
          problems.push_back(where + "floor " + ui["scene_text_floor_px"].dump());
        }
        if (ui["text_runs"].get<size_t>() < 10) problems.push_back(where + "few text runs");
        if (ui["scene_min_text_px"].get<float>() < size.floor) {
          problems.push_back(where + "scene text of " + ui["scene_min_text_px"].dump() + " px");
        }
        if (ui["min_text_px"].get<float>() < std::min(size.floor, 20.0f)) {
          problems.push_back(where + "text of " + ui["min_text_px"].dump() + " px");
        }
        if (ui["overlaps"].get<size_t>() != 0) {
          problems.push_back(where + ui["overlaps"].dump() +
                             " overlaps: " + ui["overlapping"].dump());
        }
      }
    }
  }
  for (const std::string& p : problems)
    MESSAGE(p);
  CHECK(problems.empty());
}

TEST_CASE("the broker panel's session column names fit their columns in each language") {
  for (const std::string lang : {"en", "id"}) {
    CAPTURE(lang);
    // Lesson 9 at 2m in the guide's window, drinks-1 selected: its sessions' table in view.
    Headless h(lang, std::string(WMQ_SCENARIOS_DIR) + "/09-client-state.toml");
    ImGui::GetIO().DisplaySize = ImVec2(1280, 900);
    h.frame();
    h.shell->find_view("broker")->set_open(true);
    h.warung->actions().seek(2 * kMinute);
    h.frame();
    for (const sim::Cook& k : h.bench.a().sim().cooks()) {
      if (k.name == "drinks-1") h.warung->actions().select(Selection::cook(k.index));
    }
    for (int i = 0; i < 6; ++i)
      h.frame();
    const I18n& t = h.shell->i18n();
    const std::string names[] = {"broker.session", "broker.state", "broker.heartbeat",
                                 "broker.held"};
    for (int c = 0; c < 4; ++c) {
      CAPTURE(names[c]);
      const Rect* cell = h.shell->anchors().find("broker.sessions.column." + std::to_string(c));
      REQUIRE(cell != nullptr);
      CHECK(ImGui::CalcTextSize(t.tr(names[c])).x <= cell->w);
    }
  }
}

TEST_CASE("a key press acts on the selected cook, or on a busy one") {
  Headless h;
  h.warung->actions().seek(5 * kMinute);
  h.frame();
  // Nothing selected: C crashes the first cook holding orders.
  const std::optional<std::string> busy = cook_for(h.bench, sim::InjectionKind::kCrashCook);
  REQUIRE(busy.has_value());
  CHECK(*busy == "grill-1");
  h.warung->perform(Act::kCrashCook);
  h.frame();
  CHECK(h.bench.a().sim().cooks()[0].state == sim::CookState::kCrashed);
  // R revives the crashed one when nothing is selected.
  CHECK(cook_for(h.bench, sim::InjectionKind::kReviveCook) ==
        std::optional<std::string>("grill-1"));
  // With wok-2 selected, F freezes wok-2.
  h.warung->actions().select(Selection::cook(4));
  h.frame();
  h.warung->perform(Act::kFreezeCook);
  h.frame();
  CHECK(h.bench.a().sim().cooks()[4].state == sim::CookState::kFrozen);
  // An order selected: the cook holding it.
  const uint32_t held = h.bench.a().sim().cooks()[1].held.front().order;
  h.warung->actions().select(Selection::order(held));
  h.frame();
  CHECK(cook_for(h.bench, sim::InjectionKind::kCrashCook) == std::optional<std::string>("grill-2"));
  CHECK(queue_for(h.bench) == "grill");
  // D makes the order's station transient.
  h.warung->perform(Act::kToggleDurable);
  h.frame();
  CHECK_FALSE(h.bench.a().sim().queues()[0].durable);
  const auto& applied = h.shell->commands().applied();
  CHECK(std::find(applied.begin(), applied.end(), "inject crash_cook grill-1") != applied.end());
  CHECK(std::find(applied.begin(), applied.end(), "inject freeze_cook wok-2") != applied.end());
  CHECK(std::find(applied.begin(), applied.end(), "inject set_queue grill durable=false") !=
        applied.end());
}

TEST_CASE("a refused click is told in the current language with the simulator's reason") {
  Headless h("id");
  h.frame();
  h.warung->actions().crash_cook("nobody");
  h.frame();
  REQUIRE(h.shell->ui().toasts.size() == 1);
  CHECK(h.shell->ui().toasts[0].text.rfind("Itu tidak terjadi: crash_cook: no cook \"nobody\"",
                                           0) == 0);
}

TEST_CASE("the state report carries the simulation and the scene's palette") {
  Headless h;
  h.warung->actions().seek(6 * kMinute);
  h.frame();
  nlohmann::json s = h.shell->state_json();
  CHECK(s["sim"]["time"] == "06:00");
  CHECK(s["sim"]["a"]["cooks"][0]["state"] == "crashed");
  CHECK(s["scene_palette"]["cook_crashed"] == "#78706c");
  CHECK(s["scene_palette"].contains("ticket_persisted"));
  CHECK(s["anchors"].contains("scene.cook.grill-1"));
  CHECK(s["anchors"].contains("scene.strip.persist"));
}

TEST_CASE("the wheel zooms the scene about the pointer and a double click fits it again") {
  Headless h;
  h.frame();
  h.frame();
  const Rect* board = h.shell->anchors().find("scene.board");
  REQUIRE(board != nullptr);
  const Rect before = *board;
  ImGuiIO& io = ImGui::GetIO();
  // The pointer on the board's centre, one notch of the wheel.
  const ImVec2 centre(before.x + before.w / 2, before.y + before.h / 2);
  io.MousePos = centre;
  h.frame();
  io.MouseWheel = 1.0f;
  h.frame();
  io.MouseWheel = 0.0f;
  h.frame();
  const Rect zoomed = *h.shell->anchors().find("scene.board");
  CHECK(zoomed.w > before.w * 1.1f);
  // The point under the pointer stayed under it.
  CHECK(std::abs(zoomed.x + zoomed.w / 2 - centre.x) < 2.0f);
  CHECK(std::abs(zoomed.y + zoomed.h / 2 - centre.y) < 2.0f);
  // A double click on the floor (left of the cashiers' title: nothing there) fits it again.
  const Rect canvas = *h.shell->anchors().find("scene.canvas");
  io.MousePos = ImVec2(canvas.x + 4, canvas.y + canvas.h - 4);
  h.frame();
  for (int click = 0; click < 2; ++click) {
    io.MouseDown[0] = true;
    h.frame();
    io.MouseDown[0] = false;
    h.frame();
  }
  h.frame();
  const Rect fitted = *h.shell->anchors().find("scene.board");
  CHECK(fitted.w == doctest::Approx(before.w).epsilon(0.01));
  CHECK(fitted.x == doctest::Approx(before.x).epsilon(0.01));
}

TEST_CASE("a click on a ticket inspects its order") {
  Headless h;
  h.warung->actions().seek(6 * kMinute);
  h.frame();
  h.frame();
  // grill-3 holds order 13 at 6m: click its cook, then find the ticket through the state.
  const Rect* cook = h.shell->anchors().find("scene.cook.grill-3.window");
  REQUIRE(cook != nullptr);
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(cook->x + 8, cook->y + 10);  // the first slot: the ticket on the stove
  h.frame();
  io.MouseDown[0] = true;
  h.frame();
  io.MouseDown[0] = false;
  h.frame();
  h.frame();
  REQUIRE(h.bench.selection().kind == Selection::Kind::kOrder);
  const uint32_t n = h.bench.selection().index;
  CHECK(h.bench.a().sim().cooks()[2].held.front().order == n);
  REQUIRE(h.shell->anchors().find("inspector.life") != nullptr);
}

TEST_CASE("a live scene says so, draws its STOMP programs and greys what it refuses") {
  for (const char* lang : {"en", "id"}) {
    CAPTURE(lang);
    Headless h(lang, kLiveGrill);
    sim::ListenOptions lo;
    lo.port = 0;
    REQUIRE(h.bench.listen(lo).is_ok());
    test::RawStompClient budi(h.bench.listen_port());
    budi.connect_as("budi");
    budi.send("SUBSCRIBE\nid:1\ndestination:/queue/grill\nack:client-individual\n\n");
    test::RawStompClient siti(h.bench.listen_port());
    siti.connect_as("siti");
    siti.send(
        "SEND\ndestination:/exchange/orders/grill\ncontent-type:application/json\n\n"
        "{\"order\": 9001, \"dish\": \"sate ayam\", \"qty\": 1, \"table\": 4}");
    h.bench.play();
    h.open_all();
    bool seen = false;
    for (int i = 0; i < 300 && !seen; ++i) {
      h.frame();
      seen = h.shell->anchors().find("scene.cook.budi") != nullptr &&
             h.shell->anchors().find("scene.cashier.siti") != nullptr;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    REQUIRE(seen);
    CHECK(h.shell->anchors().find("controls.live") != nullptr);
    CHECK(h.shell->anchors().find("controls.timeline") == nullptr);
    // The inspector, the tooltips' words and the menus of both programs.
    const uint32_t desk = static_cast<uint32_t>(h.bench.a().sim().cashiers().size());
    for (const Selection& s : {Selection::cook(kExternalIndexBase), Selection::cashier(desk)}) {
      h.warung->actions().select(s);
      h.frame([&] {
        Anchors anchors;
        const Fonts f = h.shell->fonts();
        ViewContext vc{h.shell->i18n(), h.shell->commands(), anchors, f, false, false};
        ImGui::Begin("menus");
        draw_failure_menu(vc, h.bench.a(), s, h.warung->actions(), "test.");
        ImGui::End();
        CHECK(anchors.find("test.external") != nullptr);
      });
      h.frame();
      CHECK(h.shell->anchors().find("inspector.heading") != nullptr);
    }
    // siti's order: its own ticket, whose inspector names siti as the sender.
    REQUIRE(h.bench.a().program_order(kProgramOrderBase) != nullptr);
    CHECK(h.bench.a().program_order(kProgramOrderBase)->sender == "siti");
    h.warung->actions().select(Selection::order(kProgramOrderBase));
    h.frame();
    h.frame();
    CHECK(h.shell->anchors().find("inspector.heading") != nullptr);
    CHECK(h.shell->anchors().find("inspector.sender") != nullptr);
    // A refused key is told in the current language, with the workbench's reason.
    h.warung->perform(Act::kStep);
    h.frame();
    REQUIRE_FALSE(h.shell->ui().toasts.empty());
    const std::string told = h.shell->ui().toasts.back().text;
    CHECK(told.rfind(std::string(lang) == "id" ? "Itu tidak berhasil: stepping is not possible"
                                               : "That did not work: stepping is not possible",
                     0) == 0);
    CHECK(h.shell->i18n().missing_keys() == std::vector<std::string>{});
  }
}

TEST_CASE("a live scene's broker panel shows its STOMP door and the memory alarm") {
  for (const char* lang : {"en", "id"}) {
    CAPTURE(lang);
    Headless h(lang, kLiveGrill);
    sim::ListenOptions lo;
    lo.port = 0;
    lo.max_memory = 16 * 1024;
    REQUIRE(h.bench.listen(lo).is_ok());
    h.shell->find_view("broker")->set_open(true);
    h.bench.play();
    h.frame();
    h.frame();
    const Rect* door = h.shell->anchors().find("broker.door");
    REQUIRE(door != nullptr);
    CHECK(inside(*door, *h.shell->anchors().find("view.broker")));
    CHECK(h.shell->anchors().find("broker.door.alarm") == nullptr);
    // A program floods the grill, which has no cook: over the limit it is no longer read.
    test::RawStompClient siti(h.bench.listen_port());
    siti.connect_as("siti");
    siti.send(test::grill_orders(400, 9000));
    bool alarm = false;
    for (int i = 0; i < 500 && !alarm; ++i) {
      h.frame();
      alarm = h.shell->anchors().find("broker.door.alarm") != nullptr;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(alarm);
    CHECK(h.bench.a().sim().door().paused == 1);
    // The board's tickets are labelled by the program's four-digit ids: each keeps to its
    // paper (shrunk, or cut with an ellipsis at the scene's text floor), none runs into the next.
    h.frame();
    const nlohmann::json ui = h.shell->state_json()["ui"];
    CHECK_MESSAGE(ui["overlaps"].get<size_t>() == 0, ui["overlapping"].dump());
    CHECK(inside(*h.shell->anchors().find("broker.door.alarm"),
                 *h.shell->anchors().find("view.broker")));
    CHECK(h.shell->i18n().missing_keys() == std::vector<std::string>{});
  }
}

// ---------------------------------------------------------------- Copy a link

TEST_CASE("Copy a link puts the moment on the clipboard and shows it in its window") {
  Headless h("id", std::string(WMQ_SCENARIOS_DIR) + "/03-a-cook-faints.toml");
  REQUIRE(h.bench.seek(kMinute).is_ok());
  h.warung->links().copy();
  h.frame();
  const std::string want = "v1/03-a-cook-faints?seed=5&t=1m&paused&lang=id";
  nlohmann::json state = h.shell->state_json();
  CHECK(state["link"]["copied"] == nlohmann::json::array({want}));
  CHECK(state["link"]["shown"] == want);
  CHECK(state["link"]["text"] == want);
  CHECK(std::string(ImGui::GetClipboardText()) == want);
  h.frame();
  CHECK(h.shell->find_view("link")->is_open());
  CHECK(h.shell->anchors().find("link.text") != nullptr);
  CHECK(h.shell->i18n().missing_count() == 0);

  // On the web the page's address goes first.
  h.warung->links().set_base_url("https://warung.example/#v1/00-sandbox");
  h.warung->links().copy();
  h.frame();
  CHECK(std::string(ImGui::GetClipboardText()) == "https://warung.example/#" + want);
}

TEST_CASE("a scenario from elsewhere and a live run have no link, and Copy a link says why") {
  Headless h;  // tests/gui/data/lesson.toml: not a shipped lesson
  Result<std::string> none = h.warung->links().current();
  CHECK(none.status().message() ==
        "This scenario is not one of the lessons WarungMQ ships, so a link could not open it "
        "elsewhere: save it as a scenario file instead (File > Save as scenario).");
  h.warung->links().copy();
  h.frame();
  CHECK(h.shell->ui().toasts.back().text == none.status().message());
  CHECK(h.shell->state_json()["link"]["copied"].empty());
  CHECK_FALSE(h.shell->find_view("link")->is_open());

  Headless live("en", std::string(WMQ_SCENARIOS_DIR) + "/00-sandbox.toml");
  CHECK(live.warung->links().current().is_ok());
  sim::ListenOptions lo;
  lo.port = 0;
  REQUIRE(live.bench.listen(lo).is_ok());
  CHECK(live.warung->links().current().status().message() ==
        "A live run with STOMP clients cannot be replayed, so it has no link.");
}

// Plays at 64x until the lesson's time is up, a frame per tick.
void play_to_end(Headless& h) {
  h.bench.set_speed(64);
  h.bench.play();
  for (int i = 0; i < 600 && !h.bench.reached_end(); ++i) {
    h.bench.tick(1.0 / 30);
    h.frame();
  }
  REQUIRE(h.bench.reached_end());
  for (int i = 0; i < 3; ++i)
    h.frame();
}

TEST_CASE("a run that missed its point says so at the end in the story panel") {
  for (const std::string lang : {"en", "id"}) {
    CAPTURE(lang);
    Headless h(lang, std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/missed.toml");
    h.frame();
    h.warung->actions().seek(kMinute);
    for (int i = 0; i < 3; ++i)
      h.frame();
    CHECK(h.shell->anchors().find("narration.missed") == nullptr);  // not before the end
    play_to_end(h);
    const Rect* missed = h.shell->anchors().find("narration.missed");
    REQUIRE(missed != nullptr);
    CHECK(inside(*missed, *h.shell->anchors().find("view.narration")));
    const I18n& t = h.shell->i18n();
    CHECK(std::string(t.tr("narration.points.redelivered")) ==
          (lang == "en" ? "an order redelivered" : "pesanan dikirim ulang"));
    CHECK(t.missing_count() == 0);
  }
  // A lesson that shows its point says nothing more.
  Headless h("en", std::string(WMQ_SCENARIOS_DIR) + "/03-a-cook-faints.toml");
  h.frame();
  h.warung->actions().seek(9 * kMinute + 40 * kSeconds);  // past the last pause
  h.frame();
  play_to_end(h);
  CHECK(h.shell->anchors().find("narration.missed") == nullptr);
}
