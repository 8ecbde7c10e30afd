// StompServer: STOMP over TCP onto a broker someone else owns.
//
// The socket layer of the front door: it accepts connections, moves bytes
// between sockets and StompSessions (session.h) and keeps their timers. It
// understands nothing of STOMP and owns no broker state: the host owns the
// Broker (and its clock and store) and decides when to run the server.
//
// Two ways to drive it, both on the broker's thread:
//
//   1. `warungmq serve` hands the loop over: run(stop) waits on epoll and
//      does everything below until `stop` turns true.
//   2. A host with a loop of its own (the simulator, a GUI frame loop) calls,
//      each turn, without blocking:
//          server.poll(0);          // read, handle frames, write replies
//          ...its own work, which may call broker.tick() or broker.flush()...
//          server.flush_output();   // write what those calls produced
//      and sleeps no longer than server.next_deadline() (heart-beats).
//
// With options.commit_thread, a flush only hands the batch to the writer
// thread; the loop goes on reading, delivering and writing, and the batch's
// receipts go out when its answer comes back (an event on the loop's
// epoll), while the next batch grows. Without it, a commit blocks the loop.
//
// Group commit, as run() does it: after a turn that read input, the loop
// looks again without waiting; only when no more input is waiting does it
// call broker.flush(), if a client waits for a confirm (a SEND not yet
// receipted). A busy server so commits many SENDs at once, an idle one
// commits (and answers) at once. The broker's own commit window, honoured by
// tick() at broker.next_deadline(), caps the wait when input never stops, and
// commits what nobody waits for (the deletes of ACKs, delivery counts) unless
// a later flush took it along: one commit less per message at low rates,
// and a commit blocks the loop.
//
// Flow control, as RabbitMQ's memory alarm: with options.max_memory set,
// once the payloads of the process hold more bytes than that
// (Payload::live_bytes), the server stops reading from every connection that
// has published (TCP back-pressure: their SENDs wait in the kernel and in the
// client, nothing is dropped) and keeps serving the others: consumers, acks,
// heart-beats both ways (a paused connection is kept alive for the broker).
// It reads them again once the figure falls to 90% of the limit, so it does
// not flap. A paused publisher that is also a consumer cannot ack until then.
// The disk alarm, as RabbitMQ's: with options.min_disk_free and
// options.disk_free set, publishers are paused the same way while the free
// space disk_free() reports (the data file's disk) is below min_disk_free,
// looked at every disk_check_interval, and read again once it is back.
//
// TLS (stomp/tls.h), when options.tls is set: listen() opens a second port,
// options.tls_port, whose connections speak STOMP over TLS with that certificate;
// everything else is the same. A plain-text client on the TLS port gets a
// readable ERROR ("this port speaks TLS") and is closed; a TLS client on the
// plain port is closed with a log line saying where TLS is; a failed handshake
// is logged with OpenSSL's reason. Other connections never notice.
//
// Bad input is the session's business: it sends ERROR and ends; the server
// then flushes what is queued, half-closes (so the ERROR is not lost to a
// reset), waits briefly for the peer to hang up, and closes. One connection
// too many gets an ERROR the same way, without a session.
//
// Thread-safety: none; the owner of the broker runs the server.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/broker.h"
#include "stomp/session.h"

namespace wmq::stomp {

class CommitThread;
class TlsContext;

struct ServerOptions {
  // The address to listen on: an IP address or host name. The default keeps
  // the server on this machine; "0.0.0.0" opens it to the network.
  std::string bind = "127.0.0.1";
  // 0 = any free port (read it back with port()).
  uint16_t port = 61613;
  // Connections with a session at once; one more gets an ERROR and is closed.
  size_t max_connections = 256;
  // Each connection's session starts from this (peer and log are filled in).
  SessionConfig session;
  // How long a closing connection waits for the peer to hang up after the
  // server's last bytes before it is closed anyway.
  Micros linger = 2 * kSeconds;
  // Payload bytes above which publishers are paused (see above); 0 = no limit.
  size_t max_memory = 0;
  // Free bytes on the data file's disk below which publishers are paused
  // (see above); 0 = no disk alarm.
  uint64_t min_disk_free = 0;
  // The free bytes on the data file's disk now (statvfs in warungmq serve,
  // a figure in tests); empty = no disk alarm. Called at most once per
  // disk_check_interval of the broker's clock.
  std::function<uint64_t()> disk_free;
  Micros disk_check_interval = 1 * kSeconds;
  // The broker's store, when it is a CommitThread (commit_thread.h): the
  // loop then waits on its completion fd too and runs its answers as events,
  // so commits (and checkpoints) never hold the loop. Null: the store
  // answers at once, inside broker.flush().
  CommitThread* commit_thread = nullptr;
  // A stats line (stats_line()) through `log` every this long of the
  // broker's clock (`warungmq serve --stats`); 0 = none.
  Micros stats_interval = 0;
  // The certificate and key of the TLS port (TlsContext::load); empty = no TLS
  // port. Not in the web build (its listen() opens nothing anyway).
  std::shared_ptr<const TlsContext> tls;
  // The TLS port; 0 = any free port (read it back with tls_port()).
  uint16_t tls_port = 61614;
  // One line per notable thing (listening, refused connections, ERRORs
  // sent, commit failures, memory alarms). Empty: silent.
  std::function<void(std::string_view line)> log;
};

class StompServer {
 public:
  // Uses `broker` (and its clock, for heart-beats) until destroyed. Opens no
  // socket yet.
  StompServer(Broker& broker, ServerOptions options);
  // Drops every connection at once, as a crash would: their broker sessions
  // are killed (unacked deliveries go back) and the sockets closed with
  // nothing more sent. shutdown() first for a clean stop.
  ~StompServer();
  StompServer(const StompServer&) = delete;
  StompServer& operator=(const StompServer&) = delete;

