#include <doctest.h>

#include <nlohmann/json.hpp>

#include "broker/broker.h"
#include "broker/routing.h"
#include "test_util.h"

using namespace wmq;
using namespace wmq::test;

namespace {

struct Fixture {
  ManualClock clock;
  Broker broker{clock};
  Recorder pub_sink, con_sink;
  EventLog log;
  SessionId pub = 0, con = 0;
  Fixture() {
    broker.add_listener(&log);
    pub = client(broker, &pub_sink, "cashier");
    con = client(broker, &con_sink, "cook");
  }
};

// The restaurant's order check, as an exchange validator would write it.
Status order_validator(const Message& m) {
  auto j = nlohmann::json::parse(m.body, nullptr, false);
  if (!j.is_object())
    return Status::error(Code::kInvalid, "order rejected: body is not a JSON object");
  const std::string who = j.contains("order") ? "order " + j["order"].dump() : std::string("order");
  if (!j.contains("qty"))
    return Status::error(Code::kInvalid, who + " rejected: \"qty\" is missing");
  if (!j["qty"].is_number_integer()) {
    return Status::error(Code::kInvalid, who + " rejected: \"qty\" must be a whole number");
  }
  int qty = j["qty"].get<int>();
  if (qty < 1 || qty > 20) {
    return Status::error(Code::kInvalid,
                         who + " rejected: \"qty\" must be 1..20, got " + std::to_string(qty));
  }
  return Status::ok();
}

}  // namespace

TEST_CASE("a published message reaches its queue's consumer with every field") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("wok", {}).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "wok", {}).is_ok());
  Message m = msg("nasi goreng", "wok");
  m.headers.push_back({"table", "4"});
  f.broker.register_content_type("application/json");
  m.content_type = "application/json";
  auto r = f.broker.publish(f.pub, "", m);
  REQUIRE(r.is_ok());
  CHECK(r->queues == 1);
  CHECK(r->confirmed);
  REQUIRE(f.con_sink.got.size() == 1);
  CHECK(f.con_sink.got[0].body == "nasi goreng");
  CHECK(f.con_sink.got[0].count == 1);
  CHECK_FALSE(f.con_sink.got[0].redelivered);
  CHECK(f.pub_sink.confirms == std::vector<PublishSeq>{1});
}

TEST_CASE("messages are delivered in publish order") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  for (int i = 0; i < 5; ++i)
    REQUIRE(f.broker.publish(f.pub, "", msg(std::to_string(i), "q")).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", ConsumeOptions{0, false}).is_ok());
  CHECK(f.con_sink.bodies() == std::vector<std::string>{"0", "1", "2", "3", "4"});
}

TEST_CASE("an oversize body is rejected with its size and the limit") {
  ManualClock clock;
  BrokerOptions o;
  o.max_body_bytes = 10;
  Broker b(clock, o);
  Recorder r;
  SessionId p = client(b, &r);
  REQUIRE(b.declare_queue("q", {}).is_ok());
  auto res = b.publish(p, "", msg("12345678901", "q"));
  REQUIRE_FALSE(res.is_ok());
  CHECK(res.status().code() == Code::kTooLarge);
  CHECK(res.status().message() == "message 1 rejected: body is 11 bytes, the limit is 10");
  CHECK(queue_of(b, "q").ready == 0);
  CHECK(b.publish(p, "", msg("1234567890", "q")).is_ok());
}

TEST_CASE("an unknown content type is rejected") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  Message m = msg("x", "q");
  m.content_type = "text/x-klingon";
  auto r = f.broker.publish(f.pub, "", m);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kUnknownFormat);
  CHECK(r.status().message() == "message 1 rejected: unknown content type \"text/x-klingon\"");
  CHECK(f.log.has("rejected #1 message 1 rejected: unknown content type \"text/x-klingon\""));
}

TEST_CASE(
    "an exchange validator rejects a bad order with its sentence and it never enters a queue") {
  Fixture f;
  f.broker.register_content_type("application/json");
  REQUIRE(f.broker.declare_exchange("orders", {ExchangeKind::kDirect, false, ""}).is_ok());
  REQUIRE(f.broker.add_validator("orders", order_validator).is_ok());
  REQUIRE(f.broker.declare_queue("wok", {}).is_ok());
  REQUIRE(f.broker.bind("wok", "orders", "wok").is_ok());
  Message m = msg(R"({"order":17,"qty":0})", "wok");
  m.content_type = "application/json";
  auto r = f.broker.publish(f.pub, "orders", m);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalid);
  CHECK(r.status().message() == "order 17 rejected: \"qty\" must be 1..20, got 0");
  CHECK(queue_of(f.broker, "wok").ready == 0);
  CHECK(f.log.count(EventKind::kEnqueued) == 0);

  Message bad = msg("{not json", "wok");
  bad.content_type = "application/json";
  auto r2 = f.broker.publish(f.pub, "orders", bad);
  CHECK(r2.status().message() == "order rejected: body is not a JSON object");

  Message good = msg(R"({"order":18,"qty":2})", "wok");
  good.content_type = "application/json";
  CHECK(f.broker.publish(f.pub, "orders", good).is_ok());
  CHECK(queue_of(f.broker, "wok").ready == 1);
}

