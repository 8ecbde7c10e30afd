// StompSession, consuming: SUBSCRIBE and UNSUBSCRIBE, and the ACK and NACK
// that settle what a subscription delivered.
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stomp/session.h"
#include "stomp/session_internal.h"

namespace wmq::stomp {

bool StompSession::start_consumer(const Frame& frame, Subscription* sub, uint32_t prefetch) {
  ConsumeOptions co;
  co.auto_ack = false;
  co.prefetch =
      sub->mode == AckMode::kAuto ? (prefetch > 0 ? prefetch : config_.auto_window) : prefetch;
  subscribing_ = sub;
  Result<ConsumerId> r = broker_.subscribe(sid_, sub->queue, co);
  subscribing_ = nullptr;
  if (!r.is_ok()) {
    if (sub->own_queue) (void)broker_.delete_queue(sub->queue);
    subs_.erase(sub->id);
    fail(err::kNotFound, r.status().message() + ".", &frame);
    return false;
  }
  sub->consumer = r.value();
  by_consumer_[sub->consumer] = sub;
  return true;
}

void StompSession::on_subscribe(const Frame& frame) {
  auto dest_text = frame.header("destination");
  if (!dest_text) {
    fail(err::kMissingHeader,
         "A SUBSCRIBE frame needs a destination header, e.g. destination:/queue/orders.", &frame);
    return;
  }
  std::string id;
  if (auto h = frame.header("id")) {
    id = std::string(*h);
  } else if (version_ == "1.0") {
    id = std::string(*dest_text);  // STOMP 1.0 made the id optional
  } else {
    fail(err::kMissingHeader, "A SUBSCRIBE frame needs an id header (STOMP " + version_ + ").",
         &frame);
    return;
  }
  if (subs_.count(id) != 0) {
    fail(err::kSubscription, "Subscription id " + quoted(id) + " is in use already.", &frame);
    return;
  }
  if (subs_.size() >= config_.max_subscriptions) {
    fail(err::kLimit,
         "This connection has " + std::to_string(config_.max_subscriptions) +
             " subscriptions, the most allowed.",
         &frame);
    return;
  }
  if (!permitted(frame, Access::kRead, *dest_text)) return;
  Result<Destination> dest = parse_destination(*dest_text);
  if (!dest.is_ok()) {
    fail(err::kDestination, dest.status().message() + ".", &frame);
    return;
  }
  if (dest->kind == DestinationKind::kTempQueue || dest->kind == DestinationKind::kReplyQueue) {
    fail(err::kDestination,
         "Temp and reply queues are subscribed to by the server itself; SUBSCRIBE to /queue/, "
         "/topic/, /exchange/ or /amq/queue/ destinations.",
         &frame);
    return;
  }
  auto sub = std::make_unique<Subscription>();
  sub->id = id;
  sub->destination = std::string(*dest_text);
  sub->dest = dest.value();
  const std::string_view ack = frame.header("ack").value_or("auto");
  if (ack == "auto") {
    sub->mode = AckMode::kAuto;
  } else if (ack == "client") {
    sub->mode = AckMode::kClient;
  } else if (ack == "client-individual") {
    sub->mode = AckMode::kClientIndividual;
  } else {
    fail(err::kBadHeader,
         "The ack header must be auto, client or client-individual; got " + quoted(ack) + ".",
         &frame);
    return;
  }
  uint64_t prefetch = 0;
  if (auto p = frame.header("prefetch-count")) {
    if (!parse_u64(*p, &prefetch) || prefetch > UINT32_MAX) {
      fail(err::kBadHeader,
           "The prefetch-count header must be a whole number (0 = no limit); got " + quoted(*p) +
               ".",
           &frame);
      return;
    }
  }

  switch (sub->dest.kind) {
    case DestinationKind::kQueue:
      if (!ensure_queue(frame, sub->dest.name)) return;
      sub->queue = sub->dest.name;
      break;
    case DestinationKind::kAmqQueue:
      if (!broker_.has_queue(sub->dest.name)) {
        fail(err::kNotFound,
             "Queue " + quoted(sub->dest.name) +
                 " does not exist; /amq/queue/ names an existing queue (use /queue/ to make one).",
             &frame);
        return;
      }
      sub->queue = sub->dest.name;
      break;
    case DestinationKind::kTopic:
    case DestinationKind::kExchange: {
      const bool topic = sub->dest.kind == DestinationKind::kTopic;
      const std::string exchange = topic ? std::string(kTopicExchange) : sub->dest.name;
      const std::string key = topic ? sub->dest.name : sub->dest.key;
      if (!ensure_exchange(frame, exchange)) return;
      sub->durable = frame.header("durable") ? flag(frame, "durable") : flag(frame, "persistent");
      if (auto qn = frame.header("x-queue-name"); qn && !qn->empty()) {
        sub->queue = std::string(*qn);
      } else if (sub->durable) {
        sub->queue = "stomp-durable-" + owner_ + "-" + id;
      } else {
        sub->queue = "stomp-subscription-" + std::to_string(sid_) + "-" +
                     std::to_string(next_queue_number_++);
      }
      QueueOptions qo;
      qo.durable = sub->durable;
      Status st = broker_.declare_queue(sub->queue, qo);
      if (!st.is_ok()) {
        fail(err::kQueue, st.message() + ".", &frame);
        return;
      }
      sub->own_queue = !sub->durable;
      st = broker_.bind(sub->queue, exchange, key);
      if (!st.is_ok()) {
        if (sub->own_queue) (void)broker_.delete_queue(sub->queue);
        fail(err::kNotFound, st.message() + ".", &frame);
        return;
      }
      break;
    }
    case DestinationKind::kTempQueue:
    case DestinationKind::kReplyQueue:
      return;  // refused above
  }
  Subscription* raw = sub.get();
  raw->serial = next_serial_++;
  auto receipt = frame.header("receipt");
  // The RECEIPT comes first (it may wait for earlier SENDs' commit): the
  // MESSAGEs the subscription gets meanwhile are held until it is sent.
  raw->held = receipt.has_value();
  subs_.emplace(id, std::move(sub));
  if (!start_consumer(frame, raw, static_cast<uint32_t>(prefetch))) return;
  if (receipt) receipt_after_publishes(std::string(*receipt), false, raw->serial);
}

void StompSession::release_held(uint64_t serial) {
  for (auto& [id, sub] : subs_) {
    if (sub->serial != serial) continue;
    sub->held = false;
    if (!sub->held_bytes.empty()) emit_raw(sub->held_bytes);
    std::string().swap(sub->held_bytes);
    return;
  }
}

void StompSession::end_subscription(Subscription& sub, bool delete_durable) {
  // What was written is settled (ack:auto): it must not come back with the
  // cancel. What the acks' credit delivers now is not written, and goes back.
  sub.ending = true;
  settle_written(sub);
  if (!broker_session_ended_) {
    Status st = broker_.cancel(sid_, sub.consumer);
    (void)st;  // kNotFound: the broker cancelled it already (its queue is gone)
    if (sub.own_queue || (sub.durable && delete_durable)) (void)broker_.delete_queue(sub.queue);
  }
  by_consumer_.erase(sub.consumer);
  for (auto it = temp_queues_.begin(); it != temp_queues_.end(); ++it) {
    if (it->second == sub.queue) {
      temp_queues_.erase(it);
      break;
    }
  }
}

void StompSession::on_unsubscribe(const Frame& frame) {
  std::string id;
  if (auto h = frame.header("id")) {
    id = std::string(*h);
  } else if (auto d = frame.header("destination"); d && version_ == "1.0") {
    id = std::string(*d);
  } else {
    fail(err::kMissingHeader, "An UNSUBSCRIBE frame needs an id header.", &frame);
    return;
  }
  auto it = subs_.find(id);
  if (it == subs_.end()) {
    fail(err::kSubscription, "There is no subscription with id " + quoted(id) + ".", &frame);
    return;
  }
  end_subscription(*it->second, flag(frame, "durable"));
  subs_.erase(it);
  if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
}

StompSession::Subscription* StompSession::holder_of(DeliveryTag tag) {
  for (auto& [id, sub] : subs_) {
    auto& u = sub->unacked;
    if (u.empty() || tag < u.front() || tag > u.back()) continue;
    if (std::binary_search(u.begin(), u.end(), tag)) return sub.get();
  }
  return nullptr;
}

void StompSession::on_ack(const Frame& frame, bool nack) {
  const char* verb = nack ? "NACK" : "ACK";
  auto id = ack_id(frame);
  if (!id) {
    fail(err::kMissingHeader,
         version_ == "1.2"
             ? std::string("A STOMP 1.2 ") + verb +
                   " frame needs an id header (the MESSAGE's ack header); message-id is STOMP "
                   "1.0 and 1.1."
             : std::string("A STOMP ") + version_ + " " + verb +
                   " frame needs a message-id header (the MESSAGE's message-id).",
         &frame);
    return;
  }
  uint64_t tag = 0;
  if (!parse_u64(*id, &tag) || holder_of(tag) == nullptr) {
    fail(err::kAck,
         std::string(verb) + " of " + quoted(*id) +
             ": no unacknowledged message of this connection has that id (acknowledged already, "
             "from an ack:auto subscription, or never sent).",
         &frame);
    return;
  }
  bool requeue = true;
  if (auto rq = frame.header("requeue")) {
    std::optional<bool> b = parse_bool(*rq);
    if (!b) {
      fail(err::kBadHeader, "The requeue header must be true or false; got " + quoted(*rq) + ".",
           &frame);
      return;
    }
    requeue = *b;
  }
  if (auto tx = frame.header("transaction")) {
    std::vector<Frame>* held = transaction_room(frame, *tx);
    if (held == nullptr) return;
    held->push_back(frame);
    if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
    return;
  }
  if (!settle(frame, tag, nack, requeue)) return;
  if (auto r = frame.header("receipt")) {
    // A receipt says the ACK holds, after a crash too (tools/soak saw acked
    // messages come back after a SIGKILL when it did not): it waits for the
    // commit that holds the delete, which is started now rather than at the
    // end of the commit window, and never blocks the loop.
    Result<PublishSeq> seq = broker_.sync(sid_);
    if (!seq.is_ok()) {
      fail(err::kNotSaved,
           "The " + frame.command + " could not be written (" + seq.status().message() +
               "); the message may come back after a restart.",
           &frame);
      return;
    }
    published_ = *seq;
    if (confirmed_ < published_) syncs_.push_back(published_);
    receipt_after_publishes(std::string(*r), false);
    (void)broker_.flush();
  }
}

// The delivery an ACK or NACK names: `id` in STOMP 1.2 (message-id is not
// enough: the spec requires id), message-id in 1.0 and 1.1 (or id).
std::optional<std::string_view> StompSession::ack_id(const Frame& frame) const {
  if (version_ == "1.2") return frame.header("id");
  auto id = frame.header("message-id");
  return id ? id : frame.header("id");
}

// Acks or nacks `tag` (and, in client mode, every earlier delivery of its
// subscription). False after sending an ERROR.
bool StompSession::settle(const Frame& frame, DeliveryTag tag, bool nack, bool requeue) {
  Subscription* sub = holder_of(tag);
  if (sub == nullptr) {
    fail(err::kAck,
         std::string(nack ? "NACK" : "ACK") + " of \"" + std::to_string(tag) +
             "\": the message is no longer unacknowledged (settled or returned since).",
         &frame);
    return false;
  }
  std::vector<DeliveryTag> tags;
  auto& u = sub->unacked;
  if (sub->mode == AckMode::kClient) {
    // Cumulative: this delivery and every earlier one of the subscription.
    auto end = std::upper_bound(u.begin(), u.end(), tag);
    tags.assign(u.begin(), end);
    u.erase(u.begin(), end);
  } else {
    auto at = std::lower_bound(u.begin(), u.end(), tag);
    tags.push_back(tag);
    u.erase(at);
  }
  // Settling may deliver again (a requeued message, freed credit) into
  // sub->unacked: the tags to settle were taken out first.
  for (DeliveryTag t : tags) {
    Status st = nack ? broker_.nack(sid_, t, requeue) : broker_.ack(sid_, t);
    if (!st.is_ok()) {
      fail(err::kAck, st.message() + ".", &frame);
      return false;
    }
  }
  return true;
}

}  // namespace wmq::stomp
