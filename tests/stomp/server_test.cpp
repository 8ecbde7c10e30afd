// The server over real loopback sockets: the loop on a thread of its own (as
// `warungmq serve` runs it) or polled by a host loop, blocking clients here.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "broker/broker.h"
#include "stomp/commit_thread.h"
#include "stomp/frame.h"
#include "stomp/server.h"
#include "stomp/steady_clock.h"
#include "stomp_test_util.h"

using namespace wmq;
using namespace wmq::stomp;
using namespace wmq::stomp::test;
using namespace std::literals;

namespace {

// A blocking client. read_frame() waits at most `timeout`.
class TcpClient {
 public:
  explicit TcpClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE_MESSAGE(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0,
                    std::strerror(errno));
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~TcpClient() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      REQUIRE_MESSAGE(n > 0, std::strerror(errno));
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  void send(const Frame& f) { write(serialize(f)); }
  // The next frame, or a frame with an empty command on timeout, or "EOF".
  Frame read_frame(std::chrono::milliseconds timeout = 3000ms) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      ParseResult r = parser_.next();
      if (r.is_frame()) return r.take_frame();
      if (r.is_heart_beat()) {
        ++heart_beats;
        continue;
      }
      REQUIRE_MESSAGE(!r.is_error(), r.status().message());
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return Frame{};
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return Frame{};
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        Frame eof;
        eof.command = "EOF";
        return eof;
      }
      parser_.feed(buf, static_cast<size_t>(n));
    }
  }
  Frame connect(Headers extra = {}) {
    Headers h = {{"accept-version", "1.2"}, {"host", "/"}};
    for (auto& e : extra)
      h.push_back(e);
    send(make("CONNECT", h));
    return read_frame();
  }
  int fd() const { return fd_; }
  size_t heart_beats = 0;

 private:
  int fd_ = -1;
  FrameParser parser_{Limits{}, server_commands()};
};

// The server loop on its own thread, as `warungmq serve` runs it. The broker
// belongs to that thread until stop() joins it.
struct Running {
  SteadyClock clock;
  std::unique_ptr<Broker> broker;
  std::unique_ptr<StompServer> server;
  std::atomic<bool> stop_flag{false};
  std::thread thread;

  explicit Running(ServerOptions o = {}, std::unique_ptr<Store> store = nullptr) {
    broker = std::make_unique<Broker>(clock);
    if (store) REQUIRE(broker->attach_store(std::move(store)).is_ok());
    o.port = 0;
    server = std::make_unique<StompServer>(*broker, o);
    REQUIRE(server->listen().is_ok());
    thread = std::thread([this] { server->run(stop_flag); });
  }
  void stop() {
    if (!thread.joinable()) return;
    stop_flag.store(true);
    thread.join();
  }
  ~Running() { stop(); }
  uint16_t port() const { return server->port(); }
};

// The server's log lines, from whichever thread runs it.
struct LogLines {
  std::mutex mu;
  std::vector<std::string> lines;
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu);
      lines.emplace_back(line);
    };
  }
  std::vector<std::string> get() {
    std::lock_guard<std::mutex> lock(mu);
    return lines;
  }
};

uint64_t ready_in(const Broker& broker, const std::string& queue) {
  for (const QueueSnapshot& q : broker.snapshot().queues) {
    if (q.name == queue) return q.ready;
  }
  return 0;
}

bool refuses_connections(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool refused =
      ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno == ECONNREFUSED;
  ::close(fd);
  return refused;
}

Frame send_frame(std::string dest, std::string body, Headers extra = {}) {
  Headers h = {{"destination", std::move(dest)}};
  for (auto& e : extra)
    h.push_back(e);
  return make("SEND", std::move(h), std::move(body));
}

}  // namespace

TEST_CASE("over loopback a SEND reaches a subscriber and its receipt comes back") {
  Running r;
  TcpClient cook(r.port()), cashier(r.port());
  CHECK(cook.connect().command == "CONNECTED");
  CHECK(cashier.connect().command == "CONNECTED");
  cook.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/wok"}, {"receipt", "s"}}));
  CHECK(header(cook.read_frame(), "receipt-id") == "s");
  cashier.send(send_frame("/queue/wok", "mie goreng", {{"receipt", "r1"}}));
  CHECK(header(cashier.read_frame(), "receipt-id") == "r1");
  Frame m = cook.read_frame();
  CHECK(m.command == "MESSAGE");
  CHECK(m.body == "mie goreng");
}

