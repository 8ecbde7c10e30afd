#include "gui/views/inspector_view.h"

#include <imgui.h>

#include <cstdio>
#include <string>

#include "gui/labels.h"
#include "gui/model/targets.h"
#include "gui/model/tickets.h"
#include "gui/theme.h"
#include "gui/views/failure_menus.h"
#include "gui/widgets.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

// Text that wraps at the panel's edge, optionally in a colour: ImGui's TextColored does not wrap
// by itself, so the red steps of an order's life need the wrap position pushed around them.
void wrapped(const std::string& text, const ImVec4* color = nullptr) {
  if (color != nullptr) ImGui::PushStyleColor(ImGuiCol_Text, *color);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  if (color != nullptr) ImGui::PopStyleColor();
}

void heading(ViewContext& ctx, const std::string& text) {
  ImGui::PushFont(ctx.fonts.heading);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  ctx.anchors.set_last_item("inspector.heading");
}

// A label and its value; a long value wraps at the panel's edge, under itself.
void field(const char* label, const std::string& value) {
  ImGui::TextDisabled("%s", label);
  ImGui::SameLine();
  wrapped(value);
}

std::string when(const I18n& t, Micros at) {
  return at < 0 ? std::string(t.tr("inspector.not_yet")) : sim::format_clock(at);
}

// The failure actions as a row of buttons, for a person who does not right-click.
void action_buttons(ViewContext& ctx, const Run& run, const Selection& target, Actions& actions) {
  if (ImGui::Button(ctx.i18n.tr("inspector.actions"))) ImGui::OpenPopup("##inspector-menu");
  ctx.anchors.set_last_item("inspector.actions");
  if (ImGui::BeginPopup("##inspector-menu")) {
    draw_failure_menu(ctx, run, target, actions, "inspector.popup.");
    ImGui::EndPopup();
  }
}

}  // namespace

InspectorView::InspectorView(const Workbench& bench, Actions& actions)
    : View("inspector", "inspector.title"), bench_(bench), actions_(actions) {}

void InspectorView::draw_order(ViewContext& ctx, uint32_t number) {
  const I18n& t = ctx.i18n;
  const sim::Simulation& sim = bench_.a().sim();
  const sim::Order* o = sim.order(number);
  if (const ProgramOrder* po = bench_.a().program_order(number)) {
    heading(ctx, fill_placeholders(t.tr("live.order_heading"), {{"name", po->name}}));
    field(t.tr("inspector.cashier"), po->sender);
    ctx.anchors.set_last_item("inspector.sender");
    ImGui::TextWrapped("%s", t.tr("live.order_hint"));
    return;
  }
  if (o == nullptr) {
    ImGui::TextWrapped("%s", t.tr("inspector.gone"));
    return;
  }
  heading(ctx, order_heading(t, sim, *o));
  const ScenePalette& pal = scene_palette(ctx.projector);
  ImGui::TextColored(rgba(pal.ticket[static_cast<int>(order_ticket_state(*o))]), "\xE2\x96\xA0");
  ImGui::SameLine();
  wrapped(order_status_label(t, *o));
  ctx.anchors.set_last_item("inspector.status");
  const std::string cashier =
      o->cashier < sim.cashiers().size() ? sim.cashiers()[o->cashier].name : std::string("?");
  field(t.tr("inspector.cashier"), cashier);
  ImGui::SameLine();
  field(t.tr("inspector.table"), table_label(t, *o));
  field(t.tr("inspector.delivery_count"), std::to_string(o->deliveries));
  ImGui::SameLine();
  field(t.tr("inspector.served_at"), when(t, o->served_at));
  if (!o->reason.empty()) {
    field(t.tr("inspector.reason"), order_reason(t, sim, *o));
    ctx.anchors.set_last_item("inspector.reason");
  }

  ImGui::Spacing();
  ImGui::TextDisabled("%s", t.tr("inspector.life"));
  ImGui::Separator();
  const auto& steps = sim.history(number);
  // Like a log that follows: a new order opens on its latest step, and new steps scroll into
  // view unless the reader scrolled up to older ones.
  const bool to_end = ui_.timeline.scroll_to_end(bench_.selection(), steps.size(), ui_.at_end);
  if (ImGui::BeginTable("life", 2, kPanelTable | ImGuiTableFlags_ScrollY)) {
    ImGui::TableSetupColumn(t.tr("inspector.when"), ImGuiTableColumnFlags_WidthFixed,
                            ImGui::GetFontSize() * 3.6f);
    ImGui::TableSetupColumn(t.tr("inspector.what"), ImGuiTableColumnFlags_WidthStretch);
    for (const sim::OrderStep& s : steps) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", sim::format_clock(s.at).c_str());
      ImGui::TableNextColumn();
      const bool trouble = sim::is_trouble(s.kind);
      const std::string text = step_text(t, sim, *o, s);
      const ImVec4 red = rgba(pal.refused);
      wrapped(text, trouble ? &red : nullptr);
      if (&s == &steps.back()) ctx.anchors.set_last_item("inspector.life.last");
    }
    if (to_end) ImGui::SetScrollHereY(1.0f);
    ui_.at_end = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1.0f;
    ImGui::EndTable();
  }
  ctx.anchors.set_last_item("inspector.life");
}

