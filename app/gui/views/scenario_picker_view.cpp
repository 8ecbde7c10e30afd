#include "gui/views/scenario_picker_view.h"
#include "gui/widgets.h"

#include <imgui.h>

#include <algorithm>
#include <system_error>

namespace wmq::gui {

ScenarioPickerView::ScenarioPickerView(const Workbench& bench, Actions& actions,
                                       std::filesystem::path dir,
                                       std::function<void()> pick_from_computer)
    : View("scenarios", "picker.title"),
      bench_(bench),
      actions_(actions),
      dir_(std::move(dir)),
      pick_from_computer_(std::move(pick_from_computer)) {
  set_open(false);
}

void ScenarioPickerView::scan() {
  entries_.clear();
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
    if (e.path().extension() == ".toml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());  // numbered in teaching order
  for (const auto& f : files) {
    Entry entry;
    entry.path = f.string();
    Result<sim::Scenario> s = sim::load_scenario(entry.path);
    if (s.is_ok()) {
      entry.title = s.value().title;
      entry.about = s.value().about;
      entry.name = s.value().name;
    } else {
      entry.name = f.filename().string();
      entry.error = s.status().message();
    }
    entries_.push_back(std::move(entry));
  }
  scanned_ = true;
}

void ScenarioPickerView::drawContent(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  if (!scanned_) scan();
  ImGui::TextWrapped("%s", t.tr("picker.intro"));
  if (pick_from_computer_) {
    // In a page, above the list, where it shows without scrolling. The page's file system
    // holds only the shipped lessons: a path typed by hand would name nothing.
    if (ImGui::Button(t.tr("picker.from_computer"))) pick_from_computer_();
    ctx.anchors.set_last_item("picker.from_computer");
    help_marker(t.tr("picker.from_computer_help"));
    ImGui::SameLine();
  }
  if (ImGui::Button(t.tr("picker.rescan"))) scan();
  ImGui::Separator();
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    ImGui::PushID(static_cast<int>(i));
    const std::string& title = pick(t, e.title);
    std::string label = (title.empty() ? e.name : title) + "##pick";
    const bool current = e.path == bench_.scenario().file;
    if (!e.error.empty()) ImGui::BeginDisabled();
    if (ImGui::Selectable(label.c_str(), current)) {
      actions_.load(e.path);
      set_open(false);
    }
    if (!e.error.empty()) ImGui::EndDisabled();
    ctx.anchors.set_last_item("picker." + e.name);
    ImGui::Indent();
    ImGui::PushTextWrapPos(0.0f);
    if (!e.error.empty()) {
      ImGui::TextColored(rgba(palette().error), "%s", e.error.c_str());
    } else {
      ImGui::TextDisabled("%s", pick(t, e.about).c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::Unindent();
    ImGui::PopID();
  }
  ImGui::Separator();
  if (pick_from_computer_) return;  // at the top instead of a path box
  ImGui::TextUnformatted(t.tr("picker.by_path"));
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 6);
  ImGui::InputText("##path", path_, sizeof path_);
  ImGui::SameLine();
  if (ImGui::Button(t.tr("picker.open")) && path_[0] != '\0') {
    actions_.load(path_);
    set_open(false);
  }
}

}  // namespace wmq::gui
