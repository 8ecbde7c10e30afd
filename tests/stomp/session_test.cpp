// The STOMP session without sockets: frames in through on_bytes, frames out
// through a Wire, the broker on a ManualClock.
#include <doctest.h>

#include <string>
#include <vector>

#include "broker/broker.h"
#include "stomp/session.h"
#include "stomp/users.h"
#include "stomp_test_util.h"

using namespace wmq;
using namespace wmq::stomp;
using namespace wmq::stomp::test;
using namespace std::literals;

namespace {

struct World {
  ManualClock clock{1'000'000};
  Broker broker{clock};
};

QueueSnapshot queue_of(const Broker& b, const std::string& name) {
  for (QueueSnapshot& q : b.snapshot().queues) {
    if (q.name == name) return q;
  }
  return QueueSnapshot{};
}

Frame send_frame(std::string dest, std::string body, Headers extra = {}) {
  Headers h = {{"destination", std::move(dest)}};
  for (auto& e : extra)
    h.push_back(e);
  return make("SEND", std::move(h), std::move(body));
}

Frame subscribe_frame(std::string id, std::string dest, std::string ack = "auto",
                      Headers extra = {}) {
  Headers h = {{"id", std::move(id)}, {"destination", std::move(dest)}, {"ack", std::move(ack)}};
  for (auto& e : extra)
    h.push_back(e);
  return make("SUBSCRIBE", std::move(h));
}

std::vector<std::string> bodies(const std::vector<Frame>& frames) {
  std::vector<std::string> out;
  for (const Frame& f : frames)
    out.push_back(f.command == "MESSAGE" ? f.body : f.command);
  return out;
}

// The ERROR's message header, and that the connection closed after it.
std::string error_of(Peer& p) {
  Frame e = p.one();
  CHECK(e.command == "ERROR");
  CHECK(p.wire.closed);
  CHECK(p.session->ended());
  return header(e, "message");
}

}  // namespace

// ============================================================== connecting

TEST_CASE("CONNECT with accept-version 1.2 is answered CONNECTED 1.2 without heart-beats") {
  World w;
  Peer p(w.broker);
  Frame c = p.connect();
  CHECK(c.command == "CONNECTED");
  CHECK(header(c, "version") == "1.2");
  CHECK(header(c, "heart-beat") == "0,0");
  CHECK(header(c, "session") == std::to_string(p.session->broker_session()));
  CHECK(header(c, "server") == "WarungMQ");
  CHECK(w.broker.session_state(p.session->broker_session()).value() == SessionState::kActive);
}

TEST_CASE("a CONNECT without accept-version is spoken to as STOMP 1.0") {
  World w;
  Peer p(w.broker);
  p.send(make("CONNECT", {{"login", "kasir"}}));
  Frame c = p.one();
  CHECK(c.command == "CONNECTED");
  CHECK(header(c, "version") == "1.0");
  CHECK(p.session->version() == "1.0");
}

TEST_CASE("version negotiation picks the highest version both sides speak") {
  World w;
  Peer p(w.broker);
  p.send(make("STOMP", {{"accept-version", "1.0, 1.1,2.0"}}));
  CHECK(header(p.one(), "version") == "1.1");
}

TEST_CASE("a client that speaks no version of ours gets ERROR listing ours") {
  World w;
  Peer p(w.broker);
  p.send(make("CONNECT", {{"accept-version", "2.0,3.1"}}));
  Frame e = p.one();
  CHECK(e.command == "ERROR");
  CHECK(header(e, "message") == "unsupported protocol version");
  CHECK(header(e, "version") == "1.0,1.1,1.2");
  CHECK(e.body.find("The client accepts versions \"2.0,3.1\"; this server speaks STOMP 1.0, 1.1 "
                    "and 1.2.") == 0);
  CHECK(p.wire.closed);
}

TEST_CASE("a frame before CONNECT gets ERROR quoting it, then the connection closes") {
  World w;
  Peer p(w.broker);
  p.send(send_frame("/queue/a", "hi", {{"receipt", "r1"}}));
  Frame e = p.one();
  CHECK(header(e, "message") == "not connected");
  CHECK(header(e, "receipt-id") == "r1");
  CHECK(header(e, "content-type") == "text/plain");
  CHECK(e.body ==
        "The first frame must be CONNECT (or STOMP); got SEND before connecting.\n\n"
        "The offending frame:\nSEND\ndestination:/queue/a\nreceipt:r1\ncontent-length:2\n\n"
        "(body of 2 bytes: hi)\n");
  CHECK(p.wire.closed);
  CHECK(p.session->broker_session() == 0);
}

TEST_CASE("a second CONNECT is an error") {
  World w;
  Peer p(w.broker);
  p.connect();
  p.send(make("CONNECT", {{"accept-version", "1.2"}}));
  CHECK(error_of(p) == "already connected");
  CHECK(w.broker.session_state(p.session->broker_session()).value() == SessionState::kDead);
}

TEST_CASE("a connection that sends no CONNECT in time gets ERROR") {
  World w;
  SessionConfig c;
  c.connect_timeout = 3 * kSeconds;
  Peer p(w.broker, c);
  CHECK(p.session->next_timer() == w.clock.now() + 3 * kSeconds);
  w.clock.advance(3 * kSeconds - 1);
  p.session->on_timer();
  CHECK(p.frames().empty());
  w.clock.advance(1);
  p.session->on_timer();
  Frame e = p.one();
  CHECK(header(e, "message") == "no CONNECT frame");
  CHECK(e.body == "No CONNECT or STOMP frame came within 3000 ms of opening the connection.\n");
  CHECK(p.wire.closed);
}

TEST_CASE("the broker session is named after the login, else the client-id, else the peer") {
  World w;
  Peer a(w.broker), b(w.broker), c(w.broker);
  a.connect({{"login", "koki-1"}, {"client-id", "x"}});
  b.connect({{"client-id", "cook-7"}});
  c.connect();
  CHECK(a.session->name() == "koki-1");
  CHECK(b.session->name() == "cook-7");
  CHECK(c.session->name() == "stomp test:1");
  std::vector<std::string> names;
  for (const SessionSnapshot& s : w.broker.snapshot().sessions)
    names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"koki-1", "cook-7", "stomp test:1"});
}

// =================================================================== users

TEST_CASE("with a users file CONNECT needs a matching login and passcode") {
  World w;
  auto users = Users::parse("user kasir rahasia\nhost warung\n", "users.txt");
  REQUIRE(users.is_ok());
  SessionConfig c;
  c.users = &users.value();
  SUBCASE("right") {
    Peer p(w.broker, c);
    CHECK(p.connect({{"login", "kasir"}, {"passcode", "rahasia"}}).command == "CONNECTED");
  }
  SUBCASE("wrong passcode: refused, and the passcode is not echoed") {
    Peer p(w.broker, c);
    p.send(make("CONNECT", {{"accept-version", "1.2"},
                            {"host", "warung"},
                            {"login", "kasir"},
                            {"passcode", "tebak"}}));
    Frame e = p.one();
    CHECK(header(e, "message") == "login failed");
    CHECK(e.body.find("carried a login and passcode that do not match") != std::string::npos);
    CHECK(e.body.find("passcode:********") != std::string::npos);
    CHECK(e.body.find("tebak") == std::string::npos);
    CHECK(p.wire.closed);
  }
  SUBCASE("no login") {
    Peer p(w.broker, c);
    p.send(make("CONNECT", {{"accept-version", "1.2"}}));
    CHECK(error_of(p) == "login failed");
  }
  SUBCASE("a host the file does not name") {
    Peer p(w.broker, c);
    p.send(make(
        "CONNECT",
        {{"accept-version", "1.2"}, {"host", "/"}, {"login", "kasir"}, {"passcode", "rahasia"}}));
    Frame e = p.one();
    CHECK(header(e, "message") == "unknown virtual host");
    CHECK(e.body.find("Virtual host \"/\" is not accepted here; the users file allows hosts: "
                      "warung.") == 0);
  }
}

