// A STOMP client for loopback tests that is only a socket and a buffer: the test drives the
// server's turns itself (a workbench's frames, a simulation's live turns), so the client never
// blocks and needs no thread. Used by the GUI's and the simulator's live tests.
#pragma once

#include <doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace wmq::test {

// `count` SEND frames of grill orders with ids first, first + 1, ..., for send() in one write
// (the NULs between them; send() adds the last).
inline std::string grill_orders(int count, int first) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out.push_back('\0');
    out +=
        "SEND\ndestination:/exchange/orders/grill\ncontent-type:application/json\n\n"
        "{\"order\": " +
        std::to_string(first + i) + ", \"dish\": \"sate ayam\", \"qty\": 1, \"table\": 4}";
  }
  return out;
}

// The value of header `name` in the first frame of `frames` at or after `from` that has it,
// or "".
inline std::string frame_header(const std::string& frames, const std::string& name,
                                size_t from = 0) {
  const size_t at = frames.find("\n" + name + ":", from);
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 2;
  return frames.substr(start, frames.find('\n', start) - start);
}

class RawStompClient {
 public:
  explicit RawStompClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    ::fcntl(fd_, F_SETFL, O_NONBLOCK);
  }
  ~RawStompClient() { close(); }
  RawStompClient(const RawStompClient&) = delete;
  RawStompClient& operator=(const RawStompClient&) = delete;

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Sends `frame` (command, headers, blank line, body) with its NUL.
  void send(const std::string& frame) {
    const std::string bytes = frame + std::string(1, '\0');
    REQUIRE(::write(fd_, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }
  // Sends a STOMP 1.2 CONNECT as `login` (passcode "x"); the answer is left to read().
  void connect_as(const std::string& login) {
    send("CONNECT\naccept-version:1.2\nlogin:" + login + "\npasscode:x\n\n");
  }
  // Everything the server has written so far.
  const std::string& read() {
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fd_, buf, sizeof buf)) > 0)
      in_.append(buf, static_cast<size_t>(n));
    return in_;
  }
  // Everything the server writes until it hangs up, waiting at most `timeout`. It asserts
  // nothing, so a test may call it from a thread of its own.
  const std::string& read_until_eof(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n > 0) {
        in_.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n == 0) return in_;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return in_;
      pollfd p{fd_, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(left.count()));
    }
  }
  // The value of header `name` in the first frame at or after `from` that has it, or "".
  std::string header(const std::string& name, size_t from = 0) {
    return frame_header(read(), name, from);
  }

 private:
  int fd_ = -1;
  std::string in_;
};

}  // namespace wmq::test
