// Broker::Impl: the broker's state and the declarations of its parts. Private
// to broker/src; the contract is broker/include/broker/broker.h.
//
// One class, its implementation in files of one concern each. A part that only
// its own file calls is defined `inline` there, so the compiler may fold it into
// its caller as it could when the whole class sat in one file (tools/bench's
// core_e2e measures the difference):
//   broker.cpp       the public facade, the call scope, construction
//   publish.cpp      the publish pipeline: size, translate, validate, route,
//                    admit, store, confirm
//   delivery.cpp     dispatch to consumers, ack and nack, requeue, dead letters
//   consumers.cpp    sessions and consumers: open, connect, end, subscribe, cancel
//   persistence.cpp  the store: recovery, group commit, the queue-options JSON
//   topology.cpp     exchanges, queues, bindings
//   time.cpp         tick() and next_deadline(), the end of a call
//   snapshot.cpp     snapshot() and peek()
//
// Thread-safety: none; see broker.h.
#pragma once

#include <algorithm>
#include <cassert>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "broker/broker.h"

namespace wmq {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using NameMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// `"s"`, for messages that name an object.
std::string in_quotes(std::string_view s);
// kNotFound naming the queue or exchange.
Status no_queue(std::string_view name);
Status no_exchange(std::string_view name);
Status no_session(SessionId id);

// The queue settings as the store keeps them (QueueRecord::options), and back.
// Decoding never fails: a damaged text gives the defaults, durable.
std::string encode_queue_options(const QueueOptions& options);
QueueOptions decode_queue_options(const std::string& text);

// One message in one queue. Owns one reference to its payload.
struct Entry {
  Payload* msg;
  Micros expires_at;        // min(message deadline, enqueue time + queue TTL)
  uint32_t delivery_count;  // deliveries so far
  bool redelivered;
};

struct Consumer;
struct Session;

struct Queue {
  std::string name;
  QueueKey key = 0;
  QueueOptions opt;
  std::deque<Entry> ready;  // always in message id order
  uint64_t unacked = 0;
  std::vector<Consumer*> consumers;
  size_t next_consumer = 0;  // round-robin position
  QueueCounters counters;
  bool deleted = false;
};

struct Binding {
  Queue* queue;
  std::string key;
};

struct Exchange {
  std::string name;
  ExchangeOptions opt;
  std::vector<Validator> validators;
  std::vector<Binding> bindings;
  NameMap<std::vector<Queue*>> direct;  // key -> queues, for direct exchanges
};

struct Consumer {
  ConsumerId id;
  Session* session;
  Queue* queue;
  uint32_t prefetch;
  uint32_t unacked = 0;
  bool auto_ack;
  bool has_credit() const { return prefetch == 0 || unacked < prefetch; }
};

// One delivery waiting for its ack. `live` is false once settled.
struct Unacked {
  Entry entry;
  Queue* queue;
  Consumer* consumer;
  bool live;
};

struct Session {
  SessionId id;
  SessionOptions opt;
  SessionSink* sink;
  SessionState state = SessionState::kConnecting;
  Micros last_seen = 0;
  PublishSeq next_seq = 1;
  DeliveryTag base_tag = 1;     // tag of unacked.front()
  std::deque<Unacked> unacked;  // slot i holds tag base_tag + i; settled slots are holes
  uint32_t unacked_live = 0;
  std::vector<Consumer*> consumers;
  uint64_t published = 0;
  uint64_t unconfirmed = 0;
  bool alive() const { return state == SessionState::kActive || state == SessionState::kSuspected; }
  bool ended() const { return state == SessionState::kDead || state == SessionState::kClosed; }
};

// A state change or cancellation to tell a sink once the current call ends.
struct Notice {
  SessionSink* sink;
  bool state_change;  // on_state(state), else on_cancel(consumer)
  SessionState state;
  ConsumerId consumer;
};

// A publish whose confirm waits for the current batch to commit.
struct PendingConfirm {
  SessionId session;
  PublishSeq seq;
  MessageId id;
  bool on_disk;  // false: queued only to keep the session's confirms in seq order
};

// A batch handed to the store (Store::commit_async) and not answered yet:
// what its answer releases or takes back.
struct CommitJob {
  size_t writes = 0;
  std::vector<PendingConfirm> confirms;
  // By queue key, not pointer: a queue may be deleted and freed meanwhile.
  std::vector<std::pair<QueueKey, MessageId>> inserted;
};

// The two ends a binding call names.
struct BindingEnds {
  Queue* queue = nullptr;
  Exchange* exchange = nullptr;
};

// One publish on its way down the pipeline (publish.cpp).
struct InFlight {
  Session& session;
  MessageId id;
  std::string_view exchange;          // as named by the publisher
  const Message& in;                  // as published; a rejection reports its routing key
  const Message* m = &in;             // as routed: `in`, or *translated
  std::optional<Message> translated;  // set by the translate step when a translator ran
  Exchange* x = nullptr;              // set by the validate step
};

class Broker::Impl {
 public:
  Impl(Clock& clock, BrokerOptions options);
  // A crash: frees memory, tells nobody, commits nothing.
  ~Impl();