TEST_CASE("users files: the format and its errors") {
  auto ok = Users::parse("# staff\n\nuser a 1\r\nuser  b\t2   # the cook\n", "u");
  REQUIRE(ok.is_ok());
  CHECK(ok->user_count() == 2);
  CHECK(ok->check("a", "1"));
  CHECK(ok->check("b", "2"));
  CHECK_FALSE(ok->check("a", "2"));
  CHECK_FALSE(ok->check("c", "1"));
  CHECK_FALSE(ok->check("a", "11"));
  CHECK(ok->host_allowed(std::nullopt));
  CHECK(Users::parse("user a\n", "u").status().message() ==
        "u:1: a user line is \"user LOGIN PASSCODE\", got 1 word(s) after \"user\"");
  CHECK(Users::parse("user a 1\nuser a 2\n", "u").status().message() ==
        "u:2: login \"a\" is given twice");
  CHECK(Users::parse("admin a 1\n", "u").status().message() ==
        "u:1: unknown keyword \"admin\" (expected \"user\", \"allow\" or \"host\")");
  CHECK(Users::parse("host h\n", "u").status().message() ==
        "u: no user line; nobody could connect");
  CHECK(Users::load("/nonexistent/users").status().code() == Code::kIoError);
}

// ============================================================== heart-beats

TEST_CASE("heart-beats are negotiated from the client's cx,cy and the server's floor") {
  World w;
  SessionConfig c;
  c.min_heart_beat = 100 * kMillis;
  Peer a(w.broker, c), b(w.broker, c), d(w.broker, c);
  CHECK(header(a.connect({{"heart-beat", "500,1000"}}), "heart-beat") == "1000,500");
  CHECK(a.session->TEST_send_interval() == 1000 * kMillis);
  CHECK(a.session->TEST_receive_interval() == 500 * kMillis);
  CHECK(header(b.connect({{"heart-beat", "10,0"}}), "heart-beat") == "0,100");
  CHECK(header(d.connect({{"heart-beat", "0,0"}}), "heart-beat") == "0,0");
}

TEST_CASE("a bad heart-beat header is an error") {
  World w;
  Peer p(w.broker);
  p.send(make("CONNECT", {{"accept-version", "1.2"}, {"heart-beat", "fast"}}));
  Frame e = p.one();
  CHECK(header(e, "message") == "bad header");
  CHECK(e.body.find("The heart-beat header must be two whole numbers of milliseconds, \"cx,cy\"; "
                    "got \"fast\".") == 0);
}

TEST_CASE("the server sends a heart-beat when it has sent nothing for its interval") {
  World w;
  Peer p(w.broker);
  p.connect({{"heart-beat", "0,200"}});
  CHECK(p.session->next_timer() == w.clock.now() + 200 * kMillis);
  w.clock.advance(199 * kMillis);
  p.session->on_timer();
  CHECK(p.frames().empty());
  CHECK(p.heart_beats == 0);
  w.clock.advance(1 * kMillis);
  p.session->on_timer();
  CHECK(p.frames().empty());
  CHECK(p.heart_beats == 1);
  CHECK(p.session->next_timer() == w.clock.now() + 200 * kMillis);
}

TEST_CASE("a silent client is suspected, then dead: ERROR, and its unacked messages come back") {
  World w;
  Peer cook(w.broker), other(w.broker), cashier(w.broker);
  cook.connect({{"heart-beat", "1000,0"}});
  other.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/grill", "client"));
  cashier.send(send_frame("/queue/grill", "sate"));
  CHECK(bodies(cook.frames()) == std::vector<std::string>{"sate"});
  const SessionId sid = cook.session->broker_session();

  w.clock.advance(1000 * kMillis);
  cook.send_raw("\n");  // a heart-beat: still alive
  w.clock.advance(1499 * kMillis);
  w.broker.tick();
  CHECK(w.broker.session_state(sid).value() == SessionState::kActive);
  w.clock.advance(1 * kMillis);
  w.broker.tick();
  CHECK(w.broker.session_state(sid).value() == SessionState::kSuspected);
  w.clock.advance(1500 * kMillis);
  w.broker.tick();
  CHECK(w.broker.session_state(sid).value() == SessionState::kDead);
  Frame e = cook.one();
  CHECK(header(e, "message") == "heart-beat timeout");
  CHECK(e.body ==
        "Nothing came from the client for 3000 ms, three times the heart-beat interval it promised "
        "(1000 ms); its unacknowledged messages went back to their queues.\n");
  CHECK(cook.wire.closed);

  other.send(subscribe_frame("1", "/queue/grill", "client"));
  Frame m = other.one();
  CHECK(m.body == "sate");
  CHECK(header(m, "redelivered") == "true");
  CHECK(header(m, "delivery-count") == "2");
}

TEST_CASE("any bytes from a suspected client make it active again") {
  World w;
  Peer p(w.broker);
  p.connect({{"heart-beat", "1000,0"}});
  const SessionId sid = p.session->broker_session();
  w.clock.advance(1600 * kMillis);
  w.broker.tick();
  REQUIRE(w.broker.session_state(sid).value() == SessionState::kSuspected);
  p.send_raw("\r\n");
  CHECK(w.broker.session_state(sid).value() == SessionState::kActive);
}

// ================================================================ sending

TEST_CASE("SEND to /queue/NAME declares a durable queue and MESSAGE carries every header") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cashier.send(
      send_frame("/queue/grill", "nasi goreng",
                 {{"content-type", "text/plain"}, {"table", "4"}, {"persistent", "true"}}));
  CHECK(cashier.frames().empty());
  QueueSnapshot q = queue_of(w.broker, "grill");
  CHECK(q.options.durable);
  CHECK(q.ready == 1);
  cook.send(subscribe_frame("sub-1", "/queue/grill", "client"));
  const std::string wire = cook.wire.bytes.substr(cook.read_upto);
  CHECK(wire ==
        "MESSAGE\nsubscription:sub-1\ndestination:/queue/grill\nmessage-id:1\nack:1\n"
        "redelivered:false\ndelivery-count:1\npersistent:true\ncontent-type:text/plain\n"
        "content-length:11\ntable:4\n\nnasi goreng\0"s);
}

TEST_CASE("SEND without a destination gets ERROR with the receipt-id") {
  World w;
  Peer p(w.broker);
  p.connect();
  p.send(make("SEND", {{"receipt", "77"}}, "x"));
  Frame e = p.one();
  CHECK(header(e, "message") == "missing header");
  CHECK(header(e, "receipt-id") == "77");
  CHECK(e.body.find("A SEND frame needs a destination header, e.g. destination:/queue/orders.") ==
        0);
  CHECK(p.wire.closed);
}

TEST_CASE("destinations of an unknown kind, empty names and /temp-queue/ sends are refused") {
  World w;
  auto refused = [&](std::string dest) {
    Peer p(w.broker);
    p.connect();
    p.send(send_frame(dest, "x"));
    Frame e = p.one();
    CHECK(p.wire.closed);
    return header(e, "message") + ": " + e.body.substr(0, e.body.find('\n'));
  };
  CHECK(refused("orders") ==
        "bad destination: destination \"orders\": unknown kind; use /queue/NAME, /topic/KEY, "
        "/exchange/NAME/KEY, /amq/queue/NAME or /reply-queue/NAME.");
  CHECK(refused("/queue/") ==
        "bad destination: destination \"/queue/\": nothing after \"/queue/\".");
  CHECK(refused("/exchange/") ==
        "bad destination: destination \"/exchange/\": no exchange name after \"/exchange/\".");
  CHECK(refused("/temp-queue/x")
            .find("bad destination: A /temp-queue/ destination belongs in a "
                  "reply-to header") == 0);
  CHECK(refused("/exchange/nope/k") == "not found: Exchange \"nope\" does not exist.");
}

