// TLS for the STOMP door (`warungmq serve --tls-port P --tls-cert F --tls-key F`), with
// OpenSSL (Debian's libssl-dev). Not in the web build: a page listens on nothing.
//
// TlsContext is a certificate and its private key, read once at start; TlsLink is one
// connection's TLS over a non-blocking socket the server owns (it never closes the socket).
// The server reads and writes through the link instead of recv()/send(); the handshake
// happens inside the first reads and writes.
//
// A plain-text client on the TLS port is noticed before any TLS is spoken (its first byte is
// not a TLS record's), so the server can answer it with a readable STOMP ERROR instead of
// garbage; looks_like_tls() lets the plain port notice a TLS client the same way.
//
// Thread-safety: a TlsContext may be shared by the links of one thread; a link by nobody.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "broker/status.h"

struct ssl_ctx_st;
struct ssl_st;

namespace wmq::stomp {

class TlsContext {
 public:
  // Reads a PEM certificate (chain) and its PEM private key. Errors (kInvalid), a sentence
  // naming the file and OpenSSL's reason: a file that cannot be read or is not PEM, a key that
  // does not belong to the certificate.
  static Result<std::shared_ptr<TlsContext>> load(const std::string& cert_file,
                                                  const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  ssl_ctx_st* native() const { return ctx_; }

 private:
  explicit TlsContext(ssl_ctx_st* ctx) : ctx_(ctx) {}
  ssl_ctx_st* ctx_;
};

class TlsLink {
 public:
  enum class Io {
    kOk,          // `done` bytes were read or written
    kWouldBlock,  // try again when the socket is readable (or writable: wants_write())
    kClosed,      // the peer closed (close_notify or EOF)
    kNotTls,      // the peer's first bytes are not TLS: a plain-text client on the TLS port
    kFailed,      // the handshake or the connection failed: error() says why
  };

  // Server side of the connection on `fd`, over `ctx` (which must outlive the link).
  TlsLink(const TlsContext& ctx, int fd);
  ~TlsLink();
  TlsLink(const TlsLink&) = delete;
  TlsLink& operator=(const TlsLink&) = delete;

  // Like recv(): up to `size` decrypted bytes into `buf`.
  Io read(char* buf, size_t size, size_t& done);
  // Like send(): some of `size` bytes (done), encrypted. After kNotTls, the bytes go to the
  // socket as they are (the plain-text ERROR for a plain client).
  Io write(const char* buf, size_t size, size_t& done);
  // Sends TLS's close_notify (once the handshake is done), before the socket's half-close.
  void close_notify();
  // True when the last read or write stopped until the socket is writable.
  bool wants_write() const { return wants_write_; }
  // Why the last kFailed: OpenSSL's reason ("certificate unknown", "wrong version number").
  const std::string& error() const { return error_; }

 private:
  Io result(int rc, size_t& done);

  ssl_st* ssl_;
  int fd_;
  bool checked_ = false;  // the first byte was looked at
  bool plain_ = false;    // it was not TLS: writes go to the socket as they are
  bool wants_write_ = false;
  std::string error_;
};

// True when `first_bytes` begin like a TLS record of a handshake (a ClientHello): 0x16 0x03.
bool looks_like_tls(std::string_view first_bytes);

}  // namespace wmq::stomp
