// EventLog: the latest events of one run, as compact owned records, for the
// log view, the inspector and the pipeline strip; LogFilter and FilteredLog:
// which of them the log view shows.
//
// The log is a ring: it keeps the newest `capacity` events and forgets the
// oldest, so a long run (or a replay from the start) costs bounded memory.
// Every event gets an absolute sequence number from 0 that never repeats in a
// run; a view remembers sequence numbers, never ring positions.
//
// Texts (the broker's reasons, narration, queue names) repeat a lot, so a
// record holds an index into one interned string table instead of strings.
//
// Broker events name a session, not a person; the log resolves the session to
// the cook or cashier who held it, so "show me everything about grill-2" works
// for broker and restaurant events alike. A session no simulated person holds
// (a STOMP program on a live scene) is named by the client it was opened for,
// which the log reads from the session's kSessionOpened event. A restarted
// broker numbers its sessions from 1 again: an id opened anew forgets whom it
// named before.
//
// Thread-safety: none; the thread driving the Simulation owns it.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "broker/events.h"
#include "sim/events.h"

namespace wmq::sim {
class Simulation;
}

namespace wmq::gui {

// One event, owned. `cook`/`cashier` are indices (-1 = none); for broker events they are the
// holder of `session`, when it belongs to one.
struct LogRecord {
  uint64_t seq = 0;
  Micros at = 0;
  sim::SimEventKind kind = sim::SimEventKind::kBroker;
  EventKind broker_kind = EventKind::kPublished;  // meaningful when kind == kBroker
  bool redelivered = false;
  int32_t cashier = -1;
  int32_t cook = -1;
  uint32_t order = 0;
  uint32_t customer = 0;
  uint32_t count = 0;
  SessionId session = 0;
  MessageId message = 0;
  uint32_t client = 0;  // EventLog::text(client): the name `session` was opened under, "" when none
  uint32_t queue = 0;   // EventLog::text(queue): the queue's name, "" when none
  uint32_t text = 0;    // the broker's reason, or the restaurant event's text (English)
  uint32_t text_id = 0;    // the Indonesian text (narration)
  uint32_t injection = 0;  // kInjected: what was done, see EventLog::injection; 0 = not known
};

// The groups the log's kind filter offers. Every event kind falls in exactly one.
enum class LogGroup : uint8_t {
  kCustomers,    // arrivals, orders placed, receipts, served
  kPipeline,     // published, translated, validated, routed, enqueued, confirmed, rejected
  kDelivery,     // delivered, acked, nacked, requeued, cooking
  kTrouble,      // expired, dead-lettered, dropped, lost, crashes, injections
  kSessions,     // sessions and consumers coming and going, cooks connecting
  kPersistence,  // group commits, recovery
  kTopology,     // exchanges, queues, bindings declared or changed
  kNarration,    // the scenario's narration and announcements
};
inline constexpr int kLogGroupCount = 8;

// "customers", "pipeline", ...: stable names (i18n keys end in them).
const char* log_group_name(LogGroup group);
// The group an event falls in.
LogGroup log_group(const LogRecord& record);

// Where broker kinds start among the kind codes: sim kinds stay below it.
inline constexpr int kBrokerKindBase = 100;

// A kind, sim or broker, as one small integer for a "this kind only" filter: sim kinds are
// 0..kBrokerKindBase - 1, broker kinds kBrokerKindBase + EventKind.
int log_kind_code(const LogRecord& record);
// "order_placed", "broker.delivered", ...: a stable name for a kind code, or "" for an unknown one.
std::string log_kind_name(int code);
// Every kind code a "this kind only" filter offers: the sim kinds, then the broker kinds, each in
// its enum's order (SimEventKind::kBroker itself is not one: its events carry a broker kind).
std::vector<int> log_kind_codes();

class EventLog {
 public:
  // Keeps the newest `capacity` events (at least 1).
  explicit EventLog(size_t capacity = 50'000);

  // Records one event. `sim` resolves broker sessions to cooks and cashiers; it may be null
  // (no resolution).
  void add(const sim::SimEvent& event, const sim::Simulation* sim);

  // Events kept now (at most the capacity).
  size_t size() const { return count_; }
  size_t capacity() const { return ring_.size(); }
  // Sequence number of the oldest kept event, and of the next one to come (= events seen).
  uint64_t first_seq() const { return next_seq_ - count_; }
  uint64_t next_seq() const { return next_seq_; }
  // The event with this sequence number, or null when it was forgotten or has not happened.
  const LogRecord* find(uint64_t seq) const;
  // An interned text; index 0 is "".
  const std::string& text(uint32_t index) const { return texts_[index]; }
  // Who a record is about, by name: the simulated cook or cashier behind it ("grill-2",
  // "cashier-1"; `sim` names them), else the client its broker session was opened for (a STOMP
  // program's login, else its client-id, else its address: "budi"), else "".
  std::string who(const LogRecord& record, const sim::Simulation& sim) const;
  // The name broker session `session` was last opened under, or "" when the log did not see it
  // open.
  const std::string& client_name(SessionId session) const;
  // What a teacher, a test or the scenario did in a kInjected record (so the views can say it
  // in the reader's language), or null for other records. Owned by the log.
  const sim::Injection* injection(const LogRecord& record) const;

 private:
  uint32_t intern(std::string_view s);
  void resolve_session(LogRecord& r, const sim::Simulation* sim);

  std::vector<LogRecord> ring_;  // ring_[seq % capacity] holds seq when kept
  size_t count_ = 0;             // <= ring_.size()
  uint64_t next_seq_ = 0;
  std::vector<std::string> texts_;  // texts_[0] == ""
  // Every injection seen, in order; a record's `injection` is its index + 1. Injections are a
  // few clicks and timeline events, so they are kept even when their records are forgotten.
  std::vector<sim::Injection> injections_;
  std::unordered_map<std::string, uint32_t> text_index_;  // text -> its index in texts_
  std::unordered_map<SessionId, std::pair<int32_t, int32_t>>
      holders_;                                      // session -> (cook, cashier)
  std::unordered_map<SessionId, uint32_t> clients_;  // session -> interned name it was opened under
};

// Which events the log view shows. All fields AND together.
struct LogFilter {
  uint32_t groups = (1u << kLogGroupCount) - 1;  // bit per LogGroup
  int kind = -1;                                 // a log_kind_code, -1 = any
  uint32_t order = 0;                            // 0 = any
  int32_t cook = -1;                             // only events about this cook (its sessions)
  int32_t cashier = -1;                          // only events about this cashier
  SessionId session = 0;                         // only events of this broker session, 0 = any

  bool accepts(const LogRecord& record) const;
  bool operator==(const LogFilter&) const = default;
};

// The sequence numbers of the kept events a filter accepts, oldest first, brought up to date
// incrementally: a new frame scans only the events that came since the last one.
class FilteredLog {
 public:
  // Brings the list up to date with `log` and `filter`. A different filter, or a different log
  // (`log_epoch` changed: the run was rebuilt), rescans what the log keeps.
  void update(const EventLog& log, const LogFilter& filter, uint64_t log_epoch);
  const std::deque<uint64_t>& seqs() const { return seqs_; }

 private:
  std::deque<uint64_t> seqs_;
  LogFilter filter_;
  uint64_t scanned_to_ = 0;  // next sequence number to look at
  uint64_t epoch_ = ~uint64_t{0};
};

}  // namespace wmq::gui
