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
  Rgb backdrop;  // glClearColor; what a blank frame is entirely made of; the window paper too
  Rgb window;    // window background
  Rgb ink;       // body text
  Rgb accent;    // chili red, for marks that must stand out
  // Words and marks in a status colour (ImGui text, so no projector variant):
  Rgb up;       // the broker is running
  Rgb down;     // the broker is down
  Rgb unwell;   // a session the broker suspects or has declared dead
  Rgb error;    // a scenario file that does not load
  Rgb ab_mark;  // "A/B" in the toolbar: two futures are on screen
  Rgb go_on;    // the button that plays on from a pause point or the end
};

// The palette the theme is built from.
const Palette& palette();

// Sets every colour and the rounding/spacing of `style` to the warung theme. Projector mode:
// darker ink, whiter paper, stronger borders and everything kProjectorScale times larger, for
// the back of a classroom.
// `scale`: the UI's pixel ratio (platform::pixel_ratio()), which every size is multiplied by.
void apply_theme(ImGuiStyle& style, bool projector = false, float scale = 1.0f);

// {"backdrop": "#rrggbb", "window": ..., "ink": ..., "accent": ...}
nlohmann::json palette_json();

// The scene's colours: tickets by state, cooks by state, the board and the counters. The GUI
// tests find them in the --state-out report ("scene_palette") and count them in screenshots.
struct ScenePalette {
  Rgb floor, wall, board, board_frame, counter, kitchen, ink, soft_ink, shadow;
  // Tickets, by TicketState (model/tickets.h), in its order.
  Rgb ticket[11];
  Rgb badge;  // the xN redelivery badge
  // Cooks, by sim::CookState, in its order (idle, cooking, frozen, crashed, offline, removed).
  Rgb cook[6];
  Rgb cashier, cashier_down, customer, receipt, plate, lit, refused, broker_down;
  // The spotlight on what the story is about: the rest of the scene under a veil of
  // spotlight_dim at spotlight_dim_alpha, a ring of spotlight_ring (a hue the scene has nowhere
  // else) around each thing in focus.
  Rgb spotlight_dim, spotlight_ring;
  float spotlight_dim_alpha = 0.5f;
};

// The scene palette; projector mode has stronger contrast.
const ScenePalette& scene_palette(bool projector = false);

// {"ticket_ready": "#rrggbb", ..., "cook_crashed": ..., "board": ...}: names end in the
// TicketState and CookState names.
nlohmann::json scene_palette_json(bool projector = false);

}  // namespace wmq::gui
