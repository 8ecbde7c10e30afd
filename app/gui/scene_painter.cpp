#include "gui/scene_painter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

// ---- World layout (units; the whole warung is kWorldWidth x kWorldHeight) ----
constexpr float kTicketW = 28, kTicketH = 36, kTicketGap = 5;
constexpr float kHandScale = 0.78f;   // tickets in a cook's hands are a little smaller
constexpr float kShelfScale = 0.75f;  // tickets on the trouble shelf
constexpr float kCashierX0 = 130, kCashierX1 = 232;
constexpr float kBoardX0 = 268, kBoardX1 = 652, kBoardY0 = 4, kBoardY1 = 322;
constexpr float kRowLabelW = 82;
constexpr float kShelfY0 = 328, kShelfY1 = 394;
constexpr float kKitchenX0 = 664, kKitchenX1 = 996;
constexpr float kPickupY0 = 330;
constexpr float kLegendY = 404;
constexpr int kMaxLine = 4;  // customers drawn in a line before "+N"

ImU32 col(const Rgb& c, float a = 1.0f) {
  return IM_COL32(c.r, c.g, c.b, static_cast<int>(std::clamp(a, 0.0f, 1.0f) * 255.0f));
}

Rgb darker(const Rgb& c, float f = 0.7f) {
  return Rgb{static_cast<int>(static_cast<float>(c.r) * f),
             static_cast<int>(static_cast<float>(c.g) * f),
             static_cast<int>(static_cast<float>(c.b) * f)};
}

struct Painter {
  ImDrawList* dl;
  ImVec2 origin;
  float s;  // pixels per world unit
  const SceneEnv& env;
  const ScenePalette& pal;
  float line;  // line thickness multiplier
  const I18n& t;

  ImVec2 P(float x, float y) const { return ImVec2(origin.x + x * s, origin.y + y * s); }
  ImVec2 P(ImVec2 w) const { return P(w.x, w.y); }
  float px(float units) const { return units * s; }

  // Small things (tickets, badges, slots) are drawn square: an unrounded rectangle is two
  // triangles, while a rounded one brings anti-aliased fringes, and on Mesa's software renderer
  // hundreds of thin fringe triangles cost more than the pixels they cover.
  static constexpr float kMinRound = 4.0f;
  void fill(float x0, float y0, float x1, float y1, ImU32 c, float round = 0) const {
    dl->AddRectFilled(P(x0, y0), P(x1, y1), c, round < kMinRound ? 0.0f : px(round));
  }
  void outline(float x0, float y0, float x1, float y1, ImU32 c, float round = 0,
               float thick = 1.0f) const {
    const float t = std::max(1.0f, std::round(thick * line));
    if (round >= kMinRound) {
      dl->AddRect(P(x0, y0), P(x1, y1), c, px(round), 0, t);
      return;
    }
    // Four filled bars, whole pixels: crisp and cheap.
    const ImVec2 a(std::floor(P(x0, y0).x), std::floor(P(x0, y0).y));
    const ImVec2 b(std::floor(P(x1, y1).x), std::floor(P(x1, y1).y));
    dl->AddRectFilled(a, ImVec2(b.x, a.y + t), c);
    dl->AddRectFilled(ImVec2(a.x, b.y - t), b, c);
    dl->AddRectFilled(ImVec2(a.x, a.y + t), ImVec2(a.x + t, b.y - t), c);
    dl->AddRectFilled(ImVec2(b.x - t, a.y + t), ImVec2(b.x, b.y - t), c);
  }
  // A horizontal line one pixel high, drawn as a bar.
  void hline(float x0, float x1, float y, ImU32 c) const {
    const ImVec2 a = P(x0, y), b = P(x1, y);
    dl->AddRectFilled(ImVec2(std::floor(a.x), std::floor(a.y)),
                      ImVec2(std::floor(b.x), std::floor(a.y) + std::max(1.0f, line)), c);
  }
  // Text of `size` world units (never below 8 pixels) at (x, y); align 0 = left, 0.5 = centre,
  // 1 = right. Returns its width in world units.
  // The loaded font nearest to `size` world units at this zoom, drawn at its own size.
  ImFont* font_for(float size, bool bold) const {
    const float pixels = size * s * (env.projector ? 1.15f : 1.0f);
    return nearest_font(bold ? env.fonts.bold_sizes : env.fonts.regular_sizes, pixels);
  }
  float text(float x, float y, const char* str, ImU32 c, float size, float align = 0.0f,
             bool bold = false) const {
    ImFont* font = font_for(size, bold);
    const float pixels = font->FontSize;
    const ImVec2 extent = font->CalcTextSizeA(pixels, FLT_MAX, 0.0f, str);
    const ImVec2 at = P(x, y);
    dl->AddText(font, pixels, ImVec2(std::floor(at.x - extent.x * align), std::floor(at.y)), c,
                str);
    return extent.x / s;
  }
  float text_width(const char* str, float size, bool bold = false) const {
    ImFont* font = font_for(size, bold);
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, str).x / s;
  }
  // Circles take as many sides as their size needs (ImGui's count for the radius and the
  // style's tessellation error): a chef's hat puff a few pixels wide needs far fewer than 24.
  void circle(float x, float y, float r, ImU32 c) const {
    dl->AddCircleFilled(P(x, y), px(r), c, 0);
  }
  void ring(float x, float y, float r, ImU32 c, float thick = 1.0f) const {
    dl->AddCircle(P(x, y), px(r), c, 0, std::max(1.0f, thick * line));
  }
};

// A badge such as "durable": a small rounded label.
void badge(const Painter& p, float x, float y, const char* label, const Rgb& bg, float size = 10) {
  const float w = p.text_width(label, size) + 8;
  p.fill(x, y, x + w, y + size + 5, col(bg), 4);
  p.text(x + 4, y + 1.5f, label, IM_COL32(255, 255, 255, 255), size);
}

