// Labels: the words the views put on the simulator's values — an order's
// steps, an event's kind, a dish's name — all from the language files.
//
// Thread-safety: pure functions of their arguments (the I18n is read only).
#pragma once

#include <string>

#include "gui/i18n.h"
#include "gui/model/event_log.h"
#include "gui/model/run.h"
#include "gui/model/variant.h"
#include "gui/model/workbench.h"
#include "sim/injection.h"
#include "sim/restaurant.h"

namespace wmq::gui {

// The dish's name in the current language ("fried rice" / "nasi goreng").
std::string dish_name(const I18n& t, const sim::Simulation& sim, uint16_t dish);

// An order's heading as the cashier wrote it: "Order #1: fried rice ×2". A bad order keeps its
// mistake ("×0", a dish not on the menu), since that is what the broker refused.
std::string order_heading(const I18n& t, const sim::Simulation& sim, const sim::Order& order);

// An order's table number as written, or the words for none ("no table written").
std::string table_label(const I18n& t, const sim::Order& order);

// One step of an order's life as a sentence: "Given again to grill-2 (delivery 2)".
std::string step_text(const I18n& t, const sim::Simulation& sim, const sim::Order& order,
                      const sim::OrderStep& step);

// Why an order went back to its cashier, in the order's terms: "no station cooks rendang".
// Only meaningful for an order with `unroutable` set.
std::string unroutable_reason(const I18n& t, const sim::Simulation& sim, const sim::Order& order);

// The order's "Why" line: the simulator's reason, in the current language when it is one of the
// fixed words the broker writes ("delivery_limit": "given too many times"), except for an order no
// station cooks, which is told without the broker's message number: "no station cooks rendang: sent
// back to cashier-2". Empty when the order has no reason.
std::string order_reason(const I18n& t, const sim::Simulation& sim, const sim::Order& order);

// The short label of a log record's kind: "Delivered", "Cook crashed".
const char* event_label(const I18n& t, const LogRecord& record);
// The label of a kind code (log_kind_code), for the kind filter.
const char* kind_code_label(const I18n& t, int code);

// The details of a log record: its queue, count, reason or text, as one short line. A record of
// an order no station cooks tells it as the Inspector's Why does (order_reason), not with the
// broker's message number and exchange; `sim` is the run the log belongs to.
std::string event_detail(const I18n& t, const EventLog& log, const LogRecord& record,
                         const sim::Simulation& sim);

// What was done to the restaurant, in words: "Crash cook grill-1 · back in 30s", "A bad order
// at cashier-1: Zero portions", "Board row grill: transient".
std::string injection_text(const I18n& t, const sim::Injection& injection);

// What a variant changes, in words: "transient orders, prefetch 10"; "" for an empty one.
std::string variant_text(const I18n& t, const Variant& variant);

// What run B of the split view is: "B: transient orders" or "B: the future before 12:03".
std::string side_b_label(const I18n& t, const Workbench& bench);

// A cook, cashier or order status in words.
const char* cook_state_label(const I18n& t, sim::CookState state);
const char* cashier_state_label(const I18n& t, sim::CashierState state);
// An order's status; an order returned by routing says so rather than "refused at the door",
// and one on the board before its cashier's receipt says both (order_ticket_state).
const char* order_status_label(const I18n& t, const sim::Order& order);

}  // namespace wmq::gui
