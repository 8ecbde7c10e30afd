// Broker::Impl, delivery: a message in a queue until it is gone. Enqueue,
// dispatch to consumers with credit, ack and nack, requeue in id order, expiry
// and dead letters.
#include <algorithm>
#include <string>
#include <vector>

#include "broker_impl.h"

namespace wmq {

bool Broker::Impl::enqueue(Queue& q, Payload* p, uint32_t count, bool redelivered) {
  const Micros t = now();
  Micros deadline = p->expires_at();
  if (q.opt.message_ttl > 0) deadline = std::min(deadline, t + q.opt.message_ttl);
  if (q.opt.max_length != 0 && q.opt.overflow == Overflow::kDropHead) {
    while (q.ready.size() >= q.opt.max_length && !q.ready.empty()) {
      Entry head = q.ready.front();
      q.ready.pop_front();
      dead_letter(q, head, DropReason::kMaxLength);
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
    batch_inserts_.emplace_back(q.key, p->id());
    note_write();
    written = true;
  }
  emit_about(EventKind::kEnqueued, q, *p, [&](Event& ev) {
    ev.count = count;
    ev.redelivered = redelivered;
  });
  return written;
}

inline void Broker::Impl::insert_in_order(Queue& q, const Entry& e) {
  auto it = std::lower_bound(q.ready.begin(), q.ready.end(), e.msg->id(),
                             [](const Entry& a, MessageId v) { return a.msg->id() < v; });
  q.ready.insert(it, e);
}

// An unacked entry comes back: to its place in the queue, or, at the
// delivery limit, to the dead-letter exchange.
void Broker::Impl::requeue(Queue& q, Entry e, std::string_view why) {
  e.redelivered = true;
  if (q.opt.delivery_limit != 0 && e.delivery_count >= q.opt.delivery_limit) {
    dead_letter(q, e, DropReason::kDeliveryLimit);
    return;
  }
  insert_in_order(q, e);
  emit_about(EventKind::kRequeued, q, *e.msg, [&](Event& ev) {
    ev.count = e.delivery_count;
    ev.redelivered = true;
    ev.reason = why;
  });
}

// Takes `e` (and its reference) out of `q` for good, to the dead-letter
// exchange when there is one.
void Broker::Impl::dead_letter(Queue& q, Entry e, DropReason reason) {
  if (persists(q, *e.msg)) {
    store_->remove_message(q.key, e.msg->id());
    note_write();
  }
  const char* why = drop_reason_name(reason);
  Exchange* dlx =
      q.opt.dead_letter_exchange.empty() ? nullptr : find_exchange(q.opt.dead_letter_exchange);
  if (reason == DropReason::kExpired) {
    q.counters.expired++;
    emit_about(EventKind::kExpired, q, *e.msg, [&](Event& ev) { ev.count = e.delivery_count; });
  }
  if (dlx == nullptr) {
    q.counters.dropped++;
    emit_about(EventKind::kDropped, q, *e.msg, [&](Event& ev) {
      ev.drop = reason;
      ev.reason = why;
      ev.count = e.delivery_count;
    });
    e.msg->release();
    return;
  }
  // The dead letter keeps its body and says where it came from and why.
  std::vector<Header> headers = e.msg->headers();
  headers.push_back(Header{"x-death-reason", why});
  headers.push_back(Header{"x-death-queue", q.name});
  headers.push_back(Header{"x-delivery-count", std::to_string(e.delivery_count)});
  const std::string key = q.opt.dead_letter_routing_key.empty() ? std::string(e.msg->routing_key())
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
  emit(EventKind::kDeadLettered, [&](Event& ev) {
    ev.message = e.msg->id();
    ev.seq = p->id();  // the dead letter's own id
    ev.queue = q.name;
    ev.exchange = dlx->name;
    ev.routing_key = key;
    ev.drop = reason;
    ev.reason = why;
    ev.count = e.delivery_count;
    ev.payload = p;
  });
  e.msg->release();
  std::vector<Queue*> saved;
  saved.swap(targets_);
  targets_.clear();
  collect_targets(*dlx, key);
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
void Broker::Impl::expire_head(Queue& q) {
  const Micros t = now();
  while (!q.ready.empty() && q.ready.front().expires_at <= t) {
    Entry e = q.ready.front();
    q.ready.pop_front();
    dead_letter(q, e, DropReason::kExpired);
  }
}

inline Consumer* Broker::Impl::next_consumer(Queue& q) {
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
void Broker::Impl::dispatch(Queue& q) {
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

inline void Broker::Impl::dispatch_one(Queue& q) {
  while (!q.ready.empty() && !q.deleted) {
    Consumer* c = next_consumer(q);
    if (c == nullptr) return;
    Entry e = q.ready.front();
    if (e.expires_at <= now()) {
      q.ready.pop_front();
      dead_letter(q, e, DropReason::kExpired);
      continue;
    }
    q.ready.pop_front();
    deliver(q, *c, e);
  }
}

inline void Broker::Impl::deliver(Queue& q, Consumer& c, Entry e) {
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
  emit_about(EventKind::kDelivered, q, *e.msg, [&](Event& ev) {
    ev.session = s.id;
    ev.consumer = c.id;
    ev.seq = tag;
    ev.count = e.delivery_count;
    ev.redelivered = e.redelivered;
  });
  const bool persisted = persists(q, *e.msg);
  if (c.auto_ack) {
    // Settled as it leaves: the slot is a hole from the start.
    s.unacked.push_back(Unacked{e, &q, nullptr, false});
    q.counters.acked++;
    if (persisted) {
      store_->remove_message(q.key, e.msg->id());
      note_write();
    }
    emit_about(EventKind::kAcked, q, *e.msg, [&](Event& ev) {
      ev.session = s.id;
      ev.consumer = c.id;
      ev.seq = tag;
      ev.count = e.delivery_count;
      ev.reason = "auto";
    });
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
inline void Broker::Impl::compact(Session& s) {
  while (!s.unacked.empty() && !s.unacked.front().live) {
    s.unacked.pop_front();
    s.base_tag++;
  }
}

inline Result<Unacked*> Broker::Impl::find_unacked(Session& s, DeliveryTag tag) {
  if (tag < s.base_tag || tag >= s.base_tag + s.unacked.size() ||
      !s.unacked[tag - s.base_tag].live) {
    const bool issued = tag >= 1 && tag < s.base_tag + s.unacked.size();
    return Status::error(Code::kUnknownTag,
                         session_label(s) + ": delivery tag " + std::to_string(tag) +
                             (issued ? " was already settled" : " was never issued"));
  }
  return &s.unacked[tag - s.base_tag];
}

inline void Broker::Impl::settle(Session& s, Unacked& u) {
  u.live = false;
  s.unacked_live--;
  u.queue->unacked--;
  u.consumer->unacked--;
}

inline Result<Broker::Impl::Held> Broker::Impl::held(SessionId sid, DeliveryTag tag) {
  Result<Session*> sr = live_session(sid);
  if (!sr.is_ok()) return sr.status();
  Result<Unacked*> ur = find_unacked(*sr.value(), tag);
  if (!ur.is_ok()) return ur.status();
  return Held{sr.value(), ur.value()};
}

Status Broker::Impl::ack(SessionId sid, DeliveryTag tag) {
  Result<Held> h = held(sid, tag);
  if (!h.is_ok()) return h.status();
  Session& s = *h.value().session;
  Unacked& u = *h.value().unacked;
  Queue& q = *u.queue;
  settle(s, u);
  q.counters.acked++;
  if (persists(q, *u.entry.msg)) {
    store_->remove_message(q.key, u.entry.msg->id());
    note_write();
  }
  emit_about(EventKind::kAcked, q, *u.entry.msg, [&](Event& ev) {
    ev.session = s.id;
    ev.consumer = u.consumer->id;
    ev.seq = tag;
    ev.count = u.entry.delivery_count;
  });
  u.entry.msg->release();
  compact(s);
  dispatch(q);
  return Status::ok();
}

Status Broker::Impl::nack(SessionId sid, DeliveryTag tag, bool requeue_it) {
  Result<Held> h = held(sid, tag);
  if (!h.is_ok()) return h.status();
  Session& s = *h.value().session;
  Unacked& u = *h.value().unacked;
  Queue& q = *u.queue;
  Entry e = u.entry;
  settle(s, u);
  emit_about(EventKind::kNacked, q, *e.msg, [&](Event& ev) {
    ev.session = s.id;
    ev.consumer = u.consumer->id;
    ev.seq = tag;
    ev.count = e.delivery_count;
    ev.redelivered = requeue_it;
  });
  compact(s);
  if (requeue_it) {
    requeue(q, e, "nacked");
  } else {
    dead_letter(q, e, DropReason::kRejected);
  }
  dispatch(q);
  return Status::ok();
}

}  // namespace wmq