TEST_CASE("parse_destination reads RabbitMQ's destination kinds") {
  CHECK(parse_destination("/queue/a/b").value() == Destination{DestinationKind::kQueue, "a/b", ""});
  CHECK(parse_destination("/amq/queue/q").value() ==
        Destination{DestinationKind::kAmqQueue, "q", ""});
  CHECK(parse_destination("/topic/grill.*").value() ==
        Destination{DestinationKind::kTopic, "grill.*", ""});
  CHECK(parse_destination("/exchange/orders/grill/hot").value() ==
        Destination{DestinationKind::kExchange, "orders", "grill/hot"});
  CHECK(parse_destination("/exchange/orders").value() ==
        Destination{DestinationKind::kExchange, "orders", ""});
  CHECK(parse_destination("/temp-queue/r").value() ==
        Destination{DestinationKind::kTempQueue, "r", ""});
  CHECK(parse_destination("/reply-queue/q1").value() ==
        Destination{DestinationKind::kReplyQueue, "q1", ""});
}

TEST_CASE("a body with NUL bytes travels whole with content-length") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/bin"));
  const std::string body = "a\0b\0\0c"s;
  cashier.send(send_frame("/queue/bin", body));
  Frame m = cook.one();
  CHECK(m.body == body);
  CHECK(header(m, "content-length") == "6");
}

TEST_CASE("escaped header values arrive decoded and leave escaped again") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q"));
  cashier.send_raw("SEND\ndestination:/queue/q\nnote:a\\cb\\nc\\\\d\\re\n\nx\0"s);
  Frame m = cook.one();
  CHECK(header(m, "note") == "a:b\nc\\d\re");
  CHECK(cook.wire.bytes.find("note:a\\cb\\nc\\\\d\\re\n") != std::string::npos);
}

TEST_CASE("a STOMP 1.0 session gets MESSAGE headers unescaped") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.send(make("CONNECT", {}));
  cook.frames();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q"));
  cashier.send(send_frame("/queue/q", "x", {{"time", "12:03"}, {"note", "two\nlines"}}));
  CHECK(cook.wire.bytes.find("time:12:03\nnote:two lines\n") != std::string::npos);
}

TEST_CASE("a SEND to a topic with no subscriber is dropped, with a receipt") {
  World w;
  Peer p(w.broker);
  p.connect();
  p.send(send_frame("/topic/nobody", "x", {{"receipt", "r"}}));
  Frame r = p.one();
  CHECK(r.command == "RECEIPT");
  CHECK(header(r, "receipt-id") == "r");
  CHECK_FALSE(p.wire.closed);
}

TEST_CASE("an unknown content type is refused when the session may not register it") {
  World w;
  SessionConfig c;
  c.register_content_types = false;
  Peer p(w.broker, c);
  p.connect();
  p.send(send_frame("/queue/q", "x", {{"content-type", "text/plain"}}));
  Frame e = p.one();
  CHECK(header(e, "message") == "message refused");
  CHECK(e.body.find("message 1 rejected: unknown content type \"text/plain\".") == 0);
}

TEST_CASE("a content type over 255 bytes is refused before it reaches the broker") {
  World w;
  Peer p(w.broker);
  p.connect();
  p.send(send_frame("/queue/q", "x", {{"content-type", std::string(256, 't')}}));
  Frame e = p.one();
  CHECK(header(e, "message") == "bad header");
  CHECK(e.body.find("The content-type header is over 255 bytes.") == 0);
}

TEST_CASE("a full queue refuses a SEND with an ERROR naming the queue") {
  World w;
  Peer p(w.broker);
  p.connect();
  p.send(send_frame("/queue/small", "1", {{"x-max-length", "1"}}));
  p.send(send_frame("/queue/small", "2"));
  Frame e = p.one();
  CHECK(header(e, "message") == "message refused");
  CHECK(e.body.find("message 2 rejected: queue \"small\" is full (max-length 1, overflow "
                    "reject-publish).") == 0);
}

TEST_CASE("queue headers that conflict with an existing queue are an error; none use it as it is") {
  World w;
  REQUIRE(w.broker.declare_queue("wok", QueueOptions{}).is_ok());  // transient
  Peer a(w.broker), b(w.broker);
  a.connect();
  b.connect();
  a.send(send_frame("/queue/wok", "x"));
  CHECK(a.frames().empty());
  CHECK(queue_of(w.broker, "wok").ready == 1);
  b.send(send_frame("/queue/wok", "x", {{"x-max-length", "5"}}));
  Frame e = b.one();
  CHECK(header(e, "message") == "queue settings conflict");
  CHECK(e.body.find("queue \"wok\": already declared with other settings; leave out the queue "
                    "headers to use it as it is.") == 0);
}

TEST_CASE("the first of repeated queue headers is the one that counts") {
  World w;
  Peer p(w.broker);
  p.connect();
  p.send(send_frame("/queue/q", "x", {{"durable", "false"}, {"durable", "true"}}));
  CHECK(w.broker.has_queue("q"));
  CHECK_FALSE(queue_of(w.broker, "q").options.durable);
}

TEST_CASE("a bad queue header value is named in the ERROR") {
  World w;
  Peer p(w.broker);
  p.connect();
  p.send(send_frame("/queue/q", "x", {{"x-message-ttl", "soon"}}));
  Frame e = p.one();
  CHECK(header(e, "message") == "bad header");
  CHECK(e.body.find("Header x-message-ttl has a value this server cannot use: \"soon\".") == 0);
}

TEST_CASE("the expiration header gives a message its time to live") {
  World w;
  Peer p(w.broker);
  p.connect();
  p.send(send_frame("/queue/q", "x", {{"expiration", "500"}}));
  CHECK(queue_of(w.broker, "q").ready == 1);
  w.clock.advance(500 * kMillis);
  w.broker.tick();
  CHECK(queue_of(w.broker, "q").ready == 0);
  CHECK(queue_of(w.broker, "q").counters.expired == 1);
}

// ================================================================ receipts

TEST_CASE("a SEND to a transient destination is receipted at once") {
  World w;
  Peer p(w.broker);
  p.connect();
  p.send(send_frame("/queue/q", "x", {{"receipt", "a"}, {"durable", "false"}}));
  CHECK(header(p.one(), "receipt-id") == "a");
}

TEST_CASE("a persistent SEND to a durable queue is receipted only after its commit") {
  TempDir dir;
  World w;
  auto store = Store::open(dir.file());
  REQUIRE(store.is_ok());
  REQUIRE(w.broker.attach_store(std::move(store).value()).is_ok());
  Peer p(w.broker);
  p.connect();
  p.send(send_frame("/queue/q", "1", {{"receipt", "r1"}, {"persistent", "true"}}));
  p.send(send_frame("/queue/q", "2", {{"persistent", "true"}}));
  p.send(make("SUBSCRIBE", {{"id", "s"}, {"destination", "/queue/other"}, {"receipt", "r2"}}));
  CHECK(p.frames().empty());
  REQUIRE(w.broker.flush().is_ok());
  std::vector<Frame> f = p.frames();
  REQUIRE(f.size() == 2);
  CHECK(header(f[0], "receipt-id") == "r1");
  CHECK(header(f[1], "receipt-id") == "r2");
}

TEST_CASE("a failed commit is an ERROR naming the receipt, and nothing is receipted") {
  TempDir dir;
  World w;
  {
    auto probe = Store::open(dir.file());
    REQUIRE(probe.is_ok());
  }
  StoreOptions so;
  so.TEST_max_page_count = 12;
  auto store = Store::open(dir.file(), so);
  REQUIRE(store.is_ok());
  REQUIRE(w.broker.attach_store(std::move(store).value()).is_ok());
  QueueOptions durable;
  durable.durable = true;
  REQUIRE(w.broker.declare_queue("q", durable).is_ok());
  REQUIRE(w.broker.flush().is_ok());
  Peer p(w.broker);
  p.connect();
  for (int i = 0; i < 60; ++i) {
    std::string receipt = "r";  // appended: g++ 12 -O2 warns (wrongly) on "r" + string
    receipt += std::to_string(i);
    p.send(send_frame("/queue/q", std::string(2000, 'x'),
                      {{"receipt", receipt}, {"persistent", "true"}}));
  }
  CHECK(p.frames().empty());
  CHECK(w.broker.flush().code() == Code::kIoError);
  Frame e = p.one();
  CHECK(header(e, "message") == "message not saved");
  CHECK(header(e, "receipt-id") == "r0");
  CHECK(e.body.find("The server accepted a message (publish 1 of this connection) but could not "
                    "save it: ") == 0);
  CHECK(p.wire.closed);
}