TEST_CASE("a translator turns a plain-text note into JSON before validation and routing") {
  Fixture f;
  f.broker.register_translator(Translator{
      "text/x-order-note", "application/json", [](const Message& m) -> Result<std::string> {
        // "2x nasi goreng; meja 4"
        auto x = m.body.find("x ");
        auto semi = m.body.find("; meja ");
        if (x == std::string::npos || semi == std::string::npos) {
          return Status::error(
              Code::kInvalid,
              "note \"" + m.body + "\" cannot be read: expected \"<qty>x <dish>; meja <table>\"");
        }
        nlohmann::json j = {{"qty", std::stoi(m.body.substr(0, x))},
                            {"dish", m.body.substr(x + 2, semi - x - 2)},
                            {"table", std::stoi(m.body.substr(semi + 7))}};
        return j.dump();
      }});
  REQUIRE(f.broker.declare_exchange("orders", {}).is_ok());
  REQUIRE(f.broker.add_validator("orders", order_validator).is_ok());
  REQUIRE(f.broker.declare_queue("wok", {}).is_ok());
  REQUIRE(f.broker.bind("wok", "orders", "wok").is_ok());
  REQUIRE(f.broker.subscribe(f.con, "wok", {}).is_ok());
  Message note = msg("2x nasi goreng; meja 4", "wok");
  note.content_type = "text/x-order-note";
  REQUIRE(f.broker.publish(f.pub, "orders", note).is_ok());
  REQUIRE(f.con_sink.got.size() == 1);
  CHECK(f.con_sink.got[0].body == R"({"dish":"nasi goreng","qty":2,"table":4})");
  CHECK(f.log.has("translated #1 text/x-order-note -> application/json"));

  Message scrawl = msg("nasi goreng buat meja empat", "wok");
  scrawl.content_type = "text/x-order-note";
  auto r = f.broker.publish(f.pub, "orders", scrawl);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalid);
  CHECK(r.status().message() ==
        "note \"nasi goreng buat meja empat\" cannot be read: expected \"<qty>x <dish>; meja "
        "<table>\"");
}

TEST_CASE("direct, fanout and topic exchanges route by their rules") {
  Fixture f;
  REQUIRE(f.broker.declare_exchange("direct", {ExchangeKind::kDirect, false, ""}).is_ok());
  REQUIRE(f.broker.declare_exchange("all", {ExchangeKind::kFanout, false, ""}).is_ok());
  REQUIRE(f.broker.declare_exchange("topic", {ExchangeKind::kTopic, false, ""}).is_ok());
  for (const char* q : {"grill", "wok", "drinks"})
    REQUIRE(f.broker.declare_queue(q, {}).is_ok());
  REQUIRE(f.broker.bind("grill", "direct", "grill").is_ok());
  REQUIRE(f.broker.bind("wok", "direct", "wok").is_ok());
  for (const char* q : {"grill", "wok", "drinks"})
    REQUIRE(f.broker.bind(q, "all", "").is_ok());
  REQUIRE(f.broker.bind("grill", "topic", "food.*").is_ok());
  REQUIRE(f.broker.bind("drinks", "topic", "#.cold").is_ok());

  CHECK(f.broker.publish(f.pub, "direct", msg("a", "wok"))->queues == 1);
  CHECK(queue_of(f.broker, "wok").ready == 1);
  CHECK(f.broker.publish(f.pub, "all", msg("sambal is out", "whatever"))->queues == 3);
  CHECK(f.broker.publish(f.pub, "topic", msg("b", "food.satay"))->queues == 1);
  CHECK(f.broker.publish(f.pub, "topic", msg("c", "drink.ice.cold"))->queues == 1);
  CHECK(queue_of(f.broker, "grill").ready == 2);
  CHECK(queue_of(f.broker, "drinks").ready == 2);
}

TEST_CASE("topic patterns: * is one word, # is zero or more") {
  CHECK(topic_matches("grill.*", "grill.satay"));
  CHECK_FALSE(topic_matches("grill.*", "grill"));
  CHECK_FALSE(topic_matches("grill.*", "grill.satay.big"));
  CHECK(topic_matches("grill.#", "grill"));
  CHECK(topic_matches("grill.#", "grill.satay.big"));
  CHECK(topic_matches("#", ""));
  CHECK(topic_matches("#.cold", "cold"));
  CHECK(topic_matches("*.*.cold", "a.b.cold"));
  CHECK_FALSE(topic_matches("a.*.c", "a.c"));
  CHECK(topic_matches("#.#.#.x", "a.b.c.d.e.f.g.h.i.x"));
  CHECK_FALSE(topic_matches("#.#.#.x", "a.b.c.d.e.f.g.h.i.y"));
}

