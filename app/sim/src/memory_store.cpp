#include "sim/memory_store.h"

#include <algorithm>
#include <cassert>
#include <utility>
#include <vector>

namespace wmq::sim {

Result<std::unique_ptr<Store>> MemoryStore::open(std::shared_ptr<MemoryDisk> disk,
                                                 std::string name) {
  assert(disk != nullptr && "MemoryStore::open: the disk is null");
  if (disk->open) {
    return Status::error(Code::kBusy,
                         "broker file \"" + name + "\": in use by another live broker");
  }
  disk->open = true;
  return std::unique_ptr<Store>(new MemoryStore(std::move(disk), std::move(name)));
}

MemoryStore::~MemoryStore() {
  // Pending writes are dropped, as in a killed process.
  drop_batch();
  disk_->open = false;
}

Result<Recovered> MemoryStore::recover() {
  assert(pending() == 0 && "Store::recover: call it right after open(), before any write");
  Recovered out;
  for (const auto& [name, x] : disk_->exchanges)
    out.exchanges.push_back(x);
  for (const auto& [key, q] : disk_->queues)
    out.queues.push_back(q);
  for (const auto& [e, q, k] : disk_->bindings)
    out.bindings.push_back(BindingRecord{e, q, k});
  for (const auto& [key, m] : disk_->messages)
    out.messages.push_back(m);
  out.max_message_id = disk_->max_message_id;
  return out;
}

void MemoryStore::put_exchange(const ExchangeRecord& x) {
  exchanges_[x.name] = x;
}
void MemoryStore::delete_exchange(const std::string& name) {
  exchanges_[name] = std::nullopt;
}
void MemoryStore::put_queue(const QueueRecord& q) {
  queues_[q.key] = q;
}

void MemoryStore::delete_queue(QueueKey queue) {
  for (auto it = messages_.begin(); it != messages_.end();) {
    it = it->first.first == queue ? messages_.erase(it) : std::next(it);
  }
  purged_.insert(queue);
  queues_[queue] = std::nullopt;
}

void MemoryStore::put_binding(const BindingRecord& b) {
  bindings_[BindingKey{b.exchange, b.queue, b.binding_key}] = true;
}
void MemoryStore::delete_binding(const BindingRecord& b) {
  bindings_[BindingKey{b.exchange, b.queue, b.binding_key}] = false;
}

void MemoryStore::insert_message(QueueKey queue, PayloadRef payload, Micros entry_expires_at,
                                 uint32_t delivery_count) {
  assert(payload && "Store::insert_message: the payload is null; pass the message's PayloadRef");
  const MessageId id = payload->id();
  auto [it, inserted] = messages_.try_emplace({queue, id});
  assert(inserted && "Store::insert_message: this (queue, id) already has a write pending");
  (void)inserted;
  Pending& p = it->second;
  p.op = Op::kInsert;
  p.delivery_count = delivery_count;
  p.entry_expires_at = entry_expires_at;
  p.payload = std::move(payload);  // the batch's reference, not a body copy
  batch_max_id_ = std::max(batch_max_id_, id);
}

void MemoryStore::set_delivery_count(QueueKey queue, MessageId id, uint32_t delivery_count) {
  auto [it, inserted] = messages_.try_emplace({queue, id});
  if (inserted) it->second.op = Op::kUpdate;
  assert(it->second.op != Op::kRemove &&
         "Store::set_delivery_count: the message was removed earlier in this batch");
  it->second.delivery_count = delivery_count;
}

void MemoryStore::remove_message(QueueKey queue, MessageId id) {
  auto [it, inserted] = messages_.try_emplace({queue, id});
  if (!inserted && it->second.op == Op::kInsert) {
    messages_.erase(it);
    return;
  }
  it->second.op = Op::kRemove;
  it->second.payload = PayloadRef();
}

size_t MemoryStore::pending() const {
  return messages_.size() + exchanges_.size() + queues_.size() + purged_.size() + bindings_.size();
}

Status MemoryStore::commit() {
  if (pending() == 0 && batch_max_id_ <= disk_->max_message_id) return Status::ok();
  MemoryDisk& d = *disk_;
  uint64_t rows = 0;
  for (QueueKey q : purged_) {
    auto lo = d.messages.lower_bound({q, 0});
    auto hi = d.messages.lower_bound({q + 1, 0});
    rows += static_cast<uint64_t>(std::distance(lo, hi));
    d.messages.erase(lo, hi);
  }
  for (const auto& [name, rec] : exchanges_) {
    if (rec) {
      d.exchanges[name] = *rec;
    } else {
      d.exchanges.erase(name);
    }
    ++rows;
  }
  for (const auto& [key, rec] : queues_) {
    if (rec) {
      d.queues[key] = *rec;
    } else {
      d.queues.erase(key);
    }
    ++rows;
  }
  for (const auto& [key, put] : bindings_) {
    if (put) {
      d.bindings.insert(key);
    } else {
      d.bindings.erase(key);
    }
    ++rows;
  }
  for (auto& [key, p] : messages_) {
    switch (p.op) {
      case Op::kInsert: {
        MessageRecord m;
        m.queue = key.first;
        m.id = key.second;
        m.routing_key = std::string(p.payload->routing_key());
        m.content_type = std::string(p.payload->content_type());
        m.headers = p.payload->headers();
        m.body = std::string(p.payload->body());
        m.expires_at = p.payload->expires_at();
        m.entry_expires_at = p.entry_expires_at;
        m.delivery_count = p.delivery_count;
        d.messages[key] = std::move(m);
        ++rows;
        break;
      }
      case Op::kUpdate: {
        auto it = d.messages.find(key);
        if (it != d.messages.end()) {
          it->second.delivery_count = p.delivery_count;
          ++rows;
        }
        break;
      }
      case Op::kRemove:
        rows += d.messages.erase(key);
        break;
    }
  }
  d.max_message_id = std::max(d.max_message_id, batch_max_id_);
  d.commits++;
  drop_batch();
  stats_.commits++;
  stats_.rows_written += rows;
  return Status::ok();
}

StoreStats MemoryStore::stats() const {
  StoreStats s = stats_;
  s.pending = pending();
  // A rough size, so the GUI's SQLite line has something to show.
  s.file_bytes = static_cast<int64_t>(disk_->messages.size() * 228);
  return s;
}

void MemoryStore::drop_batch() {
  messages_.clear();
  exchanges_.clear();
  queues_.clear();
  purged_.clear();
  bindings_.clear();
  batch_max_id_ = 0;
}

}  // namespace wmq::sim
