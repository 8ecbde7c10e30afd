#include "stomp/passcode_hash.h"

#include <sodium.h>

namespace wmq::stomp {
namespace {

// Argon2id at OWASP's suggested minimum (19 MiB, two passes): slow enough
// that a stolen file is costly to guess through, quick enough (about 15 ms
// of CPU here) that checking a CONNECT on the server's one thread stays short.
constexpr size_t kHashMemory = size_t{19} << 20;

bool sodium_ready() {
  // sodium_init() is idempotent: 0 the first time, 1 after, -1 on failure.
  return sodium_init() >= 0;
}

}  // namespace

bool passcode_matches_hash(const std::string& hash, std::string_view passcode) {
  if (!sodium_ready()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), passcode.data(), passcode.size()) == 0;
}

Result<std::string> hash_of_passcode(std::string_view passcode) {
  if (!sodium_ready()) return Status::error(Code::kIoError, "libsodium could not start");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, passcode.data(), passcode.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        kHashMemory) != 0) {
    return Status::error(Code::kIoError, "hashing the passcode ran out of memory");
  }
  return std::string(out);
}

}  // namespace wmq::stomp
