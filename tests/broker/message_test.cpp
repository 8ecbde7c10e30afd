#include <doctest.h>

#include "broker/message.h"
#include "broker/status.h"

using namespace wmq;

TEST_CASE("a payload keeps every field it was made from") {
  std::vector<Header> headers{{"table", "4"}, {"cashier", "ani"}};
  Payload::Fields f;
  f.id = 17;
  f.body = R"({"dish":"nasi goreng","qty":2})";
  f.content_type = "application/json";
  f.routing_key = "wok";
  f.headers = &headers;
  f.persistent = true;
  f.expires_at = 5 * kSeconds;
  PayloadRef p = PayloadRef::adopt(Payload::make(f));
  CHECK(p->id() == 17);
  CHECK(p->body() == R"({"dish":"nasi goreng","qty":2})");
  CHECK(p->content_type() == "application/json");
  CHECK(p->routing_key() == "wok");
  CHECK(p->headers() == headers);
  CHECK(p->header("cashier") == std::optional<std::string>("ani"));
  CHECK_FALSE(p->header("missing").has_value());
  CHECK(p->persistent());
  CHECK(p->expires_at() == 5 * kSeconds);
}

TEST_CASE("a payload body may hold NUL bytes") {
  std::string body("a\0b\0c", 5);
  Payload::Fields f;
  f.body = body;
  PayloadRef p = PayloadRef::adopt(Payload::make(f));
  CHECK(p->body().size() == 5);
  CHECK(p->body() == body);
  CHECK(p->headers().empty());
}

TEST_CASE("a status carries its code and a sentence") {
  Status s = Status::error(Code::kFull, "queue \"grill\": full");
  CHECK_FALSE(s.is_ok());
  CHECK(s.code() == Code::kFull);
  CHECK(s.message() == "queue \"grill\": full");
  CHECK(std::string(code_name(Code::kUnknownTag)) == "unknown-tag");
  Result<int> r = Status::error(Code::kNotFound, "no queue \"x\"");
  CHECK_FALSE(r.is_ok());
  CHECK(r.status().message() == "no queue \"x\"");
  Result<int> v = 3;
  CHECK(v.value() == 3);
}
