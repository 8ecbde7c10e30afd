// Simulation: the article's warung running on the real broker, in virtual
// time, fully determined by (scenario, seed, injections).
//
// What happens (broker mode; docs/scenarios.md tells it for teachers):
//   customers arrive (seeded Poisson, rate per minute) and queue at the
//   cashier with the shortest line -> the cashier takes the order (service
//   time) -> publishes it, persistent JSON, to the `orders` exchange with the
//   dish's station as routing key -> waits for the confirm (the receipt); no
//   confirm within confirm_timeout, a nack, or a broker crash: publishes it
//   again (duplicates possible, silent loss not) -> the station's queue hands
//   it to a cook with prefetch credit -> the cook cooks (the dish's time /
//   speed), publishes food-ready to the `pickup` queue, acks -> a cashier
//   consumes pickup and hands the food to the customer: served.
// Direct mode: no broker; the cashier hands the order to a free cook of the
// station (waiting while none is free) and waits until the food is ready.
//
// Time: a discrete-event scheduler (scheduler.h) on a ManualClock the broker
// shares. The broker's own deadlines (heartbeat suspicion and death, TTL,
// group commits) are met by calling Broker::tick() at next_deadline(), before
// restaurant events of the same microsecond. Broker sinks never act inside a
// broker call: they queue what they heard, and the simulator acts on it right
// after the call returns.
//
// Crash of the broker = the Broker object is destroyed (nothing flushed:
// that IS the crash). After restart_after a new Broker re-opens the same
// store (SQLite file, or the in-memory disk), recovers, the topology is
// declared again (idempotent) and every cashier and cook reconnects as a new
// session. Durable queues get their committed orders back; transient queues
// lose theirs, on purpose.
//
// Determinism: one seed, our own PRNG and distributions (random.h); every
// container whose order reaches an output is ordered. The same (scenario,
// seed, injections) gives the same state at every virtual time, which is
// what the GUI's time travel relies on: to go back to t, create a new
// Simulation with the same three and run_until(t).
//
// Listening (listen(), live_turn()): the broker is also opened to STOMP
// clients (broker/stomp/server.h), who take part as cooks and cashiers of
// their own (external_clients()). Their timing is a person's, so the virtual
// clock must follow the wall clock and the run is no longer deterministic:
// the host drives it with live_turn() instead of run_until(). A broker crash
// ends every STOMP connection (the server goes first, as a real one would);
// after the restart a new server listens on the same port.
//
// Thread-safety: none; one thread drives a Simulation and reads its views.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/broker.h"
#include "sim/events.h"
#include "sim/injection.h"
#include "sim/report.h"
#include "sim/restaurant.h"
#include "sim/scenario.h"

namespace wmq::sim {

enum class Storage : uint8_t {
  kSqlite,  // the broker's SQLite Store on a file (real fsyncs)
  kMemory,  // MemoryStore: same semantics, no file (replays, A/B, tests)
};

struct SimOptions {
  uint64_t seed = 1;
  Storage storage = Storage::kSqlite;
  // kSqlite: the broker file. Empty = a fresh temporary directory, removed
  // when the Simulation is destroyed. An existing file is refused (a run
  // starts from an empty broker).
  std::string data_path;
  // Keep each order's steps for the inspector. Off for benchmarks.
  bool history = true;
};

// Where and how listen() opens the broker to STOMP clients.
struct ListenOptions {
  // The address to listen on; the default keeps the scene on this machine.
  std::string bind = "127.0.0.1";
  // 0 = any free port (listen_port() tells which).
  uint16_t port = 61613;
  // Who may come in, as for `warungmq serve` (stomp/door.h): without a users
  // file only a loopback `bind` opens, unless `allow_anyone`.
  // A users file (stomp/users.h: logins, passcode hashes, allow lines) the
  // clients must log in with; empty = anyone may connect under any name.
  std::string users_file;
  // Open a non-loopback `bind` without a users file anyway (an open classroom).
  bool allow_anyone = false;
  // Bytes messages may hold before the programs that publish are paused, as
  // `warungmq serve --max-memory` (stomp/server.h, flow control); 0 = no limit.
  size_t max_memory = 0;
  // One line per notable server thing (ERRORs sent, a failed re-listen).
  // Empty: silent.
  std::function<void(std::string_view line)> log;
  // Each warning of a successful listen(), once, without a prefix: the users
  // file's plain-text passcodes, "warning: --allow-anyone: ...". Empty: silent.
  std::function<void(std::string_view line)> warn;
};

// The STOMP door while listening (Simulation::door), for the broker panel.
struct DoorState {
  bool open = false;  // a server listens now (not while the broker is down)
  std::string bind;   // the address and port listened on
  uint16_t port = 0;
  size_t connections = 0;  // STOMP connections with a session
  size_t paused = 0;       // publishers not read while the memory alarm holds
  size_t held_bytes = 0;   // bytes messages hold in this process
  size_t max_memory = 0;   // the limit (ListenOptions::max_memory); 0 = none
  bool memory_alarm = false;
};

class Simulation {
 public:
  // Builds the restaurant, starts the broker (broker mode), schedules the
  // scenario's timeline and `injections` (a list recorded by an earlier run:
  // the GUI's time travel). Errors: the data file (kBusy, kCorrupt, kIoError
  // naming the file, kExists when it is already there), an injection that
  // names nobody (kNotFound), one stamped before 0 (kInvalid). The caller
  // owns the result.
  static Result<std::unique_ptr<Simulation>> create(const Scenario& scenario, SimOptions options,
                                                    std::vector<Injection> injections = {});
  // When listening: commits what STOMP clients wait for, sends their receipts,
  // then tells each one the server is shutting down (StompServer::shutdown),
  // waiting at most a couple of wall seconds for them to hang up.
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // ---- Time ---------------------------------------------------------------

