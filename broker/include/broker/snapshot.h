// Snapshots: read-only copies of the broker's state, for views and reports.
//
// A snapshot is a value: it owns its strings and stays valid after the broker
// moves on or is destroyed. Taking one costs O(exchanges + queues + sessions),
// never O(messages) (peek() is the exception and is bounded by its limit).
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "broker/clock.h"
#include "broker/options.h"
#include "broker/session.h"

namespace wmq {

struct ExchangeSnapshot {
  std::string name;
  ExchangeOptions options;
};

struct BindingSnapshot {
  std::string exchange;
  std::string queue;
  std::string key;
};

struct QueueCounters {
  uint64_t enqueued = 0;
  uint64_t delivered = 0;
  uint64_t redelivered = 0;
  uint64_t acked = 0;
  uint64_t expired = 0;
  uint64_t dead_lettered = 0;  // left for the dead-letter exchange
  uint64_t dropped = 0;        // left with nowhere to go
  uint64_t rejected_full = 0;  // publishes refused at max-length
};

struct QueueSnapshot {
  std::string name;
  QueueOptions options;
  uint64_t ready = 0;
  uint64_t unacked = 0;
  uint32_t consumers = 0;
  QueueCounters counters;
};

struct ConsumerSnapshot {
  ConsumerId id = 0;
  SessionId session = 0;
  std::string queue;
  uint32_t prefetch = 0;  // 0 = unlimited
  uint32_t unacked = 0;
  bool auto_ack = false;
};

struct SessionSnapshot {
  SessionId id = 0;
  std::string name;
  SessionState state = SessionState::kConnecting;
  Micros last_seen = 0;
  uint32_t unacked = 0;
  uint64_t published = 0;
  uint64_t unconfirmed = 0;  // publishes waiting for their commit
};

struct StoreSnapshot {
  bool attached = false;
  std::string path;
  uint64_t pending_writes = 0;
  uint64_t commits = 0;
  uint64_t failed_commits = 0;
  bool disk_full = false;    // the last commit found the disk full (StoreStats::disk_full)
  std::string last_failure;  // why the last failed commit failed; empty = none has
  int64_t file_bytes = 0;
  Micros last_commit_at = -1;  // -1 = never
};

struct BrokerSnapshot {
  Micros now = 0;
  std::vector<ExchangeSnapshot> exchanges;
  std::vector<BindingSnapshot> bindings;
  std::vector<QueueSnapshot> queues;
  std::vector<ConsumerSnapshot> consumers;
  std::vector<SessionSnapshot> sessions;
  StoreSnapshot store;
};

// One message in a queue, as peek() shows it.
struct QueuedMessage {
  MessageId id = 0;
  std::string routing_key;
  uint32_t delivery_count = 0;
  bool redelivered = false;
  bool unacked = false;  // in a consumer's hands
  SessionId holder = 0;  // the session holding it, when unacked
  Micros expires_at = kNever;
};

}  // namespace wmq
