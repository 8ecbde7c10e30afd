#include "stomp/users.h"

#include "stomp/passcode_hash.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace wmq::stomp {

namespace {

// The words of a line, up to a word that starts a comment.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t')
      ++i;
    if (i == start) continue;
    if (line[start] == '#') break;
    out.push_back(line.substr(start, i - start));
  }
  return out;
}

// Compares without stopping at the first difference, so the time taken says
// nothing about how much of a guess was right.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

// libsodium's crypto_pwhash_str strings all start so.
bool is_hash(std::string_view secret) {
  return secret.rfind("$argon2", 0) == 0;
}

}  // namespace

Result<Users> Users::parse(std::string_view text, std::string_view origin) {
  Users users;
  size_t line_no = 0;
  size_t at = 0;
  std::vector<std::pair<size_t, std::string>> grant_lines;  // line, login: checked at the end
  while (at <= text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::vector<std::string_view> w = words(line);
    if (w.empty()) continue;
    const std::string where = std::string(origin) + ":" + std::to_string(line_no) + ": ";
    if (w[0] == "user") {
      if (w.size() != 3) {
        return Status::error(Code::kInvalid,
                             where + "a user line is \"user LOGIN PASSCODE\", got " +
                                 std::to_string(w.size() - 1) + " word(s) after \"user\"");
      }
      const bool dup = std::any_of(users.users_.begin(), users.users_.end(),
                                   [&](const User& u) { return u.login == w[1]; });
      if (dup) {
        return Status::error(Code::kInvalid,
                             where + "login \"" + std::string(w[1]) + "\" is given twice");
      }
      const bool hashed = is_hash(w[2]);
      if (!hashed) {
        users.warnings_.push_back(where + "the passcode of \"" + std::string(w[1]) +
                                  "\" is plain text, readable by anyone who can read this "
                                  "file; store a hash with `warungmq users add " +
                                  std::string(w[1]) + " --file " + std::string(origin) + "`");
      }
      users.users_.push_back(User{std::string(w[1]), std::string(w[2]), hashed});
    } else if (w[0] == "allow") {
      if (w.size() != 4) {
        return Status::error(Code::kInvalid,
                             where +
                                 "an allow line is \"allow LOGIN read|write DESTINATION\", "
                                 "got " +
                                 std::to_string(w.size() - 1) + " word(s) after \"allow\"");
      }
      Access access;
      if (w[2] == "read") {
        access = Access::kRead;
      } else if (w[2] == "write") {
        access = Access::kWrite;
      } else {
        return Status::error(Code::kInvalid, where + "unknown permission \"" + std::string(w[2]) +
                                                 "\" (expected \"read\" or \"write\")");
      }
      if (w[3].front() != '/') {
        return Status::error(Code::kInvalid, where + "destination \"" + std::string(w[3]) +
                                                 "\" does not start with '/' (e.g. /queue/grill)");
      }
      users.grants_.push_back(Grant{std::string(w[1]), access, std::string(w[3])});
      grant_lines.emplace_back(line_no, std::string(w[1]));
    } else if (w[0] == "host") {
      if (w.size() != 2) {
        return Status::error(Code::kInvalid, where + "a host line is \"host NAME\", got " +
                                                 std::to_string(w.size() - 1) +
                                                 " word(s) after \"host\"");
      }
      users.hosts_.emplace_back(w[1]);
    } else {
      return Status::error(Code::kInvalid, where + "unknown keyword \"" + std::string(w[0]) +
                                               "\" (expected \"user\", \"allow\" or \"host\")");
    }
  }
  if (users.users_.empty()) {
    return Status::error(Code::kInvalid,
                         std::string(origin) + ": no user line; nobody could connect");
  }
  for (const auto& grant : grant_lines) {
    const std::string& login = grant.second;
    const bool known = std::any_of(users.users_.begin(), users.users_.end(),
                                   [&](const User& u) { return u.login == login; });
    if (!known) {
      return Status::error(Code::kInvalid, std::string(origin) + ":" + std::to_string(grant.first) +
                                               ": allow line for \"" + login +
                                               "\", who has no user line");
    }
  }
  return users;
}

Result<Users> Users::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(Code::kIoError, "users file " + path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::error(Code::kIoError, "users file " + path + ": read failed");
  return parse(text.str(), path);
}

bool Users::check(std::string_view login, std::string_view passcode) const {
  const auto it =
      std::find_if(users_.begin(), users_.end(), [&](const User& u) { return u.login == login; });
  if (it == users_.end()) return false;
  if (!it->hashed) return same_secret(it->secret, passcode);
  return passcode_matches_hash(it->secret, passcode);
}

bool Users::host_allowed(std::optional<std::string_view> host) const {
  if (hosts_.empty()) return true;
  if (!host) return false;
  return std::find(hosts_.begin(), hosts_.end(), *host) != hosts_.end();
}

bool Users::may(std::string_view login, Access access, std::string_view destination) const {
  if (destination.rfind("/temp-queue/", 0) == 0 || destination.rfind("/reply-queue/", 0) == 0) {
    return true;  // the session's own reply queues
  }
  bool restricted = false;
  for (const Grant& g : grants_) {
    if (g.login != login) continue;
    restricted = true;
    if (g.access != access) continue;
    std::string_view d = g.destination;
    if (d.back() == '*') {
      d.remove_suffix(1);
      if (destination.substr(0, d.size()) == d) return true;
    } else if (destination == d ||
               (destination.size() > d.size() && destination.substr(0, d.size()) == d &&
                destination[d.size()] == '/')) {
      return true;  // the destination, or under it: an exchange with a routing key
    }
  }
  return !restricted;
}

Result<std::string> Users::hash_passcode(std::string_view passcode) {
  if (passcode.empty()) return Status::error(Code::kInvalid, "the passcode is empty");
  if (passcode.find_first_of(" \t\r\n") != std::string_view::npos) {
    return Status::error(Code::kInvalid,
                         "a passcode may not hold a space, tab or line break (STOMP headers and "
                         "the users file could not carry it)");
  }
  return hash_of_passcode(passcode);
}

Result<std::string> Users::with_user(std::string_view text, std::string_view origin,
                                     std::string_view login, std::string_view secret) {
  if (login.empty() || login.front() == '#' ||
      login.find_first_of(" \t\r\n") != std::string_view::npos) {
    return Status::error(Code::kInvalid, "login \"" + std::string(login) +
                                             "\" cannot be written: a login is one word that "
                                             "does not start with '#'");
  }
  const std::string entry = "user " + std::string(login) + " " + std::string(secret);
  std::string out;
  bool replaced = false;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    const std::vector<std::string_view> w = words(line);
    if (!replaced && w.size() >= 2 && w[0] == "user" && w[1] == login) {
      out += entry;
      replaced = true;
    } else {
      out += line;
    }
    out += '\n';
  }
  if (!replaced) out += entry + "\n";
  auto check = parse(out, origin);
  if (!check.is_ok()) return check.status();
  return out;
}

}  // namespace wmq::stomp
