#include "gui/model/link.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "sim/duration.h"

namespace wmq::gui {

namespace {

// What a problem's {text} shows of the input: enough to find it, never a screenful, and only
// printable ASCII (the rest of a garbage link would draw as boxes).
constexpr size_t kShownChars = 40;

std::string shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kShownChars))
    out += c >= 0x20 && c < 0x7f ? c : '?';
  if (text.size() > kShownChars) out += "...";
  return out;
}

Status problem(const LinkSentence& say, LinkProblem p, Code code = Code::kInvalid) {
  std::string message;
  if (say) {
    message = say(p);
  } else {
    message = "link.problem." + p.key;
    for (const auto& [name, value] : p.args)
      message += " " + name + "=\"" + value + "\"";
  }
  return Status::error(code, std::move(message));
}

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (unreserved(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// The shortest text from_chars reads back to the same double.
std::string number_text(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

std::optional<double> parse_number(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

template <typename Int>
std::optional<Int> parse_whole(std::string_view text) {
  Int v = 0;
  if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<Micros> parse_time(std::string_view text) {
  Result<Micros> d = sim::parse_duration(text);
  if (!d.is_ok()) return std::nullopt;
  return d.value();
}

// A name a shipped scenario's file stem can have: no '/', no '.', nothing to escape.
bool lesson_name(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::string encode_click(const LinkClick& c) {
  const sim::Injection& in = c.injection;
  const sim::Injection none;
  std::string out = sim::format_duration(c.made_at) + ":" + sim::injection_kind_name(in.kind);
  if (!in.target.empty()) out += ":" + percent_encode(in.target);
  auto put = [&out](const char* key, const std::string& value) {
    out += ';';
    out += key;
    out += '=';
    out += value;
  };
  if (in.at > c.made_at) put("in", sim::format_duration(in.at - c.made_at));
  if (in.restart_after) put("back", sim::format_duration(*in.restart_after));
  if (in.rate != none.rate) put("rate", number_text(in.rate));
  if (in.speed != none.speed) put("speed", number_text(in.speed));
  if (in.window != none.window) put("window", sim::format_duration(in.window));
  if (!in.problem.empty()) put("problem", percent_encode(in.problem));
  if (!in.dish.empty()) put("dish", percent_encode(in.dish));
  if (!in.message.empty()) put("msg", percent_encode(in.message));
  if (in.queue.durable) put("durable", *in.queue.durable ? "1" : "0");
  if (in.queue.max_length) put("max", std::to_string(*in.queue.max_length));
  if (in.queue.ttl) put("ttl", sim::format_duration(*in.queue.ttl));
  if (in.queue.delivery_limit) put("limit", std::to_string(*in.queue.delivery_limit));
  return out;
}

// One click's text, or nullopt when any part of it does not read.
std::optional<LinkClick> decode_click(std::string_view text) {
  std::vector<std::string_view> fields = split(text, ';');
  std::vector<std::string_view> head = split(fields[0], ':');
  if (head.size() < 2 || head.size() > 3) return std::nullopt;
  LinkClick c;
  std::optional<Micros> made = parse_time(head[0]);
  std::optional<sim::InjectionKind> kind = sim::injection_kind_from_name(head[1]);
  if (!made || !kind) return std::nullopt;
  c.made_at = *made;
  sim::Injection& in = c.injection;
  in.kind = *kind;
  in.at = c.made_at;
  if (head.size() == 3) {
    std::optional<std::string> target = percent_decode(head[2]);
    if (!target || target->empty()) return std::nullopt;
    in.target = std::move(*target);
  }
  std::vector<std::string_view> seen;
  for (size_t i = 1; i < fields.size(); ++i) {
    const size_t eq = fields[i].find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view key = fields[i].substr(0, eq), value = fields[i].substr(eq + 1);
    for (std::string_view k : seen) {
      if (k == key) return std::nullopt;
    }
    seen.push_back(key);
    // Each reader sets its field and says whether the value read.
    auto time = [&value](auto& field) {
      std::optional<Micros> t = parse_time(value);
      if (t) field = *t;
      return t.has_value();
    };
    auto text_field = [&value](std::string& field) {
      std::optional<std::string> s = percent_decode(value);
      if (s) field = std::move(*s);
      return s.has_value() && !field.empty();
    };
    auto number = [&value](double& field) {
      std::optional<double> v = parse_number(value);
      if (v) field = *v;
      return v.has_value();
    };
    auto whole = [&value](std::optional<uint32_t>& field) {
      std::optional<uint32_t> v = parse_whole<uint32_t>(value);
      if (v) field = *v;
      return v.has_value();
    };
    bool ok = false;
    if (key == "in") {
      Micros d = 0;
      ok = time(d) && d > 0;
      in.at = c.made_at + d;
    } else if (key == "back") {
      Micros d = 0;
      ok = time(d);
      in.restart_after = d;
    } else if (key == "rate") {
      ok = number(in.rate);
    } else if (key == "speed") {
      ok = number(in.speed);
    } else if (key == "window") {
      ok = time(in.window);
    } else if (key == "problem") {
      ok = text_field(in.problem);
    } else if (key == "dish") {
      ok = text_field(in.dish);
    } else if (key == "msg") {
      ok = text_field(in.message);
    } else if (key == "durable") {
      ok = value == "0" || value == "1";
      in.queue.durable = value == "1";
    } else if (key == "max") {
      ok = whole(in.queue.max_length);
    } else if (key == "ttl") {
      Micros d = 0;
      ok = time(d);
      in.queue.ttl = d;
    } else if (key == "limit") {
      ok = whole(in.queue.delivery_limit);
    }
    if (!ok) return std::nullopt;
  }
  return c;
}

}  // namespace

std::string encode(const MomentLink& link) {
  std::vector<std::string> params;
  if (link.seed) params.push_back("seed=" + std::to_string(*link.seed));
  params.push_back("t=" + sim::format_duration(link.at));
  if (link.paused) params.emplace_back("paused");
  if (link.speed) params.push_back("speed=" + number_text(*link.speed));
  if (link.language != "en") params.push_back("lang=" + percent_encode(link.language));
  if (link.vocabulary != "restaurant") params.push_back("words=" + percent_encode(link.vocabulary));
  if (link.projector) params.emplace_back("projector");
  if (!link.clicks.empty()) {
    std::string clicks = "clicks=";
    for (size_t i = 0; i < link.clicks.size(); ++i) {
      if (i > 0) clicks += ',';
      clicks += encode_click(link.clicks[i]);
    }
    params.push_back(std::move(clicks));
  }
  std::string out = "v" + std::to_string(kLinkVersion) + "/" + percent_encode(link.lesson);
  for (size_t i = 0; i < params.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += params[i];
  }
  return out;
}

std::string link_text(const MomentLink& link, std::string_view base_url) {
  if (base_url.empty()) return encode(link);
  return std::string(base_url.substr(0, base_url.find('#'))) + "#" + encode(link);
}

Result<MomentLink> decode(std::string_view text, const LinkSentence& say) {
  const std::string_view whole = text;
  if (const size_t hash = text.find('#'); hash != std::string_view::npos) {
    text.remove_prefix(hash + 1);
  }
  auto not_a_link = [&] { return problem(say, {"not_a_link", {{"text", shown(whole)}}}); };

  // v<version>/
  if (text.empty() || text.front() != 'v') return not_a_link();
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return not_a_link();
  // Any number of digits is a version, however far in the future: "v123456789012/".
  const std::string_view digits = text.substr(1, slash - 1);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos ||
      digits.find_first_not_of('0') == std::string_view::npos) {
    return not_a_link();
  }
  const std::string_view number = digits.substr(digits.find_first_not_of('0'));
  const std::string newest = std::to_string(kLinkVersion);
  if (number.size() > newest.size() || (number.size() == newest.size() && number > newest)) {
    return problem(say, {"future", {{"version", shown(number)}, {"newest", newest}}});
  }
  text.remove_prefix(slash + 1);

  MomentLink link;
  const size_t question = text.find('?');
  const std::string_view lesson = text.substr(0, question);
  link.lesson = lesson.empty() ? std::string(kSandboxLesson) : std::string(lesson);
  if (!lesson_name(link.lesson)) {
    return problem(say, {"unknown_lesson", {{"lesson", shown(link.lesson)}}});
  }
  if (question == std::string_view::npos) return link;

  std::vector<std::string_view> seen;
  for (std::string_view part : split(text.substr(question + 1), '&')) {
    if (part.empty()) continue;  // "a&&b", a trailing '&': nothing said
    const size_t eq = part.find('=');
    const std::string_view name = part.substr(0, eq);
    const bool has_value = eq != std::string_view::npos;
    const std::string_view value = has_value ? part.substr(eq + 1) : std::string_view();
    auto bad_part = [&] { return problem(say, {"bad_part", {{"part", shown(part)}}}); };
    auto bad = [&](const char* key) { return problem(say, {key, {{"text", shown(value)}}}); };
    for (std::string_view s : seen) {
      if (s == name) return bad_part();
    }
    seen.push_back(name);
    const bool flag = name == "paused" || name == "projector";
    if (flag == has_value) return bad_part();
    if (name == "paused") {
      link.paused = true;
    } else if (name == "projector") {
      link.projector = true;
    } else if (name == "seed") {
      link.seed = parse_whole<uint64_t>(value);
      if (!link.seed) return bad("bad_seed");
    } else if (name == "t") {
      std::optional<Micros> t = parse_time(value);
      if (!t) return bad("bad_time");
      link.at = *t;
    } else if (name == "speed") {
      link.speed = parse_number(value);
      if (!link.speed || *link.speed < Player::kSpeeds.front() ||
          *link.speed > Player::kSpeeds.back()) {
        return bad("bad_speed");
      }
    } else if (name == "lang") {
      if (value != "en" && value != "id") return bad("bad_language");
      link.language = std::string(value);
    } else if (name == "words") {
      if (value != "restaurant" && value != "broker") return bad("bad_words");
      link.vocabulary = std::string(value);
    } else if (name == "clicks") {
      std::vector<std::string_view> clicks = split(value, ',');
      for (size_t i = 0; i < clicks.size(); ++i) {
        auto click_problem = [&](const char* key) {
          return problem(say,
                         {key, {{"number", std::to_string(i + 1)}, {"text", shown(clicks[i])}}});
        };
        std::optional<LinkClick> c = decode_click(clicks[i]);
        if (!c) return click_problem("bad_click");
        if (!link.clicks.empty() && c->made_at < link.clicks.back().made_at) {
          return click_problem("click_order");
        }
        link.clicks.push_back(std::move(*c));
      }
    } else {
      return bad_part();
    }
  }
  return link;
}

Result<std::filesystem::path> lesson_path(const std::filesystem::path& scenarios_dir,
                                          const std::string& lesson, const LinkSentence& say) {
  std::error_code ec;
  const std::filesystem::path file = scenarios_dir / (lesson + ".toml");
  if (!lesson_name(lesson) || !std::filesystem::is_regular_file(file, ec)) {
    return problem(say, {"unknown_lesson", {{"lesson", shown(lesson)}}}, Code::kNotFound);
  }
  return file;
}

std::optional<std::string> shipped_lesson(const std::filesystem::path& scenario_file,
                                          const std::filesystem::path& scenarios_dir) {
  const std::string stem = scenario_file.stem().string();
  if (!lesson_name(stem) || scenario_file.extension() != ".toml") return std::nullopt;
  std::error_code ec;
  if (!std::filesystem::equivalent(scenario_file, scenarios_dir / (stem + ".toml"), ec) || ec) {
    return std::nullopt;
  }
  return stem;
}

MomentLink moment_of(const Workbench& bench, std::string lesson) {
  MomentLink link;
  link.lesson = std::move(lesson);
  link.seed = bench.seed();
  link.at = bench.now();
  link.paused = !bench.player().playing();
  if (bench.player().speed() != Player().speed()) link.speed = bench.player().speed();
  for (const Recorded& r : bench.recorded())
    link.clicks.push_back(LinkClick{r.made_at, r.injection});
  return link;
}

namespace {

// Where the timeline's slider reaches, the way the timeline goes (seek, so a link lands where
// --at lands); beyond it, the way playing on goes.
Status go_to(Workbench& bench, Micros t) {
  return t > bench.end() ? bench.run_on_to(t) : bench.seek(t);
}

}  // namespace

Status land(Workbench& bench, const MomentLink& link, const LinkSentence& say) {
  for (size_t i = 0; i < link.clicks.size(); ++i) {
    const LinkClick& c = link.clicks[i];
    Status st = go_to(bench, c.made_at);
    if (st.is_ok()) st = bench.inject(c.injection);
    if (!st.is_ok()) {
      return problem(say, {"click_refused",
                           {{"number", std::to_string(i + 1)},
                            {"what", sim::describe(c.injection)},
                            {"lesson", link.lesson}}});
    }
  }
  return go_to(bench, link.at);
}

}  // namespace wmq::gui
