// Simulation::Impl: the scene behind sim/simulation.h. Private to app/sim/src.
//
// Impl owns everything: the people, time (the scheduler and the clock the
// broker shares), the broker and its store, and three pieces it hands one
// concern each:
//   OrderLedger    order_ledger.h    broker events -> each order's life, queue figures, history
//   LiveScene      live_scene.h      STOMP clients on the scene (Simulation::listen)
//   DirectKitchen  direct_kitchen.h  direct mode: cashiers hand orders to cooks, no broker
// Impl's own code is split by concern, as its sections below are:
//   simulation.cpp     setup, the broker's life (start, crash, restart), its events, time, the
//   facade crew.cpp           customers, cashiers and cooks interventions.cpp  injections and the
//   scenario's timeline report.cpp         the report and the judging of expectations
//
// The pieces reach back into Impl (they are its parts, not its clients): its
// members are public for them. Nothing outside app/sim/src includes this.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "direct_kitchen.h"
#include "live_scene.h"
#include "order_ledger.h"
#include "sim/condition.h"
#include "sim/memory_store.h"
#include "sim/random.h"
#include "sim/scheduler.h"
#include "sim/simulation.h"

namespace wmq::sim {

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

inline SimEvent make_event(SimEventKind kind, Micros at) {
  SimEvent e;
  e.kind = kind;
  e.at = at;
  return e;
}

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
      sim_.inbox_.push_back(Item{Item::kDelivery, cook_, who_, session, d.tag, d.message->id(),
                                 d.delivery_count, d.redelivered, is_news_queue(d.queue)});
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

  Impl(const Scenario& scenario, SimOptions options);
  ~Impl() override;

  // ---- setup (simulation.cpp)
  Status init(std::vector<Injection> injections);
  Status prepare_storage();
  Result<std::unique_ptr<Store>> open_store();
  Cook& new_cook(uint32_t station, double speed);

  // ---- the broker's life (simulation.cpp)
  QueueOptions queue_options(const QueueSettings& s) const;
  void ensure_queue(const std::string& name, const QueueOptions& q);
  Status start_broker();
  void connect_cashier(Cashier& c);
  void connect_cook(Cook& k);
  void crash_broker(std::optional<Micros> restart_after);
  void restart_broker();
  void on_event(const Event& e) override;
  void drain();
  void on_cashier_item(const Item& it);
  void on_cook_item(const Item& it);

  // ---- customers, cashiers, cooks (crew.cpp)
  void schedule_next_arrival();
  void draw_customer(Customer& c, Rng& rng);
  uint32_t shortest_line() const;
  Customer& add_customer(Rng& rng, Special special);
  void on_arrival();
  void cashier_next(Cashier& c);
  void on_service_done(Cashier& c);
  void build_order_message(const Cashier& c, const Order& o);
  void publish_order(Cashier& c, uint32_t n);
  void after_publish(Cashier& c);
  void republish_pending(Cashier& c);
  void reject_order(Cashier& c, Order& o, const std::string& reason);
  void on_confirm(Cashier& c, PublishSeq seq);
  bool queues_persist(const Order& o) const;
  void on_nack(Cashier& c, PublishSeq seq);
  void on_confirm_timeout(Cashier& c, uint32_t n, uint32_t attempt);
  void on_handoff_done(Cashier& c);
  void serve(uint32_t n, Cashier& c);
  void crash_cashier(Cashier& c, std::optional<Micros> restart_after);
  void revive_cashier(Cashier& c);
  Micros cook_time(const Cook& k, uint32_t n) const;
  void cook_start(Cook& k);
  void count_cooked(Cook& k, uint32_t n);
  void on_cook_done(Cook& k);
  void publish_food(SessionId sid, uint32_t n, uint32_t who, bool external);
  void crash_cook(Cook& k, std::string_view why, std::optional<Micros> restart_after);
  void freeze_cook(Cook& k);
  void revive_cook(Cook& k);
  void remove_cook(Cook& k);
  void on_heartbeat(Cook& k);
  void emit_cook(SimEventKind kind, const Cook& k);

