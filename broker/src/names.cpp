// Stable names of the broker's enums, for logs, traces and reports.
#include <cassert>

#include "broker/events.h"
#include "broker/options.h"
#include "broker/session.h"

namespace wmq {

const char* exchange_kind_name(ExchangeKind kind) {
  switch (kind) {
    case ExchangeKind::kDirect:
      return "direct";
    case ExchangeKind::kFanout:
      return "fanout";
    case ExchangeKind::kTopic:
      return "topic";
  }
  assert(false && "exchange_kind_name: unknown ExchangeKind");
  return "?";
}

const char* overflow_name(Overflow overflow) {
  switch (overflow) {
    case Overflow::kRejectPublish:
      return "reject-publish";
    case Overflow::kDropHead:
      return "drop-head";
  }
  assert(false && "overflow_name: unknown Overflow");
  return "?";
}

const char* session_state_name(SessionState state) {
  switch (state) {
    case SessionState::kConnecting:
      return "connecting";
    case SessionState::kActive:
      return "active";
    case SessionState::kSuspected:
      return "suspected";
    case SessionState::kDead:
      return "dead";
    case SessionState::kClosed:
      return "closed";
  }
  assert(false && "session_state_name: unknown SessionState");
  return "?";
}

const char* event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::kPublished:
      return "published";
    case EventKind::kRejected:
      return "rejected";
    case EventKind::kTranslated:
      return "translated";
    case EventKind::kValidated:
      return "validated";
    case EventKind::kRouted:
      return "routed";
    case EventKind::kUnroutable:
      return "unroutable";
    case EventKind::kEnqueued:
      return "enqueued";
    case EventKind::kConfirmed:
      return "confirmed";
    case EventKind::kPublishNacked:
      return "publish_nacked";
    case EventKind::kDelivered:
      return "delivered";
    case EventKind::kAcked:
      return "acked";
    case EventKind::kNacked:
      return "nacked";
    case EventKind::kRequeued:
      return "requeued";
    case EventKind::kExpired:
      return "expired";
    case EventKind::kDeadLettered:
      return "dead_lettered";
    case EventKind::kDropped:
      return "dropped";
    case EventKind::kSessionOpened:
      return "session_opened";
    case EventKind::kSessionState:
      return "session_state";
    case EventKind::kConsumerAdded:
      return "consumer_added";
    case EventKind::kConsumerCancelled:
      return "consumer_cancelled";
    case EventKind::kExchangeDeclared:
      return "exchange_declared";
    case EventKind::kQueueDeclared:
      return "queue_declared";
    case EventKind::kQueueChanged:
      return "queue_changed";
    case EventKind::kQueueDeleted:
      return "queue_deleted";
    case EventKind::kBound:
      return "bound";
    case EventKind::kUnbound:
      return "unbound";
    case EventKind::kCommitted:
      return "committed";
    case EventKind::kCommitFailed:
      return "commit_failed";
    case EventKind::kRecovered:
      return "recovered";
  }
  assert(false && "event_kind_name: unknown EventKind");
  return "?";
}

const char* drop_reason_name(DropReason reason) {
  switch (reason) {
    case DropReason::kNone:
      return "";
    case DropReason::kMaxLength:
      return "maxlen";
    case DropReason::kDeliveryLimit:
      return "delivery_limit";
    case DropReason::kExpired:
      return "expired";
    case DropReason::kRejected:
      return "rejected";
    case DropReason::kCommitFailed:
      return "commit failed";
    case DropReason::kQueueDeleted:
      return "queue deleted";
  }
  assert(false && "drop_reason_name: unknown DropReason");
  return "?";
}

std::optional<DropReason> drop_reason_from_name(std::string_view name) {
  for (DropReason r :
       {DropReason::kMaxLength, DropReason::kDeliveryLimit, DropReason::kExpired,
        DropReason::kRejected, DropReason::kCommitFailed, DropReason::kQueueDeleted}) {
    if (name == drop_reason_name(r)) return r;
  }
  return std::nullopt;
}

}  // namespace wmq
