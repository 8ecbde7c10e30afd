#include "order_ledger.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <system_error>

namespace wmq::sim {

namespace {

constexpr std::string_view kNewsPrefix = "news.";

uint32_t parse_order_header(const Payload& p) {
  std::optional<std::string> h = p.header("order");
  if (!h) return 0;
  uint32_t n = 0;
  auto [ptr, ec] = std::from_chars(h->data(), h->data() + h->size(), n);
  (void)ptr;
  return ec == std::errc() ? n : 0;
}

}  // namespace

std::string news_queue(std::string_view station) {
  return std::string(kNewsPrefix) + std::string(station);
}

bool is_news_queue(std::string_view queue) {
  return queue.size() > kNewsPrefix.size() && queue.substr(0, kNewsPrefix.size()) == kNewsPrefix;
}

OrderLedger::OrderLedger(std::vector<Order>& orders, Counters& counters, const ManualClock& clock,
                         bool keep_history)
    : orders_(orders), counters_(counters), clock_(clock), keep_history_(keep_history) {}

void OrderLedger::new_broker() {
  qcache_.clear();
  std::fill(msg_order_.begin(), msg_order_.end(), 0u);
  recovered_ = 0;
}

void OrderLedger::map_message(MessageId id, uint32_t value) {
  if (id >= msg_order_.size()) msg_order_.resize(std::max<size_t>(id + 1, msg_order_.size() * 2));
  msg_order_[id] = value;
}

int OrderLedger::queue_index(std::string_view name) {
  for (const auto& [ptr, idx] : qcache_) {
    if (ptr == name.data()) return idx;
  }
  int idx = -1;
  for (size_t i = 0; i < queues_.size(); ++i) {
    if (queues_[i].name == name) idx = static_cast<int>(i);
  }
  qcache_.emplace_back(name.data(), idx);
  return idx;
}

void OrderLedger::empty_queues() {
  qcache_.clear();
  for (QueueStats& q : queues_)
    q.depth = 0;
}

void OrderLedger::add_order() {
  if (keep_history_) steps_of_.emplace_back();
}

void OrderLedger::record(uint32_t n, StepKind kind, const StepFacts& facts) {
  if (!keep_history_ || n == 0) return;
  OrderStep s;
  s.at = clock_.now();
  s.kind = kind;
  s.who = facts.who;
  s.count = facts.count;
  s.message = facts.message;
  s.flag = facts.flag;
  s.queue = facts.queue < 0 ? 0 : static_cast<uint8_t>(facts.queue);
  s.external = facts.external;
  steps_of_[n - 1].push_back(s);
}

const std::vector<OrderStep>& OrderLedger::steps(uint32_t n) const {
  static const std::vector<OrderStep> kNone;
  if (n == 0 || n > steps_of_.size()) return kNone;
  return steps_of_[n - 1];
}

OrderLedger::Seen OrderLedger::on_broker_event(const Event& e) {
  uint32_t tagged = 0;
  if (e.message != 0) {
    if (e.kind == EventKind::kPublished) {
      map_message(e.message, publishing_);
    } else if (e.kind == EventKind::kRecovered) {
      uint32_t n = e.payload != nullptr ? parse_order_header(*e.payload) : 0;
      if (n > orders_.size()) n = 0;
      if (n != 0 && e.queue == kPickupQueue) n |= kFoodBit;
      map_message(e.message, n);
    }
    tagged = this->tagged(e.message);
  }
  const uint32_t n = tagged & ~kFoodBit;
  const bool food = (tagged & kFoodBit) != 0;
  Order* o = n != 0 ? &orders_[n - 1] : nullptr;
  int q = e.queue.empty() ? -1 : queue_index(e.queue);
  const bool station = q >= 0 && queues_[static_cast<size_t>(q)].station;
  const bool pickup = q >= 0 && queues_[static_cast<size_t>(q)].name == kPickupQueue;
  QueueStats* qs = q >= 0 ? &queues_[static_cast<size_t>(q)] : nullptr;
  auto ready_up = [qs] {
    if (qs != nullptr && ++qs->depth > qs->max_depth) qs->max_depth = qs->depth;
  };
  auto ready_down = [qs] {
    if (qs != nullptr && qs->depth > 0) --qs->depth;
  };
  auto copy_down = [&] {
    if (o == nullptr) return;
    if (station && !food && o->copies > 0) --o->copies;
    if (pickup && food && o->food > 0) --o->food;
  };
  switch (e.kind) {
    case EventKind::kPublished:
      if (o && !food)
        record(n, StepKind::kPublished, {.count = o->attempts + 1u, .message = e.message});
      break;
    case EventKind::kTranslated:
      if (o && !food) record(n, StepKind::kTranslated, {.message = e.message});
      break;
    case EventKind::kValidated:
      if (o && !food) record(n, StepKind::kValidated, {.message = e.message});
      break;
    case EventKind::kRouted:
      if (o && !food) record(n, StepKind::kRouted, {.count = e.count, .message = e.message});
      break;
    case EventKind::kUnroutable:
      if (o && !food) record(n, StepKind::kUnroutable, {.message = e.message});
      break;
    case EventKind::kEnqueued:
      ready_up();
      if (o) {
        if (station && !food) {
          ++o->copies;
          record(n, StepKind::kEnqueued, {.message = e.message, .queue = q});
        } else if (pickup && food) {
          ++o->food;
          if (o->status != OrderStatus::kServed) o->status = OrderStatus::kAtPickup;
          record(n, StepKind::kAtPickup, {.message = e.message, .queue = q});
        }
      }
      break;
    case EventKind::kDelivered:
      ready_down();
      if (station) {
        ++counters_.delivered;
        if (e.redelivered) ++counters_.redelivered;
      }
      break;
    case EventKind::kAcked:
      copy_down();
      break;
    case EventKind::kRequeued:
      ready_up();
      if (o && station && !food) {
        if (o->status == OrderStatus::kCooking) o->status = OrderStatus::kOnBoard;
        record(n, StepKind::kRequeued,
               {.count = e.count, .message = e.message, .flag = true, .queue = q});
      }
      break;
    case EventKind::kExpired:
      ready_down();
      if (o) {
        o->expired = true;
        record(n, StepKind::kExpired, {.message = e.message, .queue = q});
      }
      break;
    case EventKind::kDeadLettered:
      // The dead letter is a new message (id in seq): it still is this order.
      if (e.seq != 0 && tagged != 0) map_message(e.seq, tagged);
      [[fallthrough]];
    case EventKind::kDropped:
      if (e.reason == "maxlen" || e.reason == "commit failed" || e.reason == "queue deleted")
        ready_down();
      if (o && (station || pickup)) {
        copy_down();
        if (e.reason != "expired" && e.reason != "commit failed") {
          o->dead_lettered = true;
          if (o->reason.empty()) o->reason = std::string(e.reason);
          if (o->copies == 0 && o->served == 0) o->status = OrderStatus::kDeadLettered;
          record(n, StepKind::kDeadLettered, {.count = e.count, .message = e.message, .queue = q});
        } else if (e.reason == "expired" && o->copies == 0 && o->served == 0) {
          o->status = OrderStatus::kExpired;
        }
      }
      break;
    case EventKind::kRecovered:
      ready_up();
      ++recovered_;
      ++counters_.recovered_messages;
      if (o) {
        if (station && !food) {
          ++o->copies;
          if (o->status != OrderStatus::kServed) o->status = OrderStatus::kOnBoard;
          record(n, StepKind::kRecovered,
                 {.count = e.count, .message = e.message, .flag = e.redelivered, .queue = q});
        } else if (pickup && food) {
          ++o->food;
          if (o->status != OrderStatus::kServed) o->status = OrderStatus::kAtPickup;
          record(n, StepKind::kRecovered,
                 {.count = e.count, .message = e.message, .flag = e.redelivered, .queue = q});
        }
      }
      break;
    case EventKind::kCommitted:
      ++counters_.group_commits;
      break;
    default:
      break;
  }
  return Seen{n, food, station, q};
}

}  // namespace wmq::sim
