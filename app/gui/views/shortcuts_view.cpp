#include "gui/views/shortcuts_view.h"

#include <imgui.h>

#include <string>

#include "gui/shortcuts.h"

namespace wmq::gui {

ShortcutsView::ShortcutsView() : View("shortcuts", "keys.title") {
  set_open(false);
}

void ShortcutsView::drawContent(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  constexpr ImGuiTableFlags kFlags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_NoSavedSettings;
  if (!ImGui::BeginTable("keys", 2, kFlags)) return;
  ImGui::TableSetupColumn(t.tr("keys.key"), ImGuiTableColumnFlags_WidthFixed,
                          ImGui::GetFontSize() * 5);
  ImGui::TableSetupColumn(t.tr("keys.does"), ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  const char* last = nullptr;
  for (const Shortcut& s : shortcuts()) {
    // The keypad twins of + and - say nothing new.
    if (last != nullptr && std::string(last) == s.what) continue;
    last = s.what;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(s.label);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(t.tr(s.what));
  }
  ImGui::EndTable();
}

}  // namespace wmq::gui
