// Users: who may CONNECT to a STOMP server, read from a small text file.
//
// Without a users file any client may connect, with or without a login.
// With one, CONNECT needs a login and passcode that match a `user` line, and,
// when the file has `host` lines, a host header naming one of them. The
// format, one entry per line, words separated by spaces or tabs:
//
//   # a comment, to the end of the line; blank lines are ignored
//   user LOGIN PASSCODE      a login and its passcode (neither may hold a
//                            space or start with '#')
//   host NAME                a virtual host name CONNECT may give
//
// Example:
//
//   user kasir  rahasia
//   user koki   sambal-pedas
//   host warung
//
// Thread-safety: a loaded Users is read-only and may be shared.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/status.h"

namespace wmq::stomp {

class Users {
 public:
  // Reads the format above from `text`; `origin` names it in errors (a file
  // path). Errors (kInvalid), naming the line: an unknown keyword, a line
  // with too few or too many words, a login given twice. A text with no user
  // line is an error too: it would lock everyone out.
  static Result<Users> parse(std::string_view text, std::string_view origin);
  // Reads and parses the file at `path`. kIoError when it cannot be read.
  static Result<Users> load(const std::string& path);

  // True when `login` is a known user and `passcode` is its passcode. The
  // comparison takes the same time wherever the passcodes differ.
  bool check(std::string_view login, std::string_view passcode) const;
  // True when the file restricts nothing (no host lines) or `host` is one of
  // its hosts. A missing host header passes only when nothing is restricted.
  bool host_allowed(std::optional<std::string_view> host) const;

  size_t user_count() const { return users_.size(); }
  const std::vector<std::string>& hosts() const { return hosts_; }

 private:
  std::vector<std::pair<std::string, std::string>> users_;  // login, passcode
  std::vector<std::string> hosts_;                          // empty: any host
};

}  // namespace wmq::stomp
