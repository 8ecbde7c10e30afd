#include "stomp/session.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <limits>

namespace wmq::stomp {

namespace {

// The short `message` header of each ERROR the session sends, in one place.
namespace err {
constexpr std::string_view kBadFrame = "malformed frame";
constexpr std::string_view kNotConnected = "not connected";
constexpr std::string_view kConnectTimeout = "no CONNECT frame";
constexpr std::string_view kAlreadyConnected = "already connected";
constexpr std::string_view kVersion = "unsupported protocol version";
constexpr std::string_view kLogin = "login failed";
constexpr std::string_view kAccess = "access refused";
constexpr std::string_view kHost = "unknown virtual host";
constexpr std::string_view kBadHeader = "bad header";
constexpr std::string_view kMissingHeader = "missing header";
constexpr std::string_view kDestination = "bad destination";
constexpr std::string_view kNotFound = "not found";
constexpr std::string_view kRefused = "message refused";
constexpr std::string_view kQueue = "queue settings conflict";
constexpr std::string_view kSubscription = "bad subscription";
constexpr std::string_view kAck = "bad acknowledgement";
constexpr std::string_view kTransaction = "bad transaction";
constexpr std::string_view kLimit = "limit reached";
constexpr std::string_view kNotSaved = "message not saved";
constexpr std::string_view kCancelled = "subscription cancelled";
constexpr std::string_view kHeartBeat = "heart-beat timeout";
constexpr std::string_view kEnded = "session ended";
constexpr std::string_view kShutdown = "server shutting down";
}  // namespace err

constexpr size_t kSnippetBytes = 400;  // of the offending frame's head, in an ERROR body
constexpr size_t kBodySnippet = 48;    // of its body

// Headers a SEND carries for the server, not for the receiver.
bool is_send_control_header(std::string_view name) {
  static constexpr std::string_view kControl[] = {"destination",
                                                  "transaction",
                                                  "receipt",
                                                  "content-length",
                                                  "content-type",
                                                  "persistent",
                                                  "message-id",
                                                  "expiration",
                                                  "durable",
                                                  "auto-delete",
                                                  "exclusive",
                                                  "x-max-length",
                                                  "x-overflow",
                                                  "x-message-ttl",
                                                  "x-delivery-limit",
                                                  "x-dead-letter-exchange",
                                                  "x-dead-letter-routing-key"};
  return std::find(std::begin(kControl), std::end(kControl), name) != std::end(kControl);
}

// Headers the server writes on MESSAGE itself; a publisher's copies are dropped.
bool is_message_header(std::string_view name) {
  static constexpr std::string_view kOwn[] = {"subscription", "destination",  "message-id",
                                              "ack",          "redelivered",  "delivery-count",
                                              "persistent",   "content-type", "content-length"};
  return std::find(std::begin(kOwn), std::end(kOwn), name) != std::end(kOwn);
}

// Bytes from the peer made printable for an ERROR body or a log line.
std::string printable(std::string_view bytes, size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

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

std::string quoted(std::string_view s) {
  return "\"" + printable(s, 64) + "\"";
}

bool parse_u64(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), *out);
  return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

// true/false in any case: RabbitMQ takes Python's True/False on purpose,
// and python3-stomp writes booleans so. Nothing for any other text.
std::optional<bool> parse_bool(std::string_view text) {
  auto same = [text](std::string_view word) {
    return text.size() == word.size() &&
           std::equal(text.begin(), text.end(), word.begin(), [](char a, char b) {
             return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
  };
  if (same("true")) return true;
  if (same("false")) return false;
  return std::nullopt;
}

// A flag header that is true only when it says so; absent or anything else
// is false (persistent, and durable on SUBSCRIBE and UNSUBSCRIBE, as in RabbitMQ).
bool flag(const Frame& frame, std::string_view name) {
  auto v = frame.header(name);
  return v && parse_bool(*v).value_or(false);
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

bool StompSession::ensure_exchange(const Frame& frame, const std::string& name) {
  if (broker_.has_exchange(name)) return true;
  // The standard exchanges exist on first use, as they do in RabbitMQ.
  ExchangeOptions o;
  o.durable = true;
  if (name == "amq.topic") {
    o.kind = ExchangeKind::kTopic;
  } else if (name == "amq.direct") {
    o.kind = ExchangeKind::kDirect;
  } else if (name == "amq.fanout") {
    o.kind = ExchangeKind::kFanout;
  } else {
    fail(err::kNotFound, "Exchange " + quoted(name) + " does not exist.", &frame);
    return false;
  }
  Status st = broker_.declare_exchange(name, o);
  if (!st.is_ok()) {
    fail(err::kNotFound, st.message(), &frame);
    return false;
  }
  return true;
}

// Declares /queue/NAME on first use (durable unless durable:false), with the
// RabbitMQ x- headers a client may give. An existing queue is used as it is
// unless the frame asks for settings, which must then match.
bool StompSession::ensure_queue(const Frame& frame, const std::string& name) {
  QueueOptions o;
  o.durable = true;
  bool asked = false;
  auto refuse = [&](std::string_view header, std::string_view value) {
    fail(err::kBadHeader,
         "Header " + std::string(header) + " has a value this server cannot use: " + quoted(value) +
             ".",
         &frame);
    return false;
  };
  // Each read with frame.header(): the first occurrence of a header counts.
  uint64_t n = 0;
  if (auto v = frame.header("durable")) {
    asked = true;
    std::optional<bool> durable = parse_bool(*v);
    if (!durable) return refuse("durable", *v);
    o.durable = *durable;
  }
  if (auto v = frame.header("x-max-length")) {
    asked = true;
    if (!parse_u64(*v, &n) || n > UINT32_MAX) return refuse("x-max-length", *v);
    o.max_length = static_cast<uint32_t>(n);
  }
  if (auto v = frame.header("x-overflow")) {
    asked = true;
    if (*v != "reject-publish" && *v != "drop-head") return refuse("x-overflow", *v);
    o.overflow = *v == "drop-head" ? Overflow::kDropHead : Overflow::kRejectPublish;
  }
  if (auto v = frame.header("x-message-ttl")) {
    asked = true;
    if (!parse_u64(*v, &n) || n > static_cast<uint64_t>(INT64_MAX / kMillis)) {
      return refuse("x-message-ttl", *v);
    }
    o.message_ttl = static_cast<Micros>(n) * kMillis;
  }
  if (auto v = frame.header("x-delivery-limit")) {
    asked = true;
    if (!parse_u64(*v, &n) || n > UINT32_MAX) return refuse("x-delivery-limit", *v);
    o.delivery_limit = static_cast<uint32_t>(n);
  }
  if (auto v = frame.header("x-dead-letter-exchange")) {
    asked = true;
    o.dead_letter_exchange = std::string(*v);
  }
  if (auto v = frame.header("x-dead-letter-routing-key")) {
    asked = true;
    o.dead_letter_routing_key = std::string(*v);
  }
  if (broker_.has_queue(name) && !asked) return true;
  if (!o.dead_letter_exchange.empty() && !ensure_exchange(frame, o.dead_letter_exchange)) {
    return false;
  }
  Status st = broker_.declare_queue(name, o);
  if (!st.is_ok()) {
    fail(st.code() == Code::kExists ? err::kQueue : err::kDestination,
         st.message() + "; leave out the queue headers to use it as it is.", &frame);
    return false;
  }
  return true;
}

void StompSession::on_send(Frame& frame) {
  auto dest_text = frame.header("destination");
  if (!dest_text) {
    fail(err::kMissingHeader,
         "A SEND frame needs a destination header, e.g. destination:/queue/orders.", &frame);
    return;
  }
  if (!permitted(frame, Access::kWrite, *dest_text)) return;
  Result<Destination> dest = parse_destination(*dest_text);
  if (!dest.is_ok()) {
    fail(err::kDestination, dest.status().message() + ".", &frame);
    return;
  }
  if (dest->kind == DestinationKind::kTempQueue) {
    fail(err::kDestination,
         "A /temp-queue/ destination belongs in a reply-to header; the replier sends to the "
         "/reply-queue/ destination it finds in its MESSAGE's reply-to.",
         &frame);
    return;
  }
  if (auto tx = frame.header("transaction")) {
    auto it = transactions_.find(std::string(*tx));
    if (it == transactions_.end()) {
      fail(err::kTransaction, "Transaction " + quoted(*tx) + " was not begun.", &frame);
      return;
    }
    if (it->second.size() >= config_.max_transaction_frames) {
      fail(err::kLimit,
           "Transaction " + quoted(*tx) + " holds " +
               std::to_string(config_.max_transaction_frames) + " frames, the most allowed.",
           &frame);
      return;
    }
    // Its receipt comes once COMMIT has enqueued it, as in RabbitMQ: a
    // receipt always means "in its queues (and written, if persistent)".
    it->second.push_back(std::move(frame));
    return;
  }
  publish(frame, dest.value(), true);
}

// Publishes one SEND (now, or at its transaction's COMMIT). With
// `with_receipt`, a receipt header is answered once the broker confirms.
bool StompSession::publish(Frame& frame, const Destination& dest, bool with_receipt) {
  std::string exchange;
  Message m;
  switch (dest.kind) {
    case DestinationKind::kQueue:
      if (!ensure_queue(frame, dest.name)) return false;
      m.routing_key = dest.name;
      break;
    case DestinationKind::kAmqQueue:
    case DestinationKind::kReplyQueue:
      m.routing_key = dest.name;
      break;
    case DestinationKind::kTopic:
      exchange = std::string(kTopicExchange);
      if (!ensure_exchange(frame, exchange)) return false;
      m.routing_key = dest.name;
      break;
    case DestinationKind::kExchange:
      exchange = dest.name;
      if (!ensure_exchange(frame, exchange)) return false;
      m.routing_key = dest.key;
      break;
    case DestinationKind::kTempQueue:
      assert(false && "publish: /temp-queue/ destinations are refused before publishing");
      return false;
  }
  if (m.routing_key.size() > UINT16_MAX) {
    fail(err::kDestination, "The routing key is over 65535 bytes.", &frame);
    return false;
  }
  if (auto ct = frame.header("content-type")) {
    if (ct->size() > UINT8_MAX) {
      fail(err::kBadHeader, "The content-type header is over 255 bytes.", &frame);
      return false;
    }
    m.content_type = std::string(*ct);
    if (config_.register_content_types) broker_.register_content_type(m.content_type);
  }
  m.persistent = flag(frame, "persistent");
  if (auto e = frame.header("expiration")) {
    uint64_t ms = 0;
    if (!parse_u64(*e, &ms) || ms > static_cast<uint64_t>(INT64_MAX / kMillis)) {
      fail(err::kBadHeader,
           "The expiration header must be a whole number of milliseconds; got " + quoted(*e) + ".",
           &frame);
      return false;
    }
    m.ttl = static_cast<Micros>(ms) * kMillis;
  }
  for (const auto& header : frame.headers) {
    // Named references, not a structured binding: clang 14 cannot capture those.
    const std::string& name = header.first;
    const std::string& value = header.second;
    if (is_send_control_header(name) || is_message_header(name)) continue;
    // The first occurrence of a header is the one that counts.
    const bool seen = std::any_of(m.headers.begin(), m.headers.end(),
                                  [&](const Header& h) { return h.name == name; });
    if (seen) continue;
    if (name == "reply-to" && value.rfind("/temp-queue/", 0) == 0) {
      std::optional<std::string> q = temp_queue(frame, std::string_view(value).substr(12));
      if (!q) return false;
      m.headers.push_back(Header{name, "/reply-queue/" + *q});
      continue;
    }
    m.headers.push_back(Header{name, value});
  }
  m.body = std::move(frame.body);

  std::optional<std::string> receipt;
  if (with_receipt) {
    if (auto r = frame.header("receipt")) receipt = std::string(*r);
  }
  // The confirm may come before publish() returns (transient queues, or a
  // publish that fills the batch): the receipt waits at the seq it will get.
  if (receipt) receipts_.push_back(PendingReceipt{published_ + 1, *receipt, false});
  Result<Published> r = broker_.publish(sid_, exchange, m);
  if (r.is_ok()) {
    assert(r->seq == published_ + 1 && "the broker numbers publishes 1, 2, 3... per session");
    published_ = r->seq;
    return true;
  }
  if (receipt) receipts_.pop_back();
  if (r.status().code() == Code::kUnroutable) {
    // As in RabbitMQ: a message no queue wants is dropped, not an error.
    if (receipt) receipt_after_publishes(std::move(*receipt), false);
    return true;
  }
  fail(r.status().code() == Code::kNotFound ? err::kNotFound : err::kRefused,
       r.status().message() + ".", &frame);
  return false;
}

// The private reply queue for /temp-queue/NAME, made (and subscribed to,
// ack:auto) on first use.
std::optional<std::string> StompSession::temp_queue(const Frame& frame, std::string_view name) {
  if (name.empty()) {
    fail(err::kDestination, "reply-to:/temp-queue/ needs a name after the prefix.", &frame);
    return std::nullopt;
  }
  auto it = temp_queues_.find(std::string(name));
  if (it != temp_queues_.end()) return it->second;
  const std::string sub_id = "/temp-queue/" + std::string(name);
  if (subs_.count(sub_id) != 0 || subs_.size() >= config_.max_subscriptions) {
    fail(err::kLimit,
         "Cannot make the reply queue for " + quoted(sub_id) +
             ": its subscription id is taken or the subscription limit is reached.",
         &frame);
    return std::nullopt;
  }
  const std::string queue =
      "stomp-reply-" + std::to_string(sid_) + "-" + std::to_string(next_queue_number_++);
  Status st = broker_.declare_queue(queue, QueueOptions{});
  if (!st.is_ok()) {
    fail(err::kQueue, st.message() + ".", &frame);
    return std::nullopt;
  }
  auto sub = std::make_unique<Subscription>();
  sub->id = sub_id;
  sub->destination = sub_id;
  sub->dest = Destination{DestinationKind::kReplyQueue, queue, ""};
  sub->mode = AckMode::kAuto;
  sub->queue = queue;
  sub->own_queue = true;
  Subscription* raw = sub.get();
  subs_.emplace(sub_id, std::move(sub));
  temp_queues_.emplace(std::string(name), queue);
  if (!start_consumer(frame, raw, 0)) return std::nullopt;
  return queue;
}

bool StompSession::start_consumer(const Frame& frame, Subscription* sub, uint32_t prefetch) {
  ConsumeOptions co;
  co.auto_ack = false;
  co.prefetch =
      sub->mode == AckMode::kAuto ? (prefetch > 0 ? prefetch : config_.auto_window) : prefetch;
  subscribing_ = sub;
  Result<ConsumerId> r = broker_.subscribe(sid_, sub->queue, co);
  subscribing_ = nullptr;
  if (!r.is_ok()) {
    if (sub->own_queue) (void)broker_.delete_queue(sub->queue);
    subs_.erase(sub->id);
    fail(err::kNotFound, r.status().message() + ".", &frame);
    return false;
  }
  sub->consumer = r.value();
  by_consumer_[sub->consumer] = sub;
  return true;
}

void StompSession::on_subscribe(const Frame& frame) {
  auto dest_text = frame.header("destination");
  if (!dest_text) {
    fail(err::kMissingHeader,
         "A SUBSCRIBE frame needs a destination header, e.g. destination:/queue/orders.", &frame);
    return;
  }
  std::string id;
  if (auto h = frame.header("id")) {
    id = std::string(*h);
  } else if (version_ == "1.0") {
    id = std::string(*dest_text);  // STOMP 1.0 made the id optional
  } else {
    fail(err::kMissingHeader, "A SUBSCRIBE frame needs an id header (STOMP " + version_ + ").",
         &frame);
    return;
  }
  if (subs_.count(id) != 0) {
    fail(err::kSubscription, "Subscription id " + quoted(id) + " is in use already.", &frame);
    return;
  }
  if (subs_.size() >= config_.max_subscriptions) {
    fail(err::kLimit,
         "This connection has " + std::to_string(config_.max_subscriptions) +
             " subscriptions, the most allowed.",
         &frame);
    return;
  }
  if (!permitted(frame, Access::kRead, *dest_text)) return;
  Result<Destination> dest = parse_destination(*dest_text);
  if (!dest.is_ok()) {
    fail(err::kDestination, dest.status().message() + ".", &frame);
    return;
  }
  if (dest->kind == DestinationKind::kTempQueue || dest->kind == DestinationKind::kReplyQueue) {
    fail(err::kDestination,
         "Temp and reply queues are subscribed to by the server itself; SUBSCRIBE to /queue/, "
         "/topic/, /exchange/ or /amq/queue/ destinations.",
         &frame);
    return;
  }
  auto sub = std::make_unique<Subscription>();
  sub->id = id;
  sub->destination = std::string(*dest_text);
  sub->dest = dest.value();
  const std::string_view ack = frame.header("ack").value_or("auto");
  if (ack == "auto") {
    sub->mode = AckMode::kAuto;
  } else if (ack == "client") {
    sub->mode = AckMode::kClient;
  } else if (ack == "client-individual") {
    sub->mode = AckMode::kClientIndividual;
  } else {
    fail(err::kBadHeader,
         "The ack header must be auto, client or client-individual; got " + quoted(ack) + ".",
         &frame);
    return;
  }
  uint64_t prefetch = 0;
  if (auto p = frame.header("prefetch-count")) {
    if (!parse_u64(*p, &prefetch) || prefetch > UINT32_MAX) {
      fail(err::kBadHeader,
           "The prefetch-count header must be a whole number (0 = no limit); got " + quoted(*p) +
               ".",
           &frame);
      return;
    }
  }

  switch (sub->dest.kind) {
    case DestinationKind::kQueue:
      if (!ensure_queue(frame, sub->dest.name)) return;
      sub->queue = sub->dest.name;
      break;
    case DestinationKind::kAmqQueue:
      if (!broker_.has_queue(sub->dest.name)) {
        fail(err::kNotFound,
             "Queue " + quoted(sub->dest.name) +
                 " does not exist; /amq/queue/ names an existing queue (use /queue/ to make one).",
             &frame);
        return;
      }
      sub->queue = sub->dest.name;
      break;
    case DestinationKind::kTopic:
    case DestinationKind::kExchange: {
      const bool topic = sub->dest.kind == DestinationKind::kTopic;
      const std::string exchange = topic ? std::string(kTopicExchange) : sub->dest.name;
      const std::string key = topic ? sub->dest.name : sub->dest.key;
      if (!ensure_exchange(frame, exchange)) return;
      sub->durable = frame.header("durable") ? flag(frame, "durable") : flag(frame, "persistent");
      if (auto qn = frame.header("x-queue-name"); qn && !qn->empty()) {
        sub->queue = std::string(*qn);
      } else if (sub->durable) {
        sub->queue = "stomp-durable-" + owner_ + "-" + id;
      } else {
        sub->queue = "stomp-subscription-" + std::to_string(sid_) + "-" +
                     std::to_string(next_queue_number_++);
      }
      QueueOptions qo;
      qo.durable = sub->durable;
      Status st = broker_.declare_queue(sub->queue, qo);
      if (!st.is_ok()) {
        fail(err::kQueue, st.message() + ".", &frame);
        return;
      }
      sub->own_queue = !sub->durable;
      st = broker_.bind(sub->queue, exchange, key);
      if (!st.is_ok()) {
        if (sub->own_queue) (void)broker_.delete_queue(sub->queue);
        fail(err::kNotFound, st.message() + ".", &frame);
        return;
      }
      break;
    }
    case DestinationKind::kTempQueue:
    case DestinationKind::kReplyQueue:
      return;  // refused above
  }
  Subscription* raw = sub.get();
  raw->serial = next_serial_++;
  auto receipt = frame.header("receipt");
  // The RECEIPT comes first (it may wait for earlier SENDs' commit): the
  // MESSAGEs the subscription gets meanwhile are held until it is sent.
  raw->held = receipt.has_value();
  subs_.emplace(id, std::move(sub));
  if (!start_consumer(frame, raw, static_cast<uint32_t>(prefetch))) return;
  if (receipt) receipt_after_publishes(std::string(*receipt), false, raw->serial);
}

void StompSession::release_held(uint64_t serial) {
  for (auto& [id, sub] : subs_) {
    if (sub->serial != serial) continue;
    sub->held = false;
    if (!sub->held_bytes.empty()) emit_raw(sub->held_bytes);
    std::string().swap(sub->held_bytes);
    return;
  }
}

void StompSession::end_subscription(Subscription& sub, bool delete_durable) {
  // What was written is settled (ack:auto): it must not come back with the
  // cancel. What the acks' credit delivers now is not written, and goes back.
  sub.ending = true;
  settle_written(sub);
  if (!broker_session_ended_) {
    Status st = broker_.cancel(sid_, sub.consumer);
    (void)st;  // kNotFound: the broker cancelled it already (its queue is gone)
    if (sub.own_queue || (sub.durable && delete_durable)) (void)broker_.delete_queue(sub.queue);
  }
  by_consumer_.erase(sub.consumer);
  for (auto it = temp_queues_.begin(); it != temp_queues_.end(); ++it) {
    if (it->second == sub.queue) {
      temp_queues_.erase(it);
      break;
    }
  }
}

void StompSession::on_unsubscribe(const Frame& frame) {
  std::string id;
  if (auto h = frame.header("id")) {
    id = std::string(*h);
  } else if (auto d = frame.header("destination"); d && version_ == "1.0") {
    id = std::string(*d);
  } else {
    fail(err::kMissingHeader, "An UNSUBSCRIBE frame needs an id header.", &frame);
    return;
  }
  auto it = subs_.find(id);
  if (it == subs_.end()) {
    fail(err::kSubscription, "There is no subscription with id " + quoted(id) + ".", &frame);
    return;
  }
  end_subscription(*it->second, flag(frame, "durable"));
  subs_.erase(it);
  if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
}

StompSession::Subscription* StompSession::holder_of(DeliveryTag tag) {
  for (auto& [id, sub] : subs_) {
    auto& u = sub->unacked;
    if (u.empty() || tag < u.front() || tag > u.back()) continue;
    if (std::binary_search(u.begin(), u.end(), tag)) return sub.get();
  }
  return nullptr;
}

void StompSession::on_ack(const Frame& frame, bool nack) {
  const char* verb = nack ? "NACK" : "ACK";
  auto id = ack_id(frame);
  if (!id) {
    fail(err::kMissingHeader,
         version_ == "1.2"
             ? std::string("A STOMP 1.2 ") + verb +
                   " frame needs an id header (the MESSAGE's ack header); message-id is STOMP "
                   "1.0 and 1.1."
             : std::string("A STOMP ") + version_ + " " + verb +
                   " frame needs a message-id header (the MESSAGE's message-id).",
         &frame);
    return;
  }
  uint64_t tag = 0;
  if (!parse_u64(*id, &tag) || holder_of(tag) == nullptr) {
    fail(err::kAck,
         std::string(verb) + " of " + quoted(*id) +
             ": no unacknowledged message of this connection has that id (acknowledged already, "
             "from an ack:auto subscription, or never sent).",
         &frame);
    return;
  }
  bool requeue = true;
  if (auto rq = frame.header("requeue")) {
    std::optional<bool> b = parse_bool(*rq);
    if (!b) {
      fail(err::kBadHeader, "The requeue header must be true or false; got " + quoted(*rq) + ".",
           &frame);
      return;
    }
    requeue = *b;
  }
  if (auto tx = frame.header("transaction")) {
    auto it = transactions_.find(std::string(*tx));
    if (it == transactions_.end()) {
      fail(err::kTransaction, "Transaction " + quoted(*tx) + " was not begun.", &frame);
      return;
    }
    if (it->second.size() >= config_.max_transaction_frames) {
      fail(err::kLimit,
           "Transaction " + quoted(*tx) + " holds " +
               std::to_string(config_.max_transaction_frames) + " frames, the most allowed.",
           &frame);
      return;
    }
    it->second.push_back(frame);
    if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
    return;
  }
  if (!settle(frame, tag, nack, requeue)) return;
  if (auto r = frame.header("receipt")) {
    // A receipt says the ACK holds, after a crash too; the delete of a
    // persistent message would wait for a commit nobody asks for, so commit
    // now (with whatever else is pending). tools/soak saw acked messages come
    // back after a SIGKILL without this.
    Status st = broker_.flush();
    if (!st.is_ok()) {
      fail(err::kNotSaved,
           "The " + frame.command + " could not be written (" + st.message() +
               "); the message may come back after a restart.",
           &frame);
      return;
    }
    receipt_after_publishes(std::string(*r), false);
  }
}

// The delivery an ACK or NACK names: `id` in STOMP 1.2 (message-id is not
// enough: the spec requires id), message-id in 1.0 and 1.1 (or id).
std::optional<std::string_view> StompSession::ack_id(const Frame& frame) const {
  if (version_ == "1.2") return frame.header("id");
  auto id = frame.header("message-id");
  return id ? id : frame.header("id");
}

// Acks or nacks `tag` (and, in client mode, every earlier delivery of its
// subscription). False after sending an ERROR.
bool StompSession::settle(const Frame& frame, DeliveryTag tag, bool nack, bool requeue) {
  Subscription* sub = holder_of(tag);
  if (sub == nullptr) {
    fail(err::kAck,
         std::string(nack ? "NACK" : "ACK") + " of \"" + std::to_string(tag) +
             "\": the message is no longer unacknowledged (settled or returned since).",
         &frame);
    return false;
  }
  std::vector<DeliveryTag> tags;
  auto& u = sub->unacked;
  if (sub->mode == AckMode::kClient) {
    // Cumulative: this delivery and every earlier one of the subscription.
    auto end = std::upper_bound(u.begin(), u.end(), tag);
    tags.assign(u.begin(), end);
    u.erase(u.begin(), end);
  } else {
    auto at = std::lower_bound(u.begin(), u.end(), tag);
    tags.push_back(tag);
    u.erase(at);
  }
  // Settling may deliver again (a requeued message, freed credit) into
  // sub->unacked: the tags to settle were taken out first.
  for (DeliveryTag t : tags) {
    Status st = nack ? broker_.nack(sid_, t, requeue) : broker_.ack(sid_, t);
    if (!st.is_ok()) {
      fail(err::kAck, st.message() + ".", &frame);
      return false;
    }
  }
  return true;
}

void StompSession::on_begin(const Frame& frame) {
  auto tx = frame.header("transaction");
  if (!tx) {
    fail(err::kMissingHeader, "A BEGIN frame needs a transaction header.", &frame);
    return;
  }
  if (transactions_.count(std::string(*tx)) != 0) {
    fail(err::kTransaction, "Transaction " + quoted(*tx) + " is open already.", &frame);
    return;
  }
  if (transactions_.size() >= config_.max_transactions) {
    fail(err::kLimit,
         "This connection has " + std::to_string(config_.max_transactions) +
             " open transactions, the most allowed.",
         &frame);
    return;
  }
  transactions_.emplace(std::string(*tx), std::vector<Frame>{});
  if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
}

void StompSession::on_commit(const Frame& frame) {
  auto tx = frame.header("transaction");
  if (!tx) {
    fail(err::kMissingHeader, "A COMMIT frame needs a transaction header.", &frame);
    return;
  }
  auto it = transactions_.find(std::string(*tx));
  if (it == transactions_.end()) {
    fail(err::kTransaction, "Transaction " + quoted(*tx) + " was not begun.", &frame);
    return;
  }
  std::vector<Frame> frames = std::move(it->second);
  transactions_.erase(it);
  for (Frame& f : frames) {
    if (state_ != State::kConnected) return;
    if (f.command == "SEND") {
      // Parsed when it was buffered, so it parses again.
      Result<Destination> dest = parse_destination(*f.header("destination"));
      if (!publish(f, dest.value(), true)) return;
    } else {
      uint64_t tag = 0;
      (void)parse_u64(*ack_id(f), &tag);
      const bool requeue = parse_bool(f.header("requeue").value_or("true")).value_or(true);
      if (!settle(f, tag, f.command == "NACK", requeue)) return;
    }
  }
  if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
}

void StompSession::on_abort(const Frame& frame) {
  auto tx = frame.header("transaction");
  if (!tx) {
    fail(err::kMissingHeader, "An ABORT frame needs a transaction header.", &frame);
    return;
  }
  if (transactions_.erase(std::string(*tx)) == 0) {
    fail(err::kTransaction, "Transaction " + quoted(*tx) + " was not begun.", &frame);
    return;
  }
  if (auto r = frame.header("receipt")) receipt_after_publishes(std::string(*r), false);
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
  drain_receipts();
}

void StompSession::on_publish_nack(PublishSeq seq, const Status& why) {
  CallbackScope scope(in_callback_);
  std::vector<std::pair<std::string, std::string>> extra;
  for (const PendingReceipt& p : receipts_) {
    if (p.seq == seq) extra.emplace_back("receipt-id", p.id);
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
