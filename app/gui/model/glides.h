// TicketGlides: where each ticket on the scene is drawn while it moves from
// place to place (cashier -> board -> cook, cook -> board after a crash,
// board -> trouble shelf), kept per drawn scene as UI-only state.
//
// A ticket is known by its identity, not by its order number: the place that
// holds it (a cashier, a board row, a cook, a shelf tray) and the broker
// message it is. Two copies of one order — a publisher's retry, or a copy
// redelivered to another cook while a frozen cook still holds the old one —
// are two tickets, each gliding on its own, so what a frame shows never
// depends on how long the frames before it took.
//
// A ticket that appears at a new place starts where the same ticket was drawn
// at the place it is leaving: same message when both have one, else same
// order. Among several such places the board wins (tickets reach cooks and
// the shelf from the board), so a redelivered copy comes from the board, not
// from the frozen cook who still holds the old one.
//
// Thread-safety: none; the GUI thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "broker/message.h"
#include "broker/session.h"

namespace wmq::gui {

// A position in the scene's world units.
struct WorldPoint {
  float x = 0;
  float y = 0;
  bool operator==(const WorldPoint&) const = default;
};

// Where a ticket is held.
enum class TicketPlace : uint8_t {
  kCashier,  // at a cashier's desk (direct mode: walking to a cook)
  kBoard,    // on a station's board row
  kCook,     // in a cook's hands
  kShelf,    // on a trouble shelf tray (dead letters, expired, lost)
};

// One ticket as the scene draws it.
struct TicketKey {
  TicketPlace place = TicketPlace::kBoard;
  uint32_t holder = 0;    // which cashier, board row (station), cook or shelf tray
  uint32_t order = 0;     // the order it is for
  MessageId message = 0;  // the broker message it is; 0 when there is none (direct mode, shelf)
  DeliveryTag copy = 0;   // tells two copies at one holder apart: a cook's delivery tag, else 0
  bool operator==(const TicketKey&) const = default;
};

class TicketGlides {
 public:
  // Moves ticket `key` toward `target` and returns where to draw it in frame `frame` (frames
  // count up from 1, one per drawing of the scene). With `snap` the ticket is at `target` at
  // once. A ticket not drawn in the frame before starts where the same ticket was last drawn at
  // another place (see above), else at `from`; then it closes about 90% of the distance in a
  // quarter of a second of `dt` (seconds since the last frame).
  WorldPoint move(const TicketKey& key, WorldPoint target, WorldPoint from, bool snap, float dt,
                  uint64_t frame);

  // Forgets the tickets not drawn in `frame` (served, folded into a stack, gone).
  void forget_undrawn(uint64_t frame);
  // Forgets every ticket (after a jump in time everything snaps into place).
  void clear() { glides_.clear(); }
  // Tickets remembered now.
  size_t size() const { return glides_.size(); }

 private:
  struct Glide {
    WorldPoint pos;      // where it was drawn last
    uint64_t frame = 0;  // the frame it was drawn in last
  };
  struct KeyHash {
    size_t operator()(const TicketKey& key) const;
  };
  // The glide the new ticket `key` comes from, drawn before `frame` and not in it, or null.
  const Glide* origin_of(const TicketKey& key, uint64_t frame) const;

  std::unordered_map<TicketKey, Glide, KeyHash> glides_;
};

}  // namespace wmq::gui
