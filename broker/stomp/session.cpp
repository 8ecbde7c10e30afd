// StompSession: the connection, the frames that are not SEND, SUBSCRIBE or
// their acks (session_send.cpp, session_subscribe.cpp), the broker's calls
// back, receipts, writing frames and ending.
#include "stomp/session.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <limits>

#include "stomp/session_internal.h"

namespace wmq::stomp {

namespace {

constexpr size_t kSnippetBytes = 400;  // of the offending frame's head, in an ERROR body
constexpr size_t kBodySnippet = 48;    // of its body

// The offending frame as the client sent it (decoded), passcode hidden, cut
// to a few hundred bytes.
std::string snippet(const Frame& f) {
  std::string out = f.command + "\n";
  for (const auto& [name, value] : f.headers) {
    if (out.size() > kSnippetBytes) {
      out += "...\n";
      break;
    }
    out += printable(name, 64) + ":" +
           (name == "passcode" ? std::string("********") : printable(value, 128)) + "\n";
  }
  if (!f.body.empty()) {
    out += "\n(body of " + std::to_string(f.body.size()) +
           " bytes: " + printable(f.body, kBodySnippet) + ")\n";
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

// Holds in_callback_ up while the broker is calling the session, so that
// ending the broker session waits until the broker's call has returned.
class CallbackScope {
 public:
  explicit CallbackScope(int& depth) : depth_(depth) { ++depth_; }
  ~CallbackScope() { --depth_; }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

 private:
  int& depth_;
};

void append_number(std::string* out, uint64_t n) {
  char digits[24];
  const auto res = std::to_chars(digits, digits + sizeof digits, n);
  out->append(digits, res.ptr);
}

}  // namespace

StompSession::StompSession(Broker& broker, Transport& transport, SessionConfig config)
    : broker_(broker),
      transport_(transport),
      config_(std::move(config)),
      parser_(config_.limits),
      created_at_(broker.clock().now()) {
  name_ = "stomp " + config_.peer;
}

StompSession::~StompSession() {
  if (sid_ == 0) return;
  if (!cleaned_up_) {
    if (!cleanup_pending_) {
      broker_end_clean_ = false;
      broker_end_reason_ = "connection closed";
    }
    cleanup_pending_ = true;
    end_broker_session();
  }
  broker_.release_session(sid_);
}

// ============================================================ host entry points

void StompSession::on_bytes(std::string_view bytes) {
  end_broker_session();
  if (state_ == State::kEnded || state_ == State::kDisconnecting || bytes.empty()) return;
  if (refuse_at_ != kNever) return;  // refused: only the held ERROR remains to be sent
  if (state_ == State::kConnected) (void)broker_.heartbeat(sid_);  // any byte says "alive"
  parser_.feed(bytes);
  while (state_ == State::kNew || state_ == State::kConnected) {
    ParseResult r = parser_.next();
    if (r.need_more_bytes()) break;
    if (r.is_error()) {
      fail(err::kBadFrame, "The server could not read a frame: " + r.status().message(), nullptr);
      break;
    }
    if (r.is_heart_beat()) continue;
    Frame frame = r.take_frame();
    on_frame(frame);
  }
  end_broker_session();
}

void StompSession::on_peer_closed() {
  if (state_ == State::kEnded) return;
  end(false, "connection lost");
}

void StompSession::on_output_drained() {
  end_broker_session();
  if (state_ != State::kConnected) return;
  // Settling may deliver more: take the list of subscriptions first.
  std::vector<Subscription*> subs;
  for (auto& [id, sub] : subs_) {
    if (sub->mode == AckMode::kAuto && !sub->written.empty() && !sub->held) {
      subs.push_back(sub.get());
    }
  }
  for (Subscription* sub : subs)
    settle_written(*sub);
  end_broker_session();
}

// Acks the ack:auto deliveries of `sub` written so far. Acks release credit,
// which may deliver (and write) more into `written`: the list is taken first.
void StompSession::settle_written(Subscription& sub) {
  std::vector<DeliveryTag> tags;
  tags.swap(sub.written);
  // Held MESSAGEs never reached the wire: they go back with the consumer.
  if (sub.held || broker_session_ended_) return;
  for (DeliveryTag tag : tags) {
    Status st = broker_.ack(sid_, tag);
    if (!st.is_ok() && config_.log) {
      // Not the peer's doing: every written tag is live until acked here
      // or returned with its consumer. Say so rather than hide it.
      config_.log(config_.peer + ": internal: auto-ack failed: " + st.message());
    }
  }
}

void StompSession::shut_down() {
  end_broker_session();
  if (state_ == State::kEnded) return;
  send_error(err::kShutdown,
             "The server is shutting down and closes this connection. Messages not yet "
             "acknowledged went back to their queues; connect again once it is back.",
             nullptr, {});
  end(false, err::kShutdown);
}

void StompSession::on_timer() {
  end_broker_session();
  const Micros now = broker_.clock().now();
  if (refuse_at_ != kNever) {
    if (now >= refuse_at_) fail(err::kLogin, refuse_detail_, &refuse_frame_);
    return;
  }
  if (state_ == State::kNew && now >= created_at_ + config_.connect_timeout) {
    fail(err::kConnectTimeout,
         "No CONNECT or STOMP frame came within " +
             std::to_string(config_.connect_timeout / kMillis) + " ms of opening the connection.",
         nullptr);
    return;
  }
  if ((state_ == State::kConnected || state_ == State::kDisconnecting) && send_interval_ > 0 &&
      now >= last_sent_ + send_interval_) {
    emit_raw("\n");
  }
  end_broker_session();
}

Micros StompSession::next_timer() const {
  switch (state_) {
    case State::kNew:
      return refuse_at_ != kNever ? refuse_at_ : created_at_ + config_.connect_timeout;
    case State::kConnected:
    case State::kDisconnecting:
      return send_interval_ > 0 ? last_sent_ + send_interval_ : kNever;
    case State::kEnded:
      return kNever;
  }
  return kNever;
}

// ==================================================================== frames

bool StompSession::permitted(const Frame& frame, Access access, std::string_view destination) {
  if (config_.users == nullptr || config_.users->may(login_, access, destination)) return true;
  const std::string verb = access == Access::kRead ? "read" : "write";
  fail(err::kAccess,
       "Login " + quoted(login_) + " may not " + verb + " " + quoted(destination) +
           ": the users file has no \"allow " + login_ + " " + verb + " " +
           std::string(destination) + "\" line.",
       &frame);
  return false;
}

void StompSession::on_frame(Frame& frame) {
  const std::string& c = frame.command;
  if (state_ == State::kNew) {
    if (c == "CONNECT" || c == "STOMP") {
      on_connect(frame);
    } else {
      fail(err::kNotConnected,
           "The first frame must be CONNECT (or STOMP); got " + c + " before connecting.", &frame);
    }
    return;
  }
  if (c == "SEND") {
    on_send(frame);
  } else if (c == "ACK") {
    on_ack(frame, false);
  } else if (c == "NACK") {
    on_ack(frame, true);
  } else if (c == "SUBSCRIBE") {
    on_subscribe(frame);
  } else if (c == "UNSUBSCRIBE") {
    on_unsubscribe(frame);
  } else if (c == "BEGIN") {
    on_begin(frame);
  } else if (c == "COMMIT") {
    on_commit(frame);
  } else if (c == "ABORT") {
    on_abort(frame);
  } else if (c == "DISCONNECT") {
    on_disconnect(frame);
  } else if (c == "CONNECT" || c == "STOMP") {
    fail(err::kAlreadyConnected, "This connection is connected already; " + c + " comes once.",
         &frame);
  } else {
    // The parser accepts only client commands, so this is a new one it
    // learned and the session did not: refuse it plainly.
    fail(err::kBadFrame, "The server does not handle " + c + " frames.", &frame);
  }
}

void StompSession::on_connect(const Frame& frame) {
  // Version: the highest both sides speak; no accept-version means 1.0.
  std::string chosen;
  if (auto accept = frame.header("accept-version")) {
    std::string_view rest = *accept;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string_view v = trim(rest.substr(0, comma));
      if ((v == "1.0" || v == "1.1" || v == "1.2") && v > std::string_view(chosen)) {
        chosen = std::string(v);
      }
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (chosen.empty()) {
      fail(err::kVersion,
           "The client accepts versions " + quoted(*accept) +
               "; this server speaks STOMP 1.0, 1.1 and 1.2.",
           &frame, {{"version", "1.0,1.1,1.2"}});
      return;
    }
  } else {
    chosen = "1.0";
  }
  version_ = chosen;

  if (config_.users != nullptr) {
    auto login = frame.header("login");
    auto passcode = frame.header("passcode");
    if (!login || !passcode || !config_.users->check(*login, *passcode)) {
      std::string detail =
          "This server needs a login and passcode from its users file; the CONNECT frame " +
          std::string(!login || !passcode ? "did not carry both"
                                          : "carried a login and passcode that do not match") +
          ".";
      const Micros delay = config_.login_guard == nullptr
                               ? 0
                               : config_.login_guard->on_failure(LoginGuard::host_of(config_.peer),
                                                                 broker_.clock().now());
      if (delay > 0) {
        refuse_at_ = broker_.clock().now() + delay;
        refuse_detail_ = std::move(detail);
        refuse_frame_ = frame;
        return;
      }
      fail(err::kLogin, detail, &frame);
      return;
    }
    login_ = std::string(*login);
    if (!config_.users->host_allowed(frame.header("host"))) {
      auto host = frame.header("host");
      fail(
          err::kHost,
          (host ? "Virtual host " + quoted(*host) + " is not" : std::string("A host header is")) +
              " accepted here; the users file allows hosts: " +
              [&] {
                std::string list;
                for (const std::string& h : config_.users->hosts())
                  list += (list.empty() ? "" : ", ") + h;
                return list;
              }() +
              ".",
          &frame);
      return;
    }
  }

  // Heart-beats: cx,cy from the client. The client sends every max(cx, sy)
  // and wants to hear from us every max(sx, cy); 0 on either side = none.
  uint64_t cx = 0, cy = 0;
  if (auto hb = frame.header("heart-beat")) {
    const size_t comma = hb->find(',');
    if (comma == std::string_view::npos || !parse_u64(trim(hb->substr(0, comma)), &cx) ||
        !parse_u64(trim(hb->substr(comma + 1)), &cy) || cx > INT32_MAX || cy > INT32_MAX) {
      fail(err::kBadHeader,
           "The heart-beat header must be two whole numbers of milliseconds, \"cx,cy\"; got " +
               quoted(*hb) + ".",
           &frame);
      return;
    }
  }
  const Micros floor_ms = config_.min_heart_beat / kMillis;
  const Micros sx = cy > 0 ? std::max<Micros>(static_cast<Micros>(cy), floor_ms) : 0;
  const Micros sy = cx > 0 ? std::max<Micros>(static_cast<Micros>(cx), floor_ms) : 0;
  send_interval_ = sx * kMillis;
  receive_interval_ = sy * kMillis;

  if (auto client = frame.header("client-id"); client && !client->empty()) {
    owner_ = std::string(*client);
  } else if (auto login = frame.header("login")) {
    owner_ = std::string(*login);
  }
  if (auto login = frame.header("login"); login && !login->empty()) {
    name_ = std::string(*login);
  } else if (!owner_.empty()) {
    name_ = owner_;
  }
  SessionOptions so;
  so.name = name_;
  // A beat may be late: suspect a client one and a half intervals after its
  // last byte, give it up after three (python3-stomp allows the server 1.5).
  so.suspect_after = receive_interval_ > 0 ? receive_interval_ + receive_interval_ / 2 : 0;
  so.dead_after = receive_interval_ * 3;
  sid_ = broker_.open_session(so, this);
  Status st = broker_.connected(sid_);
  assert(st.is_ok() && "a session just opened must connect");
  (void)st;
  state_ = State::kConnected;

  Frame reply;
  reply.command = "CONNECTED";
  reply.headers = {{"version", version_},
                   {"heart-beat", std::to_string(sx) + "," + std::to_string(sy)},
                   {"session", std::to_string(sid_)},
                   {"server", config_.server_name}};
  emit(reply);
}

void StompSession::on_disconnect(const Frame& frame) {
  transactions_.clear();  // open transactions are aborted
  // Stop deliveries now: what the client holds unacked goes back to the
  // queues, as it would when the connection closes.
  for (auto& [id, sub] : subs_)
    end_subscription(*sub, false);
  subs_.clear();
  state_ = State::kDisconnecting;
  if (auto r = frame.header("receipt")) {
    receipt_after_publishes(std::string(*r), true);
  } else {
    finish_disconnect();
  }
}

void StompSession::finish_disconnect() {
  end(true, "disconnected");
}

// ============================================================ broker -> client

void StompSession::on_delivery(const Delivery& d) {
  CallbackScope scope(in_callback_);
  Subscription* sub = nullptr;
  if (auto it = by_consumer_.find(d.consumer); it != by_consumer_.end()) {
    sub = it->second;
  } else if (subscribing_ != nullptr) {
    // Delivered from inside subscribe(), before it returned the consumer id.
    sub = subscribing_;
    sub->consumer = d.consumer;
    by_consumer_[d.consumer] = sub;
  }
  // After an ERROR or DISCONNECT nothing is written; the delivery goes back
  // to its queue when the broker session ends.
  if (sub == nullptr || state_ != State::kConnected || sub->ending) return;
  write_message(*sub, d);
  if (sub->mode == AckMode::kAuto) {
    sub->written.push_back(d.tag);
  } else {
    sub->unacked.push_back(d.tag);
  }
}

void StompSession::on_confirm(PublishSeq seq) {
  CallbackScope scope(in_callback_);
  confirmed_ = std::max(confirmed_, seq);
  while (!syncs_.empty() && syncs_.front() <= seq)
    syncs_.pop_front();
  drain_receipts();
}

void StompSession::on_publish_nack(PublishSeq seq, const Status& why) {
  CallbackScope scope(in_callback_);
  std::vector<std::pair<std::string, std::string>> extra;
  for (const PendingReceipt& p : receipts_) {
    if (p.seq == seq) extra.emplace_back("receipt-id", p.id);
  }
  if (!syncs_.empty() && syncs_.front() == seq) {
    fail(err::kNotSaved,
         "An acknowledgement could not be written (" + why.message() +
             "); the message may come back after a restart.",
         nullptr, extra);
    return;
  }
  fail(err::kNotSaved,
       "The server accepted a message (publish " + std::to_string(seq) +
           " of this connection) but could not save it: " + why.message() +
           ". It is in no queue; send it again.",
       nullptr, extra);
}

void StompSession::on_state(SessionState state) {
  CallbackScope scope(in_callback_);
  // broker_session_ended_: the kill was this session's own doing (an ERROR
  // already sent, or the destructor, which sends nothing).
  if (state != SessionState::kDead || state_ == State::kEnded || broker_session_ended_) return;
  // The broker gave up on the client (no heart-beat in time): its deliveries
  // are back in their queues already.
  broker_session_ended_ = true;
  if (receive_interval_ == 0) {
    // No heart-beats were agreed, so no timeout: the broker's owner ended it.
    fail(err::kEnded,
         "The broker ended this session; its unacknowledged messages went back to their queues.",
         nullptr);
    return;
  }
  fail(err::kHeartBeat,
       "Nothing came from the client for " + std::to_string(3 * receive_interval_ / kMillis) +
           " ms, three times the heart-beat interval it promised (" +
           std::to_string(receive_interval_ / kMillis) +
           " ms); its unacknowledged messages went back to their queues.",
       nullptr);
}

void StompSession::on_cancel(ConsumerId consumer) {
  CallbackScope scope(in_callback_);
  auto it = by_consumer_.find(consumer);
  if (it == by_consumer_.end()) return;
  fail(err::kCancelled,
       "Queue " + quoted(it->second->queue) + " was deleted, which ended subscription " +
           quoted(it->second->id) + ".",
       nullptr);
}

// ================================================================== receipts

void StompSession::receipt_after_publishes(std::string id, bool disconnect, uint64_t release_sub) {
  if (confirmed_ >= published_ && receipts_.empty()) {
    send_receipt(id);
    if (release_sub != 0) release_held(release_sub);
    if (disconnect) finish_disconnect();
    return;
  }
  receipts_.push_back(PendingReceipt{published_, std::move(id), disconnect, release_sub});
  drain_receipts();
}

void StompSession::drain_receipts() {
  while (!receipts_.empty() && receipts_.front().seq <= confirmed_) {
    PendingReceipt p = std::move(receipts_.front());
    receipts_.pop_front();
    if (state_ == State::kEnded) continue;
    send_receipt(p.id);
    if (p.release_sub != 0) release_held(p.release_sub);
    if (p.disconnect) finish_disconnect();
  }
}

void StompSession::send_receipt(std::string_view id) {
  out_.clear();
  out_ += "RECEIPT\n";
  append_header("receipt-id", id);
  out_ += "\n";
  out_.push_back('\0');
  emit_raw(out_);
}

// ================================================================== writing

void StompSession::append_header(std::string_view name, std::string_view value) {
  auto put = [this](std::string_view s) {
    if (version_ == "1.0") {
      // 1.0 has no escapes: a line break cannot travel, so it becomes a space.
      for (char ch : s)
        out_.push_back(ch == '\r' || ch == '\n' ? ' ' : ch);
      return;
    }
    if (s.find_first_of("\r\n:\\") == std::string_view::npos) {
      out_.append(s);
      return;
    }
    for (char ch : s) {
      switch (ch) {
        case '\r':
          out_ += "\\r";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case ':':
          out_ += "\\c";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        default:
          out_.push_back(ch);
      }
    }
  };
  put(name);
  out_.push_back(':');
  put(value);
  out_.push_back('\n');
}

void StompSession::write_message(Subscription& sub, const Delivery& d) {
  const Payload& p = *d.message;
  out_.clear();
  out_ += "MESSAGE\n";
  append_header("subscription", sub.id);
  // As RabbitMQ does: where the message was sent, as far as the queue tells.
  std::string_view dest = sub.destination;
  switch (sub.dest.kind) {
    case DestinationKind::kTopic:
      scratch_.assign("/topic/");
      scratch_.append(p.routing_key());
      dest = scratch_;
      break;
    case DestinationKind::kExchange:
      // A SEND to /exchange/NAME has no routing key: its MESSAGE says
      // /exchange/NAME, with no slash after (so does RabbitMQ).
      scratch_.assign("/exchange/");
      scratch_.append(sub.dest.name);
      if (!p.routing_key().empty()) {
        scratch_.push_back('/');
        scratch_.append(p.routing_key());
      }
      dest = scratch_;
      break;
    case DestinationKind::kReplyQueue:
      scratch_.assign("/reply-queue/");
      scratch_.append(sub.queue);
      dest = scratch_;
      break;
    default:
      break;
  }
  append_header("destination", dest);
  out_ += "message-id:";
  append_number(&out_, d.tag);
  out_ += '\n';
  if (version_ == "1.2" && sub.mode != AckMode::kAuto) {
    out_ += "ack:";
    append_number(&out_, d.tag);
    out_ += '\n';
  }
  out_ += d.redelivered ? "redelivered:true\n" : "redelivered:false\n";
  out_ += "delivery-count:";
  append_number(&out_, d.delivery_count);
  out_ += '\n';
  if (p.persistent()) out_ += "persistent:true\n";
  append_header("content-type", p.content_type());
  out_ += "content-length:";
  append_number(&out_, p.body().size());
  out_ += '\n';
  for (const Header& h : p.headers()) {
    if (!is_message_header(h.name)) append_header(h.name, h.value);
  }
  out_ += '\n';
  out_.append(p.body());
  out_.push_back('\0');
  if (sub.held) {
    sub.held_bytes += out_;
  } else {
    emit_raw(out_);
  }
}

void StompSession::emit(const Frame& frame) {
  out_.clear();
  // 1.0 has no escapes; everything else the session writes is 1.1/1.2 style.
  serialize_to(frame, &out_, version_ != "1.0");
  emit_raw(out_);
}

void StompSession::emit_raw(std::string_view bytes) {
  transport_.send(bytes);
  last_sent_ = broker_.clock().now();
}

// ==================================================================== ending

void StompSession::fail(std::string_view message, std::string_view detail, const Frame* frame,
                        const std::vector<std::pair<std::string, std::string>>& extra) {
  if (state_ == State::kEnded) return;
  send_error(message, detail, frame, extra);
  if (config_.log) {
    config_.log(config_.peer + " (" + name_ + "): ERROR " + std::string(message) + ": " +
                std::string(detail));
  }
  end(false, message);
}

void StompSession::send_error(std::string_view message, std::string_view detail, const Frame* frame,
                              const std::vector<std::pair<std::string, std::string>>& extra) {
  Frame e;
  e.command = "ERROR";
  e.headers.emplace_back("message", std::string(message));
  e.headers.emplace_back("content-type", "text/plain");
  for (const auto& h : extra)
    e.headers.push_back(h);
  if (frame != nullptr) {
    if (auto r = frame->header("receipt")) e.headers.emplace_back("receipt-id", std::string(*r));
  }
  e.body = std::string(detail) + "\n";
  if (frame != nullptr) e.body += "\nThe offending frame:\n" + snippet(*frame);
  if (version_ == "1.0") {
    // Unescaped headers may not hold line breaks.
    for (auto& [n, v] : e.headers)
      std::replace_if(
          v.begin(), v.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  }
  emit(e);
}

void StompSession::end(bool clean, std::string_view reason) {
  if (state_ == State::kEnded) return;
  state_ = State::kEnded;
  transactions_.clear();
  if (sid_ != 0 && !cleaned_up_ && !cleanup_pending_) {
    cleanup_pending_ = true;
    broker_end_clean_ = clean;
    broker_end_reason_ = std::string(reason);
  }
  transport_.close();
  end_broker_session();
}

// Ends the broker session and deletes the session's own queues, once that is
// pending and the broker is not in the middle of calling us: ending it from
// inside a callback would change the broker's state under the running call.
void StompSession::end_broker_session() {
  if (!cleanup_pending_ || in_callback_ > 0) return;
  cleanup_pending_ = false;
  cleaned_up_ = true;
  if (!broker_session_ended_) {
    // The ack:auto MESSAGEs written are settled, even on a killed connection
    // (RabbitMQ settles them as it sends them). state_ is kEnded: what the
    // acks' credit delivers now is not written, and goes back with the kill.
    for (auto& [id, sub] : subs_)
      settle_written(*sub);
    broker_session_ended_ = true;
    Status st = broker_end_clean_ ? broker_.close_session(sid_)
                                  : broker_.kill_session(sid_, broker_end_reason_);
    (void)st;  // kClosed: the broker ended it first (dead), which is what we wanted
  }
  // The session's consumers are gone with it; its own queues go now.
  for (auto& [id, sub] : subs_) {
    if (sub->own_queue) (void)broker_.delete_queue(sub->queue);
  }
  subs_.clear();
  by_consumer_.clear();
  temp_queues_.clear();
}

}  // namespace wmq::stomp
