#include "gui/scene_painter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "gui/model/scene_counts.h"
#include "gui/widgets.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

// How long, in real seconds, a moment stays on screen: a cashier's receipt (fading out over its
// last kReceiptFade), a pipeline stop lit by an event passing, a stop that refused one.
constexpr double kReceiptShown = 1.6, kReceiptFade = 0.4;
constexpr double kStageLit = 0.6, kStageRefused = 1.2;

Rgb darker(const Rgb& c, float f = 0.7f) {
  return Rgb{static_cast<int>(static_cast<float>(c.r) * f),
             static_cast<int>(static_cast<float>(c.g) * f),
             static_cast<int>(static_cast<float>(c.b) * f)};
}

// `str` as drawn in `font` at most `room` pixels wide: whole, or its end cut off at a whole UTF-8
// character and replaced by an ellipsis. `extent` receives the size drawn.
std::string ellipsize(ImFont* font, const char* str, float room, ImVec2* extent) {
  const float px = font->FontSize;
  *extent = font->CalcTextSizeA(px, FLT_MAX, 0.0f, str);
  std::string cut = str;
  if (extent->x <= room) return cut;
  while (!cut.empty() && extent->x > room) {
    size_t end = cut.size() - 1;
    while (end > 0 && (static_cast<unsigned char>(cut[end]) & 0xC0) == 0x80)
      --end;
    cut.resize(end);
    *extent = font->CalcTextSizeA(px, FLT_MAX, 0.0f, (cut + "\xE2\x80\xA6").c_str());
  }
  return cut + "\xE2\x80\xA6";
}

struct Painter {
  ImDrawList* dl;
  ImVec2 origin;
  float s;  // pixels per world unit
  const SceneEnv& env;
  const ScenePalette& pal;
  float line;  // line thickness multiplier
  const I18n& t;
  const SceneSizes& sz;  // the sizes the layout was made with (env.sizes)
  // What the spotlight falls on this frame (world units), and the focused tickets' numbers to
  // write large over the dimmed scene; filled while drawing, drawn last.
  std::vector<WorldRect>* spots;
  struct Mark {
    ImVec2 at;  // the ticket's top centre, world units
    std::string label;
    WorldRect ticket;  // the ticket, world units
  };
  std::vector<Mark>* marks;
  mutable bool overlay = false;  // the text drawn now is an overlay (TextRun::overlay)

