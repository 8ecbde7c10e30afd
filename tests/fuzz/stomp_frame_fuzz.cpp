// libFuzzer target for the STOMP frame codec (broker/stomp/frame.h).
//
// Besides "no crash, no sanitizer report", every input checks two
// properties the unit tests check only on chosen inputs:
//   - parsing the stream whole and in chunks gives the same results, error
//     text included;
//   - every frame parsed survives serialize and a second parse unchanged
//     (but for the content-length the serializer adds to a bodied frame).
// A broken property aborts, which libFuzzer reports as a crash with the
// input saved.
//
// Input: byte 0 picks the chunk size, byte 1 picks the limits, the rest is
// the byte stream.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "stomp/frame.h"

namespace {

using wmq::Code;
using wmq::stomp::Frame;
using wmq::stomp::FrameParser;
using wmq::stomp::Limits;
using wmq::stomp::ParseResult;

void require(bool ok, const char* property) {
  if (ok) return;
  std::fprintf(stderr, "stomp_frame_fuzz: property broken: %s\n", property);
  std::abort();
}

std::vector<std::string> all_commands() {
  std::vector<std::string> all = wmq::stomp::client_commands();
  for (auto& c : wmq::stomp::server_commands())
    all.push_back(c);
  return all;
}

struct Outcome {
  std::vector<Frame> frames;
  size_t heart_beats = 0;
  bool failed = false;
  Code code = Code::kOk;
  std::string message;

  bool operator==(const Outcome&) const = default;
};

// Parses `stream` in pieces of `step` bytes, draining after each, up to
// the first error.
Outcome parse(std::string_view stream, size_t step, const Limits& limits,
              const std::vector<std::string>& known) {
  FrameParser p(limits, known);
  Outcome out;
  for (size_t at = 0; at < stream.size() && !out.failed; at += step) {
    p.feed(stream.substr(at, step));
    for (;;) {
      ParseResult r = p.next();
      if (r.need_more_bytes()) break;
      if (r.is_heart_beat()) {
        ++out.heart_beats;
      } else if (r.is_frame()) {
        out.frames.push_back(r.take_frame());
      } else {
        require(r.status().code() == Code::kInvalid || r.status().code() == Code::kTooLarge,
                "an error is invalid or too-large");
        require(!r.status().message().empty(), "an error has a message");
        out.failed = true;
        out.code = r.status().code();
        out.message = r.status().message();
        // Poisoned: the same error again.
        require(p.next().status().message() == out.message, "the error sticks");
        break;
      }
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> known = all_commands();
  if (size < 2) return 0;
  const size_t step = 1 + data[0] % 16;
  Limits limits;
  if (data[1] & 1) {
    // Small limits, so the fuzzer meets every limit often.
    limits.max_frame_size = 8 + (data[1] >> 1) * 4;
    limits.max_header_line = 1 + (data[1] >> 3);
    limits.max_headers = data[1] >> 5;
    limits.max_command_length = 3 + (data[1] >> 4);
  }
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  const Outcome whole = parse(stream, stream.size() + 1, limits, known);
  const Outcome chunked = parse(stream, step, limits, known);
  require(whole == chunked, "whole and chunked parses agree");

  // Round trip, with room for what serializing may add: escaping at most
  // doubles a header (a raw ':' in a value becomes \c), plus a content-length.
  Limits roomy;
  roomy.max_frame_size = 2 * stream.size() + 64;
  roomy.max_headers = limits.max_headers + 1;
  roomy.max_header_line = 2 * stream.size() + 64;
  for (const Frame& f : whole.frames) {
    const std::string wire = wmq::stomp::serialize(f);
    const Outcome again = parse(wire, wire.size(), roomy, known);
    require(!again.failed && again.frames.size() == 1 && again.heart_beats == 0,
            "a serialized frame parses as one frame");
    Frame expected = f;
    if (!f.body.empty() && !f.header("content-length")) {
      expected.headers.emplace_back("content-length", std::to_string(f.body.size()));
    }
    require(again.frames[0] == expected, "a frame survives serialize and parse");
  }
  return 0;
}
