// Translation: turning one message format into another before routing.
//
// A translator is registered for a source content type and names the type it
// produces (e.g. the old cashier's plain-text notes, `text/x-order-note`, to
// `application/json`). A message of the source type is translated before
// exchange validators run and before routing; a message the translator cannot
// read is rejected with its reason (Code::kInvalid). A content type with no
// translator and not registered as known is rejected (Code::kUnknownFormat).
//
// Thread-safety: translators run on the broker's thread.
#pragma once

#include <functional>
#include <string>

#include "broker/message.h"
#include "broker/status.h"

namespace wmq {

// Returns the translated body, or why it cannot.
using TranslateFn = std::function<Result<std::string>(const Message& message)>;

struct Translator {
  std::string from;  // content type read
  std::string to;    // content type written (must be known to the broker)
  TranslateFn fn;
};

}  // namespace wmq
