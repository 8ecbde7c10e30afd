// The warung look: a light, warm theme (rice paper, turmeric, chili, kecap brown).
//
// Thread-safety: none; call on the GUI thread with a current ImGui context.
#pragma once

#include <nlohmann/json.hpp>

struct ImGuiStyle;

namespace wmq::gui {

// An sRGB colour, 0-255 per channel.
struct Rgb {
  int r = 0, g = 0, b = 0;
};

// The named colours other parts need to know about: the backdrop behind every window (the GL
// clear colour), window paper, and text ink. The screenshot probe reads them from --state-out.
struct Palette {
  Rgb backdrop;  // glClearColor; what a blank frame is entirely made of
  Rgb window;    // window background
  Rgb ink;       // body text
  Rgb accent;    // chili red, for marks that must stand out
};

// The palette the theme is built from.
const Palette& palette();

// Sets every colour and the rounding/spacing of `style` to the warung theme.
void apply_theme(ImGuiStyle& style);

// {"backdrop": "#rrggbb", "window": ..., "ink": ..., "accent": ...}
nlohmann::json palette_json();

}  // namespace wmq::gui