TEST_CASE("the default exchange routes by queue name") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("grill", {}).is_ok());
  CHECK(f.broker.publish(f.pub, "", msg("satay", "grill"))->queues == 1);
  auto r = f.broker.bind("grill", "", "x");
  CHECK(r.code() == Code::kInvalid);
}

TEST_CASE("an unroutable message goes back to its publisher with a reason") {
  Fixture f;
  REQUIRE(f.broker.declare_exchange("orders", {}).is_ok());
  auto r = f.broker.publish(f.pub, "orders", msg("es teh", "bar"));
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kUnroutable);
  CHECK(r.status().message() ==
        "message 1 returned: exchange \"orders\" has no queue for routing key \"bar\"");
  CHECK(f.log.count(EventKind::kUnroutable) == 1);
}

TEST_CASE("an unroutable message goes to the alternate exchange when one is set") {
  Fixture f;
  REQUIRE(f.broker.declare_exchange("lost-and-found", {ExchangeKind::kFanout, false, ""}).is_ok());
  REQUIRE(f.broker.declare_exchange("orders", {ExchangeKind::kDirect, false, "lost-and-found"})
              .is_ok());
  REQUIRE(f.broker.declare_queue("unrouted", {}).is_ok());
  REQUIRE(f.broker.bind("unrouted", "lost-and-found", "").is_ok());
  auto r = f.broker.publish(f.pub, "orders", msg("es teh", "bar"));
  REQUIRE(r.is_ok());
  CHECK(queue_of(f.broker, "unrouted").ready == 1);
}

TEST_CASE("an unknown exchange is reported by name") {
  Fixture f;
  auto r = f.broker.publish(f.pub, "nope", msg("x", "q"));
  CHECK(r.status().code() == Code::kNotFound);
  CHECK(r.status().message() == "message 1 rejected: exchange \"nope\" not found");
  CHECK(f.broker.subscribe(f.con, "nope", {}).status().message() == "queue \"nope\": not found");
  CHECK(f.broker.bind("nope", "x", "k").message() == "queue \"nope\": not found");
}

TEST_CASE("redeclaring with other settings is refused, with the same settings is fine") {
  Fixture f;
  QueueOptions o;
  o.max_length = 5;
  REQUIRE(f.broker.declare_queue("q", o).is_ok());
  CHECK(f.broker.declare_queue("q", o).is_ok());
  QueueOptions other;
  Status st = f.broker.declare_queue("q", other);
  CHECK(st.code() == Code::kExists);
  CHECK(st.message() == "queue \"q\": already declared with other settings");
}

TEST_CASE("max-length with reject-publish refuses the publish and enqueues nothing anywhere") {
  Fixture f;
  QueueOptions small;
  small.max_length = 2;
  REQUIRE(f.broker.declare_exchange("all", {ExchangeKind::kFanout, false, ""}).is_ok());
  REQUIRE(f.broker.declare_queue("small", small).is_ok());
  REQUIRE(f.broker.declare_queue("big", {}).is_ok());
  REQUIRE(f.broker.bind("small", "all", "").is_ok());
  REQUIRE(f.broker.bind("big", "all", "").is_ok());
  REQUIRE(f.broker.publish(f.pub, "all", msg("1")).is_ok());
  REQUIRE(f.broker.publish(f.pub, "all", msg("2")).is_ok());
  auto r = f.broker.publish(f.pub, "all", msg("3"));
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kFull);
  CHECK(r.status().message() ==
        "message 3 rejected: queue \"small\" is full (max-length 2, overflow reject-publish)");
  CHECK(queue_of(f.broker, "big").ready == 2);
  CHECK(queue_of(f.broker, "small").counters.rejected_full == 1);
}

TEST_CASE("max-length with drop-head dead-letters the oldest with reason maxlen") {
  Fixture f;
  REQUIRE(f.broker.declare_exchange("dlx", {ExchangeKind::kFanout, false, ""}).is_ok());
  REQUIRE(f.broker.declare_queue("dead", {}).is_ok());
  REQUIRE(f.broker.bind("dead", "dlx", "").is_ok());
  QueueOptions o;
  o.max_length = 2;
  o.overflow = Overflow::kDropHead;
  o.dead_letter_exchange = "dlx";
  REQUIRE(f.broker.declare_queue("q", o).is_ok());
  for (const char* b : {"1", "2", "3"})
    REQUIRE(f.broker.publish(f.pub, "", msg(b, "q")).is_ok());
  CHECK(queue_of(f.broker, "q").ready == 2);
  CHECK(queue_of(f.broker, "dead").ready == 1);
  CHECK(f.log.has("dead_lettered q #1 maxlen"));
  Recorder r;
  SessionId s = client(f.broker, &r);
  REQUIRE(f.broker.subscribe(s, "q", ConsumeOptions{0, true}).is_ok());
  CHECK(r.bodies() == std::vector<std::string>{"2", "3"});
}

