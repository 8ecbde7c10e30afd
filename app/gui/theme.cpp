#include "gui/theme.h"

#include <imgui.h>

#include <cstdio>

namespace wmq::gui {
namespace {

constexpr Palette kPalette{
    .backdrop = {239, 227, 204},  // sand-washed wall
    .window = {255, 250, 241},    // rice paper
    .ink = {59, 42, 31},          // kecap manis brown
    .accent = {181, 69, 44},      // chili
};

ImVec4 rgb(int r, int g, int b, float a = 1.0f) {
  return ImVec4(static_cast<float>(r) / 255.0f, static_cast<float>(g) / 255.0f,
                static_cast<float>(b) / 255.0f, a);
}
ImVec4 rgb(const Rgb& c, float a = 1.0f) {
  return rgb(c.r, c.g, c.b, a);
}

std::string hex(const Rgb& c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

}  // namespace

const Palette& palette() {
  return kPalette;
}

void apply_theme(ImGuiStyle& style) {
  // Start from ImGui's light theme so colours we do not name stay legible.
  ImGui::StyleColorsLight(&style);

  style.WindowRounding = 8.0f;
  style.ChildRounding = 6.0f;
  style.FrameRounding = 5.0f;
  style.PopupRounding = 6.0f;
  style.GrabRounding = 5.0f;
  style.ScrollbarRounding = 6.0f;
  style.TabRounding = 5.0f;
  style.WindowBorderSize = 1.0f;
  style.PopupBorderSize = 1.0f;
  style.FrameBorderSize = 0.0f;
  style.WindowPadding = ImVec2(14.0f, 12.0f);
  style.FramePadding = ImVec2(10.0f, 5.0f);
  style.ItemSpacing = ImVec2(10.0f, 7.0f);
  style.ItemInnerSpacing = ImVec2(7.0f, 5.0f);
  style.CellPadding = ImVec2(8.0f, 5.0f);
  style.WindowTitleAlign = ImVec2(0.02f, 0.5f);
  style.ScrollbarSize = 14.0f;

  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = rgb(kPalette.ink);
  c[ImGuiCol_TextDisabled] = rgb(156, 138, 120);
  c[ImGuiCol_WindowBg] = rgb(kPalette.window);
  c[ImGuiCol_ChildBg] = rgb(0, 0, 0, 0.0f);
  c[ImGuiCol_PopupBg] = rgb(255, 251, 244);
  c[ImGuiCol_Border] = rgb(216, 195, 160);
  c[ImGuiCol_BorderShadow] = rgb(0, 0, 0, 0.0f);
  c[ImGuiCol_FrameBg] = rgb(247, 235, 214);
  c[ImGuiCol_FrameBgHovered] = rgb(242, 221, 186);
  c[ImGuiCol_FrameBgActive] = rgb(235, 207, 159);
  c[ImGuiCol_TitleBg] = rgb(243, 227, 195);
  c[ImGuiCol_TitleBgActive] = rgb(237, 196, 118);  // turmeric
  c[ImGuiCol_TitleBgCollapsed] = rgb(243, 227, 195, 0.8f);
  c[ImGuiCol_MenuBarBg] = rgb(246, 231, 203);
  c[ImGuiCol_ScrollbarBg] = rgb(246, 236, 218);
  c[ImGuiCol_ScrollbarGrab] = rgb(220, 196, 156);
  c[ImGuiCol_ScrollbarGrabHovered] = rgb(206, 176, 128);
  c[ImGuiCol_ScrollbarGrabActive] = rgb(190, 156, 104);
  c[ImGuiCol_CheckMark] = rgb(kPalette.accent);
  c[ImGuiCol_SliderGrab] = rgb(200, 85, 61);
  c[ImGuiCol_SliderGrabActive] = rgb(kPalette.accent);
  c[ImGuiCol_Button] = rgb(240, 201, 135);
  c[ImGuiCol_ButtonHovered] = rgb(232, 174, 85);
  c[ImGuiCol_ButtonActive] = rgb(217, 146, 46);
  c[ImGuiCol_Header] = rgb(240, 212, 160);
  c[ImGuiCol_HeaderHovered] = rgb(237, 199, 133);
  c[ImGuiCol_HeaderActive] = rgb(228, 176, 96);
  c[ImGuiCol_Separator] = rgb(220, 199, 164);
  c[ImGuiCol_SeparatorHovered] = rgb(200, 85, 61, 0.7f);
  c[ImGuiCol_SeparatorActive] = rgb(kPalette.accent);
  c[ImGuiCol_ResizeGrip] = rgb(216, 195, 160, 0.5f);
  c[ImGuiCol_ResizeGripHovered] = rgb(232, 174, 85, 0.8f);
  c[ImGuiCol_ResizeGripActive] = rgb(217, 146, 46);
  c[ImGuiCol_Tab] = rgb(243, 227, 195);
  c[ImGuiCol_TabHovered] = rgb(237, 199, 133);
  c[ImGuiCol_TabActive] = rgb(237, 196, 118);
  c[ImGuiCol_TabUnfocused] = rgb(246, 236, 218);
  c[ImGuiCol_TabUnfocusedActive] = rgb(240, 212, 160);
  c[ImGuiCol_PlotLines] = rgb(200, 85, 61);
  c[ImGuiCol_PlotLinesHovered] = rgb(kPalette.accent);
  c[ImGuiCol_PlotHistogram] = rgb(106, 153, 78);  // banana leaf
  c[ImGuiCol_PlotHistogramHovered] = rgb(84, 130, 60);
  c[ImGuiCol_TableHeaderBg] = rgb(243, 227, 195);
  c[ImGuiCol_TableBorderStrong] = rgb(216, 195, 160);
  c[ImGuiCol_TableBorderLight] = rgb(232, 217, 190);
  c[ImGuiCol_TableRowBg] = rgb(0, 0, 0, 0.0f);
  c[ImGuiCol_TableRowBgAlt] = rgb(246, 236, 218, 0.6f);
  c[ImGuiCol_TextSelectedBg] = rgb(237, 199, 133, 0.5f);
  c[ImGuiCol_DragDropTarget] = rgb(kPalette.accent);
  c[ImGuiCol_NavHighlight] = rgb(200, 85, 61);
  c[ImGuiCol_NavWindowingHighlight] = rgb(255, 255, 255, 0.7f);
  c[ImGuiCol_NavWindowingDimBg] = rgb(59, 42, 31, 0.2f);
  c[ImGuiCol_ModalWindowDimBg] = rgb(59, 42, 31, 0.35f);
}

nlohmann::json palette_json() {
  return {{"backdrop", hex(kPalette.backdrop)},
          {"window", hex(kPalette.window)},
          {"ink", hex(kPalette.ink)},
          {"accent", hex(kPalette.accent)}};
}

}  // namespace wmq::gui
