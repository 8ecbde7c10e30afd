// Who may come in and what they may do: hashed passcodes, plain ones with a
// warning, allow lines per login, and the slower answer to repeated failed
// logins from one address (on a ManualClock, the loop never sleeps).
#include <doctest.h>

#include <string>
#include <vector>

#include "broker/broker.h"
#include "stomp/door.h"
#include "stomp/login_guard.h"
#include "stomp/session.h"
#include "stomp/users.h"
#include "stomp_test_util.h"

using namespace wmq;
using namespace wmq::stomp;
using namespace wmq::stomp::test;

namespace {

struct World {
  ManualClock clock{1'000'000};
  Broker broker{clock};
};

Headers login(std::string name, std::string passcode) {
  return {{"login", std::move(name)}, {"passcode", std::move(passcode)}};
}

}  // namespace

TEST_CASE("a hashed passcode checks the passcode it was made from, and nothing else") {
  auto hash = Users::hash_passcode("sambal-pedas");
  REQUIRE(hash.is_ok());
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  // Salted: the same passcode hashes differently each time.
  CHECK(Users::hash_passcode("sambal-pedas").value() != hash.value());
  auto users = Users::parse("user koki-1 " + hash.value() + "\n", "users.txt");
  REQUIRE(users.is_ok());
  CHECK(users->warnings().empty());
  CHECK(users->check("koki-1", "sambal-pedas"));
  CHECK_FALSE(users->check("koki-1", "sambal-pedaS"));
  CHECK_FALSE(users->check("koki-1", ""));
  CHECK_FALSE(users->check("koki-2", "sambal-pedas"));
  // The hash itself is not a passcode.
  CHECK_FALSE(users->check("koki-1", hash.value()));
}

TEST_CASE("passcodes that a users file could not hold are refused") {
  CHECK(Users::hash_passcode("").status().message() == "the passcode is empty");
  CHECK(Users::hash_passcode("dua kata").status().message() ==
        "a passcode may not hold a space, tab or line break (STOMP headers and the users file "
        "could not carry it)");
}

TEST_CASE("a plain-text passcode loads, with a warning naming its line") {
  auto users = Users::parse("# staff\nuser kasir rahasia\n", "users.txt");
  REQUIRE(users.is_ok());
  CHECK(users->check("kasir", "rahasia"));
  CHECK(users->warnings() ==
        std::vector<std::string>{
            "users.txt:2: the passcode of \"kasir\" is plain text, readable by anyone who can "
            "read this file; store a hash with `warungmq users add kasir --file users.txt`"});
}

TEST_CASE("with_user replaces a login's line where it is, or appends one") {
  const std::string text = "# staff\nuser kasir a\nuser koki b\nallow koki read /queue/grill\n";
  CHECK(Users::with_user(text, "u", "koki", "$argon2id$x").value() ==
        "# staff\nuser kasir a\nuser koki $argon2id$x\nallow koki read /queue/grill\n");
  CHECK(Users::with_user(text, "u", "pelayan", "$argon2id$y").value() == text +
                                                                             "user pelayan "
                                                                             "$argon2id$y\n");
  CHECK(Users::with_user("", "u", "kasir", "$argon2id$z").value() == "user kasir $argon2id$z\n");
  CHECK(Users::with_user(text, "u", "dua kata", "h").status().message() ==
        "login \"dua kata\" cannot be written: a login is one word that does not start with '#'");
  CHECK(Users::with_user("bogus line\n", "u", "kasir", "h").status().message() ==
        "u:1: unknown keyword \"bogus\" (expected \"user\", \"allow\" or \"host\")");
}

TEST_CASE("allow lines: the format and its errors") {
  CHECK(Users::parse("user a 1\nallow a read\n", "u").status().message() ==
        "u:2: an allow line is \"allow LOGIN read|write DESTINATION\", got 2 word(s) after "
        "\"allow\"");
  CHECK(Users::parse("user a 1\nallow a configure /queue/q\n", "u").status().message() ==
        "u:2: unknown permission \"configure\" (expected \"read\" or \"write\")");
  CHECK(Users::parse("user a 1\nallow a read queue/q\n", "u").status().message() ==
        "u:2: destination \"queue/q\" does not start with '/' (e.g. /queue/grill)");
  CHECK(Users::parse("allow b read /queue/q\nuser a 1\n", "u").status().message() ==
        "u:1: allow line for \"b\", who has no user line");
}