// ============================================================ subscribing

TEST_CASE("ack:auto deliveries stay in flight until the output drains, prefetch-count at most") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  for (int i = 1; i <= 5; ++i)
    cashier.send(send_frame("/queue/q", std::to_string(i)));
  cook.send(subscribe_frame("1", "/queue/q", "auto", {{"prefetch-count", "2"}}));
  std::vector<Frame> f = cook.frames();
  CHECK(bodies(f) == std::vector<std::string>{"1", "2"});
  CHECK(header(f[0], "ack") == "(none)");
  CHECK(queue_of(w.broker, "q").unacked == 2);
  cook.session->on_output_drained();
  CHECK(bodies(cook.frames()) == std::vector<std::string>{"3", "4"});
  CHECK(queue_of(w.broker, "q").counters.acked == 2);
  cook.session->on_output_drained();
  cook.session->on_output_drained();
  CHECK(bodies(cook.frames()) == std::vector<std::string>{"5"});
  CHECK(queue_of(w.broker, "q").counters.acked == 5);
  CHECK(queue_of(w.broker, "q").unacked == 0);
}

TEST_CASE("ack:auto without prefetch-count keeps at most auto_window in flight") {
  World w;
  SessionConfig c;
  c.auto_window = 3;
  Peer cook(w.broker, c), cashier(w.broker);
  cook.connect();
  cashier.connect();
  for (int i = 0; i < 10; ++i)
    cashier.send(send_frame("/queue/q", "m"));
  cook.send(subscribe_frame("1", "/queue/q"));
  CHECK(cook.frames().size() == 3);
}

TEST_CASE("ack:client is cumulative: an ACK settles that message and every earlier one") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q", "client"));
  for (int i = 1; i <= 4; ++i)
    cashier.send(send_frame("/queue/q", std::to_string(i)));
  std::vector<Frame> f = cook.frames();
  REQUIRE(f.size() == 4);
  cook.send(make("ACK", {{"id", header(f[2], "ack")}, {"receipt", "done"}}));
  CHECK(header(cook.one(), "receipt-id") == "done");
  CHECK(queue_of(w.broker, "q").counters.acked == 3);
  CHECK(queue_of(w.broker, "q").unacked == 1);
  // Settled ones cannot be settled again.
  cook.send(make("ACK", {{"id", header(f[0], "ack")}}));
  Frame e = cook.one();
  CHECK(header(e, "message") == "bad acknowledgement");
  CHECK(e.body.find("ACK of \"1\": no unacknowledged message of this connection has that id") == 0);
}

TEST_CASE("ack:client-individual settles only the message named") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q", "client-individual"));
  for (int i = 1; i <= 3; ++i)
    cashier.send(send_frame("/queue/q", std::to_string(i)));
  std::vector<Frame> f = cook.frames();
  REQUIRE(f.size() == 3);
  cook.send(make("ACK", {{"id", header(f[1], "ack")}}));
  CHECK(queue_of(w.broker, "q").counters.acked == 1);
  CHECK(queue_of(w.broker, "q").unacked == 2);
  cook.send(make("ACK", {{"id", header(f[0], "ack")}}));
  cook.send(make("ACK", {{"id", header(f[2], "ack")}}));
  CHECK(queue_of(w.broker, "q").counters.acked == 3);
  CHECK(cook.frames().empty());
}

TEST_CASE("prefetch-count bounds the unacked deliveries of a client subscription") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q", "client-individual", {{"prefetch-count", "2"}}));
  for (int i = 1; i <= 5; ++i)
    cashier.send(send_frame("/queue/q", std::to_string(i)));
  std::vector<Frame> f = cook.frames();
  CHECK(bodies(f) == std::vector<std::string>{"1", "2"});
  cook.send(make("ACK", {{"id", header(f[0], "ack")}}));
  CHECK(bodies(cook.frames()) == std::vector<std::string>{"3"});
}

TEST_CASE("a bad ack mode or prefetch-count is an error") {
  World w;
  Peer a(w.broker), b(w.broker);
  a.connect();
  b.connect();
  a.send(subscribe_frame("1", "/queue/q", "sometimes"));
  Frame e = a.one();
  CHECK(header(e, "message") == "bad header");
  CHECK(e.body.find("The ack header must be auto, client or client-individual; got "
                    "\"sometimes\".") == 0);
  b.send(subscribe_frame("1", "/queue/q", "client", {{"prefetch-count", "-1"}}));
  CHECK(b.one().body.find("The prefetch-count header must be a whole number (0 = no limit); got "
                          "\"-1\".") == 0);
}

TEST_CASE("SUBSCRIBE needs an id (1.1 and 1.2) and a fresh one") {
  World w;
  Peer a(w.broker), b(w.broker), c(w.broker);
  a.connect();
  a.send(make("SUBSCRIBE", {{"destination", "/queue/q"}}));
  CHECK(a.one().body.find("A SUBSCRIBE frame needs an id header (STOMP 1.2).") == 0);
  b.connect();
  b.send(subscribe_frame("x", "/queue/q"));
  b.send(subscribe_frame("x", "/queue/r"));
  CHECK(b.one().body.find("Subscription id \"x\" is in use already.") == 0);
  // STOMP 1.0: the destination stands in for the id.
  c.send(make("CONNECT", {}));
  c.frames();
  c.send(make("SUBSCRIBE", {{"destination", "/queue/q"}, {"receipt", "ok"}}));
  CHECK(header(c.one(), "receipt-id") == "ok");
  c.send(make("UNSUBSCRIBE", {{"destination", "/queue/q"}, {"receipt", "gone"}}));
  CHECK(header(c.one(), "receipt-id") == "gone");
}

TEST_CASE("NACK requeues by default: the message comes back redelivered, count 2") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q", "client-individual", {{"prefetch-count", "1"}}));
  cashier.send(send_frame("/queue/q", "rendang"));
  Frame m = cook.one();
  CHECK(header(m, "redelivered") == "false");
  cook.send(make("NACK", {{"id", header(m, "ack")}}));
  Frame again = cook.one();
  CHECK(again.body == "rendang");
  CHECK(header(again, "redelivered") == "true");
  CHECK(header(again, "delivery-count") == "2");
  CHECK(header(again, "ack") != header(m, "ack"));
}

TEST_CASE("NACK with requeue:false dead-letters the message") {
  World w;
  Peer cook(w.broker), cashier(w.broker), dlq(w.broker);
  cook.connect();
  cashier.connect();
  dlq.connect();
  dlq.send(subscribe_frame("d", "/exchange/amq.direct/dead", "auto", {{"x-queue-name", "dead"}}));
  cook.send(subscribe_frame(
      "1", "/queue/q", "client",
      {{"x-dead-letter-exchange", "amq.direct"}, {"x-dead-letter-routing-key", "dead"}}));
  cashier.send(send_frame("/queue/q", "gosong"));
  Frame m = cook.one();
  cook.send(make("NACK", {{"id", header(m, "ack")}, {"requeue", "false"}}));
  Frame d = dlq.one();
  CHECK(d.body == "gosong");
  CHECK(header(d, "destination") == "/exchange/amq.direct/dead");
  CHECK(header(d, "x-death-reason") == "rejected");
  CHECK(header(d, "x-death-queue") == "q");
  CHECK(queue_of(w.broker, "q").counters.dead_lettered == 1);
}

