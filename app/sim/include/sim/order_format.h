// The order as a message: its JSON body, the `orders` exchange's validator,
// and the old cashier's plain-text note with its translator.
//
//   application/json      {"order":17,"dish":"nasi goreng","qty":2,"table":4}
//   text/x-order-note     2x nasi goreng; meja 4      (order number in header "order")
//
// The validator answers in sentences the cashier reads, e.g.
//   order 17 rejected: "qty" must be 1..20, got 0
// It runs on every publish, so it reads the body with a small strict JSON
// reader of its own into four fields (no document, no allocation).
//
// Thread-safety: the returned functions share an immutable menu; they may be
// called from one thread at a time each (the broker's).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "broker/status.h"
#include "broker/translation.h"
#include "broker/validation.h"
#include "sim/menu.h"

namespace wmq::sim {

inline constexpr const char* kOrderJson = "application/json";
inline constexpr const char* kOrderNote = "text/x-order-note";

// The JSON body of an order. `dish` is written as given (a bad order may
// name a dish that is not on the menu).
std::string order_json(uint32_t order, std::string_view dish, uint32_t qty, uint32_t table);
// The same, appended to `out` (a publisher reusing its buffer allocates nothing).
void append_order_json(std::string& out, uint32_t order, std::string_view dish, uint32_t qty,
                       uint32_t table);

// The old cashier's note: "2x nasi goreng; meja 4".
std::string order_note(std::string_view dish, uint32_t qty, uint32_t table);

// The validator of the `orders` exchange: a JSON object with "order" (an
// integer), "dish" (on the menu and cooked at the routing key's station),
// "qty" (1..20) and "table" (an integer >= 1). Other fields are allowed.
Validator make_order_validator(std::shared_ptr<const Menu> menu);

// The translator from text/x-order-note to application/json. The order number
// comes from the message's "order" header; a note it cannot read is refused:
//   order 12 rejected: cannot read the note "dua nasi goreng"; write it like "2x nasi goreng; meja
//   4"
Translator make_note_translator();

}  // namespace wmq::sim
