// The restaurant on the broker: setup, the broker's life (start, crash,
// restart) and its events, time, and the facade. See sim/simulation.h for the
// story and the rules of time, simulation_impl.h for where the rest lives.
#include "sim/simulation.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "disk_gate.h"
#include "sim/order_format.h"
#include "simulation_impl.h"

namespace wmq::sim {

namespace {

// Random streams of one seed (random.h says why there are several).
constexpr uint64_t kArrivalStream = 1;
constexpr uint64_t kMiscStream = 2;

// The one rule for the restaurant's own topology (exchanges, queues,
// bindings, its validator): it is valid by construction, and declaring it is
// idempotent, so a restart declares it again over what the store recovered.
// A refusal is therefore a bug here, not a situation to handle: it asserts.
void must(const Status& st) {
  assert(st.is_ok() && "the restaurant's topology is always valid");
  (void)st;
}

}  // namespace

Simulation::Impl::Impl(const Scenario& scenario, SimOptions options)
    : sc_(scenario),
      opt_(std::move(options)),
      menu_(std::make_shared<const Menu>(scenario.menu)),
      validator_(make_order_validator(menu_)),
      translator_(make_note_translator()),
      rng_arrivals_(opt_.seed, kArrivalStream),
      rng_misc_(opt_.seed, kMiscStream),
      rate_(scenario.rate),
      commit_window_(scenario.commit_window),
      ledger_(orders_, counters_, clock_, opt_.history),
      live_(*this),
      direct_(*this) {}

Simulation::Impl::~Impl() {
  if (broker_) broker_->remove_listener(this);  // the scene is over: no more steps
  live_.close();                                // its sessions live on the broker: it goes first
  broker_.reset();
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);  // best effort: a leftover temp dir harms nobody
  }
}

// ------------------------------------------------------------------ setup

Status Simulation::Impl::init(std::vector<Injection> injections) {
  for (const StationSettings& st : sc_.stations) {
    stations_.push_back(st.name);
    station_q_.push_back(st.queue);
    station_cook_count_.push_back(0);
    direct_.add_station();
    ledger_.add_queue(QueueStats{st.name, st.queue.durable, true, 0, 0, 0});
  }
  pickup_q_ = sc_.pickup;
  handing_tag_.assign(sc_.cashiers, 0);
  handing_epoch_.assign(sc_.cashiers, 0);
  if (sc_.mode == Mode::kBroker) {
    ledger_.add_queue(QueueStats{kPickupQueue, pickup_q_.durable, false, 0, 0, 0});
    ledger_.add_queue(QueueStats{kDeadLetterQueue, true, false, 0, 0, 0});
  }
  for (uint32_t i = 0; i < sc_.cashiers; ++i) {
    Cashier c;
    c.index = i;
    c.name = "cashier-" + std::to_string(i + 1);
    c.old = i < sc_.old_cashiers;
    cashiers_.push_back(std::move(c));
    cashier_sinks_.push_back(std::make_unique<Sink>(*this, false, i));
  }
  for (size_t s = 0; s < sc_.stations.size(); ++s) {
    const StationSettings& st = sc_.stations[s];
    for (uint32_t i = 0; i < st.cooks; ++i) {
      new_cook(static_cast<uint32_t>(s), i < st.speeds.size() ? st.speeds[i] : 1.0);
    }
  }
  for (uint32_t d : sc_.dishes)
    total_weight_ += menu_->dishes[d].weight;

  if (sc_.mode == Mode::kBroker) {
    if (Status st = prepare_storage(); !st.is_ok()) return st;
    if (Status st = start_broker(); !st.is_ok()) return st;
  }
  for (size_t i = 0; i < sc_.timeline.size(); ++i) {
    sched_.push(sc_.timeline[i].at, kTimeline, static_cast<uint32_t>(i), 0, Scheduler::kLateLane);
  }
  for (Injection& in : injections) {
    if (in.at < 0) {
      return Status::error(Code::kInvalid, "injection " + describe(in) +
                                               ": a recorded injection needs its time (at >= 0)");
    }
    if (Status st = check_shape(in); !st.is_ok()) return st;
    injections_.push_back(std::move(in));
    sched_.push(injections_.back().at, kInjection, static_cast<uint32_t>(injections_.size() - 1), 0,
                Scheduler::kLateLane);
  }
  schedule_next_arrival();
  return Status::ok();
}

