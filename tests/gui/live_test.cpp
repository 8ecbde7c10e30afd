// The workbench live (Workbench::listen): STOMP clients on the scene over loopback, driven by
// the test's own frames (tick), so the virtual clock only moves when the test says so.
#include <doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gui/model/actions.h"
#include "gui/model/state_json.h"
#include "gui/model/workbench.h"
#include "raw_stomp_client.h"
#include "sim/duration.h"

using namespace wmq;
using namespace wmq::gui;
using wmq::test::RawStompClient;

namespace {

// The grill has no cook of its own: every grill order waits for a STOMP program.
const std::string kLiveGrill = std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/live-grill.toml";
const std::string kLesson = std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/lesson.toml";
const std::string kDirect = std::string(WMQ_SCENARIOS_DIR) + "/01-without-a-board.toml";

sim::ListenOptions any_port() {
  sim::ListenOptions o;
  o.port = 0;
  return o;
}

std::unique_ptr<Workbench> live_bench(const std::string& path = kLiveGrill) {
  auto bench = std::make_unique<Workbench>();
  Status st = bench->load(path);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  st = bench->listen(any_port());
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  return bench;
}

// Frames of 100ms of wall time (the bench plays) until `pred` holds; false after `frames`.
template <typename Pred>
bool frames_until(Workbench& bench, Pred pred, int frames = 300) {
  for (int i = 0; i < frames; ++i) {
    bench.tick(0.1);
    if (pred()) return true;
    // Loopback bytes are there at once, but give the other end a moment to be scheduled.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

std::string refusal(const std::string& what, uint16_t port) {
  return what + " is not possible while STOMP clients can connect (port " + std::to_string(port) +
         "): this live run follows the wall clock and cannot be replayed";
}

// A cook program named `login` on the grill, prefetch 1, holding its first order.
struct GrillCook {
  RawStompClient client;
  std::string ack;
  uint32_t order = 0;

  GrillCook(Workbench& bench, const std::string& login) : client(bench.listen_port()) {
    client.connect_as(login);
    client.send(
        "SUBSCRIBE\nid:1\ndestination:/queue/grill\nack:client-individual\nprefetch-count:1\n\n");
    bench.play();
    REQUIRE(
        frames_until(bench, [&] { return client.read().find("MESSAGE\n") != std::string::npos; }));
    const size_t at = client.read().find("MESSAGE\n");
    ack = client.header("ack", at);
    order = static_cast<uint32_t>(std::stoul(client.header("order", at)));
  }
};

}  // namespace

TEST_CASE("a live workbench follows the wall clock at 1x, a slow frame included") {
  auto bench = std::make_unique<Workbench>();
  REQUIRE(bench->load(kLiveGrill).is_ok());
  bench->set_speed(16);
  REQUIRE(bench->listen(any_port()).is_ok());
  CHECK(bench->live());
  CHECK(bench->listen_bind() == "127.0.0.1");
  CHECK(bench->listen_port() != 0);
  CHECK(bench->player().speed() == 1.0);
  bench->play();
  bench->tick(0.25);
  CHECK(bench->now() == 250 * kMillis);
  // Half a second: more than the player's cap on a stalled frame, which a live run catches up.
  bench->tick(0.5);
  CHECK(bench->now() == 750 * kMillis);
  CHECK(bench->horizon() == 750 * kMillis);
  bench->pause();
  bench->tick(1.0);
  CHECK(bench->now() == 750 * kMillis);
}

TEST_CASE("a live workbench refuses what would replay it, replace it or move its clock") {
  auto bench = live_bench();
  const uint16_t port = bench->listen_port();
  bench->play();
  bench->tick(2.0);
  REQUIRE(bench->now() == 2 * kSeconds);

  Status st = bench->seek(kSeconds);
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() == refusal("going back in time", port));
  CHECK(bench->seek(5 * kSeconds).message() == refusal("jumping ahead in time", port));
  CHECK(bench->set_variant(make_variant(VariantPreset::kTransient, bench->scenario())).message() ==
        refusal("the split view", port));
  CHECK(bench->b() == nullptr);
  CHECK(bench->compare_with_previous_future().message() == refusal("the split view", port));
  CHECK(bench->load(kLesson).message() == refusal("opening another scenario", port));
  CHECK(bench->scenario().name == "live-grill");
  CHECK_FALSE(bench->step());
  bench->set_speed(4);
  bench->faster();
  CHECK(bench->player().speed() == 1.0);
  CHECK(bench->now() == 2 * kSeconds);
  CHECK(bench->player().playing());  // a refused seek does not pause the class's run either
  // A click still applies now, as always.
  CHECK(bench->inject(injection_now(sim::InjectionKind::kCrashBroker)).is_ok());
  CHECK(bench->a().sim().broker_down());
}

TEST_CASE("listen is refused in the split view, twice, and in direct mode, with the reason") {
  auto bench = std::make_unique<Workbench>();
  REQUIRE(bench->load(kLiveGrill).is_ok());
  REQUIRE(bench->set_variant(make_variant(VariantPreset::kTransient, bench->scenario())).is_ok());
  Status st = bench->listen(any_port());
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() == "STOMP clients can join one run only: close the split view first");
  CHECK_FALSE(bench->live());
  CHECK(bench->listen_port() == 0);

