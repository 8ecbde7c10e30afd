// Events that wait for their moment (sim/condition.h): every mistake a
// teacher may write in a `when`, and what a run does with one.
#include <doctest.h>

#include <string>
#include <vector>

#include "sim/duration.h"
#include "sim_util.h"

using namespace wmq;
using namespace wmq::sim;
using namespace wmq::sim::test;

namespace {

constexpr Micros kMinute = 60 * kSeconds;

// Lines 1-10: a warung with two wok cooks and one grill cook.
const std::string kWarung = R"([scenario]
name = "t"
[restaurant]
rate = 3.0
[[station]]
name = "wok"
cooks = 2
[[station]]
name = "grill"
cooks = 1
)";

std::string error_of(const std::string& events) {
  Result<Scenario> r = parse_scenario(kWarung + events, "t.toml");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalid);
  return r.status().message();
}

const NarrationLine* line_of(const Report& r, const std::string& action) {
  for (const NarrationLine& l : r.timeline) {
    if (l.action.rfind(action, 0) == 0) return &l;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("each mistake in a when is one sentence with file:line and what to write") {
  const std::pair<std::string, std::string> cases[] = {
      {"[[event]]\nat = \"1m\"\nwhen = { cook = \"wok-1\" }\ndo = \"crash_cook\"\ncook = "
       "\"wok-1\"\n",
       R"(t.toml:12: an event with "when" waits from "after", not "at"; write after = "1m")"},
      {"[[event]]\nafter = \"1m\"\ndo = \"crash_cook\"\ncook = \"wok-1\"\n",
       R"(t.toml:12: "after" is for an event that waits for a moment; add a "when" such as when = { cook = "grill-1", holds_at_least = 1 }, or write only "at")"},
      {"[[event]]\nat = \"1m\"\ndeadline = \"2m\"\nen = \"x\"\nid = \"y\"\n",
       R"(t.toml:13: "deadline" is for an event that waits for a moment; add a "when" such as when = { cook = "grill-1", holds_at_least = 1 }, or write only "at")"},
      {"[[event]]\nwhen = \"wok-1 is busy\"\nen = \"x\"\n",
       R"(t.toml:12: "when" must be a table like { cook = "grill-1", holds_at_least = 1 }, { queue = "wok", waiting_at_least = 5 } or { order = 1, state = "unacked" }, got a string)"},
      {"[[event]]\nwhen = { cook = \"wok-1\", queue = \"wok\" }\nen = \"x\"\n",
       R"(t.toml:12: "when" waits for one thing: write one of cook, queue or order, as in { cook = "grill-1", holds_at_least = 1 }, { queue = "wok", waiting_at_least = 5 } or { order = 1, state = "unacked" })"},
      {"[[event]]\nwhen = { cook = \"wok1\" }\nen = \"x\"\n",
       R"(t.toml:12: unknown cook "wok1" in "when"; did you mean "wok-1"?)"},
      {"[[event]]\nwhen = { cook = \"busiest\", holds = 2 }\nen = \"x\"\n",
       R"(t.toml:12: unknown key "holds" in "when" with a cook; write one of "cook" or "holds_at_least")"},
      {"[[event]]\nwhen = { cook = \"wok-1\", holds_at_least = 0 }\nen = \"x\"\n",
       R"(t.toml:12: "holds_at_least" must be 1..1000, got 0)"},
      {"[[event]]\nwhen = { queue = \"wk\", waiting_at_least = 5 }\nen = \"x\"\n",
       R"(t.toml:12: unknown queue "wk" in "when"; did you mean "wok"?)"},
      {"[[event]]\nwhen = { queue = \"grill-1\" }\nen = \"x\"\n",
       R"(t.toml:12: unknown queue "grill-1" in "when"; did you mean "grill"?)"},
      {"[[event]]\nwhen = { queue = \"wok\", waiting = 5 }\nen = \"x\"\n",
       R"(t.toml:12: unknown key "waiting" in "when" with a queue; write one of "queue", "waiting_at_least", "waiting_at_most" or "refused_at_least")"},
      {"[[event]]\nwhen = { queue = \"wok\", waiting_at_least = 5, waiting_at_most = 6 }\nen = "
       "\"x\"\n",
       R"(t.toml:12: "when" with a queue takes one of waiting_at_least, waiting_at_most or refused_at_least, not several)"},
      {"[[event]]\nwhen = { queue = \"wok\", waiting_at_least = 2, refused_at_least = 1 }\nen = "
       "\"x\"\n",
       R"(t.toml:12: "when" with a queue takes one of waiting_at_least, waiting_at_most or refused_at_least, not several)"},
      {"[[event]]\nwhen = { queue = \"pickup\", refused_at_least = 1 }\nen = \"x\"\n",
       R"(t.toml:12: only a station's board refuses orders at the door, not "pickup"; with refused_at_least write queue = "wok" or "grill")"},
      {"[[event]]\nwhen = { queue = \"busiest\", refused_at_least = 1 }\nen = \"x\"\n",
       R"(t.toml:12: only a station's board refuses orders at the door, not "busiest"; with refused_at_least write queue = "wok" or "grill")"},
      {"[[event]]\nwhen = { queue = \"wok\", refused_at_least = 0 }\nen = \"x\"\n",
       R"(t.toml:12: "refused_at_least" must be 1..1000000, got 0)"},
      {"[[event]]\nwhen = { order = 1 }\nen = \"x\"\n",
       R"(t.toml:12: "when" with order 1 needs what it waits for: the state, like state = "unacked", or the deliveries, like delivered_at_least = 2)"},
      {"[[event]]\nwhen = { order = \"poison\" }\nen = \"x\"\n",
       R"(t.toml:12: "when" with order "poison" needs what it waits for: the state, like state = "unacked", or the deliveries, like delivered_at_least = 2)"},
      {"[[event]]\nwhen = { order = \"poisoned\", state = \"dead_lettered\" }\nen = \"x\"\n",
       R"(t.toml:12: "order" is an order number like 1, "oldest-unacked", "any" or "poison", got "poisoned"; did you mean "poison"?)"},
      {"[[event]]\nwhen = { order = \"poison\", delivered_at_least = 0 }\nen = \"x\"\n",
       R"(t.toml:12: "delivered_at_least" must be 1..1000, got 0)"},
      {"[[event]]\nwhen = { order = \"any\", deliveries = 2 }\nen = \"x\"\n",
       R"(t.toml:12: unknown key "deliveries" in "when" with an order; write one of "order", "state" or "delivered_at_least")"},
      {"[[event]]\nwhen = { order = \"any\", state = \"expird\" }\nen = \"x\"\n",
       R"(t.toml:12: "state" "expird" is not a state an order has; did you mean "expired"?)"},
      {"[[event]]\nwhen = { order = 1, state = \"cooked\" }\nen = \"x\"\n",
       R"(t.toml:12: "state" "cooked" is not a state an order has; write one of "placing", "on_board", "unacked", "cooking", "at_pickup", "served", "rejected", "dead_lettered", "expired" or "lost")"},
      {"[[event]]\nwhen = { order = \"oldest\", state = \"unacked\" }\nen = \"x\"\n",
       R"(t.toml:12: "order" is an order number like 1, "oldest-unacked", "any" or "poison", got "oldest"; write one of "oldest-unacked", "any" or "poison")"},
      {"[[event]]\nwhen = { order = \"oldest-unacked\", state = \"served\" }\nen = \"x\"\n",
       R"(t.toml:12: order "oldest-unacked" is always unacked; leave "state" out, or write order = "any" for the first order that is served)"},
      {"[[event]]\nafter = \"2m\"\nwhen = { cook = \"busiest\" }\ndeadline = \"1m\"\nen = \"x\"\n",
       R"(t.toml:14: "deadline" (1m) must be later than "after" (2m), or it never waits)"},
      {"[[event]]\nwhen = { queue = \"wok\", waiting_at_least = 3 }\nen = \"{cook} is busy\"\n",
       R"(t.toml:13: "en" uses {cook} but this event picks no cook; give it a "when" that waits for a cook (or a cook = target))"},
      {"[[event]]\nwhen = { cook = \"busiest\" }\nen = \"x\"\nid = \"{koki} sibuk\"\n",
       R"(t.toml:14: "id" uses {koki}, a name the simulator cannot fill; write one of "cook", "order" or "queue")"},
      {"[[event]]\nat = \"1m\"\ndo = \"crash_cook\"\ncook = \"busy\"\n",
       R"(t.toml:14: unknown cook "busy"; write one of "wok-1", "wok-2", "grill-1" or "busiest")"},
      {"[[event]]\nat = \"1m\"\ndo = \"revive_cook\"\ncook = \"busiest\"\n",
       R"(t.toml:14: unknown cook "busiest"; write one of "wok-1", "wok-2" or "grill-1")"},
  };
  for (const auto& c : cases) {
    const std::string& events = c.first;  // a plain reference: CAPTURE may not take a binding
    CAPTURE(events);
    CHECK(error_of(events) == c.second);
  }
}

TEST_CASE("a when reads into its condition, after and deadline") {
  const Scenario s = scenario(kWarung + R"(
[[event]]
after = "1m30s"
when = { cook = "grill-1", holds_at_least = 2 }
deadline = "4m"
do = "crash_cook"
cook = "grill-1"
[[event]]
when = { order = "oldest-unacked" }
en = "Order {order} is in {cook}'s hands."
[[event]]
after = "30s"
when = { queue = "wok", waiting_at_least = 5 }
en = "{queue} is full."
)");
  REQUIRE(s.timeline.size() == 3);
  CHECK(s.timeline[0].at == 0);
  CHECK(s.timeline[0].when->kind == Condition::Kind::kOrderState);
  CHECK(s.timeline[0].when->order == 0);
  CHECK(s.timeline[0].when->state == OrderStatus::kCooking);
  CHECK(s.timeline[0].deadline == -1);
  CHECK(s.timeline[1].at == 30 * kSeconds);
  CHECK(describe(*s.timeline[1].when) == "at least 5 orders wait on wok");
  CHECK(s.timeline[2].at == 90 * kSeconds);
  CHECK(s.timeline[2].deadline == 4 * kMinute);
  CHECK(describe(*s.timeline[2].when) == "grill-1 holds at least 2 orders");
}

TEST_CASE("an event that waits fires at the first step its condition holds, names filled in") {
  const Scenario s = scenario(kWarung + R"(
[[event]]
after = "1m"
when = { cook = "grill-1", holds_at_least = 1 }
deadline = "9m"
do = "crash_cook"
cook = "grill-1"
pause = true
en = "{cook} faints while holding order {order}."
id = "{cook} pingsan saat memegang pesanan {order}."
)");
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    auto sim = start(s, seed);
    CHECK(sim->run_until(9 * kMinute, true));
    CHECK(sim->now() >= kMinute);
    CHECK(sim->pauses_reached() == 1);
    CHECK(cook(*sim, "grill-1").state == CookState::kCrashed);
    REQUIRE(sim->narration() != nullptr);
    CHECK(sim->narration()->at == sim->now());
    const std::string en = sim->narration()->say.en;
    const std::string head = "grill-1 faints while holding order ";
    REQUIRE(en.rfind(head, 0) == 0);
    const auto n = static_cast<uint32_t>(std::stoul(en.substr(head.size())));
    CHECK(en == head + std::to_string(n) + ".");
    CHECK(sim->narration()->say.id ==
          "grill-1 pingsan saat memegang pesanan " + std::to_string(n) + ".");
    sim->run_until(10 * kMinute);
    // The order it held went back on the board and was delivered again.
    REQUIRE(sim->order(n) != nullptr);
    CHECK(sim->order(n)->deliveries >= 2);
    const Report r = sim->report();
    CHECK(r.redelivered >= 1);
    const NarrationLine* l = line_of(r, "crash_cook grill-1");
    REQUIRE(l != nullptr);
    CHECK(l->late == "");
    CHECK(l->say.en == en);
  }
}

TEST_CASE("an event whose moment never comes fires at its deadline and the report says why") {
  const Scenario s = scenario(kWarung + R"(
[[event]]
after = "1m"
when = { queue = "wok", waiting_at_least = 500 }
deadline = "3m"
do = "set_rate"
rate = 0.0
en = "{queue} is full."
)");
  auto sim = start(s, 3);
  sim->run_until(5 * kMinute);
  const Report r = sim->report();
  const NarrationLine* l = line_of(r, "set_rate 0/min");
  REQUIRE(l != nullptr);
  CHECK(l->at == 3 * kMinute);
  CHECK(l->say.en == "wok is full.");
  CHECK(l->late ==
        "waited from 1m until at least 500 orders wait on wok; fired at its deadline 3m");
  REQUIRE_FALSE(r.notes.empty());
  CHECK(r.notes.back() ==
        "the event at line 12 fired late, at 3m: it waited from 1m until at least 500 orders wait "
        "on wok; fired at its deadline 3m");
  CHECK(report_text(r).find("         late: waited from 1m until at least 500 orders wait on wok; "
                            "fired at its deadline 3m\n") != std::string::npos);
}

TEST_CASE("an event without a deadline that never fires is named in the report's notes") {
  auto sim = start(scenario(kWarung + R"(
[[event]]
after = "1m"
when = { order = 100000, state = "served" }
en = "Never."
)"));
  sim->run_until(3 * kMinute);
  const Report r = sim->report();
  CHECK(sim->narration() == nullptr);
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0] ==
        "the event at line 12 has not fired: since 1m it waits until order 100000 is served");
}

