// Users: who may CONNECT to a STOMP server, and what each may read and send,
// read from a small text file.
//
// Without a users file any client may connect, with or without a login (the
// server then listens only on loopback unless told --allow-anyone). With
// one, CONNECT needs a login and passcode that match a `user` line, and, when
// the file has `host` lines, a host header naming one of them. The format,
// one entry per line, words separated by spaces or tabs:
//
//   # a comment, to the end of the line; blank lines are ignored
//   user LOGIN PASSCODE      a login and its passcode: a hash written by
//                            `warungmq users add LOGIN` ("$argon2id$..."),
//                            or plain text (loads, with a warning)
//   allow LOGIN read DEST    LOGIN may SUBSCRIBE to DEST
//   allow LOGIN write DEST   LOGIN may SEND to DEST
//   host NAME                a virtual host name CONNECT may give
//
// DEST is a destination as clients write it (/queue/grill,
// /exchange/orders); it covers itself and what lies under it after a '/'
// (/exchange/orders covers /exchange/orders/grill, any routing key). One
// ending in '*' covers every destination that starts with what comes before
// it (/queue/* is every queue). A login with
// no allow line may read and send everywhere, as before permissions
// existed; a login with one may do only what its allow lines say. The
// session's own /temp-queue/ and /reply-queue/ destinations need no line.
//
// Example:
//
//   user kasir  $argon2id$v=19$m=65536,t=2,p=1$...
//   user koki-1 sambal-pedas
//   allow kasir  write /exchange/orders
//   allow koki-1 read  /queue/grill
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

// What a login wants to do with a destination.
enum class Access : uint8_t { kRead, kWrite };

class Users {
 public:
  // Reads the format above from `text`; `origin` names it in errors (a file
  // path). Errors (kInvalid), naming the line: an unknown keyword, a line
  // with too few or too many words, a login given twice, an allow line of an
  // unknown login or verb, a destination not starting with '/'. A text with
  // no user line is an error too: it would lock everyone out. Plain-text
  // passcodes are not errors: warnings() names their lines.
  static Result<Users> parse(std::string_view text, std::string_view origin);
  // Reads and parses the file at `path`. kIoError when it cannot be read.
  static Result<Users> load(const std::string& path);

  // True when `login` is a known user and `passcode` is its passcode. A
  // hashed passcode is checked by libsodium (slow on purpose: tens of
  // milliseconds); a plain one without stopping at the first difference.
  bool check(std::string_view login, std::string_view passcode) const;
  // True when the file restricts nothing (no host lines) or `host` is one of
  // its hosts. A missing host header passes only when nothing is restricted.
  bool host_allowed(std::optional<std::string_view> host) const;
  // True when `login` may `access` `destination` (see the format above).
  bool may(std::string_view login, Access access, std::string_view destination) const;

  size_t user_count() const { return users_.size(); }
  const std::vector<std::string>& hosts() const { return hosts_; }
  // One sentence per plain-text passcode, naming its line and how to hash it.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // A salted slow hash of `passcode` for a user line (libsodium's
  // crypto_pwhash_str, Argon2id). kInvalid for an empty passcode or one
  // holding a space, tab or line break (the file could not hold it);
  // kIoError when libsodium cannot start or runs out of memory.
  static Result<std::string> hash_passcode(std::string_view passcode);
  // `text` (a users file) with LOGIN's user line set to `secret`: the line
  // replaced where it is, else appended. kInvalid for a login that is empty,
  // starts with '#' or holds a space, and for a text parse() refuses.
  static Result<std::string> with_user(std::string_view text, std::string_view origin,
                                       std::string_view login, std::string_view secret);

 private:
  struct User {
    std::string login;
    std::string secret;   // a crypto_pwhash_str string, or the plain passcode
    bool hashed = false;  // secret is a hash
  };
  struct Grant {
    std::string login;
    Access access;
    std::string destination;  // ends in '*': a prefix
  };
  std::vector<User> users_;
  std::vector<Grant> grants_;
  std::vector<std::string> hosts_;  // empty: any host
  std::vector<std::string> warnings_;
};

}  // namespace wmq::stomp