TEST_CASE("a busy publisher's persistent SENDs are committed in batches, receipted after") {
  TempDir dir;
  auto store = Store::open(dir.file());
  REQUIRE(store.is_ok());
  Running r({}, std::move(store).value());
  TcpClient cashier(r.port());
  cashier.connect();
  std::string burst;
  for (int i = 1; i <= 500; ++i) {
    burst += serialize(send_frame("/queue/orders", "order " + std::to_string(i),
                                  {{"persistent", "true"}, {"receipt", std::to_string(i)}}));
  }
  cashier.write(burst);
  std::vector<std::string> ids;
  for (int i = 0; i < 500; ++i)
    ids.push_back(header(cashier.read_frame(), "receipt-id"));
  CHECK(ids.front() == "1");
  CHECK(ids.back() == "500");
  r.stop();
  BrokerSnapshot snap = r.broker->snapshot();
  CHECK(snap.store.commits >= 1);
  CHECK(snap.store.commits < 100);  // one per batch, not one per message
  REQUIRE(snap.queues.size() == 1);
  CHECK(snap.queues[0].ready == 500);
}

TEST_CASE("with the commit thread, a burst of persistent SENDs is receipted in order, on disk") {
  TempDir dir;
  auto store = Store::open(dir.file());
  REQUIRE(store.is_ok());
  ServerOptions o;
  auto threaded = std::make_unique<CommitThread>(std::move(store).value());
  o.commit_thread = threaded.get();
  {
    Running r(o, std::move(threaded));
    TcpClient cook(r.port());
    cook.connect();
    cook.send(make("SUBSCRIBE", {{"id", "1"},
                                 {"destination", "/queue/orders"},
                                 {"ack", "client-individual"},
                                 {"prefetch-count", "0"}}));
    TcpClient cashier(r.port());
    cashier.connect();
    std::string burst;
    for (int i = 1; i <= 500; ++i) {
      burst += serialize(send_frame("/queue/orders", "order " + std::to_string(i),
                                    {{"persistent", "true"}, {"receipt", std::to_string(i)}}));
    }
    cashier.write(burst);
    std::vector<std::string> ids;
    for (int i = 0; i < 500; ++i) {
      Frame f = cashier.read_frame();
      if (f.command != "RECEIPT") break;
      ids.push_back(header(f, "receipt-id"));
    }
    REQUIRE(ids.size() == 500);
    CHECK(ids.front() == "1");
    CHECK(ids.back() == "500");
    CHECK(std::is_sorted(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) {
      return std::stoi(a) < std::stoi(b);
    }));
    // The first 100 are acked with a receipt each: each RECEIPT comes once
    // the delete is on disk.
    int acked = 0;
    for (int i = 0; i < 500; ++i) {
      Frame m = cook.read_frame();
      REQUIRE(m.command == "MESSAGE");
      if (i < 100) {
        cook.send(make("ACK", {{"id", header(m, "ack")}, {"receipt", "a" + std::to_string(i)}}));
        ++acked;
      }
    }
    for (int i = 0; i < acked; ++i)
      CHECK(header(cook.read_frame(), "receipt-id") == "a" + std::to_string(i));
    r.stop();
    BrokerSnapshot snap = r.broker->snapshot();
    CHECK(snap.store.commits >= 2);
    CHECK(snap.store.commits < 300);  // batches, not one per message
  }
  // Destroyed as in a crash: everything receipted is in the file.
  auto again = Store::open(dir.file());
  REQUIRE(again.is_ok());
  Result<Recovered> rec = again.value()->recover();
  REQUIRE(rec.is_ok());
  CHECK(rec->messages.size() == 400);
}

