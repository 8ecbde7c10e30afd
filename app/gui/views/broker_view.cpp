#include "gui/views/broker_view.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "gui/theme.h"
#include "gui/views/failure_menus.h"
#include "gui/widgets.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

void durable_badge(const I18n& t, bool durable, bool projector) {
  const ScenePalette& pal = scene_palette(projector);
  ImGui::TextColored(rgba(durable ? pal.ticket[2] : pal.ticket[4]), "%s",
                     t.tr(durable ? "scene.durable" : "scene.transient"));
}

std::string seconds_ago(Micros d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(d) / 1e6);
  return buf;
}

std::string bytes(int64_t n) {
  char buf[32];
  if (n < 0) return "-";
  if (n < 10 * 1024) {
    std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(n));
  } else if (n < 10 * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(n) / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(n) / (1024.0 * 1024.0));
  }
  return buf;
}

}  // namespace

// The STOMP door of a live run: where it listens, who is connected, the memory it holds against
// its limit, and the memory alarm that pauses the programs that publish.
void BrokerView::draw_door(ViewContext& ctx, const sim::DoorState& door) {
  const I18n& t = ctx.i18n;
  if (!ImGui::CollapsingHeader(t.tr("broker.door"), ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (!door.open) {
    ImGui::TextWrapped("%s", t.tr("broker.door_closed"));
    ctx.anchors.set_last_item("broker.door");
    return;
  }
  const std::string line = fill_placeholders(
      t.tr("broker.door_line"),
      {{"address", door.bind + ":" + std::to_string(door.port)},
       {"connections", std::to_string(door.connections)},
       {"held", bytes(static_cast<int64_t>(door.held_bytes))},
       {"limit", door.max_memory == 0 ? std::string(t.tr("broker.no_limit"))
                                      : bytes(static_cast<int64_t>(door.max_memory))}});
  ImGui::TextWrapped("%s", line.c_str());
  ctx.anchors.set_last_item("broker.door");
  if (door.memory_alarm) {
    ImGui::PushStyleColor(ImGuiCol_Text, rgba(palette().unwell));
    const std::string alarm =
        fill_placeholders(t.tr("broker.memory_alarm"), {{"paused", std::to_string(door.paused)}});
    ImGui::TextWrapped("%s", alarm.c_str());
    ImGui::PopStyleColor();
    ctx.anchors.set_last_item("broker.door.alarm");
  }
}

BrokerView::BrokerView(const Workbench& bench, Actions& actions)
    : View("broker", "broker.title"), bench_(bench), actions_(actions) {}

void BrokerView::drawContent(ViewContext& ctx) {
  const I18n& t = ctx.i18n;
  const Run& run = bench_.a();
  const sim::Simulation& sim = run.sim();

  if (sim.mode() == sim::Mode::kDirect) {
    ImGui::TextWrapped("%s", t.tr("broker.direct_mode"));
    return;
  }
  // The broker's own line: up or down, and its menu on a right click.
  if (sim.broker_down()) {
    ImGui::TextColored(rgba(palette().down), "%s", t.tr("broker.down"));
  } else {
    ImGui::TextColored(rgba(palette().up), "%s", t.tr("broker.up"));
  }
  ctx.anchors.set_last_item("broker.state");
  if (ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
    popup_target_ = Selection::broker();
    ImGui::OpenPopup("##broker-menu");
  }
  help_marker(t.tr("broker.right_click"));
  const Broker* broker = sim.broker();
  if (broker == nullptr) {
    if (ImGui::BeginPopup("##broker-menu")) {
      draw_failure_menu(ctx, run, popup_target_, actions_, "broker.popup.");
      ImGui::EndPopup();
    }
    ImGui::TextWrapped("%s", t.tr("broker.down_help"));
    return;
  }
  const BrokerSnapshot snap = broker->snapshot();
  // A full disk, as SQLite reports it (SQLITE_FULL) or as the fill_disk failure makes it: a
  // state of the broker as much as up or down, so it stands under that line, not under the fold.
  if (snap.store.disk_full) {
    ImGui::PushStyleColor(ImGuiCol_Text, rgba(palette().unwell));
    ImGui::TextWrapped("%s", t.tr("broker.disk_full"));
    ImGui::PopStyleColor();
    ctx.anchors.set_last_item("broker.disk_full");
  }
  if (sim.listening()) draw_door(ctx, sim.door());

  if (ImGui::CollapsingHeader(t.tr("broker.queues"), ImGuiTreeNodeFlags_DefaultOpen) &&
      ImGui::BeginTable("queues", 5, kPanelTable)) {
    ImGui::TableSetupColumn(t.tr("broker.queue"), ImGuiTableColumnFlags_WidthStretch, 2.2f);
    ImGui::TableSetupColumn(t.tr("broker.ready"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(t.tr("broker.held"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(t.tr("broker.dead_lettered"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(t.tr("broker.kind"), ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableHeadersRow();
    for (const QueueSnapshot& q : snap.queues) {
      if (sim::is_news_queue(q.name)) continue;  // announcement queues clutter the lesson
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const bool selected =
          bench_.selection().kind == Selection::Kind::kQueue && bench_.selection().queue == q.name;
      if (ImGui::Selectable(q.name.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns)) {
        actions_.select(Selection::of_queue(q.name));
      }
      ctx.anchors.set_last_item("broker.queue." + q.name);
      if (ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
        popup_target_ = Selection::of_queue(q.name);
        ImGui::OpenPopup("##broker-menu");
      }
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(q.ready));
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(q.unacked));
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(q.counters.dead_lettered));
      ImGui::TableNextColumn();
      durable_badge(t, q.options.durable, ctx.projector);
    }
    ImGui::EndTable();
  }

  // The sessions scroll in a table of their own with the column names frozen on top: a row
  // brought into view for a selected cook keeps "State", "Last heard" and "Held" readable above
  // it. The table is no taller than the panel shows below the heading (and at least a few rows).
  const float sessions_top = ImGui::GetCursorPosY();
  // Where content starts below the title bar, whatever the panel's scroll.
  const float start = ImGui::GetCursorStartPos().y + ImGui::GetScrollY();
  const Selection& sel = bench_.selection();
  const SessionId selected = session_of(sim, sel);
  bool listed = false;
  for (const SessionSnapshot& s : snap.sessions)
    listed = listed || s.id == selected;
  if (!listed) {
    session_row_pending_ = 0;
  } else if (session_row_.scroll_to(sel, selected)) {
    // Selecting a cook or cashier brings their session into view once: the reader may scroll
    // away afterwards. The panel brings the heading to its top, the table fitting below it.
    session_row_pending_ = 2;
    ImGui::SetScrollY(std::max(0.0f, sessions_top - start));
  }
  if (ImGui::CollapsingHeader(t.tr("broker.sessions"), ImGuiTreeNodeFlags_DefaultOpen)) {
    const float row = ImGui::GetFrameHeightWithSpacing();
    const float heading = ImGui::GetCursorPosY() - sessions_top;
    const float room =
        ImGui::GetWindowHeight() - start - heading - ImGui::GetStyle().WindowPadding.y;
    const float needed = static_cast<float>(snap.sessions.size() + 1) * row + 2.0f;
    const float height = std::min(needed, std::max(room, 4.0f * row));
    if (ImGui::BeginTable("sessions", 4, kPanelTable | ImGuiTableFlags_ScrollY,
                          ImVec2(0.0f, height))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn(t.tr("broker.session"), ImGuiTableColumnFlags_WidthStretch, 2.0f);
      ImGui::TableSetupColumn(t.tr("broker.state"), ImGuiTableColumnFlags_WidthStretch, 1.3f);
      ImGui::TableSetupColumn(t.tr("broker.heartbeat"), ImGuiTableColumnFlags_WidthStretch, 1.3f);
      ImGui::TableSetupColumn(t.tr("broker.held"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
      // Header by header rather than TableHeadersRow, so each name's cell has an anchor and
      // a test can see that the name fits it in every language.
      ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
      for (int c = 0; c < 4; ++c) {
        ImGui::TableSetColumnIndex(c);
        ImGui::TableHeader(ImGui::TableGetColumnName(c));
        ctx.anchors.set_last_item("broker.sessions.column." + std::to_string(c));
      }
      ctx.anchors.set_last_item("broker.sessions.header");
      for (const SessionSnapshot& s : snap.sessions) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(s.id));
        if (ImGui::Selectable(s.name.c_str(), s.id == selected,
                              ImGuiSelectableFlags_SpanAllColumns)) {
          // A session row stands for its cook or cashier: clicking it selects them.
          const Selection who = selection_of_session(sim, s.id);
          if (who.kind != Selection::Kind::kNone) actions_.select(who);
        }
        ImGui::PopID();
        ctx.anchors.set_last_item("broker.session." + s.name);
        if (s.id == selected && session_row_pending_ > 0) {
          ImGui::SetScrollHereY(0.5f);
          --session_row_pending_;
        }
        ImGui::TableNextColumn();
        std::string state_key = std::string("session_state.") + session_state_name(s.state);
        const bool bad = s.state == SessionState::kSuspected || s.state == SessionState::kDead;
        if (bad) {
          ImGui::TextColored(rgba(palette().unwell), "%s", t.tr(state_key));
        } else {
          ImGui::TextUnformatted(t.tr(state_key));
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(seconds_ago(snap.now - s.last_seen).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%u", s.unacked);
      }
      ImGui::EndTable();
    }
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.tr("broker.heartbeat_help"));

  if (ImGui::CollapsingHeader(t.tr("broker.consumers")) &&
      ImGui::BeginTable("consumers", 4, kPanelTable)) {
    ImGui::TableSetupColumn(t.tr("broker.session"), ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn(t.tr("broker.queue"), ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn(t.tr("broker.prefetch"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(t.tr("broker.held"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableHeadersRow();
    for (const ConsumerSnapshot& c : snap.consumers) {
      std::string who = "#";
      who += std::to_string(c.session);
      for (const SessionSnapshot& s : snap.sessions) {
        if (s.id == c.session) who = s.name;
      }
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(who.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.queue.c_str());
      ImGui::TableNextColumn();
      if (c.prefetch == 0) {
        ImGui::TextUnformatted("\xE2\x88\x9E");
      } else {
        ImGui::Text("%u", c.prefetch);
      }
      ImGui::TableNextColumn();
      ImGui::Text("%u", c.unacked);
    }
    ImGui::EndTable();
  }

  if (ImGui::CollapsingHeader(t.tr("broker.topology"))) {
    for (const ExchangeSnapshot& e : snap.exchanges) {
      ImGui::BulletText("%s: %s (%s)", t.tr("broker.exchange"), e.name.c_str(),
                        exchange_kind_name(e.options.kind));
    }
    for (const BindingSnapshot& b : snap.bindings) {
      ImGui::BulletText("%s \xE2\x86\x92 %s  [%s]", b.exchange.c_str(), b.queue.c_str(),
                        b.key.c_str());
    }
  }

  if (ImGui::CollapsingHeader(t.tr("broker.store"), ImGuiTreeNodeFlags_DefaultOpen)) {
    const StoreSnapshot& st = snap.store;
    // Every run of the GUI keeps its order book in memory, so going back in time is a fast
    // replay; the commits fall exactly where the SQLite file's would (see sim/memory_store.h).
    ImGui::TextDisabled("%s",
                        st.path == ":memory:" ? t.tr("broker.store_memory") : st.path.c_str());
    help_marker(t.tr("broker.store_help"));
    std::string last =
        st.last_commit_at < 0
            ? std::string(t.tr("broker.never"))
            : fill_placeholders(t.tr("broker.ago"),
                                {{"time", seconds_ago(snap.now - st.last_commit_at)}});
    std::string line = fill_placeholders(t.tr("broker.store_line"),
                                         {{"size", bytes(st.file_bytes)},
                                          {"pending", std::to_string(st.pending_writes)},
                                          {"commits", std::to_string(st.commits)},
                                          {"last", last}});
    ImGui::TextWrapped("%s", line.c_str());
    ctx.anchors.set_last_item("broker.store");
    if (st.failed_commits > 0) {
      const std::string failed = fill_placeholders(
          t.tr("broker.failed_commits"),
          {{"count", std::to_string(st.failed_commits)}, {"reason", st.last_failure}});
      ImGui::TextWrapped("%s", failed.c_str());
      ctx.anchors.set_last_item("broker.failed_commits");
    }
  }

  if (ImGui::BeginPopup("##broker-menu")) {
    draw_failure_menu(ctx, run, popup_target_, actions_, "broker.popup.");
    ImGui::EndPopup();
  }
}

}  // namespace wmq::gui
