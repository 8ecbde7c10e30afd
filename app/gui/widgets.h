// Small drawing helpers shared by views. They draw; they never change state.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

namespace wmq::gui {

// A greyed "(?)" on the same line as the previous item; hovering shows `text`, wrapped. Used to
// explain the restaurant analogy next to a broker term.
void help_marker(const char* text);

// `text` centred horizontally in the current window's content region.
void text_centered(const char* text);

}  // namespace wmq::gui
