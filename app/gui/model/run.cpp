#include "gui/model/run.h"

#include <algorithm>
#include <utility>

#include "gui/model/tickets.h"

namespace wmq::gui {

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::kValidate:
      return "validate";
    case Stage::kTranslate:
      return "translate";
    case Stage::kRoute:
      return "route";
    case Stage::kStore:
      return "store";
    case Stage::kPersist:
      return "persist";
    case Stage::kConfirm:
      return "confirm";
    case Stage::kDeliver:
      return "deliver";
    case Stage::kAck:
      return "ack";
  }
  return "unknown";
}

void count_stage(PipelineCounts& counts, const Event& e) {
  auto pass = [&](Stage s, uint64_t n = 1) {
    counts.passed[static_cast<size_t>(s)] += n;
    counts.last_at[static_cast<size_t>(s)] = e.at;
  };
  auto refuse = [&](Stage s) {
    ++counts.refused[static_cast<size_t>(s)];
    counts.last_at[static_cast<size_t>(s)] = e.at;
  };
  switch (e.kind) {
    case EventKind::kValidated:
      pass(Stage::kValidate);
      break;
    case EventKind::kRejected:
      // The broker names the stop that said no in the code. An unroutable publish was counted
      // at Route by its kUnroutable event; a full queue refuses it at the board.
      if (e.code == Code::kUnroutable) break;
      refuse(e.code == Code::kFull ? Stage::kStore : Stage::kValidate);
      break;
    case EventKind::kTranslated:
      pass(Stage::kTranslate);
      break;
    case EventKind::kRouted:
      pass(Stage::kRoute);
      break;
    case EventKind::kUnroutable:
      refuse(Stage::kRoute);
      break;
    case EventKind::kEnqueued:
      pass(Stage::kStore);
      break;
    case EventKind::kCommitted:
      pass(Stage::kPersist, e.count);
      break;
    case EventKind::kCommitFailed:
      refuse(Stage::kPersist);
      break;
    case EventKind::kConfirmed:
      pass(Stage::kConfirm);
      break;
    case EventKind::kPublishNacked:
      refuse(Stage::kConfirm);
      break;
    case EventKind::kDelivered:
      pass(Stage::kDeliver);
      break;
    case EventKind::kAcked:
      pass(Stage::kAck);
      break;
    case EventKind::kNacked:
      refuse(Stage::kAck);
      break;
    default:
      break;
  }
}

Run::Run(const sim::Scenario& scenario, RunOptions options)
    : scenario_(scenario), log_(options.log_capacity), sampler_(options.chart_interval) {}

Run::~Run() {
  if (sim_) sim_->remove_observer(this);
}

Result<std::unique_ptr<Run>> Run::create(const sim::Scenario& scenario, uint64_t seed,
                                         std::vector<sim::Injection> injections,
                                         RunOptions options) {
  std::unique_ptr<Run> run(new Run(scenario, options));
  sim::SimOptions so;
  so.seed = seed;
  so.storage = sim::Storage::kMemory;
  so.history = true;
  Result<std::unique_ptr<sim::Simulation>> sim =
      sim::Simulation::create(run->scenario_, so, std::move(injections));
  if (!sim.is_ok()) return sim.status();
  run->sim_ = std::move(sim).value();
  run->sim_->add_observer(run.get());
  return run;
}

uint32_t Run::order_of_message(MessageId message) const {
  auto it = message_order_.find(message);
  return it == message_order_.end() ? 0 : it->second;
}

uint32_t Run::ticket_of(uint32_t order, MessageId message) const {
  if (order != 0) return order;
  auto it = program_tickets_.find(message);
  return it == program_tickets_.end() ? 0 : it->second;
}

std::string Run::ticket_label(uint32_t ticket) const {
  if (const ProgramOrder* p = program_order(ticket)) return p->label;
  if (sim_->order(ticket) != nullptr) return std::to_string(ticket);
  return "?";
}

const ProgramOrder* Run::program_order(uint32_t ticket) const {
  if (ticket < kProgramOrderBase || ticket - kProgramOrderBase >= program_orders_.size()) {
    return nullptr;
  }
  return &program_orders_[ticket - kProgramOrderBase];
}

bool Run::ticket_confirmed(uint32_t ticket) const {
  if (const ProgramOrder* p = program_order(ticket)) return p->confirmed && p->persistent;
  const sim::Order* o = sim_->order(ticket);
  return o != nullptr && o->confirmed;
}

void Run::note_program_order(const sim::SimEvent& e) {
  const Event& b = *e.broker;
  switch (b.kind) {
    case EventKind::kPublished:
      // Every publish of the simulator's own people names an order; a program's names none.
      program_publish_ = e.order == 0 ? b.message : 0;
      program_publisher_ = b.session;
      program_publish_ticket_ = 0;
      break;
    case EventKind::kEnqueued: {
      // The publish and its enqueues come in one broker call: an enqueue of that message on a
      // station's board is the program's order arriving there.
      if (e.order != 0 || b.message == 0 || b.message != program_publish_) break;
      const auto& stations = sim_->stations();
      if (std::find(stations.begin(), stations.end(), b.queue) == stations.end()) break;
      if (program_publish_ticket_ == 0) {
        ProgramOrder p;
        const std::string id = b.payload != nullptr
                                   ? program_order_id(b.payload->body(), b.payload->header("order"))
                                   : std::string();
        p.name = program_order_name(id, static_cast<uint32_t>(program_orders_.size() + 1));
        p.label = program_ticket_label(p.name);
        p.message = b.message;
        p.persistent = b.payload != nullptr && b.payload->persistent();
        p.session = program_publisher_;
        p.sender = log_.client_name(program_publisher_);
        program_publish_ticket_ = kProgramOrderBase + static_cast<uint32_t>(program_orders_.size());
        program_orders_.push_back(std::move(p));
      }
      // insert_or_assign: a broker restarted after a crash may give a lost message's id again.
      program_tickets_.insert_or_assign(b.message, program_publish_ticket_);
      break;
    }
    case EventKind::kConfirmed: {
      auto it = program_tickets_.find(b.message);
      if (e.order == 0 && it != program_tickets_.end()) {
        program_orders_[it->second - kProgramOrderBase].confirmed = true;
      }
      break;
    }
    case EventKind::kDeadLettered: {
      // The dead letter is a new message (its id in seq): still the program's order.
      auto it = program_tickets_.find(b.message);
      if (e.order == 0 && b.seq != 0 && it != program_tickets_.end()) {
        program_tickets_.insert_or_assign(static_cast<MessageId>(b.seq), it->second);
      }
      break;
    }
    default:
      break;
  }
}

