#include "gui/views/controls_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "gui/theme.h"
#include "gui/widgets.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

constexpr const char* kProblems[] = {"qty", "dish", "table", "json", "note"};

bool button(ViewContext& ctx, const char* anchor, const std::string& label, const char* help,
            bool first = false) {
  if (!first) same_line_if_fits(label.c_str());
  const bool clicked = ImGui::Button(label.c_str());
  ctx.anchors.set_last_item(anchor);
  if (help != nullptr && ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26.0f);
    ImGui::TextUnformatted(help);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  return clicked;
}

}  // namespace

ControlsView::ControlsView(const Workbench& bench, Actions& actions)
    : View("controls", "controls.title"), bench_(bench), actions_(actions) {}

void ControlsView::draw_transport(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  // A live run cannot be replayed, stepped ahead of the wall clock or sped up: those controls
  // are greyed (the keys are refused with a toast by the workbench).
  const bool live = bench_.live();
  if (live) ImGui::BeginDisabled();
  if (button(ctx, "controls.back", std::string("\xE2\x86\xBA ") + t.tr("controls.back"),
             t.tr("controls.back_help"), true)) {
    actions_.back_by(30 * kSeconds);
  }
  if (live) ImGui::EndDisabled();
  const bool playing = bench_.player().playing();
  const std::string play = playing
                               ? std::string("\xE2\x9D\x9A\xE2\x9D\x9A ") + t.tr("controls.pause")
                               : std::string("\xE2\x96\xB6 ") + t.tr("controls.play");
  if (button(ctx, "controls.play", play + "###play", t.tr("controls.play_help"))) {
    actions_.toggle_play();
  }
  if (live) ImGui::BeginDisabled();
  if (button(ctx, "controls.step", std::string("\xE2\x87\xA5 ") + t.tr("controls.step"),
             t.tr("controls.step_help"))) {
    actions_.step();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.5f);
  int index = static_cast<int>(bench_.player().speed_index());
  char speed[16];
  std::snprintf(speed, sizeof speed, "%gx", bench_.player().speed());
  const int last = static_cast<int>(Player::kSpeeds.size()) - 1;
  if (ImGui::SliderInt("##speed", &index, 0, last, speed, ImGuiSliderFlags_NoInput)) {
    actions_.set_speed(Player::kSpeeds[static_cast<size_t>(std::clamp(index, 0, last))]);
  }
  ctx.anchors.set_last_item("controls.speed");
  if (live) ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    ImGui::SetTooltip("%s", t.tr(live ? "live.speed_help" : "controls.speed_help"));
  }
  ImGui::SameLine();
  ImGui::PushFont(ctx.fonts.heading);
  const std::string clock =
      sim::format_clock(bench_.now()) + " / " + sim::format_clock(bench_.end());
  ImGui::TextUnformatted(clock.c_str());
  ctx.anchors.set_last_item("controls.clock");
  ImGui::PopFont();
}

void ControlsView::draw_failures(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const sim::Simulation& sim = bench_.a().sim();
  if (button(ctx, "controls.bad_order", std::string(t.tr("inject.bad_order")) + " \xE2\x96\xBE",
             t.tr("inject.help.bad_order"))) {
    ImGui::OpenPopup("##bad-order");
  }
  if (ImGui::BeginPopup("##bad-order")) {
    for (const char* problem : kProblems) {
      std::string key = std::string("inject.problem.") + problem;
      if (ImGui::MenuItem(t.tr(key), std::string(problem) == "dish" ? "X" : nullptr)) {
        actions_.bad_order(problem);
      }
      ctx.anchors.set_last_item(std::string("controls.bad_order.") + problem);
    }
    ImGui::EndPopup();
  }
  if (button(ctx, "controls.poison", std::string("\xE2\x98\xA0 ") + t.tr("inject.poison_order"),
             t.tr("inject.help.poison_order"))) {
    actions_.poison_order();
  }
  if (button(ctx, "controls.rush", t.tr("inject.lunch_rush"), t.tr("inject.help.lunch_rush"))) {
    actions_.lunch_rush();
  }
  const bool brokered = sim.mode() == sim::Mode::kBroker;
  if (!brokered) ImGui::BeginDisabled();
  if (!sim.broker_down()) {
    if (button(ctx, "controls.crash_broker",
               std::string("\xE2\x9A\xA1 ") + t.tr("inject.crash_broker"),
               t.tr("inject.help.crash_broker"))) {
      actions_.crash_broker();
    }
  } else if (button(ctx, "controls.restart_broker", t.tr("inject.restart_broker"),
                    t.tr("inject.help.restart_broker"))) {
    actions_.restart_broker();
  }
  if (!brokered) ImGui::EndDisabled();
}

