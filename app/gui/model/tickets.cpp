#include "gui/model/tickets.h"

#include <nlohmann/json.hpp>

namespace wmq::gui {

const char* ticket_state_name(TicketState state) {
  switch (state) {
    case TicketState::kPlacing:
      return "placing";
    case TicketState::kReady:
      return "ready";
    case TicketState::kPersisted:
      return "persisted";
    case TicketState::kUnacked:
      return "unacked";
    case TicketState::kRedelivered:
      return "redelivered";
    case TicketState::kAtPickup:
      return "at_pickup";
    case TicketState::kServed:
      return "served";
    case TicketState::kDeadLettered:
      return "dead_lettered";
    case TicketState::kExpired:
      return "expired";
    case TicketState::kLost:
      return "lost";
    case TicketState::kRejected:
      return "rejected";
  }
  return "unknown";
}

TicketState board_ticket_state(bool durable_queue, bool confirmed, uint32_t deliveries_so_far,
                               bool redelivered) {
  if (redelivered || deliveries_so_far > 0) return TicketState::kRedelivered;
  return durable_queue && confirmed ? TicketState::kPersisted : TicketState::kReady;
}

TicketState order_ticket_state(const sim::Order& o) {
  switch (o.status) {
    case sim::OrderStatus::kPlacing:
      // The cashier waits for its receipt, but the broker has already pinned a copy: the
      // board shows it ready, and so must everything else that names its state.
      return o.copies > 0 ? TicketState::kReady : TicketState::kPlacing;
    case sim::OrderStatus::kOnBoard:
      return TicketState::kReady;
    case sim::OrderStatus::kCooking:
      return TicketState::kUnacked;
    case sim::OrderStatus::kAtPickup:
      return TicketState::kAtPickup;
    case sim::OrderStatus::kServed:
      return TicketState::kServed;
    case sim::OrderStatus::kRejected:
      return TicketState::kRejected;
    case sim::OrderStatus::kDeadLettered:
      return TicketState::kDeadLettered;
    case sim::OrderStatus::kExpired:
      return TicketState::kExpired;
    case sim::OrderStatus::kLost:
      return TicketState::kLost;
  }
  return TicketState::kReady;
}

uint32_t redelivery_badge(uint32_t delivery_count, bool in_hands) {
  const uint32_t n = in_hands ? delivery_count : delivery_count + 1;
  return n >= 2 ? n : 0;
}

namespace {

// `id` as a ticket shows it: printable ASCII, no spaces at the ends, at most kProgramLabelMax.
std::string printable_id(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (c >= 0x20 && c < 0x7f) out.push_back(c);
  }
  const size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  out = out.substr(first, kProgramIdMax);
  out.erase(out.find_last_not_of(' ') + 1);
  return out;
}

}  // namespace

std::string program_order_id(std::string_view body, const std::optional<std::string>& header) {
  // Without exceptions: a body that is not JSON is a program's business, not an error here.
  const nlohmann::json j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  std::string id;
  if (j.is_object()) {
    auto it = j.find("order");
    if (it != j.end() && it->is_number_integer()) id = it->dump();
    if (it != j.end() && it->is_string()) id = printable_id(it->get<std::string>());
  }
  if (id.empty() && header) id = printable_id(*header);
  return id;
}

std::string program_order_name(std::string_view id, uint32_t ordinal) {
  return id.empty() ? "P" + std::to_string(ordinal) : std::string(id);
}

std::string program_ticket_label(std::string_view name) {
  if (name.size() <= kProgramLabelMax) return std::string(name);
  return "~" + std::string(name.substr(name.size() - (kProgramLabelMax - 1)));
}

Fold fold_tickets(size_t total, size_t capacity) {
  if (total <= capacity) return Fold{total, 0};
  if (capacity == 0) return Fold{0, total};
  return Fold{capacity - 1, total - (capacity - 1)};
}

}  // namespace wmq::gui
