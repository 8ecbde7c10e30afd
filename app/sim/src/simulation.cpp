// The restaurant on the broker. See sim/simulation.h for the story and the
// rules of time; this file is the bookkeeping.
#include "sim/simulation.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "sim/duration.h"
#include "sim/memory_store.h"
#include "sim/order_format.h"
#include "sim/random.h"
#include "sim/scheduler.h"
#include "stomp/server.h"

namespace wmq::sim {

namespace {

// What a scheduled event is (Scheduled::what).
enum Ev : uint8_t {
  kArrival,
  kServiceDone,
  kConfirmTimeout,
  kHandoffDone,
  kCashierRestart,
  kCookDone,
  kCookHeartbeat,
  kCookRestart,
  kBrokerRestart,
  kTimeline,
  kInjection,
};

// Random streams of one seed (random.h says why there are several).
constexpr uint64_t kArrivalStream = 1;
constexpr uint64_t kMiscStream = 2;

SimEvent make_event(SimEventKind kind, Micros at) {
  SimEvent e;
  e.kind = kind;
  e.at = at;
  return e;
}

// msg_order_ marks food-ready messages with this bit.
constexpr uint32_t kFoodBit = 0x80000000u;

constexpr const char* kOrdersExchange = "orders";
constexpr const char* kDeadLetterExchange = "dlx";
constexpr const char* kDeadLetterQueue = "dead-letters";
constexpr const char* kPickupQueue = "pickup";
constexpr const char* kAnnounceExchange = "announcements";

uint32_t parse_order_header(const Payload& p) {
  std::optional<std::string> h = p.header("order");
  if (!h) return 0;
  uint32_t n = 0;
  auto [ptr, ec] = std::from_chars(h->data(), h->data() + h->size(), n);
  (void)ptr;
  return ec == std::errc() ? n : 0;
}

void append_uint(std::string& out, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

// The food-ready message's body: {"order":17,"dish":"nasi goreng","table":4,"ready":true}.
void set_food_json(std::string& out, uint32_t order, std::string_view dish, uint32_t table) {
  out.assign("{\"order\":");
  append_uint(out, order);
  out += ",\"dish\":\"";
  out.append(dish);
  out += "\",\"table\":";
  append_uint(out, table);
  out += ",\"ready\":true}";
}

}  // namespace

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
  }
  return "unknown";
}

// ============================================================================

class Simulation::Impl : public EventListener {
 public:
  // What a broker sink heard, acted on once the broker call has returned.
  struct Item {
    enum Kind : uint8_t { kDelivery, kConfirm, kNack, kDead } kind;
    bool cook;
    uint32_t who;
    SessionId session;
    uint64_t tag;  // delivery tag or publish seq
    MessageId message;
    uint32_t count;
    bool redelivered;
    bool news;  // an announcement delivery
  };

  class Sink : public SessionSink {
   public:
    Sink(Impl& sim, bool cook, uint32_t who) : sim_(sim), cook_(cook), who_(who) {}
    void on_delivery(const Delivery& d) override {
      const bool news = d.queue.size() > 5 && d.queue.substr(0, 5) == "news.";
      sim_.inbox_.push_back(Item{Item::kDelivery, cook_, who_, session, d.tag, d.message->id(),
                                 d.delivery_count, d.redelivered, news});
    }
    void on_confirm(PublishSeq seq) override {
      sim_.inbox_.push_back(Item{Item::kConfirm, cook_, who_, session, seq, 0, 0, false, false});
    }
    void on_publish_nack(PublishSeq seq, const Status&) override {
      sim_.inbox_.push_back(Item{Item::kNack, cook_, who_, session, seq, 0, 0, false, false});
    }
    void on_state(SessionState s) override {
      if (s == SessionState::kDead)
        sim_.inbox_.push_back(Item{Item::kDead, cook_, who_, session, 0, 0, 0, false, false});
    }
    SessionId session = 0;

   private:
    Impl& sim_;
    bool cook_;
    uint32_t who_;
  };

  Impl(const Scenario& scenario, SimOptions options)
      : sc_(scenario),
        opt_(std::move(options)),
        menu_(std::make_shared<const Menu>(scenario.menu)),
        validator_(make_order_validator(menu_)),
        translator_(make_note_translator()),
        rng_arrivals_(opt_.seed, kArrivalStream),
        rng_misc_(opt_.seed, kMiscStream),
        rate_(scenario.rate),
        commit_window_(scenario.commit_window) {}

  ~Impl() override {
    if (broker_) broker_->remove_listener(this);  // the scene is over: no more steps
    if (server_) {
      // The end of a live run, not a crash: commit what clients wait for,
      // send those receipts, then tell each client the server is going.
      if (Status st = broker_->flush(); !st.is_ok() && listen_opt_.log)
        listen_opt_.log("warungmq run: " + st.message());
      server_->flush_output();
      server_->shutdown();
    }
    server_.reset();  // its sessions live on the broker: they go first
    broker_.reset();
    if (!temp_dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(temp_dir_, ec);  // best effort: a leftover temp dir harms nobody
    }
  }

  // ------------------------------------------------------------------ setup

  Status init(std::vector<Injection> injections) {
    for (const StationSettings& st : sc_.stations) {
      stations_.push_back(st.name);
      station_q_.push_back(st.queue);
      station_cook_count_.push_back(0);
      waiting_.emplace_back();
      queues_.push_back(QueueStats{st.name, st.queue.durable, true, 0, 0});
    }
    pickup_q_ = sc_.pickup;
    handing_tag_.assign(sc_.cashiers, 0);
    handing_epoch_.assign(sc_.cashiers, 0);
    if (sc_.mode == Mode::kBroker) {
      queues_.push_back(QueueStats{kPickupQueue, pickup_q_.durable, false, 0, 0});
      queues_.push_back(QueueStats{kDeadLetterQueue, true, false, 0, 0});
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
      sched_.push(injections_.back().at, kInjection, static_cast<uint32_t>(injections_.size() - 1),
                  0, Scheduler::kLateLane);
    }
    schedule_next_arrival();
    return Status::ok();
  }