TEST_CASE("one connection too many gets ERROR and is closed; the others carry on") {
  ServerOptions o;
  o.max_connections = 2;
  Running r(o);
  TcpClient a(r.port()), b(r.port());
  CHECK(a.connect().command == "CONNECTED");
  CHECK(b.connect().command == "CONNECTED");
  TcpClient c(r.port());
  Frame e = c.read_frame();
  CHECK(e.command == "ERROR");
  CHECK(header(e, "message") == "too many connections");
  CHECK(e.body ==
        "The server has 2 connections, the most it takes (--max-connections). Try again later.\n");
  CHECK(c.read_frame().command == "EOF");
  a.send(send_frame("/queue/q", "x", {{"receipt", "still"}}));
  CHECK(header(a.read_frame(), "receipt-id") == "still");
}

TEST_CASE("a malformed frame over TCP: ERROR, then the server closes; others are unharmed") {
  Running r;
  TcpClient bad(r.port()), good(r.port());
  bad.connect();
  good.connect();
  bad.write("SEND\ndestination:/queue/q\nbroken header\n\n\0"s);
  Frame e = bad.read_frame();
  CHECK(header(e, "message") == "malformed frame");
  CHECK(e.body ==
        "The server could not read a frame: SEND frame: bad header line \"broken header\" (no "
        "':')\n");
  CHECK(bad.read_frame().command == "EOF");
  good.send(send_frame("/queue/q", "x", {{"receipt", "ok"}}));
  CHECK(header(good.read_frame(), "receipt-id") == "ok");
}

TEST_CASE("a client that drops its connection has its unacked messages redelivered") {
  Running r;
  TcpClient cashier(r.port()), second(r.port());
  cashier.connect();
  second.connect();
  {
    TcpClient first(r.port());
    first.connect();
    first.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/q"}, {"ack", "client"}}));
    cashier.send(send_frame("/queue/q", "soto", {{"receipt", "r"}}));
    cashier.read_frame();
    CHECK(first.read_frame().body == "soto");
  }  // closed without DISCONNECT, the message unacked
  second.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/q"}, {"ack", "client"}}));
  Frame m = second.read_frame();
  CHECK(m.body == "soto");
  CHECK(header(m, "redelivered") == "true");
}

TEST_CASE("the server heart-beats a client that asked for it") {
  SessionConfig sc;
  sc.min_heart_beat = 50 * kMillis;
  ServerOptions o;
  o.session = sc;
  Running r(o);
  TcpClient c(r.port());
  CHECK(header(c.connect({{"heart-beat", "0,50"}}), "heart-beat") == "50,0");
  CHECK(c.read_frame(400ms).command.empty());  // no frame, only beats
  CHECK(c.heart_beats >= 3);
}

TEST_CASE("a host loop can poll the server without blocking") {
  ManualClock clock;
  Broker broker(clock);
  ServerOptions o;
  o.port = 0;
  StompServer server(broker, o);
  REQUIRE(server.listen().is_ok());
  CHECK(server.port() != 0);
  TcpClient c(server.port());
  c.send(make("CONNECT", {{"accept-version", "1.2"}}));
  bool read_any = false;
  for (int i = 0; i < 200 && !read_any; ++i) {
    read_any = server.poll(0);
    if (!read_any) std::this_thread::sleep_for(1ms);
  }
  CHECK(read_any);
  CHECK(server.connection_count() == 1);
  CHECK(c.read_frame().command == "CONNECTED");
  CHECK(server.next_deadline() == kNever);  // no heart-beats asked for
}

TEST_CASE("listen() on a port in use names the address and the reason") {
  ManualClock clock;
  Broker broker(clock);
  ServerOptions o;
  o.port = 0;
  StompServer first(broker, o);
  REQUIRE(first.listen().is_ok());
  o.port = first.port();
  StompServer second(broker, o);
  Status st = second.listen();
  CHECK(st.code() == Code::kIoError);
  CHECK(st.message() ==
        "cannot listen on 127.0.0.1:" + std::to_string(o.port) + ": Address already in use");
}

