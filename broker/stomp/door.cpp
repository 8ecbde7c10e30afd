#include "stomp/door.h"

namespace wmq::stomp {

bool is_loopback(std::string_view bind) {
  return bind.substr(0, 4) == "127." || bind == "::1" || bind == "localhost";
}

Status check_door(std::string_view bind, bool have_users, bool allow_anyone) {
  if (have_users || allow_anyone || is_loopback(bind)) return Status::ok();
  return Status::error(Code::kInvalid,
                       "--bind " + std::string(bind) +
                           " without --users would let anyone on the network connect under any "
                           "name and take any queue's orders; make a users file with `warungmq "
                           "users add LOGIN --file users.txt` (once per login) and start with "
                           "--users users.txt, or give --allow-anyone for an open classroom");
}

std::string allow_anyone_warning(std::string_view bind, uint16_t port) {
  return "warning: --allow-anyone: anyone who can reach " + std::string(bind) + " port " +
         std::to_string(port) + " may connect under any name, read every queue and send anywhere";
}

}  // namespace wmq::stomp
