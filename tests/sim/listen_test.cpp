// The scene opened to STOMP clients (Simulation::listen, live_turn,
// external_clients), driven in-process over loopback with a raw socket: the
// test steps virtual time itself, so it needs no wall seconds.
#include <doctest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "raw_stomp_client.h"
#include "sim_util.h"

namespace wmq::sim::test {
namespace {

// The grill has no cook of its own: every grill order waits for a client.
const char* kScene = R"(
[scenario]
name = "scene"
dishes = ["sate ayam"]
[restaurant]
cashiers = 1
rate = 60
service = "1s"
handoff = "1s"
[[station]]
name = "grill"
cooks = 0
)";

using wmq::test::frame_header;
using wmq::test::grill_orders;
using wmq::test::RawStompClient;

// Runs the scene live from now to `until`, 100ms of virtual time a turn,
// until `pred` holds.
template <typename Pred>
bool live_until(Simulation& sim, Micros until, Pred pred) {
  while (sim.now() < until) {
    sim.live_turn(std::min(until, sim.now() + 100 * kMillis), kMillis);
    if (pred()) return true;
  }
  return false;
}

// The sentence `warungmq serve` prints (without its prefix) for a door that may not open.
std::string stomp_door_refusal(const std::string& bind) {
  return "--bind " + bind +
         " without --users would let anyone on the network connect under any name and take any "
         "queue's orders; make a users file with `warungmq users add LOGIN --file users.txt` "
         "(once per login) and start with --users users.txt, or give --allow-anyone for an open "
         "classroom";
}

// A users file of `text` in the temporary folder, removed with the object.
struct UsersFile {
  std::string path;
  explicit UsersFile(const std::string& text) {
    static int n = 0;
    path = (std::filesystem::temp_directory_path() /
            ("wmq-listen-users-" + std::to_string(::getpid()) + "-" + std::to_string(n++)))
               .string();
    std::ofstream(path) << text;
  }
  ~UsersFile() { std::filesystem::remove(path); }
};

ListenOptions any_port() {
  ListenOptions o;
  o.port = 0;
  return o;
}

}  // namespace

TEST_CASE("listen is refused in direct mode, with the reason") {
  Scenario s = scenario(std::string(kScene) + "");
  s.mode = Mode::kDirect;
  auto sim = start(s);
  Status st = sim->listen(any_port());
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() ==
        "scenario \"scene\" runs in direct mode: there is no broker for STOMP clients to connect "
        "to");
  CHECK_FALSE(sim->listening());
  CHECK(sim->listen_port() == 0);
}

TEST_CASE("listen twice is refused and names the port already listened on") {
  auto sim = start(scenario(kScene));
  REQUIRE(sim->listen(any_port()).is_ok());
  CHECK(sim->listening());
  CHECK(sim->listen_port() != 0);
  Status st = sim->listen(any_port());
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() ==
        "the simulation already listens on port " + std::to_string(sim->listen_port()));
}

TEST_CASE("listen follows serve's door rule: loopback only without a users file") {
  auto sim = start(scenario(kScene));
  ListenOptions o = any_port();
  o.bind = "0.0.0.0";
  std::vector<std::string> warnings;
  o.warn = [&](std::string_view line) { warnings.emplace_back(line); };
  Status st = sim->listen(o);
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() == stomp_door_refusal("0.0.0.0"));
  CHECK_FALSE(sim->listening());
  CHECK(warnings.empty());

  o.allow_anyone = true;
  REQUIRE(sim->listen(o).is_ok());
  CHECK(sim->listening());
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "warning: --allow-anyone: anyone who can reach 0.0.0.0 port " +
                           std::to_string(sim->listen_port()) +
                           " may connect under any name, read every queue and send anywhere");
}

