// The scene's layout without a display: where a desk, a board row and its slots, a shelf tray, a
// cook and their window are for a given number of cashiers, stations and cooks and a given set
// of sizes; and the figures the scene writes beside them.
#include <doctest.h>

#include <cmath>
#include <memory>
#include <string>

#include "gui/model/focus.h"
#include "gui/model/scene_counts.h"
#include "gui/model/workbench.h"
#include "gui/scene_layout.h"
#include "gui/text_runs.h"
#include "sim/duration.h"
#include "sim/simulation.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

doctest::Approx near(float v) {
  return doctest::Approx(v).epsilon(1e-5);
}

}  // namespace

TEST_CASE("the world fits whole and centred above the strip, then zooms and pans") {
  // 1000 x 478 pixels with a 46-pixel strip and its 4-pixel gap leave exactly the world's size.
  const WorldRect screen{10, 20, 1010, 498};
  SceneFit f = fit_scene(screen, 46, 1.0f, WorldPoint{});
  CHECK(f.scale == 1.0f);
  CHECK(f.origin == WorldPoint{10, 20});
  f = fit_scene(screen, 46, 2.0f, WorldPoint{100, 50});
  CHECK(f.scale == 2.0f);
  CHECK(f.origin == WorldPoint{10 - 500 - 200, 20 - 214 - 100});
  // A wide window: the height decides, the world is centred across.
  f = fit_scene(WorldRect{0, 0, 2000, 478}, 46, 1.0f, WorldPoint{});
  CHECK(f.scale == 1.0f);
  CHECK(f.origin == WorldPoint{500, 0});
}

TEST_CASE("the strip is larger in projector mode and slimmer in half of the split view") {
  const SceneSizes sizes;
  CHECK(strip_height(sizes, false, false) == 46.0f);
  CHECK(strip_height(sizes, true, false) == near(64.4f));
  CHECK(strip_height(sizes, false, true) == near(34.5f));
}

TEST_CASE("cashier desks stack down the left, and a busy warung counts the last ones") {
  CHECK(cashier_desk(0, 3) == WorldRect{130, 32, 232, 84});
  const WorldRect third = cashier_desk(2, 3);
  CHECK(third.y0 == near(24 + 2 * 296.0f / 3 + 8));
  CHECK(third.height() == near(52));
  CHECK(desks_drawn(6) == 6);
  CHECK(desks_drawn(8) == 5);
  // Eight cashiers: five desks, then "+3" in the sixth row, where cashiers 5 to 7 all point.
  const WorldRect sixth = cashier_desk(5, 8);
  CHECK(sixth.y0 == near(24 + 5 * 296.0f / 6 + 8));
  CHECK(sixth.height() == near(296.0f / 6 - 12));
  CHECK(cashier_desk(7, 8) == sixth);
  CHECK(desk_ticket(cashier_desk(0, 3)) == WorldPoint{202, 54});
}

TEST_CASE("each station has a board row with two lines of eight ticket slots") {
  const SceneSizes sizes;
  const BoardRows rows = board_rows(2, sizes);
  CHECK(rows.row_h == 124.0f);
  CHECK(rows.label_w == 82.0f);
  CHECK(rows.per_line == 8);
  CHECK(rows.lines == 2);
  CHECK(rows.capacity() == 16);
  CHECK(board_row(0, 2, sizes) == WorldRect{274, 34, 646, 154});
  CHECK(board_row(1, 2, sizes) == WorldRect{274, 158, 646, 278});
  CHECK(board_slot(1, 2, 0, sizes) == WorldPoint{358, 164});
  CHECK(board_slot(1, 2, 9, sizes) == WorldPoint{391, 206});  // second line, second slot
  CHECK(board_row_origin(1, 2, sizes) == WorldPoint{358, 160});
  // Four stations leave room for one line each.
  CHECK(board_rows(4, sizes).row_h == 71.0f);
  CHECK(board_rows(4, sizes).lines == 1);
}