  // ---------------------------------------------------------------- helpers

  Micros now() const { return clock_.now(); }

  // Tells the listeners about one step. `fill` sets the fields the kind
  // carries (events.h); with no listener nothing is built and `fill` never
  // runs, so it may do the work only an event needs.
  template <typename Fill>
  void emit(EventKind kind, Fill&& fill) {
    if (listeners_.empty()) [[likely]]
      return;
    Event e;
    e.kind = kind;
    fill(e);
    tell(e);
  }
  // Stamps `e` and hands it to every listener. Out of line, so that each
  // emit() adds only the test and the fields to the code of a hot path.
  void tell(Event& e);
  // The same for an event about one message in one queue, the most common
  // shape; `fill` adds what else the caller knows.
  template <typename Fill>
  void emit_about(EventKind kind, const Queue& q, const Payload& p, Fill&& fill) {
    emit(kind, [&](Event& e) {
      e.message = p.id();
      e.queue = q.name;
      e.routing_key = p.routing_key();
      e.payload = &p;
      fill(e);
    });
  }

  Queue* find_queue(std::string_view name) {
    auto it = queues_.find(name);
    return it == queues_.end() ? nullptr : it->second.get();
  }
  Exchange* find_exchange(std::string_view name) {
    auto it = exchanges_.find(name);
    return it == exchanges_.end() ? nullptr : it->second.get();
  }
  Session* find_session(SessionId id) {
    auto it = sessions_.find(id);
    return it == sessions_.end() ? nullptr : it->second.get();
  }

  // ------------------------------------------------------------ persistence
  // persistence.cpp

  Status attach_store(std::unique_ptr<Store> store);
  Status flush();
  // The store's answer for `job` (flush() handed it over): confirms or nacks.
  void committed(CommitJob& job, const Status& st);
  void commit_failed(CommitJob& job, const Status& st);
  // A confirm, in the session's seq order, released once everything written
  // so far is on disk (Broker::sync).
  Result<PublishSeq> sync(SessionId session);
  // Commits once the batch reaches its size cap.
  void maybe_commit();
  // Puts every durable definition in the batch again (after a failed commit).
  void rewrite_definitions();
  // Marks the batch open at its first write (the commit window counts from it).
  void note_write() {
    if (batch_opened_at_ < 0) batch_opened_at_ = now();
  }
  bool persists(const Queue& q, const Payload& p) const {
    return store_ != nullptr && q.opt.durable && p.persistent();
  }
  static ExchangeRecord exchange_record(const Exchange& x);
  static bool binding_durable(const Exchange& x, const Queue& q) {
    return (x.opt.durable || x.name.empty()) && q.opt.durable;
  }

  // --------------------------------------------------------------- topology
  // topology.cpp

