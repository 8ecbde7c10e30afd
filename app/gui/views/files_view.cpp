#include "gui/views/files_view.h"

#include <imgui.h>

#include <cstdio>
#include <cstring>

#include "gui/widgets.h"

namespace wmq::gui {

std::string session_file_name(const std::string& scenario, Micros at, const std::string& suffix) {
  const long long secs = at / kSeconds;
  char buf[64];
  std::snprintf(buf, sizeof buf, "-%02lldm%02llds", secs / 60, secs % 60);
  std::string base = scenario.empty() ? std::string("warungmq") : scenario;
  for (char& c : base) {
    if (c == '/' || c == ' ') c = '-';
  }
  return base + buf + suffix;
}

FilesView::FilesView(const Workbench& bench, Actions& actions, std::filesystem::path downloads)
    : View("files", "files.title"),
      bench_(bench),
      actions_(actions),
      downloads_(std::move(downloads)) {
  set_open(false);
}

void FilesView::open_fresh() {
  const std::string name = bench_.scenario().name;
  std::snprintf(scenario_path_, sizeof scenario_path_, "%s",
                session_file_name(name, bench_.now(), ".toml").c_str());
  std::snprintf(report_path_, sizeof report_path_, "%s",
                session_file_name(name, bench_.now(), "-report.md").c_str());
  set_open(true);
  request_focus();
}

std::string FilesView::where(const char* box) const {
  if (downloads_.empty()) return box;
  // A download is named by its file name alone: whatever folder was typed is not the reader's.
  std::filesystem::path name = std::filesystem::path(box).filename();
  if (name.empty()) name = "warungmq.txt";
  return (downloads_ / name).string();
}

void FilesView::drawContent(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  if (scenario_path_[0] == '\0') open_fresh();
  const float button = ImGui::GetFontSize() * 7;

  if (!downloads_.empty()) ImGui::TextWrapped("%s", t.tr("files.downloads"));
  ImGui::TextUnformatted(t.tr("files.save_scenario"));
  help_marker(t.tr("files.save_scenario_help"));
  ImGui::SetNextItemWidth(-button);
  ImGui::InputText("##scenario", scenario_path_, sizeof scenario_path_);
  ImGui::SameLine();
  if (ImGui::Button(t.tr("files.save"), ImVec2(button - ImGui::GetStyle().ItemSpacing.x, 0))) {
    actions_.save_scenario(where(scenario_path_));
  }
  ctx.anchors.set_last_item("files.save");
  std::string count = fill_placeholders(t.tr("files.clicks"),
                                        {{"count", std::to_string(bench_.recorded().size())}});
  ImGui::TextDisabled("%s", count.c_str());

  ImGui::Spacing();
  ImGui::TextUnformatted(t.tr("files.export_report"));
  help_marker(t.tr("files.export_report_help"));
  ImGui::SetNextItemWidth(-button);
  ImGui::InputText("##report", report_path_, sizeof report_path_);
  ImGui::SameLine();
  if (ImGui::Button(t.tr("files.export"), ImVec2(button - ImGui::GetStyle().ItemSpacing.x, 0))) {
    actions_.export_report(where(report_path_));
  }
  ctx.anchors.set_last_item("files.export");
}

}  // namespace wmq::gui