  REQUIRE(bench->set_variant(std::nullopt).is_ok());
  REQUIRE(bench->listen(any_port()).is_ok());
  CHECK(bench->listen(any_port()).message() ==
        "the scene already listens on port " + std::to_string(bench->listen_port()));

  Workbench direct;
  REQUIRE(direct.load(kDirect).is_ok());
  st = direct.listen(any_port());
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() == "scenario \"" + direct.scenario().name +
                            "\" runs in direct mode: there is no broker for STOMP clients to "
                            "connect to");
  CHECK_FALSE(direct.live());
}

TEST_CASE("a STOMP cook joins the kitchen under its login, holding what it was given") {
  auto bench = live_bench();
  const Run& run = bench->a();
  REQUIRE(run.sim().cooks().empty());
  CHECK(run.scene_cooks().empty());
  GrillCook budi(*bench, "budi");

  REQUIRE(run.scene_cooks().size() == 1);
  CHECK(bench->connected_clients() == 1);
  const sim::Cook& k = run.scene_cooks()[0];
  CHECK(k.name == "budi");
  CHECK(k.index == kExternalIndexBase);
  CHECK(k.station == 0);
  CHECK(k.state == sim::CookState::kCooking);
  REQUIRE(k.held.size() == 1);
  CHECK(k.held[0].order == budi.order);
  CHECK(run.sim().order(budi.order)->status == sim::OrderStatus::kCooking);
  const sim::ExternalClient* x = selected_external(run, Selection::cook(k.index));
  REQUIRE(x != nullptr);
  CHECK(x->name == "budi");
  CHECK(selected_external(run, Selection::cook(0)) == nullptr);
  CHECK(describe(Selection::cook(k.index)) == "stomp cook 0");

  // The ack: cooked, idle again, and the runner takes the food to the pickup counter.
  budi.client.send("ACK\nid:" + budi.ack + "\n\n");
  REQUIRE(frames_until(*bench, [&] { return run.sim().external_clients()[0].cooked == 1; }));
  REQUIRE(run.scene_cooks().size() == 1);
  CHECK(run.scene_cooks()[0].cooked == 1);
  CHECK(frames_until(
      *bench, [&] { return run.sim().order(budi.order)->status == sim::OrderStatus::kServed; }));

  // The program goes away: it leaves the kitchen, its record stays.
  budi.client.close();
  REQUIRE(frames_until(
      *bench, [&] { return run.sim().external_clients()[0].state == sim::ExternalState::kGone; }));
  CHECK(run.scene_cooks().empty());
  CHECK(bench->connected_clients() == 0);
  CHECK(selected_external(run, Selection::cook(kExternalIndexBase))->name == "budi");
}

TEST_CASE("a STOMP program that sends orders stands at a desk of its own") {
  auto bench = live_bench();
  const Run& run = bench->a();
  const size_t desks = run.sim().cashiers().size();
  RawStompClient siti(bench->listen_port());
  siti.connect_as("siti");
  siti.send(
      "SEND\ndestination:/exchange/orders/grill\ncontent-type:application/json\n\n"
      "{\"order\": 9001, \"dish\": \"sate ayam\", \"qty\": 1, \"table\": 4}");
  bench->play();
  REQUIRE(frames_until(*bench, [&] { return run.scene_cashiers().size() == desks + 1; }));
  const sim::Cashier& c = run.scene_cashiers()[desks];
  CHECK(c.name == "siti");
  CHECK(c.index == kExternalIndexBase);
  const sim::ExternalClient* x =
      selected_external(run, Selection::cashier(static_cast<uint32_t>(desks)));
  REQUIRE(x != nullptr);
  CHECK(x->role == sim::ExternalRole::kCashier);
  CHECK(x->sent == 1);
  CHECK(selected_external(run, Selection::cashier(0)) == nullptr);
}