TEST_CASE("cook = busiest crashes the cook holding the most orders when it fires") {
  const Scenario s = scenario(kWarung + R"(
[[station]]
name = "drinks"
cooks = 1
prefetch = 3
[[event]]
when = { cook = "busiest", holds_at_least = 2 }
deadline = "20m"
do = "crash_cook"
cook = "busiest"
en = "{cook} faints holding order {order}."
)");
  auto sim = start(s, 2);
  step_until(*sim, [&] { return sim->narration() != nullptr; });
  const std::string en = sim->narration()->say.en;
  CHECK(en.rfind("drinks-1 faints holding order ", 0) == 0);
  CHECK(cook(*sim, "drinks-1").state == CookState::kCrashed);
  const Report r = sim->report();
  const NarrationLine* l = line_of(r, "crash_cook");
  REQUIRE(l != nullptr);
  CHECK(l->action == "crash_cook drinks-1");
}

TEST_CASE("a waiting event gives the same report on every replay of a seed") {
  const Scenario s = scenario(kWarung + R"(
[[event]]
when = { order = "oldest-unacked" }
do = "crash_cook"
cook = "busiest"
en = "{cook} drops order {order}."
)");
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    auto a = start(s, seed);
    auto b = start(s, seed);
    a->run_until(6 * kMinute);
    b->run_until(2 * kMinute);
    b->run_until(6 * kMinute);
    CHECK(report_json(a->report()) == report_json(b->report()));
    CHECK(report_text(a->report()) == report_text(b->report()));
  }
}

