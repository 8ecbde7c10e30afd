// Broker::Impl, publishing: the pipeline of broker.h, one step per function
// (size, translate, validate, route, admit, store, confirm), each told to the
// listeners as it passes.
#include <algorithm>
#include <string>
#include <vector>

#include "broker/routing.h"
#include "broker_impl.h"

namespace wmq {

namespace {

// Alternate exchanges may point at each other in a ring (a -> b -> a); a
// message that matches nothing follows at most this many of them and is then
// returned to its publisher as unroutable.
constexpr int kMaxAlternateHops = 8;

std::string message_label(MessageId id) {
  return "message " + std::to_string(id);
}

}  // namespace

Result<Published> Broker::Impl::publish(SessionId sid, std::string_view exchange,
                                        const Message& in) {
  Result<Session*> sr = live_session(sid);
  if (!sr.is_ok()) return sr.status();
  InFlight p{*sr.value(), next_id_++, exchange, in, &in, std::nullopt, nullptr};
  emit(EventKind::kPublished, [&](Event& e) {
    e.session = p.session.id;
    e.message = p.id;
    e.exchange = exchange;
    e.routing_key = in.routing_key;
  });
  if (Status st = check_size(p); !st.is_ok()) return reject(p, std::move(st));
  if (Status st = translate(p); !st.is_ok()) return reject(p, std::move(st));
  if (Status st = validate(p); !st.is_ok()) return reject(p, std::move(st));
  if (Status st = route(p); !st.is_ok()) return reject(p, std::move(st));
  if (Status st = admit(p); !st.is_ok()) return reject(p, std::move(st));
  // The routed queues leave the scratch list: storing may route dead letters.
  std::vector<Queue*> targets;
  targets.swap(targets_);
  const bool waits = store(p, targets);
  Published out = confirm(p, waits, static_cast<uint32_t>(targets.size()));
  for (Queue* q : targets)
    dispatch(*q);
  targets.clear();
  targets_.swap(targets);  // keep the capacity for the next publish
  return out;
}

Status Broker::Impl::reject(const InFlight& p, Status st) {
  emit(EventKind::kRejected, [&](Event& e) {
    e.session = p.session.id;
    e.message = p.id;
    e.exchange = p.exchange;
    e.routing_key = p.in.routing_key;
    e.code = st.code();
    e.reason = st.message();
  });
  return st;
}

// 1. Size: the body against the broker's limit, and the lengths Payload
// keeps in 8 and 16 bits.
inline Status Broker::Impl::check_size(const InFlight& p) const {
  const Message& in = p.in;
  if (in.body.size() > opt_.max_body_bytes) {
    return Status::error(Code::kTooLarge, message_label(p.id) + " rejected: body is " +
                                              std::to_string(in.body.size()) +
                                              " bytes, the limit is " +
                                              std::to_string(opt_.max_body_bytes));
  }
  if (in.content_type.size() > UINT8_MAX || in.routing_key.size() > UINT16_MAX) {
    const bool type = in.content_type.size() > UINT8_MAX;
    return Status::error(
        Code::kInvalid,
        message_label(p.id) + " rejected: " + (type ? "content type" : "routing key") + " is " +
            std::to_string(type ? in.content_type.size() : in.routing_key.size()) +
            " bytes, the limit is " + std::to_string(type ? UINT8_MAX : UINT16_MAX));
  }
  for (const Header& h : in.headers) {
    if (h.name.size() > UINT16_MAX) {
      return Status::error(Code::kInvalid, message_label(p.id) + " rejected: a header name is " +
                                               std::to_string(h.name.size()) +
                                               " bytes, the limit is 65535");
    }
  }
  return Status::ok();
}

// 2. Translate: through the translator of its content type, or as is when
// the type is known.
inline Status Broker::Impl::translate(InFlight& p) {
  const Message& in = p.in;
  auto t = translators_.find(in.content_type);
  if (t == translators_.end()) {
    if (content_types_.find(in.content_type) != content_types_.end()) return Status::ok();
    return Status::error(
        Code::kUnknownFormat,
        message_label(p.id) + " rejected: unknown content type " + in_quotes(in.content_type));
  }
  Result<std::string> body = t->second.fn(in);
  if (!body.is_ok()) return Status::error(Code::kInvalid, body.status().message());
  Message& out = p.translated.emplace(in);
  out.body = std::move(body).value();
  out.content_type = t->second.to;
  p.m = &out;
  std::string how;  // outlives the event
  emit(EventKind::kTranslated, [&](Event& e) {
    how = in.content_type + " -> " + out.content_type;
    e.session = p.session.id;
    e.message = p.id;
    e.exchange = p.exchange;
    e.routing_key = in.routing_key;
    e.reason = how;
  });
  return Status::ok();
}

// 3. Validate: the exchange exists and its validators accept the message.
inline Status Broker::Impl::validate(InFlight& p) {
  p.x = find_exchange(p.exchange);
  if (p.x == nullptr) {
    return Status::error(Code::kNotFound, message_label(p.id) + " rejected: exchange " +
                                              in_quotes(p.exchange) + " not found");
  }
  for (const Validator& v : p.x->validators) {
    Status st = v(*p.m);
    if (!st.is_ok()) return st;
  }
  emit(EventKind::kValidated, [&](Event& e) {
    e.session = p.session.id;
    e.message = p.id;
    e.exchange = p.exchange;
    e.routing_key = p.m->routing_key;
  });
  return Status::ok();
}

// 4. Route into targets_, through alternate exchanges while nothing matches.
inline Status Broker::Impl::route(InFlight& p) {
  const std::string& key = p.m->routing_key;
  targets_.clear();
  collect_targets(*p.x, key);
  const Exchange* via = p.x;
  for (int hops = 0;
       targets_.empty() && !via->opt.alternate_exchange.empty() && hops < kMaxAlternateHops;
       ++hops) {
    const Exchange* ae = find_exchange(via->opt.alternate_exchange);
    if (ae == nullptr) break;
    emit(EventKind::kUnroutable, [&](Event& e) {
      e.session = p.session.id;
      e.message = p.id;
      e.exchange = via->name;
      e.routing_key = key;
      e.reason = ae->name;
    });
    via = ae;
    collect_targets(*ae, key);
  }
  if (!targets_.empty()) return Status::ok();
  Status st = Status::error(Code::kUnroutable,
                            message_label(p.id) + " returned: exchange " + in_quotes(p.exchange) +
                                " has no queue for routing key " + in_quotes(key));
  emit(EventKind::kUnroutable, [&](Event& e) {
    e.session = p.session.id;
    e.message = p.id;
    e.exchange = p.exchange;
    e.routing_key = key;
    e.reason = st.message();
  });
  return st;
}

void Broker::Impl::collect_targets(const Exchange& x, std::string_view key) {
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

// 5. Admit: room in every routed queue, or in none.
inline Status Broker::Impl::admit(const InFlight& p) {
  for (Queue* q : targets_) {
    if (q->opt.max_length != 0 && q->opt.overflow == Overflow::kRejectPublish &&
        q->ready.size() >= q->opt.max_length) {
      q->counters.rejected_full++;
      return Status::error(Code::kFull, message_label(p.id) + " rejected: queue " +
                                            in_quotes(q->name) + " is full (max-length " +
                                            std::to_string(q->opt.max_length) +
                                            ", overflow reject-publish)");
    }
  }
  emit(EventKind::kRouted, [&](Event& e) {
    e.session = p.session.id;
    e.message = p.id;
    e.exchange = p.exchange;
    e.routing_key = p.m->routing_key;
    e.count = static_cast<uint32_t>(targets_.size());
  });
  return Status::ok();
}

// 6. Store: one payload, a reference in each queue; true when a copy went to
// the store's batch.
inline bool Broker::Impl::store(const InFlight& p, const std::vector<Queue*>& targets) {
  const Message& m = *p.m;
  Payload::Fields f;
  f.id = p.id;
  f.body = m.body;
  f.content_type = m.content_type;
  f.routing_key = m.routing_key;
  f.headers = m.headers.empty() ? nullptr : &m.headers;
  f.persistent = m.persistent;
  f.expires_at = m.ttl ? now() + std::max<Micros>(0, *m.ttl) : kNever;
  Payload* payload = Payload::make(f);
  bool waits = false;
  for (Queue* q : targets) {
    payload->retain();
    waits |= enqueue(*q, payload, 0, false);
  }
  payload->release();
  return waits;
}

// 7. Confirm: now, or when the batch holding it commits.
inline Published Broker::Impl::confirm(InFlight& p, bool waits, uint32_t queues) {
  Session& s = p.session;
  Published out;
  out.id = p.id;
  out.seq = s.next_seq++;
  out.queues = queues;
  s.published++;
  // A confirm that needs no disk still waits behind the session's earlier
  // ones, so confirms always come in seq order.
  const bool behind = s.unconfirmed > 0;
  s.unconfirmed++;
  if (waits || behind) {
    pending_confirms_.push_back(PendingConfirm{s.id, out.seq, p.id, waits});
  } else {
    out.confirmed = true;
    send_confirm(s.id, out.seq, p.id);
  }
  return out;
}

void Broker::Impl::send_confirm(SessionId sid, PublishSeq seq, MessageId id) {
  Session* s = find_session(sid);
  if (s == nullptr) return;
  if (s->unconfirmed > 0) s->unconfirmed--;
  emit(EventKind::kConfirmed, [&](Event& e) {
    e.session = sid;
    e.seq = seq;
    e.message = id;
  });
  if (s->sink != nullptr && s->alive()) s->sink->on_confirm(seq);
}

}  // namespace wmq
