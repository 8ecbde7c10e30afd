#include "gui/views/about_view.h"

#include <utility>

#include "gui/widgets.h"

namespace wmq::gui {
namespace {

// One row of the analogy table: the warung word, the broker word, the (?) explanation.
struct AnalogyRow {
  const char* warung_key;
  const char* broker_key;
  const char* help_key;
};

constexpr AnalogyRow kRows[] = {
    {"about.map.cashier", "about.map.producer", "about.map.cashier_help"},
    {"about.map.cook", "about.map.consumer", "about.map.cook_help"},
    {"about.map.board", "about.map.queue", "about.map.board_help"},
};

constexpr float kWidth = 620.0f;

}  // namespace

AboutView::AboutView(std::string version)
    : View("about", "about.title"), version_(std::move(version)) {}

void AboutView::prepare_window(const ImGuiViewport& viewport) {
  ImVec2 centre(viewport.WorkPos.x + viewport.WorkSize.x * 0.5f,
                viewport.WorkPos.y + viewport.WorkSize.y * 0.5f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
  // Fixed width so the text wraps the same in both languages; the height follows the text.
  ImGui::SetNextWindowSizeConstraints(ImVec2(kWidth, 0.0f), ImVec2(kWidth, viewport.WorkSize.y));
}

ImGuiWindowFlags AboutView::window_flags() const {
  return ImGuiWindowFlags_AlwaysAutoResize;
}

void AboutView::drawContent(ViewContext& ctx) {
  const I18n& t = ctx.i18n;

  ImGui::PushFont(ctx.fonts.heading);
  ImGui::TextUnformatted(t.tr("app.name"));
  ImGui::PopFont();
  ImGui::TextDisabled("%s", t.tr("app.tagline"));
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();

  ImGui::TextWrapped("%s", t.tr("about.body"));
  ctx.anchors.set_last_item("about.body");
  ImGui::Spacing();

  constexpr ImGuiTableFlags kTableFlags =
      ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchSame;
  if (ImGui::BeginTable("analogy", 2, kTableFlags)) {
    ImGui::TableSetupColumn(t.tr("about.map.in_warung"));
    ImGui::TableSetupColumn(t.tr("about.map.in_broker"));
    ImGui::TableHeadersRow();
    for (const AnalogyRow& row : kRows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(t.tr(row.warung_key));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(t.tr(row.broker_key));
      help_marker(t.tr(row.help_key));
    }
    ImGui::EndTable();
  }

  ImGui::Spacing();
  std::string footer =
      fill_placeholders(t.tr("about.version"), {{"version", version_}, {"imgui", IMGUI_VERSION}});
  ImGui::TextDisabled("%s", footer.c_str());
}

}  // namespace wmq::gui
