#include "gui/theme.h"

#include <imgui.h>

#include <cstdio>

#include "gui/fonts.h"
#include "gui/model/tickets.h"
#include "sim/restaurant.h"

namespace wmq::gui {
namespace {

constexpr Palette kPalette{
    // The backdrop is the windows' own paper: tiled windows are drawn without a background over
    // the GL clear, which costs a software renderer nothing per pixel (see View::set_bare).
    .backdrop = {255, 250, 241},  // the GL clear
    .window = {255, 250, 241},    // rice paper
    .ink = {59, 42, 31},          // kecap manis brown
    .accent = {181, 69, 44},      // chili
    .up = {89, 153, 64},          // banana leaf
    .down = {204, 51, 38},        // chili, brighter
    .unwell = {204, 64, 38},      // chili, a little orange
    .error = {191, 51, 38},       // chili, darker
    .ab_mark = {199, 41, 41},     // sambal
    .go_on = {237, 135, 56},      // the orange of a redelivered ticket
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

void apply_theme(ImGuiStyle& style, bool projector, float scale) {
  // Start from ImGui's light theme so colours we do not name stay legible.
  style = ImGuiStyle();
  ImGui::StyleColorsLight(&style);

  // Tiled windows meet edge to edge, so their corners are square: a rounded border is a ring of
  // thin anti-aliased triangles, and on Mesa's software renderer every triangle costs setup and
  // binning whatever its size. Buttons and popups keep their rounding.
  style.WindowRounding = 0.0f;
  style.ChildRounding = 0.0f;
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
  // The font atlas is sampled nearest-neighbour (app.cpp), so thick lines are drawn as geometry
  // rather than from the atlas's pre-filtered line texels.
  style.AntiAliasedLinesUseTex = false;
  // Circles and rounded corners within 0.75 px of true (ImGui's default is 0.3): with the
  // anti-aliased edge the difference does not show, and it takes a sixth of the triangles off
  // a frame of the warung.
  style.CircleTessellationMaxError = 0.75f;

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

  if (projector) {
    // High contrast from the back of a room: near-black ink on white, borders that show.
    c[ImGuiCol_Text] = rgb(20, 12, 6);
    c[ImGuiCol_TextDisabled] = rgb(96, 78, 60);
    c[ImGuiCol_WindowBg] = rgb(255, 255, 255);
    c[ImGuiCol_Border] = rgb(120, 88, 50);
    c[ImGuiCol_Separator] = rgb(150, 118, 80);
    c[ImGuiCol_FrameBg] = rgb(244, 226, 192);
    c[ImGuiCol_Button] = rgb(236, 180, 90);
    c[ImGuiCol_TitleBgActive] = rgb(224, 160, 60);
    c[ImGuiCol_TableBorderStrong] = rgb(150, 118, 80);
    c[ImGuiCol_TableBorderLight] = rgb(190, 160, 120);
    style.ScaleAllSizes(1.3f);
    style.WindowBorderSize = 2.0f;
    style.FrameBorderSize = 1.0f;
    style.PopupBorderSize = 2.0f;
  }
  if (scale != 1.0f) style.ScaleAllSizes(scale);
}

namespace {

constexpr ScenePalette kScene{
    .floor = {246, 236, 216},  // chart and strip faces
    .wall = {236, 220, 190},
    .board = {196, 150, 100},  // cork
    .board_frame = {122, 84, 50},
    .counter = {171, 120, 78},  // teak
    .kitchen = {232, 224, 212},
    .ink = {59, 42, 31},
    .soft_ink = {128, 104, 84},
    .shadow = {90, 60, 30},
    .ticket =
        {
            {250, 243, 226},  // placing: blank paper
            {246, 205, 96},   // ready: turmeric
            {132, 190, 98},   // persisted: banana leaf
            {104, 172, 206},  // unacked: sky
            {238, 136, 56},   // redelivered: orange
            {255, 253, 246},  // at pickup: a white plate
            {200, 210, 186},  // served
            {150, 104, 176},  // dead-lettered: plum
            {166, 160, 152},  // expired: ash
            {204, 62, 48},    // lost: chili
            {120, 44, 36},    // rejected: dark red
        },
    .badge = {200, 40, 40},
    .cook =
        {
            {250, 232, 200},  // idle
            {244, 170, 80},   // cooking
            {150, 206, 238},  // frozen
            {120, 112, 108},  // crashed
            {200, 196, 190},  // offline
            {226, 222, 216},  // removed
        },
    .cashier = {236, 196, 118},
    .cashier_down = {120, 112, 108},
    .customer = {214, 128, 92},
    .receipt = {255, 255, 255},
    .plate = {255, 253, 246},
    .lit = {255, 196, 40},
    .refused = {214, 58, 44},
    .broker_down = {70, 60, 56},
    .spotlight_dim = {24, 16, 10},
    .spotlight_ring = {226, 0, 132},
    .spotlight_dim_alpha = 0.55f,
};

// Projector mode: the same hues, deeper, so they stay apart on a washed-out screen.
constexpr ScenePalette kSceneProjector = [] {
  ScenePalette p = kScene;
  p.ink = {20, 12, 6};
  p.board = {176, 124, 70};
  p.board_frame = {90, 56, 26};
  p.ticket[1] = {240, 186, 40};
  p.ticket[2] = {92, 170, 56};
  p.ticket[3] = {56, 140, 196};
  p.ticket[4] = {230, 110, 20};
  p.ticket[7] = {128, 70, 168};
  p.cook[3] = {80, 72, 68};
  return p;
}();

}  // namespace

const ScenePalette& scene_palette(bool projector) {
  return projector ? kSceneProjector : kScene;
}

nlohmann::json scene_palette_json(bool projector) {
  const ScenePalette& p = scene_palette(projector);
  nlohmann::json j = {{"floor", hex(p.floor)},
                      {"board", hex(p.board)},
                      {"counter", hex(p.counter)},
                      {"kitchen", hex(p.kitchen)},
                      {"badge", hex(p.badge)},
                      {"lit", hex(p.lit)},
                      {"cashier", hex(p.cashier)},
                      {"cashier_down", hex(p.cashier_down)},
                      {"broker_down", hex(p.broker_down)},
                      {"spotlight_ring", hex(p.spotlight_ring)}};
  for (int i = 0; i < kTicketStateCount; ++i) {
    j[std::string("ticket_") + ticket_state_name(static_cast<TicketState>(i))] = hex(p.ticket[i]);
  }
  for (int i = 0; i < 6; ++i) {
    j[std::string("cook_") + sim::cook_state_name(static_cast<sim::CookState>(i))] = hex(p.cook[i]);
  }
  return j;
}

nlohmann::json palette_json() {
  return {{"backdrop", hex(kPalette.backdrop)},
          {"window", hex(kPalette.window)},
          {"ink", hex(kPalette.ink)},
          {"accent", hex(kPalette.accent)}};
}

}  // namespace wmq::gui
