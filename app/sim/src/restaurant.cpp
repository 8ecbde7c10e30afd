// Stable lower-case names of the restaurant's enums (sim/restaurant.h), for
// traces, logs and the GUI: changing one changes every trace file.
#include "sim/restaurant.h"

namespace wmq::sim {

const char* customer_state_name(CustomerState s) {
  switch (s) {
    case CustomerState::kInLine:
      return "in_line";
    case CustomerState::kOrdering:
      return "ordering";
    case CustomerState::kWaitingFood:
      return "waiting_food";
    case CustomerState::kServed:
      return "served";
    case CustomerState::kLeft:
      return "left";
  }
  return "unknown";
}

const char* cashier_state_name(CashierState s) {
  switch (s) {
    case CashierState::kIdle:
      return "idle";
    case CashierState::kTaking:
      return "taking";
    case CashierState::kWaitingConfirm:
      return "waiting_confirm";
    case CashierState::kWaitingBroker:
      return "waiting_broker";
    case CashierState::kHanding:
      return "handing";
    case CashierState::kWaitingCook:
      return "waiting_cook";
    case CashierState::kWaitingFood:
      return "waiting_food";
    case CashierState::kCrashed:
      return "crashed";
  }
  return "unknown";
}

const char* cook_state_name(CookState s) {
  switch (s) {
    case CookState::kIdle:
      return "idle";
    case CookState::kCooking:
      return "cooking";
    case CookState::kFrozen:
      return "frozen";
    case CookState::kCrashed:
      return "crashed";
    case CookState::kOffline:
      return "offline";
    case CookState::kRemoved:
      return "removed";
  }
  return "unknown";
}

const char* external_role_name(ExternalRole r) {
  switch (r) {
    case ExternalRole::kCook:
      return "cook";
    case ExternalRole::kCashier:
      return "cashier";
  }
  return "unknown";
}

const char* external_state_name(ExternalState s) {
  switch (s) {
    case ExternalState::kConnected:
      return "connected";
    case ExternalState::kGone:
      return "gone";
  }
  return "unknown";
}

const char* order_status_name(OrderStatus s) {
  switch (s) {
    case OrderStatus::kPlacing:
      return "placing";
    case OrderStatus::kOnBoard:
      return "on_board";
    case OrderStatus::kCooking:
      return "cooking";
    case OrderStatus::kAtPickup:
      return "at_pickup";
    case OrderStatus::kServed:
      return "served";
    case OrderStatus::kRejected:
      return "rejected";
    case OrderStatus::kDeadLettered:
      return "dead_lettered";
    case OrderStatus::kExpired:
      return "expired";
    case OrderStatus::kLost:
      return "lost";
  }
  return "unknown";
}

const char* step_kind_name(StepKind k) {
  switch (k) {
    case StepKind::kPlaced:
      return "placed";
    case StepKind::kPublished:
      return "published";
    case StepKind::kTranslated:
      return "translated";
    case StepKind::kValidated:
      return "validated";
    case StepKind::kRouted:
      return "routed";
    case StepKind::kUnroutable:
      return "unroutable";
    case StepKind::kRejected:
      return "rejected";
    case StepKind::kEnqueued:
      return "enqueued";
    case StepKind::kConfirmed:
      return "confirmed";
    case StepKind::kConfirmTimeout:
      return "confirm_timeout";
    case StepKind::kDelivered:
      return "delivered";
    case StepKind::kCookStarted:
      return "cook_started";
    case StepKind::kCookCrashed:
      return "cook_crashed";
    case StepKind::kRequeued:
      return "requeued";
    case StepKind::kAcked:
      return "acked";
    case StepKind::kLateAckRefused:
      return "late_ack_refused";
    case StepKind::kFoodReady:
      return "food_ready";
    case StepKind::kAtPickup:
      return "at_pickup";
    case StepKind::kExpired:
      return "expired";
    case StepKind::kDeadLettered:
      return "dead_lettered";
    case StepKind::kRecovered:
      return "recovered";
    case StepKind::kVanished:
      return "vanished";
    case StepKind::kServed:
      return "served";
    case StepKind::kLost:
      return "lost";
    case StepKind::kNotSaved:
      return "not_saved";
  }
  return "unknown";
}

}  // namespace wmq::sim