Status Simulation::Impl::prepare_storage() {
  if (opt_.storage == Storage::kMemory) {
    disk_ = std::make_shared<MemoryDisk>();
    data_path_ = ":memory:";
    return Status::ok();
  }
  if (!opt_.data_path.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(opt_.data_path, ec)) {
      return Status::error(Code::kExists,
                           "broker file \"" + opt_.data_path +
                               "\": already exists; a run starts from an empty broker, so "
                               "remove it or give another --data path");
    }
    data_path_ = opt_.data_path;
    return Status::ok();
  }
  std::string base = std::filesystem::temp_directory_path().string() + "/warungmq-XXXXXX";
  std::vector<char> buf(base.begin(), base.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    return Status::error(Code::kIoError, "cannot create a temporary directory under \"" +
                                             std::filesystem::temp_directory_path().string() +
                                             "\" for the broker file");
  }
  temp_dir_ = buf.data();
  data_path_ = temp_dir_ + "/broker.db";
  return Status::ok();
}

// The run's store behind its DiskGate (fill_disk, free_disk).
Result<std::unique_ptr<Store>> Simulation::Impl::open_store() {
  Result<std::unique_ptr<Store>> st = opt_.storage == Storage::kMemory
                                          ? MemoryStore::open(disk_, data_path_)
                                          : Store::open(data_path_);
  if (!st.is_ok()) return st;
  return std::unique_ptr<Store>(new DiskGate(std::move(st).value(), disk_full_));
}

Cook& Simulation::Impl::new_cook(uint32_t station, double speed) {
  Cook k;
  k.index = static_cast<uint32_t>(cooks_.size());
  k.station = station;
  k.name = stations_[station] + "-" + std::to_string(++station_cook_count_[station]);
  k.speed = speed;
  k.prefetch = sc_.stations[station].prefetch;
  cooks_.push_back(std::move(k));
  cook_sinks_.push_back(std::make_unique<Sink>(*this, true, cooks_.back().index));
  return cooks_.back();
}

QueueOptions Simulation::Impl::queue_options(const QueueSettings& s) const {
  QueueOptions q;
  q.durable = s.durable;
  q.max_length = s.max_length;
  q.overflow = Overflow::kRejectPublish;
  q.message_ttl = s.ttl;
  q.delivery_limit = s.delivery_limit;
  q.dead_letter_exchange = kDeadLetterExchange;
  return q;
}

// Declares a queue, or brings a recovered one to the settings we want now.
void Simulation::Impl::ensure_queue(const std::string& name, const QueueOptions& q) {
  Status st = changing_broker().declare_queue(name, q);
  if (st.code() == Code::kExists) st = changing_broker().update_queue(name, q);
  must(st);
}