TEST_CASE("an order a STOMP program sent has a ticket labelled by its id and its sender") {
  auto bench = live_bench();
  const Run& run = bench->a();
  RawStompClient siti(bench->listen_port());
  siti.connect_as("siti");
  siti.send(
      "SEND\ndestination:/exchange/orders/grill\ncontent-type:application/json\n"
      "persistent:true\nreceipt:r1\n\n"
      "{\"order\": 9001, \"dish\": \"sate ayam\", \"qty\": 1, \"table\": 4}");
  // Straight onto the grill's board, past the validator: no id of its own, and not persistent.
  siti.send(
      "SEND\ndestination:/queue/grill\ncontent-type:application/json\n\n"
      "{\"dish\": \"sate ayam\"}");
  bench->play();
  // The board's messages that carry no simulated order (the program's two), and one that does.
  std::vector<QueuedMessage> mine;
  MessageId ours = 0;
  REQUIRE(frames_until(*bench, [&] {
    mine.clear();
    for (const QueuedMessage& m : run.sim().broker()->peek("grill", 0, 1000)) {
      if (run.order_of_message(m.id) == 0) mine.push_back(m);
      if (run.order_of_message(m.id) != 0) ours = m.id;
    }
    return mine.size() == 2 && ours != 0 && siti.read().find("receipt-id:r1") != std::string::npos;
  }));
  const uint32_t first = run.ticket_of(0, mine[0].id);
  const uint32_t second = run.ticket_of(0, mine[1].id);
  CHECK(first == kProgramOrderBase);
  CHECK(second == kProgramOrderBase + 1);
  CHECK(run.ticket_label(first) == "9001");
  CHECK(run.ticket_label(second) == "P2");  // the programs' second order, with no id of its own
  const ProgramOrder* p = run.program_order(first);
  REQUIRE(p != nullptr);
  CHECK(p->name == "9001");
  CHECK(p->message == mine[0].id);
  CHECK(p->sender == "siti");
  // Persistent and receipted on a durable board: written down. The other is in memory only.
  CHECK(run.ticket_confirmed(first));
  CHECK_FALSE(run.ticket_confirmed(second));
  CHECK(run.program_order(second)->name == "P2");
  CHECK(run.program_order(second)->message == mine[1].id);
  CHECK(p->session == run.sim().external_clients()[0].session);
  REQUIRE(run.program_order(second) != nullptr);
  CHECK(run.program_order(second)->sender == "siti");
  CHECK(describe(Selection::order(second)) == "stomp order 1");
  // The simulation's own orders keep their numbers.
  const uint32_t n = run.order_of_message(ours);
  CHECK(run.ticket_of(n, ours) == n);
  CHECK(run.ticket_label(n) == std::to_string(n));
  CHECK(run.program_order(n) == nullptr);
  CHECK(run.ticket_label(0) == "?");
}

TEST_CASE("a STOMP cook holding a program's order holds its labelled ticket") {
  auto bench = live_bench();
  const Run& run = bench->a();
  RawStompClient siti(bench->listen_port());
  siti.connect_as("siti");
  siti.send(
      "SEND\ndestination:/queue/grill\ncontent-type:application/json\n\n"
      "{\"order\": \"S-1\", \"dish\": \"sate ayam\"}");
  bench->play();
  REQUIRE(frames_until(*bench, [&] { return run.program_order(kProgramOrderBase) != nullptr; }));
  // A cook that takes everything on the grill, the program's order among it.
  RawStompClient budi(bench->listen_port());
  budi.connect_as("budi");
  budi.send("SUBSCRIBE\nid:1\ndestination:/queue/grill\nack:client-individual\n\n");
  REQUIRE(frames_until(*bench, [&] {
    for (const sim::Cook& k : run.scene_cooks()) {
      for (const sim::Ticket& t : k.held) {
        if (run.ticket_of(t.order, t.message) == kProgramOrderBase) return true;
      }
    }
    return false;
  }));
  CHECK(run.ticket_label(kProgramOrderBase) == "S-1");
}