  // The current virtual time.
  Micros now() const;
  // Runs the next event (a restaurant event or a broker deadline). False when
  // nothing is left to run (arrivals stopped and everything settled).
  bool step();
  // Runs every event due at or before `t`, then sets the clock to `t` (if it
  // is later than now). With `stop_at_pause`, stops right after a timeline
  // event marked pause = true and returns true; otherwise returns false.
  bool run_until(Micros t, bool stop_at_pause = false);
  // When the next event is due; kNever if none.
  Micros next_event_time() const;
  // Events run so far (restaurant events and broker ticks).
  uint64_t steps() const;

  // ---- STOMP clients on the scene ------------------------------------------

  // Opens the broker to STOMP clients (see the top of this file). Call before
  // the first live_turn(). Errors: kIoError naming the address when it cannot
  // listen or read the users file; kInvalid in direct mode (no broker), when
  // already listening, for a non-loopback bind without a users file or
  // allow_anyone (the sentence of stomp::check_door), or a users file that
  // does not parse (naming its line); kClosed while the broker is down.
  Status listen(const ListenOptions& options);
  // True once listen() succeeded (also while the broker is down between a
  // crash and its restart).
  bool listening() const;
  // The port listened on (the chosen one for port 0); 0 when not listening.
  uint16_t listen_port() const;
  // One turn of a live loop, virtual time = `t` (the host maps wall time to
  // it; t >= now()): runs every event due by `t` as run_until() does, then
  // lets the server accept, read and answer clients, waiting for input at
  // most `max_wait` (and never past the next event or heart-beat), then
  // applies what the clients did (food-ready for an external cook's ack)
  // and writes what that released. The clock stays at `t` while it waits,
  // so keep `max_wait` small (10ms): it is how late a frame may be stamped.
  // Without listen() it is run_until(t).
  void live_turn(Micros t, Micros max_wait);
  // STOMP programs seen on the scene so far, in the order they appeared
  // (cooks and cashiers; those gone stay, with state kGone). Valid until
  // the next mutating call.
  const std::vector<ExternalClient>& external_clients() const;
  // The door's state now; open = false when not listening or while the
  // broker is down.
  DoorState door() const;

  // ---- Failure injection ----------------------------------------------------

  // Records `injection` and applies it at its time (see injection.h for the
  // rule); at = -1 or at = now() means now: it is applied before inject()
  // returns. Errors, nothing recorded: kNotFound (no such cook, cashier,
  // station, queue or dish), kInvalid (in the past, a bad value, a problem
  // the bad_order does not know). Not an error: crashing a cook that is
  // already down, or a broker injection in direct mode (nothing happens; the
  // log says so).
  Status inject(Injection injection);
  // Every injection accepted so far, scenario timeline excluded, in the
  // order they were made, each stamped with its time.
  const std::vector<Injection>& injections() const;

  // ---- The restaurant, read-only --------------------------------------------

  const Scenario& scenario() const;
  uint64_t seed() const;
  Mode mode() const;
  const std::vector<Cashier>& cashiers() const;
  const std::vector<Cook>& cooks() const;
  // Every customer so far, by id - 1 (those waiting are in each cashier's line).
  const std::vector<Customer>& customers() const;
  // Every order so far; order N is orders()[N - 1].
  const std::vector<Order>& orders() const;
  // Order `number`, or null.
  const Order* order(uint32_t number) const;
  // Its steps so far (empty when SimOptions::history is off).
  const std::vector<OrderStep>& history(uint32_t number) const;
  // What a message of the current broker is (for peek() and snapshots):
  // the order it carries (0: none, e.g. an announcement or a message of a
  // broker before the last crash that did not come back) and whether it is
  // the order itself or its food-ready message. Dead letters keep their order.
  struct MessageInfo {
    uint32_t order = 0;
    bool food = false;
  };
  MessageInfo message_info(MessageId id) const;
  // The station queues in scenario order, then pickup and dead-letters (none
  // in direct mode). OrderStep::queue indexes this list.
  const std::vector<QueueStats>& queues() const;
  // The station names in scenario order; Cook::station indexes this list.
  const std::vector<std::string>& stations() const;
  const Counters& counters() const;
  // Customers per minute now.
  double rate() const;
  // The group-commit window now (slow_disk changes it).
  Micros commit_window() const;
  // True between fill_disk and free_disk: every commit fails (the broker
  // nacks what it held), as on a real full disk. Stays so across a crash.
  bool disk_full() const;

  // The broker, for snapshots and peek(); null in direct mode and while it is
  // down after a crash. Valid until the next mutating call.
  const Broker* broker() const;
  // True between crash_broker and the restart.
  bool broker_down() const;
  // When a crashed broker comes back; -1 when it only comes back by restart_broker.
  Micros broker_restart_at() const;
  // The broker file (kSqlite) or ":memory:".
  const std::string& data_path() const;

  // ---- Narration ------------------------------------------------------------

  // The latest timeline event with narration at or before now; null before
  // the first one.
  const TimelineEvent* narration() const;
  // How many timeline pause points have been passed.
  uint32_t pauses_reached() const;

  // ---- Events and the report ------------------------------------------------

  // Observers must outlive the Simulation or be removed first.
  void add_observer(SimObserver* observer);
  void remove_observer(SimObserver* observer);
  // The report of the run so far (figures at now(); expectations judged on them).
  Report report() const;

  class Impl;

 private:
  explicit Simulation(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wmq::sim
