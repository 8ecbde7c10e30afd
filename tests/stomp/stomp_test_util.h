// Shared by the STOMP session tests: a Transport that keeps what is sent, a
// peer that talks to one session and reads its frames back, a temp dir.
#pragma once

#include <unistd.h>

#include <doctest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "broker/broker.h"
#include "stomp/frame.h"
#include "stomp/session.h"

namespace wmq::stomp::test {

// Keeps every byte the session sends, and whether it closed.
struct Wire final : Transport {
  std::string bytes;
  bool closed = false;
  size_t closes = 0;
  void send(std::string_view b) override {
    REQUIRE_MESSAGE(!closed, "the session wrote after closing its transport");
    bytes.append(b);
  }
  void close() override {
    closed = true;
    ++closes;
  }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

inline Frame make(std::string command, Headers headers = {}, std::string body = {}) {
  Frame f;
  f.command = std::move(command);
  f.headers = std::move(headers);
  f.body = std::move(body);
  return f;
}

// One client: a session on a Wire, and a parser reading the session's output.
struct Peer {
  Wire wire;
  std::unique_ptr<StompSession> session;
  FrameParser reader{Limits{}, server_commands()};
  size_t read_upto = 0;  // wire bytes already fed to the reader
  size_t heart_beats = 0;

  Peer(Broker& broker, SessionConfig config = {}) {
    if (config.peer.empty()) config.peer = "test:1";
    session = std::make_unique<StompSession>(broker, wire, std::move(config));
  }

  void send(const Frame& f) { session->on_bytes(serialize(f)); }
  void send_raw(std::string_view bytes) { session->on_bytes(bytes); }

  // Every frame the session sent since the last call (heart-beats counted).
  std::vector<Frame> frames() {
    reader.feed(std::string_view(wire.bytes).substr(read_upto));
    read_upto = wire.bytes.size();
    std::vector<Frame> out;
    for (;;) {
      ParseResult r = reader.next();
      if (r.need_more_bytes()) break;
      REQUIRE_MESSAGE(!r.is_error(), r.status().message());
      if (r.is_heart_beat()) {
        ++heart_beats;
        continue;
      }
      out.push_back(r.take_frame());
    }
    return out;
  }
  // The one frame sent since the last call; fails the test otherwise.
  Frame one() {
    std::vector<Frame> f = frames();
    REQUIRE_MESSAGE(f.size() == 1, "expected one frame, got " << f.size());
    return f[0];
  }
  // Connects as STOMP 1.2 (plus extra headers) and returns CONNECTED.
  Frame connect(Headers extra = {}) {
    Headers h = {{"accept-version", "1.2"}, {"host", "warung"}};
    for (auto& e : extra)
      h.push_back(e);
    send(make("CONNECT", h));
    return one();
  }
};

inline std::string header(const Frame& f, std::string_view name) {
  auto v = f.header(name);
  return v ? std::string(*v) : std::string("(none)");
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int n = 0;
    path = std::filesystem::temp_directory_path() /
           ("wmq-stomp-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const char* name = "broker.db") const { return (path / name).string(); }
};

}  // namespace wmq::stomp::test
