// Broker::Impl, sessions and consumers: the client state machine (connecting,
// active, suspected, dead, closed), and subscribing and cancelling consumers.
#include <algorithm>
#include <string>
#include <vector>

#include "broker_impl.h"

namespace wmq {

std::string Broker::Impl::session_label(const Session& s) const {
  std::string label = "session " + std::to_string(s.id);
  if (!s.opt.name.empty()) label += " (" + s.opt.name + ")";
  return label;
}

void Broker::Impl::set_state(Session& s, SessionState to, std::string_view reason) {
  SessionState from = s.state;
  if (from == to) return;
  s.state = to;
  emit(EventKind::kSessionState, [&](Event& e) {
    e.session = s.id;
    e.state_from = from;
    e.state_to = to;
    e.reason = reason;
  });
  if (s.sink != nullptr) notices_.push_back(Notice{s.sink, true, to, 0});
}

SessionId Broker::Impl::open_session(SessionOptions o, SessionSink* sink) {
  assert((o.dead_after == 0 || o.suspect_after == 0 || o.dead_after >= o.suspect_after) &&
         "Broker::open_session: dead_after must be >= suspect_after");
  auto s = std::make_unique<Session>();
  s->id = next_session_++;
  s->opt = std::move(o);
  s->sink = sink;
  s->last_seen = now();
  Session* raw = s.get();
  sessions_.emplace(raw->id, std::move(s));
  emit(EventKind::kSessionOpened, [&](Event& e) {
    e.session = raw->id;
    e.reason = raw->opt.name;
  });
  return raw->id;
}

Status Broker::Impl::connected(SessionId id) {
  Session* s = find_session(id);
  if (s == nullptr) return no_session(id);
  if (s->ended()) {
    return Status::error(Code::kClosed, session_label(*s) + ": is " + session_state_name(s->state));
  }
  s->last_seen = now();
  set_state(*s, SessionState::kActive, "connected");
  return Status::ok();
}

Status Broker::Impl::heartbeat(SessionId id) {
  Result<Session*> s = live_session(id);
  return s.is_ok() ? Status::ok() : s.status();
}

Status Broker::Impl::end_session(SessionId id, SessionState to, std::string_view reason) {
  Session* s = find_session(id);
  if (s == nullptr) return no_session(id);
  if (s->ended()) {
    return Status::error(Code::kClosed,
                         session_label(*s) + ": is " + session_state_name(s->state) + " already");
  }
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
  return Status::ok();
}

Result<SessionState> Broker::Impl::session_state(SessionId id) const {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return no_session(id);
  return it->second->state;
}

void Broker::Impl::release_session(SessionId id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  assert(it->second->ended() && "Broker::release_session: close or kill the session first");
  sessions_.erase(it);
}

Result<ConsumerId> Broker::Impl::subscribe(SessionId sid, std::string_view queue,
                                           ConsumeOptions o) {
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
  emit(EventKind::kConsumerAdded, [&](Event& e) {
    e.session = s.id;
    e.consumer = raw->id;
    e.queue = q->name;
    e.count = o.prefetch;
  });
  dispatch(*q);
  return raw->id;
}

Status Broker::Impl::cancel(SessionId sid, ConsumerId cid) {
  Result<Session*> sr = live_session(sid);
  if (!sr.is_ok()) return sr.status();
  auto it = consumers_.find(cid);
  if (it == consumers_.end() || it->second->session != sr.value()) {
    return Status::error(Code::kNotFound,
                         session_label(*sr.value()) + ": no consumer " + std::to_string(cid));
  }
  Queue* q = it->second->queue;
  Consumer* c = it->second.get();
  std::vector<Queue*> touched;
  return_unacked(
      *sr.value(), [c](const Unacked& u) { return u.consumer == c; }, touched);
  cancel_consumer(*c, /*notify=*/false);
  dispatch(*q);
  return Status::ok();
}

void Broker::Impl::cancel_consumer(Consumer& c, bool notify) {
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
  emit(EventKind::kConsumerCancelled, [&](Event& e) {
    e.session = s.id;
    e.consumer = id;
    e.queue = q.name;
  });
  SessionSink* sink = s.sink;
  const bool tell = notify && s.alive() && sink != nullptr;
  consumers_.erase(id);
  if (tell) notices_.push_back(Notice{sink, false, SessionState::kClosed, id});
}

}  // namespace wmq