void ControlsView::draw_timeline(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const ScenePalette& pal = scene_palette(ctx.projector);
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  const float h = std::max(14.0f, ImGui::GetContentRegionAvail().y - 2);
  ImGui::InvisibleButton("##timeline", ImVec2(w, h));
  ctx.anchors.set_last_item("controls.timeline");
  const Micros end = std::max<Micros>(bench_.end(), 1);
  auto x_of = [&](Micros at) {
    return min.x + static_cast<float>(static_cast<double>(at) / static_cast<double>(end)) * w;
  };
  ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsItemActive()) {
    const double f = std::clamp((io.MousePos.x - min.x) / w, 0.0f, 1.0f);
    const Micros target =
        static_cast<Micros>(std::llround(f * static_cast<double>(end) / 1e6)) * kSeconds;
    // While dragging, seek once the pointer has moved a virtual second or more: each jump back
    // is a replay, and a second is finer than a pixel in a 30-minute lesson anyway.
    if (std::llabs(target - ui_.last_seek) >= kSeconds || !ui_.dragging) {
      actions_.seek(target);
      ui_.last_seek = target;
    }
    ui_.dragging = true;
  } else {
    ui_.dragging = false;
  }
  if (ImGui::IsItemHovered()) {
    const double f = std::clamp((io.MousePos.x - min.x) / w, 0.0f, 1.0f);
    std::string tip = fill_placeholders(
        t.tr("controls.timeline_help"),
        {{"time", sim::format_clock(static_cast<Micros>(f * static_cast<double>(end)))}});
    ImGui::SetTooltip("%s", tip.c_str());
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ctx.projector ? 2.0f : 1.0f;
  const float y0 = min.y + h * 0.3f, y1 = min.y + h * 0.8f;
  dl->AddRectFilled(ImVec2(min.x, y0), ImVec2(min.x + w, y1), col(pal.wall), 4);
  // What this timeline has already reached (the horizon), and where we are now.
  dl->AddRectFilled(ImVec2(min.x, y0), ImVec2(x_of(bench_.horizon()), y1),
                    col(pal.ticket[1], 0.45f), 4);
  dl->AddRectFilled(ImVec2(min.x, y0), ImVec2(x_of(bench_.now()), y1), col(pal.ticket[4], 0.9f), 4);
  // The scenario's own events: small ticks above the bar.
  for (const sim::TimelineEvent& e : bench_.scenario().timeline) {
    const float x = x_of(e.at);
    dl->AddLine(ImVec2(x, min.y), ImVec2(x, y0), col(pal.soft_ink), line);
    if (e.pause) dl->AddCircleFilled(ImVec2(x, min.y + 2), 3.0f * line, col(pal.soft_ink));
  }
  // The teacher's clicks: diamonds on the bar.
  for (const Recorded& r : bench_.recorded()) {
    const float x = x_of(r.injection.at), cy = (y0 + y1) / 2, d = 4.5f * line;
    dl->AddQuadFilled(ImVec2(x, cy - d), ImVec2(x + d, cy), ImVec2(x, cy + d), ImVec2(x - d, cy),
                      col(pal.badge));
  }
  // Forks: where a new future began.
  for (Micros f : bench_.forks()) {
    const float x = x_of(f);
    dl->AddLine(ImVec2(x, min.y), ImVec2(x, min.y + h), col(pal.ticket[7]), 2.5f * line);
    dl->AddTriangleFilled(ImVec2(x, min.y), ImVec2(x + 7, min.y), ImVec2(x, min.y + 7),
                          col(pal.ticket[7]));
  }
  // The playhead.
  const float xn = x_of(bench_.now());
  dl->AddRectFilled(ImVec2(xn - 3, min.y), ImVec2(xn + 3, min.y + h), col(pal.ink), 2);
  if (!bench_.forks().empty()) {
    ctx.anchors.set("controls.timeline.fork", Rect{x_of(bench_.forks().back()) - 3, min.y, 6, h});
  }
}

void ControlsView::draw_live(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const ScenePalette& pal = scene_palette(ctx.projector);
  const std::string banner = fill_placeholders(
      t.tr("live.banner"),
      {{"address", bench_.listen_bind()}, {"port", std::to_string(bench_.listen_port())}});
  const std::string clients = fill_placeholders(
      t.tr("live.clients"), {{"count", std::to_string(bench_.connected_clients())}});
  // A red dot, as on a recording camera: this run is live.
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float r = ImGui::GetFontSize() * 0.3f;
  ImGui::GetWindowDrawList()->AddCircleFilled(
      ImVec2(at.x + r, at.y + ImGui::GetTextLineHeight() / 2), r, col(pal.refused));
  ImGui::Dummy(ImVec2(r * 2, ImGui::GetTextLineHeight()));
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextUnformatted(banner.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("\xC2\xB7 %s", clients.c_str());
  ImGui::EndGroup();
  ctx.anchors.set_last_item("controls.live");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(t.tr("live.help"));
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void ControlsView::drawContent(ViewContext& ctx) {
  draw_transport(ctx);
  draw_failures(ctx);
  if (bench_.b() != nullptr) {
    ImGui::SameLine();
    ImGui::TextColored(rgba(palette().ab_mark), "A/B");
  }
  // A live run has no timeline to drag: the banner takes its place and says why.
  if (bench_.live()) {
    draw_live(ctx);
  } else {
    draw_timeline(ctx);
  }
}

}  // namespace wmq::gui
