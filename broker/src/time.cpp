// Broker::Impl, time: what tick() finds due (heartbeat suspicion and death,
// TTL expiry, a commit window that has passed), when it next will be, and
// the work left for the end of each public call.
#include <algorithm>
#include <vector>

#include "broker_impl.h"

namespace wmq {

void Broker::Impl::tick() {
  const Micros t = now();
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
  if (store_ != nullptr && batch_opened_at_ >= 0 && t >= commit_due()) (void)flush();
}

Micros Broker::Impl::next_deadline() const {
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
  // While a commit runs, its answer starts the next one (flush_again_) or
  // brings this deadline back: waking for it now would find nothing to do.
  if (store_ != nullptr && batch_opened_at_ >= 0 && committing_ == nullptr)
    next = std::min(next, commit_due());
  return next;
}

// Work left for the end of the outermost call: a batch that reached its
// size cap, state changes and cancellations told to their sinks (only now,
// with the broker consistent, so a sink may call back in freely), queues
// freed after their deletion.
void Broker::Impl::settle_calls() {
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

}  // namespace wmq