Status Simulation::Impl::start_broker() {
  BrokerOptions bo;
  bo.commit_window = commit_window_;
  broker_ = std::make_unique<Broker>(clock_, bo);
  deadline_dirty_ = true;
  broker_->add_listener(this);
  ++epoch_;
  ledger_.new_broker();
  Result<std::unique_ptr<Store>> store = open_store();
  if (!store.is_ok()) {
    broker_.reset();
    return store.status();
  }
  Status st = changing_broker().attach_store(std::move(store).value());
  if (!st.is_ok()) {
    broker_.reset();
    return st;
  }
  changing_broker().register_content_type(kOrderJson);
  changing_broker().register_content_type("text/plain");
  changing_broker().register_translator(translator_);
  ExchangeOptions direct{ExchangeKind::kDirect, true, ""};
  ExchangeOptions fanout{ExchangeKind::kFanout, true, ""};
  must(changing_broker().declare_exchange(kOrdersExchange, direct));
  must(changing_broker().add_validator(kOrdersExchange, validator_));
  must(changing_broker().declare_exchange(kDeadLetterExchange, fanout));
  QueueOptions dlq;
  dlq.durable = true;
  ensure_queue(kDeadLetterQueue, dlq);
  must(changing_broker().bind(kDeadLetterQueue, kDeadLetterExchange, ""));
  for (size_t s = 0; s < stations_.size(); ++s) {
    ensure_queue(stations_[s], queue_options(station_q_[s]));
    must(changing_broker().bind(stations_[s], kOrdersExchange, stations_[s]));
  }
  ensure_queue(kPickupQueue, queue_options(pickup_q_));
  if (sc_.announcements) {
    must(changing_broker().declare_exchange(kAnnounceExchange, fanout));
    for (const std::string& s : stations_) {
      QueueOptions nq;
      nq.durable = false;
      ensure_queue(news_queue(s), nq);
      must(changing_broker().bind(news_queue(s), kAnnounceExchange, ""));
    }
    SessionOptions so;
    so.name = "kitchen manager";
    manager_session_ = changing_broker().open_session(so, nullptr);
    (void)changing_broker().connected(manager_session_);
  }
  // Orders that sat in the broker's memory and did not come back are gone.
  for (uint32_t n : vanish_candidates_) {
    Order& o = orders_[n - 1];
    if (o.copies == 0 && o.food == 0 && o.served == 0) {
      ledger_.record(n, StepKind::kVanished);
      if (!o.with_cashier && o.status != OrderStatus::kDeadLettered &&
          o.status != OrderStatus::kExpired)
        o.status = OrderStatus::kLost;
    }
  }
  vanish_candidates_.clear();
  live_.broker_started();
  // Everyone reconnects as a new session, cashiers first, in index order.
  for (Cashier& c : cashiers_) {
    if (c.state != CashierState::kCrashed) connect_cashier(c);
  }
  for (Cook& k : cooks_) {
    if (k.state == CookState::kOffline || k.state == CookState::kIdle) connect_cook(k);
  }
  for (Cashier& c : cashiers_) {
    if (c.state == CashierState::kCrashed) continue;
    if (!c.pending.empty()) {
      republish_pending(c);
    } else if (c.state == CashierState::kIdle || c.state == CashierState::kWaitingBroker) {
      cashier_next(c);
    }
  }
  return Status::ok();
}

void Simulation::Impl::connect_cashier(Cashier& c) {
  c.session = 0;
  c.unconfirmed.clear();
  c.food.clear();
  if (!broker_) return;
  SessionOptions so;
  so.name = c.name;
  Sink& sink = *cashier_sinks_[c.index];
  const SessionId sid = changing_broker().open_session(so, &sink);
  sink.session = sid;
  (void)changing_broker().connected(sid);
  c.session = sid;
  ConsumeOptions co;
  co.prefetch = sc_.pickup_prefetch;
  (void)changing_broker().subscribe(sid, kPickupQueue, co);
}

void Simulation::Impl::connect_cook(Cook& k) {
  k.held.clear();
  k.on_stove = false;
  k.session_dead = false;
  k.session = 0;
  ++k.gen;
  ++k.hb_gen;
  if (sc_.mode == Mode::kDirect) {
    k.state = CookState::kIdle;
    direct_.next(k);
    return;
  }
  if (!broker_) {
    k.state = CookState::kOffline;
    return;
  }
  SessionOptions so;
  so.name = "cook " + k.name;
  so.suspect_after = sc_.suspect_after;
  so.dead_after = sc_.dead_after;
  Sink& sink = *cook_sinks_[k.index];
  const SessionId sid = changing_broker().open_session(so, &sink);
  sink.session = sid;
  (void)changing_broker().connected(sid);
  k.session = sid;
  k.state = CookState::kIdle;
  emit_cook(SimEventKind::kCookConnected, k);
  if (sc_.suspect_after > 0 || sc_.dead_after > 0) {
    sched_.push(now() + sc_.heartbeat, kCookHeartbeat, k.index, k.hb_gen);
  }
  if (sc_.announcements) {
    ConsumeOptions news;
    news.prefetch = 0;
    news.auto_ack = true;
    (void)changing_broker().subscribe(sid, news_queue(stations_[k.station]), news);
  }
  ConsumeOptions co;
  co.prefetch = k.prefetch;
  (void)changing_broker().subscribe(sid, stations_[k.station], co);
}