  // ---- injections and the timeline (interventions.cpp)
  Cook* find_cook(const std::string& name);
  Cashier* find_cashier(const std::string& name);
  Status check_shape(const Injection& in) const;
  Status check_now(const Injection& in);
  void apply(const Injection& in);
  void special_customer(const Injection& in);
  void set_queue(const Injection& in);
  // Timeline event `i` is due (`deadline`: its deadline came while it waited).
  void on_timeline(uint32_t i, bool deadline);
  // Fires timeline event `i` now: picks its targets, applies, narrates, pauses.
  void fire(uint32_t i, const Pick& pick, std::string late);
  // After every step: fires each waiting event whose condition now holds.
  void check_waiting();
  WarungState warung() const { return WarungState{cooks_, orders_, ledger_.queues()}; }
  Status inject(Injection in);

  // ---- time (simulation.cpp)
  Micros now() const { return clock_.now(); }
  // The broker, for a call that may change its state: marks the cached
  // next deadline stale (the broker computes it in O(sessions), so it is
  // read again only after such a call). Read-only looks go through broker_.
  Broker& changing_broker() {
    deadline_dirty_ = true;
    return *broker_;
  }
  Micros broker_due() const;
  Micros next_time() const;
  bool step();
  void dispatch(const Scheduled& ev);
  bool run_until(Micros t, bool stop_at_pause);
  void emit(const SimEvent& e) {
    for (SimObserver* o : observers_)
      o->on_sim_event(e);
  }

  // ---- the report (report.cpp)
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
  // The broker's disk is full (fill_disk): its DiskGate fails every commit.
  // The run's, not a broker's: it stays full across a crash and restart.
  std::shared_ptr<bool> disk_full_ = std::make_shared<bool>(false);
  std::string data_path_;
  std::string temp_dir_;
  SessionId manager_session_ = 0;
  std::vector<uint32_t> vanish_candidates_;

  std::vector<std::string> stations_;
  std::vector<QueueSettings> station_q_;  // current settings (set_queue changes them)
  QueueSettings pickup_q_;
  std::vector<uint32_t> station_cook_count_;

  std::vector<Cashier> cashiers_;
  std::vector<Cook> cooks_;
  std::vector<Customer> customers_;
  std::vector<Order> orders_;
  std::vector<std::unique_ptr<Sink>> cashier_sinks_;
  std::vector<std::unique_ptr<Sink>> cook_sinks_;
  std::vector<DeliveryTag> handing_tag_;  // per cashier: the pickup delivery it is handing
  std::vector<uint64_t> handing_epoch_;   // ... and the broker it came from (0 = none)
  std::vector<Item> inbox_;
  Message scratch_;  // reused so a publish allocates nothing of ours

  Counters counters_;
  std::vector<Micros> latencies_;
  std::vector<Injection> injections_;
  double rate_;
  uint64_t arrival_gen_ = 0;
  Micros commit_window_;
  std::vector<TimelineEvent> fired_;  // timeline events fired, in order, names filled in
  std::vector<uint32_t> waiting_;     // timeline events past `after` waiting for `when`
  int narration_ = -1;                // in fired_
  uint32_t pauses_ = 0;
  bool pause_hit_ = false;
  bool tick_stuck_ = false;
  mutable bool deadline_dirty_ = true;  // a broker call since deadline_ was read
  mutable Micros deadline_ = kNever;    // the broker's next_deadline(), cached
  uint64_t steps_ = 0;
  std::vector<SimObserver*> observers_;

  OrderLedger ledger_;    // message -> order, queue figures, history
  LiveScene live_;        // STOMP clients (listen())
  DirectKitchen direct_;  // direct mode's hand-to-hand orders
};

}  // namespace wmq::sim
