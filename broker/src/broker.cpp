// The broker core. See broker/include/broker/broker.h for the contract and
// the message state machine.
#include "broker/broker.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker/routing.h"

namespace wmq {

namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using NameMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

std::string in_quotes(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out.append(s);
  out += '"';
  return out;
}

std::string encode_queue_options(const QueueOptions& o) {
  nlohmann::json j = {{"max_length", o.max_length},
                      {"overflow", overflow_name(o.overflow)},
                      {"message_ttl", o.message_ttl},
                      {"delivery_limit", o.delivery_limit},
                      {"dead_letter_exchange", o.dead_letter_exchange},
                      {"dead_letter_routing_key", o.dead_letter_routing_key}};
  return j.dump();
}

QueueOptions decode_queue_options(const std::string& text) {
  QueueOptions o;
  o.durable = true;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return o;
  o.max_length = j.value("max_length", 0u);
  o.overflow = j.value("overflow", std::string()) == "drop-head" ? Overflow::kDropHead
                                                                 : Overflow::kRejectPublish;
  o.message_ttl = j.value("message_ttl", Micros{0});
  o.delivery_limit = j.value("delivery_limit", 0u);
  o.dead_letter_exchange = j.value("dead_letter_exchange", std::string());
  o.dead_letter_routing_key = j.value("dead_letter_routing_key", std::string());
  return o;
}

Status no_queue(std::string_view name) {
  return Status::error(Code::kNotFound, "queue " + in_quotes(name) + ": not found");
}

Status no_exchange(std::string_view name) {
  return Status::error(Code::kNotFound, "exchange " + in_quotes(name) + ": not found");
}

ExchangeKind kind_from_name(std::string_view name) {
  if (name == "fanout") return ExchangeKind::kFanout;
  if (name == "topic") return ExchangeKind::kTopic;
  return ExchangeKind::kDirect;
}

}  // namespace

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

class Broker::Impl {
 public:
  Impl(Clock& clock, BrokerOptions options) : clock_(clock), opt_(std::move(options)) {
    content_types_.emplace("application/octet-stream", true);
    ExchangeOptions def;
    def.kind = ExchangeKind::kDirect;
    def.durable = true;
    auto ex = std::make_unique<Exchange>();
    ex->name = "";
    ex->opt = def;
    default_exchange_ = ex.get();
    exchanges_.emplace("", std::move(ex));
  }