TEST_CASE("a queue TTL expires a message exactly at the boundary, not before") {
  Fixture f;
  QueueOptions o;
  o.message_ttl = 1000 * kMillis;
  REQUIRE(f.broker.declare_queue("q", o).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("old", "q")).is_ok());
  CHECK(f.broker.next_deadline() == 1000 * kMillis);
  f.clock.set(1000 * kMillis - 1);
  f.broker.tick();
  CHECK(queue_of(f.broker, "q").ready == 1);
  f.clock.set(1000 * kMillis);
  f.broker.tick();
  CHECK(queue_of(f.broker, "q").ready == 0);
  CHECK(queue_of(f.broker, "q").counters.expired == 1);
  CHECK(f.log.has("expired q #1"));
}

TEST_CASE("a per-message TTL is honoured at delivery time") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  Message m = msg("soon stale", "q");
  m.ttl = 5 * kSeconds;
  REQUIRE(f.broker.publish(f.pub, "", m).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("fresh", "q")).is_ok());
  f.clock.advance(5 * kSeconds);
  REQUIRE(f.broker.subscribe(f.con, "q", ConsumeOptions{0, false}).is_ok());
  CHECK(f.con_sink.bodies() == std::vector<std::string>{"fresh"});
  CHECK(queue_of(f.broker, "q").counters.expired == 1);
}

TEST_CASE("prefetch limits unacked deliveries and an ack frees credit") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  for (int i = 0; i < 5; ++i)
    REQUIRE(f.broker.publish(f.pub, "", msg(std::to_string(i), "q")).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", ConsumeOptions{2, false}).is_ok());
  CHECK(f.con_sink.got.size() == 2);
  CHECK(queue_of(f.broker, "q").unacked == 2);
  CHECK(queue_of(f.broker, "q").ready == 3);
  REQUIRE(f.broker.ack(f.con, f.con_sink.got[0].tag).is_ok());
  CHECK(f.con_sink.got.size() == 3);
  CHECK(f.con_sink.got[2].body == "2");
}

TEST_CASE("messages go round-robin to consumers with credit") {
  Fixture f;
  Recorder a, b;
  SessionId sa = client(f.broker, &a, "a"), sb = client(f.broker, &b, "b");
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  REQUIRE(f.broker.subscribe(sa, "q", ConsumeOptions{10, false}).is_ok());
  REQUIRE(f.broker.subscribe(sb, "q", ConsumeOptions{10, false}).is_ok());
  for (int i = 0; i < 4; ++i)
    REQUIRE(f.broker.publish(f.pub, "", msg(std::to_string(i), "q")).is_ok());
  CHECK(a.bodies() == std::vector<std::string>{"0", "2"});
  CHECK(b.bodies() == std::vector<std::string>{"1", "3"});
}

TEST_CASE("a nack with requeue puts the message back at the head, redelivered with count + 1") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("first", "q")).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("second", "q")).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", ConsumeOptions{1, false}).is_ok());
  REQUIRE(f.con_sink.got.size() == 1);
  REQUIRE(f.broker.nack(f.con, f.con_sink.got[0].tag, true).is_ok());
  REQUIRE(f.con_sink.got.size() == 2);
  CHECK(f.con_sink.got[1].body == "first");
  CHECK(f.con_sink.got[1].redelivered);
  CHECK(f.con_sink.got[1].count == 2);
  CHECK(f.log.has("requeued q #1 nacked"));
}

TEST_CASE("a nack without requeue dead-letters with reason rejected") {
  Fixture f;
  REQUIRE(f.broker.declare_exchange("dlx", {ExchangeKind::kFanout, false, ""}).is_ok());
  REQUIRE(f.broker.declare_queue("dead", {}).is_ok());
  REQUIRE(f.broker.bind("dead", "dlx", "").is_ok());
  QueueOptions o;
  o.dead_letter_exchange = "dlx";
  REQUIRE(f.broker.declare_queue("q", o).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("burnt", "q")).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", {}).is_ok());
  REQUIRE(f.broker.nack(f.con, f.con_sink.got[0].tag, false).is_ok());
  CHECK(queue_of(f.broker, "q").ready == 0);
  CHECK(queue_of(f.broker, "q").counters.dead_lettered == 1);
  Recorder r;
  SessionId s = client(f.broker, &r);
  REQUIRE(f.broker.subscribe(s, "dead", {}).is_ok());
  REQUIRE(r.got.size() == 1);
  CHECK(r.got[0].body == "burnt");
  CHECK(f.log.has("dead_lettered q #1 rejected"));
}

