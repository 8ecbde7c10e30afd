// Selection: what the person clicked last — the inspector shows it, the
// scene outlines it, and keyboard shortcuts act on it.
//
// Thread-safety: a value.
#pragma once

#include <cstdint>
#include <string>

namespace wmq::gui {

struct Selection {
  enum class Kind : uint8_t { kNone, kOrder, kCook, kCashier, kQueue, kBroker };
  Kind kind = Kind::kNone;
  uint32_t index = 0;  // order (ticket) number (kOrder), cook or cashier index
  std::string queue;   // kQueue: the queue's name

  static Selection none() { return {}; }
  static Selection order(uint32_t number) { return {Kind::kOrder, number, {}}; }
  static Selection cook(uint32_t index) { return {Kind::kCook, index, {}}; }
  static Selection cashier(uint32_t index) { return {Kind::kCashier, index, {}}; }
  static Selection of_queue(std::string name) { return {Kind::kQueue, 0, std::move(name)}; }
  static Selection broker() { return {Kind::kBroker, 0, {}}; }

  bool is(Kind k, uint32_t i) const { return kind == k && index == i; }
  bool operator==(const Selection&) const = default;
};

// "none", "order 12", "cook 2", "cashier 0", "queue grill", "broker", "stomp cook 0" (a STOMP
// program in the kitchen: run.h, kExternalIndexBase), "stomp order 0" (an order a STOMP program
// sent: run.h, kProgramOrderBase): for command labels.
std::string describe(const Selection& selection);

}  // namespace wmq::gui
