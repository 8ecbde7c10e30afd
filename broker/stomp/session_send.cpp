// StompSession, publishing: SEND (declaring its exchange or queue on first
// use, temp queues) and the transactions that hold SENDs and acks until
// COMMIT.
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stomp/session.h"
#include "stomp/session_internal.h"

namespace wmq::stomp {

bool StompSession::ensure_exchange(const Frame& frame, const std::string& name) {
  if (broker_.has_exchange(name)) return true;
  // The standard exchanges exist on first use, as they do in RabbitMQ.
  ExchangeOptions o;
  o.durable = true;
  if (name == "amq.topic") {
    o.kind = ExchangeKind::kTopic;
  } else if (name == "amq.direct") {
    o.kind = ExchangeKind::kDirect;
  } else if (name == "amq.fanout") {
    o.kind = ExchangeKind::kFanout;
  } else {
    fail(err::kNotFound, "Exchange " + quoted(name) + " does not exist.", &frame);
    return false;
  }
  Status st = broker_.declare_exchange(name, o);
  if (!st.is_ok()) {
    fail(err::kNotFound, st.message(), &frame);
    return false;
  }
  return true;
}

// Declares /queue/NAME on first use (durable unless durable:false), with the
// RabbitMQ x- headers a client may give. An existing queue is used as it is
// unless the frame asks for settings, which must then match.
bool StompSession::ensure_queue(const Frame& frame, const std::string& name) {
  QueueOptions o;
  o.durable = true;
  bool asked = false;
  auto refuse = [&](std::string_view header, std::string_view value) {
    fail(err::kBadHeader,
         "Header " + std::string(header) + " has a value this server cannot use: " + quoted(value) +
             ".",
         &frame);
    return false;
  };
  // Each read with frame.header(): the first occurrence of a header counts.
  uint64_t n = 0;
  if (auto v = frame.header("durable")) {
    asked = true;
    std::optional<bool> durable = parse_bool(*v);
    if (!durable) return refuse("durable", *v);
    o.durable = *durable;
  }
  if (auto v = frame.header("x-max-length")) {
    asked = true;
    if (!parse_u64(*v, &n) || n > UINT32_MAX) return refuse("x-max-length", *v);
    o.max_length = static_cast<uint32_t>(n);
  }
  if (auto v = frame.header("x-overflow")) {
    asked = true;
    if (*v != "reject-publish" && *v != "drop-head") return refuse("x-overflow", *v);
    o.overflow = *v == "drop-head" ? Overflow::kDropHead : Overflow::kRejectPublish;
  }
  if (auto v = frame.header("x-message-ttl")) {
    asked = true;
    if (!parse_u64(*v, &n) || n > static_cast<uint64_t>(INT64_MAX / kMillis)) {
      return refuse("x-message-ttl", *v);
    }
    o.message_ttl = static_cast<Micros>(n) * kMillis;
  }
  if (auto v = frame.header("x-delivery-limit")) {
    asked = true;
    if (!parse_u64(*v, &n) || n > UINT32_MAX) return refuse("x-delivery-limit", *v);
    o.delivery_limit = static_cast<uint32_t>(n);
  }
  if (auto v = frame.header("x-dead-letter-exchange")) {
    asked = true;
    o.dead_letter_exchange = std::string(*v);
  }
  if (auto v = frame.header("x-dead-letter-routing-key")) {
    asked = true;
    o.dead_letter_routing_key = std::string(*v);
  }
  if (broker_.has_queue(name) && !asked) return true;
  if (!o.dead_letter_exchange.empty() && !ensure_exchange(frame, o.dead_letter_exchange)) {
    return false;
  }
  Status st = broker_.declare_queue(name, o);
  if (!st.is_ok()) {
    fail(st.code() == Code::kExists ? err::kQueue : err::kDestination,
         st.message() + "; leave out the queue headers to use it as it is.", &frame);
    return false;
  }
  return true;
}

void StompSession::on_send(Frame& frame) {
  auto dest_text = frame.header("destination");
  if (!dest_text) {
    fail(err::kMissingHeader,
         "A SEND frame needs a destination header, e.g. destination:/queue/orders.", &frame);
    return;
  }
  if (!permitted(frame, Access::kWrite, *dest_text)) return;
  Result<Destination> dest = parse_destination(*dest_text);
  if (!dest.is_ok()) {
    fail(err::kDestination, dest.status().message() + ".", &frame);
    return;
  }
  if (dest->kind == DestinationKind::kTempQueue) {
    fail(err::kDestination,
         "A /temp-queue/ destination belongs in a reply-to header; the replier sends to the "
         "/reply-queue/ destination it finds in its MESSAGE's reply-to.",
         &frame);
    return;
  }
  if (auto tx = frame.header("transaction")) {
    std::vector<Frame>* held = transaction_room(frame, *tx);
    if (held == nullptr) return;
    // Its receipt comes once COMMIT has enqueued it, as in RabbitMQ: a
    // receipt always means "in its queues (and written, if persistent)".
    held->push_back(std::move(frame));
    return;
  }
  publish(frame, dest.value(), true);
}

// Publishes one SEND (now, or at its transaction's COMMIT). With
// `with_receipt`, a receipt header is answered once the broker confirms.
bool StompSession::publish(Frame& frame, const Destination& dest, bool with_receipt) {
  std::string exchange;
  Message m;
  switch (dest.kind) {
    case DestinationKind::kQueue:
      if (!ensure_queue(frame, dest.name)) return false;
      m.routing_key = dest.name;
      break;
    case DestinationKind::kAmqQueue:
    case DestinationKind::kReplyQueue:
      m.routing_key = dest.name;
      break;
    case DestinationKind::kTopic:
      exchange = std::string(kTopicExchange);
      if (!ensure_exchange(frame, exchange)) return false;
      m.routing_key = dest.name;
      break;
    case DestinationKind::kExchange:
      exchange = dest.name;
      if (!ensure_exchange(frame, exchange)) return false;
      m.routing_key = dest.key;
      break;
    case DestinationKind::kTempQueue:
      assert(false && "publish: /temp-queue/ destinations are refused before publishing");
      return false;
  }
  if (m.routing_key.size() > UINT16_MAX) {
    fail(err::kDestination, "The routing key is over 65535 bytes.", &frame);
    return false;
  }
  if (auto ct = frame.header("content-type")) {
    if (ct->size() > UINT8_MAX) {
      fail(err::kBadHeader, "The content-type header is over 255 bytes.", &frame);
      return false;
    }
    m.content_type = std::string(*ct);
    if (config_.register_content_types) broker_.register_content_type(m.content_type);
  }
  m.persistent = flag(frame, "persistent");
  if (auto e = frame.header("expiration")) {
    uint64_t ms = 0;
    if (!parse_u64(*e, &ms) || ms > static_cast<uint64_t>(INT64_MAX / kMillis)) {
      fail(err::kBadHeader,
           "The expiration header must be a whole number of milliseconds; got " + quoted(*e) + ".",
           &frame);
      return false;
    }
    m.ttl = static_cast<Micros>(ms) * kMillis;
  }
  for (const auto& header : frame.headers) {
    // Named references, not a structured binding: clang 14 cannot capture those.
    const std::string& name = header.first;
    const std::string& value = header.second;
    if (is_send_control_header(name) || is_message_header(name)) continue;
    // The first occurrence of a header is the one that counts.
    const bool seen = std::any_of(m.headers.begin(), m.headers.end(),
                                  [&](const Header& h) { return h.name == name; });
    if (seen) continue;
    if (name == "reply-to" && value.rfind("/temp-queue/", 0) == 0) {
      std::optional<std::string> q = temp_queue(frame, std::string_view(value).substr(12));
      if (!q) return false;
      m.headers.push_back(Header{name, "/reply-queue/" + *q});
      continue;
    }
    m.headers.push_back(Header{name, value});
  }
  m.body = std::move(frame.body);

  std::optional<std::string> receipt;
  if (with_receipt) {
    if (auto r = frame.header("receipt")) receipt = std::string(*r);
  }
  // The confirm may come before publish() returns (transient queues, or a
  // publish that fills the batch): the receipt waits at the seq it will get.
  if (receipt) receipts_.push_back(PendingReceipt{published_ + 1, *receipt, false});
  Result<Published> r = broker_.publish(sid_, exchange, m);
  if (r.is_ok()) {
    assert(r->seq == published_ + 1 && "the broker numbers publishes 1, 2, 3... per session");
    published_ = r->seq;
    has_sent_ = true;
    return true;
  }
  if (receipt) receipts_.pop_back();
  if (r.status().code() == Code::kUnroutable) {
    // As in RabbitMQ: a message no queue wants is dropped, not an error.
    if (receipt) receipt_after_publishes(std::move(*receipt), false);
    return true;
  }
  fail(r.status().code() == Code::kNotFound ? err::kNotFound : err::kRefused,
       r.status().message() + ".", &frame);
  return false;
}

// The private reply queue for /temp-queue/NAME, made (and subscribed to,
// ack:auto) on first use.
std::optional<std::string> StompSession::temp_queue(const Frame& frame, std::string_view name) {
  if (name.empty()) {
    fail(err::kDestination, "reply-to:/temp-queue/ needs a name after the prefix.", &frame);
    return std::nullopt;
  }
  auto it = temp_queues_.find(std::string(name));
  if (it != temp_queues_.end()) return it->second;
  const std::string sub_id = "/temp-queue/" + std::string(name);
  if (subs_.count(sub_id) != 0 || subs_.size() >= config_.max_subscriptions) {
    fail(err::kLimit,
         "Cannot make the reply queue for " + quoted(sub_id) +
             ": its subscription id is taken or the subscription limit is reached.",
         &frame);
    return std::nullopt;
  }
  const std::string queue =
      "stomp-reply-" + std::to_string(sid_) + "-" + std::to_string(next_queue_number_++);
  Status st = broker_.declare_queue(queue, QueueOptions{});
  if (!st.is_ok()) {
    fail(err::kQueue, st.message() + ".", &frame);
    return std::nullopt;
  }
  auto sub = std::make_unique<Subscription>();
  sub->id = sub_id;
  sub->destination = sub_id;
  sub->dest = Destination{DestinationKind::kReplyQueue, queue, ""};
  sub->mode = AckMode::kAuto;
  sub->queue = queue;
  sub->own_queue = true;
  Subscription* raw = sub.get();
  subs_.emplace(sub_id, std::move(sub));
  temp_queues_.emplace(std::string(name), queue);
  if (!start_consumer(frame, raw, 0)) return std::nullopt;
  return queue;
}

std::vector<Frame>* StompSession::transaction_room(const Frame& frame, std::string_view tx) {
  auto it = transactions_.find(std::string(tx));
  if (it == transactions_.end()) {
    fail(err::kTransaction, "Transaction " + quoted(tx) + " was not begun.", &frame);
    return nullptr;
  }
  if (it->second.size() >= config_.max_transaction_frames) {
    fail(err::kLimit,
         "Transaction " + quoted(tx) + " holds " + std::to_string(config_.max_transaction_frames) +
             " frames, the most allowed.",
         &frame);
    return nullptr;
  }
  return &it->second;
}

void StompSession::on_begin(const Frame& frame) {
  auto tx = frame.header("transaction");
  if (!tx) {
    fail(err::kMissingHeader, "A BEGIN frame needs a transaction header.", &frame);
    return;
  }
  if (transactions_.count(std::string(*tx)) != 0) {
    fail(err::kTransaction, "Transaction " + quoted(*tx) + " is open already.", &frame);
    return;
  }
  if (transactions_.size() >= config_.max_transactions) {
    fail(err::kLimit,
         "This connection has " + std::to_string(config_.max_transactions) +
             " open transactions, the most allowed.",
         &frame);
    return;
  }
  transactions_.emplace(std::string(*tx), std::vector<Frame>{});
  if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
}

void StompSession::on_commit(const Frame& frame) {
  auto tx = frame.header("transaction");
  if (!tx) {
    fail(err::kMissingHeader, "A COMMIT frame needs a transaction header.", &frame);
    return;
  }
  auto it = transactions_.find(std::string(*tx));
  if (it == transactions_.end()) {
    fail(err::kTransaction, "Transaction " + quoted(*tx) + " was not begun.", &frame);
    return;
  }
  std::vector<Frame> frames = std::move(it->second);
  transactions_.erase(it);
  for (Frame& f : frames) {
    if (state_ != State::kConnected) return;
    if (f.command == "SEND") {
      // Parsed when it was buffered, so it parses again.
      Result<Destination> dest = parse_destination(*f.header("destination"));
      if (!publish(f, dest.value(), true)) return;
    } else {
      uint64_t tag = 0;
      (void)parse_u64(*ack_id(f), &tag);
      const bool requeue = parse_bool(f.header("requeue").value_or("true")).value_or(true);
      if (!settle(f, tag, f.command == "NACK", requeue)) return;
    }
  }
  if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
}

void StompSession::on_abort(const Frame& frame) {
  auto tx = frame.header("transaction");
  if (!tx) {
    fail(err::kMissingHeader, "An ABORT frame needs a transaction header.", &frame);
    return;
  }
  if (transactions_.erase(std::string(*tx)) == 0) {
    fail(err::kTransaction, "Transaction " + quoted(*tx) + " was not begun.", &frame);
    return;
  }
  if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
}

}  // namespace wmq::stomp
