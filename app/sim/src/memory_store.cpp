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
  batch_.clear();
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

Status MemoryStore::write(StoreBatch& batch) {
  if (batch.pending() == 0 && batch.max_inserted_id() <= disk_->max_message_id) return Status::ok();
  MemoryDisk& d = *disk_;
  uint64_t rows = 0;
  for (QueueKey q : batch.purged_queues()) {
    auto lo = d.messages.lower_bound({q, 0});
    auto hi = d.messages.lower_bound({q + 1, 0});
    rows += static_cast<uint64_t>(std::distance(lo, hi));
    d.messages.erase(lo, hi);
  }
  for (const auto& [name, rec] : batch.exchanges()) {
    if (rec) {
      d.exchanges[name] = *rec;
    } else {
      d.exchanges.erase(name);
    }
    ++rows;
  }
  for (const auto& [key, rec] : batch.queues()) {
    if (rec) {
      d.queues[key] = *rec;
    } else {
      d.queues.erase(key);
    }
    ++rows;
  }
  for (const auto& [key, put] : batch.bindings()) {
    if (put) {
      d.bindings.insert(key);
    } else {
      d.bindings.erase(key);
    }
    ++rows;
  }
  for (const auto& [mk, p] : batch.messages_in_order()) {
    const std::pair<QueueKey, MessageId> key{mk.queue, mk.id};
    switch (p->op) {
      case StoreBatch::Op::kInsert: {
        MessageRecord m;
        m.queue = mk.queue;
        m.id = mk.id;
        m.routing_key = std::string(p->payload->routing_key());
        m.content_type = std::string(p->payload->content_type());
        m.headers = p->payload->headers();
        m.body = std::string(p->payload->body());
        m.expires_at = p->payload->expires_at();
        m.entry_expires_at = p->entry_expires_at;
        m.delivery_count = p->delivery_count;
        d.messages[key] = std::move(m);
        ++rows;
        break;
      }
      case StoreBatch::Op::kUpdate: {
        auto it = d.messages.find(key);
        if (it != d.messages.end()) {
          it->second.delivery_count = p->delivery_count;
          ++rows;
        }
        break;
      }
      case StoreBatch::Op::kRemove:
        rows += d.messages.erase(key);
        break;
    }
  }
  d.max_message_id = std::max(d.max_message_id, batch.max_inserted_id());
  d.commits++;
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

}  // namespace wmq::sim
