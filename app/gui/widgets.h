// Small drawing helpers shared by views. They draw; they never change state.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include <imgui.h>

#include "gui/theme.h"

namespace wmq::gui {

// The panels' tables: rows told apart by a line and a tint, columns sized by their content's
// share, nothing saved to imgui.ini.
inline constexpr ImGuiTableFlags kPanelTable =
    ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp |
    ImGuiTableFlags_NoSavedSettings;

// A palette colour as ImGui's opaque RGBA.
ImVec4 rgba(const Rgb& c);

// A palette colour as a draw-list colour, `alpha` (clamped to 0..1) its opacity.
ImU32 col(const Rgb& c, float alpha = 1.0f);

// Puts the next item on the current row when a button labelled `label` (the text before any
// "##") still fits the window's width there, else leaves it to start a new row: a row of buttons
// wraps instead of running out of the window (projector mode's large fonts, a long translation).
void same_line_if_fits(const char* label);

// A greyed "(?)" on the same line as the previous item; hovering shows `text`, wrapped. Used to
// explain the restaurant analogy next to a broker term.
void help_marker(const char* text);

// `text` centred horizontally in the current window's content region.
void text_centered(const char* text);

}  // namespace wmq::gui
