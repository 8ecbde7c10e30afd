// Sessions: the broker's view of a client, and how it talks back to one.
//
// Every client (a cashier, a cook, a STOMP connection) is a session. Its
// state machine, fed by heartbeats and by the client's own calls:
//
//      open_session()        connected()
//   ─────────────────> CONNECTING ─────────> ACTIVE <─────────────┐
//                          │                   │  │ silent for      │ heard from
//                          │                   │  │ suspect_after   │ (heartbeat
//                          │                   │  └──────> SUSPECTED┘  or any call)
//                          │   close_session() │              │ silent for dead_after
//                          │                   v              v   (tick) or
//                          └──────────────> CLOSED          DEAD <── kill_session()
//
// Invariants: only ACTIVE and SUSPECTED sessions may publish, consume or
// settle deliveries; CLOSED and DEAD are final. On entering CLOSED or DEAD
// the session's consumers are cancelled and every unacked delivery goes back
// to its queue (redelivered=true, delivery count kept for the limit check),
// in one step, before any other session can be served. A late ack from a
// dead session is refused with Code::kClosed.
//
// Thread-safety: sinks are called on the broker's thread, from inside broker
// calls; a sink may call back into the broker (ack from on_delivery is fine).
// on_state and on_cancel come at the end of the outermost broker call, when
// the change is complete (e.g. a dead session's deliveries are back in their
// queues), so a sink may call anything from them.
#pragma once

#include <cstdint>
#include <string_view>

#include "broker/message.h"
#include "broker/status.h"

namespace wmq {

using SessionId = uint64_t;
using ConsumerId = uint64_t;
using DeliveryTag = uint64_t;  // per session, from 1, never reused
using PublishSeq = uint64_t;   // per session, from 1: the publisher's confirm number

enum class SessionState : uint8_t { kConnecting, kActive, kSuspected, kDead, kClosed };

// "connecting", "active", "suspected", "dead", "closed".
const char* session_state_name(SessionState state);

// One message handed to one consumer.
struct Delivery {
  ConsumerId consumer = 0;
  DeliveryTag tag = 0;
  std::string_view queue;
  const Payload* message = nullptr;  // valid during the call; retain() to keep it
  uint32_t delivery_count = 0;       // 1 on the first delivery
  bool redelivered = false;
};

// How the broker talks back to a client. Every method has a do-nothing
// default so a client implements only what it listens for.
class SessionSink {
 public:
  virtual ~SessionSink() = default;
  // A message for one of this session's consumers.
  virtual void on_delivery(const Delivery& delivery) { (void)delivery; }
  // Publish `seq` is safe: routed, and on disk when it is persistent and
  // reached a durable queue. Confirms come in seq order. A confirm may come
  // before publish() returns (a publish that fills the batch commits it);
  // seqs are predictable: 1, 2, 3... one per publish() that returned ok.
  virtual void on_confirm(PublishSeq seq) { (void)seq; }
  // Publish `seq` was accepted at first but is now refused (the commit
  // holding it failed); `why` says why. The message is not in any queue.
  virtual void on_publish_nack(PublishSeq seq, const Status& why) {
    (void)seq;
    (void)why;
  }
  // The session changed state (e.g. the broker declared it dead).
  virtual void on_state(SessionState state) { (void)state; }
  // A consumer of this session was cancelled by the broker (its queue was
  // deleted or the session ended).
  virtual void on_cancel(ConsumerId consumer) { (void)consumer; }
};

}  // namespace wmq