void InspectorView::draw_cook(ViewContext& ctx, uint32_t index) {
  const I18n& t = ctx.i18n;
  const sim::Simulation& sim = bench_.a().sim();
  if (index >= sim.cooks().size()) return;
  const sim::Cook& k = sim.cooks()[index];
  heading(ctx, fill_placeholders(t.tr("inspector.cook_heading"), {{"name", k.name}}));
  field(t.tr("inspector.state"), cook_state_label(t, k.state));
  ctx.anchors.set_last_item("inspector.status");
  field(t.tr("inspector.station"), sim.stations()[k.station]);
  ImGui::SameLine();
  field(t.tr("broker.prefetch"),
        k.prefetch == 0 ? std::string("\xE2\x88\x9E") : std::to_string(k.prefetch));
  field(t.tr("inspector.cooked"), std::to_string(k.cooked));
  ImGui::SameLine();
  field(t.tr("inspector.crashes"), std::to_string(k.crashes));
  ImGui::TextDisabled("%s", t.tr("inspector.holds"));
  if (k.held.empty()) {
    ImGui::SameLine();
    ImGui::TextUnformatted(t.tr("inspector.nothing"));
  }
  for (const sim::Ticket& tk : k.held) {
    char label[48];
    if (tk.delivery_count >= 2) {
      std::snprintf(label, sizeof label, "#%u x%u", tk.order, tk.delivery_count);
    } else {
      std::snprintf(label, sizeof label, "#%u", tk.order);
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(label)) actions_.select(Selection::order(tk.order));
  }
  action_buttons(ctx, bench_.a(), Selection::cook(index), actions_);
}

void InspectorView::draw_cashier(ViewContext& ctx, uint32_t index) {
  const I18n& t = ctx.i18n;
  const sim::Simulation& sim = bench_.a().sim();
  if (index >= sim.cashiers().size()) return;
  const sim::Cashier& c = sim.cashiers()[index];
  heading(ctx, fill_placeholders(t.tr("inspector.cashier_heading"), {{"name", c.name}}));
  field(t.tr("inspector.state"), cashier_state_label(t, c.state));
  ctx.anchors.set_last_item("inspector.status");
  field(t.tr("inspector.line"), std::to_string(c.line.size()));
  ImGui::SameLine();
  field(t.tr("inspector.receipts"), std::to_string(c.receipts));
  field(t.tr("inspector.crashes"), std::to_string(c.crashes));
  if (c.old) ImGui::TextWrapped("%s", t.tr("inspector.old_cashier"));
  action_buttons(ctx, bench_.a(), Selection::cashier(index), actions_);
}

void InspectorView::draw_queue(ViewContext& ctx, const std::string& name) {
  const I18n& t = ctx.i18n;
  heading(ctx, fill_placeholders(t.tr("inspector.queue_heading"), {{"name", name}}));
  if (bench_.a().sim().broker() == nullptr) {
    ImGui::TextWrapped("%s", t.tr("broker.down_help"));
    return;
  }
  if (const std::optional<QueueSnapshot> found = find_queue(bench_.a(), name)) {
    const QueueSnapshot& q = *found;
    field(t.tr("broker.ready"), std::to_string(q.ready));
    ImGui::SameLine();
    field(t.tr("broker.unacked"), std::to_string(q.unacked));
    field(t.tr("inspector.kind"), t.tr(q.options.durable ? "scene.durable" : "scene.transient"));
    ctx.anchors.set_last_item("inspector.status");
    auto limit = [&t](uint64_t v) {
      return v == 0 ? std::string(t.tr("inject.no_limit")) : std::to_string(v);
    };
    field(t.tr("inject.max_length"), limit(q.options.max_length));
    ImGui::SameLine();
    field(t.tr("inject.ttl"), q.options.message_ttl == 0
                                  ? std::string(t.tr("inject.no_limit"))
                                  : sim::format_duration(q.options.message_ttl));
    field(t.tr("inject.delivery_limit"), limit(q.options.delivery_limit));
    std::string counters =
        fill_placeholders(t.tr("inspector.queue_counters"),
                          {{"enqueued", std::to_string(q.counters.enqueued)},
                           {"delivered", std::to_string(q.counters.delivered)},
                           {"redelivered", std::to_string(q.counters.redelivered)},
                           {"acked", std::to_string(q.counters.acked)},
                           {"expired", std::to_string(q.counters.expired)},
                           {"dead_lettered", std::to_string(q.counters.dead_lettered)}});
    ImGui::TextWrapped("%s", counters.c_str());
  }
  action_buttons(ctx, bench_.a(), Selection::of_queue(name), actions_);
}

