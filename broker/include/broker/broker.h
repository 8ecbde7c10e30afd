// Broker: the single-threaded message broker at the heart of WarungMQ.
//
// One object owns all broker state: exchanges, queues, bindings, sessions,
// consumers and (optionally) a Store. It is driven only by calls: publishes,
// acks, heartbeats and tick(). It never reads the wall clock (time comes from
// the injected Clock), never starts a thread, and never throws for an
// expected failure: those come back as Status/Result with a readable message.
//
// The publish pipeline, each step an event (events.h):
//   validate (size, content type) -> translate -> validate (exchange) ->
//   route -> enqueue -> [persist: group commit] -> confirm.
// Delivery: a queue hands its head to the next consumer, round-robin, that
// has prefetch credit -> ack (gone) | nack (requeue or dead-letter) | the
// session dies (back to the queue, redelivered) | delivery limit or TTL ->
// dead-letter exchange with the reason.
//
// Message life, per queue entry (each message sits in exactly one state):
//
//   publish ──> READY ──deliver()──> UNACKED ──ack()──> gone (acked)
//                 ^  │                  │
//                 │  │ TTL / maxlen     ├─nack(requeue) / session ends──> READY at its
//                 │  v                  │    place by id, redelivered, count kept
//                 │ expired / dead-     └─nack(no requeue) / limit reached──> dead-lettered
//                 │ lettered / dropped
//                 └──────────── (queue order = message id order, always)
//
// Invariants: a queue's ready messages are kept in id order, so a requeued
// message goes back before newer ones and first deliveries leave in publish
// order; an unacked message belongs to exactly one live session; credit of a
// consumer = prefetch - its unacked (prefetch 0 = unlimited).
//
// Persistence: with a Store attached, durable definitions and persistent
// messages on durable queues are written in group commits. A publisher's
// confirm for a persistent message on a durable queue is released only after
// the commit holding it returns ok. Destroying a Broker is a crash: nothing
// pending is committed. close() is the clean shutdown.
//
// Thread-safety: none. One thread owns a Broker and runs every call, as redis's event loop
// (ae) owns its state: sockets and timers reach it as calls from that thread, so it has no locks.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/clock.h"
#include "broker/events.h"
#include "broker/message.h"
#include "broker/options.h"
#include "broker/session.h"
#include "broker/snapshot.h"
#include "broker/status.h"
#include "broker/store.h"
#include "broker/translation.h"
#include "broker/validation.h"

namespace wmq {

struct Published {
  MessageId id = 0;
  PublishSeq seq = 0;
  uint32_t queues = 0;     // how many queues it reached
  bool confirmed = false;  // confirm already sent (nothing waits for disk)
};

struct ConsumeOptions {
  uint32_t prefetch = 1;  // unacked deliveries at most; 0 = unlimited
  bool auto_ack = false;  // settled as it is delivered
};

class Broker {
 public:
  // The clock must outlive the broker.
  Broker(Clock& clock, BrokerOptions options = {});
  // A crash: in-memory state is discarded; nothing pending is committed; no
  // event or sink is called.
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // ---- Persistence ---------------------------------------------------------

  // Takes the store and recovers from it: durable exchanges, queues, bindings,
  // then messages in queue order. Messages that were unacked when the last
  // broker stopped come back redelivered with their delivery count. Emits a
  // kRecovered event per message. Call before any session is opened, at most
  // once. Errors: those of Store::recover().
  Status attach_store(std::unique_ptr<Store> store);
  // Commits the pending batch now (a server calls this when its loop has no
  // input waiting). Ok when nothing is pending. On failure the batch's
  // publishers get on_publish_nack and the error comes back here too.
  // With a store that commits asynchronously (Store::commit_async), the
  // batch is handed over and flush() returns ok: confirms (or nacks, and a
  // kCommitFailed event) come when the store answers. One batch is committed
  // at a time; a flush() while one runs commits the next batch once it is
  // answered.
  Status flush();
  // Blocks until the store has answered every batch handed over (their
  // confirms are sent inside this call). Nothing to do with a store that
  // answers at once.
  void drain();
  // A confirm for the session that says "everything written so far is on
  // disk": the broker hands out the next publish seq of the session and
  // confirms it (on_confirm, in seq order with its publishes) once the batch
  // holding the session's last writes (and every other write so far) has
  // committed, or nacks it (on_publish_nack) if that commit fails. A session
  // that must tell its client that an ACK holds waits for it. Confirmed at
  // once when nothing waits for the disk. kNotFound, kClosed.
  Result<PublishSeq> sync(SessionId session);
  // Clean shutdown: flush, stop delivering, then sessions are closed.
  Status close();
  // Stops handing messages to consumers, for good; everything else works as before (acks,
  // publishes, closing sessions). A host about to end every session calls it first: otherwise
  // the unacked messages of the first session ended are delivered to the next one, which is
  // about to end too, and each such bounce counts a delivery (and can reach a delivery limit).
  // Messages requeued from then on wait in their queues, in order, for the next start.
  void stop_delivering();
  // Sets how long a batch may stay open after its first write before tick()
  // commits it (BrokerOptions::commit_window). Takes effect at the next
  // tick(); a batch open already is judged by the new window. Never fails.
  void set_commit_window(Micros window);

