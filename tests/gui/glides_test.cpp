// Ticket glides: each ticket on the scene moves on its own, known by where it is held and which
// broker message it is, so two copies of one order never share a position.
#include <doctest.h>

#include <cmath>

#include "gui/model/glides.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

// How far a glide closes the distance in `dt` seconds (the rule in glides.h).
float step_of(float dt) {
  return 1.0f - std::exp(-dt * 9.0f);
}

WorldPoint toward(WorldPoint from, WorldPoint to, float dt) {
  const float k = step_of(dt);
  return WorldPoint{from.x + (to.x - from.x) * k, from.y + (to.y - from.y) * k};
}

const WorldPoint kFar{-500, -500};  // a `from` no test expects to see

}  // namespace

TEST_CASE("a redelivered copy and the frozen cook's old copy of one order are two tickets") {
  // Lesson 9: drinks-1 froze holding order 3 (message 7, tag 1); the broker gave message 7 to
  // drinks-2 (tag 4). Each copy stays in its own cook's hands whatever the frames take.
  TicketGlides g;
  const TicketKey frozen{TicketPlace::kCook, 5, 3, 7, 1};
  const TicketKey again{TicketPlace::kCook, 6, 3, 7, 4};
  const WorldPoint at_frozen{700, 380}, at_again{800, 380};
  uint64_t frame = 1;
  CHECK(g.move(frozen, at_frozen, kFar, true, 0.016f, frame) == at_frozen);
  CHECK(g.move(again, at_again, kFar, true, 0.016f, frame) == at_again);
  g.forget_undrawn(frame);
  for (float dt : {0.016f, 0.5f, 0.001f, 0.1f}) {
    ++frame;
    CAPTURE(dt);
    CHECK(g.move(frozen, at_frozen, kFar, false, dt, frame) == at_frozen);
    CHECK(g.move(again, at_again, kFar, false, dt, frame) == at_again);
    g.forget_undrawn(frame);
  }
  CHECK(g.size() == 2);
}

TEST_CASE("a publisher's retry puts a second ticket of the order on the board") {
  // Lesson 8: order 6 was published twice (messages 11 and 14); both copies are on the board.
  TicketGlides g;
  const TicketKey first{TicketPlace::kBoard, 0, 6, 11};
  const TicketKey retry{TicketPlace::kBoard, 0, 6, 14};
  const WorldPoint slot0{358, 40}, slot1{391, 40};
  CHECK(g.move(first, slot0, kFar, true, 0.016f, 1) == slot0);
  CHECK(g.move(retry, slot1, kFar, true, 0.016f, 1) == slot1);
  CHECK(g.move(first, slot0, kFar, false, 0.3f, 2) == slot0);
  CHECK(g.move(retry, slot1, kFar, false, 0.3f, 2) == slot1);
  CHECK(g.size() == 2);
}

TEST_CASE("a ticket moving to a new place starts where it was drawn at the old one") {
  TicketGlides g;
  const TicketKey on_board{TicketPlace::kBoard, 1, 9, 21};
  const WorldPoint slot{400, 150};
  g.move(on_board, slot, kFar, true, 0.016f, 1);
  g.forget_undrawn(1);
  // Frame 2: a cook took message 21; the board no longer shows it.
  const TicketKey in_hands{TicketPlace::kCook, 2, 9, 21, 1};
  const WorldPoint hands{760, 200};
  const WorldPoint at = g.move(in_hands, hands, kFar, false, 0.05f, 2);
  CHECK(at.x == doctest::Approx(toward(slot, hands, 0.05f).x));
  CHECK(at.y == doctest::Approx(toward(slot, hands, 0.05f).y));
  g.forget_undrawn(2);
  CHECK(g.size() == 1);
  // The cook crashed: message 21 goes back to the board, from the cook's hands.
  const WorldPoint back = g.move(on_board, slot, kFar, false, 0.05f, 3);
  CHECK(back.x == doctest::Approx(toward(at, slot, 0.05f).x));
  CHECK(back.y == doctest::Approx(toward(at, slot, 0.05f).y));
}

TEST_CASE("a redelivered copy comes from the board, not from the cook still holding the old one") {
  TicketGlides g;
  const TicketKey frozen{TicketPlace::kCook, 6, 3, 7, 1};  // drawn after the new one
  const TicketKey on_board{TicketPlace::kBoard, 2, 3, 7};
  const WorldPoint hands_frozen{900, 380}, slot{358, 250};
  g.move(on_board, slot, kFar, true, 0.016f, 1);
  g.move(frozen, hands_frozen, kFar, true, 0.016f, 1);
  g.forget_undrawn(1);
  const TicketKey again{TicketPlace::kCook, 5, 3, 7, 4};
  const WorldPoint hands_again{700, 380};
  const WorldPoint at = g.move(again, hands_again, kFar, false, 0.05f, 2);
  CHECK(at.x == doctest::Approx(toward(slot, hands_again, 0.05f).x));
  CHECK(at.y == doctest::Approx(toward(slot, hands_again, 0.05f).y));
  CHECK(g.move(frozen, hands_frozen, kFar, false, 0.05f, 2) == hands_frozen);
}

TEST_CASE("a ticket goes to the trouble shelf from where its order was") {
  TicketGlides g;
  const TicketKey in_hands{TicketPlace::kCook, 1, 4, 30, 2};
  const WorldPoint hands{700, 100}, tray{300, 350};
  g.move(in_hands, hands, kFar, true, 0.016f, 1);
  g.forget_undrawn(1);
  const WorldPoint at = g.move(TicketKey{TicketPlace::kShelf, 0, 4}, tray, kFar, false, 0.1f, 2);
  CHECK(at.x == doctest::Approx(toward(hands, tray, 0.1f).x));
  CHECK(at.y == doctest::Approx(toward(hands, tray, 0.1f).y));
}

TEST_CASE("a new ticket with nowhere to come from starts at `from`, and a snap puts it in place") {
  TicketGlides g;
  const WorldPoint desk{130, 40}, slot{358, 40};
  const WorldPoint at = g.move(TicketKey{TicketPlace::kBoard, 0, 1, 1}, slot, desk, false, 0.1f, 1);
  CHECK(at.x == doctest::Approx(toward(desk, slot, 0.1f).x));
  CHECK(g.move(TicketKey{TicketPlace::kBoard, 0, 2, 2}, slot, desk, true, 0.1f, 1) == slot);
  // Another order's ticket is not this one's origin.
  g.forget_undrawn(1);
  const WorldPoint other =
      g.move(TicketKey{TicketPlace::kCook, 0, 3, 3, 1}, slot, desk, false, 0.1f, 2);
  CHECK(other.x == doctest::Approx(toward(desk, slot, 0.1f).x));
}

TEST_CASE("tickets not drawn in a frame are forgotten") {
  TicketGlides g;
  g.move(TicketKey{TicketPlace::kBoard, 0, 1, 1}, {1, 1}, {1, 1}, true, 0, 1);
  g.move(TicketKey{TicketPlace::kBoard, 0, 2, 2}, {2, 2}, {2, 2}, true, 0, 1);
  g.forget_undrawn(1);
  CHECK(g.size() == 2);
  g.move(TicketKey{TicketPlace::kBoard, 0, 2, 2}, {2, 2}, {2, 2}, false, 0, 2);
  g.forget_undrawn(2);
  CHECK(g.size() == 1);
  g.clear();
  CHECK(g.size() == 0);
}
