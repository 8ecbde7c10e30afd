#include "gui/model/tickets.h"

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
      return TicketState::kPlacing;
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

Fold fold_tickets(size_t total, size_t capacity) {
  if (total <= capacity) return Fold{total, 0};
  if (capacity == 0) return Fold{0, total};
  return Fold{capacity - 1, total - (capacity - 1)};
}

}  // namespace wmq::gui