  Status prepare_storage() {
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

  Result<std::unique_ptr<Store>> open_store() {
    if (opt_.storage == Storage::kMemory) return MemoryStore::open(disk_, data_path_);
    return Store::open(data_path_);
  }

  Cook& new_cook(uint32_t station, double speed) {
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

  // ------------------------------------------------------------- the broker

  QueueOptions queue_options(const QueueSettings& s) const {
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
  void ensure_queue(const std::string& name, const QueueOptions& q) {
    Status st = B().declare_queue(name, q);
    if (st.code() == Code::kExists) st = B().update_queue(name, q);
    assert(st.is_ok() && "the restaurant's topology is always valid");
    (void)st;
  }

  Status start_broker() {
    BrokerOptions bo;
    bo.commit_window = commit_window_;
    broker_ = std::make_unique<Broker>(clock_, bo);
    deadline_dirty_ = true;
    broker_->add_listener(this);
    ++epoch_;
    qcache_.clear();
    std::fill(msg_order_.begin(), msg_order_.end(), 0u);
    Result<std::unique_ptr<Store>> store = open_store();
    if (!store.is_ok()) {
      broker_.reset();
      return store.status();
    }
    recovered_ = 0;
    Status st = B().attach_store(std::move(store).value());
    if (!st.is_ok()) {
      broker_.reset();
      return st;
    }
    B().register_content_type(kOrderJson);
    B().register_content_type("text/plain");
    B().register_translator(translator_);
    ExchangeOptions direct{ExchangeKind::kDirect, true, ""};
    ExchangeOptions fanout{ExchangeKind::kFanout, true, ""};
    (void)B().declare_exchange(kOrdersExchange, direct);
    (void)B().add_validator(kOrdersExchange, validator_);
    (void)B().declare_exchange(kDeadLetterExchange, fanout);
    QueueOptions dlq;
    dlq.durable = true;
    ensure_queue(kDeadLetterQueue, dlq);
    (void)B().bind(kDeadLetterQueue, kDeadLetterExchange, "");
    for (size_t s = 0; s < stations_.size(); ++s) {
      ensure_queue(stations_[s], queue_options(station_q_[s]));
      (void)B().bind(stations_[s], kOrdersExchange, stations_[s]);
    }
    ensure_queue(kPickupQueue, queue_options(pickup_q_));
    if (sc_.announcements) {
      (void)B().declare_exchange(kAnnounceExchange, fanout);
      for (const std::string& s : stations_) {
        QueueOptions nq;
        nq.durable = false;
        ensure_queue("news." + s, nq);
        (void)B().bind("news." + s, kAnnounceExchange, "");
      }
      SessionOptions so;
      so.name = "kitchen manager";
      manager_session_ = B().open_session(so, nullptr);
      (void)B().connected(manager_session_);
    }
    // Orders that sat in the broker's memory and did not come back are gone.
    for (uint32_t n : vanish_candidates_) {
      Order& o = orders_[n - 1];
      if (o.copies == 0 && o.food == 0 && o.served == 0) {
        history(n, StepKind::kVanished);
        if (!o.with_cashier && o.status != OrderStatus::kDeadLettered &&
            o.status != OrderStatus::kExpired)
          o.status = OrderStatus::kLost;
      }
    }
    vanish_candidates_.clear();
    if (live_) open_runner();
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

  void connect_cashier(Cashier& c) {
    c.session = 0;
    c.unconfirmed.clear();
    c.food.clear();
    if (!broker_) return;
    SessionOptions so;
    so.name = c.name;
    Sink& sink = *cashier_sinks_[c.index];
    const SessionId sid = B().open_session(so, &sink);
    sink.session = sid;
    (void)B().connected(sid);
    c.session = sid;
    ConsumeOptions co;
    co.prefetch = sc_.pickup_prefetch;
    (void)B().subscribe(sid, kPickupQueue, co);
  }

  void connect_cook(Cook& k) {
    k.held.clear();
    k.on_stove = false;
    k.session_dead = false;
    k.session = 0;
    ++k.gen;
    ++k.hb_gen;
    if (sc_.mode == Mode::kDirect) {
      k.state = CookState::kIdle;
      direct_next(k);
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
    const SessionId sid = B().open_session(so, &sink);
    sink.session = sid;
    (void)B().connected(sid);
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
      (void)B().subscribe(sid, "news." + stations_[k.station], news);
    }
    ConsumeOptions co;
    co.prefetch = k.prefetch;
    (void)B().subscribe(sid, stations_[k.station], co);
  }

  void crash_broker(std::optional<Micros> restart_after) {
    // The server first, as in a real crash the sockets die with the process:
    // every STOMP client sees its connection drop.
    server_.reset();
    runner_session_ = 0;
    runner_jobs_.clear();
    broker_->remove_listener(this);
    broker_.reset();  // the crash: nothing pending is committed
    ++counters_.crashes;
    qcache_.clear();
    for (QueueStats& q : queues_)
      q.depth = 0;
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

  void restart_broker() {
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
    e.count = recovered_;
    emit(e);
    if (live_) {
      // The same port, so clients reconnect where they were.
      Status ls = open_server(port_);
      if (!ls.is_ok()) {
        server_error_ = ls.message();
        if (listen_opt_.log) listen_opt_.log("warungmq run: " + server_error_);
      }
    }
  }

  // ------------------------------------------------------ STOMP clients

  Status listen(const ListenOptions& o) {
    if (sc_.mode != Mode::kBroker) {
      return Status::error(Code::kInvalid, "scenario \"" + sc_.name +
                                               "\" runs in direct mode: there is no broker for "
                                               "STOMP clients to connect to");
    }
    if (live_) {
      return Status::error(Code::kInvalid,
                           "the simulation already listens on port " + std::to_string(port_));
    }
    if (!broker_) {
      return Status::error(Code::kClosed, "the broker is down: listen once it has restarted");
    }
    listen_opt_ = o;
    if (Status st = open_server(o.port); !st.is_ok()) return st;
    live_ = true;
    open_runner();
    return Status::ok();
  }

  Status open_server(uint16_t port) {
    stomp::ServerOptions so;
    so.bind = listen_opt_.bind;
    so.port = port;
    // Clients obey the restaurant's validators like the sim's cashiers do.
    so.session.register_content_types = false;
    so.session.server_name = "WarungMQ scene";
    so.log = listen_opt_.log;
    auto server = std::make_unique<stomp::StompServer>(*broker_, so);
    if (Status st = server->listen(); !st.is_ok()) return st;
    port_ = server->port();
    server_ = std::move(server);
    deadline_dirty_ = true;
    return Status::ok();
  }

  // The runner carries food to the pickup counter for external cooks: a
  // STOMP program acks an order but knows nothing of the pickup queue, so
  // the customer would never be served.
  void open_runner() {
    SessionOptions so;
    so.name = "kitchen runner";
    runner_session_ = B().open_session(so, nullptr);
    (void)B().connected(runner_session_);
  }

  void live_turn(Micros t, Micros max_wait) {
    run_until(t, false);
    if (!server_) return;     // not listening, or the broker is down
    server_->flush_output();  // what the events above released to clients
    const Micros next = std::min(next_time(), server_->next_deadline());
    const Micros wait = next == kNever ? max_wait : std::clamp<Micros>(next - now(), 0, max_wait);
    server_->poll(wait);
    // The clients called the broker behind B(): its deadline moved.
    deadline_dirty_ = true;
    tick_stuck_ = false;
    drain();  // deliveries their publishes made to our cooks
    for (size_t i = 0; i < runner_jobs_.size(); ++i) {
      if (broker_ && runner_session_ != 0) {
        const auto n = static_cast<uint32_t>(runner_jobs_[i] & 0xffffffffu);
        publish_food(runner_session_, n, static_cast<uint32_t>(runner_jobs_[i] >> 32), true);
      }
    }
    runner_jobs_.clear();
    drain();
    if (names_pending_) read_external_names();
    server_->flush_output();
  }

  bool own_session(SessionId sid) const {
    if (sid == manager_session_ || sid == runner_session_) return true;
    for (const Cook& k : cooks_) {
      if (k.session == sid) return true;
    }
    for (const Cashier& c : cashiers_) {
      if (c.session == sid) return true;
    }
    return false;
  }

  ExternalClient* find_external(SessionId sid, ExternalRole role) {
    for (ExternalClient& x : externals_) {
      if (x.session == sid && x.role == role) return &x;
    }
    return nullptr;
  }

  ExternalClient& add_external(SessionId sid, ExternalRole role) {
    ExternalClient x;
    x.index = static_cast<uint32_t>(externals_.size());
    x.session = sid;
    x.role = role;
    x.connected_at = now();
    externals_.push_back(std::move(x));
    names_pending_ = true;  // the broker may not be called from its listener
    return externals_.back();
  }

  void read_external_names() {
    if (!broker_) return;
    names_pending_ = false;
    const BrokerSnapshot snap = broker_->snapshot();
    for (ExternalClient& x : externals_) {
      if (!x.name.empty()) continue;
      for (const SessionSnapshot& ss : snap.sessions) {
        if (ss.id == x.session) x.name = ss.name;
      }
      if (x.name.empty()) x.name = "client " + std::to_string(x.session);
    }
  }

  void external_leaves(ExternalClient& x) {
    if (x.state == ExternalState::kGone) return;
    x.state = ExternalState::kGone;
    x.left_at = now();
    x.returned += static_cast<uint32_t>(x.held.size());
    counters_.external_returned += x.held.size();
    x.held.clear();  // the broker puts them back on the board (kRequeued)
  }

  // Broker events of sessions that are not the simulator's: STOMP clients.
  void on_external_event(const Event& e, uint32_t n, bool food, bool station, int q) {
    Order* o = n != 0 && !food ? &orders_[n - 1] : nullptr;
    switch (e.kind) {
      case EventKind::kConsumerAdded:
        if (station && !find_external(e.session, ExternalRole::kCook) && !own_session(e.session)) {
          add_external(e.session, ExternalRole::kCook).station = q;
        }
        break;
      case EventKind::kPublished:
        if (e.exchange == kOrdersExchange && !own_session(e.session)) {
          ExternalClient* x = find_external(e.session, ExternalRole::kCashier);
          if (x == nullptr) x = &add_external(e.session, ExternalRole::kCashier);
          ++x->sent;
          ++counters_.external_sent;
        }
        break;
      case EventKind::kRejected:
        if (e.exchange == kOrdersExchange) {
          if (ExternalClient* x = find_external(e.session, ExternalRole::kCashier)) {
            ++x->rejected;
            ++counters_.external_rejected;
          }
        }
        break;
      case EventKind::kDelivered:
        if (!station) break;
        if (ExternalClient* x = find_external(e.session, ExternalRole::kCook)) {
          x->held.push_back(Ticket{n, e.message, e.seq, e.count, e.redelivered});
          ++x->delivered;
          ++counters_.external_delivered;
          if (o) {
            ++o->deliveries;
            if (o->served == 0) o->status = OrderStatus::kCooking;
            history(n, StepKind::kDelivered, x->index, e.count, e.message, e.redelivered, -1, true);
          }
        }
        break;
      case EventKind::kAcked:
      case EventKind::kNacked: {
        if (!station) break;
        ExternalClient* x = find_external(e.session, ExternalRole::kCook);
        if (x == nullptr) break;
        std::erase_if(x->held, [&e](const Ticket& t) { return t.tag == e.seq; });
        if (e.kind == EventKind::kNacked) {
          ++x->returned;
          ++counters_.external_returned;
          break;
        }
        // An ack is the cook saying "cooked": it is counted as a sim cook's is.
        ++x->cooked;
        ++counters_.cooked;
        ++counters_.external_cooked;
        if (o) {
          ++o->cooked;
          if (o->cooked > 1) ++counters_.duplicates;
          history(n, StepKind::kAcked, x->index, e.count, e.message, false, -1, true);
          runner_jobs_.push_back(n | (uint64_t{x->index} << 32));
        }
        break;
      }
      case EventKind::kSessionState:
        if (e.state_to == SessionState::kClosed || e.state_to == SessionState::kDead) {
          for (ExternalClient& x : externals_) {
            if (x.session == e.session) external_leaves(x);
          }
        }
        break;
      default:
        break;
    }
  }

  // --------------------------------------------------------- broker events

  int queue_index(std::string_view name) {
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

  uint32_t order_of(MessageId id) const { return id < msg_order_.size() ? msg_order_[id] : 0; }
  void map_message(MessageId id, uint32_t value) {
    if (id >= msg_order_.size()) msg_order_.resize(std::max<size_t>(id + 1, msg_order_.size() * 2));
    msg_order_[id] = value;
  }

  void on_event(const Event& e) override {
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
      tagged = order_of(e.message);
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
        if (o && !food) history(n, StepKind::kPublished, 0, o->attempts + 1u, e.message);
        break;
      case EventKind::kTranslated:
        if (o && !food) history(n, StepKind::kTranslated, 0, 0, e.message);
        break;
      case EventKind::kValidated:
        if (o && !food) history(n, StepKind::kValidated, 0, 0, e.message);
        break;
      case EventKind::kRouted:
        if (o && !food) history(n, StepKind::kRouted, 0, e.count, e.message);
        break;
      case EventKind::kUnroutable:
        if (o && !food) history(n, StepKind::kUnroutable, 0, 0, e.message);
        break;
      case EventKind::kEnqueued:
        ready_up();
        if (o) {
          if (station && !food) {
            ++o->copies;
            history(n, StepKind::kEnqueued, 0, 0, e.message, false, q);
          } else if (pickup && food) {
            ++o->food;
            if (o->status != OrderStatus::kServed) o->status = OrderStatus::kAtPickup;
            history(n, StepKind::kAtPickup, 0, 0, e.message, false, q);
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
          history(n, StepKind::kRequeued, 0, e.count, e.message, true, q);
        }
        break;
      case EventKind::kExpired:
        ready_down();
        if (o) {
          o->expired = true;
          history(n, StepKind::kExpired, 0, 0, e.message, false, q);
        }
        break;
      case EventKind::kDeadLettered:
        // The dead letter is a new message (id in seq): it still is this order.
        if (e.seq != 0 && tagged != 0) map_message(e.seq, tagged);
        [[fallthrough]];
      case EventKind::kDropped:
        if (e.drop == DropReason::kMaxLength || e.drop == DropReason::kCommitFailed ||
            e.drop == DropReason::kQueueDeleted)
          ready_down();
        if (o && (station || pickup)) {
          copy_down();
          if (e.drop != DropReason::kExpired && e.drop != DropReason::kCommitFailed) {
            o->dead_lettered = true;
            if (o->reason.empty()) o->reason = std::string(e.reason);
            if (o->copies == 0 && o->served == 0) o->status = OrderStatus::kDeadLettered;
            history(n, StepKind::kDeadLettered, 0, e.count, e.message, false, q);
          } else if (e.drop == DropReason::kExpired && o->copies == 0 && o->served == 0) {
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
            history(n, StepKind::kRecovered, 0, e.count, e.message, e.redelivered, q);
          } else if (pickup && food) {
            ++o->food;
            if (o->status != OrderStatus::kServed) o->status = OrderStatus::kAtPickup;
            history(n, StepKind::kRecovered, 0, e.count, e.message, e.redelivered, q);
          }
        }
        break;
      case EventKind::kCommitted:
        ++counters_.group_commits;
        break;
      default:
        break;
    }
    if (live_ && e.session != 0) on_external_event(e, n, food, station, q);
    if (!observers_.empty()) {
      SimEvent se = make_event(SimEventKind::kBroker, e.at);
      se.order = n;
      se.message = e.message;
      se.broker = &e;
      emit(se);
    }
  }

  // ------------------------------------------------------------ the inbox

  void drain() {
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

  void on_cashier_item(const Item& it) {
    Cashier& c = cashiers_[it.who];
    if (it.session != c.session || c.session == 0) return;  // an older session's news
    switch (it.kind) {
      case Item::kDelivery: {
        const uint32_t n = order_of(it.message) & ~kFoodBit;
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

  void on_cook_item(const Item& it) {
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
        const uint32_t n = order_of(it.message) & ~kFoodBit;
        k.held.push_back(Ticket{n, it.message, it.tag, it.count, it.redelivered});
        if (n != 0) {
          Order& o = orders_[n - 1];
          ++o.deliveries;
          if (o.served == 0) o.status = OrderStatus::kCooking;
          history(n, StepKind::kDelivered, k.index, it.count, it.message, it.redelivered);
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

  // ------------------------------------------------------------- customers

  void schedule_next_arrival() {
    ++arrival_gen_;
    if (rate_ <= 0) return;
    const Micros gap = std::max<Micros>(1, round_micros(rng_arrivals_.exponential(60e6 / rate_)));
    sched_.push(now() + gap, kArrival, 0, arrival_gen_);
  }

  void draw_customer(Customer& c, Rng& rng) {
    int64_t pick = rng.uniform_int(0, static_cast<int64_t>(total_weight_) - 1);
    uint32_t dish = sc_.dishes.front();
    for (uint32_t d : sc_.dishes) {
      pick -= menu_->dishes[d].weight;
      if (pick < 0) {
        dish = d;
        break;
      }
    }
    c.dish = static_cast<uint16_t>(dish);
    c.qty = static_cast<uint8_t>(rng.uniform_int(1, sc_.max_qty));
    c.table = static_cast<uint16_t>(rng.uniform_int(1, sc_.tables));
    c.service = sc_.service.sample(rng);
    c.cook_time = menu_->dishes[dish].cook.sample(rng);
  }

  uint32_t shortest_line() const {
    uint32_t best = 0;
    size_t best_len = SIZE_MAX;
    bool best_up = false;
    for (const Cashier& c : cashiers_) {
      const bool up = c.state != CashierState::kCrashed;
      const size_t len = c.line.size() + (c.state == CashierState::kIdle ? 0 : 1);
      if ((up && !best_up) || (up == best_up && len < best_len)) {
        best = c.index;
        best_len = len;
        best_up = up;
      }
    }
    return best;
  }

  Customer& add_customer(Rng& rng, Special special) {
    Customer c;
    c.id = static_cast<uint32_t>(customers_.size() + 1);
    c.arrived = now();
    c.special = special;
    draw_customer(c, rng);
    customers_.push_back(std::move(c));
    ++counters_.customers;
    return customers_.back();
  }

  void on_arrival() {
    Customer& cu = add_customer(rng_arrivals_, Special::kNone);
    const uint32_t ci = shortest_line();
    cu.cashier = ci;
    Cashier& c = cashiers_[ci];
    c.line.push_back(cu.id);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kCustomerArrived, now());
      e.customer = cu.id;
      e.cashier = static_cast<int32_t>(ci);
      emit(e);
    }
    if (c.state == CashierState::kIdle) cashier_next(c);
    schedule_next_arrival();
  }

  // -------------------------------------------------------------- cashiers

  void cashier_next(Cashier& c) {
    if (c.state == CashierState::kCrashed) return;
    if (sc_.mode == Mode::kBroker && c.pending.size() >= sc_.max_unconfirmed) {
      // Blocked until a receipt comes (max_unconfirmed 1: the customer waits for it).
      c.state =
          broker_ && c.session != 0 ? CashierState::kWaitingConfirm : CashierState::kWaitingBroker;
      return;
    }
    if (!c.food.empty()) {
      const FoodTicket f = c.food.front();
      c.food.pop_front();
      c.handing = f.order;
      handing_tag_[c.index] = f.tag;
      handing_epoch_[c.index] = f.tag != 0 ? epoch_ : 0;
      c.state = CashierState::kHanding;
      c.busy_until = now() + sc_.handoff;
      sched_.push(c.busy_until, kHandoffDone, c.index, ++c.gen);
      return;
    }
    if (!c.line.empty()) {
      const uint32_t id = c.line.front();
      c.line.pop_front();
      Customer& cu = customers_[id - 1];
      cu.state = CustomerState::kOrdering;
      c.customer = id;
      c.state = CashierState::kTaking;
      c.busy_until = now() + cu.service;
      sched_.push(c.busy_until, kServiceDone, c.index, ++c.gen);
      return;
    }
    c.state = CashierState::kIdle;
  }

  void on_service_done(Cashier& c) {
    Customer& cu = customers_[c.customer - 1];
    Order o;
    o.number = static_cast<uint32_t>(orders_.size() + 1);
    o.customer = cu.id;
    o.cashier = c.index;
    o.dish = cu.dish;
    o.dish_written = cu.dish_override;
    o.qty = cu.qty;
    o.table = cu.table;
    // What the cashier writes for a bad order (build_order_message writes the same).
    if (cu.problem == "qty") o.qty = 0;
    if (cu.problem == "note") o.qty = 2;  // "dua ...": two
    if (cu.problem == "table") o.table = 0;
    o.special = cu.special;
    o.placed_at = now();
    o.with_cashier = true;
    orders_.push_back(std::move(o));
    if (opt_.history) steps_of_.emplace_back();
    ++counters_.placed;
    const uint32_t n = orders_.back().number;
    history(n, StepKind::kPlaced, c.index);
    cu.order = n;
    cu.state = CustomerState::kWaitingFood;
    c.customer = 0;
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kOrderPlaced, now());
      e.order = n;
      e.customer = cu.id;
      e.cashier = static_cast<int32_t>(c.index);
      emit(e);
    }
    if (sc_.mode == Mode::kDirect) {
      c.order = n;
      direct_deliver(c);
    } else {
      c.pending.push_back(n);
      c.state = CashierState::kIdle;  // the service is over
      publish_order(c, n);
      after_publish(c);
    }
  }

  // The message a cashier publishes for its current order, in scratch_.
  void build_order_message(const Cashier& c, const Order& o) {
    const Customer& cu = customers_[o.customer - 1];
    const Dish& d = menu_->dishes[o.dish];
    std::string_view dish =
        cu.dish_override.empty() ? std::string_view(d.name) : std::string_view(cu.dish_override);
    Message& m = scratch_;
    m.persistent = true;
    m.headers.resize(1);
    m.headers[0].name = "order";
    m.headers[0].value.clear();
    append_uint(m.headers[0].value, o.number);
    m.routing_key = d.station;
    if (cu.special == Special::kPoison) {
      m.headers.push_back(Header{"x-poison", "1"});
    }
    const bool note = c.old || cu.problem == "note";
    m.content_type = note ? kOrderNote : kOrderJson;
    if (cu.problem == "note") {
      m.body = "dua " + std::string(dish) + " buat meja " + std::to_string(o.table) + " ya";
    } else if (note) {
      m.body = order_note(dish, o.qty, o.table);
    } else if (cu.problem == "qty") {
      m.body = order_json(o.number, dish, 0, o.table);
    } else if (cu.problem == "table") {
      m.body = "{\"order\":" + std::to_string(o.number) + ",\"dish\":\"" + std::string(dish) +
               "\",\"qty\":" + std::to_string(o.qty) + "}";
    } else if (cu.problem == "json") {
      m.body = "order " + std::to_string(o.number) + ": " + std::to_string(o.qty) + " " +
               std::string(dish) + " for table " + std::to_string(o.table);
    } else {
      m.body.clear();
      append_order_json(m.body, o.number, dish, o.qty, o.table);
    }
  }

  // Publishes pending order `n` (again). With no broker or no session it
  // stays pending: the cashier publishes it when it reconnects. A refused
  // publish (validator, full queue, unroutable) rejects the order for good.
  void publish_order(Cashier& c, uint32_t n) {
    Order& o = orders_[n - 1];
    if (!broker_ || c.session == 0) return;
    build_order_message(c, o);
    publishing_ = n;
    Result<Published> r = B().publish(c.session, kOrdersExchange, scratch_);
    publishing_ = 0;
    ++o.attempts;
    ++counters_.publishes;
    if (o.attempts > 1) ++counters_.retries;
    if (!r.is_ok()) {
      if (r.status().code() == Code::kClosed) return;
      if (r.status().code() == Code::kUnroutable) o.unroutable = true;
      std::erase(c.pending, n);
      history(n, StepKind::kRejected, c.index);
      reject_order(c, o, r.status().message());
      return;
    }
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kOrderPublished, now());
      e.order = n;
      e.cashier = static_cast<int32_t>(c.index);
      e.message = r->id;
      e.count = o.attempts;
      emit(e);
    }
    c.unconfirmed.emplace_back(r->seq, n);
    // The timeout names the order and its attempt: a later publish or a
    // confirm makes it moot.
    sched_.push(now() + sc_.confirm_timeout, kConfirmTimeout, c.index,
                (uint64_t{n} << 32) | o.attempts);
  }

  // After placing or publishing: the next customer, unless the cashier has
  // as many orders without a receipt as it may (max_unconfirmed).
  void after_publish(Cashier& c) {
    if (c.state == CashierState::kIdle || c.state == CashierState::kWaitingConfirm ||
        c.state == CashierState::kWaitingBroker)
      cashier_next(c);
  }

  // Back on a broker (restart, or the cashier revived): publish again every
  // order still without a receipt, oldest first.
  void republish_pending(Cashier& c) {
    const std::deque<uint32_t> again = c.pending;
    for (uint32_t n : again)
      publish_order(c, n);
    after_publish(c);
  }

  void reject_order(Cashier& c, Order& o, const std::string& reason) {
    o.rejected = true;
    o.with_cashier = false;
    if (o.reason.empty()) o.reason = reason;
    if (o.copies == 0 && o.served == 0 && !o.confirmed) o.status = OrderStatus::kRejected;
    ++counters_.rejected;
    customers_[o.customer - 1].state = CustomerState::kLeft;
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kOrderRejected, now());
      e.order = o.number;
      e.cashier = static_cast<int32_t>(c.index);
      e.text = o.reason;
      emit(e);
    }
  }

  void on_confirm(Cashier& c, PublishSeq seq) {
    auto it = std::find_if(c.unconfirmed.begin(), c.unconfirmed.end(),
                           [seq](const auto& p) { return p.first == seq; });
    if (it == c.unconfirmed.end()) return;
    const uint32_t n = it->second;
    c.unconfirmed.erase(it);
    Order& o = orders_[n - 1];
    if (!o.confirmed) {
      o.confirmed = true;
      o.confirmed_at = now();
      ++counters_.confirmed;
      if (o.status == OrderStatus::kPlacing) o.status = OrderStatus::kOnBoard;
    }
    history(n, StepKind::kConfirmed, c.index, 0, 0, queues_persist(o));
    auto p = std::find(c.pending.begin(), c.pending.end(), n);
    if (p == c.pending.end()) return;  // an earlier attempt's receipt came first
    c.pending.erase(p);
    o.with_cashier = false;
    ++c.receipts;
    c.last_receipt = n;
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kReceipt, now());
      e.order = n;
      e.cashier = static_cast<int32_t>(c.index);
      emit(e);
    }
    if (c.state == CashierState::kWaitingConfirm) after_publish(c);
  }

  bool queues_persist(const Order& o) const {
    const int s = sc_.station_index(menu_->dishes[o.dish].station);
    return s >= 0 && station_q_[static_cast<size_t>(s)].durable;
  }

  void on_nack(Cashier& c, PublishSeq seq) {
    auto it = std::find_if(c.unconfirmed.begin(), c.unconfirmed.end(),
                           [seq](const auto& p) { return p.first == seq; });
    if (it == c.unconfirmed.end()) return;
    const uint32_t n = it->second;
    c.unconfirmed.erase(it);
    if (std::find(c.pending.begin(), c.pending.end(), n) != c.pending.end()) {
      publish_order(c, n);
      after_publish(c);
    }
  }

  void on_confirm_timeout(Cashier& c, uint32_t n, uint32_t attempt) {
    if (c.state == CashierState::kCrashed || !broker_) return;  // republished on reconnect
    if (orders_[n - 1].attempts != attempt) return;             // published again since
    if (std::find(c.pending.begin(), c.pending.end(), n) == c.pending.end()) return;
    history(n, StepKind::kConfirmTimeout, c.index);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kConfirmTimeout, now());
      e.order = n;
      e.cashier = static_cast<int32_t>(c.index);
      emit(e);
    }
    publish_order(c, n);
    after_publish(c);
  }

