// STOMP figures: our own load generator against a STOMP server over loopback.
//
// One publisher and one consumer connection. The publisher sends persistent
// messages of 200 bytes to a durable /queue/, each SEND with a receipt, at
// most 256 receipts outstanding; the consumer subscribes ack:client-individual
// with prefetch-count 256 and ACKs every MESSAGE.
//
//   stomp_persistent_e2e_msgs_per_s      messages consumed per second, flat out
//                                        (median of 3 runs of 100,000)
// Then the latency phase, on the same server and the file the bulk runs
// grew (issue 14's setup): the publisher paced at 1,000 messages/s, the
// same consumer; 3 runs of 5,000 messages, each figure the median of the
// runs' figures:
//   stomp_p99_ms_at_1000_per_s           SEND written -> MESSAGE read, p99
//   stomp_p50_ms_at_1000_per_s           ... its median
//   stomp_max_ms_at_1000_per_s           ... its largest
//   stomp_receipt_p99_ms_at_1000_per_s   SEND written -> its RECEIPT read (the
//                                        commit included), p99
//   stomp_receipt_max_ms_at_1000_per_s   ... its largest
//
// By default the section runs `warungmq serve`'s code in this process, on a
// thread of its own with a data file in a temp dir, committing on a writer
// thread (stomp/commit_thread.h) as serve does; WMQ_STOMP_SYNC_COMMIT=1
// commits on the loop instead, as before issue 14, to compare. With WMQ_STOMP_TARGET=
// HOST:PORT it measures that server instead (tools/bench-vs-rabbitmq points
// it at RabbitMQ and at a separate `warungmq serve`); WMQ_STOMP_LOGIN=
// LOGIN:PASSCODE logs in, and WMQ_STOMP_COUNT sets the messages per run.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench.h"
#include "broker/broker.h"
#include "stomp/commit_thread.h"
#include "stomp/frame.h"
#include "stomp/server.h"
#include "stomp/steady_clock.h"

namespace {

using namespace wmq;
using namespace wmq::stomp;
using Clock = std::chrono::steady_clock;

constexpr size_t kBody = 200;
constexpr size_t kWindow = 256;

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "stomp bench: %s\n", why.c_str());
  std::exit(1);
}

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

struct Target {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string login, passcode;
};

