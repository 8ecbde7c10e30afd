#include "gui/model/glides.h"

#include <cmath>
#include <tuple>

namespace wmq::gui {

namespace {

bool same_ticket(const TicketKey& a, const TicketKey& b) {
  if (a.message != 0 && b.message != 0) return a.message == b.message;
  return a.order != 0 && a.order == b.order;
}

auto rank(const TicketKey& k) {
  return std::make_tuple(k.place, k.holder, k.message, k.copy, k.order);
}

}  // namespace

size_t TicketGlides::KeyHash::operator()(const TicketKey& k) const {
  uint64_t h = k.message * 0x9E3779B97F4A7C15ull;
  h ^= (uint64_t{k.order} << 32 | k.holder) + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
  h ^= k.copy + (uint64_t{static_cast<uint8_t>(k.place)} << 56) + (h << 6) + (h >> 2);
  return static_cast<size_t>(h);
}

const TicketGlides::Glide* TicketGlides::origin_of(const TicketKey& key, uint64_t frame) const {
  const Glide* best = nullptr;
  const TicketKey* best_key = nullptr;
  for (const auto& [k, g] : glides_) {
    if (g.frame >= frame || !same_ticket(key, k)) continue;
    bool better = best == nullptr || g.frame > best->frame;
    if (!better && g.frame == best->frame) {
      const bool board = k.place == TicketPlace::kBoard;
      const bool best_board = best_key->place == TicketPlace::kBoard;
      // The map's order is not the drawing order: break ties by the key itself, so the same
      // scene gives the same picture.
      better = board != best_board ? board : rank(k) < rank(*best_key);
    }
    if (better) {
      best = &g;
      best_key = &k;
    }
  }
  return best;
}

WorldPoint TicketGlides::move(const TicketKey& key, WorldPoint target, WorldPoint from, bool snap,
                              float dt, uint64_t frame) {
  auto it = glides_.find(key);
  if (it == glides_.end()) {
    WorldPoint start = from;
    if (const Glide* origin = snap ? nullptr : origin_of(key, frame)) start = origin->pos;
    it = glides_.emplace(key, Glide{start, frame}).first;
  }
  Glide& g = it->second;
  if (snap) {
    g.pos = target;
  } else {
    // Exponential approach: about 90% of the way in a quarter of a second, whatever the frame
    // rate, so a person can follow a ticket from the cashier to the board to a cook.
    const float k = 1.0f - std::exp(-dt * 9.0f);
    g.pos = WorldPoint{g.pos.x + (target.x - g.pos.x) * k, g.pos.y + (target.y - g.pos.y) * k};
  }
  g.frame = frame;
  return g.pos;
}

void TicketGlides::forget_undrawn(uint64_t frame) {
  std::erase_if(glides_, [frame](const auto& entry) { return entry.second.frame != frame; });
}

}  // namespace wmq::gui