TEST_CASE("larger tickets and type leave fewer slots before the row folds into a stack") {
  SceneSizes big;
  big.ticket_w = 40;
  big.ticket_h = 50;
  big.text = 1.4f;
  big.line = 1.4f;
  const BoardRows rows = board_rows(2, big);
  CHECK(rows.label_w == near(114.8f));
  CHECK(rows.per_line == 5);
  CHECK(rows.lines == 2);
  CHECK(rows.capacity() == 10);
  // The title bar holds its line of the larger type (17 units, with the snap's margin).
  CHECK(board_row(0, 2, big).y0 == near(4 + (17 * 1.4f * 1.08f + 6) + 4));
  CHECK(board_slot(0, 2, 1, big).x == near(268 + 114.8f + 8 + 45));
}

TEST_CASE("the trouble shelf has three trays under the board") {
  CHECK(board_frame() == WorldRect{268, 4, 652, 322});
  CHECK(shelf_tray(0) == WorldRect{268, 328, 392, 394});
  CHECK(shelf_tray(1) == WorldRect{400, 328, 520, 394});
  CHECK(shelf_tray(2) == WorldRect{528, 328, 652, 394});
  CHECK(shelf_slot(1, 2) == WorldPoint{462, 350});
}

TEST_CASE("a cook stands in their share of the station with their window under them") {
  const SceneSizes sizes;
  CHECK(kitchen_station(0, 2) == WorldRect{664, 4, 996, 168});
  CHECK(kitchen_station(1, 2) == WorldRect{664, 174, 996, 338});
  const CookPlace c = cook_place(kitchen_station(0, 2), 1, 3, 2, sizes);
  CHECK(c.column == WorldRect{776, 22, 884, 168});
  CHECK(c.centre == WorldPoint{830, 56});
  CHECK(c.hand == near(0.78f));
  CHECK(c.ticket_w == near(21.84f));
  CHECK(c.per_line == 4);
  CHECK(c.capacity == 8);
  CHECK(c.drawn == 2);
  CHECK(c.first.x == near(830 - (2 * 24.84f - 3) / 2));
  CHECK(c.first.y == 100.0f);
  CHECK(c.slot(1).x == near(c.first.x + 24.84f));
  CHECK(c.slot(5).y == near(100 + 31.08f));
  CHECK(c.window.y1 == near(100 + 31.08f));
  // A window wider than the station can show is cut at its capacity (the rest fold).
  CHECK(cook_place(kitchen_station(0, 2), 0, 3, 20, sizes).drawn == 8);
}

TEST_CASE("a cook at a short station still has one line of window") {
  const CookPlace c = cook_place(kitchen_station(0, 5), 0, 1, 3, SceneSizes{});
  CHECK(kitchen_station(0, 5).y1 < c.first.y);  // the station ends above the window
  CHECK(c.capacity == c.per_line);
  CHECK(c.drawn == 3);
}

TEST_CASE("a projector's larger type puts a cook's window beside them and keeps to the station") {
  // Three stations at 1024x768 in projector mode: the floor 20 px at 0.66 px a unit, the world
  // grown to the scene's shape (554 units tall).
  SceneSizes big = legible_sizes(20.0f / (0.66f * 1.15f));
  big.height = legible_height(676, 366);
  CHECK(big.height == near(366 * 1000.0f / 676));
  CHECK(big.heading == 0.5f);
  CHECK(type_size(big, 11) == 11.0f);
  CHECK(type_size(big, 15.4f) == near(11 * std::sqrt(1.4f)));
  CHECK(legible_height(1000, 1000) == near(1.5f * kWorldHeight));  // no taller than that
  CHECK(legible_height(1000, 300) == kWorldHeight);                // nor shorter
  for (size_t cook = 0; cook < 3; ++cook) {
    CAPTURE(cook);
    const WorldRect st = kitchen_station(0, 3, big);
    const CookPlace c = cook_place(st, cook, 3, 4, big);
    CHECK(c.beside);
    CHECK(c.window.x0 > c.centre.x + 16);               // right of the body
    CHECK(c.window.x1 <= c.column.x1);                  // within the cook's column
    CHECK(c.window.y0 >= st.y0 + station_header(big));  // under the station's header
    CHECK(c.name_y >= c.window.y1);                     // the name under the window
    CHECK(c.name_y + line_units(big, 12.5f) <= st.y1);
    CHECK(c.drawn == 1);        // one ticket in hand; more fold
    CHECK_FALSE(c.state_line);  // no room for the state's line as well
  }
  // Two stations have room for the state's line.
  const WorldRect tall = kitchen_station(0, 2, big);
  const CookPlace c = cook_place(tall, 0, 2, 1, big);
  CHECK(c.state_line);
  CHECK(c.name_y + line_units(big, 12.5f) + line_units(big, 11) <= tall.y1);
}

