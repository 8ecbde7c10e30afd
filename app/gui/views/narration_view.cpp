#include "gui/views/narration_view.h"

#include <imgui.h>

#include <string>

#include "gui/widgets.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

std::string replace(std::string text, const std::string& name, const std::string& value) {
  const size_t at = text.find("{" + name + "}");
  if (at != std::string::npos) text.replace(at, name.size() + 2, value);
  return text;
}

// "This run did not show: an order redelivered (seed 7)", or "" when every expectation held.
std::string missed_points(const I18n& t, const sim::Simulation& sim) {
  std::string points;
  for (const sim::ExpectationResult& e : sim.report().expectations) {
    if (e.ok) continue;
    const std::string point = t.tr("narration.points." + sim::expectation_point(e.name));
    if (points.find(point) != std::string::npos) continue;  // two checks of one point
    points += (points.empty() ? "" : "; ") + point;
  }
  if (points.empty()) return "";
  return replace(replace(t.tr("narration.missed"), "points", points), "seed",
                 std::to_string(sim.seed()));
}

}  // namespace

NarrationView::NarrationView(const Workbench& bench, Actions& actions)
    : View("narration", "narration.title"), bench_(bench), actions_(actions) {}

void NarrationView::drawContent(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const sim::Scenario& sc = bench_.scenario();
  const sim::Simulation& sim = bench_.a().sim();

  ImGui::PushFont(ctx.fonts.heading);
  const std::string& title = pick(t, sc.title);
  ImGui::TextWrapped("%s", title.empty() ? sc.name.c_str() : title.c_str());
  ImGui::PopFont();
  ctx.anchors.set_last_item("narration.title");

  if (bench_.at_pause_point() || bench_.reached_end()) {
    // The scenario stopped on purpose: say so where the eye is.
    const char* key = bench_.at_pause_point() ? "narration.paused" : "narration.ended";
    ImGui::PushStyleColor(ImGuiCol_Button, rgba(palette().go_on));
    if (ImGui::Button(t.tr(key))) actions_.play();
    ImGui::PopStyleColor();
    ctx.anchors.set_last_item("narration.continue");
  }

  const sim::TimelineEvent* said = sim.narration();
  const float line_top = ImGui::GetCursorPosY();
  std::string shown;
  ImGui::PushTextWrapPos(0.0f);
  if (said != nullptr) {
    ImGui::TextDisabled("%s", sim::format_clock(said->at).c_str());
    ImGui::SameLine();
    ImGui::TextUnformatted(pick(t, said->say).c_str());
    ctx.anchors.set_last_item("narration.text");
    shown = sim::format_clock(said->at) + pick(t, said->say);
  } else if (!pick(t, sc.about).empty()) {
    ImGui::TextUnformatted(pick(t, sc.about).c_str());
    ctx.anchors.set_last_item("narration.text");
    shown = pick(t, sc.about);
  }
  if (bench_.reached_end()) {
    // A run that missed its point says so, whatever made it miss (a seed, a click).
    const std::string missed = missed_points(t, sim);
    if (!missed.empty()) {
      ImGui::Spacing();
      ImGui::TextColored(ImVec4(0.85f, 0.25f, 0.2f, 1.0f), "%s", missed.c_str());
      ctx.anchors.set_last_item("narration.missed");
      shown += missed;
    }
  }
  if (bench_.reached_end() && !pick(t, sc.question).empty()) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", t.tr("narration.question"));
    ImGui::TextUnformatted(pick(t, sc.question).c_str());
    shown += pick(t, sc.question);
  }
  ImGui::PopTextWrapPos();
  follow(shown, line_top);
}

void NarrationView::follow(const std::string& shown, float line_top) {
  if (shown != ui_.followed) {
    ui_.followed = shown;
    ui_.pending = true;
  }
  if (!ui_.pending) return;
  // Checked over frames, not once: the panel's size settles a frame or two after a seek,
  // and a scroll takes effect on the next frame. Once the line is in view the reader may
  // scroll freely again.
  // `line_top` is from the window's top, title bar included, while a scroll offset counts from
  // the top of the content: the content region's start (title bar and padding) is the
  // difference. Scrolling by line_top alone hid the paragraph's first lines under the title.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight() - style.WindowPadding.y;
  // (GetWindowContentRegionMin is that start moved by the current scroll.)
  const float content_top = ImGui::GetWindowContentRegionMin().y + ImGui::GetScrollY();
  const float target = line_top - content_top;
  if (ImGui::GetItemRectMax().y <= bottom + 0.5f || ImGui::GetScrollY() >= target - 0.5f) {
    ui_.pending = false;  // wholly in view, or taller than the panel and begun at its top
    return;
  }
  ImGui::SetScrollY(target);
}

}  // namespace wmq::gui
