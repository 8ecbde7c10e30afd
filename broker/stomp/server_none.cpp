// StompServer where no program may listen on a socket: a page in a browser (the web build links
// this file instead of server.cpp, which needs epoll). The class keeps its interface so the
// simulator and the GUI compile unchanged; listen() says why it cannot, and nothing else is ever
// reached, since a server that never listened has no connections.
#include "stomp/server.h"

namespace wmq::stomp {

struct StompServer::Connection {};

StompServer::StompServer(Broker& broker, ServerOptions options)
    : broker_(broker), options_(std::move(options)) {}

StompServer::~StompServer() = default;

Status StompServer::listen() {
  return Status::error(Code::kIoError,
                       "cannot listen on " + options_.bind + ":" + std::to_string(options_.port) +
                           ": a page in a web browser cannot open a listening socket (STOMP "
                           "clients need the desktop build)");
}

bool StompServer::poll(Micros) {
  return false;
}

void StompServer::flush_output() {}

Micros StompServer::next_deadline() const {
  return kNever;
}

void StompServer::run(const std::atomic<bool>&) {}

void StompServer::shutdown() {
  shut_down_ = true;
}

size_t StompServer::connection_count() const {
  return 0;
}

size_t StompServer::paused_count() const {
  return 0;
}

}  // namespace wmq::stomp
