#include "stomp/users.h"

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

}  // namespace

Result<Users> Users::parse(std::string_view text, std::string_view origin) {
  Users users;
  size_t line_no = 0;
  size_t at = 0;
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
                                   [&](const auto& u) { return u.first == w[1]; });
      if (dup) {
        return Status::error(Code::kInvalid,
                             where + "login \"" + std::string(w[1]) + "\" is given twice");
      }
      users.users_.emplace_back(std::string(w[1]), std::string(w[2]));
    } else if (w[0] == "host") {
      if (w.size() != 2) {
        return Status::error(Code::kInvalid, where + "a host line is \"host NAME\", got " +
                                                 std::to_string(w.size() - 1) +
                                                 " word(s) after \"host\"");
      }
      users.hosts_.emplace_back(w[1]);
    } else {
      return Status::error(Code::kInvalid, where + "unknown keyword \"" + std::string(w[0]) +
                                               "\" (expected \"user\" or \"host\")");
    }
  }
  if (users.users_.empty()) {
    return Status::error(Code::kInvalid,
                         std::string(origin) + ": no user line; nobody could connect");
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
  bool ok = false;
  for (const auto& [name, secret] : users_) {
    // Every user is compared, so the time does not tell which login exists.
    const bool match = name == login;
    const bool right = same_secret(secret, passcode);
    ok = ok || (match && right);
  }
  return ok;
}

bool Users::host_allowed(std::optional<std::string_view> host) const {
  if (hosts_.empty()) return true;
  if (!host) return false;
  return std::find(hosts_.begin(), hosts_.end(), *host) != hosts_.end();
}

}  // namespace wmq::stomp
