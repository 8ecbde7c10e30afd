// Validation: the checks every publish passes before it can reach a queue.
//
// The broker itself checks the body size (BrokerOptions::max_body_bytes) and
// that the content type is one it knows (registered, or translatable into one
// that is). Exchanges add their own validators (e.g. the restaurant's
// `orders` exchange checks an order's JSON). A validator returns ok or a
// Status whose message is the sentence the publisher will read, e.g.
// `order 17 rejected: "qty" must be 1..20, got 0`. A rejected message never
// enters a queue.
//
// Thread-safety: validators run on the broker's thread.
#pragma once

#include <functional>

#include "broker/message.h"
#include "broker/status.h"

namespace wmq {

// Sees the message after translation. Must not call into the broker.
using Validator = std::function<Status(const Message& message)>;

}  // namespace wmq
