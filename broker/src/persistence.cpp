// Broker::Impl, persistence: recovery from the store, group commit (and what
// a failed commit takes back), the queue-options JSON the store keeps.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_impl.h"

namespace wmq {

namespace {

// The backoff after failed commits (broker_impl.h, commit_retry_at_).
constexpr Micros kFirstCommitRetry = 100 * kMillis;
constexpr Micros kMaxCommitRetry = 5 * kSeconds;

ExchangeKind kind_from_name(std::string_view name) {
  if (name == "fanout") return ExchangeKind::kFanout;
  if (name == "topic") return ExchangeKind::kTopic;
  return ExchangeKind::kDirect;
}

}  // namespace

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

ExchangeRecord Broker::Impl::exchange_record(const Exchange& x) {
  return ExchangeRecord{x.name, exchange_kind_name(x.opt.kind), x.opt.alternate_exchange};
}

Status Broker::Impl::attach_store(std::unique_ptr<Store> store) {
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
    emit_about(EventKind::kRecovered, q, *e.msg, [&](Event& ev) {
      ev.count = e.delivery_count;
      ev.redelivered = e.redelivered;
    });
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

Status Broker::Impl::flush() {
  if (store_ == nullptr) return Status::ok();
  if (committing_ != nullptr) {
    // One batch at a time: this one is committed when the store answers.
    flush_again_ = true;
    return Status::ok();
  }
  if (store_->pending() == 0 && pending_confirms_.empty() && batch_inserts_.empty()) {
    batch_opened_at_ = -1;
    return Status::ok();
  }
  auto job = std::make_shared<CommitJob>();
  job->writes = store_->pending();
  job->confirms.swap(pending_confirms_);
  job->inserted.swap(batch_inserts_);
  batch_opened_at_ = -1;
  committing_ = job;
  std::optional<Status> answer;
  answer_ = &answer;
  store_->commit_async([this, job](Status st) {
    // Answered later, from the store owner's loop, this is a call of its
    // own: work it defers runs at its end, as for a public call.
    ++depth_;
    committed(*job, st);
    --depth_;
    settle_calls();
  });
  answer_ = nullptr;
  return answer.value_or(Status::ok());
}

void Broker::Impl::committed(CommitJob& job, const Status& st) {
  assert(committing_.get() == &job && "Broker: a store answered a batch out of order");
  committing_ = nullptr;
  if (answer_ != nullptr) *answer_ = st;
  if (st.is_ok()) {
    last_commit_at_ = now();
    commit_backoff_ = 0;
    commit_retry_at_ = -1;
    emit(EventKind::kCommitted, [&](Event& e) { e.count = static_cast<uint32_t>(job.writes); });
    for (const PendingConfirm& c : job.confirms)
      send_confirm(c.session, c.seq, c.id);
  } else {
    commit_backoff_ =
        commit_backoff_ == 0 ? kFirstCommitRetry : std::min(2 * commit_backoff_, kMaxCommitRetry);
    commit_retry_at_ = now() + commit_backoff_;
    commit_failed(job, st);
  }
  if (flush_again_) {
    flush_again_ = false;
    (void)flush();
  }
}

void Broker::Impl::commit_failed(CommitJob& job, const Status& st) {
  emit(EventKind::kCommitFailed, [&](Event& e) {
    e.reason = st.message();
    e.code = st.code();
  });
  // Nothing of the batch is on disk. Messages it carried that are still
  // ready are taken back out, so a nacked publish is not also delivered
  // later; one already in a consumer's hands cannot be taken back.
  std::unordered_map<QueueKey, Queue*> by_key;
  for (auto& [name, q] : queues_) {
    if (!q->deleted) by_key[q->key] = q.get();
  }
  for (const auto& [key, message] : job.inserted) {
    auto found = by_key.find(key);
    if (found == by_key.end()) continue;  // deleted since
    Queue* q = found->second;
    const MessageId id =
        message;  // named again: clang 14's lambdas cannot capture a structured binding
    auto it = std::lower_bound(q->ready.begin(), q->ready.end(), id,
                               [](const Entry& e, MessageId v) { return e.msg->id() < v; });
    if (it != q->ready.end() && it->msg->id() == id) {
      Entry e = *it;
      q->ready.erase(it);
      q->counters.dropped++;
      emit(EventKind::kDropped, [&](Event& ev) {
        ev.message = id;
        ev.queue = q->name;
        ev.drop = DropReason::kCommitFailed;
        ev.reason = drop_reason_name(ev.drop);
        ev.payload = e.msg;
      });
      e.msg->release();
    }
  }
  for (const PendingConfirm& c : job.confirms) {
    if (!c.on_disk) {
      send_confirm(c.session, c.seq, c.id);  // it never depended on this batch
      continue;
    }
    Session* s = find_session(c.session);
    if (s == nullptr) continue;
    s->unconfirmed--;
    emit(EventKind::kPublishNacked, [&](Event& e) {
      e.session = c.session;
      e.seq = c.seq;
      e.message = c.id;
      e.reason = st.message();
      e.code = st.code();
    });
    if (s->sink != nullptr && s->alive()) s->sink->on_publish_nack(c.seq, st);
  }
  // Definitions of the failed batch are written again with the next one.
  rewrite_definitions();
}

Result<PublishSeq> Broker::Impl::sync(SessionId sid) {
  Session* s = find_session(sid);
  if (s == nullptr) return Status::error(Code::kNotFound, "no session " + std::to_string(sid));
  if (!s->alive()) return Status::error(Code::kClosed, "session " + std::to_string(sid) + " ended");
  const PublishSeq seq = s->next_seq++;
  s->unconfirmed++;
  if (store_ != nullptr && (store_->pending() > 0 || !pending_confirms_.empty())) {
    pending_confirms_.push_back(PendingConfirm{sid, seq, 0, true});
    note_write();
  } else if (committing_ != nullptr) {
    committing_->confirms.push_back(PendingConfirm{sid, seq, 0, true});
  } else {
    send_confirm(sid, seq, 0);
  }
  return seq;
}

void Broker::Impl::rewrite_definitions() {
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

void Broker::Impl::maybe_commit() {
  if (store_ != nullptr && store_->pending() >= opt_.commit_batch_max) (void)flush();
}

}  // namespace wmq
