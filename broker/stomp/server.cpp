#include "stomp/server.h"
#include "stomp/tls.h"

#include "stomp/commit_thread.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>

namespace wmq::stomp {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
// Bytes read from one connection per poll(), so one busy client cannot
// starve the others (epoll is level-triggered: the rest waits its turn).
constexpr size_t kReadBudget = 256 * 1024;
// Write, drain and reap rounds per flush_output(); what is left waits for
// the next call, so one fast reader cannot hold the loop.
constexpr int kFlushRounds = 8;
constexpr int kMaxEvents = 64;
// epoll's mark for the commit thread's completion fd (the listening socket's
// is null, a connection's is the Connection).
char commit_mark;

std::string peer_name(const sockaddr_storage& addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  // Built by appending: g++ 12 warns (-Wrestrict, wrongly) on "[" + string.
  std::string out;
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
    out.append(host);
  } else if (addr.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    port = ntohs(a->sin6_port);
    out.push_back('[');
    out.append(host);
    out.push_back(']');
  } else {
    return "?";
  }
  out.push_back(':');
  out.append(std::to_string(port));
  return out;
}

}  // namespace

// One TCP connection. It is the session's Transport: send() queues bytes,
// close() asks for a close once they have left.
struct StompServer::Connection final : Transport {
  StompServer* server = nullptr;
  int fd = -1;
  std::string peer;
  std::unique_ptr<StompSession> session;  // null for a refused connection, or once ended
  std::string out;                        // bytes not yet written, from out_pos on
  size_t out_pos = 0;
  bool dirty = false;            // in server->dirty_
  bool closing = false;          // no more bytes will be queued: flush, then half-close
  bool half_closed = false;      // SHUT_WR done: waiting for the peer's EOF, discarding input
  bool dead = false;             // to be closed and freed by reap()
  bool epollout = false;         // EPOLLOUT is registered
  bool paused = false;           // EPOLLIN is not registered: the memory alarm holds it
  std::unique_ptr<TlsLink> tls;  // a connection to the TLS port
  bool plain_on_tls = false;     // a plain-text client on the TLS port: refused
  bool first_read = true;        // no byte read yet
  Micros linger_until = kNever;

  void send(std::string_view bytes) override {
    if (closing) return;
    out.append(bytes);
    server->mark_dirty(*this);
  }
  void close() override {
    closing = true;
    server->mark_dirty(*this);
  }
  bool has_output() const { return out_pos < out.size(); }
};

StompServer::StompServer(Broker& broker, ServerOptions options)
    : broker_(broker), options_(std::move(options)), read_buf_(kReadChunk) {}

StompServer::~StompServer() {
  // The commit thread lives on with the broker: its failures are no longer ours to log.
  if (options_.commit_thread != nullptr) options_.commit_thread->set_failure_log(nullptr);
  for (auto& c : connections_) {
    // The session first: its destructor ends its broker session, which may
    // write to other connections that are about to go too.
    c->session.reset();
  }
  for (auto& c : connections_) {
    if (c->fd >= 0) ::close(c->fd);
  }
  connections_.clear();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (tls_listen_fd_ >= 0) ::close(tls_listen_fd_);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

void StompServer::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

// Binds and listens on options_.bind:port; `bound` is the port it got.
Status StompServer::open_listener(uint16_t port, int& fd_out, uint16_t& bound) {
  const std::string where = options_.bind + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port_text = std::to_string(port);
  if (int rc = getaddrinfo(options_.bind.c_str(), port_text.c_str(), &hints, &found); rc != 0) {
    return Status::error(Code::kIoError,
                         "cannot listen on " + where + ": " + std::string(gai_strerror(rc)));
  }
  std::string why = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      why = std::strerror(errno);
      continue;
    }
    int one = 1;
    // Lets a restarted server bind while old connections sit in TIME_WAIT.
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
      why = std::strerror(errno);
      ::close(fd);
      continue;
    }
    fd_out = fd;
    break;
  }
  freeaddrinfo(found);
  if (fd_out < 0) return Status::error(Code::kIoError, "cannot listen on " + where + ": " + why);
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd_out, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    bound = addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  }
  return Status::ok();
}

