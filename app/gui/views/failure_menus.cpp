#include "gui/views/failure_menus.h"

#include <imgui.h>

#include "gui/labels.h"
#include "gui/model/targets.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

constexpr uint32_t kMaxLengths[] = {0, 5, 10, 20, 50};
constexpr Micros kTtls[] = {0, 60 * kSeconds, 2 * 60 * kSeconds, 5 * 60 * kSeconds,
                            10 * 60 * kSeconds};
constexpr uint32_t kLimits[] = {0, 1, 2, 3, 5};

bool item(ViewContext& ctx, const std::string& prefix, const char* action, const char* key,
          const char* shortcut, bool enabled = true, bool selected = false) {
  const bool clicked = ImGui::MenuItem(ctx.i18n.tr(key), shortcut, selected, enabled);
  ctx.anchors.set_last_item(prefix + action);
  return clicked;
}

std::string off_or(const I18n& t, const std::string& value, bool off) {
  return off ? std::string(t.tr("inject.no_limit")) : value;
}

void cook_menu(ViewContext& ctx, const sim::Cook& k, Actions& actions, const std::string& prefix) {
  ImGui::TextDisabled("%s \xC2\xB7 %s", k.name.c_str(), cook_state_label(ctx.i18n, k.state));
  ImGui::Separator();
  const bool up = k.state == sim::CookState::kIdle || k.state == sim::CookState::kCooking;
  const bool down = k.state == sim::CookState::kCrashed || k.state == sim::CookState::kFrozen;
  if (item(ctx, prefix, "crash_cook", "inject.crash_cook", "C",
           k.state != sim::CookState::kCrashed && k.state != sim::CookState::kRemoved)) {
    actions.crash_cook(k.name);
  }
  if (item(ctx, prefix, "freeze_cook", "inject.freeze_cook", "F", up)) actions.freeze_cook(k.name);
  if (item(ctx, prefix, "revive_cook", "inject.revive_cook", "R", down))
    actions.revive_cook(k.name);
  ImGui::Separator();
  if (item(ctx, prefix, "inspect", "inject.inspect", nullptr)) {
    actions.select(Selection::cook(k.index));
  }
}

void cashier_menu(ViewContext& ctx, const sim::Cashier& c, Actions& actions,
                  const std::string& prefix) {
  ImGui::TextDisabled("%s \xC2\xB7 %s", c.name.c_str(), cashier_state_label(ctx.i18n, c.state));
  ImGui::Separator();
  const bool down = c.state == sim::CashierState::kCrashed;
  if (item(ctx, prefix, "crash_cashier", "inject.crash_cashier", "K", !down)) {
    actions.crash_cashier(c.name);
  }
  if (item(ctx, prefix, "revive_cashier", "inject.revive_cashier", nullptr, down)) {
    actions.revive_cashier(c.name);
  }
  ImGui::Separator();
  if (item(ctx, prefix, "inspect", "inject.inspect", nullptr)) {
    actions.select(Selection::cashier(c.index));
  }
}