void Simulation::Impl::crash_broker(std::optional<Micros> restart_after) {
  // The server first, as in a real crash the sockets die with the process:
  // every STOMP client sees its connection drop.
  live_.broker_crashed();
  broker_->remove_listener(this);
  broker_.reset();  // the crash: nothing pending is committed
  ++counters_.crashes;
  ledger_.empty_queues();
  for (Order& o : orders_) {
    if (o.copies > 0 || o.food > 0) vanish_candidates_.push_back(o.number);
    o.copies = 0;
    o.food = 0;
  }
  for (Cook& k : cooks_) {
    ++k.gen;
    ++k.hb_gen;
    k.held.clear();
    k.on_stove = false;
    k.session = 0;
    k.session_dead = false;
    if (k.state == CookState::kIdle || k.state == CookState::kCooking)
      k.state = CookState::kOffline;
  }
  for (Cashier& c : cashiers_) {
    c.session = 0;
    c.food.clear();
    c.unconfirmed.clear();
    if (c.state == CashierState::kWaitingConfirm) c.state = CashierState::kWaitingBroker;
  }
  manager_session_ = 0;
  emit(make_event(SimEventKind::kBrokerCrashed, now()));
  const Micros after = restart_after.value_or(sc_.broker_restart);
  ++restart_gen_;
  if (after > 0) {
    restart_at_ = now() + after;
    sched_.push(restart_at_, kBrokerRestart, 0, restart_gen_);
  } else {
    restart_at_ = -1;
  }
}

void Simulation::Impl::restart_broker() {
  restart_at_ = -1;
  ++restart_gen_;
  Status st = start_broker();
  if (!st.is_ok()) {
    broker_error_ = st.message();
    SimEvent e = make_event(SimEventKind::kBrokerError, now());
    e.text = broker_error_;
    emit(e);
    return;
  }
  ++counters_.recoveries;
  SimEvent e = make_event(SimEventKind::kBrokerRestarted, now());
  e.count = ledger_.recovered();
  emit(e);
  live_.broker_restarted();
}

void Simulation::Impl::on_event(const Event& e) {
  const OrderLedger::Seen seen = ledger_.on_broker_event(e);
  if (live_.on() && e.session != 0) live_.on_broker_event(e, seen);
  if (!observers_.empty()) {
    SimEvent se = make_event(SimEventKind::kBroker, e.at);
    se.order = seen.order;
    se.message = e.message;
    se.broker = &e;
    emit(se);
  }
}

void Simulation::Impl::drain() {
  for (size_t i = 0; i < inbox_.size(); ++i) {
    const Item it = inbox_[i];
    if (it.cook) {
      on_cook_item(it);
    } else {
      on_cashier_item(it);
    }
  }
  inbox_.clear();
}

void Simulation::Impl::on_cashier_item(const Item& it) {
  Cashier& c = cashiers_[it.who];
  if (it.session != c.session || c.session == 0) return;  // an older session's news
  switch (it.kind) {
    case Item::kDelivery: {
      const uint32_t n = ledger_.order_of(it.message);
      c.food.push_back(FoodTicket{n, it.message, it.tag});
      if (c.state == CashierState::kIdle) cashier_next(c);
      break;
    }
    case Item::kConfirm:
      on_confirm(c, it.tag);
      break;
    case Item::kNack:
      on_nack(c, it.tag);
      break;
    case Item::kDead:
      break;
  }
}

void Simulation::Impl::on_cook_item(const Item& it) {
  Cook& k = cooks_[it.who];
  if (it.session != k.session || k.session == 0) return;
  switch (it.kind) {
    case Item::kDelivery: {
      if (it.news) {
        ++counters_.announcements;
        SimEvent e = make_event(SimEventKind::kAnnouncement, now());
        e.cook = static_cast<int32_t>(k.index);
        e.message = it.message;
        emit(e);
        break;
      }
      const uint32_t n = ledger_.order_of(it.message);
      k.held.push_back(Ticket{n, it.message, it.tag, it.count, it.redelivered});
      if (n != 0) {
        Order& o = orders_[n - 1];
        ++o.deliveries;
        if (o.served == 0) o.status = OrderStatus::kCooking;
        ledger_.record(
            n, StepKind::kDelivered,
            {.who = k.index, .count = it.count, .message = it.message, .flag = it.redelivered});
      }
      if (k.state == CookState::kIdle) cook_start(k);
      break;
    }
    case Item::kDead:
      // The broker gave up on this session; a frozen cook does not know yet.
      k.session_dead = true;
      break;
    default:
      break;
  }
}

