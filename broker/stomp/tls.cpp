#include "stomp/tls.h"

#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace wmq::stomp {

namespace {

// OpenSSL's queued reasons, the last one first, without its codes: "wrong version number".
std::string openssl_reason() {
  std::string out;
  unsigned long e = 0;
  while ((e = ERR_get_error()) != 0) {
    const char* reason = ERR_reason_error_string(e);
    if (out.empty()) out = reason != nullptr ? reason : "unknown OpenSSL error";
  }
  return out.empty() ? "no reason given" : out;
}

Status refused(const std::string& what, const std::string& file) {
  return Status::error(Code::kInvalid, what + " \"" + file + "\": " + openssl_reason());
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::load(const std::string& cert_file,
                                                     const std::string& key_file) {
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return Status::error(Code::kIoError, "TLS: " + openssl_reason());
  std::shared_ptr<TlsContext> out(new TlsContext(ctx));
  // TLS 1.2 and newer: what current clients (python's ssl, openssl s_client) speak.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // The server's output buffer may move between tries of one write (it grows).
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // A client that hangs up without TLS's close_notify (most do, after DISCONNECT) has only
  // closed: not an error to log.
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return refused("--tls-cert: cannot use the certificate in", cert_file);
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL checks the key against the certificate here already ("key values mismatch").
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return refused("--tls-key: the key does not belong to the certificate of --tls-cert; key",
                     key_file);
    }
    return refused("--tls-key: cannot use the private key in", key_file);
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return refused("--tls-key: the key does not belong to the certificate of --tls-cert; key",
                   key_file);
  }
  return out;
}

TlsContext::~TlsContext() {
  SSL_CTX_free(ctx_);
}

TlsLink::TlsLink(const TlsContext& ctx, int fd) : ssl_(SSL_new(ctx.native())), fd_(fd) {
  if (ssl_ != nullptr) {
    SSL_set_fd(ssl_, fd);
    SSL_set_accept_state(ssl_);
  }
}

TlsLink::~TlsLink() {
  SSL_free(ssl_);
}

TlsLink::Io TlsLink::result(int rc, size_t& done) {
  wants_write_ = false;
  if (rc > 0) {
    done = static_cast<size_t>(rc);
    return Io::kOk;
  }
  done = 0;
  const int err = SSL_get_error(ssl_, rc);
  switch (err) {
    case SSL_ERROR_WANT_READ:
      return Io::kWouldBlock;
    case SSL_ERROR_WANT_WRITE:
      wants_write_ = true;
      return Io::kWouldBlock;
    case SSL_ERROR_ZERO_RETURN:
      return Io::kClosed;
    case SSL_ERROR_SYSCALL:
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return Io::kWouldBlock;
      ERR_clear_error();
      return Io::kClosed;  // EOF or a reset
    default:
      error_ = openssl_reason();
      return Io::kFailed;
  }
}

TlsLink::Io TlsLink::read(char* buf, size_t size, size_t& done) {
  done = 0;
  if (ssl_ == nullptr) {
    error_ = "no TLS session (out of memory)";
    return Io::kFailed;
  }
  if (!checked_) {
    char first = 0;
    const ssize_t n = ::recv(fd_, &first, 1, MSG_PEEK);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      return Io::kWouldBlock;
    }
    if (n <= 0) return Io::kClosed;
    checked_ = true;
    if (first != 0x16) {
      plain_ = true;
      return Io::kNotTls;
    }
  }
  if (plain_) return Io::kNotTls;
  // The handshake's last step and the first frames can come in one segment: the read that
  // finishes the handshake (and sends TLS 1.3's session tickets) may then stop with "want
  // read" while OpenSSL already holds the frames, which epoll will never announce. Read on
  // while it holds anything.
  for (;;) {
    ERR_clear_error();
    errno = 0;  // SSL_ERROR_SYSCALL's errno must be this call's
    const Io io =
        result(SSL_read(ssl_, buf, static_cast<int>(std::min<size_t>(size, INT32_MAX))), done);
    if (io != Io::kWouldBlock || wants_write_ || SSL_has_pending(ssl_) != 1) return io;
  }
}

TlsLink::Io TlsLink::write(const char* buf, size_t size, size_t& done) {
  done = 0;
  if (plain_) {
    const ssize_t n = ::send(fd_, buf, size, MSG_NOSIGNAL);
    if (n > 0) {
      done = static_cast<size_t>(n);
      return Io::kOk;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      wants_write_ = true;
      return Io::kWouldBlock;
    }
    return Io::kClosed;
  }
  if (ssl_ == nullptr) return Io::kFailed;
  ERR_clear_error();
  errno = 0;
  return result(SSL_write(ssl_, buf, static_cast<int>(std::min<size_t>(size, INT32_MAX))), done);
}

void TlsLink::close_notify() {
  if (plain_ || ssl_ == nullptr || !SSL_is_init_finished(ssl_)) return;
  ERR_clear_error();
  (void)SSL_shutdown(ssl_);
  ERR_clear_error();
}

bool looks_like_tls(std::string_view first_bytes) {
  return first_bytes.size() >= 2 && first_bytes[0] == 0x16 && first_bytes[1] == 0x03;
}

}  // namespace wmq::stomp