TEST_CASE("a poison message reaches the delivery limit and the dead-letter queue with its reason") {
  Fixture f;
  REQUIRE(f.broker.declare_exchange("dlx", {ExchangeKind::kFanout, false, ""}).is_ok());
  REQUIRE(f.broker.declare_queue("dead", {}).is_ok());
  REQUIRE(f.broker.bind("dead", "dlx", "").is_ok());
  QueueOptions o;
  o.delivery_limit = 3;
  o.dead_letter_exchange = "dlx";
  REQUIRE(f.broker.declare_queue("q", o).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("poison", "q")).is_ok());
  // Each cook who takes it crashes.
  for (int cook = 0; cook < 3; ++cook) {
    Recorder r;
    SessionId s = client(f.broker, &r, "cook" + std::to_string(cook));
    REQUIRE(f.broker.subscribe(s, "q", {}).is_ok());
    REQUIRE(r.got.size() == 1);
    CHECK(r.got[0].count == static_cast<uint32_t>(cook + 1));
    REQUIRE(f.broker.kill_session(s, "crashed").is_ok());
  }
  CHECK(queue_of(f.broker, "q").ready == 0);
  CHECK(queue_of(f.broker, "dead").ready == 1);
  CHECK(f.log.has("dead_lettered q #1 delivery_limit"));
  Recorder r;
  SessionId s = client(f.broker, &r);
  REQUIRE(f.broker.subscribe(s, "dead", {}).is_ok());
  REQUIRE(r.got.size() == 1);
  auto peek = f.broker.peek("dead", 0, 10);
  REQUIRE(peek.size() == 1);
  CHECK(peek[0].unacked);
}

TEST_CASE("a dead letter carries its reason, source queue and delivery count in headers") {
  ManualClock clock;
  Broker b(clock);
  struct HeaderSink : SessionSink {
    std::vector<Header> headers;
    void on_delivery(const Delivery& d) override { headers = d.message->headers(); }
  } sink;
  Recorder pr;
  SessionId p = client(b, &pr);
  REQUIRE(b.declare_exchange("dlx", {ExchangeKind::kFanout, false, ""}).is_ok());
  REQUIRE(b.declare_queue("dead", {}).is_ok());
  REQUIRE(b.bind("dead", "dlx", "").is_ok());
  QueueOptions o;
  o.dead_letter_exchange = "dlx";
  o.message_ttl = kSeconds;
  REQUIRE(b.declare_queue("q", o).is_ok());
  REQUIRE(b.publish(p, "", msg("x", "q")).is_ok());
  clock.advance(kSeconds);
  b.tick();
  SessionId s = client(b, &sink);
  REQUIRE(b.subscribe(s, "dead", {}).is_ok());
  CHECK(sink.headers == std::vector<Header>{{"x-death-reason", "expired"},
                                            {"x-death-queue", "q"},
                                            {"x-delivery-count", "0"},
                                            {"x-original-id", "1"}});
}

TEST_CASE("double ack and an ack of a tag never issued are refused") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("x", "q")).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", {}).is_ok());
  DeliveryTag t = f.con_sink.got[0].tag;
  REQUIRE(f.broker.ack(f.con, t).is_ok());
  Status again = f.broker.ack(f.con, t);
  CHECK(again.code() == Code::kUnknownTag);
  CHECK(again.message() == "session 2 (cook): delivery tag 1 was already settled");
  Status never = f.broker.ack(f.con, 99);
  CHECK(never.code() == Code::kUnknownTag);
  CHECK(never.message() == "session 2 (cook): delivery tag 99 was never issued");
  CHECK(f.broker.nack(f.con, 0, true).code() == Code::kUnknownTag);
}

TEST_CASE("a dead session's deliveries are redelivered with counts, and its late ack is refused") {
  Fixture f;
  Recorder other;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  for (int i = 0; i < 3; ++i)
    REQUIRE(f.broker.publish(f.pub, "", msg(std::to_string(i), "q")).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", ConsumeOptions{2, false}).is_ok());
  REQUIRE(f.con_sink.got.size() == 2);
  REQUIRE(f.broker.kill_session(f.con, "crashed").is_ok());
  CHECK(f.broker.session_state(f.con).value() == SessionState::kDead);
  SessionId s = client(f.broker, &other, "cook 2");
  REQUIRE(f.broker.subscribe(s, "q", ConsumeOptions{0, false}).is_ok());
  REQUIRE(other.got.size() == 3);
  CHECK(other.bodies() == std::vector<std::string>{"0", "1", "2"});
  CHECK(other.got[0].redelivered);
  CHECK(other.got[0].count == 2);
  CHECK_FALSE(other.got[2].redelivered);
  CHECK(other.got[2].count == 1);
  Status late = f.broker.ack(f.con, f.con_sink.got[0].tag);
  CHECK(late.code() == Code::kClosed);
  CHECK(late.message() == "session 2 (cook): is dead; its deliveries went back to their queues");
}

TEST_CASE("a nack on a closed session is refused") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("x", "q")).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", {}).is_ok());
  REQUIRE(f.broker.close_session(f.con).is_ok());
  Status st = f.broker.nack(f.con, 1, true);
  CHECK(st.code() == Code::kClosed);
  CHECK(st.message() == "session 2 (cook): is closed; its deliveries went back to their queues");
  CHECK(queue_of(f.broker, "q").ready == 1);
  CHECK(f.broker.publish(f.con, "", msg("y", "q")).status().code() == Code::kClosed);
}