// One ticket, top-left at `at` (world), `scale` times the normal size, saying `label`
// (Run::ticket_label).
void draw_ticket(const Painter& p, ImVec2 at, float scale, TicketState state,
                 const std::string& label, uint32_t redelivery, bool selected, bool pinned) {
  const Rgb& paper = p.pal.ticket[static_cast<int>(state)];
  const float w = kTicketW * scale, h = kTicketH * scale;
  const float x0 = at.x, y0 = at.y, x1 = at.x + w, y1 = at.y + h;
  // A sliver of shadow under the paper lifts it off the cork.
  p.fill(x0 + 1.5f, y1, x1 + 1.5f, y1 + 2, col(p.pal.shadow, 0.35f));
  if (state == TicketState::kLost) {
    // A ghost: only an outline where the ticket was, and a cross.
    p.fill(x0, y0, x1, y1, col(paper, 0.18f), 3);
    p.outline(x0, y0, x1, y1, col(paper), 3, 1.6f);
    p.dl->AddLine(p.P(x0 + 5 * scale, y0 + 5 * scale), p.P(x1 - 5 * scale, y1 - 5 * scale),
                  col(paper), std::max(1.0f, 1.6f * p.line));
    p.dl->AddLine(p.P(x1 - 5 * scale, y0 + 5 * scale), p.P(x0 + 5 * scale, y1 - 5 * scale),
                  col(paper), std::max(1.0f, 1.6f * p.line));
  } else {
    p.fill(x0, y0, x1, y1, col(paper), 3);
    p.outline(x0, y0, x1, y1, col(darker(paper, 0.62f)), 3, 1.0f);
    // Two pencil lines: it is an order slip.
    const ImU32 pencil = col(darker(paper, 0.5f), 0.6f);
    p.hline(x0 + 5 * scale, x1 - 5 * scale, y0 + 24 * scale, pencil);
    p.hline(x0 + 5 * scale, x1 - 9 * scale, y0 + 29 * scale, pencil);
    if (state == TicketState::kPersisted) {
      // The disk mark: written down, it survives a crash.
      p.fill(x1 - 8 * scale, y1 - 8 * scale, x1 - 3 * scale, y1 - 3 * scale,
             col(darker(paper, 0.45f)), 1);
    }
  }
  // A program's own order id may be six characters wide: it shrinks to the paper.
  float size = (label.size() >= 4 ? 10.0f : 12.5f) * scale;
  const float room = w - 3 * scale, wide = p.text_width(label.c_str(), size, true);
  if (wide > room) size *= room / wide;
  p.text(x0 + w / 2, y0 + 8 * scale, label.c_str(), col(p.pal.ink), size, 0.5f, true);
  if (pinned) {
    p.fill(x0 + w / 2 - 2 * scale, y0 + 1.5f * scale, x0 + w / 2 + 2 * scale, y0 + 5.5f * scale,
           col(p.pal.badge, 0.85f));
  }
  if (redelivery >= 2) {
    const float bx = x1 - 1, by = y0 + 1;
    p.circle(bx, by, 8.5f * scale, col(p.pal.badge));
    char b[32];
    std::snprintf(b, sizeof b, "x%u", redelivery);
    p.text(bx, by - 5.5f * scale, b, IM_COL32(255, 255, 255, 255), 9.5f * scale, 0.5f, true);
  }
  if (selected) {
    p.outline(x0 - 3, y0 - 3, x1 + 3, y1 + 3, col(p.pal.badge), 4, 2.5f);
  }
}

// A stack of folded tickets with its count, in one ticket slot.
void draw_stack(const Painter& p, ImVec2 at, size_t count, const Rgb& paper) {
  for (int i = 2; i >= 0; --i) {
    const float o = static_cast<float>(i) * 3.0f;
    p.fill(at.x + o, at.y + o, at.x + kTicketW + o, at.y + kTicketH + o, col(paper), 3);
    p.outline(at.x + o, at.y + o, at.x + kTicketW + o, at.y + kTicketH + o,
              col(darker(paper, 0.6f)), 3, 1.0f);
  }
  char n[64];
  std::snprintf(n, sizeof n, "+%zu", count);
  const float size = count >= 1000 ? 9.0f : 11.0f;
  p.text(at.x + kTicketW / 2 + 3, at.y + 13, n, col(p.pal.ink), size, 0.5f, true);
}

// Moves ticket `key` toward `target` and returns where to draw it this frame (model/glides.h).
ImVec2 glide(SceneUi& ui, const TicketKey& key, ImVec2 target, ImVec2 from, bool snap, float dt) {
  const WorldPoint at = ui.tickets.move(key, WorldPoint{target.x, target.y},
                                        WorldPoint{from.x, from.y}, snap, dt, ui.frame);
  return ImVec2(at.x, at.y);
}

void add_hit(std::vector<Hit>& hits, const Painter& p, Selection target, float x0, float y0,
             float x1, float y1) {
  hits.push_back(Hit{std::move(target), p.P(x0, y0), p.P(x1, y1)});
}

void anchor(const SceneEnv& env, const Painter& p, const std::string& name, float x0, float y0,
            float x1, float y1) {
  if (env.anchors == nullptr) return;
  const ImVec2 a = p.P(x0, y0), b = p.P(x1, y1);
  env.anchors->set(env.anchor_prefix + name, Rect{a.x, a.y, b.x - a.x, b.y - a.y});
}

std::string fill1(const char* text, std::string_view name, std::string value) {
  return fill_placeholders(text, {{name, std::move(value)}});
}

// ---- The parts --------------------------------------------------------------------------

struct Counts {
  size_t dead = 0, expired = 0, lost = 0, rejected = 0, waiting_food = 0;
  std::vector<uint32_t> last_dead, last_expired, last_lost;  // newest first, a few each
};

Counts count_orders(const sim::Simulation& sim) {
  Counts c;
  const auto& orders = sim.orders();
  for (auto it = orders.rbegin(); it != orders.rend(); ++it) {
    switch (it->status) {
      case sim::OrderStatus::kDeadLettered:
        if (++c.dead <= 3) c.last_dead.push_back(it->number);
        break;
      case sim::OrderStatus::kExpired:
        if (++c.expired <= 3) c.last_expired.push_back(it->number);
        break;
      case sim::OrderStatus::kLost:
        if (++c.lost <= 3) c.last_lost.push_back(it->number);
        break;
      case sim::OrderStatus::kRejected:
        ++c.rejected;
        break;
      default:
        break;
    }
  }
  for (const sim::Customer& cu : sim.customers()) {
    if (cu.state == sim::CustomerState::kWaitingFood) ++c.waiting_food;
  }
  return c;
}

// Cashier desks drawn one by one; a busier warung shows the first ones and counts the rest.
constexpr size_t kMaxDesks = 6;

size_t desks_drawn(size_t n) {
  return n <= kMaxDesks ? n : kMaxDesks - 1;
}

