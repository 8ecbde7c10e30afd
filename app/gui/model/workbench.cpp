#include "gui/model/workbench.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <fstream>
#include <sstream>
#include <utility>

#include "gui/model/scenario_writer.h"
#include "sim/report.h"

namespace wmq::gui {

namespace {

constexpr Micros kForever = INT64_MAX;

}  // namespace

std::string describe(const Selection& s) {
  switch (s.kind) {
    case Selection::Kind::kNone:
      return "none";
    case Selection::Kind::kOrder:
      if (s.index >= kProgramOrderBase) {
        return "stomp order " + std::to_string(s.index - kProgramOrderBase);
      }
      return "order " + std::to_string(s.index);
    case Selection::Kind::kCook:
      if (s.index >= kExternalIndexBase) {
        return "stomp cook " + std::to_string(s.index - kExternalIndexBase);
      }
      return "cook " + std::to_string(s.index);
    case Selection::Kind::kCashier:
      return "cashier " + std::to_string(s.index);
    case Selection::Kind::kQueue:
      return "queue " + s.queue;
    case Selection::Kind::kBroker:
      return "broker";
  }
  return "unknown";
}

Status Workbench::load(const std::string& path, std::optional<uint64_t> seed) {
  if (Status st = live_refusal("opening another scenario"); !st.is_ok()) return st;
  Result<sim::Scenario> scenario = sim::load_scenario(path);
  if (!scenario.is_ok()) return scenario.status();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return load(std::move(scenario).value(), text.str(), seed);
}

Status Workbench::load(sim::Scenario scenario, std::string source, std::optional<uint64_t> seed) {
  if (Status st = live_refusal("opening another scenario"); !st.is_ok()) return st;
  const uint64_t s = seed.value_or(scenario.seed);
  Result<std::unique_ptr<Run>> a = Run::create(scenario, s, {}, run_options_);
  if (!a.is_ok()) return a.status();
  std::unique_ptr<Run> run_a = std::move(a).value();
  run_a->advance_to(0, false);

  // The variant stays when the new scenario can take it.
  std::unique_ptr<Run> run_b;
  if (variant_) {
    Result<sim::Scenario> varied = apply_variant(scenario, *variant_);
    Result<std::unique_ptr<Run>> b =
        varied.is_ok() ? Run::create(varied.value(), s, {}, run_options_) : varied.status();
    if (b.is_ok()) {
      run_b = std::move(b).value();
      run_b->advance_to(0, false);
    } else {
      variant_.reset();
    }
  }

  a_ = std::move(run_a);
  b_ = std::move(run_b);
  b_clicks_.reset();
  previous_future_.clear();
  previous_fork_ = -1;
  source_ = std::move(source);
  seed_ = s;
  player_.pause();
  horizon_ = 0;
  forks_.clear();
  recorded_.clear();
  selection_ = Selection::none();
  at_pause_point_ = false;
  reached_end_ = false;
  ++epoch_;
  return Status::ok();
}

Micros Workbench::end() const {
  return std::max(scenario().duration, horizon_);
}

void Workbench::play() {
  at_pause_point_ = false;
  player_.play();
}

void Workbench::toggle_play() {
  if (player_.playing()) {
    player_.pause();
  } else {
    play();
  }
}

void Workbench::touch_horizon() {
  horizon_ = std::max(horizon_, now());
}

void Workbench::follow_with_b() {
  if (b_) b_->advance_to(now(), false);
}

void Workbench::set_speed(double speed) {
  if (!live_) player_.set_speed(speed);
}

void Workbench::faster() {
  if (!live_) player_.faster();
}

void Workbench::slower() {
  if (!live_) player_.slower();
}

uint16_t Workbench::listen_port() const {
  return live_ ? a_->sim().listen_port() : 0;
}

size_t Workbench::connected_clients() const {
  size_t n = 0;
  for (const sim::ExternalClient& x : a_->sim().external_clients()) {
    if (x.state == sim::ExternalState::kConnected) ++n;
  }
  return n;
}

Status Workbench::live_refusal(const std::string& what) const {
  if (!live_) return Status::ok();
  return Status::error(Code::kInvalid,
                       what + " is not possible while STOMP clients can connect (port " +
                           std::to_string(listen_port()) +
                           "): this live run follows the wall clock and cannot be replayed");
}

Status Workbench::listen(const sim::ListenOptions& options) {
  if (live_) {
    return Status::error(Code::kInvalid,
                         "the scene already listens on port " + std::to_string(listen_port()));
  }
  if (b_) {
    return Status::error(Code::kInvalid,
                         "STOMP clients can join one run only: close the split view first");
  }
  if (Status st = a_->listen(options); !st.is_ok()) return st;
  live_ = true;
  listen_bind_ = options.bind;
  player_.set_speed(1.0);
  return Status::ok();
}

bool Workbench::step() {
  if (live_) return false;
  player_.pause();
  at_pause_point_ = false;
  const bool ran = a_->step();
  follow_with_b();
  touch_horizon();
  return ran;
}

void Workbench::tick(double real_seconds) {
  if (live_) {
    tick_live(real_seconds);
    return;
  }
  const Micros dt = player_.advance_by(real_seconds);
  if (dt == 0) return;
  Micros target = now() + dt;
  const Micros duration = scenario().duration;
  bool hit_end = false;
  if (!reached_end_ && now() < duration && target >= duration) {
    target = duration;
    hit_end = true;
  }
  if (a_->advance_to(target, true)) {
    player_.pause();
    at_pause_point_ = true;
  } else if (hit_end) {
    reached_end_ = true;
    player_.pause();
  }
  follow_with_b();
  touch_horizon();
}

void Workbench::tick_live(double real_seconds) {
  Micros target = now();
  if (player_.playing() && real_seconds > 0) {
    target += static_cast<Micros>(std::llround(real_seconds * static_cast<double>(kSeconds)));
  }
  const Micros duration = scenario().duration;
  bool hit_end = false;
  if (!reached_end_ && now() < duration && target >= duration) {
    target = duration;
    hit_end = true;
  }
  if (a_->live_advance_to(target, true)) {
    player_.pause();
    at_pause_point_ = true;
  } else if (hit_end) {
    reached_end_ = true;
    player_.pause();
  }
  touch_horizon();
}

Result<std::unique_ptr<Run>> Workbench::make_b(const Variant& variant, Micros t,
                                               std::vector<Recorded>& recorded) const {
  Result<sim::Scenario> varied = apply_variant(scenario(), variant);
  if (!varied.is_ok()) return varied.status();
  Result<std::unique_ptr<Run>> b = Run::create(varied.value(), seed_, {}, run_options_);
  if (!b.is_ok()) return b.status();
  std::unique_ptr<Run> run = std::move(b).value();
  // One at a time, in the order made: an injection B cannot take (a cook it lacks) is skipped
  // instead of failing the whole run. Scheduling them all at time 0 keeps the order a single
  // create() would give them.
  for (Recorded& r : recorded) {
    r.on_b = run->inject(r.injection).is_ok();
  }
  run->advance_to(t, false);
  return run;
}

Result<Workbench::Timeline> Workbench::build(Micros t, Micros made_by) const {
  Timeline out;
  for (const Recorded& r : recorded_) {
    if (r.made_at <= made_by) out.recorded.push_back(r);
  }
  std::vector<sim::Injection> list;
  for (const Recorded& r : out.recorded)
    list.push_back(r.injection);
  Result<std::unique_ptr<Run>> a = Run::create(scenario(), seed_, std::move(list), run_options_);
  if (!a.is_ok()) return a.status();
  out.a = std::move(a).value();
  out.a->advance_to(t, false);
  if (b_clicks_) {
    Result<std::unique_ptr<Run>> b = Run::create(scenario(), seed_, *b_clicks_, run_options_);
    if (!b.is_ok()) return b.status();
    out.b = std::move(b).value();
    out.b->advance_to(t, false);
  } else if (variant_) {
    Result<std::unique_ptr<Run>> b = make_b(*variant_, t, out.recorded);
    if (!b.is_ok()) return b.status();
    out.b = std::move(b).value();
  }
  return out;
}

void Workbench::commit(Timeline timeline) {
  a_ = std::move(timeline.a);
  b_ = std::move(timeline.b);
  recorded_ = std::move(timeline.recorded);
  ++epoch_;
}

Status Workbench::seek(Micros t) {
  const char* move = t < now()   ? "going back in time"
                     : t > now() ? "jumping ahead in time"
                                 : "moving on the timeline";
  if (Status st = live_refusal(move); !st.is_ok()) return st;
  player_.pause();
  at_pause_point_ = false;
  t = std::clamp<Micros>(t, 0, end());
  if (t < scenario().duration) reached_end_ = false;
  if (t >= now()) {
    a_->advance_to(t, false);
    follow_with_b();
    touch_horizon();
    return Status::ok();
  }
  Result<Timeline> replay = build(t, kForever);
  if (!replay.is_ok()) return replay.status();
  commit(std::move(replay).value());
  return Status::ok();
}

Status Workbench::run_on_to(Micros t) {
  assert(t >= now() && "Workbench::run_on_to goes forward only; use seek() to go back");
  if (Status st = live_refusal("jumping ahead in time"); !st.is_ok()) return st;
  player_.pause();
  at_pause_point_ = false;
  reached_end_ = t >= scenario().duration;
  a_->advance_to(t, false);
  follow_with_b();
  touch_horizon();
  return Status::ok();
}

Status Workbench::inject(sim::Injection injection) {
  const Micros t = now();
  if (injection.at < t) injection.at = t;
  Recorded rec{injection, t, true};

  // B follows A's clicks, unless it replays a future of its own.
  const bool b_follows = !b_clicks_.has_value();
  rec.on_b = false;
  if (t >= horizon_) {
    if (Status st = a_->inject(injection); !st.is_ok()) return st;
    if (b_ && b_follows) rec.on_b = b_->inject(injection).is_ok();
    recorded_.push_back(std::move(rec));
    touch_horizon();
    return Status::ok();
  }

  // Before the horizon: a new future, built aside so a refused injection changes nothing.
  Result<Timeline> fork = build(t, t);
  if (!fork.is_ok()) return fork.status();
  Timeline next = std::move(fork).value();
  if (Status st = next.a->inject(injection); !st.is_ok()) return st;
  if (next.b && b_follows) rec.on_b = next.b->inject(injection).is_ok();
  next.recorded.push_back(std::move(rec));
  previous_future_ = injections();
  previous_fork_ = t;
  commit(std::move(next));
  forks_.push_back(t);
  horizon_ = t;
  return Status::ok();
}

Workbench::BKind Workbench::b_kind() const {
  if (!b_) return BKind::kNone;
  return b_clicks_ ? BKind::kPreviousFuture : BKind::kVariant;
}

Status Workbench::compare_with_previous_future() {
  if (Status st = live_refusal("the split view"); !st.is_ok()) return st;
  if (previous_fork_ < 0) {
    return Status::error(Code::kNotFound,
                         "no previous future yet: go back in time and make a change first");
  }
  Result<std::unique_ptr<Run>> b = Run::create(scenario(), seed_, previous_future_, run_options_);
  if (!b.is_ok()) return b.status();
  b_ = std::move(b).value();
  b_->advance_to(now(), false);
  b_clicks_ = previous_future_;
  variant_.reset();
  for (Recorded& r : recorded_)
    r.on_b = false;
  ++epoch_;
  return Status::ok();
}

Status Workbench::set_variant(std::optional<Variant> variant) {
  if (Status st = live_refusal("the split view"); !st.is_ok()) return st;
  if (!variant || variant->empty()) {
    b_clicks_.reset();
    variant_.reset();
    b_.reset();
    ++epoch_;
    return Status::ok();
  }
  std::vector<Recorded> recorded = recorded_;
  Result<std::unique_ptr<Run>> b = make_b(*variant, now(), recorded);
  if (!b.is_ok()) return b.status();
  b_ = std::move(b).value();
  b_clicks_.reset();
  variant_ = std::move(variant);
  recorded_ = std::move(recorded);
  ++epoch_;
  return Status::ok();
}

std::vector<sim::Injection> Workbench::injections() const {
  std::vector<sim::Injection> out;
  out.reserve(recorded_.size());
  for (const Recorded& r : recorded_)
    out.push_back(r.injection);
  return out;
}

Result<std::string> Workbench::scenario_text() const {
  return scenario_with_injections(source_, scenario().file, seed_, injections());
}

std::string Workbench::report_markdown() const {
  return sim::report_markdown(a_->sim().report());
}

}  // namespace wmq::gui
