#include "gui/views/log_view.h"

#include <imgui.h>

#include <cstdlib>
#include <string>

#include "gui/labels.h"
#include "gui/theme.h"
#include "gui/widgets.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

LogView::LogView(const Workbench& bench, Actions& actions)
    : View("log", "log.title"), bench_(bench), actions_(actions) {}

void LogView::draw_filters(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const sim::Simulation& sim = bench_.a().sim();
  LogFilter& f = ui_.filter;

  // Groups: a popup of check boxes.
  if (ImGui::Button(t.tr("log.groups"))) ImGui::OpenPopup("##log-groups");
  ctx.anchors.set_last_item("log.groups");
  if (ImGui::BeginPopup("##log-groups")) {
    for (int g = 0; g < kLogGroupCount; ++g) {
      std::string key = std::string("log.group.") + log_group_name(static_cast<LogGroup>(g));
      bool on = (f.groups & (1u << g)) != 0;
      if (ImGui::Checkbox(t.tr(key), &on)) f.groups ^= 1u << g;
    }
    ImGui::EndPopup();
  }
  ImGui::SameLine();
  // One kind only.
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.5f);
  const char* current = f.kind < 0 ? t.tr("log.any_kind") : kind_code_label(t, f.kind);
  if (ImGui::BeginCombo("##kind", current, ImGuiComboFlags_HeightLarge)) {
    if (ImGui::Selectable(t.tr("log.any_kind"), f.kind < 0)) f.kind = -1;
    for (int code : log_kind_codes()) {
      if (ImGui::Selectable(kind_code_label(t, code), f.kind == code)) f.kind = code;
    }
    ImGui::EndCombo();
  }
  ctx.anchors.set_last_item("log.kind");
  ImGui::SameLine();
  // Who: a cook or a cashier.
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.0f);
  std::string who = t.tr("log.anyone");
  if (f.cook >= 0 && static_cast<size_t>(f.cook) < sim.cooks().size()) {
    who = sim.cooks()[static_cast<size_t>(f.cook)].name;
  }
  if (f.cashier >= 0 && static_cast<size_t>(f.cashier) < sim.cashiers().size()) {
    who = sim.cashiers()[static_cast<size_t>(f.cashier)].name;
  }
  if (ImGui::BeginCombo("##who", who.c_str(), ImGuiComboFlags_HeightLarge)) {
    if (ImGui::Selectable(t.tr("log.anyone"), f.cook < 0 && f.cashier < 0)) {
      f.cook = -1;
      f.cashier = -1;
    }
    for (const sim::Cook& k : sim.cooks()) {
      if (ImGui::Selectable(k.name.c_str(), f.cook == static_cast<int32_t>(k.index))) {
        f.cook = static_cast<int32_t>(k.index);
        f.cashier = -1;
      }
    }
    for (const sim::Cashier& c : sim.cashiers()) {
      if (ImGui::Selectable(c.name.c_str(), f.cashier == static_cast<int32_t>(c.index))) {
        f.cashier = static_cast<int32_t>(c.index);
        f.cook = -1;
      }
    }
    ImGui::EndCombo();
  }
  ctx.anchors.set_last_item("log.who");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.tr("log.who_help"));
  ImGui::SameLine();
  // An order number; 0 = any.
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3.6f);
  if (ImGui::InputTextWithHint("##order", t.tr("log.order_hint"), ui_.order, sizeof ui_.order,
                               ImGuiInputTextFlags_CharsDecimal)) {
    f.order = static_cast<uint32_t>(std::strtoul(ui_.order, nullptr, 10));
  }
  ctx.anchors.set_last_item("log.order");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.tr("log.order_help"));
  ImGui::SameLine();
  ImGui::Checkbox(t.tr("log.autoscroll"), &ui_.follow);
}

void LogView::drawContent(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const Run& run = bench_.a();
  const EventLog& log = run.log();
  const sim::Simulation& sim = run.sim();
  draw_filters(ctx);
  ui_.rows.update(log, ui_.filter, bench_.epoch());
  const auto& rows = ui_.rows.seqs();
  if (rows.empty()) {
    ImGui::TextDisabled("%s", t.tr("log.empty"));
    return;
  }
  const ScenePalette& pal = scene_palette(ctx.projector);
  // No striped rows: a long log is most of what this window paints, and on a software
  // renderer every painted pixel counts.
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                     ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit |
                                     ImGuiTableFlags_NoSavedSettings;
  if (!ImGui::BeginTable("events", 5, kFlags)) return;
  const float em = ImGui::GetFontSize();
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(t.tr("log.when"), ImGuiTableColumnFlags_WidthFixed, em * 3.2f);
  ImGui::TableSetupColumn(t.tr("log.kind"), ImGuiTableColumnFlags_WidthFixed, em * 7.0f);
  ImGui::TableSetupColumn(t.tr("log.order"), ImGuiTableColumnFlags_WidthFixed, em * 2.8f);
  ImGui::TableSetupColumn(t.tr("log.who"), ImGuiTableColumnFlags_WidthFixed, em * 4.6f);
  ImGui::TableSetupColumn(t.tr("log.details"), ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const LogRecord* r = log.find(rows[static_cast<size_t>(i)]);
      if (r == nullptr) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(static_cast<int>(r->seq));
      const bool selected =
          r->order != 0 && bench_.selection().is(Selection::Kind::kOrder, r->order);
      if (ImGui::Selectable(sim::format_clock(r->at).c_str(), selected,
                            ImGuiSelectableFlags_SpanAllColumns) &&
          r->order != 0) {
        actions_.select(Selection::order(r->order));
      }
      ImGui::PopID();
      ImGui::TableNextColumn();
      if (log_group(*r) == LogGroup::kTrouble) {
        ImGui::TextColored(rgba(pal.refused), "%s", event_label(t, *r));
      } else {
        ImGui::TextUnformatted(event_label(t, *r));
      }
      ImGui::TableNextColumn();
      if (r->order != 0) ImGui::Text("#%u", r->order);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(log.who(*r, sim).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(event_detail(t, log, *r, sim).c_str());
    }
  }
  if (ui_.follow && rows.size() != ui_.seen) ImGui::SetScrollHereY(1.0f);
  ui_.seen = rows.size();
  ImGui::EndTable();
  ctx.anchors.set_last_item("log.table");
}

}  // namespace wmq::gui
