#include "gui/warung.h"

#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

#include "gui/model/focus.h"
#include "gui/model/state_json.h"
#include "gui/model/targets.h"
#include "gui/platform.h"
#include "gui/views/broker_view.h"
#include "gui/views/charts_view.h"
#include "gui/views/compare_view.h"
#include "gui/views/controls_view.h"
#include "gui/views/failure_menus.h"
#include "gui/views/files_view.h"
#include "gui/views/inspector_view.h"
#include "gui/views/link_view.h"
#include "gui/views/log_view.h"
#include "gui/views/narration_view.h"
#include "gui/views/scenario_picker_view.h"
#include "gui/views/scene_view.h"
#include "gui/views/shortcuts_view.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

// Under either (UI pixels), the screen shows only the warung and the story: a phone in landscape
// is 844x390, the smallest laptop 1024x600 keeps the whole desk.
constexpr float kCompactWidth = 760.0f;
constexpr float kCompactHeight = 560.0f;

constexpr uint32_t kMaxLengthCycle[] = {0, 10, 30};
constexpr Micros kTtlCycle[] = {0, 2 * 60 * kSeconds, 5 * 60 * kSeconds};
constexpr uint32_t kLimitCycle[] = {0, 2, 5};

template <typename T, size_t N>
T next_in(const T (&cycle)[N], T now) {
  for (size_t i = 0; i < N; ++i) {
    if (cycle[i] == now) return cycle[(i + 1) % N];
  }
  return cycle[0];
}

}  // namespace

WarungUi::WarungUi(Shell& shell, Workbench& bench, std::filesystem::path scenarios_dir)
    : shell_(shell), bench_(bench) {
  actions_ =
      std::make_unique<Actions>(shell.commands(), bench, [this](const Outcome& o) { tell(o); });
  Actions& act = *actions_;
  if (View* about = shell.find_view("about")) about->set_open(false);
  shell.add_view(std::make_unique<ControlsView>(bench, act));
  shell.add_view(std::make_unique<SceneView>(bench, act, scene_));
  shell.add_view(std::make_unique<NarrationView>(bench, act));
  shell.add_view(std::make_unique<BrokerView>(bench, act));
  shell.add_view(std::make_unique<InspectorView>(bench, act));
  shell.add_view(std::make_unique<LogView>(bench, act));
  shell.add_view(std::make_unique<ChartsView>(bench));
  shell.add_view(std::make_unique<CompareView>(bench, act));
  auto links = std::make_unique<LinkView>(bench, shell, scenarios_dir);
  links_ = links.get();
  shell.add_view(std::move(links));
  std::function<void()> pick;
  if (platform::can_pick_files()) {
    pick = [] { platform::pick_file(); };
    // A file from the reader's computer opens as a lesson from the list does; one with errors
    // says its file:line sentences in the toast.
    platform::set_file_handler([this](const std::filesystem::path& file) {
      actions_->load(file.string());
      if (View* picker = shell_.find_view("scenarios")) picker->set_open(false);
    });
  }
  shell.add_view(
      std::make_unique<ScenarioPickerView>(bench, act, std::move(scenarios_dir), std::move(pick)));
  auto files = std::make_unique<FilesView>(
      bench, act,
      platform::files_are_downloads() ? platform::user_files_dir() : std::filesystem::path());
  files_ = files.get();
  shell.add_view(std::move(files));
  shell.add_view(std::make_unique<ShortcutsView>());

  shell.add_frame_hook([this] { handle_keys(); });
  // The simulation moves once the frame's clicks have been applied, by the frame's wall time.
  shell.add_end_frame_hook([this] {
    bench_.tick(ImGui::GetIO().DeltaTime);
    sync_layout();
    follow_focus();
  });
  shell.add_menu_hook(MenuSlot::kView, [this] { draw_view_menu(); });
  shell.add_menu_hook(MenuSlot::kFile, [this] { draw_file_menu(); });
  shell.add_menu_hook(MenuSlot::kMain, [this] { draw_sim_menu(); });
  shell.add_menu_hook(MenuSlot::kHelp, [this] { draw_help_menu(); });
  shell.add_state_writer("sim", [this] { return state_json(bench_); });
  shell.add_state_writer("link", [this] { return links_->state_json(); });
  shell.add_state_writer("ui", [this] { return ui_json(); });
}

