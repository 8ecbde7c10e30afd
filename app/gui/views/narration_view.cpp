#include "gui/views/narration_view.h"

#include <imgui.h>

#include <cmath>
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

  const sim::TimelineEvent* said = sim.narration();
  const std::string& title_text = pick(t, sc.title);
  const char* title = title_text.empty() ? sc.name.c_str() : title_text.c_str();
  const bool stopped = bench_.at_pause_point() || bench_.reached_end();
  if (!paragraph_crowded(ctx, title, stopped, said)) {
    ImGui::PushFont(ctx.fonts.heading);
    ImGui::TextWrapped("%s", title);
    ImGui::PopFont();
    ctx.anchors.set_last_item("narration.title");
  }

  if (stopped) {
    // The scenario stopped on purpose: say so where the eye is.
    const char* key = bench_.at_pause_point() ? "narration.paused" : "narration.ended";
    ImGui::PushStyleColor(ImGuiCol_Button, rgba(palette().go_on));
    if (ImGui::Button(t.tr(key))) actions_.play();
    ImGui::PopStyleColor();
    ctx.anchors.set_last_item("narration.continue");
  }

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

bool NarrationView::paragraph_crowded(const ViewContext& ctx, const char* title, bool stopped,
                                      const sim::TimelineEvent* said) const {
  if (said == nullptr) return false;
  const I18n& t = ctx.i18n;
  const ImGuiStyle& style = ImGui::GetStyle();
  // What the panel shows without scrolling: its height under the title bar, less padding.
  const float room = ImGui::GetWindowContentRegionMax().y - ImGui::GetWindowContentRegionMin().y;
  const float width = ImGui::GetContentRegionAvail().x;
  ImGui::PushFont(ctx.fonts.heading);
  const float title_h = ImGui::CalcTextSize(title, nullptr, false, width).y + style.ItemSpacing.y;
  ImGui::PopFont();
  const float button_h = stopped ? ImGui::GetFrameHeightWithSpacing() : 0.0f;
  // The paragraph wraps beside its clock, as drawn below.
  const std::string clock = sim::format_clock(said->at);
  const float beside = width - ImGui::CalcTextSize(clock.c_str()).x - style.ItemSpacing.x;
  const float text_h = ImGui::CalcTextSize(pick(t, said->say).c_str(), nullptr, false, beside).y;
  return title_h + button_h + text_h > room;
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
  const float scroll = ImGui::GetScrollY();
  // Wholly in view (its first line not scrolled above the top, its last not below the edge),
  // or taller than the panel and begun at its top. A reader's scroll down an earlier
  // paragraph does not count as begun: the new one is brought back to its first line.
  const bool in_view = scroll <= target + 0.5f && ImGui::GetItemRectMax().y <= bottom + 0.5f;
  if (in_view || std::abs(scroll - target) < 0.5f) {
    ui_.pending = false;
    return;
  }
  ImGui::SetScrollY(target);
}

}  // namespace wmq::gui
