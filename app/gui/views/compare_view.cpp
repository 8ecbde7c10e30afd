#include "gui/views/compare_view.h"

#include <imgui.h>

#include <string>

#include "gui/labels.h"
#include "gui/theme.h"
#include "gui/widgets.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

std::string figure_value(const std::string& name, int64_t v) {
  if (name.rfind("latency", 0) == 0) return sim::format_duration(v - v % kSeconds);
  return std::to_string(v);
}

// A check box that switches an optional field on or off, keeping a sensible value when on.
template <typename T>
bool toggle(const char* label, std::optional<T>& field, T initial) {
  bool on = field.has_value();
  if (!ImGui::Checkbox(label, &on)) return false;
  if (on) {
    field = initial;
  } else {
    field.reset();
  }
  return true;
}

}  // namespace

CompareView::CompareView(const Workbench& bench, Actions& actions)
    : View("compare", "compare.title"), bench_(bench), actions_(actions) {
  set_open(false);
}

void CompareView::draw_editor(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const sim::Scenario& sc = bench_.scenario();
  if (bench_.b() == nullptr) ImGui::TextWrapped("%s", t.tr("compare.intro"));
  // One click for the usual lessons.
  for (size_t i = 0; i < std::size(kVariantPresets); ++i) {
    const VariantPreset p = kVariantPresets[i];
    std::string key = std::string("compare.preset.") + variant_preset_name(p);
    if (i > 0) same_line_if_fits(t.tr(key));
    if (ImGui::SmallButton(t.tr(key))) {
      ui_.draft = make_variant(p, sc);
      actions_.set_variant(ui_.draft);
    }
    ctx.anchors.set_last_item(std::string("compare.preset.") + variant_preset_name(p));
  }
  // The future a fork left behind, beside the new one.
  if (bench_.previous_fork() >= 0) {
    std::string label = fill_placeholders(t.tr("compare.previous"),
                                          {{"time", sim::format_clock(bench_.previous_fork())}});
    if (ImGui::Button(label.c_str())) actions_.compare_previous_future();
    ctx.anchors.set_last_item("compare.previous");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.tr("compare.previous_help"));
  }
  // Any setting, for the curious.
  if (ImGui::TreeNode(t.tr("compare.custom"))) {
    Variant& d = ui_.draft;
    const float w = ImGui::GetFontSize() * 6;
    toggle(t.tr("compare.field.durable"), d.durable, false);
    if (d.durable) {
      ImGui::SameLine();
      int v = *d.durable ? 1 : 0;
      ImGui::RadioButton(t.tr("scene.transient"), &v, 0);
      ImGui::SameLine();
      ImGui::RadioButton(t.tr("scene.durable"), &v, 1);
      d.durable = v == 1;
    }
    toggle(t.tr("compare.field.direct"), d.mode, sim::Mode::kDirect);
    if (d.mode) {
      ImGui::SameLine();
      int v = *d.mode == sim::Mode::kDirect ? 1 : 0;
      ImGui::RadioButton(t.tr("compare.broker_mode"), &v, 0);
      ImGui::SameLine();
      ImGui::RadioButton(t.tr("compare.direct_mode"), &v, 1);
      d.mode = v == 1 ? sim::Mode::kDirect : sim::Mode::kBroker;
    }
    auto int_field = [&](const char* key, auto& field, int initial, int lo, int hi) {
      using T = typename std::remove_reference_t<decltype(field)>::value_type;
      toggle(t.tr(key), field, static_cast<T>(initial));
      if (field) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(w);
        int v = static_cast<int>(*field);
        ImGui::PushID(key);
        if (ImGui::InputInt("##v", &v)) field = static_cast<T>(std::clamp(v, lo, hi));
        ImGui::PopID();
      }
    };
    int_field("compare.field.prefetch", d.prefetch, 10, 0, 1000);
    int_field("compare.field.extra_cooks", d.extra_cooks, 1, -10, 10);
    int_field("compare.field.delivery_limit", d.delivery_limit, 3, 0, 1000);
    int_field("compare.field.max_length", d.max_length, 10, 0, 100000);
    toggle(t.tr("compare.field.ttl"), d.ttl, Micros{2 * 60 * kSeconds});
    if (d.ttl) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(w);
      int secs = static_cast<int>(*d.ttl / kSeconds);
      if (ImGui::InputInt("##ttl", &secs)) d.ttl = Micros{std::clamp(secs, 0, 86400)} * kSeconds;
    }
    toggle(t.tr("compare.field.rate"), d.rate, sc.rate * 2);
    if (d.rate) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(w);
      float r = static_cast<float>(*d.rate);
      if (ImGui::InputFloat("##rate", &r, 0.5f, 1.0f, "%.1f")) d.rate = std::max(0.0f, r);
    }
    if (ImGui::Button(t.tr("compare.apply"))) actions_.set_variant(ui_.draft);
    ctx.anchors.set_last_item("compare.apply");
    ImGui::TreePop();
  }
  if (bench_.b() != nullptr) {
    if (ImGui::Button(t.tr("compare.off"))) actions_.set_variant(std::nullopt);
    ctx.anchors.set_last_item("compare.off");
  }
}

void CompareView::draw_figures(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  if (bench_.b() == nullptr) {
    ImGui::TextDisabled("%s", t.tr("compare.none"));
    return;
  }
  std::string b_label = side_b_label(t, bench_);
  ImGui::TextWrapped("%s", b_label.c_str());
  if (ui_.figures_at != bench_.now() || ui_.figures_epoch != bench_.epoch()) {
    ui_.figures = compare_reports(bench_.a().sim().report(), bench_.b()->sim().report());
    ui_.figures_at = bench_.now();
    ui_.figures_epoch = bench_.epoch();
  }
  const ScenePalette& pal = scene_palette(ctx.projector);
  if (!ImGui::BeginTable("figures", 3, kPanelTable)) return;
  // The names are the longest cells ("Dari pesan sampai tersaji (median)"): they get the most
  // room and wrap when even that is not enough, rather than being cut off.
  ImGui::TableSetupColumn(t.tr("compare.figure"), ImGuiTableColumnFlags_WidthStretch, 3.0f);
  ImGui::TableSetupColumn(t.tr("compare.side_a_short"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(t.tr("compare.side_b_short"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (const FigureDiff& f : ui_.figures) {
    ImGui::TableNextRow();
    if (f.differs()) {
      // The differences are the lesson: they glow.
      ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0,
                             IM_COL32(pal.lit.r, pal.lit.g, pal.lit.b, 110));
    }
    ImGui::TableNextColumn();
    std::string key = "compare.fig." + f.name;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(t.tr(key));
    ImGui::PopTextWrapPos();
    ctx.anchors.set_last_item("compare.name." + f.name);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(figure_value(f.name, f.a).c_str());
    ctx.anchors.set_last_item("compare.a." + f.name);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(figure_value(f.name, f.b).c_str());
    if (f.differs()) ctx.anchors.set_last_item("compare.differs." + f.name);
  }
  ImGui::EndTable();
  ctx.anchors.set_last_item("compare.figures");
}

void CompareView::drawContent(ViewContext& ctx) {
  // While comparing, the figures are the lesson: they come first.
  if (bench_.b() != nullptr) {
    draw_figures(ctx);
    ImGui::Separator();
  }
  draw_editor(ctx);
  if (bench_.b() == nullptr) {
    ImGui::Separator();
    draw_figures(ctx);
  }
}

}  // namespace wmq::gui