TEST_CASE("NACK in client mode is cumulative, as in RabbitMQ") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q", "client"));
  for (int i = 1; i <= 3; ++i)
    cashier.send(send_frame("/queue/q", std::to_string(i)));
  std::vector<Frame> f = cook.frames();
  REQUIRE(f.size() == 3);
  cook.send(make("NACK", {{"id", header(f[1], "ack")}, {"requeue", "false"}}));
  CHECK(queue_of(w.broker, "q").counters.dropped == 2);
  CHECK(queue_of(w.broker, "q").unacked == 1);
}

TEST_CASE("ACK of a message from an ack:auto subscription is an error") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q"));
  cashier.send(send_frame("/queue/q", "x"));
  Frame m = cook.one();
  cook.send(make("ACK", {{"id", header(m, "message-id")}}));
  CHECK(header(cook.one(), "message") == "bad acknowledgement");
}

TEST_CASE("a STOMP 1.1 client acks with message-id and subscription") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.send(make("CONNECT", {{"accept-version", "1.1"}}));
  cook.frames();
  cashier.connect();
  cook.send(subscribe_frame("s", "/queue/q", "client"));
  cashier.send(send_frame("/queue/q", "x"));
  Frame m = cook.one();
  CHECK(header(m, "ack") == "(none)");  // 1.2 only
  cook.send(make("ACK", {{"message-id", header(m, "message-id")}, {"subscription", "s"}}));
  CHECK(queue_of(w.broker, "q").counters.acked == 1);
}

TEST_CASE("UNSUBSCRIBE returns the subscription's unacked messages to the queue") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q", "client"));
  cashier.send(send_frame("/queue/q", "x"));
  cook.frames();
  CHECK(queue_of(w.broker, "q").unacked == 1);
  cook.send(make("UNSUBSCRIBE", {{"id", "1"}}));
  CHECK(queue_of(w.broker, "q").unacked == 0);
  CHECK(queue_of(w.broker, "q").ready == 1);
  cook.send(make("UNSUBSCRIBE", {{"id", "1"}}));
  CHECK(cook.one().body.find("There is no subscription with id \"1\".") == 0);
}

TEST_CASE("/topic/ subscriptions each get a copy in a queue of their own, deleted after") {
  World w;
  Peer a(w.broker), b(w.broker), cashier(w.broker);
  a.connect();
  b.connect();
  cashier.connect();
  a.send(subscribe_frame("1", "/topic/grill.*"));
  b.send(subscribe_frame("1", "/topic/grill.sate"));
  cashier.send(send_frame("/topic/grill.sate", "sate"));
  cashier.send(send_frame("/topic/grill.ikan", "ikan"));
  std::vector<Frame> fa = a.frames();
  CHECK(bodies(fa) == std::vector<std::string>{"sate", "ikan"});
  CHECK(header(fa[1], "destination") == "/topic/grill.ikan");
  CHECK(bodies(b.frames()) == std::vector<std::string>{"sate"});
  CHECK(w.broker.snapshot().queues.size() == 2);
  a.send(make("UNSUBSCRIBE", {{"id", "1"}}));
  CHECK(w.broker.snapshot().queues.size() == 1);
  b.send(make("DISCONNECT", {}));
  CHECK(b.wire.closed);
  CHECK(w.broker.snapshot().queues.empty());
}

TEST_CASE("a durable topic subscription keeps its queue across connections") {
  World w;
  Peer cashier(w.broker);
  cashier.connect();
  {
    Peer a(w.broker);
    a.connect({{"client-id", "dapur"}});
    a.send(subscribe_frame("news", "/topic/menu", "client", {{"durable", "true"}}));
    a.send(make("DISCONNECT", {}));
  }
  CHECK(queue_of(w.broker, "stomp-durable-dapur-news").options.durable);
  cashier.send(send_frame("/topic/menu", "es teh"));
  Peer again(w.broker);
  again.connect({{"client-id", "dapur"}});
  again.send(subscribe_frame("news", "/topic/menu", "client", {{"durable", "true"}}));
  CHECK(bodies(again.frames()) == std::vector<std::string>{"es teh"});
  again.send(make("UNSUBSCRIBE", {{"id", "news"}, {"durable", "true"}}));
  CHECK_FALSE(w.broker.has_queue("stomp-durable-dapur-news"));
}

TEST_CASE("/amq/queue/ uses an existing queue and never makes one") {
  World w;
  REQUIRE(w.broker.declare_queue("station.grill", QueueOptions{}).is_ok());
  Peer a(w.broker), b(w.broker);
  a.connect();
  a.send(subscribe_frame("1", "/amq/queue/station.grill", "auto", {{"receipt", "r"}}));
  CHECK(header(a.one(), "receipt-id") == "r");
  b.connect();
  b.send(subscribe_frame("1", "/amq/queue/nope"));
  Frame e = b.one();
  CHECK(header(e, "message") == "not found");
  CHECK(e.body.find("Queue \"nope\" does not exist; /amq/queue/ names an existing queue") == 0);
  CHECK_FALSE(w.broker.has_queue("nope"));
}

TEST_CASE("reply-to:/temp-queue/ makes a private reply queue the replier can answer through") {
  World w;
  Peer asker(w.broker), answerer(w.broker);
  asker.connect();
  answerer.connect();
  answerer.send(subscribe_frame("1", "/queue/questions"));
  asker.send(send_frame("/queue/questions", "ready?", {{"reply-to", "/temp-queue/answers"}}));
  Frame q = answerer.one();
  const std::string reply_to = header(q, "reply-to");
  CHECK(reply_to.rfind("/reply-queue/stomp-reply-", 0) == 0);
  answerer.send(send_frame(reply_to, "ready!"));
  Frame a = asker.one();
  CHECK(a.body == "ready!");
  CHECK(header(a, "subscription") == "/temp-queue/answers");
  CHECK(header(a, "destination") == reply_to);
  const std::string queue = reply_to.substr(13);
  CHECK(w.broker.has_queue(queue));
  asker.send(make("DISCONNECT", {}));
  CHECK_FALSE(w.broker.has_queue(queue));
}

TEST_CASE("a queue deleted under a subscription ends the connection with ERROR") {
  World w;
  Peer cook(w.broker);
  cook.connect();
  cook.send(subscribe_frame("s", "/queue/q"));
  REQUIRE(w.broker.delete_queue("q").is_ok());
  Frame e = cook.one();
  CHECK(header(e, "message") == "subscription cancelled");
  CHECK(e.body == "Queue \"q\" was deleted, which ended subscription \"s\".\n");
  CHECK(cook.wire.closed);
  cook.session.reset();  // the deferred kill runs; the broker must stay sound
  CHECK(w.broker.snapshot().sessions.empty());
}

// ============================================================ transactions

TEST_CASE("SENDs in a transaction are delivered at COMMIT and dropped at ABORT") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q"));
  cashier.send(make("BEGIN", {{"transaction", "t1"}}));
  cashier.send(send_frame("/queue/q", "a", {{"transaction", "t1"}, {"receipt", "ra"}}));
  cashier.send(send_frame("/queue/q", "b", {{"transaction", "t1"}}));
  CHECK(cashier.frames().empty());  // "ra" comes when its message is enqueued
  CHECK(cook.frames().empty());
  cashier.send(make("COMMIT", {{"transaction", "t1"}, {"receipt", "c1"}}));
  std::vector<Frame> receipts = cashier.frames();
  REQUIRE(receipts.size() == 2);
  CHECK(header(receipts[0], "receipt-id") == "ra");
  CHECK(header(receipts[1], "receipt-id") == "c1");
  CHECK(bodies(cook.frames()) == std::vector<std::string>{"a", "b"});
  cashier.send(make("BEGIN", {{"transaction", "t2"}}));
  cashier.send(send_frame("/queue/q", "c", {{"transaction", "t2"}}));
  cashier.send(make("ABORT", {{"transaction", "t2"}}));
  CHECK(cook.frames().empty());
  CHECK(queue_of(w.broker, "q").counters.enqueued == 2);
}

