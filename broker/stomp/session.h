// StompSession: one STOMP connection's protocol, turned into broker calls.
//
// The layers of the front door, as rabbitmq_stomp splits its frame, reader and
// processor: the frame codec (frame.h) turns bytes into frames; this session
// turns frames into calls on the broker core and the broker's answers into
// frames; the server (server.h) only moves bytes between sockets and sessions.
// The session never touches a socket: it reads what the host feeds it and
// writes through an injected Transport, so tests drive it with strings.
//
// One session per connection, in these states:
//
//   (new) ──CONNECT/STOMP──> CONNECTED ──DISCONNECT──> DISCONNECTING ──receipt──> ENDED
//     │                        │  (with a receipt: waits until every earlier   ^
//     │ no CONNECT in time,    │   SEND is confirmed)                          │
//     │ bad input,             │ bad input, refused frame, heart-beat timeout, │
//     │ server shutting down   │ server shutting down, peer gone,              │
//     └────────────────────────┴─ commit failed ───────────────────────────────┘
//
// Every way into ENDED but a clean DISCONNECT and a vanished peer sends an
// ERROR frame first (a `message` header and a readable body quoting the
// offending input). The broker session opens at CONNECT (named after the
// login, else the client-id header, else the peer's address) and ends with
// the STOMP one: closed after DISCONNECT, killed otherwise, so its unacked
// deliveries go back to their queues. Queues the session made for itself
// (topic and exchange subscriptions, temp queues) are deleted then.
//
// What the session promises:
// - A RECEIPT is sent only when every SEND before it (in this connection) is
//   confirmed by the broker: for a persistent message on a durable queue,
//   after the commit that wrote it. A SEND inside a transaction is answered
//   after its COMMIT has enqueued it (and written it, when persistent);
//   never, when the transaction is aborted. A SUBSCRIBE's RECEIPT comes
//   before the subscription's first MESSAGE.
// - MESSAGE frames carry `subscription`, `destination`, `message-id`, `ack`
//   (1.2, client modes), `redelivered`, `delivery-count` (1 on the first
//   delivery), `persistent` (when it is), `content-type`, `content-length`
//   and the headers the publisher sent.
// - An ack:auto delivery is settled once it is written to the transport: it
//   never comes back, whatever happens to the connection after. Its credit
//   is returned only when the host reports that the bytes have left
//   (on_output_drained), so at most prefetch-count (or
//   SessionConfig::auto_window) of them are in flight: a slow reader holds
//   back its own subscription instead of filling the server's memory.
//
// Thread-safety: a session belongs to the thread that owns its broker. The
// broker, the transport and the users must outlive it; destroy sessions
// before their broker.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "broker/broker.h"
#include "stomp/destination.h"
#include "stomp/frame.h"
#include "stomp/login_guard.h"
#include "stomp/users.h"

namespace wmq::stomp {

// Where a session's bytes go: a socket in the server, a string in tests.
class Transport {
 public:
  virtual ~Transport() = default;
  // Queues `bytes` for the peer after everything queued before. Never fails:
  // a broken connection is the host's to notice (it calls on_peer_closed).
  virtual void send(std::string_view bytes) = 0;
  // Nothing more will be sent: close the connection once the queued bytes
  // have left. Called once.
  virtual void close() = 0;
};

// How a session behaves; the server fills one per connection.
struct SessionConfig {
  // Frame size, header count and header length limits for the peer's input.
  Limits limits;
  // When set, CONNECT needs a matching login and passcode (and host, when
  // the users say so). Must outlive the session.
  const Users* users = nullptr;
  // When set (with users), failed logins are counted per peer address and
  // their ERROR is held back for the delay it returns. Must outlive the session.
  LoginGuard* login_guard = nullptr;
  // A connection that has not sent CONNECT after this long gets an ERROR.
  Micros connect_timeout = 10 * kSeconds;
  // Heart-beat intervals asked for below this are raised to it, both ways.
  Micros min_heart_beat = 100 * kMillis;
  // ack:auto deliveries on the wire at most per subscription, when the
  // SUBSCRIBE gives no prefetch-count.
  uint32_t auto_window = 256;
  size_t max_subscriptions = 256;
  size_t max_transactions = 64;
  // SENDs, ACKs and NACKs one transaction may hold before COMMIT.
  size_t max_transaction_frames = 10000;
  // Registers each SEND's content type with the broker, so any type is
  // accepted (a server for general clients). Off: unknown types are refused
  // by the broker, as for any other client of a broker that validates.
  bool register_content_types = true;
  // The CONNECTED frame's `server` header.
  std::string server_name = "WarungMQ";
  // The peer's address ("127.0.0.1:40312"), for names and log lines.
  std::string peer;
  // Called with one line per ERROR sent (peer, message, detail). May be empty.
  std::function<void(std::string_view line)> log;
};

class StompSession final : private SessionSink {
 public:
  StompSession(Broker& broker, Transport& transport, SessionConfig config);
  // Ends the broker session if it is still live (killed: the connection is
  // gone), deletes the session's own queues and releases the broker's record.
  ~StompSession() override;
  StompSession(const StompSession&) = delete;
  StompSession& operator=(const StompSession&) = delete;

