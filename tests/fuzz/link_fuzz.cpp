// libFuzzer target for the link fragment (app/gui/model/link.h): the text the web build reads
// from its address's #fragment and `warungmq gui --link` from its argument.
//
// Properties, besides no crash and no sanitizer report, on the same input read two ways:
//   - as a fragment: decode() gives a link, or kInvalid with a readable sentence: the
//     problem's key is one decode() may give (link.h), and the message is printable ASCII of
//     bounded length however wild the bytes (what a student's screen would show); a `say`
//     function gets the same key and its sentence is the message;
//   - an accepted link round-trips: encode() of it decodes to an equal link, encode() of that
//     is the same text (the shortest form is stable), every character of it is one a browser
//     leaves alone in a fragment, and link_text() with a whole address decodes the same;
//   - as the fields of a link (lesson, seed, time, player, clicks with arbitrary text and
//     numbers): decode(encode(link)) == link.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "gui/model/link.h"
#include "gui/model/player.h"

using wmq::fuzz::require;
using wmq::fuzz::starts_with;
using wmq::gui::LinkClick;
using wmq::gui::LinkProblem;
using wmq::gui::MomentLink;

namespace {

constexpr const char* kTarget = "link_fuzz";

// The keys decode() gives (link.h: all but unknown_lesson's file check and click_refused;
// unknown_lesson is decode's for a name with characters no stem has).
bool decode_key(std::string_view key) {
  for (std::string_view k :
       {"not_a_link", "future", "unknown_lesson", "bad_part", "bad_seed", "bad_time", "bad_speed",
        "bad_language", "bad_words", "bad_click", "click_order"}) {
    if (key == k) return true;
  }
  return false;
}

bool printable(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// A character a browser leaves alone in a fragment (RFC 3986's unreserved, sub-delims and
// ":/?%"; not '#' or a space), of those the link format uses ('+': "1e+170").
bool fragment_safe(char c) {
  return c != 0 && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    std::strchr("-._~/?&=:;,%+", c) != nullptr);
}

void check_round_trip(const MomentLink& link, const char* what) {
  const std::string text = wmq::gui::encode(link);
  for (char c : text)
    require(fragment_safe(c), kTarget, "an encoded link is fragment-safe", text);
  auto back = wmq::gui::decode(text);
  require(back.is_ok(), kTarget, what, text + "\n" + (back.is_ok() ? "" : back.status().message()));
  require(back.value() == link, kTarget, "decode(encode(link)) == link", text);
  require(wmq::gui::encode(back.value()) == text, kTarget, "the encoded form is stable", text);
  auto whole = wmq::gui::decode(wmq::gui::link_text(link, "https://example.org/warungmq/#old"));
  require(whole.is_ok() && whole.value() == link, kTarget, "a whole address decodes the same",
          text);
}

void check_fragment(std::string_view text) {
  auto link = wmq::gui::decode(text);
  if (!link.is_ok()) {
    const std::string m = link.status().message();  // a copy: status() is a temporary
    require(link.status().code() == wmq::Code::kInvalid, kTarget, "an error is kInvalid", m);
    require(starts_with(m, "link.problem."), kTarget, "an error names its problem", m);
    const std::string_view key = std::string_view(m).substr(13, m.find(' ') - 13);
    require(decode_key(key), kTarget, "the problem is one decode() gives", m);
    require(printable(m) && m.size() <= 200, kTarget, "an error is short printable text", m);
    // Through a sentence function, as the GUI shows it.
    std::string said_key;
    auto said = wmq::gui::decode(text, [&said_key](const LinkProblem& p) {
      said_key = p.key;
      return "sentence for " + p.key;
    });
    require(
        !said.is_ok() && said_key == key && said.status().message() == "sentence for " + said_key,
        kTarget, "the sentence function gets the same problem", m);
    return;
  }
  check_round_trip(link.value(), "an accepted link's encoding decodes");
}

// Reads the fuzzer's bytes as fields; past the end every read is zero.
struct Bytes {
  const uint8_t* data;
  size_t size;
  size_t at = 0;
  uint8_t byte() { return at < size ? data[at++] : 0; }
  uint64_t whole(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
      v = v << 8 | byte();
    return v;
  }
  double number() {
    uint64_t bits = whole(8);
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return std::isfinite(v) ? v : 1.5;
  }
  std::string text(size_t most) {
    std::string out;
    const size_t n = byte() % (most + 1);
    for (size_t i = 0; i < n; ++i)
      out += static_cast<char>(byte());
    return out;
  }
  // A duration format_duration writes: up to about 11.5 days.
  wmq::Micros micros() { return static_cast<wmq::Micros>(whole(5) % 1'000'000'000'000); }
};

void check_fields(const uint8_t* data, size_t size) {
  Bytes in{data, size};
  MomentLink link;
  static constexpr char kStem[] = "abcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t stem = 1 + in.byte() % 24;
  link.lesson.clear();
  for (size_t i = 0; i < stem; ++i)
    link.lesson += kStem[in.byte() % (sizeof kStem - 1)];
  const uint8_t flags = in.byte();
  if (flags & 1) link.seed = in.whole(8);
  link.at = in.micros();
  link.paused = flags & 2;
  if (flags & 4) {
    const auto& ladder = wmq::gui::Player::kSpeeds;
    // Any speed on the ladder's range, not only its steps.
    const double v = in.number();
    link.speed = v >= ladder.front() && v <= ladder.back() ? v : ladder[in.byte() % ladder.size()];
  }
  if (flags & 8) link.language = "id";
  if (flags & 16) link.vocabulary = "broker";
  link.projector = flags & 32;
  const size_t clicks = in.byte() % 6;
  wmq::Micros made = 0;
  for (size_t i = 0; i < clicks; ++i) {
    LinkClick c;
    made += in.micros() / 1000;
    c.made_at = made;
    wmq::sim::Injection& j = c.injection;
    j.kind = static_cast<wmq::sim::InjectionKind>(in.byte() % 15);
    j.at = c.made_at + ((in.byte() & 1) ? 1 + in.micros() : 0);
    j.target = in.text(12);
    const uint8_t has = in.byte();
    if (has & 1) j.restart_after = in.micros();
    if (has & 2) j.rate = in.number();
    if (has & 4) j.speed = in.number();
    if (has & 8) j.window = in.micros();
    if (has & 16) j.problem = in.text(8);
    if (has & 32) j.dish = in.text(8);
    if (has & 64) j.message = in.text(16);
    if (has & 128) {
      const uint8_t q = in.byte();
      if (q & 1) j.queue.durable = (q & 2) != 0;
      if (q & 4) j.queue.max_length = static_cast<uint32_t>(in.whole(4));
      if (q & 8) j.queue.ttl = in.micros();
      if (q & 16) j.queue.delivery_limit = static_cast<uint32_t>(in.whole(4));
    }
    link.clicks.push_back(std::move(c));
  }
  check_round_trip(link, "a link made of fields decodes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check_fragment(std::string_view(reinterpret_cast<const char*>(data), size));
  check_fields(data, size);
  return 0;
}
