// The simulation's event stream: every broker event and every restaurant
// event, in the order they happen, stamped with virtual time.
//
// A SimObserver attached to a Simulation sees them all: broker events come
// through with the order they concern already looked up; restaurant events
// (a customer arrives, a cook starts cooking, food is served, the broker
// crashes) come from the simulator itself. The GUI's log and inspector,
// `--trace` and the tests are observers. With no observer attached, no
// SimEvent is built at all.
//
// A SimEvent's pointers and string_views are valid only during the call;
// EventRecorder below keeps owned copies for those who need them later.
//
// Thread-safety: observers are called on the thread driving the Simulation,
// from inside step()/run_until()/inject(); an observer must not call back
// into the Simulation's mutating functions.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "broker/events.h"
#include "sim/injection.h"

namespace wmq::sim {

enum class SimEventKind : uint8_t {
  kBroker,           // `broker` is the broker's event; `order` the order it concerns (0: none)
  kCustomerArrived,  // customer, cashier (whose line)
  kOrderPlaced,      // order, customer, cashier: the cashier took it
  kOrderPublished,   // order, cashier, message, count = attempt
  kOrderRejected,    // order, cashier, text = the broker's sentence
  kReceipt,          // order, cashier: confirmed (direct mode: handed to a cook)
  kConfirmTimeout,   // order, cashier: no confirm in time; published again
  kCookStarted,      // order, cook
  kCookFinished,     // order, cook: food ready (count = times this order was cooked)
  kLateAckRefused,   // order, cook: it woke up after its session died
  kServed,           // order, cashier, count = times served
  kOrderLost,        // order: direct mode, with a crashed cook
  kCookCrashed,      // cook, text = why
  kCookFrozen,       // cook
  kCookRevived,      // cook
  kCookConnected,    // cook: a new session
  kCookAdded,        // cook
  kCookRemoved,      // cook
  kCashierCrashed,   // cashier
  kCashierBack,      // cashier
  kBrokerCrashed,
  kBrokerRestarted,  // count = messages recovered
  kBrokerError,      // text: the broker could not restart (its file said no)
  kInjected,         // text = describe(injection)
  kNarration,        // text = en, text_id = id
  kAnnouncement,     // cook (who read it for the station), text
  kWaitingForCook,   // direct mode: cashier waits for a free cook at the order's station
};

// "broker", "customer_arrived", ...: stable names for traces.
const char* sim_event_kind_name(SimEventKind kind);

struct SimEvent {
  SimEventKind kind = SimEventKind::kBroker;
  Micros at = 0;
  uint32_t order = 0;     // 0 = none
  int32_t cashier = -1;   // index, -1 = none
  int32_t cook = -1;      // index, -1 = none
  uint32_t customer = 0;  // 0 = none
  MessageId message = 0;
  uint32_t count = 0;
  const Event* broker = nullptr;         // kBroker only
  const Injection* injection = nullptr;  // kInjected only: what was done (text describes it)
  std::string_view text;
  std::string_view text_id;
};

class SimObserver {
 public:
  virtual ~SimObserver() = default;
  virtual void on_sim_event(const SimEvent& event) = 0;
};

// One event as an owned value.
struct LogEntry {
  SimEventKind kind = SimEventKind::kBroker;
  EventKind broker_kind = EventKind::kPublished;  // when kind == kBroker
  Micros at = 0;
  uint32_t order = 0;
  int32_t cashier = -1;
  int32_t cook = -1;
  uint32_t customer = 0;
  MessageId message = 0;
  SessionId session = 0;
  uint32_t count = 0;
  bool redelivered = false;
  std::string queue;
  std::string text;  // the broker's reason, or the restaurant event's text
  std::string text_id;
};

// Keeps every event it sees (the GUI's log, tests).
class EventRecorder : public SimObserver {
 public:
  void on_sim_event(const SimEvent& event) override;
  const std::vector<LogEntry>& entries() const { return entries_; }
  void clear() { entries_.clear(); }

 private:
  std::vector<LogEntry> entries_;
};

class Simulation;

// Writes each event as one JSON line (--trace): {"t":..., "src":"broker"|"sim",
// "kind":..., ...}, with cooks and cashiers by name. The simulation must
// outlive the writer.
class TraceWriter : public SimObserver {
 public:
  TraceWriter(std::ostream& out, const Simulation& sim) : out_(out), sim_(sim) {}
  void on_sim_event(const SimEvent& event) override;

 private:
  std::ostream& out_;
  const Simulation& sim_;
};

}  // namespace wmq::sim