TEST_CASE("ACKs in a transaction settle at COMMIT") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q", "client-individual"));
  cashier.send(send_frame("/queue/q", "a"));
  Frame m = cook.one();
  cook.send(make("BEGIN", {{"transaction", "t"}}));
  cook.send(make("ACK", {{"id", header(m, "ack")}, {"transaction", "t"}}));
  CHECK(queue_of(w.broker, "q").counters.acked == 0);
  cook.send(make("COMMIT", {{"transaction", "t"}}));
  CHECK(queue_of(w.broker, "q").counters.acked == 1);
}

TEST_CASE("an ACK in a transaction never begun, or in a full one, is an error") {
  for (const bool begun : {false, true}) {
    World w;
    SessionConfig c;
    c.max_transaction_frames = 1;
    Peer cook(w.broker, c), cashier(w.broker);
    cook.connect();
    cashier.connect();
    cook.send(subscribe_frame("1", "/queue/q", "client-individual"));
    cashier.send(send_frame("/queue/q", "a"));
    cashier.send(send_frame("/queue/q", "b"));
    std::vector<Frame> got = cook.frames();
    REQUIRE(got.size() == 2);
    if (begun) {
      cook.send(make("BEGIN", {{"transaction", "t"}}));
      cook.send(make("ACK", {{"id", header(got[0], "ack")}, {"transaction", "t"}}));
    }
    cook.send(make("ACK", {{"id", header(got[1], "ack")}, {"transaction", "t"}}));
    Frame e = cook.one();
    CHECK(header(e, "message") == (begun ? "limit reached" : "bad transaction"));
    CHECK(e.body.substr(0, e.body.find('\n')) ==
          (begun ? "Transaction \"t\" holds 1 frames, the most allowed."
                 : "Transaction \"t\" was not begun."));
    CHECK(cook.wire.closed);
  }
}

TEST_CASE("a COMMIT's receipt waits for the commit of its persistent messages") {
  TempDir dir;
  World w;
  auto store = Store::open(dir.file());
  REQUIRE(store.is_ok());
  REQUIRE(w.broker.attach_store(std::move(store).value()).is_ok());
  Peer p(w.broker);
  p.connect();
  p.send(make("BEGIN", {{"transaction", "t"}}));
  p.send(send_frame("/queue/q", "a", {{"transaction", "t"}, {"persistent", "true"}}));
  p.send(make("COMMIT", {{"transaction", "t"}, {"receipt", "c"}}));
  CHECK(p.frames().empty());
  REQUIRE(w.broker.flush().is_ok());
  CHECK(header(p.one(), "receipt-id") == "c");
}

TEST_CASE("transaction mistakes are errors") {
  World w;
  auto first_line = [&](std::vector<Frame> frames) {
    Peer p(w.broker);
    p.connect();
    for (const Frame& f : frames)
      p.send(f);
    Frame e = p.one();
    CHECK(p.wire.closed);
    return header(e, "message") + ": " + e.body.substr(0, e.body.find('\n'));
  };
  CHECK(first_line({make("COMMIT", {{"transaction", "t"}})}) ==
        "bad transaction: Transaction \"t\" was not begun.");
  CHECK(first_line({send_frame("/queue/q", "x", {{"transaction", "t"}})}) ==
        "bad transaction: Transaction \"t\" was not begun.");
  CHECK(
      first_line({make("BEGIN", {{"transaction", "t"}}), make("BEGIN", {{"transaction", "t"}})}) ==
      "bad transaction: Transaction \"t\" is open already.");
  CHECK(first_line({make("BEGIN", {})}) ==
        "missing header: A BEGIN frame needs a transaction header.");
  CHECK(first_line({make("ABORT", {{"transaction", "z"}})}) ==
        "bad transaction: Transaction \"z\" was not begun.");
}

TEST_CASE("a transaction holds at most max_transaction_frames frames") {
  World w;
  SessionConfig c;
  c.max_transaction_frames = 2;
  Peer p(w.broker, c);
  p.connect();
  p.send(make("BEGIN", {{"transaction", "t"}}));
  for (int i = 0; i < 3; ++i)
    p.send(send_frame("/queue/q", "x", {{"transaction", "t"}}));
  Frame e = p.one();
  CHECK(header(e, "message") == "limit reached");
  CHECK(e.body.find("Transaction \"t\" holds 2 frames, the most allowed.") == 0);
}

TEST_CASE("a connection may hold at most max_subscriptions subscriptions") {
  World w;
  SessionConfig c;
  c.max_subscriptions = 2;
  Peer p(w.broker, c);
  p.connect();
  for (int i = 0; i < 3; ++i)
    p.send(subscribe_frame(std::to_string(i), "/queue/q"));
  Frame e = p.one();
  CHECK(header(e, "message") == "limit reached");
  CHECK(e.body.find("This connection has 2 subscriptions, the most allowed.") == 0);
}

// ============================================================== leaving

TEST_CASE("DISCONNECT with a receipt: RECEIPT, then the transport closes and the session ends") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q", "client"));
  cashier.send(send_frame("/queue/q", "x"));
  cook.frames();
  const SessionId sid = cook.session->broker_session();
  cook.send_raw(serialize(make("DISCONNECT", {{"receipt", "bye"}})) +
                serialize(send_frame("/queue/q", "ignored")));
  CHECK(header(cook.one(), "receipt-id") == "bye");
  CHECK(cook.wire.closed);
  CHECK(w.broker.session_state(sid).value() == SessionState::kClosed);
  CHECK(queue_of(w.broker, "q").ready == 1);  // back, and the frame after DISCONNECT ignored
  CHECK(queue_of(w.broker, "q").counters.enqueued == 1);
}

TEST_CASE("a DISCONNECT receipt waits for the commit of earlier SENDs") {
  TempDir dir;
  World w;
  auto store = Store::open(dir.file());
  REQUIRE(store.is_ok());
  REQUIRE(w.broker.attach_store(std::move(store).value()).is_ok());
  Peer p(w.broker);
  p.connect();
  p.send(send_frame("/queue/q", "a", {{"persistent", "true"}}));
  p.send(make("DISCONNECT", {{"receipt", "bye"}}));
  CHECK(p.frames().empty());
  CHECK_FALSE(p.wire.closed);
  REQUIRE(w.broker.flush().is_ok());
  CHECK(header(p.one(), "receipt-id") == "bye");
  CHECK(p.wire.closed);
  p.session.reset();
  CHECK(w.broker.snapshot().sessions.empty());
}

TEST_CASE("a vanished peer's broker session is killed and its deliveries come back") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q", "client"));
  cashier.send(send_frame("/queue/q", "x"));
  cook.frames();
  const SessionId sid = cook.session->broker_session();
  cook.session->on_peer_closed();
  CHECK(w.broker.session_state(sid).value() == SessionState::kDead);
  CHECK(queue_of(w.broker, "q").ready == 1);
  CHECK(cook.frames().empty());  // nothing is sent to a vanished peer
}

// ============================================================ bad input