TEST_CASE("a tall station of the larger type puts its cooks in rows, each with a wider column") {
  SceneSizes big = legible_sizes(20.0f / (0.66f * 1.15f));
  big.height = 554;
  const WorldRect st = kitchen_station(0, 1, big);  // one station: the whole kitchen
  const CookPlace first = cook_place(st, 0, 4, 1, big);
  const CookPlace third = cook_place(st, 2, 4, 1, big);
  CHECK(first.column.width() == near((332 - 8) / 2.0f));  // two a row, not four
  CHECK(third.column.x0 == first.column.x0);              // the second row's first
  CHECK(third.column.y0 == near(first.column.y1));
  CHECK(third.column.y1 <= st.y1);
  CHECK(third.state_line);
  // Three stations have room for one row only.
  CHECK(cook_place(kitchen_station(0, 3, big), 2, 3, 1, big).column.y0 ==
        cook_place(kitchen_station(0, 3, big), 0, 3, 1, big).column.y0);
}

TEST_CASE("the larger type's world stacks the board, the shelf, the pickup and the legend") {
  SceneSizes big = legible_sizes(20.0f / (0.66f * 1.15f));
  big.height = 554;
  // The legend in two rows of four along the bottom, the shelf over it, the board over that.
  CHECK(legend_swatch(0, big).y0 + 2 * (line_units(big, 13) + 4) == near(554 - 2));
  CHECK(legend_swatch(4, big).x0 == 6.0f);
  CHECK(legend_swatch(4, big).y0 > legend_swatch(3, big).y0);
  CHECK(legend_room(big) == near(250 - 24));
  CHECK(shelf_tray(0, big).y1 == near(legend_swatch(0, big).y0 - 8));
  CHECK(board_frame(big).y1 == near(shelf_tray(0, big).y0 - 6));
  CHECK(shelf_slot(0, 0, big).y + big.ticket_h * kShelfScale <= shelf_tray(0, big).y1);
  // The pickup counter's waiting line ends above the legend; the last desk above its heading.
  CHECK(pickup_counter(big).y1 + 5 + line_units(big, 12) <= legend_swatch(0, big).y0);
  CHECK(cashier_desk(1, 2, big).y1 <= pickup_area(big).y0);
  // A desk holds the name and the state; a receipt rises into the room above it.
  CHECK(cashier_desk(0, 2, big).height() ==
        near(line_units(big, 13.5f) + line_units(big, 11.5f) + 8));
  CHECK(cashier_desk(0, 2, big).y0 == near(24 + line_units(big, 10.5f) + 14));
}

TEST_CASE("the pickup counter and the legend sit along the bottom") {
  CHECK(pickup_area() == WorldRect{6, 330, 248, 373});
  CHECK(pickup_counter() == WorldRect{6, 348, 248, 373});
  CHECK(legend_swatch(0) == WorldRect{6, 404, 20, 422});
  CHECK(legend_swatch(3) == WorldRect{381, 404, 395, 422});
}

