// Salted slow passcode hashes for the users file. Two implementations: libsodium's Argon2id
// (passcode_hash.cpp, every native build) and none (passcode_hash_none.cpp, the web build: a page
// has no STOMP server to log in to, so no passcode is ever checked there).
#pragma once

#include <string>
#include <string_view>

#include "broker/status.h"

namespace wmq::stomp {

// True when `passcode` matches `hash`, a string hash_of_passcode made. False for any other hash,
// and when the hashing library cannot start.
bool passcode_matches_hash(const std::string& hash, std::string_view passcode);

// A new salted hash of a non-empty passcode. kIoError when the library cannot start or runs out
// of memory; kIoError too where no hashing library is built in (the web build).
Result<std::string> hash_of_passcode(std::string_view passcode);

}  // namespace wmq::stomp