  // Bytes from the peer, split anywhere. Handles every complete frame; after
  // an error or DISCONNECT the rest is ignored.
  void on_bytes(std::string_view bytes);
  // The peer hung up or the connection broke: the broker session is killed
  // (its unacked deliveries go back). Nothing is sent.
  void on_peer_closed();
  // Everything sent so far has left the host: ack:auto deliveries written
  // before now are settled, which may release more deliveries (and bytes).
  void on_output_drained();
  // The server is closing: sends ERROR "server shutting down" and ends the
  // connection like any ERROR (the broker session is killed, so unacked
  // deliveries go back to their queues). Not logged: the server says it once
  // for all its clients. Nothing happens to an ended session.
  void shut_down();
  // Call at next_timer() (or any time): sends a heart-beat when one is due,
  // ends a connection that has not sent CONNECT in time.
  void on_timer();
  // When on_timer() has something to do next; kNever when nothing.
  Micros next_timer() const;

  // True once the session has closed its transport: the host may destroy it.
  bool ended() const { return state_ == State::kEnded; }
  // True while a publish of this session waits for the broker's confirm
  // (a commit): the server commits without waiting when one does.
  bool awaiting_confirms() const { return confirmed_ < published_; }
  // True once the broker accepted a publish of this session: a publisher, for
  // the server's flow control.
  bool has_published() const { return has_sent_; }
  // The broker session (0 before CONNECT).
  SessionId broker_session() const { return sid_; }
  // "1.0", "1.1" or "1.2" once connected; empty before.
  std::string_view version() const { return version_; }
  // What the broker calls this client (login, client-id or peer address).
  const std::string& name() const { return name_; }

  // Test hooks: the negotiated heart-beat intervals (0 = none): the server's
  // sending interval and the interval the client promised to send at.
  Micros TEST_send_interval() const { return send_interval_; }
  Micros TEST_receive_interval() const { return receive_interval_; }

 private:
  enum class State { kNew, kConnected, kDisconnecting, kEnded };
  enum class AckMode : uint8_t { kAuto, kClient, kClientIndividual };

  struct Subscription {
    std::string id;
    std::string destination;  // as the client wrote it
    Destination dest;
    AckMode mode = AckMode::kAuto;
    std::string queue;
    bool own_queue = false;  // made for this subscription: deleted when it ends
    bool durable = false;    // a named topic/exchange queue that outlives it
    ConsumerId consumer = 0;
    std::deque<DeliveryTag> unacked;   // client modes: on the wire, unsettled, ascending
    std::vector<DeliveryTag> written;  // ack:auto: on the wire, settled when drained
    uint64_t serial = 0;               // tells a subscription from a later one of the same id
    // Until its SUBSCRIBE's RECEIPT is sent, a subscription's MESSAGEs wait
    // here (the receipt may wait for earlier SENDs' commit): nothing of it is
    // on the wire yet, so nothing of it is settled.
    bool held = false;
    std::string held_bytes;
    bool ending = false;  // being cancelled: deliveries now are not written
  };

  // A receipt waiting for the broker to confirm publish `seq`.
  struct PendingReceipt {
    PublishSeq seq;
    std::string id;
    bool disconnect;           // the DISCONNECT's: the connection ends once it is sent
    uint64_t release_sub = 0;  // a SUBSCRIBE's: the subscription's held MESSAGEs follow it
  };

  // ---- frames from the client ----------------------------------------------
  void on_frame(Frame& frame);
  // False (and ERROR "access refused" sent) when the users file does not
  // let this login `access` `destination`.
  bool permitted(const Frame& frame, Access access, std::string_view destination);
  void on_connect(const Frame& frame);
  void on_send(Frame& frame);
  void on_subscribe(const Frame& frame);
  void on_unsubscribe(const Frame& frame);
  void on_ack(const Frame& frame, bool nack);
  void on_begin(const Frame& frame);
  void on_commit(const Frame& frame);
  void on_abort(const Frame& frame);
  void on_disconnect(const Frame& frame);