  // Binds and listens. kIoError naming the address and the reason (e.g.
  // "cannot listen on 127.0.0.1:61613: Address already in use").
  Status listen();
  // The port listened on (the chosen one when options.port was 0).
  uint16_t port() const { return port_; }
  // The TLS port listened on; 0 without options.tls.
  uint16_t tls_port() const { return tls_port_; }

  // Waits at most `timeout` (0: not at all) for socket activity, accepts,
  // reads and hands bytes to sessions, runs due timers and writes what the
  // sessions produced. True when any bytes were read.
  bool poll(Micros timeout);
  // Writes output produced outside poll() (by the host's own broker calls,
  // e.g. receipts released by broker.flush()) and reaps ended sessions.
  void flush_output();
  // When poll() has a timer to run next (heart-beats, connect timeouts,
  // lingering closes); kNever when none. The broker's own deadlines are
  // broker.next_deadline().
  Micros next_deadline() const;
  // The whole loop for a server that owns nothing else: poll, flush the
  // broker when no input is waiting, tick it at its deadlines, until `stop`
  // is true (checked at least twice a second; a signal also wakes the wait).
  void run(const std::atomic<bool>& stop);

  // A clean stop. Stops accepting; stops the broker delivering
  // (Broker::stop_delivering: the unacked messages of a client told first are
  // not handed to one told next); tells every client that the server is
  // going (ERROR "server shutting down", see StompSession::shut_down), which
  // kills its broker session; writes what is queued; closes each connection
  // once its peer has hung up. Blocks until then, at most options.linger of
  // wall time (the broker's clock may be a virtual one): a peer that neither
  // reads nor hangs up is closed anyway. Logs one line when clients were
  // told. Flush the broker first, so receipts a commit releases go out before
  // the ERROR. Afterwards the server has no connections and poll() and run()
  // may not be called; a second call does nothing.
  void shutdown();

  // Connections with a live session.
  size_t connection_count() const;
  // Of those, the publishers not read while an alarm holds.
  size_t paused_count() const;
  // True while the memory alarm holds publishers back.
  bool memory_alarm() const { return alarm_; }
  // True while the disk alarm holds publishers back.
  bool disk_alarm() const { return disk_alarm_; }
  // The free bytes disk_free() said last (0 before the first look).
  uint64_t last_disk_free() const { return last_disk_free_; }
  // One line of the server's state, as --stats logs it: connections and
  // paused publishers, the bytes messages hold against max_memory, both
  // alarms (on/off), messages ready and unacked, commits made and running,
  // and "disk full" while the last commit failed for want of room.
  std::string stats_line() const;

 private:
  struct Connection;

  Status open_listener(uint16_t port, int& fd, uint16_t& bound);
  void accept_all(int listen_fd, bool tls);
  bool read_from(Connection& c);
  // recv() and send() through the connection's TLS when it has one (-1 with
  // errno EAGAIN when it would block).
  ssize_t recv_some(Connection& c);
  ssize_t send_some(Connection& c);
  void refuse(Connection& c, const std::string& message, const std::string& body);
  void write_out(Connection& c);
  void set_epollout(Connection& c, bool on);
  void run_timers();
  void reap();
  void mark_dirty(Connection& c);
  bool confirms_awaited() const;
  // Sets and clears the memory and disk alarms, pausing publishers while
  // either holds (only `just_read`, when given and the alarm was on before).
  void check_memory(Connection* just_read);
  void check_disk();
  void set_reading(Connection& c, bool on);
  void log(const std::string& line) const;

  Broker& broker_;
  ServerOptions options_;
  int listen_fd_ = -1;
  int tls_listen_fd_ = -1;  // options_.tls's port; its epoll data is &tls_listen_fd_
  uint16_t tls_port_ = 0;
  int epoll_fd_ = -1;
  uint16_t port_ = 0;
  bool shut_down_ = false;   // shutdown() ran: no listening socket, no connections
  bool alarm_ = false;       // over max_memory: publishers are not read
  bool disk_alarm_ = false;  // under min_disk_free: publishers are not read
  Micros next_disk_check_ = 0;
  Micros next_stats_ = kNever;  // when run_timers() logs the next stats line
  uint64_t last_disk_free_ = 0;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> dirty_;  // connections with bytes to write or a close to finish
  std::vector<char> read_buf_;
  // Failed logins per address, shared by every connection's session.
  LoginGuard login_guard_;
};

}  // namespace wmq::stomp
