// What the files of StompSession (session.cpp, session_send.cpp,
// session_subscribe.cpp) share: the ERROR message names and the text and
// header helpers. Private to broker/stomp.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "stomp/frame.h"

namespace wmq::stomp {

// The short `message` header of each ERROR the session sends, in one place.
namespace err {
inline constexpr std::string_view kBadFrame = "malformed frame";
inline constexpr std::string_view kNotConnected = "not connected";
inline constexpr std::string_view kConnectTimeout = "no CONNECT frame";
inline constexpr std::string_view kAlreadyConnected = "already connected";
inline constexpr std::string_view kVersion = "unsupported protocol version";
inline constexpr std::string_view kLogin = "login failed";
inline constexpr std::string_view kAccess = "access refused";
inline constexpr std::string_view kHost = "unknown virtual host";
inline constexpr std::string_view kBadHeader = "bad header";
inline constexpr std::string_view kMissingHeader = "missing header";
inline constexpr std::string_view kDestination = "bad destination";
inline constexpr std::string_view kNotFound = "not found";
inline constexpr std::string_view kRefused = "message refused";
inline constexpr std::string_view kQueue = "queue settings conflict";
inline constexpr std::string_view kSubscription = "bad subscription";
inline constexpr std::string_view kAck = "bad acknowledgement";
inline constexpr std::string_view kTransaction = "bad transaction";
inline constexpr std::string_view kLimit = "limit reached";
inline constexpr std::string_view kNotSaved = "message not saved";
inline constexpr std::string_view kCancelled = "subscription cancelled";
inline constexpr std::string_view kHeartBeat = "heart-beat timeout";
inline constexpr std::string_view kEnded = "session ended";
inline constexpr std::string_view kShutdown = "server shutting down";
}  // namespace err

// Headers a SEND carries for the server, not for the receiver.
inline bool is_send_control_header(std::string_view name) {
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
inline bool is_message_header(std::string_view name) {
  static constexpr std::string_view kOwn[] = {"subscription", "destination",  "message-id",
                                              "ack",          "redelivered",  "delivery-count",
                                              "persistent",   "content-type", "content-length"};
  return std::find(std::begin(kOwn), std::end(kOwn), name) != std::end(kOwn);
}

// Bytes from the peer made printable for an ERROR body or a log line.
inline std::string printable(std::string_view bytes, size_t max) {
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

inline std::string quoted(std::string_view s) {
  return "\"" + printable(s, 64) + "\"";
}

inline bool parse_u64(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), *out);
  return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

// true/false in any case: RabbitMQ takes Python's True/False on purpose,
// and python3-stomp writes booleans so. Nothing for any other text.
inline std::optional<bool> parse_bool(std::string_view text) {
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
inline bool flag(const Frame& frame, std::string_view name) {
  auto v = frame.header(name);
  return v && parse_bool(*v).value_or(false);
}

}  // namespace wmq::stomp