void Run::on_sim_event(const sim::SimEvent& e) {
  log_.add(e, sim_.get());
  if (e.broker != nullptr && sim_->listening()) note_program_order(e);
  sampler_.on_event(e, *sim_);
  if (e.broker != nullptr) {
    count_stage(pipeline_, *e.broker);
    if (e.order != 0 && e.message != 0) message_order_.emplace(e.message, e.order);
    // A dead letter is a new message (its id in seq) carrying the same order.
    if (e.order != 0 && e.broker->kind == EventKind::kDeadLettered && e.broker->seq != 0) {
      message_order_.emplace(static_cast<MessageId>(e.broker->seq), e.order);
    }
  } else if (e.order != 0 && e.message != 0) {
    message_order_.emplace(e.message, e.order);
  }
}

void Run::sample_due(Micros up_to) {
  while (sampler_.next_due() <= up_to) {
    sim_->run_until(sampler_.next_due(), false);
    sampler_.sample(*sim_);
  }
}

bool Run::advance_to(Micros t, bool stop_at_pause) {
  bool paused = false;
  while (!paused && sampler_.next_due() <= t) {
    paused = sim_->run_until(sampler_.next_due(), stop_at_pause);
    if (!paused) sampler_.sample(*sim_);
  }
  if (!paused) paused = sim_->run_until(t, stop_at_pause);
  refresh_scene();
  return paused;
}

bool Run::step() {
  const Micros next = sim_->next_event_time();
  if (next == kNever) return false;
  // Samples due strictly before the next event see the state they would have seen playing.
  sample_due(next - 1);
  const bool ran = sim_->step();
  refresh_scene();
  return ran;
}

Status Run::inject(sim::Injection injection) {
  Status st = sim_->inject(std::move(injection));
  refresh_scene();
  return st;
}

Status Run::listen(const sim::ListenOptions& options) {
  return sim_->listen(options);
}

bool Run::live_advance_to(Micros t, bool stop_at_pause) {
  const bool paused = advance_to(t, stop_at_pause);
  if (sim_->listening()) {
    sim_->live_turn(sim_->now(), 0);
    refresh_scene();
  }
  return paused;
}

const std::vector<sim::Cook>& Run::scene_cooks() const {
  return external_cooks_ ? scene_cooks_ : sim_->cooks();
}

const std::vector<sim::Cashier>& Run::scene_cashiers() const {
  return external_cashiers_ ? scene_cashiers_ : sim_->cashiers();
}

const sim::ExternalClient* Run::external_at(uint32_t index) const {
  if (index < kExternalIndexBase) return nullptr;
  const auto& all = sim_->external_clients();
  const uint32_t i = index - kExternalIndexBase;
  return i < all.size() ? &all[i] : nullptr;
}

void Run::refresh_scene() {
  const auto& all = sim_->external_clients();
  external_cooks_ = false;
  external_cashiers_ = false;
  if (all.empty()) return;
  scene_cooks_.clear();
  scene_cashiers_.clear();
  for (const sim::ExternalClient& x : all) {
    // A program that left is not drawn: what it held is back on the board, which the class
    // sees, and a student who runs a script ten times would otherwise fill the kitchen.
    if (x.state != sim::ExternalState::kConnected) continue;
    if (x.role == sim::ExternalRole::kCook) {
      if (x.station < 0 || static_cast<size_t>(x.station) >= sim_->stations().size()) continue;
      if (!external_cooks_) scene_cooks_ = sim_->cooks();
      external_cooks_ = true;
      sim::Cook k;
      k.index = kExternalIndexBase + x.index;
      k.name = x.name;
      k.station = static_cast<uint32_t>(x.station);
      // Its prefetch is the program's business; the window shows what it holds.
      k.prefetch = 0;
      k.held = x.held;
      k.state = x.held.empty() ? sim::CookState::kIdle : sim::CookState::kCooking;
      k.on_stove = !x.held.empty();
      k.session = x.session;
      k.cooked = x.cooked;
      scene_cooks_.push_back(std::move(k));
    } else {
      if (!external_cashiers_) scene_cashiers_ = sim_->cashiers();
      external_cashiers_ = true;
      sim::Cashier c;
      c.index = kExternalIndexBase + x.index;
      c.name = x.name;
      c.session = x.session;
      scene_cashiers_.push_back(std::move(c));
    }
  }
}

const sim::ExternalClient* selected_external(const Run& run, const Selection& s) {
  if (s.kind == Selection::Kind::kCook) return run.external_at(s.index);
  if (s.kind == Selection::Kind::kCashier && s.index < run.scene_cashiers().size()) {
    return run.external_at(run.scene_cashiers()[s.index].index);
  }
  return nullptr;
}

}  // namespace wmq::gui