void queue_menu(ViewContext& ctx, const Run& run, const std::string& queue, Actions& actions,
                const std::string& prefix) {
  const I18n& t = ctx.i18n;
  ImGui::TextDisabled("%s: %s", t.tr("broker.queue"), queue.c_str());
  ImGui::Separator();
  if (queue == "dead-letters") {
    if (item(ctx, prefix, "inspect", "inject.inspect", nullptr)) {
      actions.select(Selection::of_queue(queue));
    }
    return;
  }
  const std::optional<QueueSnapshot> found = find_queue(run, queue);
  const bool known = found.has_value();
  const QueueOptions now = known ? found->options : QueueOptions{};
  sim::QueueChange change;
  if (item(ctx, prefix, "durable", "inject.make_durable", "D", known && !now.durable,
           known && now.durable)) {
    change.durable = true;
    actions.set_queue(queue, change);
  }
  if (item(ctx, prefix, "transient", "inject.make_transient", "D", known && now.durable,
           known && !now.durable)) {
    change.durable = false;
    actions.set_queue(queue, change);
  }
  if (ImGui::BeginMenu(t.tr("inject.max_length"), known)) {
    for (uint32_t n : kMaxLengths) {
      std::string label = off_or(t, std::to_string(n), n == 0);
      if (ImGui::MenuItem(label.c_str(), nullptr, now.max_length == n)) {
        sim::QueueChange c;
        c.max_length = n;
        actions.set_queue(queue, c);
      }
      ctx.anchors.set_last_item(prefix + "max_length." + std::to_string(n));
    }
    ImGui::EndMenu();
  }
  ctx.anchors.set_last_item(prefix + "max_length");
  if (ImGui::BeginMenu(t.tr("inject.ttl"), known)) {
    for (Micros ttl : kTtls) {
      std::string label = off_or(t, sim::format_duration(ttl), ttl == 0);
      if (ImGui::MenuItem(label.c_str(), nullptr, now.message_ttl == ttl)) {
        sim::QueueChange c;
        c.ttl = ttl;
        actions.set_queue(queue, c);
      }
    }
    ImGui::EndMenu();
  }
  ctx.anchors.set_last_item(prefix + "ttl");
  if (ImGui::BeginMenu(t.tr("inject.delivery_limit"), known)) {
    for (uint32_t n : kLimits) {
      std::string label = off_or(t, std::to_string(n), n == 0);
      if (ImGui::MenuItem(label.c_str(), nullptr, now.delivery_limit == n)) {
        sim::QueueChange c;
        c.delivery_limit = n;
        actions.set_queue(queue, c);
      }
    }
    ImGui::EndMenu();
  }
  ctx.anchors.set_last_item(prefix + "delivery_limit");
  ImGui::Separator();
  if (item(ctx, prefix, "inspect", "inject.inspect", nullptr)) {
    actions.select(Selection::of_queue(queue));
  }
}

void broker_menu(ViewContext& ctx, const Run& run, Actions& actions, const std::string& prefix) {
  const sim::Simulation& sim = run.sim();
  const bool brokered = sim.mode() == sim::Mode::kBroker;
  ImGui::TextDisabled("%s", ctx.i18n.tr("broker.title"));
  ImGui::Separator();
  if (item(ctx, prefix, "crash_broker", "inject.crash_broker", "B",
           brokered && !sim.broker_down())) {
    actions.crash_broker();
  }
  if (item(ctx, prefix, "restart_broker", "inject.restart_broker", "Shift+B",
           brokered && sim.broker_down())) {
    actions.restart_broker();
  }
  ImGui::Separator();
  if (!sim.disk_full()) {
    if (item(ctx, prefix, "fill_disk", "inject.fill_disk", nullptr, brokered)) actions.fill_disk();
  } else if (item(ctx, prefix, "free_disk", "inject.free_disk", nullptr, brokered)) {
    actions.free_disk();
  }
}

}  // namespace

void draw_failure_menu(ViewContext& ctx, const Run& run, const Selection& target, Actions& actions,
                       const std::string& prefix) {
  const sim::Simulation& sim = run.sim();
  // A STOMP program is not ours to crash: the person running it closes it.
  if (const sim::ExternalClient* x = selected_external(run, target)) {
    ImGui::TextDisabled("%s \xC2\xB7 %s", x->name.c_str(), ctx.i18n.tr("live.program"));
    ImGui::Separator();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 22.0f);
    ImGui::TextUnformatted(ctx.i18n.tr("live.hint"));
    ImGui::PopTextWrapPos();
    ctx.anchors.set_last_item(prefix + "external");
    return;
  }
  switch (target.kind) {
    case Selection::Kind::kCook:
      if (target.index < sim.cooks().size()) {
        cook_menu(ctx, sim.cooks()[target.index], actions, prefix);
      }
      break;
    case Selection::Kind::kCashier:
      if (target.index < sim.cashiers().size()) {
        cashier_menu(ctx, sim.cashiers()[target.index], actions, prefix);
      }
      break;
    case Selection::Kind::kQueue:
      queue_menu(ctx, run, target.queue, actions, prefix);
      break;
    case Selection::Kind::kBroker:
      broker_menu(ctx, run, actions, prefix);
      break;
    case Selection::Kind::kOrder:
    case Selection::Kind::kNone:
      break;
  }
}

}  // namespace wmq::gui