TEST_CASE("shutdown tells every client the server is shutting down, then closes once it hangs up") {
  LogLines log;
  ServerOptions o;
  o.linger = 10 * kSeconds;  // far longer than the test may take: the peers' EOF ends the wait
  o.log = log.sink();
  Running r(o);
  TcpClient cook(r.port()), cashier(r.port());
  cook.connect({{"login", "koki"}});
  cook.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/q"}, {"ack", "client"}}));
  cashier.connect();
  cashier.send(send_frame("/queue/q", "soto", {{"receipt", "r"}}));
  CHECK(header(cashier.read_frame(), "receipt-id") == "r");
  CHECK(cook.read_frame().body == "soto");
  r.stop();
  const auto started = std::chrono::steady_clock::now();
  std::thread closing([&r] { r.server->shutdown(); });
  for (TcpClient* c : {&cook, &cashier}) {
    Frame e = c->read_frame();
    CHECK(e.command == "ERROR");
    CHECK(header(e, "message") == "server shutting down");
    CHECK(c->read_frame().command == "EOF");
    c->close();
  }
  closing.join();
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(r.server->connection_count() == 0);
  CHECK(log.get() == std::vector<std::string>{"stomp: shutting down: told 2 client(s)"});
  CHECK(ready_in(*r.broker, "q") == 1);  // the unacked order is back on the board
  CHECK(refuses_connections(r.port()));
  r.server->shutdown();  // twice: nothing more
}

TEST_CASE("shutdown closes a peer that never hangs up once the linger has passed") {
  ServerOptions o;
  o.linger = 200 * kMillis;
  Running r(o);
  TcpClient c(r.port());
  c.connect();
  r.stop();
  const auto started = std::chrono::steady_clock::now();
  r.server->shutdown();
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(took >= 150ms);
  CHECK(took < 2s);
  CHECK(header(c.read_frame(), "message") == "server shutting down");
  CHECK(c.read_frame().command == "EOF");
}

TEST_CASE("a destroyed server drops its clients as a crash would: no ERROR, no log line") {
  LogLines log;
  ServerOptions o;
  o.log = log.sink();
  Running r(o);
  TcpClient c(r.port());
  c.connect({{"login", "koki"}});
  r.stop();
  r.server.reset();
  CHECK(c.read_frame().command == "EOF");
  CHECK(log.get().empty());
}

