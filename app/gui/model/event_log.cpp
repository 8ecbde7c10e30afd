#include "gui/model/event_log.h"

#include <algorithm>
#include <cassert>

#include "sim/simulation.h"

namespace wmq::gui {

namespace {

using sim::SimEventKind;

constexpr int kLastSimKind = static_cast<int>(SimEventKind::kWaitingForCook);
constexpr int kLastBrokerKind = static_cast<int>(EventKind::kRecovered);

// How far back a newly resolved session patches records that came before it was known: the
// session is opened and made active before the simulator stores its id, two events at most.
constexpr size_t kPatchBack = 16;

LogGroup broker_group(EventKind k) {
  switch (k) {
    case EventKind::kPublished:
    case EventKind::kRejected:
    case EventKind::kTranslated:
    case EventKind::kValidated:
    case EventKind::kRouted:
    case EventKind::kUnroutable:
    case EventKind::kEnqueued:
    case EventKind::kConfirmed:
    case EventKind::kPublishNacked:
      return LogGroup::kPipeline;
    case EventKind::kDelivered:
    case EventKind::kAcked:
    case EventKind::kNacked:
    case EventKind::kRequeued:
      return LogGroup::kDelivery;
    case EventKind::kExpired:
    case EventKind::kDeadLettered:
    case EventKind::kDropped:
      return LogGroup::kTrouble;
    case EventKind::kSessionOpened:
    case EventKind::kSessionState:
    case EventKind::kConsumerAdded:
    case EventKind::kConsumerCancelled:
      return LogGroup::kSessions;
    case EventKind::kExchangeDeclared:
    case EventKind::kQueueDeclared:
    case EventKind::kQueueChanged:
    case EventKind::kQueueDeleted:
    case EventKind::kBound:
    case EventKind::kUnbound:
      return LogGroup::kTopology;
    case EventKind::kCommitted:
    case EventKind::kCommitFailed:
    case EventKind::kRecovered:
      return LogGroup::kPersistence;
  }
  return LogGroup::kPipeline;
}

LogGroup sim_group(SimEventKind k) {
  switch (k) {
    case SimEventKind::kBroker:  // handled by broker_group
    case SimEventKind::kCustomerArrived:
    case SimEventKind::kOrderPlaced:
    case SimEventKind::kReceipt:
    case SimEventKind::kServed:
    case SimEventKind::kWaitingForCook:
      return LogGroup::kCustomers;
    case SimEventKind::kOrderPublished:
    case SimEventKind::kOrderRejected:
    case SimEventKind::kConfirmTimeout:
      return LogGroup::kPipeline;
    case SimEventKind::kCookStarted:
    case SimEventKind::kCookFinished:
    case SimEventKind::kLateAckRefused:
      return LogGroup::kDelivery;
    case SimEventKind::kOrderLost:
    case SimEventKind::kCookCrashed:
    case SimEventKind::kCookFrozen:
    case SimEventKind::kCashierCrashed:
    case SimEventKind::kBrokerCrashed:
    case SimEventKind::kBrokerError:
    case SimEventKind::kInjected:
      return LogGroup::kTrouble;
    case SimEventKind::kCookRevived:
    case SimEventKind::kCookConnected:
    case SimEventKind::kCookAdded:
    case SimEventKind::kCookRemoved:
    case SimEventKind::kCashierBack:
      return LogGroup::kSessions;
    case SimEventKind::kBrokerRestarted:
      return LogGroup::kPersistence;
    case SimEventKind::kNarration:
    case SimEventKind::kAnnouncement:
      return LogGroup::kNarration;
  }
  return LogGroup::kCustomers;
}

}  // namespace

const char* log_group_name(LogGroup group) {
  switch (group) {
    case LogGroup::kCustomers:
      return "customers";
    case LogGroup::kPipeline:
      return "pipeline";
    case LogGroup::kDelivery:
      return "delivery";
    case LogGroup::kTrouble:
      return "trouble";
    case LogGroup::kSessions:
      return "sessions";
    case LogGroup::kPersistence:
      return "persistence";
    case LogGroup::kTopology:
      return "topology";
    case LogGroup::kNarration:
      return "narration";
  }
  return "unknown";
}

LogGroup log_group(const LogRecord& r) {
  return r.kind == SimEventKind::kBroker ? broker_group(r.broker_kind) : sim_group(r.kind);
}

int log_kind_code(const LogRecord& r) {
  return r.kind == SimEventKind::kBroker ? kBrokerKindBase + static_cast<int>(r.broker_kind)
                                         : static_cast<int>(r.kind);
}

std::string log_kind_name(int code) {
  if (code >= 0 && code <= kLastSimKind && code != static_cast<int>(SimEventKind::kBroker)) {
    return sim::sim_event_kind_name(static_cast<SimEventKind>(code));
  }
  if (code >= kBrokerKindBase && code <= kBrokerKindBase + kLastBrokerKind) {
    return std::string("broker.") + event_kind_name(static_cast<EventKind>(code - kBrokerKindBase));
  }
  return {};
}

std::vector<int> log_kind_codes() {
  std::vector<int> codes;
  for (int code = static_cast<int>(SimEventKind::kBroker) + 1; code <= kLastSimKind; ++code) {
    codes.push_back(code);
  }
  for (int code = kBrokerKindBase; code <= kBrokerKindBase + kLastBrokerKind; ++code) {
    codes.push_back(code);
  }
  return codes;
}

EventLog::EventLog(size_t capacity) : ring_(std::max<size_t>(capacity, 1)) {
  texts_.emplace_back();
  text_index_.emplace(std::string(), 0);
}

uint32_t EventLog::intern(std::string_view s) {
  if (s.empty()) return 0;
  auto it = text_index_.find(std::string(s));
  if (it != text_index_.end()) return it->second;
  const auto index = static_cast<uint32_t>(texts_.size());
  texts_.emplace_back(s);
  text_index_.emplace(texts_.back(), index);
  return index;
}

void EventLog::resolve_session(LogRecord& r, const sim::Simulation* sim) {
  if (r.session == 0) return;
  auto it = holders_.find(r.session);
  if (it == holders_.end()) {
    if (sim == nullptr) return;
    std::pair<int32_t, int32_t> who{-1, -1};
    for (const sim::Cook& k : sim->cooks()) {
      if (k.session == r.session) who.first = static_cast<int32_t>(k.index);
    }
    for (const sim::Cashier& c : sim->cashiers()) {
      if (c.session == r.session) who.second = static_cast<int32_t>(c.index);
    }
    if (who.first < 0 && who.second < 0) return;  // not stored by the simulator yet
    it = holders_.emplace(r.session, who).first;
    // The events that opened the session came before the simulator stored its id.
    const size_t back = std::min(count_, kPatchBack);
    for (size_t i = 1; i <= back; ++i) {
      LogRecord& old = ring_[(next_seq_ - i) % ring_.size()];
      if (old.session == r.session && old.cook < 0 && old.cashier < 0) {
        old.cook = who.first;
        old.cashier = who.second;
      }
    }
  }
  if (r.cook < 0) r.cook = it->second.first;
  if (r.cashier < 0) r.cashier = it->second.second;
}

void EventLog::add(const sim::SimEvent& e, const sim::Simulation* sim) {
  LogRecord r;
  r.seq = next_seq_;
  r.at = e.at;
  r.kind = e.kind;
  r.order = e.order;
  r.cashier = e.cashier;
  r.cook = e.cook;
  r.customer = e.customer;
  r.message = e.message;
  r.count = e.count;
  r.text = intern(e.text);
  r.text_id = intern(e.text_id);
  if (e.injection != nullptr) {
    injections_.push_back(*e.injection);
    r.injection = static_cast<uint32_t>(injections_.size());
  }
  if (e.broker != nullptr) {
    const Event& b = *e.broker;
    if (b.kind == EventKind::kSessionOpened && b.session != 0) {
      // A new broker after a crash reuses ids: what the id named before is stale.
      holders_.erase(b.session);
      clients_.insert_or_assign(b.session, intern(b.reason));
    }
    r.broker_kind = b.kind;
    r.session = b.session;
    if (b.session != 0) {
      auto it = clients_.find(b.session);
      if (it != clients_.end()) r.client = it->second;
    }
    r.count = b.count;
    r.redelivered = b.redelivered;
    r.queue = intern(b.queue);
    r.text = intern(b.reason);
    resolve_session(r, sim);
  }
  ring_[next_seq_ % ring_.size()] = r;
  ++next_seq_;
  count_ = std::min(count_ + 1, ring_.size());
}

std::string EventLog::who(const LogRecord& r, const sim::Simulation& sim) const {
  if (r.cook >= 0) {
    const auto i = static_cast<size_t>(r.cook);
    return i < sim.cooks().size() ? sim.cooks()[i].name : std::string("?");
  }
  if (r.cashier >= 0) {
    const auto i = static_cast<size_t>(r.cashier);
    return i < sim.cashiers().size() ? sim.cashiers()[i].name : std::string("?");
  }
  return texts_[r.client];
}

const std::string& EventLog::client_name(SessionId session) const {
  auto it = clients_.find(session);
  return it == clients_.end() ? texts_[0] : texts_[it->second];
}

const LogRecord* EventLog::find(uint64_t seq) const {
  if (seq < first_seq() || seq >= next_seq_) return nullptr;
  return &ring_[seq % ring_.size()];
}

const sim::Injection* EventLog::injection(const LogRecord& r) const {
  return r.injection == 0 || r.injection > injections_.size() ? nullptr
                                                              : &injections_[r.injection - 1];
}

bool LogFilter::accepts(const LogRecord& r) const {
  if ((groups & (1u << static_cast<unsigned>(log_group(r)))) == 0) return false;
  if (kind >= 0 && log_kind_code(r) != kind) return false;
  if (order != 0 && r.order != order) return false;
  if (cook >= 0 && r.cook != cook) return false;
  if (cashier >= 0 && r.cashier != cashier) return false;
  if (session != 0 && r.session != session) return false;
  return true;
}

void FilteredLog::update(const EventLog& log, const LogFilter& filter, uint64_t log_epoch) {
  if (log_epoch != epoch_ || !(filter == filter_) || scanned_to_ > log.next_seq()) {
    seqs_.clear();
    filter_ = filter;
    epoch_ = log_epoch;
    scanned_to_ = log.first_seq();
  }
  while (!seqs_.empty() && seqs_.front() < log.first_seq())
    seqs_.pop_front();
  for (uint64_t s = std::max(scanned_to_, log.first_seq()); s < log.next_seq(); ++s) {
    const LogRecord* r = log.find(s);
    assert(r != nullptr && "FilteredLog: a kept sequence number has no record");
    if (filter_.accepts(*r)) seqs_.push_back(s);
  }
  scanned_to_ = log.next_seq();
}

}  // namespace wmq::gui