  void on_handoff_done(Cashier& c) {
    const uint32_t n = c.handing;
    c.handing = 0;
    serve(n, c);
    if (broker_ && c.session != 0 && handing_epoch_[c.index] == epoch_) {
      (void)B().ack(c.session, handing_tag_[c.index]);
    }
    cashier_next(c);
  }

  void serve(uint32_t n, Cashier& c) {
    if (n == 0) return;
    Order& o = orders_[n - 1];
    ++o.served;
    if (o.served == 1) {
      o.served_at = now();
      o.status = OrderStatus::kServed;
      ++counters_.served;
      latencies_.push_back(now() - o.placed_at);
      customers_[o.customer - 1].state = CustomerState::kServed;
    }
    history(n, StepKind::kServed, c.index, o.served);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kServed, now());
      e.order = n;
      e.cashier = static_cast<int32_t>(c.index);
      e.count = o.served;
      emit(e);
    }
  }

  void crash_cashier(Cashier& c, std::optional<Micros> restart_after) {
    if (c.state == CashierState::kCrashed) return;
    if (broker_ && c.session != 0) (void)B().kill_session(c.session, "the cashier crashed");
    c.session = 0;
    if (sc_.mode == Mode::kBroker) {
      c.food.clear();  // its pickup deliveries went back to the queue with its session
    } else if (c.handing != 0) {
      c.food.push_front(FoodTicket{c.handing, 0, 0});  // real food: it waits at the pass
    }
    c.unconfirmed.clear();
    c.handing = 0;
    if (c.customer != 0) {
      // The customer at the counter had not ordered yet: back to the front.
      customers_[c.customer - 1].state = CustomerState::kInLine;
      c.line.push_front(c.customer);
      c.customer = 0;
    }
    if (sc_.mode == Mode::kDirect && c.state == CashierState::kWaitingCook) {
      for (std::deque<uint32_t>& w : waiting_)
        std::erase(w, c.index);
    }
    c.state = CashierState::kCrashed;
    ++c.crashes;
    ++c.gen;
    SimEvent e = make_event(SimEventKind::kCashierCrashed, now());
    e.cashier = static_cast<int32_t>(c.index);
    emit(e);
    const Micros after = restart_after.value_or(sc_.cashier_restart);
    if (after > 0) sched_.push(now() + after, kCashierRestart, c.index, c.gen);
  }

  void revive_cashier(Cashier& c) {
    if (c.state != CashierState::kCrashed) return;
    ++c.gen;
    c.state = CashierState::kIdle;
    if (sc_.mode == Mode::kBroker) connect_cashier(c);
    SimEvent e = make_event(SimEventKind::kCashierBack, now());
    e.cashier = static_cast<int32_t>(c.index);
    emit(e);
    if (sc_.mode == Mode::kDirect && c.order != 0) {
      direct_deliver(c);
    } else if (!c.pending.empty()) {
      republish_pending(c);
    } else {
      cashier_next(c);
    }
  }

  // ----------------------------------------------------------------- cooks

  Micros cook_time(const Cook& k, uint32_t n) const {
    const Customer& cu = customers_[orders_[n - 1].customer - 1];
    return std::max<Micros>(1, round_micros(static_cast<double>(cu.cook_time) / k.speed));
  }

  void cook_start(Cook& k) {
    if (k.held.empty()) {
      k.state = CookState::kIdle;
      k.on_stove = false;
      return;
    }
    const Ticket& t = k.held.front();
    if (t.order != 0 && orders_[t.order - 1].special == Special::kPoison) {
      crash_cook(k, "a poison order made the cook ill", std::nullopt);
      return;
    }
    k.state = CookState::kCooking;
    k.on_stove = true;
    k.cooking_until = now() + (t.order != 0 ? cook_time(k, t.order) : kSeconds);
    sched_.push(k.cooking_until, kCookDone, k.index, ++k.gen);
    if (t.order != 0) history(t.order, StepKind::kCookStarted, k.index, t.delivery_count);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kCookStarted, now());
      e.order = t.order;
      e.cook = static_cast<int32_t>(k.index);
      e.message = t.message;
      e.count = t.delivery_count;
      emit(e);
    }
  }

  void count_cooked(Cook& k, uint32_t n) {
    ++k.cooked;
    ++counters_.cooked;
    if (n == 0) return;
    Order& o = orders_[n - 1];
    ++o.cooked;
    if (o.cooked > 1) ++counters_.duplicates;
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kCookFinished, now());
      e.order = n;
      e.cook = static_cast<int32_t>(k.index);
      e.count = o.cooked;
      emit(e);
    }
  }

  void on_cook_done(Cook& k) {
    if (sc_.mode == Mode::kDirect) {
      direct_cook_done(k);
      return;
    }
    const Ticket t = k.held.front();
    k.held.pop_front();
    k.on_stove = false;
    count_cooked(k, t.order);
    bool refused = false;
    if (broker_ && k.session != 0) {
      if (t.order != 0) publish_food(k.session, t.order, k.index, false);
      Status st = B().ack(k.session, t.tag);
      if (st.is_ok()) {
        if (t.order != 0) history(t.order, StepKind::kAcked, k.index, t.delivery_count, t.message);
      } else {
        refused = st.code() == Code::kClosed;
      }
    } else {
      refused = true;
    }
    if (refused) {
      ++counters_.late_acks;
      k.session_dead = true;
      if (t.order != 0) history(t.order, StepKind::kLateAckRefused, k.index);
      if (!observers_.empty()) {
        SimEvent e = make_event(SimEventKind::kLateAckRefused, now());
        e.order = t.order;
        e.cook = static_cast<int32_t>(k.index);
        emit(e);
      }
      // It now knows its session is gone: what it holds was given to others.
      connect_cook(k);
      return;
    }
    cook_start(k);
  }

  // Food-ready for order `n` to the pickup counter, published by `sid` on
  // behalf of cook `who` (an index into external_clients() when `external`).
  void publish_food(SessionId sid, uint32_t n, uint32_t who, bool external) {
    const Order& o = orders_[n - 1];
    const Dish& d = menu_->dishes[o.dish];
    Message& m = scratch_;
    m.persistent = true;
    m.content_type = kOrderJson;
    m.routing_key = kPickupQueue;
    m.headers.resize(1);
    m.headers[0].name = "order";
    m.headers[0].value.clear();
    append_uint(m.headers[0].value, n);
    set_food_json(m.body, n, d.name, o.table);
    publishing_ = n | kFoodBit;
    Result<Published> r = B().publish(sid, "", m);
    publishing_ = 0;
    if (r.is_ok()) history(n, StepKind::kFoodReady, who, 0, r->id, false, -1, external);
  }

  void crash_cook(Cook& k, std::string_view why, std::optional<Micros> restart_after) {
    if (k.state == CookState::kCrashed || k.state == CookState::kRemoved) return;
    for (const Ticket& t : k.held) {
      if (t.order != 0) history(t.order, StepKind::kCookCrashed, k.index, t.delivery_count);
    }
    if (broker_ && k.session != 0 && !k.session_dead) (void)B().kill_session(k.session, why);
    if (k.direct_order != 0) lose_direct(k);
    k.held.clear();
    k.on_stove = false;
    k.session = 0;
    k.session_dead = false;
    k.state = CookState::kCrashed;
    ++k.crashes;
    ++counters_.cook_crashes;
    ++k.gen;
    ++k.hb_gen;
    SimEvent e = make_event(SimEventKind::kCookCrashed, now());
    e.cook = static_cast<int32_t>(k.index);
    e.text = why;
    emit(e);
    const Micros after = restart_after.value_or(sc_.cook_restart);
    if (after > 0) {
      k.restart_at = now() + after;
      sched_.push(k.restart_at, kCookRestart, k.index, k.gen);
    } else {
      k.restart_at = -1;
    }
  }

  void freeze_cook(Cook& k) {
    if (k.state == CookState::kCrashed || k.state == CookState::kRemoved ||
        k.state == CookState::kFrozen)
      return;
    k.cooking_left = k.on_stove ? std::max<Micros>(0, k.cooking_until - now()) : 0;
    k.state = CookState::kFrozen;
    ++k.gen;
    ++k.hb_gen;
    emit_cook(SimEventKind::kCookFrozen, k);
  }

  void revive_cook(Cook& k) {
    if (k.state == CookState::kCrashed) {
      emit_cook(SimEventKind::kCookRevived, k);
      connect_cook(k);
      return;
    }
    if (k.state != CookState::kFrozen) return;
    emit_cook(SimEventKind::kCookRevived, k);
    const bool alive = broker_ != nullptr && k.session != 0 && !k.session_dead;
    if (alive) {
      (void)B().heartbeat(k.session);
      if (sc_.suspect_after > 0 || sc_.dead_after > 0)
        sched_.push(now() + sc_.heartbeat, kCookHeartbeat, k.index, ++k.hb_gen);
    }
    if (k.on_stove) {
      // It finishes the dish in front of it, whatever the broker decided meanwhile.
      k.state = CookState::kCooking;
      k.cooking_until = now() + k.cooking_left;
      sched_.push(k.cooking_until, kCookDone, k.index, ++k.gen);
      return;
    }
    if (sc_.mode == Mode::kDirect) {
      k.state = CookState::kIdle;
      direct_next(k);
    } else if (alive) {
      k.state = CookState::kIdle;
      cook_start(k);
    } else {
      connect_cook(k);
    }
  }

  void remove_cook(Cook& k) {
    if (k.state == CookState::kRemoved) return;
    if (broker_ && k.session != 0 && !k.session_dead) (void)B().close_session(k.session);
    if (k.direct_order != 0) {
      // A clean goodbye hands the order back: its cashier looks for another cook.
      Cashier& c = cashiers_[k.direct_cashier];
      k.direct_order = 0;
      if (c.state == CashierState::kWaitingFood) {
        c.state = CashierState::kWaitingCook;
        waiting_[k.station].push_front(c.index);
      }
    }
    k.held.clear();
    k.on_stove = false;
    k.session = 0;
    k.state = CookState::kRemoved;
    ++k.gen;
    ++k.hb_gen;
    emit_cook(SimEventKind::kCookRemoved, k);
    if (sc_.mode == Mode::kDirect) {
      for (Cook& other : cooks_) {
        if (other.station == k.station && other.state == CookState::kIdle) direct_next(other);
      }
    }
  }

  void on_heartbeat(Cook& k) {
    if (k.state != CookState::kIdle && k.state != CookState::kCooking) return;
    if (broker_ && k.session != 0) {
      Status st = B().heartbeat(k.session);
      if (!st.is_ok()) {
        // Declared dead while healthy (heartbeats slower than dead_after): start over.
        k.session_dead = true;
        connect_cook(k);
        return;
      }
    }
    sched_.push(now() + sc_.heartbeat, kCookHeartbeat, k.index, k.hb_gen);
  }

  void emit_cook(SimEventKind kind, const Cook& k) {
    if (observers_.empty()) return;
    SimEvent e = make_event(kind, now());
    e.cook = static_cast<int32_t>(k.index);
    emit(e);
  }

  // ------------------------------------------------------------ direct mode

  void direct_deliver(Cashier& c) {
    Order& o = orders_[c.order - 1];
    build_order_message(c, o);
    Message m = scratch_;
    if (m.content_type == kOrderNote) {
      Result<std::string> body = translator_.fn(m);
      if (!body.is_ok()) {
        reject_order(c, o, body.status().message());
        c.order = 0;
        cashier_next(c);
        return;
      }
      m.body = std::move(body).value();
    }
    if (Status st = validator_(m); !st.is_ok()) {
      reject_order(c, o, st.message());
      c.order = 0;
      cashier_next(c);
      return;
    }
    const int s = sc_.station_index(menu_->dishes[o.dish].station);
    if (s < 0) {
      reject_order(c, o,
                   "order " + std::to_string(o.number) + " returned: no cook works at station \"" +
                       menu_->dishes[o.dish].station + "\"");
      c.order = 0;
      cashier_next(c);
      return;
    }
    for (Cook& k : cooks_) {
      if (k.station == static_cast<uint32_t>(s) && k.state == CookState::kIdle &&
          k.direct_order == 0) {
        direct_hand(k, c);
        return;
      }
    }
    c.state = CashierState::kWaitingCook;
    waiting_[static_cast<size_t>(s)].push_back(c.index);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kWaitingForCook, now());
      e.order = o.number;
      e.cashier = static_cast<int32_t>(c.index);
      emit(e);
    }
  }

  void direct_hand(Cook& k, Cashier& c) {
    Order& o = orders_[c.order - 1];
    k.direct_order = o.number;
    k.direct_cashier = c.index;
    o.with_cashier = false;
    if (!o.confirmed) {
      o.confirmed = true;
      o.confirmed_at = now();
      ++counters_.confirmed;
    }
    ++o.deliveries;
    ++counters_.delivered;
    o.status = OrderStatus::kCooking;
    c.state = CashierState::kWaitingFood;
    history(o.number, StepKind::kDelivered, k.index, 1);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kReceipt, now());
      e.order = o.number;
      e.cashier = static_cast<int32_t>(c.index);
      e.cook = static_cast<int32_t>(k.index);
      emit(e);
    }
    if (o.special == Special::kPoison) {
      crash_cook(k, "a poison order made the cook ill", std::nullopt);
      return;
    }
    k.state = CookState::kCooking;
    k.on_stove = true;
    k.cooking_until = now() + cook_time(k, o.number);
    sched_.push(k.cooking_until, kCookDone, k.index, ++k.gen);
    history(o.number, StepKind::kCookStarted, k.index, 1);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kCookStarted, now());
      e.order = o.number;
      e.cook = static_cast<int32_t>(k.index);
      emit(e);
    }
  }

  void direct_cook_done(Cook& k) {
    const uint32_t n = k.direct_order;
    k.direct_order = 0;
    k.on_stove = false;
    count_cooked(k, n);
    Cashier& c = cashiers_[k.direct_cashier];
    k.state = CookState::kIdle;
    if (c.state == CashierState::kWaitingFood && c.order == n) {
      c.order = 0;
      c.handing = n;
      handing_epoch_[c.index] = 0;
      c.state = CashierState::kHanding;
      c.busy_until = now() + sc_.handoff;
      sched_.push(c.busy_until, kHandoffDone, c.index, ++c.gen);
    } else {
      // The cashier is away (crashed): the food waits at the pass for it.
      if (c.order == n) c.order = 0;
      c.food.push_back(FoodTicket{n, 0, 0});
    }
    direct_next(k);
  }

  void direct_next(Cook& k) {
    if (k.state != CookState::kIdle) return;
    std::deque<uint32_t>& w = waiting_[k.station];
    while (!w.empty()) {
      Cashier& c = cashiers_[w.front()];
      w.pop_front();
      if (c.state == CashierState::kWaitingCook) {
        direct_hand(k, c);
        return;
      }
    }
  }

  void lose_direct(Cook& k) {
    const uint32_t n = k.direct_order;
    k.direct_order = 0;
    Order& o = orders_[n - 1];
    o.lost_in_hand = true;
    o.status = OrderStatus::kLost;
    customers_[o.customer - 1].state = CustomerState::kLeft;
    history(n, StepKind::kLost, k.index);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kOrderLost, now());
      e.order = n;
      e.cook = static_cast<int32_t>(k.index);
      emit(e);
    }
    Cashier& c = cashiers_[k.direct_cashier];
    if (c.order == n) {
      // Told at once, or on coming back if it was down: either way it stops waiting.
      c.order = 0;
      if (c.state == CashierState::kWaitingFood) cashier_next(c);
    }
  }

  // ------------------------------------------------------------ injections

  Cook* find_cook(const std::string& name) {
    for (Cook& k : cooks_) {
      if (k.name == name) return &k;
    }
    return nullptr;
  }
  Cashier* find_cashier(const std::string& name) {
    for (Cashier& c : cashiers_) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }

  // Checks what can be checked without knowing the future (a cook added
  // later does not exist yet, so names are checked when the injection is made
  // live, see check_now, or applied).
  Status check_shape(const Injection& in) const {
    switch (in.kind) {
      case InjectionKind::kBadOrder:
        if (!is_bad_order_problem(in.problem)) {
          return Status::error(Code::kInvalid, "bad_order: \"" + in.problem +
                                                   "\" is not a problem the simulator knows; "
                                                   "write qty, dish, table, json, note or station");
        }
        break;
      case InjectionKind::kSetRate:
        if (!(in.rate >= 0 && in.rate <= 10000))
          return Status::error(Code::kInvalid, "set_rate: the rate must be 0..10000 per minute");
        break;
      case InjectionKind::kAddCook:
        if (!(in.speed >= 0.05 && in.speed <= 20))
          return Status::error(Code::kInvalid, "add_cook: the speed must be 0.05..20");
        break;
      case InjectionKind::kSlowDisk:
        if (in.window < 0)
          return Status::error(Code::kInvalid, "slow_disk: the window must be >= 0");
        break;
      default:
        break;
    }
    if (in.restart_after && *in.restart_after < 0) {
      return Status::error(Code::kInvalid, describe(in) + ": restart_after must be >= 0");
    }
    return Status::ok();
  }

  Status check_now(const Injection& in) {
    auto not_found = [&](const std::string& what, const std::vector<std::string>& known) {
      std::string list;
      for (size_t i = 0; i < known.size(); ++i)
        list += (i ? ", " : "") + known[i];
      return Status::error(Code::kNotFound, std::string(injection_kind_name(in.kind)) + ": no " +
                                                what + " \"" + in.target +
                                                "\" (there are: " + list + ")");
    };
    switch (in.kind) {
      case InjectionKind::kCrashCook:
      case InjectionKind::kFreezeCook:
      case InjectionKind::kReviveCook:
      case InjectionKind::kRemoveCook:
        if (find_cook(in.target) == nullptr) {
          std::vector<std::string> names;
          for (const Cook& k : cooks_)
            names.push_back(k.name);
          return not_found("cook", names);
        }
        break;
      case InjectionKind::kCrashCashier:
      case InjectionKind::kReviveCashier:
        if (find_cashier(in.target) == nullptr) return not_found("cashier", sc_.cashier_names());
        break;
      case InjectionKind::kBadOrder:
      case InjectionKind::kPoisonOrder:
        if (!in.target.empty() && find_cashier(in.target) == nullptr)
          return not_found("cashier", sc_.cashier_names());
        if (!in.dish.empty() && menu_->find(in.dish) == nullptr &&
            !(in.kind == InjectionKind::kBadOrder && in.problem == "dish")) {
          return Status::error(Code::kNotFound, std::string(injection_kind_name(in.kind)) +
                                                    ": no dish \"" + in.dish + "\" on the menu");
        }
        break;
      case InjectionKind::kAddCook:
        if (sc_.station_index(in.target) < 0) return not_found("station", stations_);
        break;
      case InjectionKind::kSetQueue: {
        std::vector<std::string> names = stations_;
        names.push_back(kPickupQueue);
        if (std::find(names.begin(), names.end(), in.target) == names.end())
          return not_found("queue", names);
        break;
      }
      default:
        break;
    }
    return check_shape(in);
  }

  void apply(const Injection& in) {
    const std::string text = observers_.empty() ? std::string() : describe(in);
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kInjected, now());
      e.text = text;
      e.injection = &in;
      emit(e);
    }
    const bool brokered = sc_.mode == Mode::kBroker;
    switch (in.kind) {
      case InjectionKind::kCrashCook:
        if (Cook* k = find_cook(in.target)) crash_cook(*k, "crashed", in.restart_after);
        break;
      case InjectionKind::kFreezeCook:
        if (Cook* k = find_cook(in.target)) freeze_cook(*k);
        break;
      case InjectionKind::kReviveCook:
        if (Cook* k = find_cook(in.target)) revive_cook(*k);
        break;
      case InjectionKind::kAddCook: {
        const int s = sc_.station_index(in.target);
        if (s < 0) break;
        Cook& k = new_cook(static_cast<uint32_t>(s), in.speed);
        emit_cook(SimEventKind::kCookAdded, k);
        connect_cook(k);
        break;
      }
      case InjectionKind::kRemoveCook:
        if (Cook* k = find_cook(in.target)) remove_cook(*k);
        break;
      case InjectionKind::kCrashCashier:
        if (Cashier* c = find_cashier(in.target)) crash_cashier(*c, in.restart_after);
        break;
      case InjectionKind::kReviveCashier:
        if (Cashier* c = find_cashier(in.target)) revive_cashier(*c);
        break;
      case InjectionKind::kCrashBroker:
        if (brokered && broker_) crash_broker(in.restart_after);
        break;
      case InjectionKind::kRestartBroker:
        if (brokered && !broker_) restart_broker();
        break;
      case InjectionKind::kBadOrder:
      case InjectionKind::kPoisonOrder:
        special_customer(in);
        break;
      case InjectionKind::kSetRate:
        rate_ = in.rate;
        schedule_next_arrival();
        break;
      case InjectionKind::kSetQueue:
        set_queue(in);
        break;
      case InjectionKind::kSlowDisk:
        commit_window_ = in.window > 0 ? in.window : sc_.commit_window;
        if (broker_) B().set_commit_window(commit_window_);
        break;
      case InjectionKind::kAnnounce:
        if (brokered && broker_ && manager_session_ != 0) {
          Message m;
          m.body = in.message;
          m.content_type = "text/plain";
          (void)B().publish(manager_session_, kAnnounceExchange, m);
        }
        break;
    }
  }

  void special_customer(const Injection& in) {
    Customer& cu = add_customer(
        rng_misc_, in.kind == InjectionKind::kPoisonOrder ? Special::kPoison : Special::kBad);
    if (in.kind == InjectionKind::kBadOrder) cu.problem = in.problem;
    if (!in.dish.empty()) {
      const int d = menu_->index_of(in.dish);
      if (d >= 0) {
        cu.dish = static_cast<uint16_t>(d);
      } else {
        cu.dish_override = in.dish;  // problem "dish": not on the menu, on purpose
      }
    } else if (in.problem == "dish") {
      cu.dish_override = "pizza";
    } else if (in.problem == "station") {
      for (size_t d = 0; d < menu_->dishes.size(); ++d) {
        if (sc_.station_index(menu_->dishes[d].station) < 0) {
          cu.dish = static_cast<uint16_t>(d);
          break;
        }
      }
    }
    if (in.problem == "station" && sc_.station_index(menu_->dishes[cu.dish].station) >= 0) {
      // Every station has a queue here; the order stays a plain one.
      cu.problem.clear();
    }
    const Cashier* target = in.target.empty() ? nullptr : find_cashier(in.target);
    const uint32_t ci = target != nullptr ? target->index : shortest_line();
    cu.cashier = ci;
    Cashier& c = cashiers_[ci];
    c.line.push_front(cu.id);  // they push to the front: the class sees it at once
    if (!observers_.empty()) {
      SimEvent e = make_event(SimEventKind::kCustomerArrived, now());
      e.customer = cu.id;
      e.cashier = static_cast<int32_t>(ci);
      emit(e);
    }
    if (c.state == CashierState::kIdle) cashier_next(c);
  }

  void set_queue(const Injection& in) {
    QueueSettings* qs = nullptr;
    int qi = -1;
    if (in.target == kPickupQueue) {
      qs = &pickup_q_;
      for (size_t i = 0; i < queues_.size(); ++i) {
        if (queues_[i].name == kPickupQueue) qi = static_cast<int>(i);
      }
    } else {
      const int s = sc_.station_index(in.target);
      if (s < 0) return;
      qs = &station_q_[static_cast<size_t>(s)];
      qi = s;
    }
    if (in.queue.durable) qs->durable = *in.queue.durable;
    if (in.queue.max_length) qs->max_length = *in.queue.max_length;
    if (in.queue.ttl) qs->ttl = *in.queue.ttl;
    if (in.queue.delivery_limit) qs->delivery_limit = *in.queue.delivery_limit;
    if (qi >= 0) queues_[static_cast<size_t>(qi)].durable = qs->durable;
    if (broker_) (void)B().update_queue(in.target, queue_options(*qs));
  }

  void on_timeline(uint32_t i) {
    const TimelineEvent& te = sc_.timeline[i];
    if (te.action) apply(*te.action);
    if (!te.say.empty()) {
      narration_ = static_cast<int>(i);
      if (!observers_.empty()) {
        SimEvent e = make_event(SimEventKind::kNarration, now());
        e.text = te.say.en;
        e.text_id = te.say.id;
        emit(e);
      }
    }
    if (te.pause) {
      ++pauses_;
      pause_hit_ = true;
    }
  }

  Status inject(Injection in) {
    if (in.at >= 0 && in.at < now()) {
      return Status::error(Code::kInvalid,
                           describe(in) + ": at " + format_duration(in.at) +
                               " is in the past (now is " + format_duration(now()) +
                               "); to change the past, replay from the start with this injection");
    }
    if (Status st = check_now(in); !st.is_ok()) return st;
    if (in.at < 0) in.at = now();
    injections_.push_back(in);
    sched_.push(in.at, kInjection, static_cast<uint32_t>(injections_.size() - 1), 0,
                Scheduler::kLateLane);
    if (in.at == now()) run_until(now(), false);
    return Status::ok();
  }

  // ------------------------------------------------------------------- loop

  Micros now() const { return clock_.now(); }

  // The broker, for a call that may change its state (and so its next
  // deadline, which is cached: the broker computes it in O(sessions)).
  Broker& B() {
    deadline_dirty_ = true;
    return *broker_;
  }

  Micros broker_due() const {
    if (!broker_) return kNever;
    if (deadline_dirty_) {
      // Time passing alone never moves next_deadline(); only calls do.
      deadline_ = broker_->next_deadline();
      deadline_dirty_ = false;
    }
    if (tick_stuck_ && deadline_ <= now()) return kNever;
    return deadline_;
  }

  Micros next_time() const {
    const Micros d = broker_due();
    const Micros s = sched_.empty() ? kNever : sched_.top().at;
    return std::min(d, s);
  }

  bool step() {
    const Micros d = broker_due();
    const Micros s = sched_.empty() ? kNever : sched_.top().at;
    if (d == kNever && s == kNever) return false;
    ++steps_;
    if (d <= s) {
      clock_.set(std::max(d, now()));
      B().tick();
      drain();
      // A deadline the tick could not move would spin forever; wait for news.
      tick_stuck_ = false;
      tick_stuck_ = broker_ && broker_due() <= now();
      return true;
    }
    tick_stuck_ = false;
    const Scheduled ev = sched_.pop();
    clock_.set(ev.at);
    dispatch(ev);
    drain();
    return true;
  }

  void dispatch(const Scheduled& ev) {
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
        on_timeline(ev.who);
        break;
      case kInjection:
        apply(injections_[ev.who]);
        break;
      default:
        assert(false && "Simulation: unknown scheduled event");
    }
  }

  bool run_until(Micros t, bool stop_at_pause) {
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

  // ---------------------------------------------------------------- helpers

  void history(uint32_t n, StepKind kind, uint32_t who = 0, uint32_t count = 0,
               MessageId message = 0, bool flag = false, int queue = -1, bool external = false) {
    if (!opt_.history || n == 0) return;
    OrderStep s;
    s.at = now();
    s.kind = kind;
    s.who = who;
    s.count = count;
    s.message = message;
    s.flag = flag;
    s.queue = queue < 0 ? 0 : static_cast<uint8_t>(queue);
    s.external = external;
    steps_of_[n - 1].push_back(s);
  }

  void emit(const SimEvent& e) {
    for (SimObserver* o : observers_)
      o->on_sim_event(e);
  }

  // ----------------------------------------------------------------- report

  Report report() const;

  // ------------------------------------------------------------------ state

  Scenario sc_;
  SimOptions opt_;
  std::shared_ptr<const Menu> menu_;
  Validator validator_;
  Translator translator_;
  ManualClock clock_;
  Scheduler sched_;
  Rng rng_arrivals_;
  Rng rng_misc_;
  uint64_t total_weight_ = 0;

  std::unique_ptr<Broker> broker_;
  uint64_t epoch_ = 0;        // brokers started so far
  uint64_t restart_gen_ = 0;  // cancels a scheduled restart
  Micros restart_at_ = -1;
  std::string broker_error_;
  std::shared_ptr<MemoryDisk> disk_;
  std::string data_path_;
  std::string temp_dir_;
  SessionId manager_session_ = 0;
  uint32_t recovered_ = 0;
  std::vector<uint32_t> vanish_candidates_;

  std::vector<std::string> stations_;
  std::vector<QueueSettings> station_q_;  // current settings (set_queue changes them)
  QueueSettings pickup_q_;
  std::vector<uint32_t> station_cook_count_;
  std::vector<std::deque<uint32_t>> waiting_;  // direct mode: cashiers waiting per station
  std::vector<QueueStats> queues_;
  std::vector<std::pair<const char*, int>> qcache_;  // broker queue name storage -> index

  std::vector<Cashier> cashiers_;
  std::vector<Cook> cooks_;
  std::vector<Customer> customers_;
  std::vector<Order> orders_;
  std::vector<std::vector<OrderStep>> steps_of_;
  std::vector<std::unique_ptr<Sink>> cashier_sinks_;
  std::vector<std::unique_ptr<Sink>> cook_sinks_;
  std::vector<DeliveryTag> handing_tag_;  // per cashier: the pickup delivery it is handing
  std::vector<uint64_t> handing_epoch_;   // ... and the broker it came from (0 = none)
  std::vector<Item> inbox_;
  std::vector<uint32_t> msg_order_;  // message id -> order number (| kFoodBit), this broker
  uint32_t publishing_ = 0;          // the order being published right now
  Message scratch_;                  // reused so a publish allocates nothing of ours

  Counters counters_;
  std::vector<Micros> latencies_;
  std::vector<Injection> injections_;
  double rate_;
  uint64_t arrival_gen_ = 0;
  Micros commit_window_;
  int narration_ = -1;
  uint32_t pauses_ = 0;
  bool pause_hit_ = false;
  bool tick_stuck_ = false;
  mutable bool deadline_dirty_ = true;  // a broker call since deadline_ was read
  mutable Micros deadline_ = kNever;    // the broker's next_deadline(), cached
  uint64_t steps_ = 0;
  std::vector<SimObserver*> observers_;

  // STOMP clients on the scene (listen()).
  bool live_ = false;  // listening: the host drives time from the wall clock
  ListenOptions listen_opt_;
  uint16_t port_ = 0;                           // the port listened on, kept across crashes
  std::unique_ptr<stomp::StompServer> server_;  // null unless live and the broker is up
  std::string server_error_;                    // why the server could not listen again
  std::vector<ExternalClient> externals_;
  bool names_pending_ = false;         // an external client whose name is not read yet
  SessionId runner_session_ = 0;       // publishes food-ready for external cooks
  std::vector<uint64_t> runner_jobs_;  // order | external cook index << 32, after an ack
};

}  // namespace wmq::sim