float cashier_row(size_t n) {
  const size_t rows = n <= kMaxDesks ? n : kMaxDesks;
  return std::min(100.0f, 296.0f / static_cast<float>(std::max<size_t>(rows, 1)));
}

// Where cashier i's desk is; cashiers folded into the count share the last row.
ImVec2 cashier_desk(size_t i, size_t n) {
  const float y = 24 + cashier_row(n) * static_cast<float>(std::min(i, desks_drawn(n)));
  return ImVec2(kCashierX0, y + 8);
}

void draw_cashiers(const Painter& p, const Run& run, const Selection& sel, SceneUi& ui, bool snap,
                   std::vector<Hit>& hits) {
  const auto& cashiers = run.scene_cashiers();  // STOMP programs that send orders included
  const size_t n = cashiers.size();
  p.text(8, 2, p.t.tr("scene.cashiers"), col(p.pal.ink), 16, 0, true);
  if (ui.receipts_seen.size() != n) {
    ui.receipts_seen.assign(n, 0);
    ui.receipt_until.assign(n, 0);
    for (size_t i = 0; i < n; ++i)
      ui.receipts_seen[i] = cashiers[i].receipts;
  }
  if (desks_drawn(n) < n) {
    const ImVec2 d = cashier_desk(desks_drawn(n), n);
    std::string more =
        fill1(p.t.tr("scene.more_cashiers"), "count", std::to_string(n - desks_drawn(n)));
    p.text(d.x, d.y + 6, more.c_str(), col(p.pal.soft_ink), 13, 0, true);
  }
  for (size_t i = 0; i < desks_drawn(n); ++i) {
    const sim::Cashier& c = cashiers[i];
    const ImVec2 d = cashier_desk(i, n);
    const float h = std::min(52.0f, cashier_row(n) - 12);
    const bool down = c.state == sim::CashierState::kCrashed;
    // Customers: the one at the counter, then the line.
    const float cy = d.y + h * 0.55f;
    if (c.customer != 0 && c.state == sim::CashierState::kTaking) {
      p.circle(kCashierX0 - 16, cy, 9, col(p.pal.customer));
    }
    const size_t line = c.line.size();
    for (size_t j = 0; j < std::min<size_t>(line, kMaxLine); ++j) {
      p.circle(kCashierX0 - 40 - 21 * static_cast<float>(j), cy, 8.5f, col(p.pal.customer, 0.85f));
    }
    if (line > kMaxLine) {
      char more[32];
      std::snprintf(more, sizeof more, "+%zu", line - kMaxLine);
      p.text(2, cy - 7, more, col(p.pal.ink), 12, 0, true);
    }
    // The desk.
    const Rgb& desk = down ? p.pal.cashier_down : p.pal.cashier;
    p.fill(d.x + 4, d.y + h, kCashierX1 + 1, d.y + h + 3, col(p.pal.shadow, 0.3f));
    p.fill(d.x, d.y, kCashierX1, d.y + h, col(desk), 6);
    p.outline(d.x, d.y, kCashierX1, d.y + h, col(darker(desk, 0.6f)), 6, 1.2f);
    p.text(d.x + 6, d.y + 4, c.name.c_str(), col(down ? p.pal.receipt : p.pal.ink), 13.5f, 0, true);
    std::string state_key = std::string("cashier_state.") + sim::cashier_state_name(c.state);
    p.text(d.x + 6, d.y + 24, p.t.tr(state_key), col(down ? p.pal.receipt : p.pal.soft_ink), 11.5f);
    if (down) p.text(kCashierX1 - 8, d.y + 2, "\xE2\x9C\x97", col(p.pal.refused), 18, 1, true);
    // The order being placed waits at the desk's edge until the board (or, in direct mode, a
    // cook) has it; direct mode's kWaitingFood is not here: the cook holds and draws it.
    if ((c.state == sim::CashierState::kWaitingConfirm ||
         c.state == sim::CashierState::kWaitingBroker ||
         c.state == sim::CashierState::kWaitingCook) &&
        c.order != 0) {
      const ImVec2 target(kCashierX1 - 30, d.y + h - 30);
      const TicketKey key{TicketPlace::kCashier, static_cast<uint32_t>(i), c.order};
      const ImVec2 at = glide(ui, key, target, target, snap, p.env.dt);
      draw_ticket(p, at, kHandScale, TicketState::kPlacing, run.ticket_label(c.order), 0,
                  sel.is(Selection::Kind::kOrder, c.order), false);
      add_hit(hits, p, Selection::order(c.order), at.x, at.y, at.x + kTicketW * kHandScale,
              at.y + kTicketH * kHandScale);
    }
    // A plate in hand while handing food over.
    if (c.state == sim::CashierState::kHanding) {
      p.circle(d.x - 4, d.y + 8, 8, col(p.pal.plate));
      p.ring(d.x - 4, d.y + 8, 8, col(darker(p.pal.plate, 0.6f)));
    }
    // The receipt: the broker's confirm, shown for a moment each time one comes.
    if (c.receipts > ui.receipts_seen[i]) ui.receipt_until[i] = p.env.real_time + 1.6;
    ui.receipts_seen[i] = c.receipts;
    const double left = ui.receipt_until[i] - p.env.real_time;
    if (left > 0 && c.last_receipt != 0) {
      const float rise = static_cast<float>(1.6 - left) * 6.0f;
      const float a = static_cast<float>(std::min(1.0, left / 0.4));
      const float rx = kCashierX1 - 44, ry = d.y - 14 - rise;
      p.fill(rx, ry, rx + 42, ry + 18, col(p.pal.receipt, a), 2);
      p.outline(rx, ry, rx + 42, ry + 18, col(p.pal.soft_ink, a), 2, 1.0f);
      char r[32];
      std::snprintf(r, sizeof r, "\xE2\x9C\x93 %u", c.last_receipt);
      p.text(rx + 21, ry + 3, r, col(p.pal.ticket[2], a), 10.5f, 0.5f, true);
    }
    if (sel.is(Selection::Kind::kCashier, static_cast<uint32_t>(i))) {
      p.outline(d.x - 3, d.y - 3, kCashierX1 + 3, d.y + h + 3, col(p.pal.badge), 7, 2.5f);
    }
    anchor(p.env, p, "cashier." + c.name, d.x, d.y, kCashierX1, d.y + h);
    hits.insert(hits.begin(), Hit{Selection::cashier(static_cast<uint32_t>(i)), p.P(d.x, d.y),
                                  p.P(kCashierX1, d.y + h)});
  }
}