void WarungUi::follow_focus() {
  // When a narration that names its focus becomes current, the inspector opens on the first
  // thing it names that the inspector can show.
  const sim::TimelineEvent* said = bench_.a().sim().narration();
  const uint32_t line = said != nullptr && !said->focus.empty() ? said->line : 0;
  if (line == focus_line_) return;
  focus_line_ = line;
  for (const FocusTarget& f : current_focus(bench_.a().sim())) {
    if (f.selection.kind == Selection::Kind::kNone) continue;
    actions_->select(f.selection);
    // On a small screen the inspector would cover the story: the selection alone shows it.
    const bool compact = layout_ >= 0 && (layout_ & 4) != 0;
    if (View* v = shell_.find_view("inspector"); v != nullptr && !compact) v->set_open(true);
    break;
  }
}

void WarungUi::draw_view_menu() {
  ImGui::Separator();
  if (ImGui::MenuItem(shell_.i18n().tr("menu.spotlight"), "H", scene_.spotlight)) {
    perform(Act::kSpotlight);
  }
}

nlohmann::json WarungUi::ui_json() const {
  // The smallest text of the frame: the scene's runs, and the widgets' body font (every view
  // draws with it or the larger heading font).
  const float scene_min = scene_.text.min_px();
  const float min_px = scene_min > 0 ? std::min(scene_min, scene_.ui_px) : scene_.ui_px;
  nlohmann::json focus = nlohmann::json::array();
  for (const FocusTarget& f : scene_.focus)
    focus.push_back(f.name);
  nlohmann::json drawn = nlohmann::json::array();
  for (const Rect& r : scene_.spotlit)
    drawn.push_back({{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}});
  return {{"min_text_px", min_px},
          {"scene_min_text_px", scene_min},
          {"scene_text_floor_px", scene_.floor_px},
          {"text_runs", scene_.text.runs().size()},
          {"overlaps", scene_.text.overlaps()},
          {"overlapping", scene_.text.overlapping(12)},
          {"spotlight", {{"on", scene_.spotlight}, {"focus", focus}, {"drawn", drawn}}}};
}

void WarungUi::sync_layout() {
  const bool projector = shell_.projector();
  const bool compare = bench_.b() != nullptr;
  // A phone, or a window as small (in the UI's pixels: a page's are device pixels over its
  // ratio): room for the warung and the story only.
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float ui_w = display.x / shell_.ui_scale(), ui_h = display.y / shell_.ui_scale();
  const bool compact = display.x > 0 && (ui_w < kCompactWidth || ui_h < kCompactHeight);
  const bool portrait = ui_h > ui_w;
  const int mode =
      (projector ? 1 : 0) | (compare ? 2 : 0) | (compact ? 4 : 0) | (compact && portrait ? 8 : 0);
  if (mode == layout_) return;
  layout_ = mode;
  struct Place {
    const char* view;
    bool open;
    std::optional<Tile> tile;  // nullopt: the view's own tile
  };
  const std::optional<Tile> own;
  std::vector<Place> places;
  if (compact) {
    // Side by side on a phone held sideways (844x390), one above the other held upright.
    const bool up = portrait;
    places = {
        {"controls", true, Tile{0.0f, 0.0f, 1.0f, up ? 0.16f : 0.27f}},
        {"scene", true, up ? Tile{0.0f, 0.16f, 1.0f, 0.52f} : Tile{0.0f, 0.27f, 0.62f, 0.73f}},
        {"narration", true, up ? Tile{0.0f, 0.68f, 1.0f, 0.32f} : Tile{0.62f, 0.27f, 0.38f, 0.73f}},
        {"broker", false, own},
        {"inspector", false, own},
        {"log", false, own},
        {"charts", false, own},
        {"compare", false, own}};
  } else if (!projector && !compare) {
    places = {{"controls", true, own}, {"scene", true, own},     {"narration", true, own},
              {"broker", true, own},   {"inspector", true, own}, {"log", true, own},
              {"charts", true, own}};
  } else if (!projector) {
    places = {{"controls", true, own},
              {"scene", true, Tile{0.0f, 0.11f, 0.68f, 0.89f}},
              {"narration", true, own},
              {"compare", true, Tile{0.68f, 0.27f, 0.32f, 0.44f}},
              {"charts", true, Tile{0.68f, 0.71f, 0.32f, 0.29f}},
              {"broker", false, own},
              {"inspector", false, own},
              {"log", false, own}};
  } else {
    // The back of a classroom needs few, large things: the warung, the story, one detail.
    const Tile controls{0.0f, 0.0f, 1.0f, 0.21f};
    const Tile scene{0.0f, 0.21f, 0.68f, 0.79f};
    places = {{"controls", true, controls},
              {"scene", true, scene},
              {"broker", false, own},
              {"log", false, own},
              {"charts", false, own}};
    if (compare) {
      places.push_back({"narration", true, Tile{0.68f, 0.21f, 0.32f, 0.23f}});
      places.push_back({"compare", true, Tile{0.68f, 0.44f, 0.32f, 0.56f}});
      places.push_back({"inspector", false, own});
    } else {
      places.push_back({"narration", true, Tile{0.68f, 0.21f, 0.32f, 0.31f}});
      places.push_back({"inspector", true, Tile{0.68f, 0.52f, 0.32f, 0.48f}});
      places.push_back({"compare", false, own});
    }
  }
  for (const Place& p : places) {
    if (View* v = shell_.find_view(p.view)) {
      v->set_open(p.open);
      v->set_tile(p.tile);
    }
  }
  shell_.request_relayout();
}

