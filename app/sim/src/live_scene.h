// LiveScene: STOMP clients on the scene (Simulation::listen). Private to
// app/sim/src; a part of Simulation::Impl, which owns it.
//
// While listening, a StompServer opens the broker to programs that take part
// as cooks and cashiers of their own (ExternalClient). The scene only watches
// them through the broker's events; a runner session carries the food of an
// order an external cook acked to the pickup counter. The server lives while
// the broker does: a broker crash ends every connection, and the restart
// listens again on the same port.
//
// Thread-safety: none; the Simulation's thread calls it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "order_ledger.h"
#include "sim/simulation.h"
#include "stomp/server.h"
#include "stomp/users.h"

namespace wmq::sim {

class LiveScene {
 public:
  explicit LiveScene(Simulation::Impl& sim) : sim_(sim) {}

  // Simulation::listen: kInvalid in direct mode or when already listening, a
  // door that may not open (stomp::check_door) or a bad users file, kClosed
  // while the broker is down, the server's error when it cannot listen.
  Status listen(const ListenOptions& o);
  bool on() const { return live_; }
  uint16_t port() const { return live_ ? port_ : 0; }
  // Simulation::live_turn: runs to `t`, then waits at most `max_wait` for clients.
  void turn(Micros t, Micros max_wait);

  // A new broker started (before the sim's own sessions reconnect).
  void broker_started();
  // The broker restarted: listen again on the same port, so clients reconnect where they were.
  void broker_restarted();
  // The broker crashed: the server goes first, as the sockets die with the process.
  void broker_crashed();
  // The end of the scene, not a crash: commit what clients wait for, send
  // those receipts, tell each client the server is going.
  void close();

  // A broker event with a session (`seen` is what the ledger made of it).
  void on_broker_event(const Event& e, const OrderLedger::Seen& seen);

  const std::vector<ExternalClient>& externals() const { return externals_; }
  DoorState door() const;
  // Why the server could not listen again after a restart (empty: it could).
  const std::string& server_error() const { return server_error_; }

 private:
  Status open_server(uint16_t port);
  void open_runner();
  bool own_session(SessionId sid) const;
  ExternalClient* find_external(SessionId sid, ExternalRole role);
  ExternalClient& add_external(SessionId sid, ExternalRole role);
  void read_external_names();
  void external_leaves(ExternalClient& x);

  Simulation::Impl& sim_;
  bool live_ = false;  // listening: the host drives time from the wall clock
  ListenOptions listen_opt_;
  std::unique_ptr<stomp::Users> users_;         // listen_opt_.users_file's, read once by listen()
  uint16_t port_ = 0;                           // the port listened on, kept across crashes
  std::unique_ptr<stomp::StompServer> server_;  // null unless live and the broker is up
  std::string server_error_;                    // why the server could not listen again
  std::vector<ExternalClient> externals_;
  bool names_pending_ = false;         // an external client whose name is not read yet
  SessionId runner_session_ = 0;       // publishes food-ready for external cooks
  std::vector<uint64_t> runner_jobs_;  // order | external cook index << 32, after an ack
};

}  // namespace wmq::sim
