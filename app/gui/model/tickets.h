// Tickets: how an order looks on the scene — its colour state, its redelivery
// badge, the label of an order a STOMP program sent — and how a row of tickets
// folds into a counted stack when there are more than the board can show.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/restaurant.h"

namespace wmq::gui {

// The states the scene colours a ticket by (the legend lists them in this order).
enum class TicketState : uint8_t {
  kPlacing,       // at the cashier, no receipt yet
  kReady,         // on the board, not on disk (a transient queue, or not yet committed)
  kPersisted,     // on the board, confirmed and on disk: survives a broker crash
  kUnacked,       // in a cook's hands, not acked yet
  kRedelivered,   // back on the board after a cook failed (badge x2, x3, ...)
  kAtPickup,      // food ready at the pickup counter
  kServed,        // on the customer's table
  kDeadLettered,  // moved aside to the dead-letter queue
  kExpired,       // waited too long on the board
  kLost,          // gone with a crashed broker (or cook, in direct mode)
  kRejected,      // refused at the door (a bad order)
};
inline constexpr int kTicketStateCount = 11;

// "placing", "ready", ...: stable names (i18n keys end in them).
const char* ticket_state_name(TicketState state);

// A ticket waiting on a board: redelivered when it went out before and came back, persisted
// when its queue is durable and the cashier has its receipt, else ready.
TicketState board_ticket_state(bool durable_queue, bool confirmed, uint32_t deliveries_so_far,
                               bool redelivered);

// Where an order is by its status (for tickets that are not on a board or in a cook's hands).
// An order whose cashier has no receipt yet is ready once the broker holds a copy of it
// (Order::copies), as its ticket on the board is; before that it is being placed.
TicketState order_ticket_state(const sim::Order& order);

// The "xN" badge of a ticket: the number of the delivery it is on (in a cook's hands) or will
// be on next (on the board). 0 = no badge (a first delivery).
uint32_t redelivery_badge(uint32_t delivery_count, bool in_hands);

// The widest label a ticket shows: four characters fit its paper at the smallest scene font.
inline constexpr size_t kProgramLabelMax = 4;
// The longest order id of a program's kept in full (for the inspector).
inline constexpr size_t kProgramIdMax = 32;

// The STOMP program's own id for the order it sent: the JSON body's "order" (a whole number or
// a string), else the message's `order` header (the note format), in printable ASCII without
// spaces at the ends, at most kProgramIdMax characters. "" when it gave none a person can read.
std::string program_order_id(std::string_view body, const std::optional<std::string>& header);

// The name of an order a program sent, since no simulated order number stands behind it: its
// own `id` (program_order_id), else "P" and `ordinal`, its place among the programs' orders of
// the run, from 1 ("P3"): shorter than any broker message id a lesson reaches.
std::string program_order_name(std::string_view id, uint32_t ordinal);

// What its ticket says: the name when it fits (kProgramLabelMax), else "~" and its last three
// characters ("~456" for order 123456): sequential ids differ at the end.
std::string program_ticket_label(std::string_view name);

// How a row of `total` tickets fits `capacity` slots: all of them when they fit, else
// capacity - 1 tickets and one counted stack holding the rest in the last slot.
struct Fold {
  size_t shown = 0;   // tickets drawn one by one
  size_t folded = 0;  // tickets in the stack (0 = no stack)
};
Fold fold_tickets(size_t total, size_t capacity);

}  // namespace wmq::gui