TEST_CASE("over loopback an ack:auto MESSAGE written before UNSUBSCRIBE never comes back") {
  Running r;
  TcpClient second(r.port());
  second.connect();
  {
    TcpClient first(r.port());
    first.connect();
    // One write, as python3-stomp's command-line client sends it.
    first.write(serialize(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/p3"}})) +
                serialize(send_frame("/queue/p3", "sate")) +
                serialize(make("UNSUBSCRIBE", {{"id", "1"}, {"receipt", "u"}})));
    Frame m = first.read_frame();
    CHECK(m.body == "sate");
    CHECK(header(m, "delivery-count") == "1");
    CHECK(header(first.read_frame(), "receipt-id") == "u");
  }
  second.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/p3"}, {"receipt", "s"}}));
  CHECK(header(second.read_frame(), "receipt-id") == "s");
  CHECK(second.read_frame(300ms).command.empty());  // nothing more: it was settled
}

TEST_CASE("over loopback a STOMP 1.2 ACK with only message-id gets ERROR and is closed") {
  Running r;
  TcpClient cook(r.port()), cashier(r.port());
  cook.connect();
  cashier.connect();
  cook.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/q"}, {"ack", "client"}}));
  cashier.send(send_frame("/queue/q", "x"));
  Frame m = cook.read_frame();
  cook.send(make("ACK", {{"message-id", header(m, "message-id")}}));
  Frame e = cook.read_frame();
  CHECK(e.command == "ERROR");
  CHECK(header(e, "message") == "missing header");
  CHECK(cook.read_frame().command == "EOF");
}

TEST_CASE("over max_memory publishers are not read; others are served; all arrive once after") {
  constexpr size_t kLimit = 256 * 1024;
  constexpr int kPublishers = 4;
  constexpr int kEach = 400;  // 4 x 400 x 1 KiB: over six times the limit
  ServerOptions o;
  o.max_memory = kLimit;
  LogLines log;
  o.log = log.sink();
  o.stats_interval = 20 * kMillis;
  Running r(o);
  // The first --stats line from line `from` on that says `what`: its index,
  // or -1 if none came within 5 s.
  auto stats_say = [&log](const std::string& what, long from = 0) -> long {
    const auto until = std::chrono::steady_clock::now() + 5s;
    for (;;) {
      const std::vector<std::string> lines = log.get();
      for (size_t i = static_cast<size_t>(from); i < lines.size(); ++i) {
        if (lines[i].rfind("stomp: stats: ", 0) == 0 && lines[i].find(what) != std::string::npos)
          return static_cast<long>(i);
      }
      if (std::chrono::steady_clock::now() > until) return -1;
      std::this_thread::sleep_for(5ms);
    }
  };

  const size_t base = Payload::live_bytes();
  std::vector<std::thread> publishers;
  std::atomic<int> receipts{0};
  for (int p = 0; p < kPublishers; ++p) {
    publishers.emplace_back([&, p] {
      TcpClient pub(r.port());
      pub.connect();
      std::string bytes;
      for (int i = 0; i < kEach; ++i) {
        bytes += serialize(send_frame(
            "/queue/flood", std::to_string(p) + "-" + std::to_string(i) + std::string(1000, 'x'),
            {{"receipt", std::to_string(i)}}));
      }
      pub.write(bytes);  // blocks while the server does not read: back-pressure
      for (int i = 0; i < kEach; ++i) {
        Frame f = pub.read_frame(10000ms);
        if (f.command != "RECEIPT") break;
        ++receipts;
      }
    });
  }
  // The flood goes over the limit and stops there (a read budget above it).
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (Payload::live_bytes() - base < kLimit && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(200ms);
  const size_t held = Payload::live_bytes() - base;
  CHECK(held > kLimit);
  CHECK(held < kLimit + kPublishers * 300 * 1024);
  CHECK(receipts.load() < kPublishers * kEach);
  const long on_at =
      stats_say("of " + std::to_string(kLimit) + "; memory alarm on, disk alarm off");
  CHECK(on_at >= 0);
  // A bystander that does not publish is served at once.
  TcpClient bystander(r.port());
  CHECK(bystander.connect().command == "CONNECTED");
  bystander.send(
      make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/other"}, {"receipt", "s"}}));
  CHECK(header(bystander.read_frame(), "receipt-id") == "s");
  // A consumer drains the queue: the publishers are read again and every
  // message arrives once.
  TcpClient cook(r.port());
  cook.connect();
  cook.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/flood"}}));
  std::vector<std::string> seen;
  for (int i = 0; i < kPublishers * kEach; ++i) {
    Frame m = cook.read_frame(10000ms);
    if (m.command != "MESSAGE") break;
    seen.push_back(m.body.substr(0, m.body.find('x')));
  }
  for (auto& t : publishers)
    t.join();
  CHECK(receipts.load() == kPublishers * kEach);
  CHECK(stats_say("memory alarm off", on_at + 1) > on_at);
  std::sort(seen.begin(), seen.end());
  CHECK(seen.size() == static_cast<size_t>(kPublishers * kEach));
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
}

TEST_CASE("under min_disk_free publishers wait; consumers and acks go on; it lifts by itself") {
  std::atomic<uint64_t> free_bytes{1'000'000};
  LogLines log;
  ServerOptions o;
  o.min_disk_free = 50'000;
  o.disk_free = [&] { return free_bytes.load(); };
  o.disk_check_interval = 10 * kMillis;
  o.log = log.sink();
  Running r(o);
  TcpClient cashier(r.port()), cook(r.port());
  cashier.connect();
  cook.connect();
  cashier.send(send_frame("/queue/q", "before", {{"receipt", "1"}}));
  CHECK(header(cashier.read_frame(), "receipt-id") == "1");
  // The disk fills: the cashier's next SEND is not read.
  free_bytes = 10'000;
  std::this_thread::sleep_for(100ms);
  cashier.send(send_frame("/queue/q", "during", {{"receipt", "2"}}));
  CHECK(cashier.read_frame(300ms).command.empty());  // no receipt: not read
  // The cook, who never published, is served: it gets and acks the first one.
  cook.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/q"}, {"ack", "client"}}));
  Frame m = cook.read_frame();
  CHECK(m.body == "before");
  cook.send(make("ACK", {{"id", header(m, "ack")}, {"receipt", "a"}}));
  CHECK(header(cook.read_frame(), "receipt-id") == "a");
  // Space comes back: the waiting SEND goes through, nothing lost.
  free_bytes = 60'000;
  CHECK(header(cashier.read_frame(), "receipt-id") == "2");
  CHECK(cook.read_frame().body == "during");
  const std::vector<std::string> lines = log.get();
  CHECK(std::count(lines.begin(), lines.end(),
                   "stomp: disk alarm: 10000 bytes free on the data file's disk, under 50000 "
                   "(--min-disk-free): connections that publish are not read until there is "
                   "more") == 1);
  CHECK(std::count(lines.begin(), lines.end(),
                   "stomp: disk alarm over: 60000 bytes free; publishers are read again") == 1);
}

namespace {

// A broker on a file that is full after a few messages, its commits on a writer thread, with a
// durable queue "q" and a session that publishes persistent text to it.
struct FullDiskBroker {
  TempDir dir;
  SteadyClock clock;
  Broker broker{clock};
  CommitThread* ct = nullptr;
  SessionId session = 0;

  FullDiskBroker() {
    {
      auto probe = Store::open(dir.file());  // the schema, before the page limit
      REQUIRE(probe.is_ok());
    }
    StoreOptions so;
    so.TEST_max_page_count = 12;
    auto store = Store::open(dir.file(), so);
    REQUIRE(store.is_ok());
    auto threaded = std::make_unique<CommitThread>(std::move(store).value());
    ct = threaded.get();
    REQUIRE(broker.attach_store(std::move(threaded)).is_ok());
    broker.register_content_type("text/plain");
    QueueOptions durable;
    durable.durable = true;
    REQUIRE(broker.declare_queue("q", durable).is_ok());
    REQUIRE(broker.flush().is_ok());
    broker.drain();
  }
  ServerOptions server_options() const {
    ServerOptions o;
    o.port = 0;
    o.commit_thread = ct;
    return o;
  }
  void publish(size_t body_bytes) {
    if (session == 0) {
      session = broker.open_session(SessionOptions{}, nullptr);
      REQUIRE(broker.connected(session).is_ok());
    }
    Message m;
    m.body = std::string(body_bytes, 'x');
    m.content_type = "text/plain";
    m.routing_key = "q";
    m.persistent = true;
    REQUIRE(broker.publish(session, "", m).is_ok());
  }
};

}  // namespace

TEST_CASE("a commit that fails after the server is gone is not logged through it") {
  FullDiskBroker f;
  LogLines log;
  {
    ServerOptions o = f.server_options();
    o.log = log.sink();
    StompServer server(f.broker, o);
    REQUIRE(server.listen().is_ok());
    f.ct->TEST_hold(true);
    for (int i = 0; i < 60; ++i)
      f.publish(2000);
    REQUIRE(f.broker.flush().is_ok());  // handed over, held
  }
  // The server is gone; the failure is answered now (ASan: no use after free).
  f.ct->TEST_hold(false);
  f.broker.drain();
  CHECK(f.broker.snapshot().store.failed_commits == 1);
  for (const std::string& line : log.get())
    CHECK(line.find("commit failed") == std::string::npos);
}

TEST_CASE("a full disk shows in the stats line until a commit goes through again") {
  FullDiskBroker f;
  Broker& broker = f.broker;
  StompServer server(broker, f.server_options());
  REQUIRE(server.listen().is_ok());
  CHECK(server.stats_line().find("disk full") == std::string::npos);

  for (int i = 0; i < 60; ++i)
    f.publish(2000);
  REQUIRE(broker.flush().is_ok());
  broker.drain();
  REQUIRE(broker.snapshot().store.failed_commits == 1);
  const std::string full = server.stats_line();
  INFO(full);
  CHECK(full.find("1 failed") != std::string::npos);
  CHECK(full.find("; disk full: the last commit failed (database or disk is full)") !=
        std::string::npos);
  CHECK(broker.snapshot().store.disk_full);

  // A small message fits again: the alarm goes, the count of failures stays.
  f.publish(10);
  REQUIRE(broker.flush().is_ok());
  broker.drain();
  const std::string after = server.stats_line();
  INFO(after);
  CHECK(after.find("disk full") == std::string::npos);
  CHECK(after.find("1 failed") != std::string::npos);
  CHECK_FALSE(broker.snapshot().store.disk_full);
  CHECK(broker.snapshot().store.last_failure == "database or disk is full");
}
