#include "gui/model/run.h"

#include <utility>

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

void Run::on_sim_event(const sim::SimEvent& e) {
  log_.add(e, sim_.get());
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
  while (sampler_.next_due() <= t) {
    if (sim_->run_until(sampler_.next_due(), stop_at_pause)) return true;
    sampler_.sample(*sim_);
  }
  return sim_->run_until(t, stop_at_pause);
}

bool Run::step() {
  const Micros next = sim_->next_event_time();
  if (next == kNever) return false;
  // Samples due strictly before the next event see the state they would have seen playing.
  sample_due(next - 1);
  return sim_->step();
}

Status Run::inject(sim::Injection injection) {
  return sim_->inject(std::move(injection));
}

}  // namespace wmq::gui