  Exchange* make_exchange(std::string_view name, const ExchangeOptions& o);
  Status declare_exchange(std::string_view name, ExchangeOptions o);
  Status add_validator(std::string_view exchange, Validator v);
  Queue* make_queue(std::string_view name, const QueueOptions& o, QueueKey key);
  Status declare_queue(std::string_view name, QueueOptions o);
  Status update_queue(std::string_view name, QueueOptions o);
  Status delete_queue(std::string_view name);
  Status bind(std::string_view queue, std::string_view exchange, std::string_view key);
  Status unbind(std::string_view queue, std::string_view exchange, std::string_view key);
  // The queue and exchange of a bind or unbind; kNotFound for either, the queue first.
  Result<BindingEnds> binding_ends(std::string_view queue, std::string_view exchange);
  // A binding made (kBound) or removed (kUnbound): written to the store when
  // both ends are durable, told to the listeners.
  void binding_changed(EventKind kind, Exchange& x, Queue& q, std::string_view key);
  // False when the binding is there already.
  bool add_binding(Exchange& x, Queue& q, std::string_view key);
  // Every binding of `x` to `q`.
  void remove_bindings_to(Exchange& x, Queue* q);

  // ---------------------------------------------------------------- publish
  // publish.cpp

  Result<Published> publish(SessionId sid, std::string_view exchange, const Message& in);
  // The steps of publish(), in order. Each returns the rejection, or ok.
  Status check_size(const InFlight& p) const;
  Status translate(InFlight& p);
  Status validate(InFlight& p);
  Status route(InFlight& p);
  Status admit(const InFlight& p);
  bool store(const InFlight& p, const std::vector<Queue*>& targets);
  Published confirm(InFlight& p, bool waits, uint32_t queues);
  // Tells the listeners and hands `st` back.
  Status reject(const InFlight& p, Status st);
  // Collects the queues `x` routes `key` to into targets_ (each at most once).
  void collect_targets(const Exchange& x, std::string_view key);
  void add_target(Queue* q) {
    if (std::find(targets_.begin(), targets_.end(), q) == targets_.end()) targets_.push_back(q);
  }
  // Releases one publisher confirm.
  void send_confirm(SessionId sid, PublishSeq seq, MessageId id);

  // ---------------------------------------------------------------- deliver
  // delivery.cpp

  // Puts `p` (one reference adopted) at the tail of `q`; true when it was
  // written to the store.
  bool enqueue(Queue& q, Payload* p, uint32_t count, bool redelivered);
  static void insert_in_order(Queue& q, const Entry& e);
  void requeue(Queue& q, Entry e, std::string_view why);
  void dead_letter(Queue& q, Entry e, DropReason reason);
  void expire_head(Queue& q);
  Consumer* next_consumer(Queue& q);
  void dispatch(Queue& q);
  void dispatch_one(Queue& q);
  void deliver(Queue& q, Consumer& c, Entry e);
  static void compact(Session& s);
  Result<Unacked*> find_unacked(Session& s, DeliveryTag tag);
  // The live session `sid` and its unacked delivery `tag`, for ack and nack.
  struct Held {
    Session* session;
    Unacked* unacked;
  };
  Result<Held> held(SessionId sid, DeliveryTag tag);
  Status ack(SessionId sid, DeliveryTag tag);
  Status nack(SessionId sid, DeliveryTag tag, bool requeue_it);
  // Settles the slot of `u` in its session, queue and consumer counts.
  void settle(Session& s, Unacked& u);

  // --------------------------------------------------------------- sessions
  // consumers.cpp

  std::string session_label(const Session& s) const;
  // The session if it may act now; otherwise why not. Any call counts as
  // being heard from. In the header: every publish and ack starts here.
  Result<Session*> live_session(SessionId id) {
    Session* s = find_session(id);
    if (s == nullptr) return no_session(id);
    if (s->state == SessionState::kConnecting) {
      return Status::error(Code::kClosed, session_label(*s) + ": not connected yet");
    }
    if (s->ended()) {
      return Status::error(Code::kClosed, session_label(*s) + ": is " +
                                              session_state_name(s->state) +
                                              "; its deliveries went back to their queues");
    }
    touch(*s);
    return s;
  }
  void touch(Session& s) {
    s.last_seen = now();
    if (s.state == SessionState::kSuspected)
      set_state(s, SessionState::kActive, "heard from again");
  }
  void set_state(Session& s, SessionState to, std::string_view reason);
  SessionId open_session(SessionOptions o, SessionSink* sink);
  Status connected(SessionId id);
  Status heartbeat(SessionId id);
  Status end_session(SessionId id, SessionState to, std::string_view reason);
  Result<SessionState> session_state(SessionId id) const;
  void release_session(SessionId id);
  // Sends the session's matching unacked deliveries back to their queues.
  template <typename Pred>
  void return_unacked(Session& s, Pred pred, std::vector<Queue*>& touched) {
    for (Unacked& u : s.unacked) {
      if (!u.live || !pred(u)) continue;
      u.live = false;
      s.unacked_live--;
      if (u.consumer != nullptr) u.consumer->unacked--;
      u.queue->unacked--;
      if (std::find(touched.begin(), touched.end(), u.queue) == touched.end())
        touched.push_back(u.queue);
      requeue(*u.queue, u.entry, "returned");
    }
  }
  Result<ConsumerId> subscribe(SessionId sid, std::string_view queue, ConsumeOptions o);
  Status cancel(SessionId sid, ConsumerId cid);
  // Removes a consumer; the caller has returned (or will return) its unacked.
  void cancel_consumer(Consumer& c, bool notify);

