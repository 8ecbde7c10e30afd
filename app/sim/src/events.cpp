#include "sim/events.h"

#include <nlohmann/json.hpp>

#include "sim/simulation.h"

namespace wmq::sim {

const char* sim_event_kind_name(SimEventKind k) {
  switch (k) {
    case SimEventKind::kBroker:
      return "broker";
    case SimEventKind::kCustomerArrived:
      return "customer_arrived";
    case SimEventKind::kOrderPlaced:
      return "order_placed";
    case SimEventKind::kOrderPublished:
      return "order_published";
    case SimEventKind::kOrderRejected:
      return "order_rejected";
    case SimEventKind::kReceipt:
      return "receipt";
    case SimEventKind::kConfirmTimeout:
      return "confirm_timeout";
    case SimEventKind::kCookStarted:
      return "cook_started";
    case SimEventKind::kCookFinished:
      return "cook_finished";
    case SimEventKind::kLateAckRefused:
      return "late_ack_refused";
    case SimEventKind::kServed:
      return "served";
    case SimEventKind::kOrderLost:
      return "order_lost";
    case SimEventKind::kCookCrashed:
      return "cook_crashed";
    case SimEventKind::kCookFrozen:
      return "cook_frozen";
    case SimEventKind::kCookRevived:
      return "cook_revived";
    case SimEventKind::kCookConnected:
      return "cook_connected";
    case SimEventKind::kCookAdded:
      return "cook_added";
    case SimEventKind::kCookRemoved:
      return "cook_removed";
    case SimEventKind::kCashierCrashed:
      return "cashier_crashed";
    case SimEventKind::kCashierBack:
      return "cashier_back";
    case SimEventKind::kBrokerCrashed:
      return "broker_crashed";
    case SimEventKind::kBrokerRestarted:
      return "broker_restarted";
    case SimEventKind::kBrokerError:
      return "broker_error";
    case SimEventKind::kInjected:
      return "injected";
    case SimEventKind::kNarration:
      return "narration";
    case SimEventKind::kAnnouncement:
      return "announcement";
    case SimEventKind::kWaitingForCook:
      return "waiting_for_cook";
  }
  return "unknown";
}

void EventRecorder::on_sim_event(const SimEvent& e) {
  LogEntry l;
  l.kind = e.kind;
  l.at = e.at;
  l.order = e.order;
  l.cashier = e.cashier;
  l.cook = e.cook;
  l.customer = e.customer;
  l.message = e.message;
  l.count = e.count;
  l.text = std::string(e.text);
  l.text_id = std::string(e.text_id);
  if (e.broker != nullptr) {
    const Event& b = *e.broker;
    l.broker_kind = b.kind;
    l.session = b.session;
    l.count = b.count;
    l.redelivered = b.redelivered;
    l.queue = std::string(b.queue);
    l.text = std::string(b.reason);
  }
  entries_.push_back(std::move(l));
}

void TraceWriter::on_sim_event(const SimEvent& e) {
  nlohmann::ordered_json j;
  j["t"] = e.at;
  if (e.broker != nullptr) {
    const Event& b = *e.broker;
    j["src"] = "broker";
    j["kind"] = event_kind_name(b.kind);
    if (e.order != 0) j["order"] = e.order;
    if (b.message != 0) j["message"] = b.message;
    if (b.session != 0) j["session"] = b.session;
    if (b.consumer != 0) j["consumer"] = b.consumer;
    if (b.seq != 0) j["seq"] = b.seq;
    if (!b.exchange.empty()) j["exchange"] = b.exchange;
    if (!b.queue.empty()) j["queue"] = b.queue;
    if (!b.routing_key.empty()) j["routing_key"] = b.routing_key;
    if (!b.reason.empty()) j["reason"] = b.reason;
    if (b.code != Code::kOk) j["code"] = code_name(b.code);
    if (b.count != 0) j["count"] = b.count;
    if (b.redelivered) j["redelivered"] = true;
    if (b.kind == EventKind::kSessionState) {
      j["from"] = session_state_name(b.state_from);
      j["to"] = session_state_name(b.state_to);
    }
  } else {
    j["src"] = "sim";
    j["kind"] = sim_event_kind_name(e.kind);
    if (e.order != 0) j["order"] = e.order;
    if (e.customer != 0) j["customer"] = e.customer;
    if (e.cashier >= 0) {
      j["cashier"] = sim_.cashiers()[static_cast<size_t>(e.cashier)].name;
    }
    if (e.cook >= 0) {
      j["cook"] = sim_.cooks()[static_cast<size_t>(e.cook)].name;
    }
    if (e.message != 0) j["message"] = e.message;
    if (e.count != 0) j["count"] = e.count;
    if (!e.text.empty()) j["text"] = e.text;
    if (!e.text_id.empty()) j["text_id"] = e.text_id;
  }
  out_ << j.dump() << '\n';
}

}  // namespace wmq::sim
