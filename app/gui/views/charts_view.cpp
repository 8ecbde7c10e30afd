#include "gui/views/charts_view.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "gui/theme.h"
#include "gui/widgets.h"

namespace wmq::gui {

namespace {

struct Line {
  const std::vector<Micros>* at;
  const std::vector<float>* values;
  Rgb colour;
  bool dashed;  // run B
};

// One small chart: a title, lines over the timeline [0, end], the largest value as the scale.
void chart(ViewContext& ctx, const char* anchor, const char* title, const std::vector<Line>& lines,
           Micros end, ImVec2 size, const char* unit) {
  const ScenePalette& pal = scene_palette(ctx.projector);
  ImGui::BeginGroup();
  const ImVec2 min = ImGui::GetCursorScreenPos();
  ImGui::Dummy(size);
  const ImVec2 max(min.x + size.x, min.y + size.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line_w = ctx.projector ? 2.5f : 1.5f;
  dl->AddRectFilled(min, max, col(pal.floor), 4);
  dl->AddRect(min, max, col(pal.wall), 4);
  float top = 1.0f;
  for (const Line& l : lines) {
    for (float v : *l.values)
      top = std::max(top, v);
  }
  const float th = ImGui::GetFontSize();
  const ImVec2 plot_min(min.x + 4, min.y + th + 4), plot_max(max.x - 4, max.y - 4);
  for (const Line& l : lines) {
    const size_t n = l.values->size();
    if (n == 0) continue;
    // At most one point per pixel of what the line spans (early in a lesson, a sliver at the
    // left): more would be segments too short to see, each a few triangles to draw.
    const double span = std::clamp(
        static_cast<double>(l.at->back()) / static_cast<double>(std::max<Micros>(end, 1)), 0.0,
        1.0);
    const size_t pixels = std::max<size_t>(
        1, static_cast<size_t>(span * static_cast<double>(plot_max.x - plot_min.x)));
    const size_t stride = std::max<size_t>(1, n / pixels);
    ImVec2 prev;
    bool have = false;
    size_t k = 0;
    for (size_t i = 0; i < n; i += stride, ++k) {
      const float fx =
          static_cast<float>(static_cast<double>((*l.at)[i]) / static_cast<double>(end));
      const ImVec2 p(plot_min.x + std::min(fx, 1.0f) * (plot_max.x - plot_min.x),
                     plot_max.y - (*l.values)[i] / top * (plot_max.y - plot_min.y));
      if (have && (!l.dashed || k % 2 == 0)) dl->AddLine(prev, p, col(l.colour), line_w);
      prev = p;
      have = true;
    }
  }
  // Title and the scale: what the top of the chart means.
  dl->AddText(ImVec2(min.x + 5, min.y + 2), col(pal.ink), title);
  char scale[32];
  std::snprintf(scale, sizeof scale, "%.0f%s", static_cast<double>(top), unit);
  // The scale sits under the title, small, inside the plot's top right corner.
  ImFont* font = ImGui::GetFont();
  const float small = font->FontSize * 0.8f;
  const ImVec2 ext = font->CalcTextSizeA(small, FLT_MAX, 0.0f, scale);
  dl->AddText(font, small, ImVec2(max.x - ext.x - 5, plot_min.y), col(pal.soft_ink), scale);
  ImGui::EndGroup();
  ctx.anchors.set_last_item(anchor);
}

}  // namespace

ChartsView::ChartsView(const Workbench& bench) : View("charts", "charts.title"), bench_(bench) {}

void ChartsView::drawContent(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const ScenePalette& pal = scene_palette(ctx.projector);
  const ChartSeries& a = bench_.a().charts();
  const ChartSeries* b = bench_.b() != nullptr ? &bench_.b()->charts() : nullptr;
  const Micros end = std::max<Micros>(bench_.end(), 1);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const ImVec2 size(std::max(60.0f, (avail.x - gap) / 2),
                    std::max(40.0f, (avail.y - ImGui::GetStyle().ItemSpacing.y) / 2));
  auto with_b = [&](std::vector<Line> lines, const std::vector<float> ChartSeries::*field,
                    const Rgb& colour) {
    if (b != nullptr) lines.push_back(Line{&b->at, &(b->*field), colour, true});
    return lines;
  };

  chart(
      ctx, "charts.waiting", t.tr("charts.queue_depth"),
      with_b({Line{&a.at, &a.waiting, pal.ticket[1], false}}, &ChartSeries::waiting, pal.ticket[4]),
      end, size, "");
  ImGui::SameLine();
  chart(ctx, "charts.rates", t.tr("charts.rates"),
        with_b({Line{&a.at, &a.publish, pal.ticket[4], false},
                Line{&a.at, &a.deliver, pal.ticket[3], false},
                Line{&a.at, &a.ack, pal.ticket[2], false}},
               &ChartSeries::ack, pal.ticket[7]),
        end, size, "/min");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.tr("charts.rates_help"));
  chart(
      ctx, "charts.latency", t.tr("charts.latency"),
      with_b({Line{&a.at, &a.latency, pal.ticket[3], false}}, &ChartSeries::latency, pal.ticket[7]),
      end, size, "s");
  ImGui::SameLine();
  chart(ctx, "charts.trouble", t.tr("charts.trouble"),
        with_b({Line{&a.at, &a.lost, pal.ticket[9], false},
                Line{&a.at, &a.redelivered, pal.ticket[4], false}},
               &ChartSeries::lost, pal.ticket[7]),
        end, size, "");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.tr("charts.trouble_help"));
}

}  // namespace wmq::gui
