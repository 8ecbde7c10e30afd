#include "broker/message.h"

#include <atomic>
#include <cassert>
#include <cstdlib>
#include <cstring>
#include <new>

namespace wmq {

std::optional<std::string_view> Message::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (h.name == name) return std::string_view(h.value);
  }
  return std::nullopt;
}

namespace {

// Relaxed: a gauge read by a server's loop, never a synchronisation point.
std::atomic<size_t> g_live_bytes{0};

size_t encoded_headers_size(const std::vector<Header>* headers) {
  if (headers == nullptr) return 0;
  size_t n = 0;
  for (const Header& h : *headers)
    n += 2 + h.name.size() + 4 + h.value.size();
  return n;
}

}  // namespace

Payload* Payload::make(const Fields& f) {
  assert(f.routing_key.size() <= UINT16_MAX && "Payload::make: routing key over 65535 bytes");
  assert(f.content_type.size() <= UINT8_MAX && "Payload::make: content type over 255 bytes");
  assert(f.body.size() <= UINT32_MAX && "Payload::make: body over 4 GiB");
  const size_t hdr = encoded_headers_size(f.headers);
  const size_t extra = f.routing_key.size() + f.content_type.size() + hdr + f.body.size();
  void* mem = std::malloc(sizeof(Payload) + extra);
  if (mem == nullptr) throw std::bad_alloc();
  Payload* p = new (mem) Payload();
  p->id_ = f.id;
  p->expires_at_ = f.expires_at;
  p->body_len_ = static_cast<uint32_t>(f.body.size());
  p->hdr_len_ = static_cast<uint32_t>(hdr);
  p->key_len_ = static_cast<uint16_t>(f.routing_key.size());
  p->type_len_ = static_cast<uint8_t>(f.content_type.size());
  p->persistent_ = f.persistent ? 1 : 0;
  g_live_bytes.fetch_add(p->footprint(), std::memory_order_relaxed);
  char* out = p->bytes();
  auto put = [&out](const void* src, size_t n) {
    if (n != 0) std::memcpy(out, src, n);
    out += n;
  };
  put(f.routing_key.data(), f.routing_key.size());
  put(f.content_type.data(), f.content_type.size());
  if (f.headers != nullptr) {
    for (const Header& h : *f.headers) {
      assert(h.name.size() <= UINT16_MAX && "Payload::make: header name over 65535 bytes");
      const uint16_t nl = static_cast<uint16_t>(h.name.size());
      const uint32_t vl = static_cast<uint32_t>(h.value.size());
      put(&nl, sizeof nl);
      put(h.name.data(), nl);
      put(&vl, sizeof vl);
      put(h.value.data(), vl);
    }
  }
  put(f.body.data(), f.body.size());
  return p;
}

void Payload::destroy() {
  g_live_bytes.fetch_sub(footprint(), std::memory_order_relaxed);
  this->~Payload();
  std::free(this);
}

std::vector<Header> Payload::headers() const {
  std::vector<Header> out;
  const char* at = bytes() + key_len_ + type_len_;
  const char* end = at + hdr_len_;
  while (at < end) {
    uint16_t nl;
    std::memcpy(&nl, at, sizeof nl);
    at += sizeof nl;
    std::string name(at, nl);
    at += nl;
    uint32_t vl;
    std::memcpy(&vl, at, sizeof vl);
    at += sizeof vl;
    out.push_back(Header{std::move(name), std::string(at, vl)});
    at += vl;
  }
  return out;
}

std::optional<std::string> Payload::header(std::string_view name) const {
  if (hdr_len_ == 0) return std::nullopt;
  for (Header& h : headers()) {
    if (h.name == name) return std::move(h.value);
  }
  return std::nullopt;
}

size_t Payload::live_bytes() {
  return g_live_bytes.load(std::memory_order_relaxed);
}

size_t Payload::footprint() const {
  return sizeof(Payload) + key_len_ + type_len_ + hdr_len_ + body_len_;
}

}  // namespace wmq
