// Message and Payload: what a producer publishes and what the broker keeps.
//
// A producer fills a Message (a plain value). Once published, the broker turns
// it into a Payload: immutable, reference-counted, one allocation holding the
// fixed fields, the routing key, the headers and the body side by side. Every
// queue the message reaches shares that one Payload; what differs per queue
// (delivery count, redelivered flag, deadline) lives in the queue's entry.
//
// Thread-safety: none; payloads belong to the broker's single thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/clock.h"

namespace wmq {

using MessageId = uint64_t;

constexpr Micros kNever = INT64_MAX;

struct Header {
  std::string name;
  std::string value;
  bool operator==(const Header&) const = default;
};

// What a producer publishes.
struct Message {
  std::string body;
  std::string content_type = "application/octet-stream";
  std::string routing_key;
  std::vector<Header> headers;
  // Written to disk when the message lands on a durable queue.
  bool persistent = false;
  // Per-message time to live, counted from the publish; nullopt = no limit.
  std::optional<Micros> ttl;

  // The value of the first header called `name`, or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
};

// The broker's immutable copy of a published message. Create with
// Payload::make, share with retain/release; the last release frees it.
class Payload {
 public:
  struct Fields {
    MessageId id = 0;
    std::string_view body;
    std::string_view content_type;
    std::string_view routing_key;
    const std::vector<Header>* headers = nullptr;  // may be null: none
    bool persistent = false;
    Micros expires_at = kNever;  // absolute; kNever = no per-message TTL
  };
  // Returns a payload with one reference held by the caller.
  static Payload* make(const Fields& fields);

  void retain() { ++refs_; }
  void release() {
    if (--refs_ == 0) destroy();
  }

  MessageId id() const { return id_; }
  bool persistent() const { return persistent_ != 0; }
  Micros expires_at() const { return expires_at_; }
  std::string_view body() const { return {bytes() + key_len_ + type_len_ + hdr_len_, body_len_}; }
  std::string_view content_type() const { return {bytes() + key_len_, type_len_}; }
  std::string_view routing_key() const { return {bytes(), key_len_}; }
  // The headers, decoded (a copy); cheap to call when there are none.
  std::vector<Header> headers() const;
  std::optional<std::string> header(std::string_view name) const;
  // Bytes held by this payload, allocation header excluded.
  size_t footprint() const;
  // The footprints of every payload alive in this process, summed: what a
  // server's memory limit counts (--max-memory). Any thread may read it.
  static size_t live_bytes();
  // Test hook: how many references are held, to check who shares a payload.
  uint32_t TEST_refs() const { return refs_; }

  Payload(const Payload&) = delete;
  Payload& operator=(const Payload&) = delete;

 private:
  Payload() = default;
  ~Payload() = default;
  void destroy();
  const char* bytes() const { return reinterpret_cast<const char*>(this + 1); }
  char* bytes() { return reinterpret_cast<char*>(this + 1); }

  MessageId id_ = 0;
  Micros expires_at_ = kNever;
  uint32_t refs_ = 1;
  uint32_t body_len_ = 0;
  uint32_t hdr_len_ = 0;  // encoded headers: (u16 name len, name, u32 value len, value)*
  uint16_t key_len_ = 0;
  uint8_t type_len_ = 0;
  uint8_t persistent_ = 0;
};

// A counted reference to a Payload.
class PayloadRef {
 public:
  PayloadRef() = default;
  // Adopts one reference (as returned by Payload::make).
  static PayloadRef adopt(Payload* p) {
    PayloadRef r;
    r.p_ = p;
    return r;
  }
  explicit PayloadRef(Payload* p) : p_(p) {
    if (p_) p_->retain();
  }
  PayloadRef(const PayloadRef& o) : p_(o.p_) {
    if (p_) p_->retain();
  }
  PayloadRef(PayloadRef&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  PayloadRef& operator=(PayloadRef o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~PayloadRef() {
    if (p_) p_->release();
  }
  Payload* get() const { return p_; }
  Payload* operator->() const { return p_; }
  const Payload& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // Gives up the reference without releasing it.
  Payload* detach() {
    Payload* p = p_;
    p_ = nullptr;
    return p;
  }

 private:
  Payload* p_ = nullptr;
};

}  // namespace wmq
