// The drawing helpers of widgets.h, in a headless frame.
#include <doctest.h>

#include <imgui.h>

#include "gui/widgets.h"
#include "headless.h"

using namespace wmq;
using namespace wmq::gui;

TEST_CASE("a palette colour becomes a draw-list colour with its opacity clamped") {
  CHECK(col(Rgb{10, 20, 30}) == IM_COL32(10, 20, 30, 255));
  CHECK(col(Rgb{10, 20, 30}, 0.45f) == IM_COL32(10, 20, 30, 114));
  CHECK(col(Rgb{10, 20, 30}, 2.0f) == IM_COL32(10, 20, 30, 255));
  CHECK(col(Rgb{10, 20, 30}, -1.0f) == IM_COL32(10, 20, 30, 0));
}

TEST_CASE("a row of buttons goes on while the next fits the window and wraps when it does not") {
  test::HeadlessShell h;
  float one = 0, two = 0, hidden = 0, wide = 0;
  h.frame([&] {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(320, 200));
    ImGui::Begin("row");
    ImGui::Button("one");
    one = ImGui::GetItemRectMin().y;
    same_line_if_fits("two");
    ImGui::Button("two");
    two = ImGui::GetItemRectMin().y;
    // Only the text before "##" is drawn, so only it is measured.
    const char* id = "ok##an id far longer than what is left of the row, never drawn";
    same_line_if_fits(id);
    ImGui::Button(id);
    hidden = ImGui::GetItemRectMin().y;
    same_line_if_fits("a label as wide as the window");
    ImGui::Button("a label as wide as the window");
    wide = ImGui::GetItemRectMin().y;
    ImGui::End();
  });
  CHECK(two == one);
  CHECK(hidden == one);
  CHECK(wide > one);
}