Status StompServer::listen() {
  assert(listen_fd_ < 0 && "StompServer::listen: already listening");
  const std::string where = options_.bind + ":" + std::to_string(options_.port);
  if (Status st = open_listener(options_.port, listen_fd_, port_); !st.is_ok()) return st;
  if (options_.tls) {
    if (Status st = open_listener(options_.tls_port, tls_listen_fd_, tls_port_); !st.is_ok()) {
      return Status::error(st.code(), "TLS port: " + st.message());
    }
  }
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    return Status::error(Code::kIoError,
                         "cannot listen on " + where + ": epoll: " + std::strerror(errno));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the listening socket
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev) != 0) {
    return Status::error(Code::kIoError,
                         "cannot listen on " + where + ": epoll: " + std::strerror(errno));
  }
  if (options_.commit_thread != nullptr) {
    options_.commit_thread->set_failure_log(
        [this](const Status& st) { log("stomp: commit failed: " + st.message()); });
    epoll_event cev{};
    cev.events = EPOLLIN;
    cev.data.ptr = &commit_mark;
    if (options_.commit_thread->completion_fd() < 0 ||
        epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, options_.commit_thread->completion_fd(), &cev) != 0) {
      return Status::error(
          Code::kIoError,
          "cannot listen on " + where + ": the commit thread's event: " + std::strerror(errno));
    }
  }
  if (tls_listen_fd_ >= 0) {
    ev.data.ptr = &tls_listen_fd_;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, tls_listen_fd_, &ev) != 0) {
      return Status::error(Code::kIoError,
                           "cannot listen on " + where + ": epoll: " + std::strerror(errno));
    }
  }
  return Status::ok();
}

size_t StompServer::connection_count() const {
  size_t n = 0;
  for (const auto& c : connections_) {
    if (c->session != nullptr) ++n;
  }
  return n;
}

size_t StompServer::paused_count() const {
  size_t n = 0;
  for (const auto& c : connections_) {
    if (c->session != nullptr && c->paused) ++n;
  }
  return n;
}

void StompServer::mark_dirty(Connection& c) {
  if (c.dirty) return;
  c.dirty = true;
  dirty_.push_back(&c);
}

void StompServer::accept_all(int listen_fd, bool tls) {
  for (;;) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd =
        accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        // Out of descriptors, most likely: the pending connection waits in
        // the backlog until one is freed.
        log("stomp: accept failed: " + std::string(std::strerror(errno)));
      }
      return;
    }
    int one = 1;
    // Frames are written whole; waiting to fill a segment only adds latency.
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Connection>();
    c->server = this;
    c->fd = fd;
    c->peer = peer_name(addr);
    if (tls) c->tls = std::make_unique<TlsLink>(*options_.tls, fd);
    if (connection_count() >= options_.max_connections) {
      Frame e;
      e.command = "ERROR";
      e.headers = {{"message", "too many connections"}, {"content-type", "text/plain"}};
      e.body = "The server has " + std::to_string(options_.max_connections) +
               " connections, the most it takes (--max-connections). Try again later.\n";
      c->out = serialize(e);
      c->closing = true;
      log("stomp: " + c->peer + ": refused: too many connections (limit " +
          std::to_string(options_.max_connections) + ")");
    } else {
      SessionConfig config = options_.session;
      config.peer = c->peer;
      config.log = options_.log;
      if (config.login_guard == nullptr) config.login_guard = &login_guard_;
      c->session = std::make_unique<StompSession>(broker_, *c, std::move(config));
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = c.get();
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      log("stomp: " + c->peer + ": epoll: " + std::strerror(errno));
      c->session.reset();
      ::close(fd);
      continue;
    }
    Connection* raw = c.get();
    connections_.push_back(std::move(c));
    if (raw->closing) mark_dirty(*raw);
  }
}

