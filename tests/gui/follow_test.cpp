// Follow: when the inspector's timeline and the broker panel scroll by themselves.
#include <doctest.h>

#include <memory>
#include <string>

#include "gui/model/follow.h"
#include "gui/model/workbench.h"
#include "sim/simulation.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

// The GUI lesson 10 s in: every cook and cashier has a broker session.
std::unique_ptr<Workbench> lesson_at_10s() {
  auto bench = std::make_unique<Workbench>();
  Status st = bench->load(std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/lesson.toml");
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  REQUIRE(bench->seek(10 * kSeconds).is_ok());
  return bench;
}

}  // namespace

TEST_CASE("a timeline opens a new order at its end and follows new steps only from the end") {
  TailFollow f;
  CHECK(f.scroll_to_end(Selection::order(3), 5, true));         // first shown
  CHECK_FALSE(f.scroll_to_end(Selection::order(3), 5, true));   // nothing new
  CHECK(f.scroll_to_end(Selection::order(3), 6, true));         // a new step, reader at the end
  CHECK_FALSE(f.scroll_to_end(Selection::order(3), 7, false));  // reader scrolled up: stays
  CHECK_FALSE(f.scroll_to_end(Selection::order(3), 7, false));
  CHECK(f.scroll_to_end(Selection::order(4), 2, false));  // another order: its end
  CHECK_FALSE(f.scroll_to_end(Selection::order(4), 2, true));
}

TEST_CASE("a session row is brought into view once per selection and session") {
  RowFollow f;
  CHECK_FALSE(f.scroll_to(Selection::cook(1), 0));  // no session: nothing to show
  CHECK(f.scroll_to(Selection::cook(1), 12));
  CHECK_FALSE(f.scroll_to(Selection::cook(1), 12));  // the reader may scroll away now
  CHECK(f.scroll_to(Selection::cook(1), 20));        // it came back with a new session
  CHECK(f.scroll_to(Selection::cashier(0), 3));
  CHECK(f.scroll_to(Selection::cook(1), 20));  // selected again
}

TEST_CASE("the selected cook's or cashier's session is the one the broker panel shows") {
  const std::unique_ptr<Workbench> bench = lesson_at_10s();
  const sim::Simulation& sim = bench->a().sim();
  CHECK(session_of(sim, Selection::cook(1)) == sim.cooks()[1].session);
  CHECK(session_of(sim, Selection::cook(1)) != 0);
  CHECK(session_of(sim, Selection::cashier(0)) == sim.cashiers()[0].session);
  CHECK(session_of(sim, Selection::order(1)) == 0);
  CHECK(session_of(sim, Selection::cook(999)) == 0);
  CHECK(session_of(sim, Selection::of_queue("grill")) == 0);
}

TEST_CASE("a session row stands for the cook or cashier who holds that session") {
  const std::unique_ptr<Workbench> bench = lesson_at_10s();
  const sim::Simulation& sim = bench->a().sim();
  REQUIRE(sim.cooks().size() >= 2);
  CHECK(selection_of_session(sim, sim.cooks()[1].session) == Selection::cook(1));
  CHECK(selection_of_session(sim, sim.cashiers()[0].session) == Selection::cashier(0));
  // The inverse of session_of for everyone who has a session now.
  for (const sim::Cook& k : sim.cooks()) {
    CHECK(session_of(sim, selection_of_session(sim, k.session)) == k.session);
  }
  CHECK(selection_of_session(sim, 0) == Selection{});
  CHECK(selection_of_session(sim, 999'999) == Selection{});
}