void draw_pickup(const Painter& p, const sim::Simulation& sim, const Counts& counts,
                 const Selection& sel, std::vector<Hit>& hits) {
  uint64_t plates = 0;
  for (const sim::QueueStats& q : sim.queues()) {
    if (q.name == "pickup") plates = q.depth;
  }
  p.text(8, kPickupY0 - 2, p.t.tr("scene.pickup"), col(p.pal.ink), 15, 0, true);
  const float y0 = kPickupY0 + 18;
  p.fill(9, y0 + 25, 247, y0 + 28, col(p.pal.shadow, 0.3f));
  p.fill(6, y0, 248, y0 + 25, col(p.pal.counter), 5);
  const size_t shown = std::min<uint64_t>(plates, 9);
  for (size_t i = 0; i < shown; ++i) {
    const float x = 22 + 24 * static_cast<float>(i);
    p.circle(x, y0 + 12, 9, col(p.pal.plate));
    p.circle(x, y0 + 12, 4.5f, col(p.pal.ticket[4], 0.9f));
  }
  if (plates > shown) {
    char more[32];
    std::snprintf(more, sizeof more, "+%llu", static_cast<unsigned long long>(plates - shown));
    p.text(240, y0 + 5, more, col(p.pal.receipt), 12, 1, true);
  }
  std::string waiting =
      fill1(p.t.tr("scene.waiting_tables"), "count", std::to_string(counts.waiting_food));
  p.text(8, y0 + 30, waiting.c_str(), col(p.pal.soft_ink), 12);
  if (sel.kind == Selection::Kind::kQueue && sel.queue == "pickup") {
    p.outline(3, y0 - 3, 251, y0 + 28, col(p.pal.badge), 6, 2.5f);
  }
  anchor(p.env, p, "pickup", 6, y0, 248, y0 + 25);
  add_hit(hits, p, Selection::of_queue("pickup"), 6, kPickupY0, 248, y0 + 25);
}

struct Board {
  float row_h = 0;
  size_t per_line = 0, lines = 0;
};

Board board_layout(size_t stations) {
  Board b;
  b.row_h = std::min(
      124.0f, (kBoardY1 - kBoardY0 - 34) / static_cast<float>(std::max<size_t>(stations, 1)));
  const float w = kBoardX1 - kBoardX0 - kRowLabelW - 12;
  b.per_line = static_cast<size_t>((w + kTicketGap) / (kTicketW + kTicketGap));
  b.lines = std::max<size_t>(1, static_cast<size_t>((b.row_h - 8) / (kTicketH + 6)));
  return b;
}

// Where a station's board row starts (world), so a cook's tickets can glide from it.
ImVec2 board_row_origin(size_t station, size_t stations) {
  const Board b = board_layout(stations);
  return ImVec2(kBoardX0 + kRowLabelW + 8, kBoardY0 + 32 + b.row_h * static_cast<float>(station));
}