void WarungUi::tell(const Outcome& o) {
  const I18n& t = shell_.i18n();
  if (!o.status.is_ok()) {
    const char* key = o.action == "inject" ? "toast.inject_failed" : "toast.failed";
    shell_.notify(fill_placeholders(t.tr(key), {{"reason", o.status.message()}}), 8.0);
    return;
  }
  if ((o.action == "save-scenario" || o.action == "export-report") &&
      platform::files_are_downloads()) {
    // In a page the file is the browser's download, under its name.
    platform::offer_file(o.path);
    const std::string name = std::filesystem::path(o.path).filename().string();
    shell_.notify(fill_placeholders(t.tr("toast.downloaded"), {{"name", name}}));
  } else if (o.action == "save-scenario") {
    shell_.notify(fill_placeholders(t.tr("toast.saved_scenario"), {{"path", o.path}}));
  } else if (o.action == "export-report") {
    shell_.notify(fill_placeholders(t.tr("toast.exported"), {{"path", o.path}}));
  } else if (o.action == "load") {
    shell_.notify(fill_placeholders(t.tr("toast.loaded"), {{"path", o.path}}));
  }
}

void WarungUi::perform(Act act) {
  Actions& a = *actions_;
  using K = sim::InjectionKind;
  auto cook = [&](K kind, void (Actions::*fn)(const std::string&)) {
    if (auto name = cook_for(bench_, kind)) {
      (a.*fn)(*name);
    } else {
      shell_.notify(shell_.i18n().tr("toast.no_cook"));
    }
  };
  auto queue_change = [&](auto apply) {
    const std::string q = queue_for(bench_);
    const std::optional<QueueSnapshot> now = q.empty() ? std::nullopt : find_queue(bench_.a(), q);
    if (!now) {
      shell_.notify(shell_.i18n().tr("toast.no_queue"));
      return;
    }
    sim::QueueChange c;
    apply(now->options, c);
    a.set_queue(q, c);
  };
  switch (act) {
    case Act::kTogglePlay:
      a.toggle_play();
      break;
    case Act::kStep:
      a.step();
      break;
    case Act::kBack:
      a.back_by(30 * kSeconds);
      break;
    case Act::kFaster:
      a.faster();
      break;
    case Act::kSlower:
      a.slower();
      break;
    case Act::kCrashCook:
      cook(K::kCrashCook, &Actions::crash_cook);
      break;
    case Act::kFreezeCook:
      cook(K::kFreezeCook, &Actions::freeze_cook);
      break;
    case Act::kReviveCook:
      cook(K::kReviveCook, &Actions::revive_cook);
      break;
    case Act::kCrashCashier:
      if (auto name = cashier_for(bench_, K::kCrashCashier)) a.crash_cashier(*name);
      break;
    case Act::kCrashBroker:
      a.crash_broker();
      break;
    case Act::kRestartBroker:
      a.restart_broker();
      break;
    case Act::kBadOrder:
      a.bad_order("dish");
      break;
    case Act::kPoisonOrder:
      a.poison_order();
      break;
    case Act::kLunchRush:
      a.lunch_rush();
      break;
    case Act::kToggleDurable:
      queue_change([](const QueueOptions& now, sim::QueueChange& c) { c.durable = !now.durable; });
      break;
    case Act::kCycleMaxLength:
      queue_change([](const QueueOptions& now, sim::QueueChange& c) {
        c.max_length = next_in(kMaxLengthCycle, now.max_length);
      });
      break;
    case Act::kCycleTtl:
      queue_change([](const QueueOptions& now, sim::QueueChange& c) {
        c.ttl = next_in(kTtlCycle, now.message_ttl);
      });
      break;
    case Act::kCycleDeliveryLimit:
      queue_change([](const QueueOptions& now, sim::QueueChange& c) {
        c.delivery_limit = next_in(kLimitCycle, now.delivery_limit);
      });
      break;
    case Act::kLanguage: {
      const auto langs = shell_.i18n().languages();
      for (size_t i = 0; i < langs.size(); ++i) {
        if (langs[i] == shell_.i18n().language()) {
          shell_.queue_set_language(langs[(i + 1) % langs.size()]);
          break;
        }
      }
      break;
    }
    case Act::kVocabulary:
      shell_.queue_set_vocabulary(shell_.i18n().vocabulary() == Vocabulary::kBroker
                                      ? Vocabulary::kRestaurant
                                      : Vocabulary::kBroker);
      break;
    case Act::kProjector:
      shell_.queue_set_projector(!shell_.projector());
      break;
    case Act::kOpenScenario:
      shell_.queue_show_view("scenarios");
      break;
    case Act::kSaveFiles:
      files_->open_fresh();
      break;
    case Act::kCompare:
      if (View* v = shell_.find_view("compare")) {
        v->set_open(!v->is_open());
        if (v->is_open()) v->request_focus();
      }
      break;
    case Act::kDeselect:
      a.select(Selection::none());
      break;
    case Act::kSpotlight:
      scene_.spotlight = !scene_.spotlight;
      break;
  }
}

