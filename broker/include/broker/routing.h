// Routing: how an exchange picks queues for a routing key.
//
//   direct  — binding key == routing key
//   fanout  — every bound queue, whatever the key
//   topic   — AMQP patterns over dot-separated words: `*` matches exactly one
//             word, `#` matches zero or more words ("grill.*", "#.urgent").
// The default exchange (named "") routes to the queue named by the routing
// key, with no bindings needed.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace wmq {

// True when the topic binding `pattern` matches `routing_key`.
bool topic_matches(std::string_view pattern, std::string_view routing_key);

}  // namespace wmq