void draw_board(const Painter& p, const Run& run, const Selection& sel, SceneUi& ui, bool snap,
                std::vector<Hit>& hits) {
  const sim::Simulation& sim = run.sim();
  // The cork board in its wooden frame: the frame is drawn as its four sides, not as a plank
  // under the cork, so no pixel of the board is painted twice (the software renderer's cost
  // is per pixel painted).
  p.fill(kBoardX0 + 8, kBoardY1, kBoardX1 + 3, kBoardY1 + 4, col(p.pal.shadow, 0.3f));
  p.fill(kBoardX0, kBoardY0, kBoardX1, kBoardY0 + 26, col(p.pal.board_frame), 8);
  p.fill(kBoardX0, kBoardY0 + 20, kBoardX0 + 6, kBoardY1, col(p.pal.board_frame));
  p.fill(kBoardX1 - 6, kBoardY0 + 20, kBoardX1, kBoardY1, col(p.pal.board_frame));
  p.fill(kBoardX0 + 6, kBoardY1 - 6, kBoardX1 - 6, kBoardY1, col(p.pal.board_frame));
  p.fill(kBoardX0 + 6, kBoardY0 + 26, kBoardX1 - 6, kBoardY1 - 6, col(p.pal.board));
  p.text(kBoardX0 + 10, kBoardY0 + 3, p.t.tr("scene.order_board"), IM_COL32(255, 246, 230, 255), 17,
         0, true);
  anchor(p.env, p, "board", kBoardX0, kBoardY0, kBoardX1, kBoardY1);
  add_hit(hits, p, Selection::broker(), kBoardX0, kBoardY0, kBoardX1, kBoardY0 + 26);

  const auto& stations = sim.stations();
  const Board b = board_layout(stations.size());
  const size_t capacity = b.per_line * b.lines;

  if (sim.mode() == sim::Mode::kDirect) {
    p.text((kBoardX0 + kBoardX1) / 2, (kBoardY0 + kBoardY1) / 2 - 24, p.t.tr("scene.no_board"),
           IM_COL32(255, 246, 230, 255), 14, 0.5f, true);
    p.text((kBoardX0 + kBoardX1) / 2, (kBoardY0 + kBoardY1) / 2, p.t.tr("scene.no_board_help"),
           IM_COL32(255, 246, 230, 255), 11, 0.5f);
    return;
  }

  const Broker* broker = sim.broker();
  for (size_t s = 0; s < stations.size(); ++s) {
    const sim::QueueStats& q = sim.queues()[s];
    const float y0 = kBoardY0 + 30 + b.row_h * static_cast<float>(s);
    const float y1 = y0 + b.row_h - 4;
    if (s > 0) {
      p.dl->AddLine(p.P(kBoardX0 + 10, y0 - 2), p.P(kBoardX1 - 10, y0 - 2),
                    col(p.pal.board_frame, 0.5f), std::max(1.0f, p.line));
    }
    // The row's label: station, durable or transient, how many wait.
    p.text(kBoardX0 + 12, y0 + 3, stations[s].c_str(), col(p.pal.ink), 15, 0, true);
    badge(p, kBoardX0 + 12, y0 + 24, p.t.tr(q.durable ? "scene.durable" : "scene.transient"),
          q.durable ? darker(p.pal.ticket[2], 0.7f) : darker(p.pal.ticket[4], 0.8f), 11);
    char waiting[32];
    std::snprintf(waiting, sizeof waiting, "%llu", static_cast<unsigned long long>(q.depth));
    std::string w = fill1(p.t.tr("scene.waiting"), "count", waiting);
    p.text(kBoardX0 + 12, y0 + 44, w.c_str(), col(p.pal.ink), 11.5f);
    const bool row_selected = sel.kind == Selection::Kind::kQueue && sel.queue == stations[s];
    if (row_selected) {
      p.outline(kBoardX0 + 7, y0 - 1, kBoardX1 - 7, y1, col(p.pal.badge), 4, 2.5f);
    }
    anchor(p.env, p, "board." + stations[s], kBoardX0 + 6, y0, kBoardX1 - 6, y1);
    anchor(p.env, p, "board." + stations[s] + ".label", kBoardX0 + 6, y0, kBoardX0 + kRowLabelW,
           y1);
    add_hit(hits, p, Selection::of_queue(stations[s]), kBoardX0 + 6, y0, kBoardX1 - 6, y1);

    if (broker == nullptr) continue;
    const uint64_t ready = q.depth;
    const Fold f = fold_tickets(static_cast<size_t>(ready), capacity);
    std::vector<QueuedMessage> msgs = broker->peek(stations[s], 0, f.shown);
    const float tx0 = kBoardX0 + kRowLabelW + 8;
    size_t slot = 0;
    for (const QueuedMessage& m : msgs) {
      if (m.unacked || slot >= f.shown) break;
      // A simulated order's number, or the ticket of one a STOMP program sent.
      const uint32_t n = run.ticket_of(run.order_of_message(m.id), m.id);
      const sim::Order* o = sim.order(n);
      const ImVec2 target(tx0 + static_cast<float>(slot % b.per_line) * (kTicketW + kTicketGap),
                          y0 + 6 + static_cast<float>(slot / b.per_line) * (kTicketH + 6));
      ImVec2 from = target;
      if (o != nullptr) from = cashier_desk(o->cashier, sim.cashiers().size());
      const TicketKey key{TicketPlace::kBoard, static_cast<uint32_t>(s), n, m.id};
      const ImVec2 at = n != 0 ? glide(ui, key, target, from, snap, p.env.dt) : target;
      const TicketState st =
          board_ticket_state(q.durable, run.ticket_confirmed(n), m.delivery_count, m.redelivered);
      draw_ticket(p, at, 1.0f, st, run.ticket_label(n), redelivery_badge(m.delivery_count, false),
                  sel.is(Selection::Kind::kOrder, n), true);
      if (n != 0)
        add_hit(hits, p, Selection::order(n), at.x, at.y, at.x + kTicketW, at.y + kTicketH);
      ++slot;
    }
    if (f.folded > 0) {
      const size_t last = capacity - 1;
      const ImVec2 at(tx0 + static_cast<float>(last % b.per_line) * (kTicketW + kTicketGap),
                      y0 + 6 + static_cast<float>(last / b.per_line) * (kTicketH + 6));
      draw_stack(p, at, f.folded,
                 q.durable ? p.pal.ticket[static_cast<int>(TicketState::kPersisted)]
                           : p.pal.ticket[static_cast<int>(TicketState::kReady)]);
      anchor(p.env, p, "board." + stations[s] + ".stack", at.x, at.y, at.x + kTicketW + 6,
             at.y + kTicketH + 6);
    }
  }

  if (broker == nullptr) {
    // The broker's memory is gone: the board is dark until it restarts from its file.
    p.fill(kBoardX0 + 6, kBoardY0 + 26, kBoardX1 - 6, kBoardY1 - 6, col(p.pal.broker_down, 0.86f),
           4);
    const float cx = (kBoardX0 + kBoardX1) / 2, cy = (kBoardY0 + kBoardY1) / 2;
    p.text(cx, cy - 30, p.t.tr("scene.broker_down"), IM_COL32(255, 236, 220, 255), 18, 0.5f, true);
    std::string when;
    if (sim.broker_restart_at() >= 0) {
      when = fill1(p.t.tr("scene.broker_back_in"), "time",
                   sim::format_countdown(sim.broker_restart_at() - sim.now()));
    } else {
      when = p.t.tr("scene.broker_restart_hint");
    }
    p.text(cx, cy, when.c_str(), IM_COL32(255, 236, 220, 255), 12, 0.5f);
    anchor(p.env, p, "board.down", kBoardX0 + 6, kBoardY0 + 26, kBoardX1 - 6, kBoardY1 - 6);
  }
}

void draw_shelf(const Painter& p, const Run& run, const Counts& counts, const Selection& sel,
                SceneUi& ui, bool snap, std::vector<Hit>& hits) {
  struct Tray {
    const char* key;
    size_t count;
    const std::vector<uint32_t>* last;
    TicketState state;
    const char* queue;  // what clicking the tray selects, or null
  };
  const Tray trays[] = {
      {"scene.dead_letters", counts.dead, &counts.last_dead, TicketState::kDeadLettered,
       "dead-letters"},
      {"scene.expired", counts.expired, &counts.last_expired, TicketState::kExpired, nullptr},
      {"scene.lost", counts.lost, &counts.last_lost, TicketState::kLost, nullptr},
  };
  const float w = (kBoardX1 - kBoardX0) / 3.0f;
  for (size_t i = 0; i < 3; ++i) {
    const Tray& tr = trays[i];
    const float x0 = kBoardX0 + w * static_cast<float>(i) + (i > 0 ? 4.0f : 0.0f);
    const float x1 = kBoardX0 + w * static_cast<float>(i + 1) - (i < 2 ? 4.0f : 0.0f);
    p.fill(x0, kShelfY0, x1, kShelfY1, col(p.pal.wall), 6);
    p.outline(x0, kShelfY0, x1, kShelfY1, col(darker(p.pal.wall, 0.7f)), 6, 1.0f);
    char head[96];
    std::snprintf(head, sizeof head, "%s: %zu", p.t.tr(tr.key), tr.count);
    p.text(x0 + 6, kShelfY0 + 3, head, col(tr.count > 0 ? p.pal.ink : p.pal.soft_ink), 13, 0,
           tr.count > 0);
    float x = x0 + 8;
    for (uint32_t n : *tr.last) {
      const ImVec2 target(x, kShelfY0 + 22);
      const TicketKey key{TicketPlace::kShelf, static_cast<uint32_t>(i), n};
      const ImVec2 at = glide(ui, key, target, target, snap, p.env.dt);
      draw_ticket(p, at, kShelfScale, tr.state, run.ticket_label(n), 0,
                  sel.is(Selection::Kind::kOrder, n), false);
      add_hit(hits, p, Selection::order(n), at.x, at.y, at.x + kTicketW * kShelfScale,
              at.y + kTicketH * kShelfScale);
      x += 27;
    }
    if (tr.queue != nullptr && sel.kind == Selection::Kind::kQueue && sel.queue == tr.queue) {
      p.outline(x0 - 2, kShelfY0 - 2, x1 + 2, kShelfY1 + 2, col(p.pal.badge), 6, 2.5f);
    }
    anchor(p.env, p, std::string("shelf.") + ticket_state_name(tr.state), x0, kShelfY0, x1,
           kShelfY1);
    if (tr.queue != nullptr) {
      hits.insert(hits.begin(),
                  Hit{Selection::of_queue(tr.queue), p.P(x0, kShelfY0), p.P(x1, kShelfY1)});
    }
  }
}