  // ---- Content types, translators -----------------------------------------

  // Marks a content type as known (published as is).
  void register_content_type(std::string content_type);
  // Adds a translator; its `to` type becomes known. Replaces one for the same `from`.
  void register_translator(Translator translator);

  // ---- Topology -------------------------------------------------------------

  // Declares an exchange. Ok if it exists with the same options; kExists if
  // it exists with others; kInvalid for an empty name or a durable exchange
  // whose alternate is transient.
  Status declare_exchange(std::string_view name, ExchangeOptions options);
  // Adds a validator to an exchange (kNotFound if none by that name).
  Status add_validator(std::string_view exchange, Validator validator);
  // Declares a queue. Ok if it exists with the same options; kExists otherwise.
  Status declare_queue(std::string_view name, QueueOptions options);
  // Changes a live queue's settings (durable included: becoming durable
  // writes its definition and its persistent messages to the store; becoming
  // transient removes them). kNotFound for an unknown queue.
  Status update_queue(std::string_view name, QueueOptions options);
  // Deletes a queue, its messages (dropped) and bindings; cancels consumers.
  Status delete_queue(std::string_view name);
  // Binds a queue to an exchange with a key. Idempotent. kNotFound for an
  // unknown queue or exchange (the queue is looked up first); kInvalid for the
  // default exchange, which binds every queue by its name already.
  Status bind(std::string_view queue, std::string_view exchange, std::string_view key);
  // Removes one binding. kNotFound for an unknown queue, an unknown exchange
  // (the queue is looked up first) or a binding that is not there (the
  // default exchange has none to remove).
  Status unbind(std::string_view queue, std::string_view exchange, std::string_view key);
  bool has_queue(std::string_view name) const;
  bool has_exchange(std::string_view name) const;

  // ---- Sessions -------------------------------------------------------------

  // Opens a session in CONNECTING. The sink may be null (a client that
  // listens for nothing); it must outlive the session.
  SessionId open_session(SessionOptions options, SessionSink* sink);
  // CONNECTING -> ACTIVE. kClosed for an ended session, kNotFound for unknown.
  Status connected(SessionId session);
  // The client is alive: refreshes its last-seen time (SUSPECTED -> ACTIVE).
  Status heartbeat(SessionId session);
  // A clean goodbye: -> CLOSED; unacked deliveries go back to their queues.
  Status close_session(SessionId session);
  // The client is gone (crashed, connection dropped): -> DEAD, same effects.
  Status kill_session(SessionId session, std::string_view reason);
  // Forgets a CLOSED or DEAD session (its record answered late calls until now).
  void release_session(SessionId session);
  // The session's state. kNotFound for an id never opened or already
  // released, as every other session call answers.
  Result<SessionState> session_state(SessionId session) const;

  // ---- Publish --------------------------------------------------------------

  // Publishes through an exchange ("" = the default exchange: the queue named
  // by the routing key). Errors, nothing enqueued anywhere: kClosed (session
  // ended), kTooLarge, kUnknownFormat, kInvalid (translator or validator
  // said no: its sentence), kNotFound (no such exchange), kUnroutable (no
  // queue matched and no alternate exchange), kFull (a queue at max-length
  // with reject-publish). Not an error: a message that reaches only
  // transient queues is confirmed at once; a persistent one waits for its commit.
  Result<Published> publish(SessionId session, std::string_view exchange, const Message& message);

  // ---- Consume --------------------------------------------------------------

  // Starts delivering from `queue` to the session's sink. kNotFound, kClosed.
  Result<ConsumerId> subscribe(SessionId session, std::string_view queue, ConsumeOptions options);
  // Stops a consumer; its unacked deliveries go back to the queue.
  Status cancel(SessionId session, ConsumerId consumer);
  // Settles a delivery: the message is gone. kUnknownTag for a tag never
  // issued or already settled, kClosed for an ended session (a late ack).
  Status ack(SessionId session, DeliveryTag tag);
  // Refuses a delivery: back to the queue (requeue) or dead-lettered with
  // reason "rejected". Same errors as ack().
  Status nack(SessionId session, DeliveryTag tag, bool requeue);

  // ---- Time -----------------------------------------------------------------

  // Does what is due: heartbeat suspicion and death, TTL expiry, a group
  // commit whose window has passed. Call it at next_deadline() or whenever.
  void tick();
  // The earliest time tick() has something to do; kNever if nothing.
  Micros next_deadline() const;

  // ---- Observation ----------------------------------------------------------

  // Listeners must outlive the broker or be removed first.
  void add_listener(EventListener* listener);
  void remove_listener(EventListener* listener);
  BrokerSnapshot snapshot() const;
  // Up to `limit` messages of `queue` from position `offset`, ready ones first
  // in queue order, then unacked ones. Empty for an unknown queue.
  std::vector<QueuedMessage> peek(std::string_view queue, size_t offset, size_t limit) const;
  const BrokerOptions& options() const;
  Clock& clock() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace wmq
