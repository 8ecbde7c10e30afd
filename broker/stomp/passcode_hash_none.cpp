// The web build's passcode hashes: a page cannot listen for STOMP logins (server_none.cpp), so
// nothing here is ever asked to check one; no hashing library is compiled for the page.
#include "stomp/passcode_hash.h"

namespace wmq::stomp {

bool passcode_matches_hash(const std::string&, std::string_view) {
  return false;
}

Result<std::string> hash_of_passcode(std::string_view) {
  return Status::error(Code::kIoError, "passcodes cannot be hashed in a web page");
}

}  // namespace wmq::stomp