TEST_CASE("allow lines restrict their login to what they name") {
  auto users = Users::parse(
      "user kasir 1\nuser koki-1 2\nuser guru 3\n"
      "allow kasir write /exchange/orders\n"
      "allow koki-1 read /queue/grill\nallow koki-1 write /queue/done.*\n",
      "u");
  REQUIRE(users.is_ok());
  CHECK(users->may("kasir", Access::kWrite, "/exchange/orders"));
  CHECK(users->may("kasir", Access::kWrite, "/exchange/orders/grill"));
  CHECK_FALSE(users->may("kasir", Access::kWrite, "/exchange/orders2"));
  CHECK_FALSE(users->may("kasir", Access::kRead, "/exchange/orders"));
  CHECK(users->may("koki-1", Access::kRead, "/queue/grill"));
  CHECK_FALSE(users->may("koki-1", Access::kRead, "/queue/drinks"));
  CHECK(users->may("koki-1", Access::kWrite, "/queue/done.grill"));
  CHECK_FALSE(users->may("koki-1", Access::kWrite, "/queue/done"));
  // Without allow lines, everything; reply queues always.
  CHECK(users->may("guru", Access::kRead, "/queue/anything"));
  CHECK(users->may("guru", Access::kWrite, "/topic/anything"));
  CHECK(users->may("kasir", Access::kWrite, "/reply-queue/abc"));
}

TEST_CASE("a SEND or SUBSCRIBE outside the login's allow lines is refused, and it closes") {
  World w;
  auto users = Users::parse(
      "user kasir a\nuser koki-1 b\nallow kasir write /exchange/orders\n"
      "allow koki-1 read /queue/grill\n",
      "users.txt");
  REQUIRE(users.is_ok());
  SessionConfig c;
  c.users = &users.value();
  SUBCASE("SEND") {
    Peer p(w.broker, c);
    REQUIRE(p.connect(login("koki-1", "b")).command == "CONNECTED");
    p.send(make("SEND", {{"destination", "/queue/grill"}}, "sate"));
    Frame e = p.one();
    CHECK(e.command == "ERROR");
    CHECK(header(e, "message") == "access refused");
    CHECK(e.body.find("Login \"koki-1\" may not write \"/queue/grill\": the users file has no "
                      "\"allow koki-1 write /queue/grill\" line.\n") == 0);
    CHECK(p.wire.closed);
    CHECK(w.broker.snapshot().queues.empty());  // nothing was declared or sent
  }
  SUBCASE("SUBSCRIBE") {
    Peer p(w.broker, c);
    REQUIRE(p.connect(login("kasir", "a")).command == "CONNECTED");
    p.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/grill"}}));
    Frame e = p.one();
    CHECK(header(e, "message") == "access refused");
    CHECK(e.body.find("Login \"kasir\" may not read \"/queue/grill\": the users file has no "
                      "\"allow kasir read /queue/grill\" line.\n") == 0);
    CHECK(p.wire.closed);
  }
  SUBCASE("a SEND inside a transaction is refused at once") {
    Peer p(w.broker, c);
    REQUIRE(p.connect(login("koki-1", "b")).command == "CONNECTED");
    p.send(make("BEGIN", {{"transaction", "t"}}));
    p.send(make("SEND", {{"destination", "/exchange/orders"}, {"transaction", "t"}}, "x"));
    CHECK(header(p.one(), "message") == "access refused");
  }
  SUBCASE("what the lines allow goes through") {
    CHECK(w.broker.declare_queue("grill", {}).is_ok());
    Peer cook(w.broker, c);
    REQUIRE(cook.connect(login("koki-1", "b")).command == "CONNECTED");
    cook.send(make("SUBSCRIBE", {{"id", "1"}, {"destination", "/queue/grill"}, {"receipt", "r"}}));
    CHECK(header(cook.one(), "receipt-id") == "r");
    Peer cashier(w.broker, c);
    REQUIRE(cashier.connect(login("kasir", "a")).command == "CONNECTED");
    CHECK(w.broker.declare_exchange("orders", {}).is_ok());
    CHECK(w.broker.bind("grill", "orders", "grill").is_ok());
    // /exchange/orders covers every routing key sent to it.
    cashier.send(
        make("SEND", {{"destination", "/exchange/orders/grill"}, {"receipt", "s"}}, "sate"));
    CHECK(header(cashier.one(), "receipt-id") == "s");
    Frame m = cook.one();
    CHECK(m.command == "MESSAGE");
    CHECK(m.body == "sate");
    CHECK_FALSE(cook.wire.closed);
    CHECK_FALSE(cashier.wire.closed);
  }
}