TEST_CASE("listen with a users file opens any address and lets in only its logins") {
  UsersFile users("user budi sambal\nallow budi read /queue/grill\n");
  const std::string& path = users.path;
  auto sim = start(scenario(kScene));
  ListenOptions o = any_port();
  o.bind = "0.0.0.0";
  o.users_file = path;
  std::vector<std::string> warnings;
  o.warn = [&](std::string_view line) { warnings.emplace_back(line); };
  REQUIRE(sim->listen(o).is_ok());
  // The plain-text passcode's warning names its line.
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].rfind("warning: " + path + ":1: the passcode of \"budi\" is plain text", 0) ==
        0);

  RawStompClient wrong(sim->listen_port());
  wrong.connect_as("budi");  // passcode "x"
  CHECK(live_until(*sim, 20 * kSeconds,
                   [&] { return wrong.read().find("ERROR\n") != std::string::npos; }));
  CHECK(wrong.read().find("CONNECTED") == std::string::npos);

  RawStompClient right(sim->listen_port());
  right.send("CONNECT\naccept-version:1.2\nlogin:budi\npasscode:sambal\n\n");
  CHECK(live_until(*sim, sim->now() + 20 * kSeconds,
                   [&] { return right.read().find("CONNECTED\n") != std::string::npos; }));
  // Its allow lines hold on the scene too.
  right.send("SEND\ndestination:/queue/grill\n\nsate");
  CHECK(live_until(*sim, sim->now() + 20 * kSeconds,
                   [&] { return right.read().find("access refused") != std::string::npos; }));
}

TEST_CASE("listen with a users file that does not parse is refused, naming the line") {
  UsersFile users("user budi sambal\nallow budi cook /queue/grill\n");
  const std::string& path = users.path;
  auto sim = start(scenario(kScene));
  ListenOptions o = any_port();
  o.users_file = path;
  Status st = sim->listen(o);
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message().rfind(path + ":2: ", 0) == 0);
  CHECK_FALSE(sim->listening());
}

TEST_CASE("an external cook's ack counts as cooked and its customer is served") {
  auto sim = start(scenario(kScene));
  REQUIRE(sim->listen(any_port()).is_ok());
  RawStompClient cook(sim->listen_port());
  cook.connect_as("budi");
  cook.send(
      "SUBSCRIBE\nid:1\ndestination:/queue/grill\nack:client-individual\nprefetch-count:1\n\n");
  REQUIRE(live_until(*sim, 60 * kSeconds,
                     [&] { return cook.read().find("MESSAGE\n") != std::string::npos; }));
  const std::string ack = cook.header("ack", cook.read().find("MESSAGE\n"));
  const uint32_t order = static_cast<uint32_t>(std::stoul(cook.header("order")));
  REQUIRE(sim->external_clients().size() == 1);
  const ExternalClient& x = sim->external_clients()[0];
  CHECK(x.name == "budi");
  CHECK(x.role == ExternalRole::kCook);
  CHECK(x.state == ExternalState::kConnected);
  CHECK(x.station == 0);
  REQUIRE(x.held.size() == 1);
  CHECK(x.held[0].order == order);
  CHECK(sim->order(order)->status == OrderStatus::kCooking);

  cook.send("ACK\nid:" + ack + "\n\n");
  REQUIRE(live_until(*sim, sim->now() + 30 * kSeconds,
                     [&] { return sim->order(order)->status == OrderStatus::kServed; }));
  CHECK(sim->external_clients()[0].cooked == 1);
  // With prefetch 1 the next grill order may be in its hands already.
  for (const Ticket& t : sim->external_clients()[0].held)
    CHECK(t.order != order);
  CHECK(sim->counters().external_cooked == 1);
  const Report r = sim->report();
  CHECK(r.live);
  CHECK(r.external_cooked == 1);
  CHECK(r.external_cooks == 1);
  check_conservation(r);
}

TEST_CASE("an external cook that hangs up mid-order sends it back on the board") {
  auto sim = start(scenario(kScene));
  REQUIRE(sim->listen(any_port()).is_ok());
  RawStompClient cook(sim->listen_port());
  cook.connect_as("budi");
  cook.send("SUBSCRIBE\nid:1\ndestination:/amq/queue/grill\nack:client\nprefetch-count:1\n\n");
  REQUIRE(live_until(*sim, 60 * kSeconds,
                     [&] { return cook.read().find("MESSAGE\n") != std::string::npos; }));
  const uint32_t order = static_cast<uint32_t>(std::stoul(cook.header("order")));
  cook.close();
  REQUIRE(live_until(*sim, sim->now() + 5 * kSeconds,
                     [&] { return sim->external_clients()[0].state == ExternalState::kGone; }));
  CHECK(sim->external_clients()[0].returned == 1);
  CHECK(sim->external_clients()[0].held.empty());
  CHECK(sim->order(order)->status == OrderStatus::kOnBoard);
  CHECK(sim->counters().external_returned == 1);
  check_conservation(sim->report());
}

