// Who may come in: the one rule every STOMP door of warungmq follows
// (`warungmq serve`, `warungmq run --listen`, `warungmq gui --listen`).
//
// As RabbitMQ lets its guest user in only from localhost: a door without a
// users file listens only on loopback. Any other --bind address needs a
// users file (--users) or the teacher's explicit --allow-anyone, which is
// then printed as a warning on every start.
//
// Pure functions: no sockets, no clock, no files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "broker/status.h"

namespace wmq::stomp {

// True for addresses only this machine can reach ("127.x.y.z", "::1",
// "localhost"), where a door without a users file is safe to open.
bool is_loopback(std::string_view bind);

// Ok when a door on `bind` may open: it is loopback, or it has a users file,
// or anyone is allowed. Otherwise kInvalid with a sentence for the teacher,
// without the command's prefix: "--bind 0.0.0.0 without --users would let
// anyone on the network connect ...; make a users file with `warungmq users
// add LOGIN --file users.txt` ... or give --allow-anyone for an open
// classroom".
Status check_door(std::string_view bind, bool have_users, bool allow_anyone);

// The warning an --allow-anyone door prints on every start, without the
// command's prefix: "warning: --allow-anyone: anyone who can reach BIND port
// PORT may connect under any name, read every queue and send anywhere".
std::string allow_anyone_warning(std::string_view bind, uint16_t port);

}  // namespace wmq::stomp