TEST_CASE("the scene counts the shelf's orders, the waiting tables and the plates") {
  // Lesson 10 at its end: the poison order is dead-lettered; the lunch rush left orders to
  // expire on the grill and drinks boards, of which the shelf shows the newest three.
  Workbench bench;
  Status st = bench.load(std::string(WMQ_SCENARIOS_DIR) + "/10-poison-and-dead-letters.toml");
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  REQUIRE(bench.seek(20 * 60 * kSeconds).is_ok());
  const sim::Simulation& sim = bench.a().sim();
  const SceneCounts c = count_scene(sim);
  CHECK(c.dead == 1);
  CHECK(c.expired == 18);
  CHECK(c.lost == 0);
  CHECK(c.waiting_food == 29);
  CHECK(c.plates == 0);
  REQUIRE(c.last_dead.size() == 1);
  CHECK(sim.order(c.last_dead[0])->status == sim::OrderStatus::kDeadLettered);
  REQUIRE(c.last_expired.size() == kShelfTicketsShown);
  for (uint32_t n : c.last_expired)
    CHECK(sim.order(n)->status == sim::OrderStatus::kExpired);
  CHECK(c.last_expired[0] > c.last_expired[1]);  // newest first
  CHECK(c.last_lost.empty());
}

TEST_CASE("the text runs report their smallest size and how many ran into another") {
  TextRuns runs;
  CHECK(runs.min_px() == 0);
  CHECK(runs.overlaps() == 0);
  runs.add(WorldRect{0, 0, 50, 20}, 20, "r20");
  runs.add(WorldRect{50, 0, 90, 14}, 14, "r14");  // side by side with the first: no overlap
  runs.add(WorldRect{0, 20.5f, 50, 40}, 22,
           "r22");  // half a pixel into the first: within the slack
  CHECK(runs.min_px() == 14);
  CHECK(runs.overlaps() == 0);
  runs.add(WorldRect{40, 5, 60, 19}, 16, "r16");  // across the first two, above the third
  CHECK(runs.overlaps() == 3);
  CHECK(runs.overlapping(5) == std::vector<std::string>{"r20 | r16", "r14 | r16"});
  // The spotlight's large number covers what is under it on a tag of its own.
  runs.add(WorldRect{0, 0, 90, 40}, 40, "big", true);
  CHECK(runs.overlaps() == 3);
  runs.clear();
  CHECK(runs.runs().empty());
}

TEST_CASE("a narration's focus names the things the scene points at") {
  Workbench bench;
  Status st = bench.load(std::string(WMQ_SCENARIOS_DIR) + "/10-poison-and-dead-letters.toml");
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  const sim::Simulation& sim = bench.a().sim();
  const std::vector<FocusTarget> t =
      focus_targets({"order:7", "cook:" + sim.cooks()[1].name, "cashier:" + sim.cashiers()[0].name,
                     "queue:" + sim.stations()[0], "broker", "shelf:dead-letters", "shelf:lost"},
                    sim);
  REQUIRE(t.size() == 7);
  CHECK(t[0].selection == Selection::order(7));
  CHECK(t[1].selection == Selection::cook(1));
  CHECK(t[2].selection == Selection::cashier(0));
  CHECK(t[3].selection == Selection::of_queue(sim.stations()[0]));
  CHECK(t[4].selection == Selection::broker());
  CHECK(t[5].selection == Selection::of_queue("dead-letters"));
  CHECK(t[5].shelf == "dead-letters");
  CHECK(t[6].selection == Selection::none());
  CHECK(t[6].shelf == "lost");
  CHECK(t[6].name == "shelf:lost");
  // A cook the run no longer has is left out rather than pointed at nowhere.
  CHECK(focus_targets({"cook:nobody"}, sim).empty());
}

TEST_CASE("a lesson's waiting moment focuses on the order and the cook it picked when it fired") {
  // Lesson 3 just after the faint: the order that went back on the board and the cook who held
  // it, whichever they were on this seed.
  Workbench bench;
  Status st = bench.load(std::string(WMQ_SCENARIOS_DIR) + "/03-a-cook-faints.toml");
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  REQUIRE(bench.seek(110 * kSeconds).is_ok());
  const sim::Simulation& sim = bench.a().sim();
  const std::vector<FocusTarget> t = current_focus(sim);
  REQUIRE(t.size() == 2);
  CHECK(t[0].selection.kind == Selection::Kind::kOrder);
  REQUIRE(sim.order(t[0].selection.index) != nullptr);
  CHECK(sim.order(t[0].selection.index)->deliveries >= 2);  // redelivered
  CHECK(t[1].selection.kind == Selection::Kind::kCook);
  CHECK(sim.cooks()[t[1].selection.index].state == sim::CookState::kCrashed);
}