TEST_CASE("the event log names the STOMP programs that took, acked and sent orders") {
  auto bench = live_bench();
  const Run& run = bench->a();
  GrillCook budi(*bench, "budi");
  budi.client.send("ACK\nid:" + budi.ack + "\n\n");
  RawStompClient siti(bench->listen_port());
  siti.send("CONNECT\naccept-version:1.2\nclient-id:kasir-siti\n\n");
  siti.send(
      "SEND\ndestination:/exchange/orders/grill\ncontent-type:application/json\n\n"
      "{\"order\": 9001, \"dish\": \"sate ayam\", \"qty\": 1, \"table\": 4}");
  REQUIRE(frames_until(*bench, [&] {
    const auto& x = run.sim().external_clients();
    return x.size() == 2 && x[0].cooked == 1 && x[1].sent == 1;
  }));
  const SessionId cook = run.sim().external_clients()[0].session;
  const SessionId cashier = run.sim().external_clients()[1].session;
  std::vector<std::string> delivered, acked, published;
  for (uint64_t seq = run.log().first_seq(); seq < run.log().next_seq(); ++seq) {
    const LogRecord* r = run.log().find(seq);
    REQUIRE(r != nullptr);
    if (r->kind != sim::SimEventKind::kBroker) continue;
    if (r->session != cook && r->session != cashier) continue;
    const std::string who = run.log().who(*r, run.sim());
    if (r->broker_kind == EventKind::kDelivered) delivered.push_back(who);
    if (r->broker_kind == EventKind::kAcked) acked.push_back(who);
    if (r->broker_kind == EventKind::kPublished) published.push_back(who);
  }
  REQUIRE_FALSE(delivered.empty());
  CHECK(delivered == std::vector<std::string>(delivered.size(), "budi"));
  CHECK(acked == std::vector<std::string>{"budi"});
  CHECK(published == std::vector<std::string>{"kasir-siti"});  // no login: its client-id
}

TEST_CASE("the state report says a live run is not deterministic, where it listens, and who came") {
  auto bench = std::make_unique<Workbench>();
  REQUIRE(bench->load(kLiveGrill).is_ok());
  nlohmann::json s = state_json(*bench);
  CHECK(s["deterministic"] == true);
  CHECK(s["listening"].is_null());
  CHECK(s["a"]["external_clients"] == nlohmann::json::array());

  REQUIRE(bench->listen(any_port()).is_ok());
  GrillCook budi(*bench, "budi");
  budi.client.send("ACK\nid:" + budi.ack + "\n\n");
  REQUIRE(frames_until(*bench, [&] {
    return bench->a().sim().external_clients()[0].cooked == 1 &&
           !bench->a().sim().external_clients()[0].held.empty();  // the next order in hand
  }));
  s = state_json(*bench);
  CHECK(s["deterministic"] == false);
  CHECK(s["speed"] == 1.0);
  CHECK(s["listening"] == nlohmann::json{{"bind", "127.0.0.1"}, {"port", bench->listen_port()}});
  REQUIRE(s["a"]["external_clients"].size() == 1);
  const nlohmann::json& x = s["a"]["external_clients"][0];
  CHECK(x["name"] == "budi");
  CHECK(x["role"] == "cook");
  CHECK(x["state"] == "connected");
  CHECK(x["station"] == "grill");
  CHECK(x["delivered"] == 2);
  CHECK(x["acked"] == 1);
  CHECK(x["returned"] == 0);
  REQUIRE(x["held"].size() == 1);
  CHECK(x["held"][0] != budi.order);
  CHECK(x["left_at_us"] == -1);
  CHECK(s["a"]["counters"]["external_cooked"] == 1);
  CHECK(s["a"]["counters"]["external_delivered"] == 2);
}

TEST_CASE("a step, a speed change or going back while live is refused and told with the reason") {
  auto bench = live_bench();
  const uint16_t port = bench->listen_port();
  CommandQueue queue;
  std::vector<Outcome> told;
  Actions act(queue, *bench, [&](const Outcome& o) { told.push_back(o); });
  bench->play();
  bench->tick(1.0);
  act.step();
  act.faster();
  act.set_speed(4);
  act.back_by(30 * kSeconds);
  queue.apply_all();
  REQUIRE(told.size() == 4);
  CHECK(told[0].action == "live");
  CHECK(told[0].status.message() == refusal("stepping", port));
  CHECK(told[1].action == "live");
  CHECK(told[1].status.message() == refusal("changing the speed", port));
  CHECK(told[2].status.message() == refusal("changing the speed", port));
  CHECK(told[3].action == "seek");
  CHECK(told[3].status.message() == refusal("going back in time", port));
  CHECK(bench->player().speed() == 1.0);
}