  ImVec2 P(float x, float y) const { return ImVec2(origin.x + x * s, origin.y + y * s); }
  ImVec2 P(ImVec2 w) const { return P(w.x, w.y); }
  ImVec2 P(WorldPoint w) const { return P(w.x, w.y); }
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
  // The loaded font nearest to `size` world units (times the layout's type size) at this zoom,
  // never under the scene's floor (env.min_text_px).
  ImFont* font_for(float size, bool bold) const {
    const float pixels = type_size(sz, size) * sz.text * s * (env.projector ? 1.15f : 1.0f);
    const std::vector<ImFont*>& sizes = bold ? env.fonts.bold_sizes : env.fonts.regular_sizes;
    ImFont* f = nearest_font(sizes, pixels);
    return f->FontSize + 0.01f < env.min_text_px ? font_at_least(sizes, env.min_text_px) : f;
  }
  // Text of `size` world units at (x, y), drawn in the nearest loaded font at its own size;
  // align 0 = left, 0.5 = centre, 1 = right. A text wider than `room` world units (0: any
  // width) loses its end to an ellipsis: a label never runs into its neighbour. Returns its
  // width in world units.
  float text(float x, float y, const char* str, ImU32 c, float size, float align = 0.0f,
             bool bold = false, float room = 0) const {
    ImFont* font = font_for(size, bold);
    const float pixels = font->FontSize;
    ImVec2 extent;
    const std::string cut = ellipsize(font, str, room > 0 ? room * s : FLT_MAX, &extent);
    str = cut.c_str();
    const ImVec2 at = P(x, y);
    const ImVec2 pos(std::floor(at.x - extent.x * align), std::floor(at.y));
    dl->AddText(font, pixels, pos, c, str);
    if (env.text_runs != nullptr && *str != '\0') {
      env.text_runs->add(WorldRect{pos.x, pos.y, pos.x + extent.x, pos.y + extent.y}, pixels, str,
                         overlay);
    }
    return extent.x / s;
  }
  float text_width(const char* str, float size, bool bold = false) const {
    ImFont* font = font_for(size, bold);
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, str).x / s;
  }
  // `str` centred on x in lines no wider than `room`, broken between words. Returns the world
  // y under the last line.
  float text_wrapped(float x, float y, const char* str, ImU32 c, float size, float room) const {
    const float lh = line_height(size);
    std::string line, word;
    const std::string all = std::string(str) + " ";
    for (char ch : all) {
      if (ch != ' ') {
        word += ch;
        continue;
      }
      const std::string longer = line.empty() ? word : line + " " + word;
      if (!line.empty() && text_width(longer.c_str(), size) > room) {
        text(x, y, line.c_str(), c, size, 0.5f, false, room);
        y += lh;
        line = word;
      } else {
        line = longer;
      }
      word.clear();
    }
    if (!line.empty()) text(x, y, line.c_str(), c, size, 0.5f, false, room);
    return y + lh;
  }
  // The size whose font is `pixels` tall at this zoom (font_for's inverse).
  float size_for_px(float pixels) const {
    const float eff = pixels / (s * sz.text * (env.projector ? 1.15f : 1.0f));
    return sz.heading == 1.0f ? eff : 11.0f * std::pow(eff / 11.0f, 1.0f / sz.heading);
  }
  bool legible() const { return sz.text > 1.0f; }
  // `key`'s words, or (the larger type only) its short form (I18n::tr_short) when they are
  // wider than `room` world units at `size`; "{count}" filled with `count` when given.
  std::string words(const char* key, float size, float room, bool bold = false,
                    const std::string* count = nullptr) const {
    auto fill = [&](const char* str) {
      return count != nullptr ? fill_placeholders(str, {{"count", *count}}) : std::string(str);
    };
    std::string full = fill(t.tr(key));
    if (!legible() || text_width(full.c_str(), size, bold) <= room) return full;
    return fill(t.tr_short(key));
  }
  // The height of a line of text of `size` world units, in world units.
  float line_height(float size, bool bold = false) const {
    return font_for(size, bold)->FontSize / s;
  }

  bool focused(Selection::Kind kind, uint32_t index) const {
    for (const FocusTarget& f : env.focus) {
      if (f.selection.is(kind, index)) return true;
    }
    return false;
  }
  bool focused_queue(const std::string& name) const {
    for (const FocusTarget& f : env.focus) {
      if (f.selection.kind == Selection::Kind::kQueue && f.selection.queue == name) return true;
    }
    return false;
  }
  bool focused_shelf(const std::string& name) const {
    for (const FocusTarget& f : env.focus) {
      if (f.shelf == name) return true;
    }
    return false;
  }
  void spot(float x0, float y0, float x1, float y1) const {
    spots->push_back(WorldRect{x0, y0, x1, y1});
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

// A badge such as "durable": a small rounded label, at most `room` wide (0: any width).
// Returns its height.
float badge(const Painter& p, float x, float y, const char* label, const Rgb& bg, float size = 10,
            float room = 0) {
  const float w = std::min(p.text_width(label, size) + 8, room > 0 ? room : FLT_MAX);
  const float h = p.line_height(size) + 3;
  p.fill(x, y, x + w, y + h, col(bg), 4);
  p.text(x + 4, y + 1.5f, label, IM_COL32(255, 255, 255, 255), size, 0, false, w - 8);
  return h;
}

// One ticket, top-left at `at` (world), `scale` times the normal size, saying `label`
// (Run::ticket_label).
void draw_ticket(const Painter& p, ImVec2 at, float scale, TicketState state,
                 const std::string& label, uint32_t redelivery, bool selected, bool pinned,
                 uint32_t number = 0, float height = 0) {
  const Rgb& paper = p.pal.ticket[static_cast<int>(state)];
  // `height`: a ticket cut shorter than its scale's (a short station's hand); 0: its scale's.
  const float w = p.sz.ticket_w * scale, h = height > 0 ? height : p.sz.ticket_h * scale;
  const float x0 = at.x, y0 = at.y, x1 = at.x + w, y1 = at.y + h;
  if (number != 0 && p.focused(Selection::Kind::kOrder, number)) {
    // The ticket the story is about: a halo under it wherever it is, its number written large
    // over the dimmed scene, and the spotlight on it.
    p.fill(x0 - 7, y0 - 7, x1 + 7, y1 + 7, col(p.pal.lit), 6);
    p.spot(x0 - 7 - 6 / p.s, y0 - 7 - 6 / p.s, x1 + 7 + 6 / p.s, y1 + 7 + 6 / p.s);
    p.marks->push_back(Painter::Mark{ImVec2(x0 + w / 2, y0 - 8), label, WorldRect{x0, y0, x1, y1}});
  }
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
  // A program's own order id may be six characters wide: it shrinks to the paper. Where the
  // scene's text floor stops it shrinking, it keeps its last characters after a "~" (as
  // Run::ticket_label shortens a long id: the end tells tickets apart), and only what not even
  // that fits is cut with an ellipsis; never does it run into the next ticket. The inspector
  // names the order whole.
  float size = (label.size() >= 4 ? 10.0f : 12.5f) * scale;
  const float room = w - 3 * scale, wide = p.text_width(label.c_str(), size, true);
  if (wide > room) size *= room / wide;
  std::string shown = label;
  for (size_t keep = label.size(); keep > 1 && p.text_width(shown.c_str(), size, true) > w;) {
    size_t from = label.size() - --keep;
    while (from < label.size() && (static_cast<unsigned char>(label[from]) & 0xc0) == 0x80)
      ++from;  // not into the middle of a character
    keep = label.size() - from;
    shown = "~" + label.substr(from);
  }
  // The larger type's redelivery badge sits on the ticket's top edge, its lower half over the
  // paper: the number goes under it when the ticket is tall enough, so neither is raised into
  // what is above the ticket.
  const float badge_lh = p.line_height(9.5f * scale, true);
  float number_y = y0 + 8 * scale;
  const bool badge_low = p.legible() && y0 + badge_lh / 2 + 1 + p.line_height(size, true) <= y1 + 1;
  if (badge_low) number_y = std::max(number_y, y0 + badge_lh / 2 + 1);
  p.text(x0 + w / 2, number_y, shown.c_str(), col(p.pal.ink), size, 0.5f, true, w);
  if (pinned) {
    p.fill(x0 + w / 2 - 2 * scale, y0 + 1.5f * scale, x0 + w / 2 + 2 * scale, y0 + 5.5f * scale,
           col(p.pal.badge, 0.85f));
  }
  if (redelivery >= 2) {
    // On the corner, raised as far as its type needs to stay clear of the ticket's number.
    const float lh = badge_lh;
    const float bx = x1 - 1, by = badge_low ? y0 : std::min(y0 + 1, y0 + 8 * scale - lh / 2 - 1.5f);
    p.circle(bx, by, std::max(8.5f * scale, 0.62f * lh), col(p.pal.badge));
    char b[32];
    std::snprintf(b, sizeof b, "x%u", redelivery);
    p.text(bx, by - lh / 2, b, IM_COL32(255, 255, 255, 255), 9.5f * scale, 0.5f, true);
  }
  if (selected) {
    p.outline(x0 - 3, y0 - 3, x1 + 3, y1 + 3, col(p.pal.badge), 4, 2.5f);
  }
}

// A stack of folded tickets with its count, in one ticket slot.
void draw_stack(const Painter& p, ImVec2 at, size_t count, const Rgb& paper) {
  for (int i = 2; i >= 0; --i) {
    const float o = static_cast<float>(i) * 3.0f;
    const float x1 = at.x + p.sz.ticket_w + o, y1 = at.y + p.sz.ticket_h + o;
    p.fill(at.x + o, at.y + o, x1, y1, col(paper), 3);
    p.outline(at.x + o, at.y + o, x1, y1, col(darker(paper, 0.6f)), 3, 1.0f);
  }
  char n[64];
  std::snprintf(n, sizeof n, "+%zu", count);
  const float size = count >= 1000 ? 9.0f : 11.0f;
  p.text(at.x + p.sz.ticket_w / 2 + 3, at.y + 13, n, col(p.pal.ink), size, 0.5f, true);
}

// Moves ticket `key` toward `target` and returns where to draw it this frame (model/glides.h).
ImVec2 glide(SceneUi& ui, const TicketKey& key, WorldPoint target, WorldPoint from, bool snap,
             float dt) {
  const WorldPoint at = ui.tickets.move(key, target, from, snap, dt, ui.frame);
  return ImVec2(at.x, at.y);
}

ImVec2 vec(WorldPoint w) {
  return ImVec2(w.x, w.y);
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

void draw_cashiers(const Painter& p, const Run& run, const Selection& sel, SceneUi& ui, bool snap,
                   std::vector<Hit>& hits) {
  const auto& cashiers = run.scene_cashiers();  // STOMP programs that send orders included
  const size_t n = cashiers.size();
  // A heading no larger than the floor needs: the first desk is close under it.
  p.text(8, 0, p.t.tr("scene.cashiers"), col(p.pal.ink), 14, 0, true, 210);
  if (ui.receipts_seen.size() != n) {
    ui.receipts_seen.assign(n, 0);
    ui.receipt_until.assign(n, 0);
    for (size_t i = 0; i < n; ++i)
      ui.receipts_seen[i] = cashiers[i].receipts;
  }
  if (desks_drawn(n) < n) {
    const WorldRect d = cashier_desk(desks_drawn(n), n, p.sz);
    std::string more =
        fill1(p.t.tr("scene.more_cashiers"), "count", std::to_string(n - desks_drawn(n)));
    p.text(d.x0, d.y0 + 6, more.c_str(), col(p.pal.soft_ink), 13, 0, true);
  }
  for (size_t i = 0; i < desks_drawn(n); ++i) {
    const sim::Cashier& c = cashiers[i];
    const WorldRect d = cashier_desk(i, n, p.sz);
    const float h = d.height();
    const bool down = c.state == sim::CashierState::kCrashed;
    // Customers: the one at the counter, then the line.
    const float cy = d.y0 + h * 0.55f;
    if (c.customer != 0 && c.state == sim::CashierState::kTaking) {
      p.circle(d.x0 - 16, cy, 9, col(p.pal.customer));
    }
    const size_t line = c.line.size();
    // The larger type's wider desk leaves room for the line's count only.
    const size_t max_line = p.legible() ? 0 : kMaxLine;
    for (size_t j = 0; j < std::min<size_t>(line, max_line); ++j) {
      p.circle(d.x0 - 40 - 21 * static_cast<float>(j), cy, 8.5f, col(p.pal.customer, 0.85f));
    }
    if (line > max_line) {
      char more[32];
      std::snprintf(more, sizeof more, "+%zu", line - max_line);
      p.text(2, cy - 7, more, col(p.pal.ink), 12, 0, true);
    }
    // The desk.
    const Rgb& desk = down ? p.pal.cashier_down : p.pal.cashier;
    p.fill(d.x0 + 4, d.y1, d.x1 + 1, d.y1 + 3, col(p.pal.shadow, 0.3f));
    p.fill(d.x0, d.y0, d.x1, d.y1, col(desk), 6);
    p.outline(d.x0, d.y0, d.x1, d.y1, col(darker(desk, 0.6f)), 6, 1.2f);
    if (p.focused(Selection::Kind::kCashier, c.index))
      p.spot(d.x0 - 6, d.y0 - 6, d.x1 + 6, d.y1 + 6);
    // The name leaves the corner to the cross of a desk that is down.
    p.text(d.x0 + 6, d.y0 + 4, c.name.c_str(), col(down ? p.pal.receipt : p.pal.ink), 13.5f, 0,
           true, d.width() - (down || !p.legible() ? 24 : 12));
    std::string state_key = std::string("cashier_state.") + sim::cashier_state_name(c.state);
    p.text(d.x0 + 6, d.y0 + 6 + p.line_height(13.5f, true), p.t.tr(state_key),
           col(down ? p.pal.receipt : p.pal.soft_ink), 11.5f, 0, false, d.width() - 12);
    if (down) p.text(d.x1 - 8, d.y0 + 2, "\xE2\x9C\x97", col(p.pal.refused), 18, 1, true);
    // The order being placed waits at the desk's edge until the board (or, in direct mode, a
    // cook) has it; direct mode's kWaitingFood is not here: the cook holds and draws it.
    if ((c.state == sim::CashierState::kWaitingConfirm ||
         c.state == sim::CashierState::kWaitingBroker ||
         c.state == sim::CashierState::kWaitingCook) &&
        c.order != 0) {
      const WorldPoint target = desk_ticket(d);
      const TicketKey key{TicketPlace::kCashier, static_cast<uint32_t>(i), c.order};
      const ImVec2 at = glide(ui, key, target, target, snap, p.env.dt);
      draw_ticket(p, at, kHandScale, TicketState::kPlacing, run.ticket_label(c.order), 0,
                  sel.is(Selection::Kind::kOrder, c.order), false, c.order);
      add_hit(hits, p, Selection::order(c.order), at.x, at.y, at.x + p.sz.ticket_w * kHandScale,
              at.y + p.sz.ticket_h * kHandScale);
    }
    // A plate in hand while handing food over.
    if (c.state == sim::CashierState::kHanding) {
      p.circle(d.x0 - 4, d.y0 + 8, 8, col(p.pal.plate));
      p.ring(d.x0 - 4, d.y0 + 8, 8, col(darker(p.pal.plate, 0.6f)));
    }
    // The receipt: the broker's confirm, shown for a moment each time one comes.
    if (c.receipts > ui.receipts_seen[i]) ui.receipt_until[i] = p.env.real_time + kReceiptShown;
    ui.receipts_seen[i] = c.receipts;
    const double left = ui.receipt_until[i] - p.env.real_time;
    if (left > 0 && c.last_receipt != 0) {
      const float rise = static_cast<float>(kReceiptShown - left) * 6.0f;
      const float a = static_cast<float>(std::min(1.0, left / kReceiptFade));
      char r[32];
      std::snprintf(r, sizeof r, "\xE2\x9C\x93 %u", c.last_receipt);
      // As large as its words, and above the desk's name (the larger type's desk leaves it
      // room above).
      const float rw = std::max(42.0f, p.text_width(r, 10.5f, true) + 8);
      const float rh = std::max(18.0f, p.line_height(10.5f, true) + 2);
      const float rx = d.x1 - rw - 2, ry = p.legible() ? d.y0 - rh - 2 - rise : d.y0 - 14 - rise;
      p.fill(rx, ry, rx + rw, ry + rh, col(p.pal.receipt, a), 2);
      p.outline(rx, ry, rx + rw, ry + rh, col(p.pal.soft_ink, a), 2, 1.0f);
      p.text(rx + rw / 2, ry + (p.legible() ? 1 : 3), r, col(p.pal.ticket[2], a), 10.5f, 0.5f,
             true);
    }
    if (sel.is(Selection::Kind::kCashier, static_cast<uint32_t>(i))) {
      p.outline(d.x0 - 3, d.y0 - 3, d.x1 + 3, d.y1 + 3, col(p.pal.badge), 7, 2.5f);
    }
    anchor(p.env, p, "cashier." + c.name, d.x0, d.y0, d.x1, d.y1);
    hits.insert(hits.begin(), Hit{Selection::cashier(static_cast<uint32_t>(i)), p.P(d.x0, d.y0),
                                  p.P(d.x1, d.y1)});
  }
}

void draw_pickup(const Painter& p, const SceneCounts& counts, const Selection& sel,
                 std::vector<Hit>& hits) {
  const uint64_t plates = counts.plates;
  const WorldRect area = pickup_area(p.sz), counter = pickup_counter(p.sz);
  const std::string heading = p.words("scene.pickup", 15, area.width() - 4, true);
  p.text(area.x0 + 2, area.y0 - 2, heading.c_str(), col(p.pal.ink), 15, 0, true, area.width() - 4);
  const float y0 = counter.y0;
  p.fill(counter.x0 + 3, counter.y1, counter.x1 - 1, counter.y1 + 3, col(p.pal.shadow, 0.3f));
  p.fill(counter.x0, counter.y0, counter.x1, counter.y1, col(p.pal.counter), 5);
  const size_t shown = std::min<uint64_t>(plates, kMaxPlates);
  for (size_t i = 0; i < shown; ++i) {
    const float x = 22 + 24 * static_cast<float>(i);
    p.circle(x, y0 + 12, 9, col(p.pal.plate));
    p.circle(x, y0 + 12, 4.5f, col(p.pal.ticket[4], 0.9f));
  }
  if (plates > shown) {
    char more[32];
    std::snprintf(more, sizeof more, "+%llu", static_cast<unsigned long long>(plates - shown));
    p.text(counter.x1 - 8, y0 + 5, more, col(p.pal.receipt), 12, 1, true);
  }
  const std::string count = std::to_string(counts.waiting_food);
  const std::string waiting = p.words("scene.waiting_tables", 12, area.width() - 4, false, &count);
  p.text(area.x0 + 2, counter.y1 + 5, waiting.c_str(), col(p.pal.soft_ink), 12, 0, false,
         area.width() - 4);
  if (sel.kind == Selection::Kind::kQueue && sel.queue == "pickup") {
    p.outline(counter.x0 - 3, y0 - 3, counter.x1 + 3, counter.y1 + 3, col(p.pal.badge), 6, 2.5f);
  }
  anchor(p.env, p, "pickup", counter.x0, counter.y0, counter.x1, counter.y1);
  add_hit(hits, p, Selection::of_queue("pickup"), area.x0, area.y0, area.x1, area.y1);
}

void draw_board(const Painter& p, const Run& run, const Selection& sel, SceneUi& ui, bool snap,
                std::vector<Hit>& hits) {
  const sim::Simulation& sim = run.sim();
  const WorldRect fr = board_frame(p.sz);
  const float title = board_title_height(p.sz);
  // The cork board in its wooden frame: the frame is drawn as its four sides, not as a plank
  // under the cork, so no pixel of the board is painted twice (the software renderer's cost
  // is per pixel painted).
  // The title bar's rounded corners overlap the sides' tops by 6 units.
  p.fill(fr.x0 + 8, fr.y1, fr.x1 + 3, fr.y1 + 4, col(p.pal.shadow, 0.3f));
  p.fill(fr.x0, fr.y0, fr.x1, fr.y0 + title, col(p.pal.board_frame), 8);
  p.fill(fr.x0, fr.y0 + title - 6, fr.x0 + 6, fr.y1, col(p.pal.board_frame));
  p.fill(fr.x1 - 6, fr.y0 + title - 6, fr.x1, fr.y1, col(p.pal.board_frame));
  p.fill(fr.x0 + 6, fr.y1 - 6, fr.x1 - 6, fr.y1, col(p.pal.board_frame));
  p.fill(fr.x0 + 6, fr.y0 + title, fr.x1 - 6, fr.y1 - 6, col(p.pal.board));
  p.text(fr.x0 + 10, fr.y0 + 3, p.t.tr("scene.order_board"), IM_COL32(255, 246, 230, 255), 17, 0,
         true);
  anchor(p.env, p, "board", fr.x0, fr.y0, fr.x1, fr.y1);
  if (p.focused(Selection::Kind::kBroker, 0)) p.spot(fr.x0 - 4, fr.y0 - 4, fr.x1 + 4, fr.y1 + 4);
  add_hit(hits, p, Selection::broker(), fr.x0, fr.y0, fr.x1, fr.y0 + title);

  const auto& stations = sim.stations();
  const size_t ns = stations.size();
  const BoardRows b = board_rows(ns, p.sz);
  const size_t capacity = b.capacity();

  if (sim.mode() == sim::Mode::kDirect) {
    const float cx = (fr.x0 + fr.x1) / 2, cy = (fr.y0 + fr.y1) / 2;
    const float room = fr.width() - 16;
    const std::string no_board = p.words("scene.no_board", 14, room, true);
    p.text(cx, cy - 24 - p.line_height(14, true), no_board.c_str(), IM_COL32(255, 246, 230, 255),
           14, 0.5f, true, room);
    p.text_wrapped(cx, cy - 16, p.t.tr("scene.no_board_help"), IM_COL32(255, 246, 230, 255), 11,
                   room);
    return;
  }

  const Broker* broker = sim.broker();
  for (size_t s = 0; s < stations.size(); ++s) {
    const sim::QueueStats& q = sim.queues()[s];
    const WorldRect row = board_row(s, ns, p.sz);
    const float y0 = row.y0, y1 = row.y1;
    if (s > 0) {
      p.dl->AddLine(p.P(row.x0 + 4, y0 - 2), p.P(row.x1 - 4, y0 - 2), col(p.pal.board_frame, 0.5f),
                    std::max(1.0f, p.line));
    }
    // The row's label: station, durable or transient, how many wait.
    const float label_room = b.label_w - 6;
    p.text(row.x0 + 6, y0 + 3, stations[s].c_str(), col(p.pal.ink), 15, 0, true, label_room);
    const float badge_y = y0 + 5 + p.line_height(15, true);
    // A row too short for three lines of the larger type leaves the badge out: the tickets'
    // colours (the legend's "persisted") say the same.
    const bool with_badge =
        !p.legible() || badge_y + p.line_height(11) + 6 + p.line_height(11.5f) <= y1;
    const float badge_h =
        with_badge
            ? badge(p, row.x0 + 6, badge_y, p.t.tr(q.durable ? "scene.durable" : "scene.transient"),
                    q.durable ? darker(p.pal.ticket[2], 0.7f) : darker(p.pal.ticket[4], 0.8f), 11,
                    label_room)
            : -3.0f;
    char waiting[32];
    std::snprintf(waiting, sizeof waiting, "%llu", static_cast<unsigned long long>(q.depth));
    std::string w = fill1(p.t.tr("scene.waiting"), "count", waiting);
    p.text(row.x0 + 6, badge_y + badge_h + 3, w.c_str(), col(p.pal.ink), 11.5f, 0, false,
           label_room);
    const bool row_selected = sel.kind == Selection::Kind::kQueue && sel.queue == stations[s];
    if (row_selected) {
      p.outline(row.x0 + 1, y0 - 1, row.x1 - 1, y1, col(p.pal.badge), 4, 2.5f);
    }
    anchor(p.env, p, "board." + stations[s], row.x0, y0, row.x1, y1);
    if (p.focused_queue(stations[s])) p.spot(row.x0, y0 - 2, row.x1, y1 + 2);
    anchor(p.env, p, "board." + stations[s] + ".label", row.x0, y0, fr.x0 + b.label_w, y1);
    add_hit(hits, p, Selection::of_queue(stations[s]), row.x0, y0, row.x1, y1);

    if (broker == nullptr) continue;
    const uint64_t ready = q.depth;
    const Fold f = fold_tickets(static_cast<size_t>(ready), capacity);
    std::vector<QueuedMessage> msgs = broker->peek(stations[s], 0, f.shown);
    size_t slot = 0;
    for (const QueuedMessage& m : msgs) {
      if (m.unacked || slot >= f.shown) break;
      // A simulated order's number, or the ticket of one a STOMP program sent.
      const uint32_t n = run.ticket_of(run.order_of_message(m.id), m.id);
      const sim::Order* o = sim.order(n);
      const WorldPoint target = board_slot(s, ns, slot, p.sz);
      WorldPoint from = target;
      if (o != nullptr) {
        const WorldRect desk = cashier_desk(o->cashier, sim.cashiers().size(), p.sz);
        from = WorldPoint{desk.x0, desk.y0};
      }
      const TicketKey key{TicketPlace::kBoard, static_cast<uint32_t>(s), n, m.id};
      const ImVec2 at = n != 0 ? glide(ui, key, target, from, snap, p.env.dt) : vec(target);
      const TicketState st =
          board_ticket_state(q.durable, run.ticket_confirmed(n), m.delivery_count, m.redelivered);
      draw_ticket(p, at, 1.0f, st, run.ticket_label(n), redelivery_badge(m.delivery_count, false),
                  sel.is(Selection::Kind::kOrder, n), true, n);
      if (n != 0)
        add_hit(hits, p, Selection::order(n), at.x, at.y, at.x + p.sz.ticket_w,
                at.y + p.sz.ticket_h);
      ++slot;
    }
    if (f.folded > 0) {
      const ImVec2 at = vec(board_slot(s, ns, capacity - 1, p.sz));
      draw_stack(p, at, f.folded,
                 q.durable ? p.pal.ticket[static_cast<int>(TicketState::kPersisted)]
                           : p.pal.ticket[static_cast<int>(TicketState::kReady)]);
      anchor(p.env, p, "board." + stations[s] + ".stack", at.x, at.y, at.x + p.sz.ticket_w + 6,
             at.y + p.sz.ticket_h + 6);
    }
  }

  if (broker == nullptr) {
    // The broker's memory is gone: the board is dark until it restarts from its file.
    const WorldRect cork{fr.x0 + 6, fr.y0 + title, fr.x1 - 6, fr.y1 - 6};
    p.fill(cork.x0, cork.y0, cork.x1, cork.y1, col(p.pal.broker_down, 0.86f), 4);
    const float cx = (fr.x0 + fr.x1) / 2, cy = (fr.y0 + fr.y1) / 2;
    p.text(cx, cy - 30, p.t.tr("scene.broker_down"), IM_COL32(255, 236, 220, 255), 18, 0.5f, true);
    std::string when;
    if (sim.broker_restart_at() >= 0) {
      when = fill1(p.t.tr("scene.broker_back_in"), "time",
                   sim::format_countdown(sim.broker_restart_at() - sim.now()));
    } else {
      when = p.t.tr("scene.broker_restart_hint");
    }
    p.text(cx, cy, when.c_str(), IM_COL32(255, 236, 220, 255), 12, 0.5f);
    anchor(p.env, p, "board.down", cork.x0, cork.y0, cork.x1, cork.y1);
  }
}

void draw_shelf(const Painter& p, const Run& run, const SceneCounts& counts, const Selection& sel,
                SceneUi& ui, bool snap, std::vector<Hit>& hits) {
  struct Tray {
    const char* key;
    size_t count;
    const std::vector<uint32_t>* last;
    TicketState state;
    const char* queue;  // what clicking the tray selects, or null
  };
  const Tray trays[kShelfTrays] = {
      {"scene.dead_letters", counts.dead, &counts.last_dead, TicketState::kDeadLettered,
       "dead-letters"},
      {"scene.expired", counts.expired, &counts.last_expired, TicketState::kExpired, nullptr},
      {"scene.lost", counts.lost, &counts.last_lost, TicketState::kLost, nullptr},
  };
  for (size_t i = 0; i < kShelfTrays; ++i) {
    const Tray& tr = trays[i];
    const WorldRect tray = shelf_tray(i, p.sz);
    const float x0 = tray.x0, x1 = tray.x1, y0 = tray.y0, y1 = tray.y1;
    p.fill(x0, y0, x1, y1, col(p.pal.wall), 6);
    p.outline(x0, y0, x1, y1, col(darker(p.pal.wall, 0.7f)), 6, 1.0f);
    const ImU32 ink = col(tr.count > 0 ? p.pal.ink : p.pal.soft_ink);
    float right = x1 - 4;  // where the tickets must end
    if (!p.legible()) {
      char head[96];
      std::snprintf(head, sizeof head, "%s: %zu", p.t.tr(tr.key), tr.count);
      p.text(x0 + 6, y0 + 3, head, ink, 13, 0, tr.count > 0, x1 - x0 - 12);
    } else {
      // The larger type: the tray's name on its heading (short where the language has a
      // short form), the count large at the end of its row of tickets.
      const std::string name = p.words(tr.key, 13, x1 - x0 - 12, tr.count > 0);
      p.text(x0 + 6, y0 + 3, name.c_str(), ink, 13, 0, tr.count > 0, x1 - x0 - 12);
      const std::string n = std::to_string(tr.count);
      const float lh = p.line_height(15, true);
      right -= p.text(x1 - 6, y1 - lh - 4, n.c_str(), ink, 15, 1.0f, true) + 4;
    }
    // The newest that fit across the tray.
    const float step = shelf_slot(i, 1, p.sz).x - shelf_slot(i, 0, p.sz).x;
    const float paper = p.sz.ticket_w * kShelfScale;
    const size_t fits = static_cast<size_t>(
        std::max(0.0f, (right - shelf_slot(i, 0, p.sz).x + step - paper) / step));
    for (size_t j = 0; j < std::min(tr.last->size(), fits); ++j) {
      const uint32_t n = (*tr.last)[j];
      const WorldPoint target = shelf_slot(i, j, p.sz);
      const TicketKey key{TicketPlace::kShelf, static_cast<uint32_t>(i), n};
      const ImVec2 at = glide(ui, key, target, target, snap, p.env.dt);
      draw_ticket(p, at, kShelfScale, tr.state, run.ticket_label(n), 0,
                  sel.is(Selection::Kind::kOrder, n), false, n);
      add_hit(hits, p, Selection::order(n), at.x, at.y, at.x + p.sz.ticket_w * kShelfScale,
              at.y + p.sz.ticket_h * kShelfScale);
    }
    if (tr.queue != nullptr && sel.kind == Selection::Kind::kQueue && sel.queue == tr.queue) {
      p.outline(x0 - 2, y0 - 2, x1 + 2, y1 + 2, col(p.pal.badge), 6, 2.5f);
    }
    anchor(p.env, p, std::string("shelf.") + ticket_state_name(tr.state), x0, y0, x1, y1);
    static constexpr const char* kShelfNames[kShelfTrays] = {"dead-letters", "expired", "lost"};
    if (p.focused_shelf(kShelfNames[i]) || (tr.queue != nullptr && p.focused_queue(tr.queue))) {
      p.spot(x0 - 3, y0 - 3, x1 + 3, y1 + 3);
    }
    if (tr.queue != nullptr) {
      hits.insert(hits.begin(), Hit{Selection::of_queue(tr.queue), p.P(x0, y0), p.P(x1, y1)});
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
  // The larger type's symbols (the steam too) take the floor's size, centred on the body:
  // larger, or beside it, they would run into the name under it and the window beside it.
  auto symbol = [&](float x, float y, const char* str, ImU32 c, float size, float align) {
    if (!p.legible()) {
      p.text(x, y, str, c, size, align, true);
      return;
    }
    p.text(cx, cy - p.line_height(11, true) / 2, str, c, 11, 0.5f, true);
  };
  switch (k.state) {
    case sim::CookState::kCooking:
      symbol(cx + r + 2, cy - r + 2, "\xE2\x99\xA8", col(p.pal.ticket[4]), 14, 0);  // steam
      break;
    case sim::CookState::kFrozen:
      symbol(cx, cy - 10, "\xE2\x9D\x84", col(darker(body, 0.5f)), 19, 0.5f);  // snowflake
      break;
    case sim::CookState::kCrashed:
      symbol(cx, cy - 11, "\xE2\x9C\x97", col(p.pal.refused), 21, 0.5f);  // cross
      break;
    case sim::CookState::kOffline:
      symbol(cx, cy - 9, "\xE2\x80\xA6", col(p.pal.soft_ink), 17, 0.5f);  // ellipsis
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
  for (size_t s = 0; s < ns; ++s) {
    const WorldRect st = kitchen_station(s, ns, p.sz);
    const float y0 = st.y0, y1 = st.y1;
    const float header = station_header(p.sz);
    // A station: tiles for a header, an outline around the cooks, the floor in between.
    p.fill(st.x0, y0, st.x1, y0 + header, col(p.pal.kitchen), 8);
    p.outline(st.x0, y0, st.x1, y1, col(darker(p.pal.kitchen, 0.75f)), 8, 1.2f);
    std::string head = fill1(p.t.tr("scene.station"), "name", stations[s]);
    p.text(st.x0 + 8, y0 + 3, head.c_str(), col(p.pal.ink), 14, 0, true, st.width() - 16);
    std::vector<const sim::Cook*> cooks;
    for (const sim::Cook& k : run.scene_cooks()) {  // STOMP programs that cook included
      if (k.station == s && k.state != sim::CookState::kRemoved) cooks.push_back(&k);
    }
    if (cooks.empty()) {
      p.text(st.x0 + 8, y0 + header + 6, p.t.tr("scene.no_cooks"), col(p.pal.soft_ink), 11, 0,
             false, st.width() - 16);
      continue;
    }
    for (size_t i = 0; i < cooks.size(); ++i) {
      const sim::Cook& k = *cooks[i];
      // The prefetch window: one slot per ticket it may hold, filled with those it holds.
      std::vector<const sim::Ticket*> held;
      for (const sim::Ticket& tk : k.held)
        held.push_back(&tk);
      const size_t slots = k.prefetch == 0 ? std::max<size_t>(held.size(), 1)
                                           : std::max<size_t>(k.prefetch, held.size());
      const CookPlace c = cook_place(st, i, cooks.size(), slots, p.sz);
      const float cx = c.centre.x, cy = c.centre.y;
      const float tw = c.ticket_w, th = c.ticket_h;
      draw_cook(p, sim, k, cx, cy, sel);
      const float room = c.column.width() - 4;
      // Beside the window the lines are centred on the cook's column, under both.
      const float lx = c.beside ? (c.column.x0 + c.column.x1) / 2 : cx;
      p.text(lx, c.name_y, k.name.c_str(), col(p.pal.ink), 12.5f, 0.5f, true, room);
      std::string state_key = std::string("cook_state.") + sim::cook_state_name(k.state);
      std::string state = p.t.tr(state_key);
      if (k.state == sim::CookState::kCrashed && k.restart_at >= 0) {
        state =
            fill1(p.t.tr("scene.back_in"), "time", sim::format_countdown(k.restart_at - sim.now()));
      }
      if (c.state_line) {
        p.text(lx, c.name_y + p.line_height(12.5f, true), state.c_str(), col(p.pal.soft_ink), 11,
               0.5f, false, room);
      }
      anchor(p.env, p, "cook." + k.name, cx - 22, cy - 34, cx + 22, cy + 22);
      if (p.focused(Selection::Kind::kCook, k.index)) {
        p.spot(c.column.x0, c.column.y0, c.column.x1, c.column.y1);
      }
      const Fold f = fold_tickets(held.size(), c.capacity);
      for (size_t j = 0; j < c.drawn; ++j) {
        const WorldPoint slot = c.slot(j);
        const float sx = slot.x, sy = slot.y;
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
        const WorldPoint from = board_row_origin(s, ns, p.sz);
        const TicketKey key{TicketPlace::kCook, k.index, n, tk.message, tk.tag};
        const ImVec2 at = n != 0 ? glide(ui, key, slot, from, snap, p.env.dt) : vec(slot);
        const bool stove = j == 0 && k.on_stove;
        if (stove) {
          // The one on the stove glows.
          p.fill(at.x - 3, at.y - 3, at.x + tw + 3, at.y + th + 3, col(p.pal.lit, 0.55f), 5);
        }
        draw_ticket(p, at, c.hand, TicketState::kUnacked, run.ticket_label(n),
                    redelivery_badge(tk.delivery_count, true), sel.is(Selection::Kind::kOrder, n),
                    false, n, th);
        if (n != 0) add_hit(hits, p, Selection::order(n), at.x, at.y, at.x + tw, at.y + th);
      }
      if (k.direct_order != 0) {
        const WorldPoint target = c.beside ? c.first : WorldPoint{cx - tw / 2, c.first.y};
        const TicketKey key{TicketPlace::kCook, k.index, k.direct_order};
        const ImVec2 at = glide(ui, key, target, target, snap, p.env.dt);
        draw_ticket(p, at, c.hand, TicketState::kUnacked, run.ticket_label(k.direct_order), 0,
                    sel.is(Selection::Kind::kOrder, k.direct_order), false, k.direct_order, th);
        add_hit(hits, p, Selection::order(k.direct_order), at.x, at.y, at.x + tw, at.y + th);
      }
      anchor(p.env, p, "cook." + k.name + ".window", c.window.x0, c.window.y0, c.window.x1,
             c.window.y1);
      hits.insert(hits.begin(), Hit{Selection::cook(k.index), p.P(c.column.x0, c.column.y0),
                                    p.P(c.column.x1, c.column.y1)});
    }
  }
}

void draw_legend(const Painter& p) {
  const TicketState shown[kLegendEntries] = {TicketState::kPlacing,     TicketState::kReady,
                                             TicketState::kPersisted,   TicketState::kUnacked,
                                             TicketState::kRedelivered, TicketState::kDeadLettered,
                                             TicketState::kExpired,     TicketState::kLost};
  for (size_t i = 0; i < kLegendEntries; ++i) {
    const WorldRect sw = legend_swatch(i, p.sz);
    const Rgb& c = p.pal.ticket[static_cast<int>(shown[i])];
    p.fill(sw.x0, sw.y0, sw.x1, sw.y1, col(c), 2);
    p.outline(sw.x0, sw.y0, sw.x1, sw.y1, col(darker(c, 0.6f)), 2, 1.0f);
    std::string key = std::string("ticket.") + ticket_state_name(shown[i]);
    // Too long for its place: the language's short form, when it has one.
    const char* label = p.t.tr(key);
    if (p.legible() && p.text_width(label, 13) > legend_room(p.sz)) label = p.t.tr_short(key);
    p.text(sw.x1 + 4, sw.y0 + 1, label, col(p.pal.ink), 13, 0, false, legend_room(p.sz));
  }
}

void draw_strip(ImDrawList* dl, const Run& run, ImVec2 min, ImVec2 max, SceneUi& ui,
                const SceneEnv& env, const ScenePalette& pal) {
  const PipelineCounts& pc = run.pipeline();
  const float w = max.x - min.x;
  const float gap = 14.0f;
  const float box = (w - gap * (kStageCount - 1) - 8) / kStageCount;
  const float line = env.projector ? 2.0f : 1.0f;
  const float fs_want =
      std::max(env.min_text_px, std::min(env.fonts.body->FontSize, (max.y - min.y) * 0.36f));
  ImFont* font = font_at_least(env.fonts.regular_sizes, std::max(env.min_text_px, fs_want * 0.85f));
  ImFont* bold = nearest_font(env.fonts.bold_sizes, fs_want);
  if (bold->FontSize < env.min_text_px) bold = font_at_least(env.fonts.bold_sizes, env.min_text_px);
  auto put = [&](ImFont* f, ImVec2 at, ImU32 c, const char* str) {
    dl->AddText(f, f->FontSize, at, c, str);
    if (env.text_runs != nullptr) {
      const ImVec2 e = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, str);
      env.text_runs->add(WorldRect{at.x, at.y, at.x + e.x, at.y + e.y}, f->FontSize, str);
    }
  };
  const float fs = bold->FontSize;
  for (int i = 0; i < kStageCount; ++i) {
    const auto idx = static_cast<size_t>(i);
    if (pc.passed[idx] != ui.stage_seen[idx]) ui.lit_until[idx] = env.real_time + kStageLit;
    if (pc.refused[idx] != ui.refused_seen[idx])
      ui.refused_until[idx] = env.real_time + kStageRefused;
    ui.stage_seen[idx] = pc.passed[idx];
    ui.refused_seen[idx] = pc.refused[idx];
    const float x0 = min.x + 4 + static_cast<float>(i) * (box + gap);
    const ImVec2 a(x0, min.y + 4), b(x0 + box, max.y - 4);
    const float lit =
        static_cast<float>(std::clamp((ui.lit_until[idx] - env.real_time) / kStageLit, 0.0, 1.0));
    const float bad = static_cast<float>(
        std::clamp((ui.refused_until[idx] - env.real_time) / kStageRefused, 0.0, 1.0));
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
    if (env.projector && ext.x > box - 6) {
      // Too long for the projector's box: the language's short form, when it has one.
      label = env.i18n.tr_short(key);
      ext = lf->CalcTextSizeA(lf->FontSize, FLT_MAX, 0, label);
    }
    if (ext.x > box - 6) {
      // A long label takes a smaller loaded size rather than a scaled one.
      lf = nearest_font(env.fonts.bold_sizes, fs * (box - 6) / ext.x - 0.5f);
      if (lf->FontSize < env.min_text_px) lf = font_at_least(env.fonts.bold_sizes, env.min_text_px);
    }
    const std::string fitted = ellipsize(lf, label, box - 6, &ext);
    put(lf, ImVec2(std::floor(x0 + (box - ext.x) / 2), std::floor(a.y + 3)), col(pal.ink),
        fitted.c_str());
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
    put(font, ImVec2(std::floor(x0 + (box - ne.x) / 2), std::floor(b.y - ne.y - 3)),
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

// The spotlight: everything but the spots dimmed, a ring around each spot, and the focused
// tickets' numbers large above them. The dim is drawn as the cells of a grid cut along the
// spots' edges, so no pixel is dimmed twice and none inside a spot is dimmed at all.
void draw_spotlight(const Painter& p, ImVec2 min, ImVec2 max, const std::vector<WorldRect>& spots,
                    const std::vector<Painter::Mark>& marks, std::vector<Rect>* spotlit) {
  if (spots.empty()) return;
  std::vector<WorldRect> holes;
  std::vector<float> xs{min.x, max.x}, ys{min.y, max.y};
  for (const WorldRect& w : spots) {
    const ImVec2 a = p.P(w.x0, w.y0), b = p.P(w.x1, w.y1);
    holes.push_back(WorldRect{std::floor(a.x), std::floor(a.y), std::floor(b.x), std::floor(b.y)});
    xs.insert(xs.end(), {std::clamp(holes.back().x0, min.x, max.x),
                         std::clamp(holes.back().x1, min.x, max.x)});
    ys.insert(ys.end(), {std::clamp(holes.back().y0, min.y, max.y),
                         std::clamp(holes.back().y1, min.y, max.y)});
    const Rect r{holes.back().x0, holes.back().y0, holes.back().width(), holes.back().height()};
    if (spotlit != nullptr) spotlit->push_back(r);
    if (p.env.anchors != nullptr) {
      p.env.anchors->set(p.env.anchor_prefix + "spotlight." + std::to_string(holes.size() - 1), r);
    }
  }
  std::sort(xs.begin(), xs.end());
  std::sort(ys.begin(), ys.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
  const ImU32 dim = col(p.pal.spotlight_dim, p.pal.spotlight_dim_alpha);
  for (size_t i = 0; i + 1 < xs.size(); ++i) {
    for (size_t j = 0; j + 1 < ys.size(); ++j) {
      const float cx = (xs[i] + xs[i + 1]) / 2, cy = (ys[j] + ys[j + 1]) / 2;
      bool lit = false;
      for (const WorldRect& h : holes)
        lit = lit || (cx > h.x0 && cx < h.x1 && cy > h.y0 && cy < h.y1);
      if (!lit) p.dl->AddRectFilled(ImVec2(xs[i], ys[j]), ImVec2(xs[i + 1], ys[j + 1]), dim);
    }
  }
  const float thick = std::max(3.0f, 2.0f * p.line);
  for (const WorldRect& h : holes) {
    // Inside the lit edge, so the ring is part of what the spotlight shows.
    p.dl->AddRect(ImVec2(h.x0 + thick / 2, h.y0 + thick / 2),
                  ImVec2(h.x1 - thick / 2, h.y1 - thick / 2), col(p.pal.spotlight_ring), 6, 0,
                  thick);
  }
  for (const Painter::Mark& m : marks) {
    // The halo once more, over whatever was drawn after the ticket (a tile of the next
    // station): the class follows the ticket by it.
    const WorldRect& t = m.ticket;
    p.outline(t.x0 - 6, t.y0 - 6, t.x1 + 6, t.y1 + 6, col(p.pal.lit), 0, 4.0f);
    // The number on a tag above the ticket, twice the floor's size: readable from the back.
    const float size = p.size_for_px(std::max(20.0f, 2.0f * p.env.min_text_px));
    const float w = p.text_width(m.label.c_str(), size, true), h = p.line_height(size, true);
    const float x0 = m.at.x - w / 2 - 4, y1 = m.at.y - 2;
    p.fill(x0, y1 - h, x0 + w + 8, y1, col(p.pal.spotlight_ring), 4);
    p.overlay = true;
    p.text(m.at.x, y1 - h, m.label.c_str(), IM_COL32(255, 255, 255, 255), size, 0.5f, true);
    p.overlay = false;
  }
}

}  // namespace

ImVec2 scene_world_origin(ImVec2 min, ImVec2 max, const SceneUi& ui, float* scale) {
  const SceneFit fit = fit_scene(WorldRect{min.x, min.y, max.x, max.y}, ui.strip, ui.zoom,
                                 WorldPoint{ui.pan.x, ui.pan.y}, ui.world_h);
  *scale = fit.scale;
  return vec(fit.origin);
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
  ui.strip = strip_height(env.sizes, env.projector, env.compact);
  ui.world_h = env.sizes.height;
  const float strip = ui.strip;
  const ImVec2 world_max(max.x, max.y - strip - 4);
  float s = 1;
  const ImVec2 origin = scene_world_origin(min, max, ui, &s);
  std::vector<WorldRect> spots;
  std::vector<Painter::Mark> marks;
  Painter p{dl,       origin,    s,      env,   pal, env.projector ? 2.0f : 1.0f,
            env.i18n, env.sizes, &spots, &marks};

  // No floor is painted: the scene window has no background, so the backdrop (the GL clear,
  // which costs nothing per pixel) is the warung's floor.
  dl->PushClipRect(min, world_max, true);
  const SceneCounts counts = count_scene(sim);
  draw_cashiers(p, run, selection, ui, snap, hits);
  draw_pickup(p, counts, selection, hits);
  draw_board(p, run, selection, ui, snap, hits);
  draw_shelf(p, run, counts, selection, ui, snap, hits);
  draw_kitchen(p, run, selection, ui, snap, hits);
  draw_legend(p);
  draw_spotlight(p, min, world_max, spots, marks, env.spotlit);
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
