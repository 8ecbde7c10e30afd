#include "live_scene.h"

#include <algorithm>

#include "simulation_impl.h"
#include "stomp/door.h"

namespace wmq::sim {

Status LiveScene::listen(const ListenOptions& o) {
  if (sim_.sc_.mode != Mode::kBroker) {
    return Status::error(Code::kInvalid, "scenario \"" + sim_.sc_.name +
                                             "\" runs in direct mode: there is no broker for "
                                             "STOMP clients to connect to");
  }
  if (live_) {
    return Status::error(Code::kInvalid,
                         "the simulation already listens on port " + std::to_string(port_));
  }
  if (!sim_.broker_) {
    return Status::error(Code::kClosed, "the broker is down: listen once it has restarted");
  }
  if (Status door = stomp::check_door(o.bind, !o.users_file.empty(), o.allow_anyone); !door) {
    return door;
  }
  std::unique_ptr<stomp::Users> users;
  if (!o.users_file.empty()) {
    Result<stomp::Users> loaded = stomp::Users::load(o.users_file);
    if (!loaded.is_ok()) return loaded.status();
    users = std::make_unique<stomp::Users>(std::move(loaded).value());
  }
  listen_opt_ = o;
  users_ = std::move(users);
  if (Status st = open_server(o.port); !st.is_ok()) {
    users_.reset();
    return st;
  }
  live_ = true;
  if (o.warn) {
    if (users_) {
      for (const std::string& w : users_->warnings())
        o.warn("warning: " + w);
    }
    if (o.allow_anyone && !users_) o.warn(stomp::allow_anyone_warning(o.bind, port_));
  }
  open_runner();
  return Status::ok();
}

Status LiveScene::open_server(uint16_t port) {
  stomp::ServerOptions so;
  so.bind = listen_opt_.bind;
  so.port = port;
  // Clients obey the restaurant's validators like the sim's cashiers do.
  so.session.register_content_types = false;
  so.session.server_name = "WarungMQ scene";
  so.session.users = users_.get();
  so.log = listen_opt_.log;
  so.max_memory = listen_opt_.max_memory;
  auto server = std::make_unique<stomp::StompServer>(*sim_.broker_, so);
  if (Status st = server->listen(); !st.is_ok()) return st;
  port_ = server->port();
  server_ = std::move(server);
  sim_.deadline_dirty_ = true;
  return Status::ok();
}

DoorState LiveScene::door() const {
  DoorState d;
  if (!live_ || !server_) return d;
  d.open = true;
  d.bind = listen_opt_.bind;
  d.port = port_;
  d.connections = server_->connection_count();
  d.paused = server_->paused_count();
  d.held_bytes = Payload::live_bytes();
  d.max_memory = listen_opt_.max_memory;
  d.memory_alarm = server_->memory_alarm();
  return d;
}

void LiveScene::broker_started() {
  if (live_) open_runner();
}

void LiveScene::broker_restarted() {
  if (!live_) return;
  // The same port, so clients reconnect where they were.
  Status st = open_server(port_);
  if (!st.is_ok()) {
    server_error_ = st.message();
    if (listen_opt_.log) listen_opt_.log("warungmq run: " + server_error_);
  }
}

void LiveScene::broker_crashed() {
  server_.reset();
  runner_session_ = 0;
  runner_jobs_.clear();
}

void LiveScene::close() {
  if (server_) {
    if (Status st = sim_.broker_->flush(); !st.is_ok() && listen_opt_.log)
      listen_opt_.log("warungmq run: " + st.message());
    server_->flush_output();
    server_->shutdown();
  }
  server_.reset();
}

// The runner carries food to the pickup counter for external cooks: a
// STOMP program acks an order but knows nothing of the pickup queue, so
// the customer would never be served.
void LiveScene::open_runner() {
  SessionOptions so;
  so.name = "kitchen runner";
  runner_session_ = sim_.changing_broker().open_session(so, nullptr);
  (void)sim_.changing_broker().connected(runner_session_);
}

void LiveScene::turn(Micros t, Micros max_wait) {
  sim_.run_until(t, false);
  if (!server_) return;     // not listening, or the broker is down
  server_->flush_output();  // what the events above released to clients
  const Micros next = std::min(sim_.next_time(), server_->next_deadline());
  const Micros wait =
      next == kNever ? max_wait : std::clamp<Micros>(next - sim_.now(), 0, max_wait);
  server_->poll(wait);
  // The clients called the broker behind our back: its deadline moved.
  sim_.deadline_dirty_ = true;
  sim_.tick_stuck_ = false;
  sim_.drain();  // deliveries their publishes made to our cooks
  for (size_t i = 0; i < runner_jobs_.size(); ++i) {
    if (sim_.broker_ && runner_session_ != 0) {
      const auto n = static_cast<uint32_t>(runner_jobs_[i] & 0xffffffffu);
      sim_.publish_food(runner_session_, n, static_cast<uint32_t>(runner_jobs_[i] >> 32), true);
    }
  }
  runner_jobs_.clear();
  sim_.drain();
  if (names_pending_) read_external_names();
  server_->flush_output();
}

bool LiveScene::own_session(SessionId sid) const {
  if (sid == sim_.manager_session_ || sid == runner_session_) return true;
  for (const Cook& k : sim_.cooks_) {
    if (k.session == sid) return true;
  }
  for (const Cashier& c : sim_.cashiers_) {
    if (c.session == sid) return true;
  }
  return false;
}

ExternalClient* LiveScene::find_external(SessionId sid, ExternalRole role) {
  for (ExternalClient& x : externals_) {
    if (x.session == sid && x.role == role) return &x;
  }
  return nullptr;
}

ExternalClient& LiveScene::add_external(SessionId sid, ExternalRole role) {
  ExternalClient x;
  x.index = static_cast<uint32_t>(externals_.size());
  x.session = sid;
  x.role = role;
  x.connected_at = sim_.now();
  externals_.push_back(std::move(x));
  names_pending_ = true;  // the broker may not be called from its listener
  return externals_.back();
}

void LiveScene::read_external_names() {
  if (!sim_.broker_) return;
  names_pending_ = false;
  const BrokerSnapshot snap = sim_.broker_->snapshot();
  for (ExternalClient& x : externals_) {
    if (!x.name.empty()) continue;
    for (const SessionSnapshot& ss : snap.sessions) {
      if (ss.id == x.session) x.name = ss.name;
    }
    if (x.name.empty()) x.name = "client " + std::to_string(x.session);
  }
}

void LiveScene::external_leaves(ExternalClient& x) {
  if (x.state == ExternalState::kGone) return;
  x.state = ExternalState::kGone;
  x.left_at = sim_.now();
  x.returned += static_cast<uint32_t>(x.held.size());
  sim_.counters_.external_returned += x.held.size();
  x.held.clear();  // the broker puts them back on the board (kRequeued)
}

// Broker events of sessions that are not the simulator's: STOMP clients.
void LiveScene::on_broker_event(const Event& e, const OrderLedger::Seen& seen) {
  const uint32_t n = seen.order;
  const bool station = seen.station;
  Order* o = n != 0 && !seen.food ? &sim_.orders_[n - 1] : nullptr;
  switch (e.kind) {
    case EventKind::kConsumerAdded:
      if (station && !find_external(e.session, ExternalRole::kCook) && !own_session(e.session)) {
        add_external(e.session, ExternalRole::kCook).station = seen.queue;
      }
      break;
    case EventKind::kPublished:
      if (e.exchange == kOrdersExchange && !own_session(e.session)) {
        ExternalClient* x = find_external(e.session, ExternalRole::kCashier);
        if (x == nullptr) x = &add_external(e.session, ExternalRole::kCashier);
        ++x->sent;
        ++sim_.counters_.external_sent;
      }
      break;
    case EventKind::kRejected:
      if (e.exchange == kOrdersExchange) {
        if (ExternalClient* x = find_external(e.session, ExternalRole::kCashier)) {
          ++x->rejected;
          ++sim_.counters_.external_rejected;
        }
      }
      break;
    case EventKind::kDelivered:
      if (!station) break;
      if (ExternalClient* x = find_external(e.session, ExternalRole::kCook)) {
        x->held.push_back(Ticket{n, e.message, e.seq, e.count, e.redelivered});
        ++x->delivered;
        ++sim_.counters_.external_delivered;
        if (o) {
          ++o->deliveries;
          if (o->served == 0) o->status = OrderStatus::kCooking;
          sim_.ledger_.record(n, StepKind::kDelivered,
                              {.who = x->index,
                               .count = e.count,
                               .message = e.message,
                               .flag = e.redelivered,
                               .external = true});
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
        ++sim_.counters_.external_returned;
        break;
      }
      // An ack is the cook saying "cooked": it is counted as a sim cook's is.
      ++x->cooked;
      ++sim_.counters_.cooked;
      ++sim_.counters_.external_cooked;
      if (o) {
        ++o->cooked;
        if (o->cooked > 1) ++sim_.counters_.duplicates;
        sim_.ledger_.record(
            n, StepKind::kAcked,
            {.who = x->index, .count = e.count, .message = e.message, .external = true});
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

}  // namespace wmq::sim