TEST_CASE("the poison order, any order in a state and a refused order read into conditions") {
  const Scenario s = scenario(kWarung + R"(
[[event]]
when = { order = "poison", delivered_at_least = 2 }
en = "Order {order} was handed out twice."
[[event]]
when = { order = "poison", state = "dead_lettered" }
en = "x"
[[event]]
when = { order = "any", state = "expired", delivered_at_least = 1 }
en = "x"
[[event]]
when = { queue = "wok", refused_at_least = 3 }
en = "{queue} is full."
)");
  REQUIRE(s.timeline.size() == 4);
  CHECK(s.timeline[0].when->which == Condition::Which::kPoison);
  CHECK_FALSE(s.timeline[0].when->has_state);
  CHECK(describe(*s.timeline[0].when) == "the poison order was delivered at least 2 times");
  CHECK(describe(*s.timeline[1].when) == "the poison order is dead_lettered");
  CHECK(describe(*s.timeline[2].when) == "an order is expired and was delivered at least 1 time");
  CHECK(s.timeline[3].when->kind == Condition::Kind::kQueueRefused);
  CHECK(describe(*s.timeline[3].when) == "wok refused at least 3 orders at the door");
}

TEST_CASE("events wait for the poison order's deliveries and its dead letter") {
  const Scenario s = scenario(kWarung + R"(
[queues]
delivery_limit = 3
[[event]]
at = "1m"
do = "poison_order"
dish = "nasi goreng"
[[event]]
after = "1m"
when = { order = "poison", delivered_at_least = 2 }
en = "Order {order}, twice."
[[event]]
after = "1m"
when = { order = "poison", state = "dead_lettered" }
en = "Order {order} is a dead letter."
)");
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    auto sim = start(s, seed);
    sim->run_until(20 * kMinute);
    const Report r = sim->report();
    CHECK(r.dead_lettered == 1);
    uint32_t poison = 0;
    for (const Order& o : sim->orders()) {
      if (o.special == Special::kPoison) poison = o.number;
    }
    REQUIRE(poison != 0);
    const std::string n = std::to_string(poison);
    std::vector<std::string> said;
    std::vector<Micros> when;
    for (const NarrationLine& l : r.timeline) {
      if (l.say.en.rfind("Order ", 0) == 0) {
        said.push_back(l.say.en);
        when.push_back(l.at);
        CHECK(l.late == "");
      }
    }
    CHECK(said ==
          std::vector<std::string>{"Order " + n + ", twice.", "Order " + n + " is a dead letter."});
    REQUIRE(when.size() == 2);
    CHECK(when[0] < when[1]);
  }
}

