// stomp_frame_bench: how fast the codec parses and serializes SEND frames
// with 200-byte bodies, the size of an order. Not a test; built with
// WMQ_BENCH=ON. Prints the median of 7 runs of each case.
//
//   stomp_frame_bench [FRAMES]   (default 200000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "stomp/frame.h"

namespace {

using wmq::stomp::Frame;
using wmq::stomp::FrameParser;
using wmq::stomp::ParseResult;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Parses `stream` in 64 KiB reads, as a socket reader would; returns the
// number of frames.
size_t parse_all(const std::string& stream) {
  constexpr size_t kRead = 64 * 1024;
  FrameParser p;
  size_t frames = 0;
  for (size_t at = 0; at < stream.size(); at += kRead) {
    p.feed(stream.data() + at, std::min(kRead, stream.size() - at));
    for (;;) {
      ParseResult r = p.next();
      if (r.need_more_bytes()) break;
      if (r.is_error()) {
        std::fprintf(stderr, "stomp_frame_bench: %s\n", r.status().message().c_str());
        std::exit(1);
      }
      frames += r.is_frame();
    }
  }
  return frames;
}

template <typename F>
double median_seconds(F&& run) {
  std::vector<double> t;
  for (int i = 0; i < 7; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    t.push_back(seconds_since(start));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

void parse_case(const char* name, const std::string& one, size_t n) {
  std::string stream;
  stream.reserve(one.size() * n);
  for (size_t i = 0; i < n; ++i)
    stream += one;
  size_t got = 0;
  const double s = median_seconds([&] { got = parse_all(stream); });
  if (got != n) {
    std::fprintf(stderr, "stomp_frame_bench: parsed %zu frames of %zu\n", got, n);
    std::exit(1);
  }
  std::printf("parse %-26s %4zu B/frame  %10.0f frames/s  %7.1f MB/s\n", name, one.size(), n / s,
              stream.size() / s / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200000;
  Frame send;
  send.command = "SEND";
  send.headers = {{"destination", "/exchange/orders/wok"},
                  {"content-type", "application/json"},
                  {"persistent", "true"},
                  {"receipt", "order-12345"}};
  send.body.assign(200, 'x');

  // serialize adds the content-length.
  parse_case("SEND, content-length", wmq::stomp::serialize(send), n);
  std::string no_length = "SEND\ndestination:/exchange/orders/wok\n\n" + send.body + '\0';
  parse_case("SEND, body up to the NUL", no_length, n);
  Frame escaped = send;
  escaped.headers.emplace_back("note", "meja 4: pedas\\tidak");  // ':' and '\' escape
  parse_case("SEND, escaped header", wmq::stomp::serialize(escaped), n);

  std::string out;
  const double s = median_seconds([&] {
    out.clear();
    for (size_t i = 0; i < n; ++i)
      wmq::stomp::serialize_to(send, &out);
  });
  std::printf("serialize_to SEND                         %10.0f frames/s  %7.1f MB/s\n", n / s,
              out.size() / s / 1e6);
  return 0;
}
