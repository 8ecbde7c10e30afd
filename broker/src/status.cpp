#include "broker/status.h"

namespace wmq {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalid:
      return "invalid";
    case Code::kTooLarge:
      return "too-large";
    case Code::kUnknownFormat:
      return "unknown-format";
    case Code::kNotFound:
      return "not-found";
    case Code::kExists:
      return "exists";
    case Code::kUnroutable:
      return "unroutable";
    case Code::kFull:
      return "full";
    case Code::kUnknownTag:
      return "unknown-tag";
    case Code::kClosed:
      return "closed";
    case Code::kIoError:
      return "io-error";
    case Code::kCorrupt:
      return "corrupt";
    case Code::kBusy:
      return "busy";
  }
  assert(false && "code_name: a Code without a name; add it to the switch");
  return "?";
}

}  // namespace wmq