void draw_cook(const Painter& p, const sim::Simulation& sim, const sim::Cook& k, float cx, float cy,
               const Selection& sel) {
  const Rgb& body = p.pal.cook[static_cast<int>(k.state)];
  const float r = 16;
  p.circle(cx + 1.5f, cy + 2, r, col(p.pal.shadow, 0.25f));
  p.circle(cx, cy, r, col(body));
  p.ring(cx, cy, r, col(darker(body, 0.55f)), 1.4f);
  // The chef's hat.
  const bool down = k.state == sim::CookState::kCrashed || k.state == sim::CookState::kOffline;
  const ImU32 hat = down ? col(p.pal.kitchen) : IM_COL32(255, 255, 255, 255);
  // The hat's outline first, one unit larger, so a white hat shows on the paper floor.
  const ImU32 rim = col(p.pal.soft_ink, 0.7f);
  p.fill(cx - 11, cy - r - 9, cx + 11, cy - r + 4, rim);
  p.circle(cx - 6, cy - r - 9, 6, rim);
  p.circle(cx + 6, cy - r - 9, 6, rim);
  p.circle(cx, cy - r - 12, 7, rim);
  p.fill(cx - 10, cy - r - 8, cx + 10, cy - r + 3, hat);
  p.circle(cx - 6, cy - r - 9, 5, hat);
  p.circle(cx + 6, cy - r - 9, 5, hat);
  p.circle(cx, cy - r - 12, 6, hat);
  switch (k.state) {
    case sim::CookState::kCooking:
      p.text(cx + r + 2, cy - r - 4, "\xE2\x99\xA8", col(p.pal.ticket[4]), 16, 0, true);  // steam
      break;
    case sim::CookState::kFrozen:
      p.text(cx, cy - 10, "\xE2\x9D\x84", col(darker(body, 0.5f)), 19, 0.5f, true);  // snowflake
      break;
    case sim::CookState::kCrashed:
      p.text(cx, cy - 11, "\xE2\x9C\x97", col(p.pal.refused), 21, 0.5f, true);  // cross
      break;
    case sim::CookState::kOffline:
      p.text(cx, cy - 9, "\xE2\x80\xA6", col(p.pal.soft_ink), 17, 0.5f, true);  // ellipsis
      break;
    default:
      break;
  }
  if (sel.is(Selection::Kind::kCook, k.index)) p.ring(cx, cy, r + 4, col(p.pal.badge), 2.5f);
  (void)sim;
}