namespace wmq::sim {

namespace {

std::string order_list(const std::vector<uint32_t>& orders) {
  std::string out;
  for (size_t i = 0; i < orders.size() && i < 5; ++i)
    out += (i ? ", " : "") + std::to_string(orders[i]);
  if (orders.size() > 5) out += ", ...";
  return out;
}

std::string figure_text(const std::string& figure, int64_t v) {
  if (figure.rfind("latency_", 0) == 0) return format_duration(v);
  return std::to_string(v);
}

uint32_t record_order(const MessageRecord& m) {
  for (const Header& h : m.headers) {
    if (h.name == "order") return static_cast<uint32_t>(std::strtoul(h.value.c_str(), nullptr, 10));
  }
  return 0;
}

}  // namespace

Report Simulation::Impl::report() const {
  Report r;
  r.scenario = sc_.name;
  r.file = sc_.file;
  r.title = sc_.title;
  r.watch = sc_.watch;
  r.question = sc_.question;
  r.answer = sc_.answer;
  r.seed = opt_.seed;
  r.mode = sc_.mode;
  r.virtual_time = now();
  r.placed = counters_.placed;
  r.confirmed = counters_.confirmed;
  r.delivered = counters_.delivered;
  r.redelivered = counters_.redelivered;
  r.cooked = counters_.cooked;
  r.duplicates = counters_.duplicates;
  r.late_acks = counters_.late_acks;
  r.customers = counters_.customers;
  r.retries = counters_.retries;
  r.crashes = counters_.crashes;
  r.recoveries = counters_.recoveries;
  r.group_commits = counters_.group_commits;
  r.announcements = counters_.announcements;
  r.live = live_;
  r.external_delivered = counters_.external_delivered;
  r.external_cooked = counters_.external_cooked;
  r.external_returned = counters_.external_returned;
  r.external_sent = counters_.external_sent;
  r.external_rejected = counters_.external_rejected;
  for (const ExternalClient& x : externals_) {
    if (x.role == ExternalRole::kCook) ++r.external_cooks;
    if (x.role == ExternalRole::kCashier) ++r.external_cashiers;
  }

  // Where is every order now? Held by a person, in the broker, or gone.
  std::vector<uint8_t> held(orders_.size() + 1, 0);
  for (const Cashier& c : cashiers_) {
    if (c.order != 0) held[c.order] = 1;
    for (uint32_t n : c.pending)
      held[n] = 1;
    if (c.handing != 0) held[c.handing] = 1;
    for (const FoodTicket& f : c.food)
      held[f.order] = 1;
  }
  for (const Cook& k : cooks_) {
    if (k.direct_order != 0) held[k.direct_order] = 1;
  }
  if (sc_.mode == Mode::kBroker && !broker_) {
    // The broker is down: what its file holds comes back at the restart.
    std::vector<MessageRecord> on_disk;
    if (disk_) {
      for (const auto& [key, m] : disk_->messages)
        on_disk.push_back(m);
    }
    if (opt_.storage == Storage::kSqlite) {
      // A look at the file, as a restart would see it; nothing is written.
      Result<std::unique_ptr<Store>> st = Store::open(data_path_);
      if (st.is_ok()) {
        Result<Recovered> rec = st.value()->recover();
        if (rec.is_ok()) on_disk = std::move(rec.value().messages);
      }
    }
    for (const MessageRecord& m : on_disk) {
      const uint32_t n = record_order(m);
      if (n != 0 && n <= orders_.size()) held[n] = 1;
    }
  }
  std::vector<uint32_t> lost;
  for (const Order& o : orders_) {
    if (o.served > 0) {
      ++r.served;
    } else if (o.copies > 0 || o.food > 0 || held[o.number]) {
      ++r.in_flight;
    } else if (o.dead_lettered) {
      ++r.dead_lettered;
    } else if (o.expired) {
      ++r.expired;
    } else if (o.rejected) {
      ++r.rejected;
    } else {
      ++r.lost;
      lost.push_back(o.number);
      if (!o.confirmed) {
        r.notes.push_back("order " + std::to_string(o.number) +
                          " vanished without ever being confirmed");
      }
    }
  }

  std::vector<Micros> lat = latencies_;
  std::sort(lat.begin(), lat.end());
  auto pct = [&lat](uint32_t p) -> Micros {
    if (lat.empty()) return 0;
    const size_t rank = (lat.size() * p + 99) / 100;  // nearest rank
    return lat[std::max<size_t>(rank, 1) - 1];
  };
  r.latency_p50 = pct(50);
  r.latency_p90 = pct(90);
  r.latency_p99 = pct(99);
  r.latency_max = lat.empty() ? 0 : lat.back();

  for (const QueueStats& q : queues_)
    r.queues.push_back(QueueReport{q.name, q.max_depth, q.depth, q.durable});

  // The timeline so far: the scenario's events and the injections, by time.
  for (const TimelineEvent& te : sc_.timeline) {
    if (te.at > now()) continue;
    r.timeline.push_back(NarrationLine{te.at, te.action ? describe(*te.action) : "", te.say});
  }
  for (const Injection& in : injections_) {
    if (in.at > now()) continue;
    r.timeline.push_back(NarrationLine{in.at, describe(in), Text{}});
  }
  std::stable_sort(r.timeline.begin(), r.timeline.end(),
                   [](const NarrationLine& a, const NarrationLine& b) { return a.at < b.at; });

  for (const Expectation& e : sc_.expect) {
    ExpectationResult x;
    x.name = e.name;
    switch (e.kind) {
      case Expectation::Kind::kMin: {
        const int64_t v = r.figure(e.figure);
        x.ok = v >= e.value;
        x.detail = e.figure + " " + figure_text(e.figure, v) + ", expected at least " +
                   figure_text(e.figure, e.value);
        break;
      }
      case Expectation::Kind::kMax: {
        const int64_t v = r.figure(e.figure);
        x.ok = v <= e.value;
        x.detail = e.figure + " " + figure_text(e.figure, v) + ", expected at most " +
                   figure_text(e.figure, e.value);
        break;
      }
      case Expectation::Kind::kNoConfirmedLost:
        x.ok = r.lost == 0;
        x.detail = r.lost == 0 ? "no confirmed order was lost"
                               : std::to_string(r.lost) + " confirmed order" +
                                     (r.lost == 1 ? " was" : "s were") + " lost (order" +
                                     (r.lost == 1 ? " " : "s ") + order_list(lost) + ")";
        break;
      case Expectation::Kind::kMaxWaiting: {
        int64_t waited = 0;
        for (const Order& o : orders_) {
          Micros w = -1;
          if (o.served > 0) {
            w = o.served_at - o.placed_at;
          } else if (!o.rejected && !o.dead_lettered && !o.expired) {
            w = now() - o.placed_at;  // still waiting (in flight or lost)
          }
          if (w > e.over) ++waited;
        }
        x.ok = waited <= e.value;
        x.detail = std::to_string(waited) + " order" + (waited == 1 ? "" : "s") + " waited over " +
                   format_duration(e.over) + ", expected at most " + std::to_string(e.value);
        break;
      }
      case Expectation::Kind::kQueueMinPeak:
      case Expectation::Kind::kQueueMaxPeak:
      case Expectation::Kind::kQueueMaxFinal: {
        uint64_t peak = 0, final_depth = 0;
        for (const QueueReport& q : r.queues) {
          if (q.name == e.queue) {
            peak = q.max_depth;
            final_depth = q.final_depth;
          }
        }
        const auto v = static_cast<uint64_t>(e.value);
        if (e.kind == Expectation::Kind::kQueueMinPeak) {
          x.ok = peak >= v;
          x.detail = "queue " + e.queue + " peaked at " + std::to_string(peak) +
                     " waiting, expected at least " + std::to_string(v);
        } else if (e.kind == Expectation::Kind::kQueueMaxPeak) {
          x.ok = peak <= v;
          x.detail = "queue " + e.queue + " peaked at " + std::to_string(peak) +
                     " waiting, expected at most " + std::to_string(v);
        } else {
          x.ok = final_depth <= v;
          x.detail = "queue " + e.queue + " ends with " + std::to_string(final_depth) +
                     " waiting, expected at most " + std::to_string(v);
        }
        break;
      }
    }
    r.expectations.push_back(std::move(x));
  }
  if (!broker_error_.empty()) r.notes.push_back("the broker could not restart: " + broker_error_);
  if (!server_error_.empty())
    r.notes.push_back("STOMP clients could not reconnect after the restart: " + server_error_);
  return r;
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
  static const std::vector<OrderStep> kNone;
  if (number == 0 || number > impl_->steps_of_.size()) return kNone;
  return impl_->steps_of_[number - 1];
}
Simulation::MessageInfo Simulation::message_info(MessageId id) const {
  const uint32_t v = impl_->order_of(id);
  return MessageInfo{v & ~kFoodBit, (v & kFoodBit) != 0};
}
const std::vector<QueueStats>& Simulation::queues() const {
  return impl_->queues_;
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
  return impl_->narration_ < 0 ? nullptr
                               : &impl_->sc_.timeline[static_cast<size_t>(impl_->narration_)];
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
  return impl_->listen(options);
}
bool Simulation::listening() const {
  return impl_->live_;
}
uint16_t Simulation::listen_port() const {
  return impl_->live_ ? impl_->port_ : 0;
}
void Simulation::live_turn(Micros t, Micros max_wait) {
  impl_->live_turn(t, max_wait);
}
const std::vector<ExternalClient>& Simulation::external_clients() const {
  return impl_->externals_;
}

Report Simulation::report() const {
  return impl_->report();
}

}  // namespace wmq::sim
