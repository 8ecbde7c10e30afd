// Broker::Impl, topology: exchanges, queues and the bindings between them,
// with their definitions written to the store when durable.
#include <algorithm>
#include <string>
#include <vector>

#include "broker_impl.h"

namespace wmq {

namespace {

Status check_queue_options(std::string_view name, const QueueOptions& o) {
  if (name.empty()) return Status::error(Code::kInvalid, "queue \"\": a queue needs a name");
  if (o.message_ttl < 0) {
    return Status::error(Code::kInvalid, "queue " + in_quotes(name) + ": message TTL must be >= 0");
  }
  return Status::ok();
}

// Takes `q` out of one key's list of a direct exchange, and the key with it
// when no queue is left; the position after it.
using DirectMap = NameMap<std::vector<Queue*>>;
DirectMap::iterator unlink_direct(DirectMap& direct, DirectMap::iterator it, Queue* q) {
  std::erase(it->second, q);
  return it->second.empty() ? direct.erase(it) : std::next(it);
}

}  // namespace

Exchange* Broker::Impl::make_exchange(std::string_view name, const ExchangeOptions& o) {
  auto x = std::make_unique<Exchange>();
  x->name = std::string(name);
  x->opt = o;
  Exchange* raw = x.get();
  exchanges_.emplace(std::string(name), std::move(x));
  emit(EventKind::kExchangeDeclared, [&](Event& e) {
    e.exchange = raw->name;
    e.reason = exchange_kind_name(o.kind);
  });
  return raw;
}

Status Broker::Impl::declare_exchange(std::string_view name, ExchangeOptions o) {
  if (name.empty()) {
    return Status::error(Code::kInvalid, "exchange \"\": the default exchange cannot be declared");
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

Status Broker::Impl::add_validator(std::string_view exchange, Validator v) {
  assert(v && "Broker::add_validator: the validator is empty");
  Exchange* x = find_exchange(exchange);
  if (x == nullptr) return no_exchange(exchange);
  x->validators.push_back(std::move(v));
  return Status::ok();
}

Queue* Broker::Impl::make_queue(std::string_view name, const QueueOptions& o, QueueKey key) {
  auto q = std::make_unique<Queue>();
  q->name = std::string(name);
  q->opt = o;
  q->key = key;
  Queue* raw = q.get();
  queues_.emplace(std::string(name), std::move(q));
  emit(EventKind::kQueueDeclared, [&](Event& e) {
    e.queue = raw->name;
    e.reason = o.durable ? "durable" : "transient";
  });
  return raw;
}

Status Broker::Impl::declare_queue(std::string_view name, QueueOptions o) {
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

Status Broker::Impl::update_queue(std::string_view name, QueueOptions o) {
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
  emit(EventKind::kQueueChanged, [&](Event& e) {
    e.queue = q->name;
    e.reason = o.durable ? "durable" : "transient";
  });
  // A raised max-length or a lowered TTL may change what is due now.
  expire_head(*q);
  dispatch(*q);
  maybe_commit();
  return Status::ok();
}

Status Broker::Impl::delete_queue(std::string_view name) {
  Queue* q = find_queue(name);
  if (q == nullptr) return no_queue(name);
  // Consumers first: their unacked messages come back, then all are dropped.
  std::vector<Consumer*> consumers = q->consumers;
  for (Consumer* c : consumers)
    cancel_consumer(*c, /*notify=*/true);
  for (Entry& e : q->ready) {
    emit_about(EventKind::kDropped, *q, *e.msg, [](Event& ev) {
      ev.drop = DropReason::kQueueDeleted;
      ev.reason = drop_reason_name(ev.drop);
    });
    e.msg->release();
  }
  q->ready.clear();
  for (auto& [xname, x] : exchanges_)
    remove_bindings_to(*x, q);
  if (q->opt.durable && store_ != nullptr) {
    store_->delete_queue(q->key);
    note_write();
  }
  emit(EventKind::kQueueDeleted, [&](Event& e) { e.queue = q->name; });
  q->deleted = true;
  // Freed when no call is running: a sink up the stack may still hold it.
  auto it = queues_.find(name);
  graveyard_.push_back(std::move(it->second));
  queues_.erase(it);
  return Status::ok();
}

void Broker::Impl::remove_bindings_to(Exchange& x, Queue* q) {
  std::erase_if(x.bindings, [q](const Binding& b) { return b.queue == q; });
  for (auto it = x.direct.begin(); it != x.direct.end();)
    it = unlink_direct(x.direct, it, q);
}

bool Broker::Impl::add_binding(Exchange& x, Queue& q, std::string_view key) {
  for (const Binding& b : x.bindings) {
    if (b.queue == &q && b.key == key) return false;
  }
  x.bindings.push_back(Binding{&q, std::string(key)});
  if (x.opt.kind == ExchangeKind::kDirect) {
    auto it = x.direct.find(key);
    if (it == x.direct.end()) it = x.direct.emplace(std::string(key), std::vector<Queue*>{}).first;
    it->second.push_back(&q);
  }
  return true;
}

Result<BindingEnds> Broker::Impl::binding_ends(std::string_view queue, std::string_view exchange) {
  BindingEnds ends{find_queue(queue), find_exchange(exchange)};
  if (ends.queue == nullptr) return no_queue(queue);
  if (ends.exchange == nullptr) return no_exchange(exchange);
  return ends;
}

void Broker::Impl::binding_changed(EventKind kind, Exchange& x, Queue& q, std::string_view key) {
  if (store_ != nullptr && binding_durable(x, q)) {
    const BindingRecord record{x.name, q.name, std::string(key)};
    if (kind == EventKind::kBound) {
      store_->put_binding(record);
    } else {
      store_->delete_binding(record);
    }
    note_write();
  }
  emit(kind, [&](Event& e) {
    e.queue = q.name;
    e.exchange = x.name;
    e.routing_key = key;
  });
}

Status Broker::Impl::bind(std::string_view queue, std::string_view exchange, std::string_view key) {
  if (exchange.empty()) {
    return Status::error(Code::kInvalid,
                         "exchange \"\": the default exchange binds every queue by name already");
  }
  Result<BindingEnds> ends = binding_ends(queue, exchange);
  if (!ends.is_ok()) return ends.status();
  Queue* q = ends.value().queue;
  Exchange* x = ends.value().exchange;
  if (add_binding(*x, *q, key)) binding_changed(EventKind::kBound, *x, *q, key);
  return Status::ok();
}

Status Broker::Impl::unbind(std::string_view queue, std::string_view exchange,
                            std::string_view key) {
  Result<BindingEnds> ends = binding_ends(queue, exchange);
  if (!ends.is_ok()) return ends.status();
  Queue* q = ends.value().queue;
  Exchange* x = ends.value().exchange;
  auto it = std::find_if(x->bindings.begin(), x->bindings.end(),
                         [&](const Binding& b) { return b.queue == q && b.key == key; });
  if (it == x->bindings.end()) {
    return Status::error(Code::kNotFound, "binding " + in_quotes(exchange) + " -> " +
                                              in_quotes(queue) + " with key " + in_quotes(key) +
                                              ": not found");
  }
  x->bindings.erase(it);
  if (x->opt.kind == ExchangeKind::kDirect) {
    if (auto d = x->direct.find(key); d != x->direct.end()) unlink_direct(x->direct, d, q);
  }
  binding_changed(EventKind::kUnbound, *x, *q, key);
  return Status::ok();
}

}  // namespace wmq
