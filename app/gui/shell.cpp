#include "gui/shell.h"

#include <imgui.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <utility>

#include "gui/platform.h"
#include "gui/theme.h"

namespace wmq::gui {
namespace {

// The report's own keys; a state writer may not take them (checked by an assert only).
[[maybe_unused]] constexpr std::string_view kShellKeys[] = {
    "frames",   "language",    "vocabulary", "projector", "missing_strings", "missing_keys",
    "commands", "screenshots", "anchors",    "palette",   "scene_palette"};

std::string upper(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Shell::Shell(I18n i18n, Fonts fonts, std::string version)
    : i18n_(std::move(i18n)), fonts_(fonts), version_(std::move(version)) {
  assert(fonts_.body != nullptr && fonts_.heading != nullptr &&
         "Shell needs the fonts returned by load_fonts");
}

void Shell::add_view(std::unique_ptr<View> view) {
  assert(view && "Shell::add_view needs a view");
  assert(find_view(view->id()) == nullptr && "Shell::add_view: a view with this id exists");
  views_.push_back(std::move(view));
}

View* Shell::find_view(std::string_view id) {
  for (auto& v : views_) {
    if (v->id() == id) return v.get();
  }
  return nullptr;
}

void Shell::draw() {
  anchors_.clear();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  if (vp->WorkSize.x != ui_.last_width || vp->WorkSize.y != ui_.last_height) {
    ui_.last_width = vp->WorkSize.x;
    ui_.last_height = vp->WorkSize.y;
    ui_.relayout_requested = true;
  }
  for (auto& hook : frame_hooks_)
    hook();
  const Fonts fonts = this->fonts();
  draw_menu_bar();
  // The menu bar's height is known only once it is drawn; tile against the work area after it.
  const bool relayout = std::exchange(ui_.relayout_requested, false);
  ViewContext ctx{i18n_, commands_, anchors_, fonts, ui_.projector, relayout, ui_scale_};
  mark_bare_views();
  last_rects_.clear();
  for (auto& v : views_) {
    v->draw(ctx);
    if (const Rect* r = anchors_.find("view." + v->id()); r != nullptr && v->is_open()) {
      last_rects_[v->id()] = *r;
    }
  }
  draw_toasts();
}

void Shell::end_frame() {
  commands_.apply_all();
  for (auto& hook : end_frame_hooks_)
    hook();
  ++frames_;
}

void Shell::mark_bare_views() {
  // Windows that share only an edge do not overlap; a window dragged over another does, and
  // both then paint their own paper. A window not seen last frame (just opened) does too,
  // until its place is known.
  auto overlap = [](const Rect& a, const Rect& b) {
    return a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1;
  };
  for (auto& v : views_) {
    auto it = last_rects_.find(v->id());
    bool bare = it != last_rects_.end();
    for (const auto& [id, r] : last_rects_) {
      if (bare && id != v->id() && overlap(it->second, r)) bare = false;
    }
    v->set_bare(bare);
  }
}

void Shell::add_frame_hook(std::function<void()> hook) {
  assert(hook && "Shell::add_frame_hook needs a callable");
  frame_hooks_.push_back(std::move(hook));
}

void Shell::add_end_frame_hook(std::function<void()> hook) {
  assert(hook && "Shell::add_end_frame_hook needs a callable");
  end_frame_hooks_.push_back(std::move(hook));
}

void Shell::add_menu_hook(MenuSlot slot, std::function<void()> hook) {
  assert(hook && "Shell::add_menu_hook needs a callable");
  menu_hooks_.emplace_back(slot, std::move(hook));
}

void Shell::draw_menu_hooks(MenuSlot slot) {
  for (auto& [s, hook] : menu_hooks_) {
    if (s == slot) hook();
  }
}

void Shell::queue_set_language(std::string code) {
  std::string label = "set-language " + code;
  commands_.push(std::move(label), [this, code = std::move(code)] {
    wmq::Status st = i18n_.set_language(code);
    if (!st) notify(st.message());
  });
}

void Shell::queue_quit() {
  commands_.push("quit", [this] { ui_.quit_requested = true; });
}

void Shell::queue_screenshot() {
  commands_.push("screenshot", [this] { ui_.screenshot_requested = true; });
}

void Shell::queue_set_projector(bool on) {
  commands_.push(on ? "projector on" : "projector off", [this, on] {
    ui_.projector = on;
    apply_theme(ImGui::GetStyle(), on, ui_scale_);
    ImGui::GetIO().FontDefault = on ? fonts_.body_large : fonts_.body;
  });
}

void Shell::set_fonts(Fonts fonts, float scale) {
  fonts_ = fonts;
  ui_scale_ = scale;
  apply_theme(ImGui::GetStyle(), ui_.projector, scale);
  ImGui::GetIO().FontDefault = ui_.projector ? fonts_.body_large : fonts_.body;
  ui_.relayout_requested = true;
}

void Shell::queue_set_vocabulary(Vocabulary vocabulary) {
  commands_.push(std::string("vocabulary ") + vocabulary_name(vocabulary),
                 [this, vocabulary] { i18n_.set_vocabulary(vocabulary); });
}

void Shell::queue_reset_layout() {
  commands_.push("reset-layout", [this] { ui_.relayout_requested = true; });
}

void Shell::queue_show_view(std::string id) {
  std::string label = "show-view " + id;
  commands_.push(std::move(label), [this, id = std::move(id)] {
    View* v = find_view(id);
    if (v == nullptr) return;
    v->set_open(true);
    v->request_focus();
  });
}

bool Shell::take_screenshot_request() {
  return std::exchange(ui_.screenshot_requested, false);
}

void Shell::report_screenshot(const std::filesystem::path& file, const wmq::Status& status) {
  if (status) {
    screenshots_.push_back(file.string());
    if (platform::files_are_downloads()) {
      notify(fill_placeholders(i18n_.tr("toast.downloaded"), {{"name", file.filename().string()}}));
    } else {
      notify(fill_placeholders(i18n_.tr("toast.screenshot_saved"), {{"path", file.string()}}));
    }
  } else {
    notify(fill_placeholders(i18n_.tr("toast.screenshot_failed"), {{"reason", status.message()}}),
           8.0);
  }
}

void Shell::notify(std::string text, double seconds) {
  ui_.toasts.push_back(ShellUiState::Toast{std::move(text), ImGui::GetTime() + seconds});
}

void Shell::draw_menu_bar() {
  if (!ImGui::BeginMainMenuBar()) return;
  anchors_.set_current_window("menubar");
  const I18n& t = i18n_;

  const bool file_menu = ImGui::BeginMenu(t.tr("menu.file"));
  anchors_.set_last_item("menu.file");
  if (file_menu) {
    draw_menu_hooks(MenuSlot::kFile);
    if (ImGui::MenuItem(t.tr("menu.screenshot"), "F12")) queue_screenshot();
    ImGui::Separator();
    if (ImGui::MenuItem(t.tr("menu.quit"), "Ctrl+Q")) queue_quit();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(t.tr("menu.view"))) {
    // Opening and closing a window is UI state, not simulation: toggled in place.
    for (auto& v : views_)
      ImGui::MenuItem(t.tr(v->title_key()), nullptr, &v->open_flag());
    ImGui::Separator();
    if (ImGui::MenuItem(t.tr("menu.projector"), "F11", ui_.projector)) {
      queue_set_projector(!ui_.projector);
    }
    if (ImGui::BeginMenu(t.tr("menu.vocabulary"))) {
      for (Vocabulary v : {Vocabulary::kRestaurant, Vocabulary::kBroker}) {
        std::string key = std::string("menu.vocabulary_") + vocabulary_name(v);
        if (ImGui::MenuItem(t.tr(key), v == Vocabulary::kBroker ? "F3" : nullptr,
                            t.vocabulary() == v)) {
          queue_set_vocabulary(v);
        }
      }
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem(t.tr("menu.reset_layout"))) queue_reset_layout();
    draw_menu_hooks(MenuSlot::kView);
    ImGui::EndMenu();
  }
  draw_menu_hooks(MenuSlot::kMain);
  if (ImGui::BeginMenu(t.tr("menu.language"))) {
    for (const std::string& code : t.languages()) {
      std::string label = t.language_name(code) + "##lang-menu-" + code;
      if (ImGui::MenuItem(label.c_str(), nullptr, code == t.language())) queue_set_language(code);
    }
    ImGui::EndMenu();
  }
  const bool help = ImGui::BeginMenu(t.tr("menu.help"));
  anchors_.set_last_item("menu.help");
  if (help) {
    draw_menu_hooks(MenuSlot::kHelp);
    if (ImGui::MenuItem(t.tr("menu.about"))) queue_show_view("about");
    ImGui::EndMenu();
  }

  draw_language_switch();
  ImGui::EndMainMenuBar();
}

// "EN | ID" at the right end of the menu bar: one click, no menu to open, so it is the
// switch a teacher (and the xdotool test) uses. The current language looks pressed. Where the
// menus leave no room for it (a phone held upright), only the other language's button stays,
// or none: the Language menu switches too.
void Shell::draw_language_switch() {
  const I18n& t = i18n_;
  const ImGuiStyle& style = ImGui::GetStyle();
  std::vector<std::string> codes = t.languages();
  auto width_of = [&](const std::vector<std::string>& cs) {
    float w = 0;
    for (const auto& code : cs)
      w += ImGui::CalcTextSize(upper(code).c_str()).x + style.FramePadding.x * 2.0f;
    return w + style.ItemSpacing.x * static_cast<float>(cs.size() > 0 ? cs.size() - 1 : 0);
  };
  const float right = ImGui::GetWindowWidth() - style.WindowPadding.x;
  const float room = right - ImGui::GetCursorPosX() - style.ItemSpacing.x;
  if (width_of(codes) > room) {
    std::erase(codes, t.language());
    if (width_of(codes) > room) return;
  }
  ImGui::SetCursorPosX(right - width_of(codes));

  for (const auto& code : codes) {
    std::string label = upper(code) + "##lang-switch-" + code;
    bool selected = code == t.language();
    ImGui::PushStyleColor(ImGuiCol_Button,
                          selected ? style.Colors[ImGuiCol_ButtonActive] : ImVec4(0, 0, 0, 0));
    if (ImGui::Button(label.c_str()) && !selected) queue_set_language(code);
    ImGui::PopStyleColor();
    anchors_.set_last_item("lang." + code);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.language_name(code).c_str());
  }
}

void Shell::draw_toasts() {
  double now = ImGui::GetTime();
  std::erase_if(ui_.toasts, [now](const ShellUiState::Toast& t) { return t.until <= now; });
  if (ui_.toasts.empty()) return;

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  constexpr float kMargin = 16.0f;
  ImGui::SetNextWindowPos(
      ImVec2(vp->WorkPos.x + vp->WorkSize.x - kMargin, vp->WorkPos.y + vp->WorkSize.y - kMargin),
      ImGuiCond_Always, ImVec2(1.0f, 1.0f));
  ImGui::SetNextWindowBgAlpha(0.95f);
  constexpr ImGuiWindowFlags kFlags =
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
      ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs;
  if (ImGui::Begin("##toasts", nullptr, kFlags)) {
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
    for (size_t i = 0; i < ui_.toasts.size(); ++i) {
      if (i > 0) ImGui::Separator();
      ImGui::TextUnformatted(ui_.toasts[i].text.c_str());
    }
    ImGui::PopTextWrapPos();
    anchors_.set_current_window("toast");
  }
  ImGui::End();
}

void Shell::add_state_writer(std::string section, StateWriter writer) {
  assert(writer && "Shell::add_state_writer needs a callable");
  assert(std::find(std::begin(kShellKeys), std::end(kShellKeys), section) == std::end(kShellKeys) &&
         "Shell::add_state_writer: that section is one of the shell's own report keys");
  writers_.emplace_back(std::move(section), std::move(writer));
}

nlohmann::json Shell::state_json() const {
  nlohmann::json state = {
      {"frames", frames_},
      {"language", i18n_.language()},
      {"vocabulary", vocabulary_name(i18n_.vocabulary())},
      {"projector", ui_.projector},
      {"missing_strings", i18n_.missing_count()},
      {"missing_keys", i18n_.missing_keys()},
      {"commands", commands_.applied()},
      {"screenshots", screenshots_},
      {"toasts", nlohmann::json::array()},
      {"anchors", anchors_.to_json()},
      {"palette", palette_json()},
      {"scene_palette", scene_palette_json(ui_.projector)},
  };
  for (const ShellUiState::Toast& t : ui_.toasts)
    state["toasts"].push_back(t.text);
  for (const auto& [section, writer] : writers_)
    state[section] = writer();
  return state;
}

}  // namespace wmq::gui
