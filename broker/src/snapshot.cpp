// Broker::Impl, observation: snapshot() and peek(), read-only views of the
// broker's state for the GUI and the reports.
#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "broker_impl.h"

namespace wmq {

BrokerSnapshot Broker::Impl::snapshot() const {
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
    snap.store.disk_full = st.disk_full;
    snap.store.last_failure = std::move(st.last_failure);
    snap.store.file_bytes = st.file_bytes;
    snap.store.last_commit_at = last_commit_at_;
  }
  return snap;
}

std::vector<QueuedMessage> Broker::Impl::peek(std::string_view name, size_t offset,
                                              size_t limit) const {
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

}  // namespace wmq
