// SceneLayout: where each place of the warung is, in world units — the
// cashiers' desks, the order board's rows and their ticket slots, the trouble
// shelf's trays, the kitchen's stations with each cook and the slots of the
// cook's prefetch window, the pickup counter, the legend — and where the world
// lands in a rectangle of the screen.
//
// The world is kWorldWidth x kWorldHeight units with (0, 0) at the top left;
// the painter (scene_painter.h) draws into these places and nothing here
// knows about pixels other than the rectangle the scene is fitted into. The
// sizes that decide how much fits (a ticket, the type, the pipeline strip)
// are inputs, SceneSizes, so a larger scene for the back of a classroom is a
// different SceneSizes, not different code.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstddef>

#include "gui/model/glides.h"

namespace wmq::gui {

inline constexpr float kWorldWidth = 1000.0f;
inline constexpr float kWorldHeight = 428.0f;

// A rectangle in world units (or, for fit_scene's screen, in pixels).
struct WorldRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float width() const { return x1 - x0; }
  float height() const { return y1 - y0; }
  bool operator==(const WorldRect&) const = default;
};

// The sizes the layout is built from. The defaults are the desktop's.
struct SceneSizes {
  float ticket_w = 28, ticket_h = 36;  // a ticket on the board, world units
  float ticket_gap = 5;                // between two tickets of a board row
  float ticket_line_gap = 6;           // between two lines of tickets in a board row
  // The type, as a multiple of the desktop's: the painter draws every label this much larger,
  // and the board's title bar, its rows' label column and the lines under each cook make room
  // for it, so larger type leaves fewer ticket slots.
  float text = 1.0f;
  float strip = 46;  // the pipeline strip under the scene, screen pixels
  // How much of the desktop's contrast between heading and body sizes the type keeps: a size z
  // is drawn as 11 * (z / 11)^heading (type_size). 1 on a desk; in projector mode every word is
  // already at least the floor, and headings half again as large would not leave room for the
  // words under them.
  float heading = 1.0f;
  // World units a line of text of type size 1 takes (the painter's pixels per unit over the
  // scale): so the layout can leave each line the room the painter will draw it in.
  float line = 1.0f;
  // The world's height: the desktop's kWorldHeight, or more when the scene's rectangle is
  // taller than the world's shape (projector mode): the extra goes to the board's rows and the
  // kitchen's stations, and the shelf, pickup counter and legend move down by it.
  float height = kWorldHeight;
  float stretch() const { return height - kWorldHeight; }
};

// A text size as drawn with these sizes (see SceneSizes::heading), before SceneSizes::text.
float type_size(const SceneSizes& sizes, float size);
// The world units a line of text of `size` takes, with a little margin for the painter's snap
// to the nearest loaded font.
float line_units(const SceneSizes& sizes, float size);

// The sizes for type whose smallest words must be `min_text` world units tall (a projector's
// 20 px, divided by the pixels per world unit): the type grows from the desktop's smallest
// (11 units) to it, and tickets grow so their numbers fit on them. Never smaller than the
// desktop's.
SceneSizes legible_sizes(float min_text);

// The world's height for a scene drawn into `width` x `height` pixels (the strip excluded) in
// projector mode: as tall as the rectangle's shape allows, between kWorldHeight and 1.5 times
// it, so the larger type has the room the letterbox would otherwise leave empty.
float legible_height(float width, float height);

// ---- Fitting the world into the screen ----------------------------------------------------

// Where world (0, 0) lands on screen and how many pixels a world unit is.
struct SceneFit {
  WorldPoint origin;
  float scale = 1;
};

// The world fitted, whole and centred, into `screen` (pixels) above a pipeline strip `strip`
// pixels high, then zoomed by `zoom` and moved by `pan` world units.
SceneFit fit_scene(const WorldRect& screen, float strip, float zoom, WorldPoint pan,
                   float world_h = kWorldHeight);

// The pipeline strip's height in pixels: larger in projector mode, slimmer in half of the split
// view.
float strip_height(const SceneSizes& sizes, bool projector, bool compact);

// ---- Cashiers ------------------------------------------------------------------------------

// Cashier desks drawn one by one; a busier warung shows the first ones and counts the rest.
inline constexpr size_t kMaxDesks = 6;
// Customers drawn in a cashier's line before "+N".
inline constexpr size_t kMaxLine = 4;