  ~Impl() {
    // A crash: free memory, tell nobody, commit nothing.
    for (auto& [name, q] : queues_) {
      for (Entry& e : q->ready)
        e.msg->release();
    }
    for (auto& [id, s] : sessions_) {
      for (Unacked& u : s->unacked) {
        if (u.live) u.entry.msg->release();
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  Micros now() const { return clock_.now(); }
  bool observed() const { return !listeners_.empty(); }

  void emit(Event& e) {
    e.at = now();
    for (EventListener* l : listeners_)
      l->on_event(e);
  }

  // An event about one message in one queue, the most common shape; the
  // caller adds what else it knows.
  static Event about(EventKind kind, const Queue& q, const Payload& p) {
    Event e;
    e.kind = kind;
    e.message = p.id();
    e.queue = q.name;
    e.routing_key = p.routing_key();
    e.payload = &p;
    return e;
  }

  Session* find_session(SessionId id) {
    auto it = sessions_.find(id);
    return it == sessions_.end() ? nullptr : it->second.get();
  }

  std::string session_label(const Session& s) const {
    std::string label = "session " + std::to_string(s.id);
    if (!s.opt.name.empty()) label += " (" + s.opt.name + ")";
    return label;
  }

  // The session if it may act now; otherwise why not. Any call counts as
  // being heard from.
  Result<Session*> live_session(SessionId id) {
    Session* s = find_session(id);
    if (s == nullptr) {
      return Status::error(Code::kNotFound, "session " + std::to_string(id) + ": no such session");
    }
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

  void set_state(Session& s, SessionState to, std::string_view reason) {
    SessionState from = s.state;
    if (from == to) return;
    s.state = to;
    if (observed()) {
      Event e;
      e.kind = EventKind::kSessionState;
      e.session = s.id;
      e.state_from = from;
      e.state_to = to;
      e.reason = reason;
      emit(e);
    }
    if (s.sink != nullptr) notices_.push_back(Notice{s.sink, true, to, 0});
  }

  Queue* find_queue(std::string_view name) {
    auto it = queues_.find(name);
    return it == queues_.end() ? nullptr : it->second.get();
  }
  Exchange* find_exchange(std::string_view name) {
    auto it = exchanges_.find(name);
    return it == exchanges_.end() ? nullptr : it->second.get();
  }

  bool persists(const Queue& q, const Payload& p) const {
    return store_ != nullptr && q.opt.durable && p.persistent();
  }

  void note_write() {
    if (batch_opened_at_ < 0) batch_opened_at_ = now();
  }

  // ------------------------------------------------------------ persistence

  Status attach_store(std::unique_ptr<Store> store) {
    assert(store != nullptr && "Broker::attach_store: the store is null");
    assert(store_ == nullptr && "Broker::attach_store: a store is already attached");
    assert(sessions_.empty() && "Broker::attach_store: call it before opening sessions");
    Result<Recovered> rec = store->recover();
    if (!rec.is_ok()) return rec.status();
    store_ = std::move(store);
    Recovered& r = rec.value();
    next_id_ = std::max(next_id_, r.max_message_id + 1);
    for (const ExchangeRecord& x : r.exchanges) {
      ExchangeOptions o;
      o.kind = kind_from_name(x.kind);
      o.durable = true;
      o.alternate_exchange = x.alternate_exchange;
      if (find_exchange(x.name) == nullptr) make_exchange(x.name, o);
    }
    std::unordered_map<QueueKey, Queue*> by_key;
    for (const QueueRecord& qr : r.queues) {
      Queue* q = find_queue(qr.name);
      if (q == nullptr) q = make_queue(qr.name, decode_queue_options(qr.options), qr.key);
      by_key[qr.key] = q;
      next_queue_key_ = std::max(next_queue_key_, qr.key + 1);
    }
    for (const BindingRecord& b : r.bindings) {
      Queue* q = find_queue(b.queue);
      Exchange* x = find_exchange(b.exchange);
      if (q != nullptr && x != nullptr) add_binding(*x, *q, b.binding_key);
    }
    for (MessageRecord& m : r.messages) {
      auto it = by_key.find(m.queue);
      if (it == by_key.end()) continue;  // orphan row of a queue deleted in the same batch
      Queue& q = *it->second;
      Payload::Fields f;
      f.id = m.id;
      f.body = m.body;
      f.content_type = m.content_type;
      f.routing_key = m.routing_key;
      f.headers = m.headers.empty() ? nullptr : &m.headers;
      f.persistent = true;
      f.expires_at = m.expires_at;
      Entry e{Payload::make(f), m.entry_expires_at, m.delivery_count, m.delivery_count > 0};
      q.ready.push_back(e);
      if (observed()) {
        Event ev;
        ev.kind = EventKind::kRecovered;
        ev.message = m.id;
        ev.queue = q.name;
        ev.routing_key = e.msg->routing_key();
        ev.count = e.delivery_count;
        ev.redelivered = e.redelivered;
        ev.payload = e.msg;
        emit(ev);
      }
    }
    // Rows come back in (queue key, id) order; keep the id-order invariant
    // even if a queue's rows were interleaved.
    const auto by_id = [](const Entry& a, const Entry& b) { return a.msg->id() < b.msg->id(); };
    for (auto& [name, q] : queues_) {
      if (!std::is_sorted(q->ready.begin(), q->ready.end(), by_id)) {
        std::stable_sort(q->ready.begin(), q->ready.end(), by_id);
      }
    }
    return Status::ok();
  }

  Status flush() {
    if (store_ == nullptr) return Status::ok();
    if (store_->pending() == 0 && pending_confirms_.empty() && batch_inserts_.empty()) {
      batch_opened_at_ = -1;
      return Status::ok();
    }
    const size_t writes = store_->pending();
    Status st = store_->commit();
    batch_opened_at_ = -1;
    std::vector<PendingConfirm> confirms;
    confirms.swap(pending_confirms_);
    std::vector<std::pair<Queue*, MessageId>> inserted;
    inserted.swap(batch_inserts_);
    if (st.is_ok()) {
      last_commit_at_ = now();
      if (observed()) {
        Event e;
        e.kind = EventKind::kCommitted;
        e.count = static_cast<uint32_t>(writes);
        emit(e);
      }
      for (const PendingConfirm& c : confirms)
        confirm(c.session, c.seq, c.id);
      return st;
    }
    if (observed()) {
      Event e;
      e.kind = EventKind::kCommitFailed;
      e.reason = st.message();
      e.code = st.code();
      emit(e);
    }
    // Nothing of the batch is on disk. Messages it carried that are still
    // ready are taken back out, so a nacked publish is not also delivered
    // later; one already in a consumer's hands cannot be taken back.
    for (auto& [q, id] : inserted) {
      if (q->deleted) continue;
      auto it = std::lower_bound(q->ready.begin(), q->ready.end(), id,
                                 [](const Entry& e, MessageId v) { return e.msg->id() < v; });
      if (it != q->ready.end() && it->msg->id() == id) {
        Entry e = *it;
        q->ready.erase(it);
        q->counters.dropped++;
        if (observed()) {
          Event ev;
          ev.kind = EventKind::kDropped;
          ev.message = id;
          ev.queue = q->name;
          ev.reason = "commit failed";
          ev.payload = e.msg;
          emit(ev);
        }
        e.msg->release();
      }
    }
    for (const PendingConfirm& c : confirms) {
      if (!c.on_disk) {
        confirm(c.session, c.seq, c.id);  // it never depended on this batch
        continue;
      }
      Session* s = find_session(c.session);
      if (s == nullptr) continue;
      s->unconfirmed--;
      if (observed()) {
        Event e;
        e.kind = EventKind::kPublishNacked;
        e.session = c.session;
        e.seq = c.seq;
        e.message = c.id;
        e.reason = st.message();
        e.code = st.code();
        emit(e);
      }
      if (s->sink != nullptr && s->alive()) s->sink->on_publish_nack(c.seq, st);
    }
    // Definitions of the failed batch are written again with the next one.
    rewrite_definitions();
    return st;
  }

  void rewrite_definitions() {
    for (auto& [name, x] : exchanges_) {
      if (x->opt.durable && !name.empty()) store_->put_exchange(exchange_record(*x));
    }
    for (auto& [name, q] : queues_) {
      if (!q->opt.durable) continue;
      store_->put_queue(QueueRecord{q->key, q->name, encode_queue_options(q->opt)});
    }
    for (auto& [name, x] : exchanges_) {
      for (const Binding& b : x->bindings) {
        if (binding_durable(*x, *b.queue)) {
          store_->put_binding(BindingRecord{x->name, b.queue->name, b.key});
        }
      }
    }
    if (store_->pending() > 0) note_write();
  }

  void maybe_commit() {
    if (store_ != nullptr && store_->pending() >= opt_.commit_batch_max) (void)flush();
  }

  void confirm(SessionId sid, PublishSeq seq, MessageId id) {
    Session* s = find_session(sid);
    if (s == nullptr) return;
    if (s->unconfirmed > 0) s->unconfirmed--;
    if (observed()) {
      Event e;
      e.kind = EventKind::kConfirmed;
      e.session = sid;
      e.seq = seq;
      e.message = id;
      emit(e);
    }
    if (s->sink != nullptr && s->alive()) s->sink->on_confirm(seq);
  }

  static ExchangeRecord exchange_record(const Exchange& x) {
    return ExchangeRecord{x.name, exchange_kind_name(x.opt.kind), x.opt.alternate_exchange};
  }
  static bool binding_durable(const Exchange& x, const Queue& q) {
    return (x.opt.durable || x.name.empty()) && q.opt.durable;
  }

  // --------------------------------------------------------------- topology

  Exchange* make_exchange(std::string_view name, const ExchangeOptions& o) {
    auto x = std::make_unique<Exchange>();
    x->name = std::string(name);
    x->opt = o;
    Exchange* raw = x.get();
    exchanges_.emplace(std::string(name), std::move(x));
    if (observed()) {
      Event e;
      e.kind = EventKind::kExchangeDeclared;
      e.exchange = raw->name;
      e.reason = exchange_kind_name(o.kind);
      emit(e);
    }
    return raw;
  }

  Status declare_exchange(std::string_view name, ExchangeOptions o) {
    if (name.empty()) {
      return Status::error(Code::kInvalid,
                           "exchange \"\": the default exchange cannot be declared");
    }
    if (Exchange* x = find_exchange(name)) {
      if (x->opt.kind == o.kind && x->opt.durable == o.durable &&
          x->opt.alternate_exchange == o.alternate_exchange) {
        return Status::ok();
      }
      return Status::error(Code::kExists, "exchange " + in_quotes(name) + ": already declared as " +
                                              exchange_kind_name(x->opt.kind) +
                                              (x->opt.durable ? ", durable" : ", transient") +
                                              " with other settings");
    }
    make_exchange(name, o);
    if (o.durable && store_ != nullptr) {
      store_->put_exchange(
          ExchangeRecord{std::string(name), exchange_kind_name(o.kind), o.alternate_exchange});
      note_write();
    }
    return Status::ok();
  }

  Status add_validator(std::string_view exchange, Validator v) {
    assert(v && "Broker::add_validator: the validator is empty");
    Exchange* x = find_exchange(exchange);
    if (x == nullptr) return no_exchange(exchange);
    x->validators.push_back(std::move(v));
    return Status::ok();
  }

  Queue* make_queue(std::string_view name, const QueueOptions& o, QueueKey key) {
    auto q = std::make_unique<Queue>();
    q->name = std::string(name);
    q->opt = o;
    q->key = key;
    Queue* raw = q.get();
    queues_.emplace(std::string(name), std::move(q));
    if (observed()) {
      Event e;
      e.kind = EventKind::kQueueDeclared;
      e.queue = raw->name;
      e.reason = o.durable ? "durable" : "transient";
      emit(e);
    }
    return raw;
  }

  static Status check_queue_options(std::string_view name, const QueueOptions& o) {
    if (name.empty()) return Status::error(Code::kInvalid, "queue \"\": a queue needs a name");
    if (o.message_ttl < 0) {
      return Status::error(Code::kInvalid,
                           "queue " + in_quotes(name) + ": message TTL must be >= 0");
    }
    return Status::ok();
  }

  Status declare_queue(std::string_view name, QueueOptions o) {
    if (Status st = check_queue_options(name, o); !st.is_ok()) return st;
    if (Queue* q = find_queue(name)) {
      if (q->opt == o) return Status::ok();
      return Status::error(Code::kExists,
                           "queue " + in_quotes(name) + ": already declared with other settings");
    }
    Queue* q = make_queue(name, o, next_queue_key_++);
    if (o.durable && store_ != nullptr) {
      store_->put_queue(QueueRecord{q->key, q->name, encode_queue_options(o)});
      note_write();
    }
    return Status::ok();
  }

  Status update_queue(std::string_view name, QueueOptions o) {
    if (Status st = check_queue_options(name, o); !st.is_ok()) return st;
    Queue* q = find_queue(name);
    if (q == nullptr) return no_queue(name);
    const bool was_durable = q->opt.durable;
    q->opt = o;
    if (store_ != nullptr) {
      if (o.durable) {
        store_->put_queue(QueueRecord{q->key, q->name, encode_queue_options(o)});
        if (!was_durable) {
          for (const Entry& e : q->ready) {
            if (e.msg->persistent()) {
              store_->insert_message(q->key, PayloadRef(e.msg), e.expires_at, e.delivery_count);
            }
          }
          for (auto& [sid, s] : sessions_) {
            for (const Unacked& u : s->unacked) {
              if (u.live && u.queue == q && u.entry.msg->persistent()) {
                store_->insert_message(q->key, PayloadRef(u.entry.msg), u.entry.expires_at,
                                       u.entry.delivery_count);
              }
            }
          }
          for (auto& [xname, x] : exchanges_) {
            for (const Binding& b : x->bindings) {
              if (b.queue == q && binding_durable(*x, *q)) {
                store_->put_binding(BindingRecord{x->name, q->name, b.key});
              }
            }
          }
        }
        note_write();
      } else if (was_durable) {
        store_->delete_queue(q->key);
        note_write();
      }
    }
    if (observed()) {
      Event e;
      e.kind = EventKind::kQueueChanged;
      e.queue = q->name;
      e.reason = o.durable ? "durable" : "transient";
      emit(e);
    }
    // A raised max-length or a lowered TTL may change what is due now.
    expire_head(*q);
    dispatch(*q);
    maybe_commit();
    return Status::ok();
  }

  Status delete_queue(std::string_view name) {
    Queue* q = find_queue(name);
    if (q == nullptr) return no_queue(name);
    // Consumers first: their unacked messages come back, then all are dropped.
    std::vector<Consumer*> consumers = q->consumers;
    for (Consumer* c : consumers)
      cancel_consumer(*c, /*notify=*/true);
    for (Entry& e : q->ready) {
      if (observed()) {
        Event ev = about(EventKind::kDropped, *q, *e.msg);
        ev.reason = "queue deleted";
        emit(ev);
      }
      e.msg->release();
    }
    q->ready.clear();
    for (auto& [xname, x] : exchanges_)
      remove_bindings_to(*x, q);
    if (q->opt.durable && store_ != nullptr) {
      store_->delete_queue(q->key);
      note_write();
    }
    if (observed()) {
      Event e;
      e.kind = EventKind::kQueueDeleted;
      e.queue = q->name;
      emit(e);
    }
    q->deleted = true;
    // Freed when no call is running: a sink up the stack may still hold it.
    auto it = queues_.find(name);
    graveyard_.push_back(std::move(it->second));
    queues_.erase(it);
    return Status::ok();
  }

  void remove_bindings_to(Exchange& x, Queue* q) {
    std::erase_if(x.bindings, [q](const Binding& b) { return b.queue == q; });
    for (auto it = x.direct.begin(); it != x.direct.end();) {
      std::erase(it->second, q);
      it = it->second.empty() ? x.direct.erase(it) : std::next(it);
    }
  }

  bool add_binding(Exchange& x, Queue& q, std::string_view key) {
    for (const Binding& b : x.bindings) {
      if (b.queue == &q && b.key == key) return false;
    }
    x.bindings.push_back(Binding{&q, std::string(key)});
    if (x.opt.kind == ExchangeKind::kDirect) {
      auto it = x.direct.find(key);
      if (it == x.direct.end())
        it = x.direct.emplace(std::string(key), std::vector<Queue*>{}).first;
      it->second.push_back(&q);
    }
    return true;
  }

  Status bind(std::string_view queue, std::string_view exchange, std::string_view key) {
    if (exchange.empty()) {
      return Status::error(Code::kInvalid,
                           "exchange \"\": the default exchange binds every queue by name already");
    }
    Queue* q = find_queue(queue);
    if (q == nullptr) return no_queue(queue);
    Exchange* x = find_exchange(exchange);
    if (x == nullptr) return no_exchange(exchange);
    if (!add_binding(*x, *q, key)) return Status::ok();
    if (store_ != nullptr && binding_durable(*x, *q)) {
      store_->put_binding(BindingRecord{x->name, q->name, std::string(key)});
      note_write();
    }
    if (observed()) {
      Event e;
      e.kind = EventKind::kBound;
      e.queue = q->name;
      e.exchange = x->name;
      e.routing_key = key;
      emit(e);
    }
    return Status::ok();
  }

  Status unbind(std::string_view queue, std::string_view exchange, std::string_view key) {
    Queue* q = find_queue(queue);
    if (q == nullptr) return no_queue(queue);
    Exchange* x = find_exchange(exchange);
    if (x == nullptr) return no_exchange(exchange);
    auto it = std::find_if(x->bindings.begin(), x->bindings.end(),
                           [&](const Binding& b) { return b.queue == q && b.key == key; });
    if (it == x->bindings.end()) {
      return Status::error(Code::kNotFound, "binding " + in_quotes(exchange) + " -> " +
                                                in_quotes(queue) + " with key " + in_quotes(key) +
                                                ": not found");
    }
    x->bindings.erase(it);
    if (x->opt.kind == ExchangeKind::kDirect) {
      auto d = x->direct.find(key);
      if (d != x->direct.end()) {
        std::erase(d->second, q);
        if (d->second.empty()) x->direct.erase(d);
      }
    }
    if (store_ != nullptr && binding_durable(*x, *q)) {
      store_->delete_binding(BindingRecord{x->name, q->name, std::string(key)});
      note_write();
    }
    if (observed()) {
      Event e;
      e.kind = EventKind::kUnbound;
      e.queue = q->name;
      e.exchange = x->name;
      e.routing_key = key;
      emit(e);
    }
    return Status::ok();
  }

  // --------------------------------------------------------------- sessions

  SessionId open_session(SessionOptions o, SessionSink* sink) {
    assert((o.dead_after == 0 || o.suspect_after == 0 || o.dead_after >= o.suspect_after) &&
           "Broker::open_session: dead_after must be >= suspect_after");
    auto s = std::make_unique<Session>();
    s->id = next_session_++;
    s->opt = std::move(o);
    s->sink = sink;
    s->last_seen = now();
    Session* raw = s.get();
    sessions_.emplace(raw->id, std::move(s));
    if (observed()) {
      Event e;
      e.kind = EventKind::kSessionOpened;
      e.session = raw->id;
      e.reason = raw->opt.name;
      emit(e);
    }
    return raw->id;
  }

  Status connected(SessionId id) {
    Session* s = find_session(id);
    if (s == nullptr)
      return Status::error(Code::kNotFound, "session " + std::to_string(id) + ": no such session");
    if (s->ended()) {
      return Status::error(Code::kClosed,
                           session_label(*s) + ": is " + session_state_name(s->state));
    }
    s->last_seen = now();
    set_state(*s, SessionState::kActive, "connected");
    return Status::ok();
  }

  Status heartbeat(SessionId id) {
    Result<Session*> s = live_session(id);
    return s.is_ok() ? Status::ok() : s.status();
  }

  Status end_session(SessionId id, SessionState to, std::string_view reason) {
    Session* s = find_session(id);
    if (s == nullptr)
      return Status::error(Code::kNotFound, "session " + std::to_string(id) + ": no such session");
    if (s->ended()) {
      return Status::error(Code::kClosed,
                           session_label(*s) + ": is " + session_state_name(s->state) + " already");
    }
    ++depth_;
    set_state(*s, to, reason);
    std::vector<Queue*> touched;
    std::vector<Consumer*> consumers = s->consumers;
    for (Consumer* c : consumers) {
      touched.push_back(c->queue);
      cancel_consumer(*c, /*notify=*/false);
    }
    return_unacked(
        *s, [](const Unacked&) { return true; }, touched);
    s->base_tag += s->unacked.size();
    s->unacked.clear();
    for (Queue* q : touched)
      dispatch(*q);
    --depth_;
    settle_calls();
    return Status::ok();
  }

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

  void release_session(SessionId id) {
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    assert(it->second->ended() && "Broker::release_session: close or kill the session first");
    sessions_.erase(it);
  }

  // ---------------------------------------------------------------- publish

  Status reject(const Session& s, MessageId id, std::string_view exchange, const Message& m,
                Status st) {
    (void)s;
    if (observed()) {
      Event e;
      e.kind = EventKind::kRejected;
      e.session = s.id;
      e.message = id;
      e.exchange = exchange;
      e.routing_key = m.routing_key;
      e.code = st.code();
      e.reason = st.message();
      emit(e);
    }
    return st;
  }

  // Collects the queues `x` routes `key` to into targets_ (each at most once).
  void route(const Exchange& x, std::string_view key) {
    if (&x == default_exchange_) {
      if (Queue* q = find_queue(key)) targets_.push_back(q);
      return;
    }
    switch (x.opt.kind) {
      case ExchangeKind::kDirect: {
        auto it = x.direct.find(key);
        if (it != x.direct.end()) {
          for (Queue* q : it->second)
            add_target(q);
        }
        break;
      }
      case ExchangeKind::kFanout:
        for (const Binding& b : x.bindings)
          add_target(b.queue);
        break;
      case ExchangeKind::kTopic:
        for (const Binding& b : x.bindings) {
          if (topic_matches(b.key, key)) add_target(b.queue);
        }
        break;
    }
  }
  void add_target(Queue* q) {
    if (std::find(targets_.begin(), targets_.end(), q) == targets_.end()) targets_.push_back(q);
  }

  Result<Published> publish(SessionId sid, std::string_view exchange, const Message& in) {
    Result<Session*> sr = live_session(sid);
    if (!sr.is_ok()) return sr.status();
    Session& s = *sr.value();
    const MessageId id = next_id_++;
    if (observed()) {
      Event e;
      e.kind = EventKind::kPublished;
      e.session = s.id;
      e.message = id;
      e.exchange = exchange;
      e.routing_key = in.routing_key;
      emit(e);
    }
    // 1. Size and format.
    if (in.body.size() > opt_.max_body_bytes) {
      return reject(s, id, exchange, in,
                    Status::error(Code::kTooLarge,
                                  "message " + std::to_string(id) + " rejected: body is " +
                                      std::to_string(in.body.size()) + " bytes, the limit is " +
                                      std::to_string(opt_.max_body_bytes)));
    }
    // Payload stores these lengths in 8 and 16 bits.
    if (in.content_type.size() > UINT8_MAX || in.routing_key.size() > UINT16_MAX) {
      const bool type = in.content_type.size() > UINT8_MAX;
      return reject(
          s, id, exchange, in,
          Status::error(Code::kInvalid,
                        "message " + std::to_string(id) +
                            " rejected: " + (type ? "content type" : "routing key") + " is " +
                            std::to_string(type ? in.content_type.size() : in.routing_key.size()) +
                            " bytes, the limit is " +
                            std::to_string(type ? UINT8_MAX : UINT16_MAX)));
    }
    for (const Header& h : in.headers) {
      if (h.name.size() > UINT16_MAX) {
        return reject(
            s, id, exchange, in,
            Status::error(Code::kInvalid,
                          "message " + std::to_string(id) + " rejected: a header name is " +
                              std::to_string(h.name.size()) + " bytes, the limit is 65535"));
      }
    }
    const Message* m = &in;
    Message translated;
    if (auto t = translators_.find(in.content_type); t != translators_.end()) {
      Result<std::string> body = t->second.fn(in);
      if (!body.is_ok()) {
        return reject(s, id, exchange, in, Status::error(Code::kInvalid, body.status().message()));
      }
      translated = in;
      translated.body = std::move(body).value();
      translated.content_type = t->second.to;
      m = &translated;
      if (observed()) {
        std::string how = in.content_type + " -> " + translated.content_type;
        Event e;
        e.kind = EventKind::kTranslated;
        e.session = s.id;
        e.message = id;
        e.exchange = exchange;
        e.routing_key = in.routing_key;
        e.reason = how;
        emit(e);
      }
    } else if (content_types_.find(in.content_type) == content_types_.end()) {
      return reject(s, id, exchange, in,
                    Status::error(Code::kUnknownFormat, "message " + std::to_string(id) +
                                                            " rejected: unknown content type " +
                                                            in_quotes(in.content_type)));
    }
    // 2. The exchange and its validators.
    Exchange* x = find_exchange(exchange);
    if (x == nullptr) {
      return reject(
          s, id, exchange, in,
          Status::error(Code::kNotFound, "message " + std::to_string(id) + " rejected: exchange " +
                                             in_quotes(exchange) + " not found"));
    }
    for (const Validator& v : x->validators) {
      Status st = v(*m);
      if (!st.is_ok()) return reject(s, id, exchange, in, std::move(st));
    }
    if (observed()) {
      Event e;
      e.kind = EventKind::kValidated;
      e.session = s.id;
      e.message = id;
      e.exchange = exchange;
      e.routing_key = m->routing_key;
      emit(e);
    }
    // 3. Route (to the alternate exchange when nothing matches).
    targets_.clear();
    route(*x, m->routing_key);
    const Exchange* via = x;
    for (int hops = 0; targets_.empty() && !via->opt.alternate_exchange.empty() && hops < 8;
         ++hops) {
      const Exchange* ae = find_exchange(via->opt.alternate_exchange);
      if (ae == nullptr) break;
      if (observed()) {
        Event e;
        e.kind = EventKind::kUnroutable;
        e.session = s.id;
        e.message = id;
        e.exchange = via->name;
        e.routing_key = m->routing_key;
        e.reason = ae->name;
        emit(e);
      }
      via = ae;
      route(*ae, m->routing_key);
    }
    if (targets_.empty()) {
      Status st = Status::error(Code::kUnroutable,
                                "message " + std::to_string(id) + " returned: exchange " +
                                    in_quotes(exchange) + " has no queue for routing key " +
                                    in_quotes(m->routing_key));
      if (observed()) {
        Event e;
        e.kind = EventKind::kUnroutable;
        e.session = s.id;
        e.message = id;
        e.exchange = exchange;
        e.routing_key = m->routing_key;
        e.reason = st.message();
        emit(e);
      }
      return reject(s, id, exchange, in, std::move(st));
    }
    // 4. Room in every queue, or nowhere.
    for (Queue* q : targets_) {
      if (q->opt.max_length != 0 && q->opt.overflow == Overflow::kRejectPublish &&
          q->ready.size() >= q->opt.max_length) {
        q->counters.rejected_full++;
        return reject(
            s, id, exchange, in,
            Status::error(Code::kFull, "message " + std::to_string(id) + " rejected: queue " +
                                           in_quotes(q->name) + " is full (max-length " +
                                           std::to_string(q->opt.max_length) +
                                           ", overflow reject-publish)"));
      }
    }
    if (observed()) {
      Event e;
      e.kind = EventKind::kRouted;
      e.session = s.id;
      e.message = id;
      e.exchange = exchange;
      e.routing_key = m->routing_key;
      e.count = static_cast<uint32_t>(targets_.size());
      emit(e);
    }
    // 5. Store.
    const Micros t = now();
    Payload::Fields f;
    f.id = id;
    f.body = m->body;
    f.content_type = m->content_type;
    f.routing_key = m->routing_key;
    f.headers = m->headers.empty() ? nullptr : &m->headers;
    f.persistent = m->persistent;
    f.expires_at = m->ttl ? t + std::max<Micros>(0, *m->ttl) : kNever;
    Payload* p = Payload::make(f);
    bool waits = false;
    ++depth_;
    std::vector<Queue*> targets;
    targets.swap(targets_);
    for (Queue* q : targets) {
      p->retain();
      waits |= enqueue(*q, p, 0, false);
    }
    p->release();
    // 6. Confirm: now, or when the batch holding it commits.
    Published out;
    out.id = id;
    out.seq = s.next_seq++;
    out.queues = static_cast<uint32_t>(targets.size());
    s.published++;
    // A confirm that needs no disk still waits behind the session's earlier
    // ones, so confirms always come in seq order.
    const bool behind = s.unconfirmed > 0;
    s.unconfirmed++;
    if (waits || behind) {
      pending_confirms_.push_back(PendingConfirm{s.id, out.seq, id, waits});
    } else {
      out.confirmed = true;
      confirm(s.id, out.seq, id);
    }
    for (Queue* q : targets)
      dispatch(*q);
    targets.clear();
    targets_.swap(targets);  // keep the capacity for the next publish
    --depth_;
    settle_calls();
    return out;
  }

  // Puts `p` (one reference adopted) at the tail of `q`; true when it was
  // written to the store.
  bool enqueue(Queue& q, Payload* p, uint32_t count, bool redelivered) {
    const Micros t = now();
    Micros deadline = p->expires_at();
    if (q.opt.message_ttl > 0) deadline = std::min(deadline, t + q.opt.message_ttl);
    if (q.opt.max_length != 0 && q.opt.overflow == Overflow::kDropHead) {
      while (q.ready.size() >= q.opt.max_length && !q.ready.empty()) {
        Entry head = q.ready.front();
        q.ready.pop_front();
        dead_letter(q, head, "maxlen");
      }
    }
    Entry e{p, deadline, count, redelivered};
    if (q.ready.empty() || q.ready.back().msg->id() < p->id()) {
      q.ready.push_back(e);
    } else {
      insert_in_order(q, e);
    }
    q.counters.enqueued++;
    bool written = false;
    if (persists(q, *p)) {
      store_->insert_message(q.key, PayloadRef(p), deadline, count);
      batch_inserts_.emplace_back(&q, p->id());
      note_write();
      written = true;
    }
    if (observed()) {
      Event ev = about(EventKind::kEnqueued, q, *p);
      ev.count = count;
      ev.redelivered = redelivered;
      emit(ev);
    }
    return written;
  }

  static void insert_in_order(Queue& q, const Entry& e) {
    auto it = std::lower_bound(q.ready.begin(), q.ready.end(), e.msg->id(),
                               [](const Entry& a, MessageId v) { return a.msg->id() < v; });
    q.ready.insert(it, e);
  }

  // An unacked entry comes back: to its place in the queue, or, at the
  // delivery limit, to the dead-letter exchange.
  void requeue(Queue& q, Entry e, std::string_view why) {
    e.redelivered = true;
    if (q.opt.delivery_limit != 0 && e.delivery_count >= q.opt.delivery_limit) {
      dead_letter(q, e, "delivery_limit");
      return;
    }
    insert_in_order(q, e);
    if (observed()) {
      Event ev = about(EventKind::kRequeued, q, *e.msg);
      ev.count = e.delivery_count;
      ev.redelivered = true;
      ev.reason = why;
      emit(ev);
    }
  }

  // Takes `e` (and its reference) out of `q` for good, to the dead-letter
  // exchange when there is one.
  void dead_letter(Queue& q, Entry e, std::string_view reason) {
    if (persists(q, *e.msg)) {
      store_->remove_message(q.key, e.msg->id());
      note_write();
    }
    Exchange* dlx =
        q.opt.dead_letter_exchange.empty() ? nullptr : find_exchange(q.opt.dead_letter_exchange);
    if (reason == "expired") {
      q.counters.expired++;
      if (observed()) {
        Event ev = about(EventKind::kExpired, q, *e.msg);
        ev.count = e.delivery_count;
        emit(ev);
      }
    }
    if (dlx == nullptr) {
      q.counters.dropped++;
      if (observed()) {
        Event ev = about(EventKind::kDropped, q, *e.msg);
        ev.reason = reason;
        ev.count = e.delivery_count;
        emit(ev);
      }
      e.msg->release();
      return;
    }
    // The dead letter keeps its body and says where it came from and why.
    std::vector<Header> headers = e.msg->headers();
    headers.push_back(Header{"x-death-reason", std::string(reason)});
    headers.push_back(Header{"x-death-queue", q.name});
    headers.push_back(Header{"x-delivery-count", std::to_string(e.delivery_count)});
    const std::string key = q.opt.dead_letter_routing_key.empty()
                                ? std::string(e.msg->routing_key())
                                : q.opt.dead_letter_routing_key;
    // A dead letter is a new message (a new id, at the tail of its queue):
    // the same message may die in several queues that share one dead-letter
    // queue. x-original-id links it to the message it was.
    headers.push_back(Header{"x-original-id", std::to_string(e.msg->id())});
    Payload::Fields f;
    f.id = next_id_++;
    f.body = e.msg->body();
    f.content_type = e.msg->content_type();
    f.routing_key = key;
    f.headers = &headers;
    f.persistent = e.msg->persistent();
    f.expires_at = kNever;
    Payload* p = Payload::make(f);
    q.counters.dead_lettered++;
    if (observed()) {
      Event ev;
      ev.kind = EventKind::kDeadLettered;
      ev.message = e.msg->id();
      ev.seq = p->id();  // the dead letter's own id
      ev.queue = q.name;
      ev.exchange = dlx->name;
      ev.routing_key = key;
      ev.reason = reason;
      ev.count = e.delivery_count;
      ev.payload = p;
      emit(ev);
    }
    e.msg->release();
    std::vector<Queue*> saved;
    saved.swap(targets_);
    targets_.clear();
    route(*dlx, key);
    std::vector<Queue*> dl_targets;
    dl_targets.swap(targets_);
    targets_.swap(saved);
    for (Queue* t : dl_targets) {
      if (t == &q) continue;  // a queue is never its own dead-letter target
      p->retain();
      enqueue(*t, p, 0, false);
      dl_dirty_.push_back(t);
    }
    p->release();
  }

  // Expires what is due at the head of `q`.
  void expire_head(Queue& q) {
    const Micros t = now();
    while (!q.ready.empty() && q.ready.front().expires_at <= t) {
      Entry e = q.ready.front();
      q.ready.pop_front();
      dead_letter(q, e, "expired");
    }
  }

  // ---------------------------------------------------------------- deliver

  Consumer* next_consumer(Queue& q) {
    const size_t n = q.consumers.size();
    for (size_t i = 0; i < n; ++i) {
      Consumer* c = q.consumers[(q.next_consumer + i) % n];
      if (c->has_credit() && c->session->alive()) {
        q.next_consumer = (q.next_consumer + i + 1) % n;
        return c;
      }
    }
    return nullptr;
  }

  // Hands ready messages of `q` to consumers with credit. Re-entrant calls
  // (a sink acking from on_delivery) are queued and served by the outermost.
  void dispatch(Queue& q) {
    if (!delivering_) return;
    if (dispatching_) {
      if (std::find(dirty_.begin(), dirty_.end(), &q) == dirty_.end()) dirty_.push_back(&q);
      return;
    }
    dispatching_ = true;
    dispatch_one(q);
    while (!dirty_.empty() || !dl_dirty_.empty()) {
      if (dirty_.empty()) dirty_.swap(dl_dirty_);
      Queue* next = dirty_.back();
      dirty_.pop_back();
      if (!next->deleted) dispatch_one(*next);
    }
    dispatching_ = false;
  }

  void dispatch_one(Queue& q) {
    while (!q.ready.empty() && !q.deleted) {
      Consumer* c = next_consumer(q);
      if (c == nullptr) return;
      Entry e = q.ready.front();
      if (e.expires_at <= now()) {
        q.ready.pop_front();
        dead_letter(q, e, "expired");
        continue;
      }
      q.ready.pop_front();
      deliver(q, *c, e);
    }
  }

  void deliver(Queue& q, Consumer& c, Entry e) {
    Session& s = *c.session;
    e.delivery_count++;
    const DeliveryTag tag = s.base_tag + s.unacked.size();
    q.counters.delivered++;
    if (e.redelivered) q.counters.redelivered++;
    Delivery d;
    d.consumer = c.id;
    d.tag = tag;
    d.queue = q.name;
    d.message = e.msg;
    d.delivery_count = e.delivery_count;
    d.redelivered = e.redelivered;
    if (observed()) {
      Event ev = about(EventKind::kDelivered, q, *e.msg);
      ev.session = s.id;
      ev.consumer = c.id;
      ev.seq = tag;
      ev.count = e.delivery_count;
      ev.redelivered = e.redelivered;
      emit(ev);
    }
    const bool persisted = persists(q, *e.msg);
    if (c.auto_ack) {
      // Settled as it leaves: the slot is a hole from the start.
      s.unacked.push_back(Unacked{e, &q, nullptr, false});
      q.counters.acked++;
      if (persisted) {
        store_->remove_message(q.key, e.msg->id());
        note_write();
      }
      if (observed()) {
        Event ev = about(EventKind::kAcked, q, *e.msg);
        ev.session = s.id;
        ev.consumer = c.id;
        ev.seq = tag;
        ev.count = e.delivery_count;
        ev.reason = "auto";
        emit(ev);
      }
      Payload* keep = e.msg;
      if (s.sink != nullptr) s.sink->on_delivery(d);
      keep->release();
      compact(s);
    } else {
      if (persisted) {
        store_->set_delivery_count(q.key, e.msg->id(), e.delivery_count);
        note_write();
      }
      s.unacked.push_back(Unacked{e, &q, &c, true});
      s.unacked_live++;
      c.unacked++;
      q.unacked++;
      if (s.sink != nullptr) s.sink->on_delivery(d);
    }
  }

  // Drops settled slots from the front of the session's unacked window.
  static void compact(Session& s) {
    while (!s.unacked.empty() && !s.unacked.front().live) {
      s.unacked.pop_front();
      s.base_tag++;
    }
  }

  Result<Unacked*> find_unacked(Session& s, DeliveryTag tag) {
    if (tag < s.base_tag || tag >= s.base_tag + s.unacked.size() ||
        !s.unacked[tag - s.base_tag].live) {
      const bool issued = tag >= 1 && tag < s.base_tag + s.unacked.size();
      return Status::error(Code::kUnknownTag,
                           session_label(s) + ": delivery tag " + std::to_string(tag) +
                               (issued ? " was already settled" : " was never issued"));
    }
    return &s.unacked[tag - s.base_tag];
  }

  Status ack(SessionId sid, DeliveryTag tag) {
    Result<Session*> sr = live_session(sid);
    if (!sr.is_ok()) return sr.status();
    Session& s = *sr.value();
    Result<Unacked*> ur = find_unacked(s, tag);
    if (!ur.is_ok()) return ur.status();
    Unacked& u = *ur.value();
    Queue& q = *u.queue;
    u.live = false;
    s.unacked_live--;
    q.unacked--;
    q.counters.acked++;
    Consumer* c = u.consumer;
    c->unacked--;
    if (persists(q, *u.entry.msg)) {
      store_->remove_message(q.key, u.entry.msg->id());
      note_write();
    }
    if (observed()) {
      Event ev = about(EventKind::kAcked, q, *u.entry.msg);
      ev.session = s.id;
      ev.consumer = c->id;
      ev.seq = tag;
      ev.count = u.entry.delivery_count;
      emit(ev);
    }
    u.entry.msg->release();
    compact(s);
    ++depth_;
    dispatch(q);
    --depth_;
    settle_calls();
    return Status::ok();
  }

  Status nack(SessionId sid, DeliveryTag tag, bool requeue_it) {
    Result<Session*> sr = live_session(sid);
    if (!sr.is_ok()) return sr.status();
    Session& s = *sr.value();
    Result<Unacked*> ur = find_unacked(s, tag);
    if (!ur.is_ok()) return ur.status();
    Unacked& u = *ur.value();
    Queue& q = *u.queue;
    Entry e = u.entry;
    u.live = false;
    s.unacked_live--;
    q.unacked--;
    u.consumer->unacked--;
    if (observed()) {
      Event ev = about(EventKind::kNacked, q, *e.msg);
      ev.session = s.id;
      ev.consumer = u.consumer->id;
      ev.seq = tag;
      ev.count = e.delivery_count;
      ev.redelivered = requeue_it;
      emit(ev);
    }
    compact(s);
    ++depth_;
    if (requeue_it) {
      requeue(q, e, "nacked");
    } else {
      dead_letter(q, e, "rejected");
    }
    dispatch(q);
    --depth_;
    settle_calls();
    return Status::ok();
  }

  // --------------------------------------------------------------- consumers

  Result<ConsumerId> subscribe(SessionId sid, std::string_view queue, ConsumeOptions o) {
    Result<Session*> sr = live_session(sid);
    if (!sr.is_ok()) return sr.status();
    Queue* q = find_queue(queue);
    if (q == nullptr) return no_queue(queue);
    Session& s = *sr.value();
    auto c = std::make_unique<Consumer>();
    c->id = next_consumer_++;
    c->session = &s;
    c->queue = q;
    c->prefetch = o.prefetch;
    c->auto_ack = o.auto_ack;
    Consumer* raw = c.get();
    consumers_.emplace(raw->id, std::move(c));
    q->consumers.push_back(raw);
    s.consumers.push_back(raw);
    if (observed()) {
      Event e;
      e.kind = EventKind::kConsumerAdded;
      e.session = s.id;
      e.consumer = raw->id;
      e.queue = q->name;
      e.count = o.prefetch;
      emit(e);
    }
    ++depth_;
    dispatch(*q);
    --depth_;
    settle_calls();
    return raw->id;
  }

  Status cancel(SessionId sid, ConsumerId cid) {
    Result<Session*> sr = live_session(sid);
    if (!sr.is_ok()) return sr.status();
    auto it = consumers_.find(cid);
    if (it == consumers_.end() || it->second->session != sr.value()) {
      return Status::error(Code::kNotFound,
                           session_label(*sr.value()) + ": no consumer " + std::to_string(cid));
    }
    Queue* q = it->second->queue;
    ++depth_;
    Consumer* c = it->second.get();
    std::vector<Queue*> touched;
    return_unacked(
        *sr.value(), [c](const Unacked& u) { return u.consumer == c; }, touched);
    cancel_consumer(*c, /*notify=*/false);
    dispatch(*q);
    --depth_;
    settle_calls();
    return Status::ok();
  }

  // Removes a consumer; the caller has returned (or will return) its unacked.
  void cancel_consumer(Consumer& c, bool notify) {
    Queue& q = *c.queue;
    Session& s = *c.session;
    if (notify) {
      std::vector<Queue*> touched;
      return_unacked(
          s, [&c](const Unacked& u) { return u.consumer == &c; }, touched);
    }
    for (Unacked& u : s.unacked) {
      if (u.consumer == &c) u.consumer = nullptr;
    }
    std::erase(q.consumers, &c);
    if (q.next_consumer >= q.consumers.size()) q.next_consumer = 0;
    std::erase(s.consumers, &c);
    const ConsumerId id = c.id;
    if (observed()) {
      Event e;
      e.kind = EventKind::kConsumerCancelled;
      e.session = s.id;
      e.consumer = id;
      e.queue = q.name;
      emit(e);
    }
    SessionSink* sink = s.sink;
    const bool tell = notify && s.alive() && sink != nullptr;
    consumers_.erase(id);
    if (tell) notices_.push_back(Notice{sink, false, SessionState::kClosed, id});
  }

  // ------------------------------------------------------------------- time

  void tick() {
    const Micros t = now();
    ++depth_;
    for (auto& [id, s] : sessions_) {
      if (!s->alive()) continue;
      const Micros silent = t - s->last_seen;
      if (s->opt.dead_after > 0 && silent >= s->opt.dead_after) {
        dying_.push_back(id);
      } else if (s->opt.suspect_after > 0 && silent >= s->opt.suspect_after &&
                 s->state == SessionState::kActive) {
        set_state(*s, SessionState::kSuspected, "missed heartbeats");
      }
    }
    std::vector<SessionId> dying;
    dying.swap(dying_);
    std::sort(dying.begin(), dying.end());  // deterministic order
    for (SessionId id : dying) {
      (void)end_session(id, SessionState::kDead, "no heartbeat within the dead timeout");
    }
    std::vector<Queue*> qs;
    for (auto& [name, q] : queues_)
      qs.push_back(q.get());
    std::sort(qs.begin(), qs.end(), [](const Queue* a, const Queue* b) { return a->key < b->key; });
    for (Queue* q : qs) {
      if (q->deleted) continue;
      expire_head(*q);
      dispatch(*q);
    }
    --depth_;
    if (store_ != nullptr && batch_opened_at_ >= 0 && t >= batch_opened_at_ + opt_.commit_window) {
      (void)flush();
    }
    settle_calls();
  }

  Micros next_deadline() const {
    Micros next = kNever;
    for (const auto& [id, s] : sessions_) {
      if (!s->alive()) continue;
      if (s->opt.suspect_after > 0 && s->state == SessionState::kActive) {
        next = std::min(next, s->last_seen + s->opt.suspect_after);
      }
      if (s->opt.dead_after > 0) next = std::min(next, s->last_seen + s->opt.dead_after);
    }
    for (const auto& [name, q] : queues_) {
      // Head expiry is due now when it has passed; otherwise at its deadline.
      if (!q->ready.empty()) next = std::min(next, q->ready.front().expires_at);
    }
    if (store_ != nullptr && batch_opened_at_ >= 0)
      next = std::min(next, batch_opened_at_ + opt_.commit_window);
    return next;
  }

  // Work left for the end of the outermost call: a batch that reached its
  // size cap, state changes and cancellations told to their sinks (only now,
  // with the broker consistent, so a sink may call back in freely), queues
  // freed after their deletion.
  void settle_calls() {
    if (depth_ > 0) return;
    maybe_commit();
    while (!notices_.empty()) {
      std::vector<Notice> batch;
      batch.swap(notices_);
      for (const Notice& n : batch) {
        if (n.state_change) {
          n.sink->on_state(n.state);
        } else {
          n.sink->on_cancel(n.consumer);
        }
      }
    }
    graveyard_.clear();
  }

  // --------------------------------------------------------------- snapshot

  BrokerSnapshot snapshot() const {
    BrokerSnapshot snap;
    snap.now = now();
    for (const auto& [name, x] : exchanges_) {
      snap.exchanges.push_back(ExchangeSnapshot{x->name, x->opt});
      for (const Binding& b : x->bindings)
        snap.bindings.push_back(BindingSnapshot{x->name, b.queue->name, b.key});
    }
    std::sort(snap.exchanges.begin(), snap.exchanges.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    std::sort(snap.bindings.begin(), snap.bindings.end(), [](const auto& a, const auto& b) {
      return std::tie(a.exchange, a.queue, a.key) < std::tie(b.exchange, b.queue, b.key);
    });
    for (const auto& [name, q] : queues_) {
      QueueSnapshot qs;
      qs.name = q->name;
      qs.options = q->opt;
      qs.ready = q->ready.size();
      qs.unacked = q->unacked;
      qs.consumers = static_cast<uint32_t>(q->consumers.size());
      qs.counters = q->counters;
      snap.queues.push_back(std::move(qs));
    }
    std::sort(snap.queues.begin(), snap.queues.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& [id, c] : consumers_) {
      snap.consumers.push_back(ConsumerSnapshot{c->id, c->session->id, c->queue->name, c->prefetch,
                                                c->unacked, c->auto_ack});
    }
    std::sort(snap.consumers.begin(), snap.consumers.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    for (const auto& [id, s] : sessions_) {
      snap.sessions.push_back(SessionSnapshot{s->id, s->opt.name, s->state, s->last_seen,
                                              s->unacked_live, s->published, s->unconfirmed});
    }
    std::sort(snap.sessions.begin(), snap.sessions.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    if (store_ != nullptr) {
      StoreStats st = store_->stats();
      snap.store.attached = true;
      snap.store.path = store_->path();
      snap.store.pending_writes = store_->pending();
      snap.store.commits = st.commits;
      snap.store.failed_commits = st.failed_commits;
      snap.store.file_bytes = st.file_bytes;
      snap.store.last_commit_at = last_commit_at_;
    }
    return snap;
  }

  std::vector<QueuedMessage> peek(std::string_view name, size_t offset, size_t limit) const {
    std::vector<QueuedMessage> out;
    auto it = queues_.find(name);
    if (it == queues_.end()) return out;
    const Queue& q = *it->second;
    size_t pos = 0;
    for (const Entry& e : q.ready) {
      if (out.size() >= limit) return out;
      if (pos++ < offset) continue;
      out.push_back(QueuedMessage{e.msg->id(), std::string(e.msg->routing_key()), e.delivery_count,
                                  e.redelivered, false, 0, e.expires_at});
    }
    std::vector<std::pair<SessionId, const Unacked*>> held;
    for (const auto& [sid, s] : sessions_) {
      for (const Unacked& u : s->unacked) {
        if (u.live && u.queue == &q) held.emplace_back(sid, &u);
      }
    }
    std::sort(held.begin(), held.end(), [](const auto& a, const auto& b) {
      return a.second->entry.msg->id() < b.second->entry.msg->id();
    });
    for (const auto& [sid, u] : held) {
      if (out.size() >= limit) return out;
      if (pos++ < offset) continue;
      out.push_back(QueuedMessage{u->entry.msg->id(), std::string(u->entry.msg->routing_key()),
                                  u->entry.delivery_count, u->entry.redelivered, true, sid,
                                  u->entry.expires_at});
    }
    return out;
  }

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
  std::vector<PendingConfirm> pending_confirms_;             // publishes waiting for the batch
  std::vector<std::pair<Queue*, MessageId>> batch_inserts_;  // messages the batch writes
  Micros batch_opened_at_ = -1;                              // first write of the batch; -1 = none
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
  int depth_ = 0;           // broker calls on the stack (a sink may call back in)
};

// ------------------------------------------------------------------ facade

namespace {

// Marks one public call: work deferred to its end (commits at the size cap,
// sink notices, freeing deleted queues) runs when the outermost call returns.
class CallScope {
 public:
  explicit CallScope(Broker::Impl& impl) : impl_(impl) { ++impl_.depth_; }
  ~CallScope() {
    --impl_.depth_;
    impl_.settle_calls();
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  Broker::Impl& impl_;
};

}  // namespace

Broker::Broker(Clock& clock, BrokerOptions options)
    : impl_(std::make_unique<Impl>(clock, std::move(options))) {}
Broker::~Broker() = default;

Status Broker::attach_store(std::unique_ptr<Store> store) {
  CallScope call(*impl_);
  return impl_->attach_store(std::move(store));
}
Status Broker::flush() {
  CallScope call(*impl_);
  return impl_->flush();
}
void Broker::stop_delivering() {
  impl_->delivering_ = false;
}

Status Broker::close() {
  CallScope call(*impl_);
  Status st = impl_->flush();
  impl_->delivering_ = false;
  std::vector<SessionId> ids;
  for (const auto& [id, s] : impl_->sessions_) {
    if (!s->ended()) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  for (SessionId id : ids)
    (void)impl_->end_session(id, SessionState::kClosed, "broker shut down");
  Status st2 = impl_->flush();
  return st.is_ok() ? st2 : st;
}
void Broker::set_commit_window(Micros window) {
  impl_->opt_.commit_window = window;
}

void Broker::register_content_type(std::string content_type) {
  impl_->content_types_.emplace(std::move(content_type), true);
}
void Broker::register_translator(Translator t) {
  assert(t.fn && "Broker::register_translator: the translator has no function");
  assert(t.to.size() <= UINT8_MAX && "Broker::register_translator: content type over 255 bytes");
  impl_->content_types_.emplace(t.to, true);
  std::string from = t.from;
  impl_->translators_.insert_or_assign(std::move(from), std::move(t));
}

Status Broker::declare_exchange(std::string_view name, ExchangeOptions options) {
  CallScope call(*impl_);
  return impl_->declare_exchange(name, std::move(options));
}
Status Broker::add_validator(std::string_view exchange, Validator validator) {
  CallScope call(*impl_);
  return impl_->add_validator(exchange, std::move(validator));
}
Status Broker::declare_queue(std::string_view name, QueueOptions options) {
  CallScope call(*impl_);
  return impl_->declare_queue(name, std::move(options));
}
Status Broker::update_queue(std::string_view name, QueueOptions options) {
  CallScope call(*impl_);
  return impl_->update_queue(name, std::move(options));
}
Status Broker::delete_queue(std::string_view name) {
  CallScope call(*impl_);
  return impl_->delete_queue(name);
}
Status Broker::bind(std::string_view queue, std::string_view exchange, std::string_view key) {
  CallScope call(*impl_);
  return impl_->bind(queue, exchange, key);
}
Status Broker::unbind(std::string_view queue, std::string_view exchange, std::string_view key) {
  CallScope call(*impl_);
  return impl_->unbind(queue, exchange, key);
}
bool Broker::has_queue(std::string_view name) const {
  return impl_->queues_.find(name) != impl_->queues_.end();
}
bool Broker::has_exchange(std::string_view name) const {
  return impl_->exchanges_.find(name) != impl_->exchanges_.end();
}

SessionId Broker::open_session(SessionOptions options, SessionSink* sink) {
  CallScope call(*impl_);
  return impl_->open_session(std::move(options), sink);
}
Status Broker::connected(SessionId session) {
  CallScope call(*impl_);
  return impl_->connected(session);
}
Status Broker::heartbeat(SessionId session) {
  CallScope call(*impl_);
  return impl_->heartbeat(session);
}
Status Broker::close_session(SessionId session) {
  CallScope call(*impl_);
  return impl_->end_session(session, SessionState::kClosed, "closed by the client");
}
Status Broker::kill_session(SessionId session, std::string_view reason) {
  CallScope call(*impl_);
  return impl_->end_session(session, SessionState::kDead, reason);
}
void Broker::release_session(SessionId session) {
  CallScope call(*impl_);
  impl_->release_session(session);
}
SessionState Broker::session_state(SessionId session) const {
  auto it = impl_->sessions_.find(session);
  assert(it != impl_->sessions_.end() && "Broker::session_state: unknown session id");
  return it->second->state;
}

Result<Published> Broker::publish(SessionId session, std::string_view exchange,
                                  const Message& message) {
  CallScope call(*impl_);
  return impl_->publish(session, exchange, message);
}
Result<ConsumerId> Broker::subscribe(SessionId session, std::string_view queue,
                                     ConsumeOptions options) {
  CallScope call(*impl_);
  return impl_->subscribe(session, queue, options);
}
Status Broker::cancel(SessionId session, ConsumerId consumer) {
  CallScope call(*impl_);
  return impl_->cancel(session, consumer);
}
Status Broker::ack(SessionId session, DeliveryTag tag) {
  CallScope call(*impl_);
  return impl_->ack(session, tag);
}
Status Broker::nack(SessionId session, DeliveryTag tag, bool requeue) {
  CallScope call(*impl_);
  return impl_->nack(session, tag, requeue);
}

void Broker::tick() {
  CallScope call(*impl_);
  impl_->tick();
}
Micros Broker::next_deadline() const {
  return impl_->next_deadline();
}

void Broker::add_listener(EventListener* listener) {
  assert(listener != nullptr && "Broker::add_listener: the listener is null");
  impl_->listeners_.push_back(listener);
}
void Broker::remove_listener(EventListener* listener) {
  std::erase(impl_->listeners_, listener);
}
BrokerSnapshot Broker::snapshot() const {
  return impl_->snapshot();
}
std::vector<QueuedMessage> Broker::peek(std::string_view queue, size_t offset, size_t limit) const {
  return impl_->peek(queue, offset, limit);
}
const BrokerOptions& Broker::options() const {
  return impl_->opt_;
}
Clock& Broker::clock() const {
  return impl_->clock_;
}

}  // namespace wmq