// Reads what the peer sent, up to the budget. True when bytes came.
bool StompServer::read_from(Connection& c) {
  bool got = false;
  size_t budget = kReadBudget;
  while (budget > 0 && !c.dead) {
    const ssize_t n = recv_some(c);
    if (n > 0 && c.first_read) {
      c.first_read = false;
      if (c.tls == nullptr && looks_like_tls(std::string_view(read_buf_.data(), n))) {
        refuse(c, "this port speaks plain text, not TLS",
               "This port speaks STOMP in plain text" +
                   (tls_port_ != 0 ? "; TLS is on port " + std::to_string(tls_port_) : "") + ".\n");
      }
    }
    if (n > 0) {
      got = true;
      budget -= std::min(budget, static_cast<size_t>(n));
      // A closing connection's input is read only to be dropped.
      if (c.session != nullptr && !c.closing) {
        c.session->on_bytes(std::string_view(read_buf_.data(), static_cast<size_t>(n)));
      }
      // Drained, most likely; TLS may hold decrypted bytes epoll cannot see.
      if (c.tls == nullptr && static_cast<size_t>(n) < read_buf_.size()) break;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    // EOF or a broken connection: nothing more will come or go.
    if (c.session != nullptr) c.session->on_peer_closed();
    c.dead = true;
  }
  return got;
}

ssize_t StompServer::recv_some(Connection& c) {
  if (c.tls == nullptr || c.plain_on_tls)
    return ::recv(c.fd, read_buf_.data(), read_buf_.size(), 0);
  size_t done = 0;
  const TlsLink::Io io = c.tls->read(read_buf_.data(), read_buf_.size(), done);
  // A write that waited for the handshake may go now.
  if (c.has_output()) mark_dirty(c);
  switch (io) {
    case TlsLink::Io::kOk:
      return static_cast<ssize_t>(done);
    case TlsLink::Io::kWouldBlock:
      if (c.tls->wants_write()) set_epollout(c, true);
      errno = EAGAIN;
      return -1;
    case TlsLink::Io::kNotTls:
      c.plain_on_tls = true;
      c.first_read = false;
      refuse(c, "this port speaks TLS",
             "This port speaks STOMP over TLS; connect with TLS, or in plain text to port " +
                 std::to_string(port_) + ".\n");
      errno = EAGAIN;
      return -1;
    case TlsLink::Io::kFailed:
      log("stomp: " + c.peer + ": TLS: " + c.tls->error());
      return 0;
    case TlsLink::Io::kClosed:
      return 0;
  }
  return 0;
}

ssize_t StompServer::send_some(Connection& c) {
  if (c.tls == nullptr) {
    return ::send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
  }
  size_t done = 0;
  switch (c.tls->write(c.out.data() + c.out_pos, c.out.size() - c.out_pos, done)) {
    case TlsLink::Io::kOk:
      return static_cast<ssize_t>(done);
    case TlsLink::Io::kWouldBlock:
      errno = EAGAIN;
      return -1;
    case TlsLink::Io::kFailed:
      log("stomp: " + c.peer + ": TLS: " + c.tls->error());
      break;
    case TlsLink::Io::kNotTls:
    case TlsLink::Io::kClosed:
      break;
  }
  errno = EPIPE;
  return -1;
}

// Answers a connection that came to the wrong door with an ERROR, and closes it.
void StompServer::refuse(Connection& c, const std::string& message, const std::string& body) {
  log("stomp: " + c.peer + ": refused: " + message);
  if (c.session != nullptr) c.session.reset();
  Frame e;
  e.command = "ERROR";
  e.headers = {{"message", message}, {"content-type", "text/plain"}};
  e.body = body;
  c.out = serialize(e);
  c.out_pos = 0;
  c.closing = true;
  mark_dirty(c);
}

void StompServer::set_epollout(Connection& c, bool on) {
  if (c.epollout == on || c.dead) return;
  epoll_event ev{};
  ev.events = (c.paused ? 0u : EPOLLIN) | (on ? EPOLLOUT : 0u);
  ev.data.ptr = &c;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev) == 0) c.epollout = on;
}

void StompServer::set_reading(Connection& c, bool on) {
  if (c.paused == !on || c.dead) return;
  epoll_event ev{};
  ev.events = (on ? EPOLLIN : 0u) | (c.epollout ? EPOLLOUT : 0u);
  ev.data.ptr = &c;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev) == 0) c.paused = !on;
}