TEST_CASE("every malformed frame gets ERROR quoting it, then the connection closes") {
  struct Case {
    std::string input;
    std::string body;
  };
  Limits small;
  small.max_headers = 3;
  small.max_header_line = 40;
  small.max_frame_size = 200;
  const std::vector<Case> cases = {
      {"HELLO\n\n\0"s,
       "The server could not read a frame: STOMP frame: unknown command \"HELLO\"\n"},
      {"SEND\ndestination\n\n\0"s,
       "The server could not read a frame: SEND frame: bad header line \"destination\" (no ':')\n"},
      {"SEND\nnote:a\\tb\n\n\0"s,
       "The server could not read a frame: SEND frame: bad header line \"note:a\\\\tb\" "
       "(undefined escape \"\\\\t\")\n"},
      {"SEND\na:1\nb:2\nc:3\nd:4\n\n\0"s,
       "The server could not read a frame: SEND frame: over max-headers (3 header lines)\n"},
      {"SEND\nnote:" + std::string(41, 'x') + "\n\n\0"s,
       "The server could not read a frame: SEND frame: header line "
       "\"note:xxxxxxxxxxxxxxxxxxxxxxxxxxx\"... over max-header-line (40 bytes)\n"},
      {"SEND\ndestination:/queue/q\n\n" + std::string(300, 'x'),
       "The server could not read a frame: SEND frame: over max-frame-size (200 bytes)\n"},
      {"SEND\ncontent-length:3\n\nabcd\0"s,
       "The server could not read a frame: SEND frame: no NUL after the 3-byte body "
       "(content-length 3); found \"d\"\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    World w;
    SessionConfig config;
    config.limits = small;
    Peer p(w.broker, config);
    p.connect();
    p.send_raw(c.input);
    Frame e = p.one();
    CHECK(e.command == "ERROR");
    CHECK(header(e, "message") == "malformed frame");
    CHECK(e.body == c.body);
    CHECK(p.wire.closed);
    CHECK(w.broker.session_state(p.session->broker_session()).value() == SessionState::kDead);
  }
}

TEST_CASE("an error ends only its own connection; the others carry on") {
  World w;
  Peer bad(w.broker), cook(w.broker), cashier(w.broker);
  bad.connect();
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("1", "/queue/q"));
  bad.send_raw("GARBAGE\n\n\0"s);
  CHECK(bad.wire.closed);
  cashier.send(send_frame("/queue/q", "still open"));
  CHECK(bodies(cook.frames()) == std::vector<std::string>{"still open"});
  CHECK_FALSE(cook.wire.closed);
  CHECK_FALSE(cashier.wire.closed);
}

TEST_CASE("input split at every byte gives the same frames") {
  World w;
  Peer cook(w.broker);
  cook.connect();
  cook.send(subscribe_frame("1", "/queue/q"));
  const std::string input = serialize(make("CONNECT", {{"accept-version", "1.2"}})) +
                            serialize(send_frame("/queue/q", "a\0b"s, {{"k", "v:w"}})) + "\n" +
                            serialize(send_frame("/queue/q", "c", {{"receipt", "r"}})) +
                            serialize(make("DISCONNECT", {{"receipt", "bye"}}));
  Peer cashier(w.broker);
  for (char ch : input)
    cashier.send_raw(std::string_view(&ch, 1));
  std::vector<Frame> out = cashier.frames();
  REQUIRE(out.size() == 3);
  CHECK(out[0].command == "CONNECTED");
  CHECK(header(out[1], "receipt-id") == "r");
  CHECK(header(out[2], "receipt-id") == "bye");
  std::vector<Frame> got = cook.frames();
  CHECK(bodies(got) == std::vector<std::string>{"a\0b"s, "c"});
  CHECK(header(got[0], "k") == "v:w");
}

TEST_CASE("a session the broker's owner ends without heart-beats is told so, not timed out") {
  World w;
  Peer p(w.broker);
  p.connect();
  REQUIRE(w.broker.kill_session(p.session->broker_session(), "the simulator crashed it").is_ok());
  Frame e = p.one();
  CHECK(e.command == "ERROR");
  CHECK(header(e, "message") == "session ended");
  CHECK(e.body.find("The broker ended this session; its unacknowledged messages went back to "
                    "their queues.") == 0);
}

namespace {

// A cook (login koki, client acks, its session's log lines kept) holding the one order "soto"
// a cashier sent to /queue/q, not yet acknowledged.
struct CookHoldingOrder {
  World w;
  std::vector<std::string> lines;
  Peer cook{w.broker, logging_to(lines)};
  Peer cashier{w.broker};

  CookHoldingOrder() {
    cook.connect({{"login", "koki"}});
    cook.send(subscribe_frame("1", "/queue/q", "client"));
    cashier.connect();
    cashier.send(send_frame("/queue/q", "soto"));
    REQUIRE(cook.frames().size() == 1);
  }
  CookHoldingOrder(const CookHoldingOrder&) = delete;
  CookHoldingOrder& operator=(const CookHoldingOrder&) = delete;

  // A session config whose log lines go to `out`.
  static SessionConfig logging_to(std::vector<std::string>& out) {
    SessionConfig config;
    config.log = [&out](std::string_view line) { out.emplace_back(line); };
    return config;
  }
};

}  // namespace

TEST_CASE("a session destroyed under a live connection sends nothing and logs nothing") {
  CookHoldingOrder t;
  t.cook.session.reset();
  CHECK(t.cook.wire.bytes.find("ERROR") == std::string::npos);
  CHECK(t.lines.empty());
  CHECK(queue_of(t.w.broker, "q").ready == 1);  // the unacked order went back
}

TEST_CASE("a session shut down by its server is told so, and its unacked messages go back") {
  CookHoldingOrder t;
  const SessionId sid = t.cook.session->broker_session();
  t.cook.session->shut_down();
  Frame e = t.cook.one();
  CHECK(e.command == "ERROR");
  CHECK(header(e, "message") == "server shutting down");
  CHECK(e.body ==
        "The server is shutting down and closes this connection. Messages not yet acknowledged "
        "went back to their queues; connect again once it is back.\n");
  CHECK(t.cook.wire.closed);
  CHECK(t.cook.session->ended());
  CHECK(t.w.broker.session_state(sid).value() == SessionState::kDead);
  CHECK(queue_of(t.w.broker, "q").ready == 1);
  CHECK(t.lines.empty());       // the server logs the shutdown once, not once per client
  t.cook.session->shut_down();  // twice: nothing more
  CHECK(t.cook.wire.closes == 1);
}

TEST_CASE("a session shut down before CONNECT is told so too") {
  World w;
  Peer p(w.broker);
  p.session->shut_down();
  CHECK(error_of(p) == "server shutting down");
}

// ============================================== what RabbitMQ's users expect

TEST_CASE("an ack:auto message handed to the connection never comes back") {
  // In one read, as python3-stomp's command-line client writes them: the
  // MESSAGE is written before the output could drain, then the
  // subscription or the connection ends.
  for (const std::string ending : {"UNSUBSCRIBE", "DISCONNECT", "vanished"}) {
    for (const char* version : {"1.0", "1.2"}) {
      CAPTURE(ending);
      CAPTURE(version);
      World w;
      Peer cook(w.broker), later(w.broker);
      cook.send(make("CONNECT", {{"accept-version", version}}));
      cook.frames();
      std::string bytes =
          serialize(subscribe_frame("1", "/queue/p3")) + serialize(send_frame("/queue/p3", "sate"));
      if (ending == "UNSUBSCRIBE") {
        bytes += serialize(make("UNSUBSCRIBE", {{"id", "1"}, {"receipt", "u"}}));
      } else if (ending == "DISCONNECT") {
        bytes += serialize(make("DISCONNECT", {{"receipt", "bye"}}));
      }
      cook.send_raw(bytes);
      if (ending == "vanished") cook.session->on_peer_closed();
      std::vector<Frame> f = cook.frames();
      REQUIRE(!f.empty());
      CHECK(f[0].body == "sate");
      CHECK(header(f[0], "delivery-count") == "1");
      CHECK(f.size() == (ending == "vanished" ? 1u : 2u));
      QueueSnapshot q = queue_of(w.broker, "p3");
      CHECK(q.ready == 0);
      CHECK(q.unacked == 0);
      CHECK(q.counters.acked == 1);
      later.connect();
      later.send(subscribe_frame("1", "/queue/p3", "client"));
      CHECK(later.frames().empty());
    }
  }
}

TEST_CASE("ack:auto deliveries still held back by the window go back when the subscription ends") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  for (int i = 1; i <= 3; ++i)
    cashier.send(send_frame("/queue/q", std::to_string(i)));
  cook.send(subscribe_frame("1", "/queue/q", "auto", {{"prefetch-count", "1"}}));
  CHECK(bodies(cook.frames()) == std::vector<std::string>{"1"});
  cook.send(make("UNSUBSCRIBE", {{"id", "1"}}));
  CHECK(cook.frames().empty());
  QueueSnapshot q = queue_of(w.broker, "q");
  CHECK(q.counters.acked == 1);
  CHECK(q.ready == 2);
}

