// libFuzzer target for the `orders` exchange's checks (app/sim
// order_format.h): the order validator and the note translator.
//
// Input: byte 0 picks the routing key (a station of the shipped menu, or
// another word) and whether the rest is a JSON body or a note; byte 1 picks
// the note's order header. Properties:
//   - the validator accepts, or refuses with "order[ N] rejected: " and a
//     reason that names the field ("order", "dish", "qty", "table") or says
//     the body is not a JSON object;
//   - the translator refuses with such a sentence, or writes JSON the
//     validator reads whole: its verdict is never "not a JSON object" nor
//     about the order number, and it accepts exactly when the note's dish is
//     cooked at the routing key's station and its quantity is 1..20 and its
//     table at least 1 (never half).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "broker/message.h"
#include "fuzz_util.h"
#include "sim/menu.h"
#include "sim/order_format.h"

using wmq::Message;
using wmq::fuzz::require;
using wmq::fuzz::starts_with;

namespace {

constexpr const char* kTarget = "order_fuzz";

const wmq::sim::Menu& menu() {
  static const wmq::sim::Menu m = [] {
    auto loaded = wmq::sim::load_menu(WMQ_ASSETS_DIR "/menu.toml");
    require(loaded.is_ok(), kTarget, "the shipped menu loads",
            loaded.is_ok() ? "" : loaded.status().message());
    return std::move(loaded).value();
  }();
  return m;
}

bool names_a_field(std::string_view reason) {
  for (std::string_view f : {"\"order\"", "\"dish\"", "\"qty\"", "\"table\""}) {
    if (reason.find(f) != std::string_view::npos) return true;
  }
  return reason.find("\" is cooked at \"") != std::string_view::npos ||
         reason == "the body is not a JSON object";
}

std::string_view reason_of(std::string_view message) {
  const size_t at = message.find(" rejected: ");
  return at == std::string_view::npos ? std::string_view() : message.substr(at + 11);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto shared = std::make_shared<const wmq::sim::Menu>(menu());
  static const wmq::Validator validate = wmq::sim::make_order_validator(shared);
  static const wmq::Translator translate = wmq::sim::make_note_translator();
  if (size < 2) return 0;
  static const char* const kKeys[] = {"grill", "wok", "drinks", "dessert", "", "nowhere"};
  const char* key = kKeys[(data[0] >> 1) % 6];
  const std::string body(reinterpret_cast<const char*>(data) + 2, size - 2);
  Message m;
  m.body = body;
  m.routing_key = key;
  if ((data[0] & 1) == 0) {
    m.content_type = wmq::sim::kOrderJson;
    wmq::Status st = validate(m);
    if (st.is_ok()) return 0;
    require(st.code() == wmq::Code::kInvalid && starts_with(st.message(), "order"), kTarget,
            "a refusal is kInvalid and names the order", st.message());
    require(names_a_field(reason_of(st.message())), kTarget, "a refusal names the field",
            st.message());
    return 0;
  }
  m.content_type = wmq::sim::kOrderNote;
  if (data[1] != 0) m.headers.push_back({"order", std::to_string(data[1] - 1)});
  auto json = translate.fn(m);
  if (!json.is_ok()) {
    require(json.status().code() == wmq::Code::kInvalid, kTarget, "a refused note is kInvalid");
    require(!reason_of(json.status().message()).empty(), kTarget, "a refused note says why",
            json.status().message());
    return 0;
  }
  Message translated = m;
  translated.body = json.value();
  translated.content_type = translate.to;
  wmq::Status st = validate(translated);
  const std::string_view reason = reason_of(st.message());
  // (The reason may quote the dish, whatever it holds: look at its start.)
  require(st.is_ok() ||
              (reason != "the body is not a JSON object" && !starts_with(reason, "\"order\"") &&
               !starts_with(reason, "\"dish\" must be a dish name in quotes")),
          kTarget, "a translated note is read whole", st.message() + "\n" + json.value());
  // Never half: the verdict follows from the translated fields alone. (A
  // dish of bytes that are not UTF-8 is JSON nlohmann will not read: skip.)
  const nlohmann::json j = nlohmann::json::parse(json.value(), nullptr, false);
  if (j.is_discarded()) return 0;
  require(j.is_object() && j["order"].is_number_unsigned() && j["dish"].is_string() &&
              j["qty"].is_number_unsigned() && j["table"].is_number_unsigned(),
          kTarget, "a translation has the four fields", json.value());
  const wmq::sim::Dish* dish = shared->find(j["dish"].get<std::string>());
  const auto qty = j["qty"].get<uint64_t>();
  const auto table = j["table"].get<uint64_t>();
  const bool expected =
      dish != nullptr && dish->station == key && qty >= 1 && qty <= 20 && table >= 1;
  require(st.is_ok() == expected, kTarget, "the verdict follows from the fields",
          st.message() + "\n" + json.value());
  return 0;
}