// A blocking STOMP client connection with a frame parser for what comes back.
class Client {
 public:
  explicit Client(const Target& t) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(t.host.c_str(), std::to_string(t.port).c_str(), &hints, &found) != 0) {
      die("cannot resolve " + t.host);
    }
    fd_ = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || ::connect(fd_, found->ai_addr, found->ai_addrlen) != 0) {
      die("cannot connect to " + t.host + ":" + std::to_string(t.port) + ": " +
          std::strerror(errno));
    }
    freeaddrinfo(found);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Frame c;
    c.command = "CONNECT";
    c.headers = {{"accept-version", "1.2"}, {"host", "/"}};
    if (!t.login.empty()) {
      c.headers.emplace_back("login", t.login);
      c.headers.emplace_back("passcode", t.passcode);
    }
    serialize_to(c, &out_);
    flush();
    Frame got = next_frame();
    if (got.command != "CONNECTED") die("CONNECT answered with " + got.command + ": " + got.body);
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  std::string& out() { return out_; }
  void flush() {
    size_t at = 0;
    while (at < out_.size()) {
      ssize_t n = ::send(fd_, out_.data() + at, out_.size() - at, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) die(std::string("send: ") + std::strerror(errno));
      at += static_cast<size_t>(n);
    }
    out_.clear();
  }
  // Waits up to `timeout_us` (-1: forever) for bytes, then returns every
  // complete frame they made (possibly none). The wait is exact to the
  // microsecond (ppoll), so a paced sender sleeps instead of spinning on a
  // core the server needs.
  std::vector<Frame> read(int64_t timeout_us) {
    std::vector<Frame> frames;
    drain(&frames);
    if (!frames.empty()) return frames;
    pollfd p{fd_, POLLIN, 0};
    timespec ts{static_cast<time_t>(timeout_us / 1000000),
                static_cast<long>(timeout_us % 1000000) * 1000};
    int r = ::ppoll(&p, 1, timeout_us < 0 ? nullptr : &ts, nullptr);
    if (r <= 0) return frames;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n == 0) die("the server closed the connection");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) return frames;
      die(std::string("recv: ") + std::strerror(errno));
    }
    parser_.feed(buf, static_cast<size_t>(n));
    drain(&frames);
    return frames;
  }
  Frame next_frame() {
    for (;;) {
      std::vector<Frame> f = read(-1);
      if (!f.empty()) {
        for (size_t i = 1; i < f.size(); ++i)
          backlog_.push_back(std::move(f[i]));
        return std::move(f[0]);
      }
    }
  }

 private:
  void drain(std::vector<Frame>* frames) {
    for (Frame& f : backlog_)
      frames->push_back(std::move(f));
    backlog_.clear();
    for (;;) {
      ParseResult r = parser_.next();
      if (r.need_more_bytes()) return;
      if (r.is_error()) die("bad frame from the server: " + r.status().message());
      if (r.is_heart_beat()) continue;
      Frame f = r.take_frame();
      if (f.command == "ERROR") die("ERROR from the server: " + f.body);
      frames->push_back(std::move(f));
    }
  }

  int fd_ = -1;
  std::string out_;
  FrameParser parser_{Limits{}, server_commands()};
  std::vector<Frame> backlog_;
};

void append_send(std::string* out, const std::string& dest, uint64_t seq) {
  char head[64];
  const int n =
      std::snprintf(head, sizeof head, "seq=%llu ts=%lld ", static_cast<unsigned long long>(seq),
                    static_cast<long long>(now_ns()));
  std::string body(head, static_cast<size_t>(n));
  body.resize(kBody, 'x');
  *out += "SEND\ndestination:";
  *out += dest;
  *out += "\npersistent:true\nreceipt:";
  *out += std::to_string(seq);
  *out += "\ncontent-length:";
  *out += std::to_string(body.size());
  *out += "\n\n";
  *out += body;
  out->push_back('\0');
}

int64_t body_ts(const std::string& body) {
  const size_t at = body.find("ts=");
  return at == std::string::npos ? 0 : std::strtoll(body.c_str() + at + 3, nullptr, 10);
}

// The consumer: subscribes, then ACKs every MESSAGE until `count` came.
// Records SEND -> MESSAGE latencies (ms) when `latencies` is not null.
void consume(const Target& t, const std::string& dest, size_t count, std::atomic<bool>* subscribed,
             std::vector<double>* latencies) {
  Client c(t);
  c.out() += "SUBSCRIBE\nid:1\ndestination:" + dest +
             "\nack:client-individual\nprefetch-count:256\nreceipt:sub\n\n";
  c.out().push_back('\0');
  c.flush();
  Frame r = c.next_frame();
  if (r.command != "RECEIPT") die("SUBSCRIBE answered with " + r.command);
  subscribed->store(true);
  size_t got = 0;
  while (got < count) {
    std::vector<Frame> frames = c.read(-1);
    const int64_t now = now_ns();
    for (Frame& f : frames) {
      if (f.command != "MESSAGE") continue;
      ++got;
      if (latencies != nullptr)
        latencies->push_back(static_cast<double>(now - body_ts(f.body)) / 1e6);
      c.out() += "ACK\nid:";
      c.out() += f.header("ack").value_or("");
      c.out() += "\n\n";
      c.out().push_back('\0');
    }
    c.flush();
  }
  c.out() += "UNSUBSCRIBE\nid:1\nreceipt:unsub\n\n";
  c.out().push_back('\0');
  c.flush();
  while (c.next_frame().command != "RECEIPT") {
  }
}