void draw_kitchen(const Painter& p, const Run& run, const Selection& sel, SceneUi& ui, bool snap,
                  std::vector<Hit>& hits) {
  const sim::Simulation& sim = run.sim();
  const auto& stations = sim.stations();
  const size_t ns = stations.size();
  const float sh =
      std::min(170.0f, (kShelfY1 - kBoardY0 + 6) / static_cast<float>(std::max<size_t>(ns, 1)));
  for (size_t s = 0; s < ns; ++s) {
    const float y0 = kBoardY0 + sh * static_cast<float>(s);
    const float y1 = y0 + sh - 6;
    // A station: tiles for a header, an outline around the cooks, the floor in between.
    p.fill(kKitchenX0, y0, kKitchenX1, y0 + 20, col(p.pal.kitchen), 8);
    p.outline(kKitchenX0, y0, kKitchenX1, y1, col(darker(p.pal.kitchen, 0.75f)), 8, 1.2f);
    std::string head = fill1(p.t.tr("scene.station"), "name", stations[s]);
    p.text(kKitchenX0 + 8, y0 + 3, head.c_str(), col(p.pal.ink), 14, 0, true);
    std::vector<const sim::Cook*> cooks;
    for (const sim::Cook& k : run.scene_cooks()) {  // STOMP programs that cook included
      if (k.station == s && k.state != sim::CookState::kRemoved) cooks.push_back(&k);
    }
    if (cooks.empty()) {
      p.text(kKitchenX0 + 8, y0 + 26, p.t.tr("scene.no_cooks"), col(p.pal.soft_ink), 11);
      continue;
    }
    const float cw =
        std::min(112.0f, (kKitchenX1 - kKitchenX0 - 8) / static_cast<float>(cooks.size()));
    const float hand = kHandScale * std::min(1.0f, cw / 100.0f);
    const float tw = kTicketW * hand, th = kTicketH * hand;
    for (size_t i = 0; i < cooks.size(); ++i) {
      const sim::Cook& k = *cooks[i];
      const float x0 = kKitchenX0 + 4 + cw * static_cast<float>(i);
      const float cx = x0 + cw / 2, cy = y0 + 52;
      draw_cook(p, sim, k, cx, cy, sel);
      p.text(cx, cy + 17, k.name.c_str(), col(p.pal.ink), 12.5f, 0.5f, true);
      std::string state_key = std::string("cook_state.") + sim::cook_state_name(k.state);
      std::string state = p.t.tr(state_key);
      if (k.state == sim::CookState::kCrashed && k.restart_at >= 0) {
        state =
            fill1(p.t.tr("scene.back_in"), "time", sim::format_countdown(k.restart_at - sim.now()));
      }
      p.text(cx, cy + 30, state.c_str(), col(p.pal.soft_ink), 11, 0.5f);
      anchor(p.env, p, "cook." + k.name, cx - 22, cy - 34, cx + 22, cy + 22);
      // The prefetch window: one slot per ticket it may hold, filled with those it holds.
      std::vector<const sim::Ticket*> held;
      for (const sim::Ticket& tk : k.held)
        held.push_back(&tk);
      const size_t slots = k.prefetch == 0 ? std::max<size_t>(held.size(), 1)
                                           : std::max<size_t>(k.prefetch, held.size());
      const size_t per_line = std::max<size_t>(1, static_cast<size_t>((cw - 6) / (tw + 3)));
      const float wy0 = cy + 44;
      const size_t lines_fit = std::max<size_t>(1, static_cast<size_t>((y1 - wy0 - 2) / (th + 3)));
      const size_t cap = per_line * lines_fit;
      const size_t drawn_slots = std::min(slots, cap);
      const float row_w = static_cast<float>(std::min(drawn_slots, per_line)) * (tw + 3) - 3;
      const float wx0 = cx - row_w / 2;
      const Fold f = fold_tickets(held.size(), cap);
      for (size_t j = 0; j < drawn_slots; ++j) {
        const float sx = wx0 + static_cast<float>(j % per_line) * (tw + 3);
        const float sy = wy0 + static_cast<float>(j / per_line) * (th + 3);
        if (j >= held.size()) {
          // An empty slot of the window: credit the broker may still use.
          p.outline(sx, sy, sx + tw, sy + th, col(p.pal.soft_ink, 0.55f), 3, 1.0f);
          continue;
        }
        if (j >= f.shown && f.folded > 0) {
          char more[32];
          std::snprintf(more, sizeof more, "+%zu", f.folded);
          p.fill(sx, sy, sx + tw, sy + th, col(p.pal.ticket[3]), 3);
          p.text(sx + tw / 2, sy + th / 2 - 6, more, col(p.pal.ink), 9.5f, 0.5f, true);
          break;
        }
        const sim::Ticket& tk = *held[j];
        const uint32_t n = run.ticket_of(tk.order, tk.message);
        const ImVec2 target(sx, sy);
        const ImVec2 from = board_row_origin(s, ns);
        const TicketKey key{TicketPlace::kCook, k.index, n, tk.message, tk.tag};
        const ImVec2 at = n != 0 ? glide(ui, key, target, from, snap, p.env.dt) : target;
        const bool stove = j == 0 && k.on_stove;
        if (stove) {
          // The one on the stove glows.
          p.fill(at.x - 3, at.y - 3, at.x + tw + 3, at.y + th + 3, col(p.pal.lit, 0.55f), 5);
        }
        draw_ticket(p, at, hand, TicketState::kUnacked, run.ticket_label(n),
                    redelivery_badge(tk.delivery_count, true), sel.is(Selection::Kind::kOrder, n),
                    false);
        if (n != 0) add_hit(hits, p, Selection::order(n), at.x, at.y, at.x + tw, at.y + th);
      }
      if (k.direct_order != 0) {
        const ImVec2 target(cx - tw / 2, wy0);
        const TicketKey key{TicketPlace::kCook, k.index, k.direct_order};
        const ImVec2 at = glide(ui, key, target, target, snap, p.env.dt);
        draw_ticket(p, at, hand, TicketState::kUnacked, run.ticket_label(k.direct_order), 0,
                    sel.is(Selection::Kind::kOrder, k.direct_order), false);
        add_hit(hits, p, Selection::order(k.direct_order), at.x, at.y, at.x + tw, at.y + th);
      }
      anchor(p.env, p, "cook." + k.name + ".window", wx0 - 2, wy0 - 2, wx0 + row_w + 2,
             wy0 + static_cast<float>((drawn_slots + per_line - 1) / per_line) * (th + 3));
      hits.insert(hits.begin(), Hit{Selection::cook(k.index), p.P(x0, y0 + 18), p.P(x0 + cw, y1)});
    }
  }
}

void draw_legend(const Painter& p) {
  const TicketState shown[] = {TicketState::kPlacing,     TicketState::kReady,
                               TicketState::kPersisted,   TicketState::kUnacked,
                               TicketState::kRedelivered, TicketState::kDeadLettered,
                               TicketState::kExpired,     TicketState::kLost};
  const float w = kWorldWidth / 8.0f;
  for (size_t i = 0; i < 8; ++i) {
    const float x = 6 + w * static_cast<float>(i);
    const Rgb& c = p.pal.ticket[static_cast<int>(shown[i])];
    p.fill(x, kLegendY, x + 14, kLegendY + 18, col(c), 2);
    p.outline(x, kLegendY, x + 14, kLegendY + 18, col(darker(c, 0.6f)), 2, 1.0f);
    std::string key = std::string("ticket.") + ticket_state_name(shown[i]);
    p.text(x + 18, kLegendY + 1, p.t.tr(key), col(p.pal.ink), 13);
  }
}