TEST_CASE("a broker crash drops STOMP clients and the scene listens again on the same port") {
  auto sim = start(scenario(kScene));
  REQUIRE(sim->listen(any_port()).is_ok());
  const uint16_t port = sim->listen_port();
  RawStompClient cook(port);
  cook.connect_as("budi");
  cook.send("SUBSCRIBE\nid:1\ndestination:/queue/grill\nack:client\nprefetch-count:1\n\n");
  REQUIRE(live_until(*sim, 60 * kSeconds,
                     [&] { return cook.read().find("MESSAGE\n") != std::string::npos; }));
  REQUIRE(sim->inject(inj(InjectionKind::kCrashBroker)).is_ok());
  CHECK(sim->broker_down());
  CHECK(cook.read_until_eof(std::chrono::seconds(3)).find("ERROR") == std::string::npos);
  CHECK(sim->external_clients()[0].state == ExternalState::kGone);
  REQUIRE(live_until(*sim, sim->now() + 30 * kSeconds, [&] { return !sim->broker_down(); }));
  CHECK(sim->listen_port() == port);
  RawStompClient again(port);
  again.connect_as("budi");
  REQUIRE(live_until(*sim, sim->now() + 5 * kSeconds,
                     [&] { return again.read().find("CONNECTED\n") != std::string::npos; }));
}

TEST_CASE("a program that floods the scene past max_memory is paused and the door says so") {
  auto sim = start(scenario(kScene));
  ListenOptions o = any_port();
  o.max_memory = 16 * 1024;
  REQUIRE(sim->listen(o).is_ok());
  DoorState d = sim->door();
  CHECK(d.open);
  CHECK(d.port == sim->listen_port());
  CHECK(d.bind == "127.0.0.1");
  CHECK(d.max_memory == 16 * 1024);
  CHECK_FALSE(d.memory_alarm);
  RawStompClient siti(sim->listen_port());
  siti.connect_as("siti");
  REQUIRE(live_until(*sim, 10 * kSeconds, [&] { return sim->door().connections == 1; }));
  // Grill orders with nobody to cook them: they pile up on the board.
  siti.send(grill_orders(400, 9000));
  REQUIRE(live_until(*sim, sim->now() + 30 * kSeconds,
                     [&] { return sim->door().memory_alarm && sim->door().paused == 1; }));
  d = sim->door();
  CHECK(d.held_bytes > d.max_memory);
  CHECK(d.connections == 1);
}

TEST_CASE("a scene that ends tells its STOMP clients the server is shutting down") {
  std::vector<std::string> lines;
  ListenOptions o = any_port();
  o.log = [&lines](std::string_view line) { lines.emplace_back(line); };
  auto sim = start(scenario(kScene));
  REQUIRE(sim->listen(o).is_ok());
  RawStompClient cook(sim->listen_port());
  cook.connect_as("budi");
  cook.send("SUBSCRIBE\nid:1\ndestination:/queue/grill\nack:client\nprefetch-count:1\n\n");
  REQUIRE(live_until(*sim, 60 * kSeconds,
                     [&] { return cook.read().find("MESSAGE\n") != std::string::npos; }));
  // The client hangs up when the server does, as python3-stomp does: from a
  // thread, since the simulation waits for that in its destructor.
  std::string got;
  std::thread client([&] {
    got = cook.read_until_eof(std::chrono::seconds(5));
    cook.close();
  });
  const auto started = std::chrono::steady_clock::now();
  sim.reset();
  const auto took = std::chrono::steady_clock::now() - started;
  client.join();
  const size_t error = got.find("ERROR\n");
  REQUIRE(error != std::string::npos);
  CHECK(frame_header(got, "message", error) == "server shutting down");
  CHECK(got.find("heart-beat timeout") == std::string::npos);
  CHECK(lines == std::vector<std::string>{"stomp: shutting down: told 1 client(s)"});
  CHECK(took < std::chrono::milliseconds(1500));  // not the whole linger: the client hung up
}

}  // namespace wmq::sim::test
