#include "stomp/destination.h"

namespace wmq::stomp {

namespace {

struct Prefix {
  std::string_view text;
  DestinationKind kind;
};

// Longest first where one prefix starts another (none do today, but the
// order keeps it right if one is added).
constexpr Prefix kPrefixes[] = {
    {"/amq/queue/", DestinationKind::kAmqQueue},   {"/queue/", DestinationKind::kQueue},
    {"/topic/", DestinationKind::kTopic},          {"/exchange/", DestinationKind::kExchange},
    {"/temp-queue/", DestinationKind::kTempQueue}, {"/reply-queue/", DestinationKind::kReplyQueue},
};

std::string quoted(std::string_view s) {
  std::string out = "destination \"";
  // Destinations come from the peer: cut long ones so an error stays readable.
  if (s.size() > 64) {
    out.append(s.substr(0, 64));
    out += "...";
  } else {
    out.append(s);
  }
  return out + "\"";
}

}  // namespace

Result<Destination> parse_destination(std::string_view text) {
  for (const Prefix& p : kPrefixes) {
    if (text.substr(0, p.text.size()) != p.text) continue;
    std::string_view rest = text.substr(p.text.size());
    Destination d;
    d.kind = p.kind;
    if (p.kind == DestinationKind::kExchange) {
      const size_t slash = rest.find('/');
      d.name = std::string(rest.substr(0, slash));
      if (slash != std::string_view::npos) d.key = std::string(rest.substr(slash + 1));
      if (d.name.empty()) {
        return Status::error(Code::kInvalid,
                             quoted(text) + ": no exchange name after \"/exchange/\"");
      }
      return d;
    }
    if (rest.empty()) {
      return Status::error(Code::kInvalid,
                           quoted(text) + ": nothing after \"" + std::string(p.text) + "\"");
    }
    d.name = std::string(rest);
    return d;
  }
  return Status::error(Code::kInvalid,
                       quoted(text) +
                           ": unknown kind; use /queue/NAME, /topic/KEY, /exchange/NAME/KEY, "
                           "/amq/queue/NAME or /reply-queue/NAME");
}

}  // namespace wmq::stomp