  // ------------------------------------------------------------------- time
  // time.cpp

  void tick();
  Micros next_deadline() const;
  void settle_calls();

  // --------------------------------------------------------------- snapshot
  // snapshot.cpp

  BrokerSnapshot snapshot() const;
  std::vector<QueuedMessage> peek(std::string_view name, size_t offset, size_t limit) const;

  // ------------------------------------------------------------------ state

  Clock& clock_;
  BrokerOptions opt_;
  std::vector<EventListener*> listeners_;
  NameMap<bool> content_types_;
  NameMap<Translator> translators_;
  NameMap<std::unique_ptr<Exchange>> exchanges_;
  Exchange* default_exchange_ = nullptr;
  NameMap<std::unique_ptr<Queue>> queues_;
  std::unordered_map<SessionId, std::unique_ptr<Session>> sessions_;
  std::unordered_map<ConsumerId, std::unique_ptr<Consumer>> consumers_;
  std::unique_ptr<Store> store_;
  std::vector<PendingConfirm> pending_confirms_;               // publishes waiting for the batch
  std::vector<std::pair<QueueKey, MessageId>> batch_inserts_;  // messages the batch writes
  // The batch the store is committing (commit_async not answered yet); null
  // when none. One at a time: the next batch grows meanwhile.
  std::shared_ptr<CommitJob> committing_;
  bool flush_again_ = false;  // flush() was asked for while committing_
  // Set by flush() around commit_async(), so a store that answers at once
  // has its answer returned by flush().
  std::optional<Status>* answer_ = nullptr;
  Micros batch_opened_at_ = -1;  // first write of the batch; -1 = none
  // After failed commits, the broker's own next commit (at its deadline) waits
  // until commit_retry_at_: 0.1 s after the first failure, twice as long after
  // each next one, at most 5 s; a success ends it. A disk that is full stays
  // full a while, and the failed batch's definitions are written again each
  // time: without it a full disk would be tried every commit window. A batch
  // a publisher waits on (a confirm) does not wait, nor does flush().
  Micros commit_retry_at_ = -1;
  Micros commit_backoff_ = 0;
  // When the broker commits the pending batch by itself; -1 = nothing pending.
  Micros commit_due() const {
    if (batch_opened_at_ < 0) return -1;
    const Micros window = batch_opened_at_ + opt_.commit_window;
    return pending_confirms_.empty() ? std::max(window, commit_retry_at_) : window;
  }
  Micros last_commit_at_ = -1;
  MessageId next_id_ = 1;
  SessionId next_session_ = 1;
  ConsumerId next_consumer_ = 1;
  QueueKey next_queue_key_ = 1;
  std::vector<Queue*> targets_;   // scratch for routing
  std::vector<Queue*> dirty_;     // queues to dispatch once the current dispatch ends
  std::vector<Queue*> dl_dirty_;  // queues that received dead letters
  std::vector<SessionId> dying_;
  std::vector<std::unique_ptr<Queue>> graveyard_;  // deleted queues, freed at the end of the call
  std::vector<Notice> notices_;                    // told to sinks at the end of the call
  bool dispatching_ = false;
  bool delivering_ = true;  // false after stop_delivering(): the host is ending every session
  // Public broker calls on the stack (a sink may call back in). Every public
  // call holds a CallScope (broker.cpp), so work deferred to the end of a
  // call (settle_calls) runs once, when the outermost returns.
  int depth_ = 0;
};

}  // namespace wmq
