#include <doctest.h>

#include <memory>

#include "sim/order_format.h"

using namespace wmq;
using namespace wmq::sim;

namespace {

std::shared_ptr<const Menu> test_menu() {
  Result<Menu> m = load_menu(WMQ_ASSETS_DIR "/menu.toml");
  REQUIRE(m.is_ok());
  return std::make_shared<const Menu>(std::move(m).value());
}

Message json(std::string body, std::string key = "wok") {
  Message m;
  m.body = std::move(body);
  m.routing_key = std::move(key);
  m.content_type = kOrderJson;
  return m;
}

}  // namespace

TEST_CASE("the order JSON and the old cashier's note have their documented form") {
  CHECK(order_json(17, "nasi goreng", 2, 4) ==
        R"({"order":17,"dish":"nasi goreng","qty":2,"table":4})");
  CHECK(order_json(1, "a\"b", 1, 1) == R"({"order":1,"dish":"a\"b","qty":1,"table":1})");
  CHECK(order_note("nasi goreng", 2, 4) == "2x nasi goreng; meja 4");
}

TEST_CASE("the validator accepts a good order and says why it refuses a bad one") {
  Validator v = make_order_validator(test_menu());
  CHECK(v(json(order_json(17, "nasi goreng", 2, 4))).is_ok());
  CHECK(v(json(R"({"order":3,"dish":"es teh","qty":1,"table":2,"note":"less sugar"})", "drinks"))
            .is_ok());
  const std::pair<std::string, std::string> bad[] = {
      {order_json(17, "nasi goreng", 0, 4), R"(order 17 rejected: "qty" must be 1..20, got 0)"},
      {order_json(17, "nasi goreng", 21, 4), R"(order 17 rejected: "qty" must be 1..20, got 21)"},
      {R"({"order":17,"dish":"nasi goreng","qty":"two","table":4})",
       R"(order 17 rejected: "qty" must be 1..20, got "two")"},
      {order_json(5, "pizza", 1, 4),
       R"(order 5 rejected: "dish" must be a dish on the menu, got "pizza")"},
      {R"({"order":5,"dish":"nasi goreng","qty":1})", R"(order 5 rejected: "table" is missing)"},
      {order_json(5, "nasi goreng", 1, 0),
       R"(order 5 rejected: "table" must be an integer >= 1, got 0)"},
      {R"({"dish":"nasi goreng","qty":1,"table":1})", R"(order rejected: "order" is missing)"},
      {R"({"order":"x","dish":"nasi goreng","qty":1,"table":1})",
       R"(order rejected: "order" must be an integer, got "x")"},
      {R"({"order":5,"dish":7,"qty":1,"table":1})",
       R"(order 5 rejected: "dish" must be a dish name in quotes, got 7)"},
      {R"({"order":5,"dish":"nasi goreng","qty":1.5,"table":1})",
       R"(order 5 rejected: "qty" must be 1..20, got 1.5)"},
      {R"({"order":5,"dish":"nasi goreng","qty":[1],"table":1})",
       R"(order 5 rejected: "qty" must be 1..20, got a list)"},
      {"2 nasi goreng please", "order rejected: the body is not a JSON object"},
      {"[1,2]", "order rejected: the body is not a JSON object"},
      {R"({"order":5)", "order rejected: the body is not a JSON object"},
  };
  for (const auto& c : bad) {
    const std::string& body = c.first;
    const std::string& sentence = c.second;
    CAPTURE(body);
    Status st = v(json(body));
    REQUIRE_FALSE(st.is_ok());
    CHECK(st.code() == Code::kInvalid);
    CHECK(st.message() == sentence);
  }
  CHECK(v(json(order_json(9, "sate ayam", 1, 1), "wok")).message() ==
        R"(order 9 rejected: "sate ayam" is cooked at "grill", not at "wok")");
}

TEST_CASE("the note translator turns a readable note into the order JSON") {
  Translator t = make_note_translator();
  CHECK(t.from == kOrderNote);
  CHECK(t.to == kOrderJson);
  Message m;
  m.content_type = kOrderNote;
  m.body = "2x nasi goreng; meja 4";
  m.headers.push_back(Header{"order", "12"});
  Result<std::string> r = t.fn(m);
  REQUIRE(r.is_ok());
  CHECK(*r == R"({"order":12,"dish":"nasi goreng","qty":2,"table":4})");
  m.body = "1x es teh; table 3";
  CHECK(*t.fn(m) == R"({"order":12,"dish":"es teh","qty":1,"table":3})");
}

TEST_CASE("a note the translator cannot read is refused with how to write it") {
  Translator t = make_note_translator();
  Message m;
  m.content_type = kOrderNote;
  m.headers.push_back(Header{"order", "12"});
  for (const char* note : {"dua nasi goreng buat meja 4", "2x nasi goreng meja 4", "2x ; meja 4",
                           "2x nasi goreng; kursi 4", "x nasi; meja 1"}) {
    m.body = note;
    Result<std::string> r = t.fn(m);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().message() == "order 12 rejected: cannot read the note \"" + std::string(note) +
                                      "\"; write it like \"2x nasi goreng; meja 4\"");
  }
  Message unnumbered;
  unnumbered.body = "2x nasi goreng; meja 4";
  CHECK(t.fn(unnumbered).status().message() ==
        "order rejected: the note has no order number (header \"order\")");
}

TEST_CASE("the validator reads any well-formed JSON object and refuses anything else") {
  Validator v = make_order_validator(test_menu());
  for (
      const char* good : {
          R"({"order":1,"dish":"nasi\u0020goreng","qty":1,"table":1})",
          " {\n\t\"order\" : 1 , \"dish\" : \"nasi goreng\" , \"qty\" : 2 , \"table\" : 3 }\r\n",
          R"({"order":1,"dish":"nasi goreng","qty":1,"table":1,"extra":{"a":[1,2.5e3,true,null,"\"]"]}})",
          R"({"order":1,"dish":"nasi goreng","qty":1,"table":1,"note":"\ud83c\udf36 pedas \/ \n"})",
          R"({"order":1,"dish":"x","dish":"nasi goreng","qty":1,"table":1})",
      }) {
    CAPTURE(good);
    CHECK(v(json(good)).is_ok());
  }
  for (const char* bad : {
           R"({"order":1,"dish":"nasi goreng","qty":1,"table":1,})",
           R"({'order':1})",
           R"({"order":01,"dish":"nasi goreng","qty":1,"table":1})",
           R"({"order":1,"dish":"nasi goreng","qty":1,"table":1,"x":[1,})",
           R"({"order":1,"dish":"nasi goreng","qty":1,"table":1,"x":"\ud83c"})",
           R"({"order":1,"dish":"nasi goreng","qty":1,"table":1,"x":"\q"})",
           R"({"order":1,"dish":"nasi goreng","qty":1,"table":1} {})",
           R"({"order":1,"dish":"nasi goreng","qty":1,"table":1,"x":tru})",
           "{\"order\":1,\"dish\":\"nasi\tgoreng\",\"qty\":1,\"table\":1}",
           R"({"order":-,"dish":"nasi goreng","qty":1,"table":1})",
           "",
       }) {
    CAPTURE(bad);
    CHECK(v(json(bad)).message() == "order rejected: the body is not a JSON object");
  }
  // A number too large for an integer is shown as written.
  CHECK(v(json(R"({"order":99999999999999999999,"dish":"nasi goreng","qty":1,"table":1})"))
            .message() ==
        R"(order rejected: "order" must be an integer, got 99999999999999999999)");
}