TEST_CASE("after repeated failed logins from one address the answer comes later") {
  World w;
  auto users = Users::parse("user kasir rahasia\n", "users.txt");
  REQUIRE(users.is_ok());
  LoginGuard guard;  // 3 free failures, then 250 ms doubling up to 8 s
  SessionConfig c;
  c.users = &users.value();
  c.login_guard = &guard;
  c.peer = "10.0.0.7:40000";
  auto try_once = [&](const std::string& passcode, const std::string& peer) {
    SessionConfig pc = c;
    pc.peer = peer;
    auto p = std::make_unique<Peer>(w.broker, pc);
    p->send(
        make("CONNECT", {{"accept-version", "1.2"}, {"login", "kasir"}, {"passcode", passcode}}));
    return p;
  };
  for (int i = 0; i < 3; ++i) {
    auto p = try_once("tebak", "10.0.0.7:" + std::to_string(40000 + i));
    CHECK(header(p->one(), "message") == "login failed");  // at once
  }
  // The fourth: nothing yet, nothing even after input; the ERROR at +250 ms.
  auto p = try_once("tebak", "10.0.0.7:40010");
  CHECK(p->frames().empty());
  CHECK(p->session->next_timer() == w.clock.now() + 250 * kMillis);
  p->send(make("SEND", {{"destination", "/queue/q"}}, "x"));
  w.clock.advance(249 * kMillis);
  p->session->on_timer();
  CHECK(p->frames().empty());
  CHECK_FALSE(p->wire.closed);
  w.clock.advance(1 * kMillis);
  p->session->on_timer();
  CHECK(header(p->one(), "message") == "login failed");
  CHECK(p->wire.closed);
  CHECK(w.broker.snapshot().queues.empty());  // the SEND meanwhile did nothing
  // The fifth waits 500 ms; another address is answered at once.
  auto fifth = try_once("tebak", "10.0.0.7:40011");
  CHECK(fifth->session->next_timer() == w.clock.now() + 500 * kMillis);
  auto other = try_once("tebak", "10.0.0.8:40000");
  CHECK(header(other->one(), "message") == "login failed");
  // Even the right passcode is answered at once: only failures wait.
  auto right = try_once("rahasia", "10.0.0.7:40012");
  CHECK(right->one().command == "CONNECTED");
}

TEST_CASE("the login guard's delay doubles, stays bounded and is forgotten after a quiet while") {
  LoginGuard g;
  Micros now = 0;
  std::vector<Micros> delays;
  for (int i = 0; i < 10; ++i)
    delays.push_back(g.on_failure("a", now));
  CHECK(delays == std::vector<Micros>{0, 0, 0, 250 * kMillis, 500 * kMillis, 1 * kSeconds,
                                      2 * kSeconds, 4 * kSeconds, 8 * kSeconds, 8 * kSeconds});
  CHECK(g.failures("a", now) == 10);
  now += 10 * 60 * kSeconds;
  CHECK(g.failures("a", now) == 0);
  CHECK(g.on_failure("a", now) == 0);
  CHECK(LoginGuard::host_of("10.0.0.7:40312") == "10.0.0.7");
  CHECK(LoginGuard::host_of("[::1]:5") == "[::1]");
  CHECK(LoginGuard::host_of("test") == "test");
}

TEST_CASE("the login guard remembers a bounded number of addresses") {
  LoginGuardOptions o;
  o.max_addresses = 2;
  LoginGuard g(o);
  (void)g.on_failure("a", 1);
  (void)g.on_failure("b", 2);
  (void)g.on_failure("c", 3);  // "a", quiet longest, makes room
  CHECK(g.failures("a", 3) == 0);
  CHECK(g.failures("b", 3) == 1);
  CHECK(g.failures("c", 3) == 1);
}

TEST_CASE("the door opens on loopback, with a users file, or for anyone when asked") {
  for (const char* bind : {"127.0.0.1", "127.1.2.3", "::1", "localhost"}) {
    CAPTURE(bind);
    CHECK(is_loopback(bind));
    CHECK(check_door(bind, false, false).is_ok());
  }
  for (const char* bind : {"0.0.0.0", "::", "192.168.1.10", "128.0.0.1", "localhost.example"}) {
    CAPTURE(bind);
    CHECK_FALSE(is_loopback(bind));
    const Status st = check_door(bind, false, false);
    CHECK(st.code() == Code::kInvalid);
    CHECK(st.message() == "--bind " + std::string(bind) +
                              " without --users would let anyone on the network connect under "
                              "any name and take any queue's orders; make a users file with "
                              "`warungmq users add LOGIN --file users.txt` (once per login) and "
                              "start with --users users.txt, or give --allow-anyone for an open "
                              "classroom");
    CHECK(check_door(bind, true, false).is_ok());
    CHECK(check_door(bind, false, true).is_ok());
  }
  CHECK(allow_anyone_warning("0.0.0.0", 61613) ==
        "warning: --allow-anyone: anyone who can reach 0.0.0.0 port 61613 may connect under any "
        "name, read every queue and send anywhere");
}