  // ---- broker to client (SessionSink) ----------------------------------------
  void on_delivery(const Delivery& delivery) override;
  void on_confirm(PublishSeq seq) override;
  void on_publish_nack(PublishSeq seq, const Status& why) override;
  void on_state(SessionState state) override;
  void on_cancel(ConsumerId consumer) override;

  // ---- helpers ----------------------------------------------------------------
  bool publish(Frame& frame, const Destination& dest, bool with_receipt);
  bool settle(const Frame& frame, DeliveryTag tag, bool nack, bool requeue);
  // The frames open transaction `tx` holds, with room for one more (a SEND,
  // ACK or NACK inside it); nullptr after an ERROR: never begun, or full.
  std::vector<Frame>* transaction_room(const Frame& frame, std::string_view tx);
  Subscription* holder_of(DeliveryTag tag);
  std::optional<std::string_view> ack_id(const Frame& frame) const;
  bool ensure_queue(const Frame& frame, const std::string& name);
  bool ensure_exchange(const Frame& frame, const std::string& name);
  std::optional<std::string> temp_queue(const Frame& frame, std::string_view name);
  bool start_consumer(const Frame& frame, Subscription* sub, uint32_t prefetch);
  void end_subscription(Subscription& sub, bool delete_durable);
  void settle_written(Subscription& sub);
  void release_held(uint64_t serial);
  void receipt_after_publishes(std::string id, bool disconnect, uint64_t release_sub = 0);
  void drain_receipts();
  void send_receipt(std::string_view id);
  void write_message(Subscription& sub, const Delivery& delivery);
  void append_header(std::string_view name, std::string_view value);
  void emit(const Frame& frame);
  void emit_raw(std::string_view bytes);
  // Sends ERROR (message header `message`, body `detail` plus the offending
  // frame, if any), logs it and ends the connection.
  void fail(std::string_view message, std::string_view detail, const Frame* frame,
            const std::vector<std::pair<std::string, std::string>>& extra = {});
  // The ERROR frame of fail(), only sent.
  void send_error(std::string_view message, std::string_view detail, const Frame* frame,
                  const std::vector<std::pair<std::string, std::string>>& extra);
  void finish_disconnect();
  void end(bool clean, std::string_view reason);
  void end_broker_session();

  Broker& broker_;
  Transport& transport_;
  SessionConfig config_;
  FrameParser parser_;
  State state_ = State::kNew;
  std::string version_;  // negotiated: "1.0" | "1.1" | "1.2"
  std::string name_;
  SessionId sid_ = 0;
  Micros created_at_;
  Micros last_sent_ = 0;         // when bytes were last queued for the peer
  Micros send_interval_ = 0;     // server heart-beats: every this long; 0 = none
  Micros receive_interval_ = 0;  // the client promised to send this often; 0 = not at all

  std::map<std::string, std::unique_ptr<Subscription>> subs_;  // by subscription id
  std::unordered_map<ConsumerId, Subscription*> by_consumer_;
  Subscription* subscribing_ = nullptr;  // during subscribe(): early deliveries land here
  uint64_t next_queue_number_ = 1;       // for names of queues made per subscription
  uint64_t next_serial_ = 1;             // Subscription::serial
  std::map<std::string, std::string> temp_queues_;  // /temp-queue/NAME -> queue

  std::map<std::string, std::vector<Frame>> transactions_;  // id -> buffered frames

  // Seq of the last publish the broker accepted, or of the last Broker::sync
  // (a receipted ACK or NACK waits for the commit of its delete with one).
  PublishSeq published_ = 0;
  bool has_sent_ = false;         // a SEND was published (the flow-control alarms pause it)
  std::deque<PublishSeq> syncs_;  // seqs of Broker::sync not yet confirmed, in order
  PublishSeq confirmed_ = 0;      // highest seq the broker confirmed
  std::deque<PendingReceipt> receipts_;

  int in_callback_ = 0;                // broker -> sink calls on the stack
  bool cleanup_pending_ = false;       // ended during a callback: finish at the next entry
  bool cleaned_up_ = false;            // broker session ended, own queues deleted
  bool broker_end_clean_ = false;      // end the broker session with close_session (else kill)
  std::string broker_end_reason_;      // ... and this reason
  bool broker_session_ended_ = false;  // close/kill done (or the broker did it)
  std::string owner_;                  // client-id or login: part of durable queue names
  std::string login_;                  // the users file's login, once it let the client in
  // A refused login whose ERROR waits for the LoginGuard's delay: sent by
  // on_timer() at refuse_at_; input is ignored meanwhile.
  Micros refuse_at_ = kNever;
  std::string refuse_detail_;
  Frame refuse_frame_;
  std::string scratch_;  // a MESSAGE's destination, when it is built
  std::string out_;      // scratch for one outgoing frame
};

}  // namespace wmq::stomp