// Raises or clears the memory alarm; while it holds, pauses every
// connection that publishes (just_read: the one read last, when only it
// can have become a publisher since the last look).
void StompServer::check_memory(Connection* just_read) {
  const bool was_blocked = alarm_ || disk_alarm_;
  if (options_.max_memory != 0) {
    const size_t used = Payload::live_bytes();
    const size_t resume_below = options_.max_memory - options_.max_memory / 10;
    if (!alarm_ && used > options_.max_memory) {
      alarm_ = true;
      log("stomp: memory alarm: messages hold " + std::to_string(used) + " bytes, over " +
          std::to_string(options_.max_memory) + ": connections that publish are not read until " +
          "it falls to " + std::to_string(resume_below));
    } else if (alarm_ && used <= resume_below) {
      alarm_ = false;
      log("stomp: memory alarm over: messages hold " + std::to_string(used) +
          " bytes; publishers are read again");
    }
  }
  check_disk();
  if (!alarm_ && !disk_alarm_) {
    if (was_blocked) {
      for (auto& c : connections_)
        set_reading(*c, true);
    }
    return;
  }
  if (!was_blocked) just_read = nullptr;  // look at every connection
  auto pause_publisher = [this](Connection& c) {
    if (!c.paused && c.session != nullptr && c.session->has_published()) set_reading(c, false);
  };
  if (just_read != nullptr) {
    pause_publisher(*just_read);
  } else {
    for (auto& c : connections_)
      pause_publisher(*c);
  }
}

void StompServer::check_disk() {
  if (options_.min_disk_free == 0 || !options_.disk_free) return;
  const Micros now = broker_.clock().now();
  if (now < next_disk_check_) return;
  next_disk_check_ = now + options_.disk_check_interval;
  last_disk_free_ = options_.disk_free();
  if (!disk_alarm_ && last_disk_free_ < options_.min_disk_free) {
    disk_alarm_ = true;
    log("stomp: disk alarm: " + std::to_string(last_disk_free_) +
        " bytes free on the data file's disk, under " + std::to_string(options_.min_disk_free) +
        " (--min-disk-free): connections that publish are not read until there is more");
  } else if (disk_alarm_ && last_disk_free_ >= options_.min_disk_free) {
    disk_alarm_ = false;
    log("stomp: disk alarm over: " + std::to_string(last_disk_free_) +
        " bytes free; publishers are read again");
  }
}

void StompServer::write_out(Connection& c) {
  while (c.has_output()) {
    const ssize_t n = send_some(c);
    if (n > 0) {
      c.out_pos += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A TLS write waiting for the peer's handshake waits for input, not for room.
      set_epollout(c, c.tls == nullptr || c.tls->wants_write());
      return;
    }
    if (c.session != nullptr) c.session->on_peer_closed();
    c.dead = true;
    return;
  }
  c.out.clear();
  c.out_pos = 0;
  set_epollout(c, false);
  if (c.session != nullptr && !c.session->ended()) c.session->on_output_drained();
  if (c.closing && !c.has_output() && !c.half_closed) {
    // Half-close and wait for the peer's EOF: closing with its unread input
    // in our buffer would reset the connection and could lose the ERROR.
    if (c.tls != nullptr) c.tls->close_notify();
    ::shutdown(c.fd, SHUT_WR);
    c.half_closed = true;
    c.linger_until = broker_.clock().now() + options_.linger;
  }
}

void StompServer::reap() {
  bool any = false;
  for (auto& c : connections_) {
    if (c->session != nullptr && c->session->ended()) {
      // Ending the broker session may hand deliveries to other sessions;
      // they are written on the next round.
      c->session.reset();
    }
    any = any || c->dead;
  }
  if (!any) return;
  std::erase_if(dirty_, [](Connection* c) { return c->dead; });
  for (auto& c : connections_) {
    if (!c->dead) continue;
    c->session.reset();
    (void)epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c->fd, nullptr);
    ::close(c->fd);
    c->fd = -1;
  }
  std::erase_if(connections_, [](const std::unique_ptr<Connection>& c) { return c->fd < 0; });
}