Micros Simulation::Impl::broker_due() const {
  if (!broker_) return kNever;
  if (deadline_dirty_) {
    // Time passing alone never moves next_deadline(); only calls do.
    deadline_ = broker_->next_deadline();
    deadline_dirty_ = false;
  }
  if (tick_stuck_ && deadline_ <= now()) return kNever;
  return deadline_;
}

Micros Simulation::Impl::next_time() const {
  const Micros d = broker_due();
  const Micros s = sched_.empty() ? kNever : sched_.top().at;
  return std::min(d, s);
}

bool Simulation::Impl::step() {
  const Micros d = broker_due();
  const Micros s = sched_.empty() ? kNever : sched_.top().at;
  if (d == kNever && s == kNever) return false;
  ++steps_;
  if (d <= s) {
    clock_.set(std::max(d, now()));
    changing_broker().tick();
    drain();
    // A deadline the tick could not move would spin forever; wait for news.
    tick_stuck_ = false;
    tick_stuck_ = broker_ && broker_due() <= now();
    if (!waiting_.empty()) check_waiting();
    return true;
  }
  tick_stuck_ = false;
  const Scheduled ev = sched_.pop();
  clock_.set(ev.at);
  dispatch(ev);
  drain();
  if (!waiting_.empty()) check_waiting();
  return true;
}

void Simulation::Impl::dispatch(const Scheduled& ev) {
  switch (ev.what) {
    case kArrival:
      if (ev.gen == arrival_gen_) on_arrival();
      break;
    case kServiceDone: {
      Cashier& c = cashiers_[ev.who];
      if (ev.gen == c.gen && c.state == CashierState::kTaking) on_service_done(c);
      break;
    }
    case kConfirmTimeout:
      on_confirm_timeout(cashiers_[ev.who], static_cast<uint32_t>(ev.gen >> 32),
                         static_cast<uint32_t>(ev.gen & 0xffffffffu));
      break;
    case kHandoffDone: {
      Cashier& c = cashiers_[ev.who];
      if (ev.gen == c.gen && c.state == CashierState::kHanding) on_handoff_done(c);
      break;
    }
    case kCashierRestart: {
      Cashier& c = cashiers_[ev.who];
      if (ev.gen == c.gen) revive_cashier(c);
      break;
    }
    case kCookDone: {
      Cook& k = cooks_[ev.who];
      if (ev.gen == k.gen && k.state == CookState::kCooking) on_cook_done(k);
      break;
    }
    case kCookHeartbeat: {
      Cook& k = cooks_[ev.who];
      if (ev.gen == k.hb_gen) on_heartbeat(k);
      break;
    }
    case kCookRestart: {
      Cook& k = cooks_[ev.who];
      if (ev.gen == k.gen && k.state == CookState::kCrashed) {
        emit_cook(SimEventKind::kCookRevived, k);
        connect_cook(k);
      }
      break;
    }
    case kBrokerRestart:
      if (ev.gen == restart_gen_ && !broker_) restart_broker();
      break;
    case kTimeline:
      on_timeline(ev.who, ev.gen == 1);
      break;
    case kInjection:
      apply(injections_[ev.who]);
      break;
    default:
      assert(false && "Simulation: unknown scheduled event");
  }
}

bool Simulation::Impl::run_until(Micros t, bool stop_at_pause) {
  pause_hit_ = false;
  while (next_time() <= t) {
    step();  // next_time() left the deadline cached: step() reads it for free
    if (stop_at_pause && pause_hit_) {
      pause_hit_ = false;
      return true;
    }
  }
  if (t > now()) clock_.set(t);
  return false;
}

// ------------------------------------------------------------------ facade