TEST_CASE("an event waits for a full board to refuse an order, and for any order to expire") {
  const Scenario s = scenario(kWarung + R"(
[queues]
max_length = 2
ttl = "1m"
[[event]]
at = "1m"
do = "set_rate"
rate = 30
[[event]]
after = "1m"
when = { queue = "wok", refused_at_least = 1 }
do = "set_rate"
rate = 0
en = "{queue} turned a customer away."
[[event]]
when = { order = "any", state = "expired" }
en = "Order {order} expired."
)");
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    auto sim = start(s, seed);
    sim->run_until(15 * kMinute);
    const Report r = sim->report();
    CHECK(r.rejected >= 1);
    bool refused = false, expired = false;
    for (const NarrationLine& l : r.timeline) {
      CHECK(l.late == "");
      refused |= l.say.en == "wok turned a customer away.";
      if (l.say.en.rfind("Order ", 0) == 0) {
        expired = true;
        const auto n = static_cast<uint32_t>(std::stoul(l.say.en.substr(6)));
        REQUIRE(sim->order(n) != nullptr);
        CHECK(sim->order(n)->expired);
      }
    }
    CHECK(refused);
    CHECK(expired);
    for (const QueueStats& q : sim->queues()) {
      if (q.name == "wok") CHECK(q.refused >= 1);
    }
  }
}
