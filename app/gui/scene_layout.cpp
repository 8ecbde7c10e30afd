#include "gui/scene_layout.h"

#include <algorithm>
#include <cmath>

namespace wmq::gui {

namespace {

// The fixed frame of the warung, world units: cashiers on the left, the board in the middle with
// the trouble shelf under it, the kitchen on the right, the pickup counter bottom left, the
// legend along the bottom.
constexpr float kCashierX0 = 130, kCashierX1 = 232;
constexpr float kBoardX0 = 268, kBoardX1 = 652, kBoardY0 = 4, kBoardY1 = 322;
constexpr float kShelfY0 = 328, kShelfY1 = 394;
constexpr float kKitchenX0 = 664, kKitchenX1 = 996;
constexpr float kPickupY0 = 330;
constexpr float kLegendY = 404;

// What the type takes at the desktop's size (SceneSizes::text = 1).
constexpr float kBoardTitle = 26;  // the board's title bar
constexpr float kRowLabelW = 82;   // a board row's label column
constexpr float kCookLines = 44;   // a cook's name and state, between their body and the window

// The gap between two slots of a cook's window.
constexpr float kHandGap = 3;

// Larger type than the desktop's: the parts make room for their lines (projector mode).
bool legible(const SceneSizes& z) {
  return z.text > 1.0f;
}

// The legend's rows and how many entries each holds: one row of all of them on a desk, two
// rows for the larger type.
size_t legend_rows(const SceneSizes& z) {
  return legible(z) ? 2 : 1;
}
float legend_row_h(const SceneSizes& z) {
  return legible(z) ? line_units(z, 13) + 4 : 24;
}
float legend_top(const SceneSizes& z) {
  if (!legible(z)) return kLegendY + z.stretch();
  return z.height - 2 - static_cast<float>(legend_rows(z)) * legend_row_h(z);
}
// The bottom of the trouble shelf, and its height: a desk's 66 units, or room for its heading
// and a line of tickets in the larger type.
float shelf_h(const SceneSizes& z) {
  if (!legible(z)) return kShelfY1 - kShelfY0;
  return line_units(z, 13) + 4 + z.ticket_h * kShelfScale + 6;
}
float shelf_y1(const SceneSizes& z) {
  return legible(z) ? legend_top(z) - 8 : kShelfY1 + z.stretch();
}
float board_y1(const SceneSizes& z) {
  return legible(z) ? shelf_y1(z) - shelf_h(z) - 6 : kBoardY1 + z.stretch();
}
float cashiers_bottom(const SceneSizes& z) {
  return legible(z) ? pickup_area(z).y0 - 4 : 24 + 296 + z.stretch();
}
// A cashier's desk: its height (name and state) and the room a receipt rises into above it.
float desk_h(const SceneSizes& z) {
  return legible(z) ? line_units(z, 13.5f) + line_units(z, 11.5f) + 8 : 52;
}
float receipt_room(const SceneSizes& z) {
  return legible(z) ? line_units(z, 10.5f) + 14 : 12;
}

float cashier_row(size_t n, const SceneSizes& z) {
  const size_t rows = n <= kMaxDesks ? n : kMaxDesks;
  const float cap = legible(z) ? desk_h(z) + receipt_room(z) : 100.0f;
  return std::min(cap, (cashiers_bottom(z) - 24) / static_cast<float>(std::max<size_t>(rows, 1)));
}

// A count of whole things that fit: 0 when even one does not (never a negative cast).
size_t fit(float room, float each) {
  return room <= 0 ? 0 : static_cast<size_t>(room / each);
}

}  // namespace

SceneSizes legible_sizes(float min_text) {
  SceneSizes z;
  z.text = std::max(1.0f, min_text / 11.0f);
  // A three-digit number is about two of its heights wide; the paper keeps two units of margin.
  const float k = std::max(1.0f, (2.0f * min_text + 4.0f) / z.ticket_w);
  z.ticket_w *= k;
  z.ticket_h *= k;
  z.ticket_gap *= k;
  z.ticket_line_gap *= k;
  if (z.text > 1.0f) {
    // Every word at least the floor: headings need not be half again as large as it.
    z.heading = 0.5f;
    // The painter draws projector type 1.15 times its size (scene_painter.cpp).
    z.line = z.text * 1.15f;
  }
  return z;
}

float type_size(const SceneSizes& sizes, float size) {
  if (sizes.heading == 1.0f) return size;
  return 11.0f * std::pow(size / 11.0f, sizes.heading);
}

float line_units(const SceneSizes& sizes, float size) {
  // The larger type never draws under its floor, the size 11 (legible_sizes).
  if (legible(sizes)) size = std::max(size, 11.0f);
  return type_size(sizes, size) * sizes.line * 1.08f;
}

float legible_height(float width, float height) {
  if (width <= 0 || height <= 0) return kWorldHeight;
  return std::clamp(height * kWorldWidth / width, kWorldHeight, 1.5f * kWorldHeight);
}

SceneFit fit_scene(const WorldRect& screen, float strip, float zoom, WorldPoint pan,
                   float world_h) {
  const float w = screen.width();
  const float h = std::max(1.0f, screen.height() - strip - 4);
  const float base = std::min(w / kWorldWidth, h / world_h);
  const float s = base * zoom;
  return SceneFit{WorldPoint{screen.x0 + (w - kWorldWidth * s) / 2 - pan.x * s,
                             screen.y0 + (h - world_h * s) / 2 - pan.y * s},
                  s};
}

float strip_height(const SceneSizes& sizes, bool projector, bool compact) {
  return sizes.strip * (projector ? 1.4f : 1.0f) * (compact ? 0.75f : 1.0f);
}

size_t desks_drawn(size_t n) {
  return n <= kMaxDesks ? n : kMaxDesks - 1;
}

WorldRect cashier_desk(size_t i, size_t n, const SceneSizes& sizes) {
  const float row = cashier_row(n, sizes);
  const float y = 24 + row * static_cast<float>(std::min(i, desks_drawn(n)));
  if (!legible(sizes)) {
    const float h = std::min(52.0f, row - 12);
    return WorldRect{kCashierX0, y + 8, kCashierX1, y + 8 + h};
  }
  // The receipt rises into the room above the desk; the desk is wider for the names.
  const float room = receipt_room(sizes);
  const float h = std::min(desk_h(sizes), row - room);
  return WorldRect{kCashierX0 - 70, y + room, kCashierX1, y + room + h};
}

WorldPoint desk_ticket(const WorldRect& desk) {
  return WorldPoint{desk.x1 - 30, desk.y1 - 30};
}

WorldRect board_frame(const SceneSizes& sizes) {
  return WorldRect{kBoardX0, kBoardY0, kBoardX1, board_y1(sizes)};
}

float board_title_height(const SceneSizes& sizes) {
  if (legible(sizes)) return line_units(sizes, 17) + 6;
  return kBoardTitle * sizes.text;
}

BoardRows board_rows(size_t stations, const SceneSizes& sizes) {
  BoardRows b;
  const float title = board_title_height(sizes);
  const float cap = legible(sizes) ? 124.0f * sizes.text : 124.0f;
  b.row_h = std::min(cap, (board_y1(sizes) - kBoardY0 - (title + 8)) /
                              static_cast<float>(std::max<size_t>(stations, 1)));
  b.label_w = kRowLabelW * sizes.text;
  const float w = kBoardX1 - kBoardX0 - b.label_w - 12;
  b.per_line = std::max<size_t>(1, fit(w + sizes.ticket_gap, sizes.ticket_w + sizes.ticket_gap));
  b.lines = std::max<size_t>(1, fit(b.row_h - 8, sizes.ticket_h + sizes.ticket_line_gap));
  return b;
}

WorldRect board_row(size_t station, size_t stations, const SceneSizes& sizes) {
  const BoardRows b = board_rows(stations, sizes);
  const float y0 =
      kBoardY0 + (board_title_height(sizes) + 4) + b.row_h * static_cast<float>(station);
  return WorldRect{kBoardX0 + 6, y0, kBoardX1 - 6, y0 + b.row_h - 4};
}

WorldPoint board_slot(size_t station, size_t stations, size_t slot, const SceneSizes& sizes) {
  const BoardRows b = board_rows(stations, sizes);
  const WorldRect row = board_row(station, stations, sizes);
  const float x0 = kBoardX0 + b.label_w + 8;
  return WorldPoint{
      x0 + static_cast<float>(slot % b.per_line) * (sizes.ticket_w + sizes.ticket_gap),
      row.y0 + 6 +
          static_cast<float>(slot / b.per_line) * (sizes.ticket_h + sizes.ticket_line_gap)};
}

WorldPoint board_row_origin(size_t station, size_t stations, const SceneSizes& sizes) {
  const BoardRows b = board_rows(stations, sizes);
  return WorldPoint{kBoardX0 + b.label_w + 8, kBoardY0 + (board_title_height(sizes) + 6) +
                                                  b.row_h * static_cast<float>(station)};
}

WorldRect shelf_tray(size_t i, const SceneSizes& sizes) {
  const float w = (kBoardX1 - kBoardX0) / static_cast<float>(kShelfTrays);
  const float x0 = kBoardX0 + w * static_cast<float>(i) + (i > 0 ? 4.0f : 0.0f);
  const float x1 = kBoardX0 + w * static_cast<float>(i + 1) - (i + 1 < kShelfTrays ? 4.0f : 0.0f);
  return WorldRect{x0, shelf_y1(sizes) - shelf_h(sizes), x1, shelf_y1(sizes)};
}

WorldPoint shelf_slot(size_t i, size_t j, const SceneSizes& sizes) {
  const WorldRect tray = shelf_tray(i, sizes);
  if (!legible(sizes)) return WorldPoint{tray.x0 + 8 + 27 * static_cast<float>(j), tray.y0 + 22};
  return WorldPoint{tray.x0 + 8 + (sizes.ticket_w * kShelfScale + 4) * static_cast<float>(j),
                    tray.y0 + line_units(sizes, 13) + 4};
}

WorldRect kitchen_station(size_t station, size_t stations, const SceneSizes& sizes) {
  const float cap = legible(sizes) ? 170.0f * sizes.text : 170.0f;
  const float sh = std::min(
      cap, (shelf_y1(sizes) - kBoardY0 + 6) / static_cast<float>(std::max<size_t>(stations, 1)));
  const float y0 = kBoardY0 + sh * static_cast<float>(station);
  return WorldRect{kKitchenX0, y0, kKitchenX1, y0 + sh - 6};
}

float station_header(const SceneSizes& sizes) {
  return legible(sizes) ? line_units(sizes, 14) + 4 : 20.0f;
}

WorldPoint CookPlace::slot(size_t j) const {
  return WorldPoint{first.x + static_cast<float>(j % per_line) * (ticket_w + kHandGap),
                    first.y + static_cast<float>(j / per_line) * (ticket_h + kHandGap)};
}

namespace {

// The larger type's cook: the window beside the cook's body (under a redelivery badge's
// rise), the name under both, the state under the name when the station has room for it.
CookPlace legible_cook(const WorldRect& station, size_t i, size_t cooks, size_t slots,
                       const SceneSizes& sizes) {
  CookPlace c;
  c.beside = true;
  const float header = station_header(sizes);
  const float rise = line_units(sizes, 9.5f) / 2;
  const float name_h = line_units(sizes, 12.5f), state_h = line_units(sizes, 11);
  const float hand_h = sizes.ticket_h * kHandScale;
  // A tall station (one station, many cooks) lays its cooks out in as many rows as fit, so
  // each has a wider column for their name.
  const float block = rise + 2 + hand_h + 1 + name_h + state_h + 4;
  const size_t n = std::max<size_t>(cooks, 1);
  const size_t rows = std::clamp<size_t>(fit(station.y1 - station.y0 - header, block), 1, n);
  const size_t per_row = (n + rows - 1) / rows;
  const float cw = (kKitchenX1 - kKitchenX0 - 8) / static_cast<float>(per_row);
  const float x0 = kKitchenX0 + 4 + cw * static_cast<float>(i % per_row);
  const float top = station.y0 + header + (rows > 1 ? block * static_cast<float>(i / per_row) : 0);
  const float bottom = rows > 1 ? top + block : station.y1;
  c.column = WorldRect{x0, top, x0 + cw, bottom};
  c.centre = WorldPoint{x0 + 20, top + 36};
  c.hand = kHandScale;
  c.ticket_w = sizes.ticket_w * c.hand;
  c.ticket_h = hand_h;
  const float wy0 = top + rise + 2;
  const float wx0 = x0 + 40;
  // A short station: the tickets in hand lose height (never width, which their numbers need)
  // so the name still fits under them.
  const float room = bottom - name_h - 3 - wy0;
  if (room < c.ticket_h) c.ticket_h = std::max(room, 0.5f * c.ticket_h);
  c.per_line = std::max<size_t>(1, fit(x0 + cw - 2 - wx0 + kHandGap, c.ticket_w + kHandGap));
  // One line of window, its tickets as many as fit across; the rest fold.
  c.capacity = c.per_line;
  c.drawn = std::min(slots, c.capacity);
  c.row_w = static_cast<float>(std::min(c.drawn, c.per_line)) * (c.ticket_w + kHandGap) - kHandGap;
  c.first = WorldPoint{wx0, wy0};
  c.window = WorldRect{wx0 - 2, wy0 - 2, wx0 + c.row_w + 2, wy0 + c.ticket_h + 2};
  c.name_y = std::max(c.centre.y + 17, c.window.y1 + 1);
  c.state_line = c.name_y + name_h + state_h <= bottom;
  return c;
}

}  // namespace

CookPlace cook_place(const WorldRect& station, size_t i, size_t cooks, size_t slots,
                     const SceneSizes& sizes) {
  if (legible(sizes)) return legible_cook(station, i, cooks, slots, sizes);
  CookPlace c;
  const float cw = std::min(
      112.0f, (kKitchenX1 - kKitchenX0 - 8) / static_cast<float>(std::max<size_t>(cooks, 1)));
  c.hand = kHandScale * std::min(1.0f, cw / 100.0f);
  c.ticket_w = sizes.ticket_w * c.hand;
  c.ticket_h = sizes.ticket_h * c.hand;
  const float x0 = kKitchenX0 + 4 + cw * static_cast<float>(i);
  c.column = WorldRect{x0, station.y0 + 18, x0 + cw, station.y1};
  c.centre = WorldPoint{x0 + cw / 2, station.y0 + 52};
  const float wy0 = c.centre.y + kCookLines * sizes.text;
  // Larger type leaves less of the station under the cook's lines: when a whole line of the
  // window no longer fits there, its tickets shrink to the room rather than spill into the
  // station below (and under its tiles).
  const float room = station.y1 - wy0 - 2;
  if (room > 0 && room < c.ticket_h + kHandGap) {
    const float k = (room - kHandGap) / c.ticket_h;
    c.hand *= k;
    c.ticket_w *= k;
    c.ticket_h *= k;
  }
  c.per_line = std::max<size_t>(1, fit(cw - 6, c.ticket_w + kHandGap));
  const size_t lines = std::max<size_t>(1, fit(station.y1 - wy0 - 2, c.ticket_h + kHandGap));
  c.capacity = c.per_line * lines;
  c.drawn = std::min(slots, c.capacity);
  c.row_w = static_cast<float>(std::min(c.drawn, c.per_line)) * (c.ticket_w + kHandGap) - kHandGap;
  c.first = WorldPoint{c.centre.x - c.row_w / 2, wy0};
  const size_t drawn_lines = (c.drawn + c.per_line - 1) / c.per_line;
  c.window = WorldRect{c.first.x - 2, wy0 - 2, c.first.x + c.row_w + 2,
                       wy0 + static_cast<float>(drawn_lines) * (c.ticket_h + kHandGap)};
  c.name_y = c.centre.y + 17;
  return c;
}

WorldRect pickup_counter(const SceneSizes& sizes) {
  if (!legible(sizes)) {
    const float y0 = kPickupY0 + sizes.stretch() + 18;
    return WorldRect{6, y0, 248, y0 + 25};
  }
  // From the legend up: the line of waiting tables, the counter, its heading.
  const float y1 = legend_top(sizes) - 4 - line_units(sizes, 12) - 3;
  return WorldRect{6, y1 - 25, 248, y1};
}

WorldRect pickup_area(const SceneSizes& sizes) {
  const WorldRect c = pickup_counter(sizes);
  const float heading = legible(sizes) ? line_units(sizes, 15) - 2 : 18;
  return WorldRect{c.x0, c.y0 - heading, c.x1, c.y1};
}

WorldRect legend_swatch(size_t i, const SceneSizes& sizes) {
  const size_t rows = legend_rows(sizes);
  const size_t per_row = (kLegendEntries + rows - 1) / rows;
  const float w = kWorldWidth / static_cast<float>(per_row);
  const float x = 6 + w * static_cast<float>(i % per_row);
  const float y = legend_top(sizes) + legend_row_h(sizes) * static_cast<float>(i / per_row);
  return WorldRect{x, y, x + 14, y + 18};
}

float legend_room(const SceneSizes& sizes) {
  const size_t rows = legend_rows(sizes);
  const size_t per_row = (kLegendEntries + rows - 1) / rows;
  return kWorldWidth / static_cast<float>(per_row) - 14 - 10;
}

}  // namespace wmq::gui