// Flat out: returns messages consumed per second.
double throughput(const Target& t, const std::string& dest, size_t count) {
  std::atomic<bool> subscribed{false};
  std::thread consumer(consume, t, dest, count, &subscribed, nullptr);
  while (!subscribed.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Client p(t);
  const auto start = Clock::now();
  size_t sent = 0, receipted = 0;
  while (receipted < count) {
    while (sent < count && sent - receipted < kWindow)
      append_send(&p.out(), dest, ++sent);
    p.flush();
    for (Frame& f : p.read(-1)) {
      if (f.command == "RECEIPT") ++receipted;
    }
  }
  consumer.join();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(count) / secs;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  return v[i];
}

struct Paced {
  double p50 = 0, p99 = 0, max = 0, receipt_p99 = 0, receipt_max = 0;
};

// 1,000 messages a second for `count` messages: latencies.
Paced paced(const Target& t, const std::string& dest, size_t count) {
  std::atomic<bool> subscribed{false};
  std::vector<double> e2e;
  e2e.reserve(count);
  std::thread consumer(consume, t, dest, count, &subscribed, &e2e);
  while (!subscribed.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Client p(t);
  std::vector<int64_t> sent_at(count + 1, 0);
  std::vector<double> receipt;
  receipt.reserve(count);
  const auto start = Clock::now();
  size_t sent = 0, receipted = 0;
  while (receipted < count) {
    const auto due = start + std::chrono::microseconds(1000 * sent);
    if (sent < count && Clock::now() >= due) {
      sent_at[sent + 1] = now_ns();
      append_send(&p.out(), dest, sent + 1);
      ++sent;
      p.flush();
      continue;
    }
    const int64_t wait_us =
        sent < count
            ? std::chrono::duration_cast<std::chrono::microseconds>(due - Clock::now()).count()
            : 100'000;
    for (Frame& f : p.read(std::max<int64_t>(0, wait_us))) {
      if (f.command != "RECEIPT") continue;
      ++receipted;
      const uint64_t id =
          std::strtoull(std::string(f.header("receipt-id").value_or("0")).c_str(), nullptr, 10);
      if (id >= 1 && id <= count) {
        receipt.push_back(static_cast<double>(now_ns() - sent_at[id]) / 1e6);
      }
    }
  }
  consumer.join();
  Paced out;
  out.p50 = percentile(e2e, 0.50);
  out.p99 = percentile(e2e, 0.99);
  out.max = percentile(e2e, 1.0);
  out.receipt_p99 = percentile(receipt, 0.99);
  out.receipt_max = percentile(receipt, 1.0);
  return out;
}

// `warungmq serve`'s loop on a thread of its own, on a fresh data file.
class InProcessServer {
 public:
  InProcessServer() {
    dir_ =
        std::filesystem::temp_directory_path() / ("wmq-stomp-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::atomic<uint16_t> port{0};
    thread_ = std::thread([this, &port] {
      SteadyClock clock;
      Broker broker(clock);
      auto store = Store::open((dir_ / "bench.db").string());
      if (!store.is_ok()) die(store.status().message());
      CommitThread* commit_thread = nullptr;
      Status st;
      if (std::getenv("WMQ_STOMP_SYNC_COMMIT") != nullptr) {
        st = broker.attach_store(std::move(store).value());
      } else {
        auto threaded = std::make_unique<CommitThread>(std::move(store).value());
        commit_thread = threaded.get();
        st = broker.attach_store(std::move(threaded));
      }
      if (!st.is_ok()) die(st.message());
      ServerOptions o;
      o.port = 0;
      o.commit_thread = commit_thread;
      StompServer server(broker, o);
      st = server.listen();
      if (!st.is_ok()) die(st.message());
      port.store(server.port());
      server.run(stop_);
      broker.drain();
      (void)broker.flush();
      broker.drain();
    });
    while (port.load() == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    port_ = port.load();
  }
  ~InProcessServer() {
    stop_.store(true);
    thread_.join();
    std::filesystem::remove_all(dir_);
  }
  uint16_t port() const { return port_; }

 private:
  std::filesystem::path dir_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  uint16_t port_ = 0;
};

const bool registered = wmq::bench::add_section("stomp", [](nlohmann::json& out) {
  Target t;
  std::unique_ptr<InProcessServer> local;
  std::string where;
  if (const char* target = std::getenv("WMQ_STOMP_TARGET")) {
    const std::string s = target;
    const size_t colon = s.rfind(':');
    if (colon == std::string::npos) die("WMQ_STOMP_TARGET must be HOST:PORT");
    t.host = s.substr(0, colon);
    t.port = static_cast<uint16_t>(std::atoi(s.c_str() + colon + 1));
    where = s;
  } else {
    local = std::make_unique<InProcessServer>();
    t.port = local->port();
    where = "warungmq (in process) on port " + std::to_string(t.port);
  }
  if (const char* login = std::getenv("WMQ_STOMP_LOGIN")) {
    const std::string s = login;
    const size_t colon = s.find(':');
    t.login = s.substr(0, colon);
    if (colon != std::string::npos) t.passcode = s.substr(colon + 1);
  }
  size_t count = 100'000;
  if (const char* n = std::getenv("WMQ_STOMP_COUNT")) count = std::strtoull(n, nullptr, 10);
  const std::string dest = "/queue/wmq-bench";

  (void)throughput(t, dest, std::min<size_t>(count, 10'000));  // warm-up
  std::vector<double> rates;
  for (int i = 0; i < 3; ++i) {
    rates.push_back(throughput(t, dest, count));
    std::fprintf(stderr, "stomp: run %d: %.0f msgs/s\n", i + 1, rates.back());
  }
  std::vector<Paced> runs;
  for (int i = 0; i < 3; ++i) {
    runs.push_back(paced(t, dest, 5000));
    const Paced& r = runs.back();
    std::fprintf(stderr,
                 "stomp: at 1,000/s, run %d: SEND->MESSAGE p50 %.3f p99 %.3f max %.3f ms; "
                 "SEND->RECEIPT p99 %.3f max %.3f ms\n",
                 i + 1, r.p50, r.p99, r.max, r.receipt_p99, r.receipt_max);
  }
  auto med = [&runs](double Paced::*field) {
    std::vector<double> v;
    for (const Paced& r : runs)
      v.push_back(r.*field);
    return std::round(wmq::bench::median(v) * 1000) / 1000;
  };
  Paced lat{med(&Paced::p50), med(&Paced::p99), med(&Paced::max), med(&Paced::receipt_p99),
            med(&Paced::receipt_max)};
  const double rate = wmq::bench::median(rates);
  out["stomp_persistent_e2e_msgs_per_s"] = static_cast<int64_t>(rate);
  out["stomp_p50_ms_at_1000_per_s"] = lat.p50;
  out["stomp_p99_ms_at_1000_per_s"] = lat.p99;
  out["stomp_max_ms_at_1000_per_s"] = lat.max;
  out["stomp_receipt_p99_ms_at_1000_per_s"] = lat.receipt_p99;
  out["stomp_receipt_max_ms_at_1000_per_s"] = lat.receipt_max;
  std::printf(
      "stomp (%s): persistent e2e %.0f msgs/s (median of 3 x %zu); at 1,000/s (medians of 3 x "
      "5,000): SEND->MESSAGE p50 %.3f ms, p99 %.3f ms, max %.3f ms; SEND->RECEIPT p99 %.3f ms, "
      "max %.3f ms\n",
      where.c_str(), rate, count, lat.p50, lat.p99, lat.max, lat.receipt_p99, lat.receipt_max);
});

}  // namespace
