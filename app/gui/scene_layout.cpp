#include "gui/scene_layout.h"

#include <algorithm>

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

float cashier_row(size_t n) {
  const size_t rows = n <= kMaxDesks ? n : kMaxDesks;
  return std::min(100.0f, 296.0f / static_cast<float>(std::max<size_t>(rows, 1)));
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
  return z;
}

SceneFit fit_scene(const WorldRect& screen, float strip, float zoom, WorldPoint pan) {
  const float w = screen.width();
  const float h = std::max(1.0f, screen.height() - strip - 4);
  const float base = std::min(w / kWorldWidth, h / kWorldHeight);
  const float s = base * zoom;
  return SceneFit{WorldPoint{screen.x0 + (w - kWorldWidth * s) / 2 - pan.x * s,
                             screen.y0 + (h - kWorldHeight * s) / 2 - pan.y * s},
                  s};
}

float strip_height(const SceneSizes& sizes, bool projector, bool compact) {
  return sizes.strip * (projector ? 1.4f : 1.0f) * (compact ? 0.75f : 1.0f);
}

size_t desks_drawn(size_t n) {
  return n <= kMaxDesks ? n : kMaxDesks - 1;
}

WorldRect cashier_desk(size_t i, size_t n) {
  const float row = cashier_row(n);
  const float y = 24 + row * static_cast<float>(std::min(i, desks_drawn(n)));
  const float h = std::min(52.0f, row - 12);
  return WorldRect{kCashierX0, y + 8, kCashierX1, y + 8 + h};
}

WorldPoint desk_ticket(const WorldRect& desk) {
  return WorldPoint{desk.x1 - 30, desk.y1 - 30};
}

WorldRect board_frame() {
  return WorldRect{kBoardX0, kBoardY0, kBoardX1, kBoardY1};
}

float board_title_height(const SceneSizes& sizes) {
  return kBoardTitle * sizes.text;
}

BoardRows board_rows(size_t stations, const SceneSizes& sizes) {
  BoardRows b;
  const float title = board_title_height(sizes);
  b.row_h = std::min(124.0f, (kBoardY1 - kBoardY0 - (title + 8)) /
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

WorldRect shelf_tray(size_t i) {
  const float w = (kBoardX1 - kBoardX0) / static_cast<float>(kShelfTrays);
  const float x0 = kBoardX0 + w * static_cast<float>(i) + (i > 0 ? 4.0f : 0.0f);
  const float x1 = kBoardX0 + w * static_cast<float>(i + 1) - (i + 1 < kShelfTrays ? 4.0f : 0.0f);
  return WorldRect{x0, kShelfY0, x1, kShelfY1};
}

WorldPoint shelf_slot(size_t i, size_t j) {
  return WorldPoint{shelf_tray(i).x0 + 8 + 27 * static_cast<float>(j), kShelfY0 + 22};
}

WorldRect kitchen_station(size_t station, size_t stations) {
  const float sh = std::min(
      170.0f, (kShelfY1 - kBoardY0 + 6) / static_cast<float>(std::max<size_t>(stations, 1)));
  const float y0 = kBoardY0 + sh * static_cast<float>(station);
  return WorldRect{kKitchenX0, y0, kKitchenX1, y0 + sh - 6};
}

WorldPoint CookPlace::slot(size_t j) const {
  return WorldPoint{first.x + static_cast<float>(j % per_line) * (ticket_w + kHandGap),
                    first.y + static_cast<float>(j / per_line) * (ticket_h + kHandGap)};
}

CookPlace cook_place(const WorldRect& station, size_t i, size_t cooks, size_t slots,
                     const SceneSizes& sizes) {
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
  return c;
}

WorldRect pickup_area() {
  return WorldRect{6, kPickupY0, 248, kPickupY0 + 18 + 25};
}

WorldRect pickup_counter() {
  return WorldRect{6, kPickupY0 + 18, 248, kPickupY0 + 18 + 25};
}

WorldRect legend_swatch(size_t i) {
  const float x = 6 + kWorldWidth / static_cast<float>(kLegendEntries) * static_cast<float>(i);
  return WorldRect{x, kLegendY, x + 14, kLegendY + 18};
}

}  // namespace wmq::gui