TEST_CASE("a requeued message goes back before newer ones") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  Recorder a;
  SessionId sa = client(f.broker, &a, "a");
  REQUIRE(f.broker.publish(f.pub, "", msg("1", "q")).is_ok());
  REQUIRE(f.broker.subscribe(sa, "q", ConsumeOptions{1, false}).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("2", "q")).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("3", "q")).is_ok());
  auto before = f.broker.peek("q", 0, 10);
  REQUIRE(before.size() == 3);
  CHECK(before[0].id == 2);
  CHECK(before[2].unacked);
  REQUIRE(f.broker.cancel(sa, 1).is_ok());
  auto after = f.broker.peek("q", 0, 10);
  REQUIRE(after.size() == 3);
  CHECK(after[0].id == 1);
  CHECK(after[0].redelivered);
  CHECK(after[1].id == 2);
}

TEST_CASE("heartbeats: a silent session is suspected, then dead, and its deliveries return") {
  Fixture f;
  Recorder r;
  SessionId cook = client(f.broker, &r, "slow cook", 2 * kSeconds, 6 * kSeconds);
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("x", "q")).is_ok());
  REQUIRE(f.broker.subscribe(cook, "q", {}).is_ok());
  CHECK(f.broker.next_deadline() == 2 * kSeconds);
  f.clock.set(1 * kSeconds);
  REQUIRE(f.broker.heartbeat(cook).is_ok());
  f.clock.set(3 * kSeconds - 1);
  f.broker.tick();
  CHECK(f.broker.session_state(cook).value() == SessionState::kActive);
  f.clock.set(3 * kSeconds);
  f.broker.tick();
  CHECK(f.broker.session_state(cook).value() == SessionState::kSuspected);
  CHECK(queue_of(f.broker, "q").unacked == 1);
  f.clock.set(7 * kSeconds);
  f.broker.tick();
  CHECK(f.broker.session_state(cook).value() == SessionState::kDead);
  CHECK(queue_of(f.broker, "q").ready == 1);
  CHECK(r.states == std::vector<SessionState>{SessionState::kActive, SessionState::kSuspected,
                                              SessionState::kDead});
}

TEST_CASE("a suspected session that is heard from again is active") {
  Fixture f;
  Recorder r;
  SessionId s = client(f.broker, &r, "x", kSeconds, 10 * kSeconds);
  f.clock.set(kSeconds);
  f.broker.tick();
  CHECK(f.broker.session_state(s).value() == SessionState::kSuspected);
  REQUIRE(f.broker.heartbeat(s).is_ok());
  CHECK(f.broker.session_state(s).value() == SessionState::kActive);
}

TEST_CASE("session_state of an unknown or released session is kNotFound") {
  Fixture f;
  Result<SessionState> never = f.broker.session_state(99);
  REQUIRE_FALSE(never.is_ok());
  CHECK(never.status().code() == Code::kNotFound);
  CHECK(never.status().message() == "session 99: no such session");
  REQUIRE(f.broker.close_session(f.con).is_ok());
  CHECK(f.broker.session_state(f.con).value() == SessionState::kClosed);
  f.broker.release_session(f.con);
  CHECK(f.broker.session_state(f.con).status().message() ==
        "session " + std::to_string(f.con) + ": no such session");
}

TEST_CASE("every way out of a queue for good carries its DropReason, spelled in the reason") {
  Fixture f;
  QueueOptions full;
  full.max_length = 1;
  full.overflow = Overflow::kDropHead;
  QueueOptions limited;
  limited.delivery_limit = 1;
  QueueOptions ttl;
  ttl.message_ttl = kSeconds;
  REQUIRE(f.broker.declare_queue("full", full).is_ok());
  REQUIRE(f.broker.declare_queue("limited", limited).is_ok());
  REQUIRE(f.broker.declare_queue("ttl", ttl).is_ok());
  REQUIRE(f.broker.declare_queue("plain", {}).is_ok());
  for (const char* q : {"full", "full", "limited", "limited", "ttl", "plain", "plain"})
    REQUIRE(f.broker.publish(f.pub, "", msg("x", q)).is_ok());
  // limited: one delivery, then a requeue past the limit; the other is rejected.
  REQUIRE(f.broker.subscribe(f.con, "limited", ConsumeOptions{1, false}).is_ok());
  REQUIRE(f.broker.nack(f.con, 1, true).is_ok());
  REQUIRE(f.broker.nack(f.con, 2, false).is_ok());
  f.clock.set(kSeconds);
  f.broker.tick();
  REQUIRE(f.broker.delete_queue("plain").is_ok());
  CHECK(f.log.drops == std::vector<DropReason>{DropReason::kMaxLength, DropReason::kDeliveryLimit,
                                               DropReason::kRejected, DropReason::kExpired,
                                               DropReason::kQueueDeleted,
                                               DropReason::kQueueDeleted});
  CHECK(f.log.has("dropped full #1 maxlen"));
  CHECK(f.log.has("dropped limited #3 delivery_limit"));
  CHECK(f.log.has("dropped limited #4 rejected"));
  CHECK(f.log.has("dropped ttl #5 expired"));
  CHECK(f.log.has("dropped plain #6 queue deleted"));
  for (DropReason r : f.log.drops)
    CHECK(drop_reason_from_name(drop_reason_name(r)) == r);
  CHECK(drop_reason_from_name("crashed") == std::nullopt);
}

