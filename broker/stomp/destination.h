// Destinations: what a STOMP `destination` header names, the RabbitMQ way.
//
// STOMP leaves destinations to the server. WarungMQ reads them as RabbitMQ's
// STOMP plugin does, so clients and habits from there work here:
//
//   /queue/NAME          the queue NAME (durable, declared on first use);
//                        SEND goes through the default exchange
//   /amq/queue/NAME      the existing queue NAME (never declared)
//   /topic/KEY           SEND: exchange amq.topic, routing key KEY;
//                        SUBSCRIBE: a queue of its own bound with pattern KEY
//   /exchange/NAME[/KEY] SEND: exchange NAME, routing key KEY (may be empty);
//                        SUBSCRIBE: a queue of its own bound with pattern KEY
//   /temp-queue/NAME     only in a SEND's reply-to: a private reply queue
//   /reply-queue/NAME    where a reply to a temp queue is sent
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "broker/status.h"

namespace wmq::stomp {

enum class DestinationKind { kQueue, kAmqQueue, kTopic, kExchange, kTempQueue, kReplyQueue };

struct Destination {
  DestinationKind kind = DestinationKind::kQueue;
  // The queue (kQueue, kAmqQueue, kTempQueue, kReplyQueue), the exchange
  // (kExchange) or the routing key / binding pattern (kTopic).
  std::string name;
  // kExchange only: the routing key or binding pattern after NAME/.
  std::string key;
  bool operator==(const Destination&) const = default;
};

// The exchange behind /topic/ destinations.
inline constexpr std::string_view kTopicExchange = "amq.topic";

// Reads a destination header. Errors (kInvalid), quoting the header: an
// unknown prefix (the message lists the known ones), an empty name after the
// prefix, "/exchange/" with no exchange name.
Result<Destination> parse_destination(std::string_view text);

}  // namespace wmq::stomp
