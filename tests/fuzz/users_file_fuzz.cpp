// libFuzzer target for the users file (broker/stomp/users.h).
//
// Properties, besides no crash and no sanitizer report:
//   - a text is accepted, or refused with "users.txt:LINE: sentence" (or the
//     one whole-file error, no user line);
//   - every warning of an accepted text names its line;
//   - with_user() on an accepted text gives a text parse() accepts, where the
//     new login checks with its passcode and the others keep theirs.
// Hashed passcodes are never checked here: their cost is libsodium's, and
// the file is the teacher's (its hash parameters are trusted).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "stomp/users.h"

using wmq::fuzz::names_a_line;
using wmq::fuzz::require;
using wmq::stomp::Access;
using wmq::stomp::Users;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr const char* kTarget = "users_file_fuzz";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto users = Users::parse(text, "users.txt");
  if (!users.is_ok()) {
    const std::string m = users.status().message();
    require(names_a_line(m, "users.txt") || m == "users.txt: no user line; nobody could connect",
            kTarget, "an error names its line", m);
    return 0;
  }
  require(users->user_count() > 0, kTarget, "an accepted file has a user");
  for (const std::string& w : users->warnings())
    require(names_a_line(w, "users.txt"), kTarget, "a warning names its line", w);
  // Permissions answer without crashing, whatever the destination.
  (void)users->may("fuzz", Access::kRead, text.substr(0, 64));
  (void)users->may("fuzz", Access::kWrite, "/queue/grill");

  auto again = Users::with_user(text, "users.txt", "fuzz-new-login", "rahasia");
  if (!again.is_ok()) {
    // Only a text whose own lines name the new login twice can refuse it.
    require(text.find("fuzz-new-login") != std::string_view::npos, kTarget,
            "with_user accepts an accepted text", again.status().message());
    return 0;
  }
  auto reread = Users::parse(again.value(), "users.txt");
  require(reread.is_ok(), kTarget, "with_user's text parses", again.value());
  require(reread->check("fuzz-new-login", "rahasia"), kTarget, "the new login checks");
  require(reread->user_count() == users->user_count() ||
              reread->user_count() == users->user_count() + 1,
          kTarget, "with_user adds at most one user");
  return 0;
}