TEST_CASE("a session that has not connected cannot publish") {
  ManualClock clock;
  Broker b(clock);
  SessionId s = b.open_session(SessionOptions{"early", 0, 0}, nullptr);
  REQUIRE(b.declare_queue("q", {}).is_ok());
  auto r = b.publish(s, "", msg("x", "q"));
  CHECK(r.status().code() == Code::kClosed);
  CHECK(r.status().message() == "session 1 (early): not connected yet");
}

TEST_CASE("auto-ack settles as it delivers") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", ConsumeOptions{1, true}).is_ok());
  for (int i = 0; i < 3; ++i)
    REQUIRE(f.broker.publish(f.pub, "", msg(std::to_string(i), "q")).is_ok());
  CHECK(f.con_sink.got.size() == 3);
  CHECK(queue_of(f.broker, "q").unacked == 0);
  CHECK(f.broker.ack(f.con, f.con_sink.got[0].tag).code() == Code::kUnknownTag);
}

TEST_CASE("a sink may ack from inside on_delivery") {
  ManualClock clock;
  Broker b(clock);
  struct Eager : SessionSink {
    Broker* b = nullptr;
    SessionId self = 0;
    int n = 0;
    void on_delivery(const Delivery& d) override {
      ++n;
      REQUIRE(b->ack(self, d.tag).is_ok());
    }
  } eager;
  eager.b = &b;
  eager.self = client(b, &eager);
  Recorder pr;
  SessionId p = client(b, &pr);
  REQUIRE(b.declare_queue("q", {}).is_ok());
  for (int i = 0; i < 100; ++i)
    REQUIRE(b.publish(p, "", msg("x", "q")).is_ok());
  REQUIRE(b.subscribe(eager.self, "q", ConsumeOptions{1, false}).is_ok());
  CHECK(eager.n == 100);
  CHECK(queue_of(b, "q").ready == 0);
  CHECK(queue_of(b, "q").unacked == 0);
}

TEST_CASE("deleting a queue cancels its consumers and drops its messages") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("x", "q")).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("y", "q")).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", {}).is_ok());
  REQUIRE(f.broker.delete_queue("q").is_ok());
  CHECK_FALSE(f.broker.has_queue("q"));
  CHECK(f.con_sink.cancelled.size() == 1);
  CHECK(f.log.count(EventKind::kDropped) == 2);
  CHECK(f.broker.delete_queue("q").code() == Code::kNotFound);
}

TEST_CASE("events follow the publish pipeline in order") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "q", {}).is_ok());
  f.log.kinds.clear();
  REQUIRE(f.broker.publish(f.pub, "", msg("x", "q")).is_ok());
  REQUIRE(f.broker.ack(f.con, 1).is_ok());
  CHECK(f.log.kinds == std::vector<EventKind>{EventKind::kPublished, EventKind::kValidated,
                                              EventKind::kRouted, EventKind::kEnqueued,
                                              EventKind::kConfirmed, EventKind::kDelivered,
                                              EventKind::kAcked});
}

TEST_CASE("a snapshot shows exchanges, bindings, queues, consumers and sessions") {
  Fixture f;
  REQUIRE(f.broker.declare_exchange("orders", {}).is_ok());
  QueueOptions o;
  o.durable = true;
  REQUIRE(f.broker.declare_queue("grill", o).is_ok());
  REQUIRE(f.broker.bind("grill", "orders", "grill").is_ok());
  REQUIRE(f.broker.subscribe(f.con, "grill", ConsumeOptions{3, false}).is_ok());
  REQUIRE(f.broker.publish(f.pub, "orders", msg("satay", "grill")).is_ok());
  BrokerSnapshot s = f.broker.snapshot();
  REQUIRE(s.exchanges.size() == 2);
  CHECK(s.exchanges[0].name == "");
  CHECK(s.exchanges[1].name == "orders");
  REQUIRE(s.bindings.size() == 1);
  CHECK(s.bindings[0].key == "grill");
  REQUIRE(s.queues.size() == 1);
  CHECK(s.queues[0].options.durable);
  CHECK(s.queues[0].unacked == 1);
  CHECK(s.queues[0].consumers == 1);
  REQUIRE(s.consumers.size() == 1);
  CHECK(s.consumers[0].prefetch == 3);
  CHECK(s.consumers[0].unacked == 1);
  REQUIRE(s.sessions.size() == 2);
  CHECK(s.sessions[0].name == "cashier");
  CHECK(s.sessions[0].published == 1);
  CHECK(s.sessions[1].unacked == 1);
  CHECK_FALSE(s.store.attached);
}

