#include "gui/model/scenario_writer.h"

#include <vector>

#include "sim/strings.h"

namespace wmq::gui {

namespace {

using sim::trim;

// A table header line ("[x]" or "[[x]]"), with an optional comment after it.
bool is_header(std::string_view line) {
  std::string_view t = trim(line);
  return !t.empty() && t[0] == '[';
}

bool is_scenario_header(std::string_view line) {
  std::string_view t = trim(line);
  const size_t hash = t.find('#');
  if (hash != std::string_view::npos) t = trim(t.substr(0, hash));
  return t == "[scenario]";
}

// "seed = 7", "seed=7 # why": the key of the line is exactly seed.
bool is_seed_line(std::string_view line) {
  std::string_view t = trim(line);
  if (t.substr(0, 4) != "seed") return false;
  t = trim(t.substr(4));
  return !t.empty() && t[0] == '=';
}

// Multi-line strings may hold lines that look like headers; they are skipped.
bool toggles_multiline(std::string_view line) {
  size_t n = 0;
  for (size_t pos = line.find("\"\"\""); pos != std::string_view::npos;
       pos = line.find("\"\"\"", pos + 3)) {
    ++n;
  }
  for (size_t pos = line.find("'''"); pos != std::string_view::npos;
       pos = line.find("'''", pos + 3)) {
    ++n;
  }
  return n % 2 == 1;
}

}  // namespace

Result<std::string> scenario_with_injections(std::string_view source, std::string_view origin,
                                             uint64_t seed,
                                             const std::vector<sim::Injection>& injections) {
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos < source.size();) {
    size_t nl = source.find('\n', pos);
    if (nl == std::string_view::npos) nl = source.size();
    lines.push_back(source.substr(pos, nl - pos));
    pos = nl + 1;
  }

  const std::string seed_line = "seed = " + std::to_string(seed);
  std::string out;
  out.reserve(source.size() + injections.size() * 96 + 256);
  bool in_multiline = false;
  bool in_scenario = false;
  bool seed_written = false;
  bool found_header = false;
  for (std::string_view line : lines) {
    if (!in_multiline && is_header(line)) {
      if (in_scenario && !seed_written) {
        // The [scenario] table ended without a seed line: it goes at the table's end.
        out += seed_line;
        out += '\n';
        seed_written = true;
      }
      in_scenario = is_scenario_header(line);
      found_header = found_header || in_scenario;
    }
    if (!in_multiline && in_scenario && !seed_written && is_seed_line(line)) {
      out += seed_line;
      seed_written = true;
    } else {
      out.append(line);
    }
    out += '\n';
    if (toggles_multiline(line)) in_multiline = !in_multiline;
  }
  if (!found_header) {
    return Status::error(Code::kInvalid, "scenario \"" + std::string(origin) +
                                             "\": no [scenario] header line to put the seed under");
  }
  if (in_scenario && !seed_written) {
    out += seed_line;
    out += '\n';
  }

  if (!injections.empty()) {
    out += "\n# ---- Saved by WarungMQ from \"";
    out.append(origin);
    out += "\": what was done in the GUI, in the order it was done.\n\n";
    for (const sim::Injection& in : injections)
      out += sim::injection_to_toml(in);
  }
  return out;
}

}  // namespace wmq::gui