void InspectorView::draw_broker(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const sim::Simulation& sim = bench_.a().sim();
  heading(ctx, t.tr("broker.title"));
  field(t.tr("inspector.state"), t.tr(sim.broker_down() ? "broker.down" : "broker.up"));
  ctx.anchors.set_last_item("inspector.status");
  // As the broker panel says it (hidden when projected): the last write found no room.
  if (const Broker* broker = sim.broker();
      broker != nullptr && broker->snapshot().store.disk_full) {
    ImGui::PushStyleColor(ImGuiCol_Text, rgba(palette().unwell));
    ImGui::TextWrapped("%s", t.tr("broker.disk_full"));
    ImGui::PopStyleColor();
    ctx.anchors.set_last_item("inspector.disk_full");
  }
  const sim::Counters& c = sim.counters();
  field(t.tr("inspector.crashes"), std::to_string(c.crashes));
  ImGui::SameLine();
  field(t.tr("inspector.recovered"), std::to_string(c.recovered_messages));
  field(t.tr("inspector.group_commits"), std::to_string(c.group_commits));
  action_buttons(ctx, bench_.a(), Selection::broker(), actions_);
}

void InspectorView::draw_external(ViewContext& ctx, const sim::ExternalClient& x) {
  const I18n& t = ctx.i18n;
  const sim::Simulation& sim = bench_.a().sim();
  heading(ctx, fill_placeholders(t.tr("live.heading"), {{"name", x.name}}));
  const bool cook = x.role == sim::ExternalRole::kCook;
  field(
      t.tr("inspector.state"),
      t.tr(x.state == sim::ExternalState::kConnected ? "live.state_connected" : "live.state_gone"));
  ctx.anchors.set_last_item("inspector.status");
  ImGui::SameLine();
  field(t.tr("live.role"), t.tr(cook ? "live.role_cook" : "live.role_cashier"));
  field(t.tr("live.joined"), sim::format_clock(x.connected_at));
  if (x.left_at >= 0) {
    ImGui::SameLine();
    field(t.tr("live.left"), sim::format_clock(x.left_at));
  }
  if (cook) {
    if (x.station >= 0 && static_cast<size_t>(x.station) < sim.stations().size()) {
      field(t.tr("inspector.station"), sim.stations()[static_cast<size_t>(x.station)]);
    }
    field(t.tr("live.delivered"), std::to_string(x.delivered));
    ImGui::SameLine();
    field(t.tr("live.acked"), std::to_string(x.cooked));
    ImGui::SameLine();
    field(t.tr("live.returned"), std::to_string(x.returned));
    ImGui::TextDisabled("%s", t.tr("inspector.holds"));
    if (x.held.empty()) {
      ImGui::SameLine();
      ImGui::TextUnformatted(t.tr("inspector.nothing"));
    }
    for (const sim::Ticket& tk : x.held) {
      char label[48];
      std::snprintf(label, sizeof label, "#%u", tk.order);
      ImGui::SameLine();
      if (ImGui::SmallButton(label) && tk.order != 0) actions_.select(Selection::order(tk.order));
    }
  } else {
    field(t.tr("live.sent"), std::to_string(x.sent));
    ImGui::SameLine();
    field(t.tr("live.rejected"), std::to_string(x.rejected));
  }
  ImGui::Spacing();
  ImGui::TextWrapped("%s", t.tr("live.hint"));
}

void InspectorView::drawContent(ViewContext& ctx) {
  const Selection& sel = bench_.selection();
  // A timeline not shown forgets what it showed: coming back to an order opens it at its end.
  if (sel.kind != Selection::Kind::kOrder) ui_.timeline = TailFollow{};
  // A STOMP program drawn as a cook or at a desk: the simulator does not drive it, so it has
  // its own page (and no failure buttons).
  if (const sim::ExternalClient* x = selected_external(bench_.a(), sel)) {
    draw_external(ctx, *x);
    return;
  }
  switch (sel.kind) {
    case Selection::Kind::kOrder:
      draw_order(ctx, sel.index);
      break;
    case Selection::Kind::kCook:
      draw_cook(ctx, sel.index);
      break;
    case Selection::Kind::kCashier:
      draw_cashier(ctx, sel.index);
      break;
    case Selection::Kind::kQueue:
      draw_queue(ctx, sel.queue);
      break;
    case Selection::Kind::kBroker:
      draw_broker(ctx);
      break;
    case Selection::Kind::kNone:
      ImGui::TextWrapped("%s", ctx.i18n.tr("inspector.nothing_selected"));
      ctx.anchors.set_last_item("inspector.empty");
      break;
  }
}

}  // namespace wmq::gui