void draw_strip(ImDrawList* dl, const Run& run, ImVec2 min, ImVec2 max, SceneUi& ui,
                const SceneEnv& env, const ScenePalette& pal) {
  const PipelineCounts& pc = run.pipeline();
  const float w = max.x - min.x;
  const float gap = 14.0f;
  const float box = (w - gap * (kStageCount - 1) - 8) / kStageCount;
  const float line = env.projector ? 2.0f : 1.0f;
  const float fs_want = std::min(env.fonts.body->FontSize, (max.y - min.y) * 0.36f);
  ImFont* font = nearest_font(env.fonts.regular_sizes, fs_want * 0.85f);
  ImFont* bold = nearest_font(env.fonts.bold_sizes, fs_want);
  const float fs = bold->FontSize;
  for (int i = 0; i < kStageCount; ++i) {
    const auto idx = static_cast<size_t>(i);
    if (pc.passed[idx] != ui.stage_seen[idx]) ui.lit_until[idx] = env.real_time + 0.6;
    if (pc.refused[idx] != ui.refused_seen[idx]) ui.refused_until[idx] = env.real_time + 1.2;
    ui.stage_seen[idx] = pc.passed[idx];
    ui.refused_seen[idx] = pc.refused[idx];
    const float x0 = min.x + 4 + static_cast<float>(i) * (box + gap);
    const ImVec2 a(x0, min.y + 4), b(x0 + box, max.y - 4);
    const float lit =
        static_cast<float>(std::clamp((ui.lit_until[idx] - env.real_time) / 0.6, 0.0, 1.0));
    const float bad =
        static_cast<float>(std::clamp((ui.refused_until[idx] - env.real_time) / 1.2, 0.0, 1.0));
    // One fill per box, its colour mixed here: a lit box is not painted twice.
    auto mix = [](const Rgb& a0, const Rgb& b0, float t) {
      return Rgb{
          static_cast<int>(static_cast<float>(a0.r) + (static_cast<float>(b0.r - a0.r)) * t),
          static_cast<int>(static_cast<float>(a0.g) + (static_cast<float>(b0.g - a0.g)) * t),
          static_cast<int>(static_cast<float>(a0.b) + (static_cast<float>(b0.b - a0.b)) * t)};
    };
    Rgb face = pal.plate;
    if (lit > 0) face = mix(face, pal.lit, 0.25f + 0.7f * lit);
    if (bad > 0) face = mix(face, pal.refused, 0.2f + 0.6f * bad);
    dl->AddRectFilled(a, b, col(face), 6);
    dl->AddRect(a, b, col(darker(pal.wall, 0.6f)), 6, 0, line);
    std::string key = std::string("stage.") + stage_name(static_cast<Stage>(i));
    const char* label = env.i18n.tr(key);
    ImFont* lf = bold;
    ImVec2 ext = lf->CalcTextSizeA(lf->FontSize, FLT_MAX, 0, label);
    if (ext.x > box - 6) {
      // A long label takes a smaller loaded size rather than a scaled one.
      lf = nearest_font(env.fonts.bold_sizes, fs * (box - 6) / ext.x - 0.5f);
      ext = lf->CalcTextSizeA(lf->FontSize, FLT_MAX, 0, label);
    }
    dl->AddText(lf, lf->FontSize, ImVec2(std::floor(x0 + (box - ext.x) / 2), std::floor(a.y + 3)),
                col(pal.ink), label);
    char n[64];
    if (pc.refused[idx] > 0) {
      std::snprintf(n, sizeof n, "%llu / %llu \xE2\x9C\x97",
                    static_cast<unsigned long long>(pc.passed[idx]),
                    static_cast<unsigned long long>(pc.refused[idx]));
    } else {
      std::snprintf(n, sizeof n, "%llu", static_cast<unsigned long long>(pc.passed[idx]));
    }
    const float ns = font->FontSize;
    const ImVec2 ne = font->CalcTextSizeA(ns, FLT_MAX, 0, n);
    dl->AddText(font, ns, ImVec2(std::floor(x0 + (box - ne.x) / 2), std::floor(b.y - ne.y - 3)),
                col(pal.soft_ink), n);
    if (i + 1 < kStageCount) {
      // The arrow to the next stop.
      const float ay = (a.y + b.y) / 2, ax = b.x + 2;
      dl->AddLine(ImVec2(ax, ay), ImVec2(ax + gap - 5, ay), col(pal.soft_ink), line * 1.5f);
      dl->AddTriangleFilled(ImVec2(ax + gap - 4, ay), ImVec2(ax + gap - 9, ay - 4),
                            ImVec2(ax + gap - 9, ay + 4), col(pal.soft_ink));
    }
    if (env.anchors != nullptr) {
      env.anchors->set(env.anchor_prefix + "strip." + stage_name(static_cast<Stage>(i)),
                       Rect{a.x, a.y, b.x - a.x, b.y - a.y});
    }
  }
  if (env.anchors != nullptr) {
    env.anchors->set(env.anchor_prefix + "strip", Rect{min.x, min.y, max.x - min.x, max.y - min.y});
  }
}

}  // namespace

ImVec2 scene_world_origin(ImVec2 min, ImVec2 max, const SceneUi& ui, float* scale) {
  const float strip = ui.strip;
  const float w = max.x - min.x;
  const float h = std::max(1.0f, max.y - min.y - strip - 4);
  const float base = std::min(w / kWorldWidth, h / kWorldHeight);
  const float s = base * ui.zoom;
  *scale = s;
  return ImVec2(min.x + (w - kWorldWidth * s) / 2 - ui.pan.x * s,
                min.y + (h - kWorldHeight * s) / 2 - ui.pan.y * s);
}

void paint_scene(const Run& run, const Selection& selection, ImVec2 min, ImVec2 max, SceneUi& ui,
                 const SceneEnv& env, std::vector<Hit>& hits) {
  const sim::Simulation& sim = run.sim();
  ++ui.frame;
  // After a jump in time (a replay, a fork, a scrub forward) tickets go straight to their places;
  // while playing they glide.
  const bool snap = ui.epoch != env.epoch || std::llabs(sim.now() - ui.last_now) > 30 * kSeconds;
  if (ui.epoch != env.epoch) {
    ui.tickets.clear();
    ui.receipts_seen.clear();
    ui.stage_seen = run.pipeline().passed;
    ui.refused_seen = run.pipeline().refused;
  }
  ui.epoch = env.epoch;
  ui.last_now = sim.now();

  const ScenePalette& pal = scene_palette(env.projector);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ui.strip = kStripHeight * (env.projector ? 1.4f : 1.0f) * (env.compact ? 0.75f : 1.0f);
  const float strip = ui.strip;
  const ImVec2 world_max(max.x, max.y - strip - 4);
  float s = 1;
  const ImVec2 origin = scene_world_origin(min, max, ui, &s);
  Painter p{dl, origin, s, env, pal, env.projector ? 2.0f : 1.0f, env.i18n};

  // No floor is painted: the scene window has no background, so the backdrop (the GL clear,
  // which costs nothing per pixel) is the warung's floor.
  dl->PushClipRect(min, world_max, true);
  const Counts counts = count_orders(sim);
  draw_cashiers(p, run, selection, ui, snap, hits);
  draw_pickup(p, sim, counts, selection, hits);
  draw_board(p, run, selection, ui, snap, hits);
  draw_shelf(p, run, counts, selection, ui, snap, hits);
  draw_kitchen(p, run, selection, ui, snap, hits);
  draw_legend(p);
  dl->PopClipRect();
  if (env.anchors != nullptr) {
    env.anchors->set(env.anchor_prefix + "canvas",
                     Rect{min.x, min.y, world_max.x - min.x, world_max.y - min.y});
  }

  draw_strip(dl, run, ImVec2(min.x, max.y - strip), max, ui, env, pal);

  // Forget the glides of tickets that were not drawn (served, folded into a stack).
  ui.tickets.forget_undrawn(ui.frame);
}

}  // namespace wmq::gui