void WarungUi::handle_keys() {
  const ImGuiIO& io = ImGui::GetIO();
  // Typing a file name or an order number is not a command.
  if (io.WantTextInput) return;
  for (const Shortcut& s : shortcuts()) {
    if (s.shift != io.KeyShift || s.ctrl != io.KeyCtrl) continue;
    if (ImGui::IsKeyPressed(s.key, s.act == Act::kStep || s.act == Act::kBack)) perform(s.act);
  }
}

void WarungUi::draw_file_menu() {
  const I18n& t = shell_.i18n();
  if (ImGui::MenuItem(t.tr("menu.open_scenario"), "Ctrl+O")) shell_.queue_show_view("scenarios");
  if (ImGui::MenuItem(t.tr("menu.save_scenario"), "Ctrl+S")) files_->open_fresh();
  if (ImGui::MenuItem(t.tr("menu.export_report"))) files_->open_fresh();
  if (ImGui::MenuItem(t.tr("menu.copy_link"))) links_->copy();
  shell_.anchors().set_last_item("menu.copy_link");
  ImGui::Separator();
}

void WarungUi::draw_sim_menu() {
  const I18n& t = shell_.i18n();
  if (!ImGui::BeginMenu(t.tr("menu.simulation"))) return;
  Actions& a = *actions_;
  if (ImGui::MenuItem(t.tr(bench_.player().playing() ? "controls.pause" : "controls.play"),
                      "Space")) {
    a.toggle_play();
  }
  // A live run is not replayed, stepped or sped up (Workbench::live_refusal).
  const bool replayable = !bench_.live();
  if (ImGui::MenuItem(t.tr("controls.step"), "\xE2\x86\x92", false, replayable)) a.step();
  if (ImGui::MenuItem(t.tr("controls.back"), "\xE2\x86\x90", false, replayable)) {
    a.back_by(30 * kSeconds);
  }
  if (ImGui::MenuItem(t.tr("keys.faster"), "+", false, replayable)) a.faster();
  if (ImGui::MenuItem(t.tr("keys.slower"), "-", false, replayable)) a.slower();
  ImGui::Separator();
  if (ImGui::BeginMenu(t.tr("menu.compare"), replayable)) {
    for (VariantPreset p : kVariantPresets) {
      std::string key = std::string("compare.preset.") + variant_preset_name(p);
      const Variant v = make_variant(p, bench_.scenario());
      const bool on = bench_.variant() != nullptr && *bench_.variant() == v;
      if (ImGui::MenuItem(t.tr(key), nullptr, on)) {
        a.set_variant(v);
        shell_.queue_show_view("compare");
      }
    }
    ImGui::Separator();
    std::string previous = fill_placeholders(
        t.tr("compare.previous"),
        {{"time", sim::format_clock(std::max<Micros>(0, bench_.previous_fork()))}});
    if (ImGui::MenuItem(previous.c_str(), nullptr,
                        bench_.b_kind() == Workbench::BKind::kPreviousFuture,
                        bench_.previous_fork() >= 0)) {
      a.compare_previous_future();
      shell_.queue_show_view("compare");
    }
    if (ImGui::MenuItem(t.tr("compare.off"), nullptr, false, bench_.b() != nullptr)) {
      a.set_variant(std::nullopt);
    }
    if (ImGui::MenuItem(t.tr("compare.title"), "A")) shell_.queue_show_view("compare");
    ImGui::EndMenu();
  }
  ImGui::EndMenu();
}

void WarungUi::draw_help_menu() {
  if (ImGui::MenuItem(shell_.i18n().tr("menu.shortcuts"))) shell_.queue_show_view("shortcuts");
}

}  // namespace wmq::gui
