#include "gui/model/actions.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>

#include "sim/duration.h"

namespace wmq::gui {

Status write_text_file(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    return Status::error(Code::kIoError,
                         "file \"" + path + "\": cannot be written (" + std::strerror(errno) + ")");
  }
  return Status::ok();
}

sim::Injection injection_now(sim::InjectionKind kind, std::string target) {
  sim::Injection in;
  in.kind = kind;
  in.at = -1;
  in.target = std::move(target);
  return in;
}

Actions::Actions(CommandQueue& queue, Workbench& bench, Notify notify)
    : queue_(queue), bench_(bench), notify_(std::move(notify)) {}

void Actions::push(std::string label, std::function<void()> apply) {
  queue_.push(std::move(label), std::move(apply));
}

void Actions::tell(std::string action, Status status, std::string path) {
  if (notify_) notify_(Outcome{std::move(action), std::move(status), std::move(path)});
}

void Actions::play() {
  push("play", [this] { bench_.play(); });
}

void Actions::pause() {
  push("pause", [this] { bench_.pause(); });
}

void Actions::toggle_play() {
  push("toggle-play", [this] { bench_.toggle_play(); });
}

bool Actions::refused_live(const std::string& what) {
  Status st = bench_.live_refusal(what);
  if (st.is_ok()) return false;
  tell("live", std::move(st));
  return true;
}

void Actions::step() {
  push("step", [this] {
    if (!refused_live("stepping")) bench_.step();
  });
}

void Actions::set_speed(double speed) {
  char label[32];
  std::snprintf(label, sizeof label, "speed %g", speed);
  push(label, [this, speed] {
    if (!refused_live("changing the speed")) bench_.set_speed(speed);
  });
}

void Actions::faster() {
  push("faster", [this] {
    if (!refused_live("changing the speed")) bench_.faster();
  });
}

void Actions::slower() {
  push("slower", [this] {
    if (!refused_live("changing the speed")) bench_.slower();
  });
}

void Actions::seek(Micros t) {
  push("seek " + sim::format_clock(t), [this, t] {
    if (Status st = bench_.seek(t); !st.is_ok()) tell("seek", st);
  });
}

void Actions::back_by(Micros d) {
  push("back " + sim::format_duration(d), [this, d] {
    if (Status st = bench_.seek(std::max<Micros>(0, bench_.now() - d)); !st.is_ok()) {
      tell("seek", st);
    }
  });
}

void Actions::inject(sim::Injection injection) {
  std::string label = "inject " + sim::describe(injection);
  push(std::move(label), [this, injection = std::move(injection)]() mutable {
    if (Status st = bench_.inject(std::move(injection)); !st.is_ok()) tell("inject", st);
  });
}

void Actions::crash_cook(const std::string& cook) {
  inject(injection_now(sim::InjectionKind::kCrashCook, cook));
}

void Actions::freeze_cook(const std::string& cook) {
  inject(injection_now(sim::InjectionKind::kFreezeCook, cook));
}

void Actions::revive_cook(const std::string& cook) {
  inject(injection_now(sim::InjectionKind::kReviveCook, cook));
}

void Actions::crash_cashier(const std::string& cashier) {
  inject(injection_now(sim::InjectionKind::kCrashCashier, cashier));
}

void Actions::revive_cashier(const std::string& cashier) {
  inject(injection_now(sim::InjectionKind::kReviveCashier, cashier));
}

void Actions::crash_broker() {
  inject(injection_now(sim::InjectionKind::kCrashBroker));
}

void Actions::restart_broker() {
  inject(injection_now(sim::InjectionKind::kRestartBroker));
}

void Actions::fill_disk() {
  inject(injection_now(sim::InjectionKind::kFillDisk));
}

void Actions::free_disk() {
  inject(injection_now(sim::InjectionKind::kFreeDisk));
}

void Actions::bad_order(const std::string& problem) {
  sim::Injection in = injection_now(sim::InjectionKind::kBadOrder);
  in.problem = problem;
  inject(std::move(in));
}

void Actions::poison_order() {
  inject(injection_now(sim::InjectionKind::kPoisonOrder));
}

void Actions::lunch_rush() {
  push("lunch-rush", [this] {
    const double before = bench_.a().sim().rate();
    sim::Injection rush = injection_now(sim::InjectionKind::kSetRate);
    rush.rate = std::max(before * kLunchRushFactor, kLunchRushMinRate);
    if (Status st = bench_.inject(rush); !st.is_ok()) {
      tell("inject", st);
      return;
    }
    sim::Injection calm = injection_now(sim::InjectionKind::kSetRate);
    calm.at = bench_.now() + kLunchRushLength;
    calm.rate = before;
    if (Status st = bench_.inject(calm); !st.is_ok()) tell("inject", st);
  });
}

void Actions::set_queue(const std::string& queue, sim::QueueChange change) {
  sim::Injection in = injection_now(sim::InjectionKind::kSetQueue, queue);
  in.queue = change;
  inject(std::move(in));
}

void Actions::select(Selection selection) {
  std::string label = "select " + describe(selection);
  push(std::move(label),
       [this, selection = std::move(selection)]() mutable { bench_.select(std::move(selection)); });
}

void Actions::set_variant(std::optional<Variant> variant) {
  std::string label =
      variant && !variant->empty() ? "variant " + describe(*variant) : std::string("variant off");
  push(std::move(label), [this, variant = std::move(variant)]() mutable {
    if (Status st = bench_.set_variant(std::move(variant)); !st.is_ok()) tell("variant", st);
  });
}

void Actions::compare_previous_future() {
  push("compare previous-future", [this] {
    if (Status st = bench_.compare_with_previous_future(); !st.is_ok()) tell("variant", st);
  });
}

void Actions::load(const std::string& path) {
  push("load " + path, [this, path] {
    Status st = bench_.load(path);
    tell("load", st, path);
  });
}

void Actions::save_scenario(const std::string& path) {
  push("save-scenario " + path, [this, path] {
    Result<std::string> text = bench_.scenario_text();
    Status st = text.is_ok() ? write_text_file(path, text.value()) : text.status();
    tell("save-scenario", st, path);
  });
}

void Actions::export_report(const std::string& path) {
  push("export-report " + path, [this, path] {
    tell("export-report", write_text_file(path, bench_.report_markdown()), path);
  });
}

}  // namespace wmq::gui