void StompServer::flush_output() {
  for (int round = 0; round < kFlushRounds; ++round) {
    reap();
    if (dirty_.empty()) break;
    std::vector<Connection*> batch;
    batch.swap(dirty_);
    for (Connection* c : batch) {
      c->dirty = false;
      if (!c->dead) write_out(*c);
    }
  }
  reap();
}

std::string StompServer::stats_line() const {
  const size_t connections = connection_count(), paused = paused_count();
  const BrokerSnapshot snap = broker_.snapshot();
  uint64_t ready = 0, unacked = 0;
  for (const QueueSnapshot& q : snap.queues) {
    ready += q.ready;
    unacked += q.unacked;
  }
  std::string line = "stomp: stats: " + std::to_string(connections) + " connection(s), " +
                     std::to_string(paused) + " paused; messages hold " +
                     std::to_string(Payload::live_bytes()) + " bytes";
  if (options_.max_memory != 0) line += " of " + std::to_string(options_.max_memory);
  line += std::string("; memory alarm ") + (alarm_ ? "on" : "off");
  line += std::string(", disk alarm ") + (disk_alarm_ ? "on" : "off");
  line += "; " + std::to_string(ready) + " ready, " + std::to_string(unacked) + " unacked";
  if (snap.store.attached) {
    line += "; " + std::to_string(snap.store.commits) + " commits";
    if (snap.store.failed_commits > 0)
      line += " (" + std::to_string(snap.store.failed_commits) + " failed)";
    if (options_.commit_thread != nullptr)
      line += ", " + std::to_string(options_.commit_thread->running()) + " running";
    // SENDs are refused ("message not saved") until a commit finds room again.
    if (snap.store.disk_full)
      line += "; disk full: the last commit failed (" + snap.store.last_failure + ")";
  }
  return line;
}

void StompServer::run_timers() {
  const Micros now = broker_.clock().now();
  if (options_.stats_interval > 0) {
    if (next_stats_ == kNever) {
      next_stats_ = now + options_.stats_interval;
    } else if (now >= next_stats_) {
      log(stats_line());
      next_stats_ = now + options_.stats_interval;
    }
  }
  for (size_t i = 0; i < connections_.size(); ++i) {
    Connection& c = *connections_[i];
    if (c.dead) continue;
    // Not read, so not heard: a paused publisher is alive for all we know.
    if (c.paused && c.session != nullptr) (void)broker_.heartbeat(c.session->broker_session());
    if (c.half_closed && now >= c.linger_until) c.dead = true;
    if (c.session != nullptr && now >= c.session->next_timer()) c.session->on_timer();
  }
}

Micros StompServer::next_deadline() const {
  Micros next = kNever;
  for (const auto& c : connections_) {
    if (c->session != nullptr) next = std::min(next, c->session->next_timer());
    if (c->half_closed) next = std::min(next, c->linger_until);
  }
  if (options_.stats_interval > 0) next = std::min(next, next_stats_);
  // The disk is looked at on time even when no client says anything.
  if (options_.min_disk_free != 0 && options_.disk_free) next = std::min(next, next_disk_check_);
  return next;
}

bool StompServer::poll(Micros timeout) {
  assert(epoll_fd_ >= 0 && "StompServer::poll: call listen() first");
  assert(!shut_down_ && "StompServer::poll: the server was shut down");
  int ms = 0;
  if (timeout > 0)
    ms = static_cast<int>(std::min<Micros>((timeout + kMillis - 1) / kMillis, INT_MAX));
  epoll_event events[kMaxEvents];
  int n = epoll_wait(epoll_fd_, events, kMaxEvents, ms);
  if (n < 0) n = 0;  // EINTR: a signal; the caller looks at its flags
  // An alarm that went on while the loop slept pauses publishers before
  // their waiting input is read.
  check_memory(nullptr);
  bool read_any = false;
  for (int i = 0; i < n; ++i) {
    if (events[i].data.ptr == &commit_mark) {
      // Batches the writer thread has answered: their confirms release
      // receipts (written below) and may hand over the next batch.
      options_.commit_thread->run_completions();
      continue;
    }
    auto* c = static_cast<Connection*>(events[i].data.ptr);
    if (c == nullptr || events[i].data.ptr == &tls_listen_fd_) {
      accept_all(c == nullptr ? listen_fd_ : tls_listen_fd_, c != nullptr);
      continue;
    }
    if (c->dead) continue;
    if (c->paused && (events[i].events & (EPOLLHUP | EPOLLERR))) {
      // A paused publisher that is gone: its unread SENDs were never
      // receipted, so they are dropped with it (reading them would publish).
      if (c->session != nullptr) c->session->on_peer_closed();
      c->dead = true;
      continue;
    }
    if ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !c->paused) {
      read_any |= read_from(*c);
      check_memory(c);
    }
    if ((events[i].events & EPOLLOUT) && !c->dead) mark_dirty(*c);
    // A TLS read (the handshake) that waited for room goes on.
    if ((events[i].events & EPOLLOUT) && !c->dead && c->tls != nullptr && c->tls->wants_write()) {
      read_any |= read_from(*c);
    }
  }
  // Acks and deliveries free payloads too: the alarm may clear without a read.
  check_memory(nullptr);
  run_timers();
  flush_output();
  return read_any;
}

