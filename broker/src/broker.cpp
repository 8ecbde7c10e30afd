// The broker core's public facade: every public call holds a CallScope, then
// hands over to Broker::Impl (broker_impl.h lists the files of its parts). See
// broker/include/broker/broker.h for the contract and the message state machine.
#include "broker/broker.h"

#include <algorithm>
#include <cassert>
#include <string>
#include <vector>

#include "broker_impl.h"

namespace wmq {

std::string in_quotes(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out.append(s);
  out += '"';
  return out;
}

Status no_queue(std::string_view name) {
  return Status::error(Code::kNotFound, "queue " + in_quotes(name) + ": not found");
}

Status no_exchange(std::string_view name) {
  return Status::error(Code::kNotFound, "exchange " + in_quotes(name) + ": not found");
}

Status no_session(SessionId id) {
  return Status::error(Code::kNotFound, "session " + std::to_string(id) + ": no such session");
}

Broker::Impl::Impl(Clock& clock, BrokerOptions options) : clock_(clock), opt_(std::move(options)) {
  content_types_.emplace("application/octet-stream", true);
  ExchangeOptions def;
  def.kind = ExchangeKind::kDirect;
  def.durable = true;
  auto ex = std::make_unique<Exchange>();
  ex->name = "";
  ex->opt = def;
  default_exchange_ = ex.get();
  exchanges_.emplace("", std::move(ex));
}

void Broker::Impl::tell(Event& e) {
  e.at = now();
  for (EventListener* l : listeners_)
    l->on_event(e);
}

Broker::Impl::~Impl() {
  for (auto& [name, q] : queues_) {
    for (Entry& e : q->ready)
      e.msg->release();
  }
  for (auto& [id, s] : sessions_) {
    for (Unacked& u : s->unacked) {
      if (u.live) u.entry.msg->release();
    }
  }
}

// ------------------------------------------------------------------ facade

namespace {

// Marks one public call: work deferred to its end (commits at the size cap,
// sink notices, freeing deleted queues) runs when the outermost call returns.
class CallScope {
 public:
  explicit CallScope(Broker::Impl& impl) : impl_(impl) { ++impl_.depth_; }
  ~CallScope() {
    --impl_.depth_;
    impl_.settle_calls();
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  Broker::Impl& impl_;
};

}  // namespace

Broker::Broker(Clock& clock, BrokerOptions options)
    : impl_(std::make_unique<Impl>(clock, std::move(options))) {}
Broker::~Broker() = default;

Status Broker::attach_store(std::unique_ptr<Store> store) {
  CallScope call(*impl_);
  return impl_->attach_store(std::move(store));
}
Status Broker::flush() {
  CallScope call(*impl_);
  return impl_->flush();
}
void Broker::stop_delivering() {
  impl_->delivering_ = false;
}

Result<PublishSeq> Broker::sync(SessionId session) {
  CallScope call(*impl_);
  return impl_->sync(session);
}
void Broker::drain() {
  CallScope call(*impl_);
  if (impl_->store_ != nullptr) impl_->store_->drain();
}

Status Broker::close() {
  CallScope call(*impl_);
  // A commit still running is answered first; its failure is its batch's.
  if (impl_->store_ != nullptr) impl_->store_->drain();
  Status st = impl_->flush();
  if (impl_->store_ != nullptr) impl_->store_->drain();
  impl_->delivering_ = false;
  std::vector<SessionId> ids;
  for (const auto& [id, s] : impl_->sessions_) {
    if (!s->ended()) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  for (SessionId id : ids)
    (void)impl_->end_session(id, SessionState::kClosed, "broker shut down");
  Status st2 = impl_->flush();
  if (impl_->store_ != nullptr) impl_->store_->drain();
  return st.is_ok() ? st2 : st;
}
void Broker::set_commit_window(Micros window) {
  impl_->opt_.commit_window = window;
}

void Broker::register_content_type(std::string content_type) {
  impl_->content_types_.emplace(std::move(content_type), true);
}
void Broker::register_translator(Translator t) {
  assert(t.fn && "Broker::register_translator: the translator has no function");
  assert(t.to.size() <= UINT8_MAX && "Broker::register_translator: content type over 255 bytes");
  impl_->content_types_.emplace(t.to, true);
  std::string from = t.from;
  impl_->translators_.insert_or_assign(std::move(from), std::move(t));
}

Status Broker::declare_exchange(std::string_view name, ExchangeOptions options) {
  CallScope call(*impl_);
  return impl_->declare_exchange(name, std::move(options));
}
Status Broker::add_validator(std::string_view exchange, Validator validator) {
  CallScope call(*impl_);
  return impl_->add_validator(exchange, std::move(validator));
}
Status Broker::declare_queue(std::string_view name, QueueOptions options) {
  CallScope call(*impl_);
  return impl_->declare_queue(name, std::move(options));
}
Status Broker::update_queue(std::string_view name, QueueOptions options) {
  CallScope call(*impl_);
  return impl_->update_queue(name, std::move(options));
}
Status Broker::delete_queue(std::string_view name) {
  CallScope call(*impl_);
  return impl_->delete_queue(name);
}
Status Broker::bind(std::string_view queue, std::string_view exchange, std::string_view key) {
  CallScope call(*impl_);
  return impl_->bind(queue, exchange, key);
}
Status Broker::unbind(std::string_view queue, std::string_view exchange, std::string_view key) {
  CallScope call(*impl_);
  return impl_->unbind(queue, exchange, key);
}
bool Broker::has_queue(std::string_view name) const {
  return impl_->queues_.find(name) != impl_->queues_.end();
}
bool Broker::has_exchange(std::string_view name) const {
  return impl_->exchanges_.find(name) != impl_->exchanges_.end();
}

SessionId Broker::open_session(SessionOptions options, SessionSink* sink) {
  CallScope call(*impl_);
  return impl_->open_session(std::move(options), sink);
}
Status Broker::connected(SessionId session) {
  CallScope call(*impl_);
  return impl_->connected(session);
}
Status Broker::heartbeat(SessionId session) {
  CallScope call(*impl_);
  return impl_->heartbeat(session);
}
Status Broker::close_session(SessionId session) {
  CallScope call(*impl_);
  return impl_->end_session(session, SessionState::kClosed, "closed by the client");
}
Status Broker::kill_session(SessionId session, std::string_view reason) {
  CallScope call(*impl_);
  return impl_->end_session(session, SessionState::kDead, reason);
}
void Broker::release_session(SessionId session) {
  CallScope call(*impl_);
  impl_->release_session(session);
}
Result<SessionState> Broker::session_state(SessionId session) const {
  return impl_->session_state(session);
}

Result<Published> Broker::publish(SessionId session, std::string_view exchange,
                                  const Message& message) {
  CallScope call(*impl_);
  return impl_->publish(session, exchange, message);
}
Result<ConsumerId> Broker::subscribe(SessionId session, std::string_view queue,
                                     ConsumeOptions options) {
  CallScope call(*impl_);
  return impl_->subscribe(session, queue, options);
}
Status Broker::cancel(SessionId session, ConsumerId consumer) {
  CallScope call(*impl_);
  return impl_->cancel(session, consumer);
}
Status Broker::ack(SessionId session, DeliveryTag tag) {
  CallScope call(*impl_);
  return impl_->ack(session, tag);
}
Status Broker::nack(SessionId session, DeliveryTag tag, bool requeue) {
  CallScope call(*impl_);
  return impl_->nack(session, tag, requeue);
}

void Broker::tick() {
  CallScope call(*impl_);
  impl_->tick();
}
Micros Broker::next_deadline() const {
  return impl_->next_deadline();
}

void Broker::add_listener(EventListener* listener) {
  assert(listener != nullptr && "Broker::add_listener: the listener is null");
  impl_->listeners_.push_back(listener);
}
void Broker::remove_listener(EventListener* listener) {
  std::erase(impl_->listeners_, listener);
}
BrokerSnapshot Broker::snapshot() const {
  return impl_->snapshot();
}
std::vector<QueuedMessage> Broker::peek(std::string_view queue, size_t offset, size_t limit) const {
  return impl_->peek(queue, offset, limit);
}
const BrokerOptions& Broker::options() const {
  return impl_->opt_;
}
Clock& Broker::clock() const {
  return impl_->clock_;
}

}  // namespace wmq