Simulation::Simulation(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Simulation::~Simulation() = default;

Result<std::unique_ptr<Simulation>> Simulation::create(const Scenario& scenario, SimOptions options,
                                                       std::vector<Injection> injections) {
  auto impl = std::make_unique<Impl>(scenario, std::move(options));
  if (Status st = impl->init(std::move(injections)); !st.is_ok()) return st;
  return std::unique_ptr<Simulation>(new Simulation(std::move(impl)));
}

Micros Simulation::now() const {
  return impl_->now();
}
bool Simulation::step() {
  return impl_->step();
}
bool Simulation::run_until(Micros t, bool stop_at_pause) {
  return impl_->run_until(t, stop_at_pause);
}
Micros Simulation::next_event_time() const {
  return impl_->next_time();
}
uint64_t Simulation::steps() const {
  return impl_->steps_;
}
Status Simulation::inject(Injection injection) {
  return impl_->inject(std::move(injection));
}
const std::vector<Injection>& Simulation::injections() const {
  return impl_->injections_;
}
const Scenario& Simulation::scenario() const {
  return impl_->sc_;
}
uint64_t Simulation::seed() const {
  return impl_->opt_.seed;
}
Mode Simulation::mode() const {
  return impl_->sc_.mode;
}
const std::vector<Cashier>& Simulation::cashiers() const {
  return impl_->cashiers_;
}
const std::vector<Cook>& Simulation::cooks() const {
  return impl_->cooks_;
}
const std::vector<Customer>& Simulation::customers() const {
  return impl_->customers_;
}
const std::vector<Order>& Simulation::orders() const {
  return impl_->orders_;
}
const Order* Simulation::order(uint32_t number) const {
  if (number == 0 || number > impl_->orders_.size()) return nullptr;
  return &impl_->orders_[number - 1];
}
const std::vector<OrderStep>& Simulation::history(uint32_t number) const {
  return impl_->ledger_.steps(number);
}
Simulation::MessageInfo Simulation::message_info(MessageId id) const {
  return MessageInfo{impl_->ledger_.order_of(id), impl_->ledger_.is_food(id)};
}
const std::vector<QueueStats>& Simulation::queues() const {
  return impl_->ledger_.queues();
}
const std::vector<std::string>& Simulation::stations() const {
  return impl_->stations_;
}
const Counters& Simulation::counters() const {
  return impl_->counters_;
}
double Simulation::rate() const {
  return impl_->rate_;
}
Micros Simulation::commit_window() const {
  return impl_->commit_window_;
}
bool Simulation::disk_full() const {
  return *impl_->disk_full_;
}
const Broker* Simulation::broker() const {
  return impl_->broker_.get();
}
bool Simulation::broker_down() const {
  return impl_->sc_.mode == Mode::kBroker && impl_->broker_ == nullptr;
}
Micros Simulation::broker_restart_at() const {
  return impl_->restart_at_;
}
const std::string& Simulation::data_path() const {
  return impl_->data_path_;
}
const TimelineEvent* Simulation::narration() const {
  return impl_->narration_ < 0 ? nullptr : &impl_->fired_[static_cast<size_t>(impl_->narration_)];
}
uint32_t Simulation::pauses_reached() const {
  return impl_->pauses_;
}
void Simulation::add_observer(SimObserver* observer) {
  assert(observer != nullptr && "Simulation::add_observer: the observer is null");
  impl_->observers_.push_back(observer);
}
void Simulation::remove_observer(SimObserver* observer) {
  std::erase(impl_->observers_, observer);
}
Status Simulation::listen(const ListenOptions& options) {
  return impl_->live_.listen(options);
}
bool Simulation::listening() const {
  return impl_->live_.on();
}
uint16_t Simulation::listen_port() const {
  return impl_->live_.port();
}
void Simulation::live_turn(Micros t, Micros max_wait) {
  impl_->live_.turn(t, max_wait);
}
const std::vector<ExternalClient>& Simulation::external_clients() const {
  return impl_->live_.externals();
}
DoorState Simulation::door() const {
  return impl_->live_.door();
}

Report Simulation::report() const {
  return impl_->report();
}

}  // namespace wmq::sim