TEST_CASE("update_queue changes limits on a live queue") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("1", "q")).is_ok());
  QueueOptions o;
  o.max_length = 1;
  REQUIRE(f.broker.update_queue("q", o).is_ok());
  CHECK(f.broker.publish(f.pub, "", msg("2", "q")).status().code() == Code::kFull);
  CHECK(f.broker.update_queue("nope", o).code() == Code::kNotFound);
}

TEST_CASE("fields too long to store are rejected, not truncated") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("q", {}).is_ok());
  Message m = msg("hello", "q");
  m.content_type = std::string(256, 't');
  f.broker.register_content_type(m.content_type);
  auto r = f.broker.publish(f.pub, "", m);
  CHECK(r.status().code() == Code::kInvalid);
  CHECK(r.status().message() == "message 1 rejected: content type is 256 bytes, the limit is 255");
  Message k = msg("hello", std::string(65536, 'k'));
  CHECK(f.broker.publish(f.pub, "", k).status().message() ==
        "message 2 rejected: routing key is 65536 bytes, the limit is 65535");
  Message h = msg("hello", "q");
  h.headers.push_back({std::string(70000, 'h'), "v"});
  CHECK(f.broker.publish(f.pub, "", h).status().message() ==
        "message 3 rejected: a header name is 70000 bytes, the limit is 65535");
  CHECK(queue_of(f.broker, "q").ready == 0);
}

TEST_CASE("a sink may end its own session when told its consumer was cancelled") {
  ManualClock clock;
  Broker b(clock);
  struct Quitter : SessionSink {
    Broker* b = nullptr;
    SessionId self = 0;
    int cancels = 0;
    void on_cancel(ConsumerId) override {
      ++cancels;
      (void)b->kill_session(self, "gave up");
    }
  } quitter;
  quitter.b = &b;
  quitter.self = client(b, &quitter, "quitter");
  Recorder pr;
  SessionId p = client(b, &pr);
  REQUIRE(b.declare_queue("q", {}).is_ok());
  REQUIRE(b.declare_queue("other", {}).is_ok());
  REQUIRE(b.subscribe(quitter.self, "q", {}).is_ok());
  REQUIRE(b.subscribe(quitter.self, "q", {}).is_ok());
  REQUIRE(b.subscribe(quitter.self, "other", {}).is_ok());
  REQUIRE(b.publish(p, "", msg("x", "other")).is_ok());
  REQUIRE(b.delete_queue("q").is_ok());
  CHECK(quitter.cancels == 2);
  CHECK(b.session_state(quitter.self).value() == SessionState::kDead);
  CHECK(queue_of(b, "other").ready == 1);
  CHECK(queue_of(b, "other").consumers == 0);
}

TEST_CASE("state changes reach the sink after the call that caused them") {
  ManualClock clock;
  Broker b(clock);
  struct Watcher : SessionSink {
    Broker* b = nullptr;
    size_t ready_seen = 99;
    void on_state(SessionState s) override {
      if (s == SessionState::kDead) ready_seen = queue_of(*b, "q").ready;
    }
  } w;
  w.b = &b;
  SessionId s = client(b, &w, "w");
  Recorder pr;
  SessionId p = client(b, &pr);
  REQUIRE(b.declare_queue("q", {}).is_ok());
  REQUIRE(b.publish(p, "", msg("x", "q")).is_ok());
  REQUIRE(b.subscribe(s, "q", {}).is_ok());
  REQUIRE(b.kill_session(s, "crash").is_ok());
  // Told once its delivery was already back in the queue.
  CHECK(w.ready_seen == 1);
}

TEST_CASE("closing the broker hands no session the unacked messages of a session closed before") {
  Fixture f;
  Recorder other_sink;
  const SessionId other = client(f.broker, &other_sink, "cook-2");
  REQUIRE(f.broker.declare_queue("wok", {}).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "wok", ConsumeOptions{1, false}).is_ok());
  REQUIRE(f.broker.publish(f.pub, "", msg("mie goreng", "wok")).is_ok());
  REQUIRE(f.con_sink.got.size() == 1);
  // The second cook has credit and nothing to do: the first cook's order must not bounce to it
  // while the broker ends every session.
  REQUIRE(f.broker.subscribe(other, "wok", ConsumeOptions{10, false}).is_ok());
  CHECK(other_sink.got.empty());
  REQUIRE(f.broker.close().is_ok());
  CHECK(other_sink.got.empty());
  CHECK(f.broker.snapshot().queues.at(0).ready == 1);
}

TEST_CASE("after stop_delivering a published message waits in its queue") {
  Fixture f;
  REQUIRE(f.broker.declare_queue("wok", {}).is_ok());
  REQUIRE(f.broker.subscribe(f.con, "wok", ConsumeOptions{10, false}).is_ok());
  f.broker.stop_delivering();
  REQUIRE(f.broker.publish(f.pub, "", msg("mie goreng", "wok")).is_ok());
  CHECK(f.con_sink.got.empty());
  CHECK(f.broker.snapshot().queues.at(0).ready == 1);
}