// How many of `cashiers` desks are drawn (the rest are counted in the row after them).
size_t desks_drawn(size_t cashiers);
// Cashier i's desk among `cashiers`; cashiers folded into the count share the row after the
// drawn ones (its top left is where "+N" is written).
WorldRect cashier_desk(size_t i, size_t cashiers, const SceneSizes& sizes = {});
// Where the order a cashier is placing waits: at the desk's edge, in a cook-sized hand.
WorldPoint desk_ticket(const WorldRect& desk);

// ---- The order board -----------------------------------------------------------------------

// The order board's frame (the trouble shelf is below it) and its title bar's height.
WorldRect board_frame(const SceneSizes& sizes = {});
float board_title_height(const SceneSizes& sizes);

// The rows of the board, one per station, and the ticket slots each has.
struct BoardRows {
  float row_h = 0;                 // one row's height
  float label_w = 0;               // the label column (station, kind, waiting) left of the slots
  size_t per_line = 0, lines = 0;  // ticket slots across and down
  size_t capacity() const { return per_line * lines; }
};
BoardRows board_rows(size_t stations, const SceneSizes& sizes);

// Station `station`'s row (of `stations`), frame sides excluded.
WorldRect board_row(size_t station, size_t stations, const SceneSizes& sizes);
// Slot `slot` of a station's row: the top left of the ticket drawn there (slots fill a line,
// then the next).
WorldPoint board_slot(size_t station, size_t stations, size_t slot, const SceneSizes& sizes);
// Where a station's row starts, for a ticket leaving it for a cook's hands to glide from.
WorldPoint board_row_origin(size_t station, size_t stations, const SceneSizes& sizes);

// ---- The trouble shelf ---------------------------------------------------------------------

inline constexpr size_t kShelfTrays = 3;     // dead letters, expired, lost
inline constexpr float kShelfScale = 0.75f;  // tickets on the shelf are smaller

// Tray i of the shelf under the board.
WorldRect shelf_tray(size_t i, const SceneSizes& sizes = {});
// The j-th newest ticket shown on tray i.
WorldPoint shelf_slot(size_t i, size_t j, const SceneSizes& sizes = {});

// ---- The kitchen ---------------------------------------------------------------------------

inline constexpr float kHandScale = 0.78f;  // tickets in a cook's hands are a little smaller

// Station `station`'s part of the kitchen (of `stations`).
WorldRect kitchen_station(size_t station, size_t stations, const SceneSizes& sizes = {});
// The height of a station's header tile.
float station_header(const SceneSizes& sizes);

// One cook at a station: where the cook stands and the slots of their prefetch window.
struct CookPlace {
  WorldRect column;   // the cook's share of the station, below its header (clickable)
  WorldPoint centre;  // the cook's body
  float hand = 1;     // their tickets' scale
  float ticket_w = 0, ticket_h = 0;
  size_t per_line = 1;     // window slots across
  size_t capacity = 1;     // window slots that fit the station (the rest fold)
  size_t drawn = 0;        // window slots drawn: the window's, up to the capacity
  bool beside = false;     // the window is beside the cook's body, not under their lines
  float name_y = 0;        // the top of the cook's name
  bool state_line = true;  // the cook's state is written under their name (room allowing)
  WorldRect window;        // around the drawn slots
  WorldPoint first;        // slot 0's top left; a direct-mode order is held there, centred
  float row_w = 0;         // the drawn slots' first line, end to end
  // Slot j's top left: slots fill a line, then the next.
  WorldPoint slot(size_t j) const;
};
// Cook i of `cooks` at `station`, whose window has `slots` slots (its prefetch, or what it holds
// when that is more or the prefetch is unlimited).
CookPlace cook_place(const WorldRect& station, size_t i, size_t cooks, size_t slots,
                     const SceneSizes& sizes);

// ---- The pickup counter and the legend -----------------------------------------------------

inline constexpr size_t kMaxPlates = 9;  // plates drawn on the counter before "+N"

// The pickup corner: its heading on top, the counter under it (what a click selects).
WorldRect pickup_area(const SceneSizes& sizes = {});
// The counter the plates stand on.
WorldRect pickup_counter(const SceneSizes& sizes = {});

// The legend under the scene: one colour swatch per ticket state shown, left to right.
inline constexpr size_t kLegendEntries = 8;
WorldRect legend_swatch(size_t i, const SceneSizes& sizes = {});
// How wide an entry's words may be, world units.
float legend_room(const SceneSizes& sizes = {});

}  // namespace wmq::gui