TEST_CASE("boolean headers take true and false in any case, as python3-stomp writes them") {
  SUBCASE("NACK requeue:False drops the message, requeue:TRUE requeues it") {
    World w;
    Peer cook(w.broker), cashier(w.broker);
    cook.connect();
    cashier.connect();
    cook.send(subscribe_frame("1", "/queue/q", "client-individual"));
    cashier.send(send_frame("/queue/q", "a"));
    cashier.send(send_frame("/queue/q", "b"));
    std::vector<Frame> f = cook.frames();
    REQUIRE(f.size() == 2);
    cook.send(make("NACK", {{"id", header(f[0], "ack")}, {"requeue", "False"}}));
    cook.send(make("NACK", {{"id", header(f[1], "ack")}, {"requeue", "TRUE"}}));
    std::vector<Frame> again = cook.frames();
    REQUIRE(again.size() == 1);
    CHECK(again[0].body == "b");
    CHECK(queue_of(w.broker, "q").counters.dropped == 1);
  }
  SUBCASE("persistent:True and durable:False") {
    World w;
    Peer p(w.broker);
    p.connect();
    p.send(send_frame("/queue/q", "x", {{"persistent", "True"}, {"durable", "False"}}));
    CHECK_FALSE(queue_of(w.broker, "q").options.durable);
    p.send(subscribe_frame("1", "/queue/q"));
    CHECK(header(p.one(), "persistent") == "true");
  }
  SUBCASE("durable:True on a topic subscription and its UNSUBSCRIBE") {
    World w;
    Peer a(w.broker);
    a.connect({{"client-id", "dapur"}});
    a.send(subscribe_frame("news", "/topic/menu", "client", {{"durable", "True"}}));
    CHECK(queue_of(w.broker, "stomp-durable-dapur-news").options.durable);
    a.send(make("UNSUBSCRIBE", {{"id", "news"}, {"durable", "TRUE"}}));
    CHECK_FALSE(w.broker.has_queue("stomp-durable-dapur-news"));
  }
  SUBCASE("anything else is still refused, naming the header") {
    World w;
    Peer p(w.broker);
    p.connect();
    p.send(send_frame("/queue/q", "x", {{"durable", "yes"}}));
    Frame e = p.one();
    CHECK(header(e, "message") == "bad header");
    CHECK(e.body.find("Header durable has a value this server cannot use: \"yes\".") == 0);
  }
}

TEST_CASE("a STOMP 1.2 ACK or NACK needs its id header; message-id alone is an error") {
  for (const std::string verb : {"ACK", "NACK"}) {
    CAPTURE(verb);
    World w;
    Peer cook(w.broker), cashier(w.broker);
    cook.connect();
    cashier.connect();
    cook.send(subscribe_frame("1", "/queue/q", "client"));
    cashier.send(send_frame("/queue/q", "x"));
    Frame m = cook.one();
    cook.send(make(verb, {{"message-id", header(m, "message-id")}, {"subscription", "1"}}));
    Frame e = cook.one();
    CHECK(header(e, "message") == "missing header");
    CHECK(e.body.find("A STOMP 1.2 " + verb +
                      " frame needs an id header (the MESSAGE's ack header); message-id is "
                      "STOMP 1.0 and 1.1.") == 0);
    CHECK(cook.wire.closed);
    CHECK(queue_of(w.broker, "q").counters.acked == 0);
    CHECK(queue_of(w.broker, "q").ready == 1);  // back, with the connection
  }
}

TEST_CASE("a MESSAGE names the destination the SEND named, as RabbitMQ writes it") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cook.send(subscribe_frame("f", "/exchange/amq.fanout"));
  cook.send(subscribe_frame("k", "/exchange/amq.direct/grill"));
  cashier.send(send_frame("/exchange/amq.fanout", "a"));
  cashier.send(send_frame("/exchange/amq.fanout/any", "b"));
  cashier.send(send_frame("/exchange/amq.direct/grill", "c"));
  std::vector<Frame> f = cook.frames();
  REQUIRE(f.size() == 3);
  CHECK(header(f[0], "destination") == "/exchange/amq.fanout");
  CHECK(header(f[1], "destination") == "/exchange/amq.fanout/any");
  CHECK(header(f[2], "destination") == "/exchange/amq.direct/grill");
}

TEST_CASE("receipts of SENDs in a transaction come when it commits, after their messages' commit") {
  TempDir dir;
  World w;
  auto store = Store::open(dir.file());
  REQUIRE(store.is_ok());
  REQUIRE(w.broker.attach_store(std::move(store).value()).is_ok());
  Peer p(w.broker);
  p.connect();
  p.send(make("BEGIN", {{"transaction", "t"}}));
  p.send(send_frame("/queue/q", "a",
                    {{"transaction", "t"}, {"receipt", "ra"}, {"persistent", "true"}}));
  p.send(send_frame("/queue/q", "b", {{"transaction", "t"}, {"receipt", "rb"}}));
  REQUIRE(w.broker.flush().is_ok());
  CHECK(p.frames().empty());  // nothing is enqueued yet
  CHECK(queue_of(w.broker, "q").ready == 0);
  p.send(make("COMMIT", {{"transaction", "t"}, {"receipt", "c"}}));
  CHECK(p.frames().empty());  // enqueued, not yet written
  CHECK(queue_of(w.broker, "q").ready == 2);
  REQUIRE(w.broker.flush().is_ok());
  std::vector<Frame> f = p.frames();
  REQUIRE(f.size() == 3);
  CHECK(header(f[0], "receipt-id") == "ra");
  CHECK(header(f[1], "receipt-id") == "rb");
  CHECK(header(f[2], "receipt-id") == "c");
  // An aborted transaction's SENDs are never receipted.
  p.send(make("BEGIN", {{"transaction", "t2"}}));
  p.send(send_frame("/queue/q", "x", {{"transaction", "t2"}, {"receipt", "rx"}}));
  p.send(make("ABORT", {{"transaction", "t2"}, {"receipt", "ab"}}));
  f = p.frames();
  REQUIRE(f.size() == 1);
  CHECK(header(f[0], "receipt-id") == "ab");
}

TEST_CASE("SUBSCRIBE with a receipt on a queue with messages waiting: RECEIPT first") {
  World w;
  Peer cook(w.broker), cashier(w.broker);
  cook.connect();
  cashier.connect();
  cashier.send(send_frame("/queue/q", "1"));
  cashier.send(send_frame("/queue/q", "2"));
  cook.send(subscribe_frame("1", "/queue/q", "client", {{"receipt", "r"}}));
  std::vector<Frame> f = cook.frames();
  CHECK(bodies(f) == std::vector<std::string>{"RECEIPT", "1", "2"});
  CHECK(header(f[0], "receipt-id") == "r");
}

TEST_CASE("a SUBSCRIBE receipt behind an unconfirmed SEND still comes before the MESSAGEs") {
  for (const std::string mode : {"auto", "client"}) {
    CAPTURE(mode);
    TempDir dir;
    World w;
    auto store = Store::open(dir.file());
    REQUIRE(store.is_ok());
    REQUIRE(w.broker.attach_store(std::move(store).value()).is_ok());
    Peer p(w.broker);
    p.connect();
    p.send(send_frame("/queue/q", "waiting", {{"persistent", "true"}}));
    p.send(subscribe_frame("1", "/queue/q", mode, {{"receipt", "r"}}));
    CHECK(p.frames().empty());
    p.session->on_output_drained();  // held back: not on the wire, not settled
    CHECK(queue_of(w.broker, "q").counters.acked == 0);
    REQUIRE(w.broker.flush().is_ok());
    std::vector<Frame> f = p.frames();
    CHECK(bodies(f) == std::vector<std::string>{"RECEIPT", "waiting"});
    p.session->on_output_drained();
    CHECK(queue_of(w.broker, "q").counters.acked == (mode == "auto" ? 1u : 0u));
  }
}