void StompServer::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (listen_fd_ >= 0) {
    (void)epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
  if (tls_listen_fd_ >= 0) {
    (void)epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, tls_listen_fd_, nullptr);
    ::close(tls_listen_fd_);
    tls_listen_fd_ = -1;
  }
  // Wall time: a host on a virtual clock does not move it while we wait.
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(options_.linger);
  size_t told = 0;
  // Every session ends now: none may be handed the unacked messages of one ended before it.
  broker_.stop_delivering();
  // By index: ending one broker session may write to the others, never add one.
  for (size_t i = 0; i < connections_.size(); ++i) {
    Connection& c = *connections_[i];
    if (c.dead || c.session == nullptr || c.session->ended()) continue;
    c.session->shut_down();
    ++told;
  }
  // Closing connections' input is read only to be dropped (and to see EOF).
  alarm_ = false;
  disk_alarm_ = false;
  for (auto& c : connections_)
    set_reading(*c, true);
  if (told > 0) log("stomp: shutting down: told " + std::to_string(told) + " client(s)");
  // Each connection is closing now: flush_output() writes its bytes and
  // half-closes it; its peer's EOF (read below) lets reap() close it.
  epoll_event events[kMaxEvents];
  for (;;) {
    flush_output();
    if (connections_.empty()) break;
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const int n = epoll_wait(epoll_fd_, events, kMaxEvents,
                             static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == &commit_mark) {
        options_.commit_thread->run_completions();
        continue;
      }
      auto* c = static_cast<Connection*>(events[i].data.ptr);
      if (c == nullptr || events[i].data.ptr == &tls_listen_fd_ || c->dead) continue;
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) (void)read_from(*c);
      if ((events[i].events & EPOLLOUT) && !c->dead) mark_dirty(*c);
    }
  }
  // Peers that did not read their ERROR or hang up in time.
  for (auto& c : connections_)
    c->dead = true;
  reap();
  dirty_.clear();
}

bool StompServer::confirms_awaited() const {
  for (const auto& c : connections_) {
    if (c->session != nullptr && c->session->awaiting_confirms()) return true;
  }
  return false;
}

void StompServer::run(const std::atomic<bool>& stop) {
  constexpr Micros kMaxWait = 500 * kMillis;
  bool batch_open = false;  // input was handled since the last flush
  while (!stop.load(std::memory_order_relaxed)) {
    Micros timeout = 0;
    if (!batch_open) {
      const Micros due = std::min(broker_.next_deadline(), next_deadline());
      const Micros now = broker_.clock().now();
      timeout = due == kNever ? kMaxWait : std::clamp<Micros>(due - now, 0, kMaxWait);
    }
    const bool read = poll(timeout);
    if (read) {
      batch_open = true;
    } else if (batch_open) {
      // No more input waiting: close the batch. Its receipts go out below.
      batch_open = false;
      if (confirms_awaited()) {
        Status st = broker_.flush();
        if (!st.is_ok()) log("stomp: commit failed: " + st.message());
      }
    }
    if (broker_.clock().now() >= broker_.next_deadline()) broker_.tick();
    flush_output();
  }
}

}  // namespace wmq::stomp
