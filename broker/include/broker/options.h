// Options: the settings of exchanges, queues, sessions and the broker itself.
//
// Plain values with defaults a classroom broker would pick. Thread-safety: values.
#pragma once

#include <cstdint>
#include <string>

#include "broker/clock.h"

namespace wmq {

enum class ExchangeKind : uint8_t { kDirect, kFanout, kTopic };

// "direct", "fanout", "topic".
const char* exchange_kind_name(ExchangeKind kind);

struct ExchangeOptions {
  ExchangeKind kind = ExchangeKind::kDirect;
  bool durable = false;
  // Where a message goes when no binding matches; empty = back to the publisher.
  std::string alternate_exchange;
};

// What a queue at max-length does with one more message.
enum class Overflow : uint8_t {
  kRejectPublish,  // the publish fails with Code::kFull; nothing is enqueued anywhere
  kDropHead,       // the oldest ready message is dead-lettered with reason "maxlen"
};

const char* overflow_name(Overflow overflow);

struct QueueOptions {
  bool durable = false;
  // Ready messages kept at most; 0 = no limit.
  uint32_t max_length = 0;
  Overflow overflow = Overflow::kRejectPublish;
  // Time a message may wait in this queue; 0 = forever. A message is expired
  // when now >= enqueued time + ttl (exactly at the boundary it is expired).
  Micros message_ttl = 0;
  // Deliveries a message may have; when a message delivered this many times
  // comes back (nack, requeue, dead consumer), it is dead-lettered with reason
  // "delivery_limit" instead. 0 = no limit.
  uint32_t delivery_limit = 0;
  // Where dead letters go; empty = they are dropped (still reported as events).
  // A dead letter is a new message (new id) carrying the headers
  // x-death-reason, x-death-queue, x-delivery-count and x-original-id.
  std::string dead_letter_exchange;
  // Routing key for dead letters; empty = the message's own routing key.
  std::string dead_letter_routing_key;

  bool operator==(const QueueOptions&) const = default;
};

struct SessionOptions {
  // Shown in snapshots and events ("cook grill-2", "cashier 1", a STOMP login).
  std::string name;
  // A session that has not been heard from for this long is suspected;
  // 0 = never (no heartbeats expected).
  Micros suspect_after = 0;
  // ... and after this long it is dead: its deliveries go back to their queues.
  // Must be >= suspect_after when both are set; 0 = never.
  Micros dead_after = 0;
};

struct BrokerOptions {
  // Largest body accepted; bigger ones are rejected with Code::kTooLarge.
  uint32_t max_body_bytes = 1 << 20;
  // Group commit: a batch is committed when it holds this many writes ...
  uint32_t commit_batch_max = 1000;
  // ... or when its oldest write has waited this long, whichever comes first.
  // A network server also commits when its loop has no input waiting (flush()).
  Micros commit_window = 2 * kMillis;
};

}  // namespace wmq
