// A STOMP client for the GUI's live tests that is only a socket and a buffer: the test drives
// the workbench's frames itself, so the client never blocks and needs no thread.
#pragma once

#include <doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace wmq::gui::test {

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
  // Everything the server has written so far.
  const std::string& read() {
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fd_, buf, sizeof buf)) > 0)
      in_.append(buf, static_cast<size_t>(n));
    return in_;
  }
  // The value of header `name` in the first frame at or after `from` that has it, or "".
  std::string header(const std::string& name, size_t from = 0) {
    const std::string& frames = read();
    const size_t at = frames.find("\n" + name + ":", from);
    if (at == std::string::npos) return "";
    const size_t start = at + name.size() + 2;
    return frames.substr(start, frames.find('\n', start) - start);
  }

 private:
  int fd_ = -1;
  std::string in_;
};

}  // namespace wmq::gui::test
