// Events: every step the broker takes, for whoever listens.
//
// The GUI, the reports and the traces are built from these events and from
// snapshots (snapshot.h) alone. An Event is a flat value whose string_views
// point into broker memory and are valid only during the listener call.
// With no listener attached, the broker builds no event at all.
//
// Thread-safety: listeners are called on the broker's thread, from inside
// broker calls. A listener must not call back into the broker.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "broker/clock.h"
#include "broker/message.h"
#include "broker/session.h"

namespace wmq {

enum class EventKind : uint8_t {
  // Publish pipeline, in order.
  kPublished,      // a publish arrived: message, session, seq, exchange, routing_key
  kRejected,       // refused before any queue: code + reason (validation, format, full, ...)
  kTranslated,     // reason = "FROM -> TO"
  kValidated,      // passed the size, format and exchange checks
  kRouted,         // count = number of queues reached
  kUnroutable,     // no queue matched: returned to the publisher or sent to the alternate
  kEnqueued,       // message stored in `queue` (ready)
  kConfirmed,      // publisher's confirm released: session, seq
  kPublishNacked,  // accepted, then refused because its commit failed: reason
  // Delivery.
  kDelivered,     // to session/consumer with tag, count, redelivered
  kAcked,         // settled by the consumer: message deleted
  kNacked,        // the consumer said no; requeue = redelivered flag of the event
  kRequeued,      // back at its place in `queue`, count = deliveries so far
  kExpired,       // its TTL ran out in `queue`
  kDeadLettered,  // left `queue` for the dead-letter exchange: reason; seq = the dead letter's new
                  // id
  kDropped,       // left `queue` with nowhere to go (no dead-letter exchange): reason
  // Clients.
  kSessionOpened,
  kSessionState,  // state_from -> state_to, reason
  kConsumerAdded,
  kConsumerCancelled,
  // Topology.
  kExchangeDeclared,
  kQueueDeclared,
  kQueueChanged,
  kQueueDeleted,
  kBound,
  kUnbound,
  // Persistence.
  kCommitted,     // count = writes in the batch
  kCommitFailed,  // reason
  kRecovered,     // a message came back from disk into `queue`: count, redelivered
};

// "published", "rejected", ... (stable, used in traces).
const char* event_kind_name(EventKind kind);

// Why a message left a queue for good: the `drop` of a kDeadLettered or
// kDropped event (kNone on every other event).
enum class DropReason : uint8_t {
  kNone,
  kMaxLength,      // pushed out of a full drop-head queue by a newer message
  kDeliveryLimit,  // came back once more than the queue's delivery limit allows
  kExpired,        // its TTL ran out
  kRejected,       // a consumer nacked it without requeue
  kCommitFailed,   // its batch never reached the disk (kDropped only)
  kQueueDeleted,   // its queue was deleted (kDropped only)
};

// "maxlen", "delivery_limit", "expired", "rejected", "commit failed",
// "queue deleted" ("" for kNone): stable, written as the event's `reason` and
// as a dead letter's x-death-reason header.
const char* drop_reason_name(DropReason reason);
// The reason drop_reason_name() spells `name`, or nullopt for any other text.
std::optional<DropReason> drop_reason_from_name(std::string_view name);

struct Event {
  EventKind kind = EventKind::kPublished;
  Micros at = 0;
  MessageId message = 0;
  SessionId session = 0;
  ConsumerId consumer = 0;
  uint64_t seq = 0;  // publish seq (publish side) or delivery tag (delivery side)
  std::string_view exchange;
  std::string_view queue;
  std::string_view routing_key;
  std::string_view reason;
  DropReason drop = DropReason::kNone;  // kDeadLettered, kDropped; `reason` spells it
  Code code = Code::kOk;
  uint32_t count = 0;  // delivery count, queues reached, writes committed
  bool redelivered = false;
  SessionState state_from = SessionState::kConnecting;
  SessionState state_to = SessionState::kConnecting;
  const Payload* payload = nullptr;  // when the event is about one message
};

class EventListener {
 public:
  virtual ~EventListener() = default;
  virtual void on_event(const Event& event) = 0;
};

}  // namespace wmq
