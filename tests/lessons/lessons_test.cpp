// The lessons (scenarios/01-*.toml .. 13-*.toml), label `scenario`.
//
// "NN ..." test cases give each lesson teeth: the lesson's own file, with
// what it teaches switched off or its failure removed (an edit of the TOML
// text, written to a temporary directory), run by `warungmq run` must exit 1
// with the named expectations failed. An expectation that still held there
// would not be checking the lesson's point.
//
// "lessons: ..." test cases check what every lesson must have: both
// languages everywhere, a number, a short run, pauses for the teacher.
#include <doctest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "read_file.h"
#include "sim/scenario.h"
#include "sim/simulation.h"

namespace fs = std::filesystem;
using wmq::lessons::test::read_file;
using namespace wmq;
using namespace wmq::sim;

namespace {

// The lessons in teaching order. Each has a teeth test case named after its
// number below; "lessons: numbered ..." checks the folder holds exactly these.
const std::vector<std::string> kLessons = {
    "01-without-a-board.toml",
    "02-the-order-board.toml",
    "03-a-cook-faints.toml",
    "04-validation.toml",
    "05-routing.toml",
    "06-translation.toml",
    "07-persistence.toml",
    "08-publisher-confirms.toml",
    "09-client-state.toml",
    "10-poison-and-dead-letters.toml",
    "11-backpressure-and-prefetch.toml",
    "12-publish-subscribe.toml",
    "13-scaling-out.toml",
};

// Short enough to watch in a class at 8x, long enough for food to be served.
constexpr Micros kLongestLesson = 15 * 60 * kSeconds;

// Lesson `n` (1-based) as shipped.
const std::string& file_of(size_t n) {
  REQUIRE(n >= 1);
  REQUIRE(n <= kLessons.size());
  return kLessons[n - 1];
}
std::string lesson(size_t n) {
  return read_file(fs::path(WMQ_SCENARIOS_DIR) / file_of(n));
}

// `text` with its one occurrence of `from` replaced by `to`. No occurrence,
// or several, fails the test: the lesson changed and its teeth must follow.
std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "the lesson has no \"" << from << "\" to edit");
  REQUIRE_MESSAGE(text.find(from, at + 1) == std::string::npos,
                  "the lesson has \"" << from << "\" more than once");
  text.replace(at, from.size(), to);
  return text;
}

// `text` without the [[event]] tables holding a line that is exactly `line`
// (a comment after it allowed). Removing none fails the test.
std::string drop_events(const std::string& text, const std::string& line) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    lines.push_back(l);
  auto matches = [&line](const std::string& l) {
    if (l.rfind(line, 0) != 0) return false;
    const std::string rest = l.substr(line.size());
    const size_t first = rest.find_first_not_of(' ');
    return first == std::string::npos || rest[first] == '#';
  };
  std::string out;
  size_t dropped = 0;
  for (size_t i = 0; i < lines.size();) {
    size_t end = i + 1;
    if (lines[i] == "[[event]]") {
      while (end < lines.size() && (lines[end].empty() || lines[end][0] != '['))
        ++end;
    }
    const bool drop = lines[i] == "[[event]]" &&
                      std::any_of(lines.begin() + static_cast<ptrdiff_t>(i),
                                  lines.begin() + static_cast<ptrdiff_t>(end), matches);
    if (drop) {
      ++dropped;
    } else {
      for (size_t k = i; k < end; ++k)
        out += lines[k] + "\n";
    }
    i = end;
  }
  REQUIRE_MESSAGE(dropped > 0, "the lesson has no [[event]] with the line \"" << line << "\"");
  return out;
}

struct Outcome {
  int exit_code = -1;
  nlohmann::json report;  // the JSON report, when there is one
  std::string stderr_text;
};

// A temporary directory, removed with everything in it at the end of scope.
class TempDir {
 public:
  TempDir() {
    std::string base = (fs::temp_directory_path() / "wmq-lessons-XXXXXX").string();
    REQUIRE(::mkdtemp(base.data()) != nullptr);
    path_ = base;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);  // best effort: a leftover temp dir harms no later run
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string quoted(const fs::path& p) {
  return "'" + p.string() + "'";
}

// Runs `warungmq run` headless on `text`, saved as `name` in a temporary
// directory, with the in-memory store (same rules, no fsyncs: fast).
Outcome run(const std::string& name, const std::string& text) {
  TempDir dir;
  const fs::path toml = dir.path() / name;
  const fs::path json = dir.path() / "report.json";
  const fs::path err = dir.path() / "stderr.txt";
  {
    std::ofstream out(toml, std::ios::binary);
    out << text;
    REQUIRE(out.good());
  }
  const std::string command = quoted(WMQ_WARUNGMQ) + " run " + quoted(toml) +
                              " --store memory --report json --out " + quoted(json) + " 2> " +
                              quoted(err);
  const int status = std::system(command.c_str());
  Outcome o;
  REQUIRE_MESSAGE(WIFEXITED(status), "warungmq did not exit normally: " << command);
  o.exit_code = WEXITSTATUS(status);
  o.stderr_text = read_file(err);
  if (fs::exists(json)) o.report = nlohmann::json::parse(read_file(json));
  return o;
}

// The run failed its expectations (exit 1) and every one of `names` is among
// the failed ones.
void expect_failures(const Outcome& o, const std::vector<std::string>& names) {
  INFO("stderr: " << o.stderr_text);
  REQUIRE(o.exit_code == 1);
  REQUIRE(o.report.contains("expectations"));
  for (const std::string& name : names) {
    INFO("expectation " << name);
    bool seen = false;
    for (const nlohmann::json& e : o.report["expectations"]) {
      if (e["name"] != name) continue;
      seen = true;
      INFO(e["detail"].get<std::string>());
      CHECK_FALSE(e["ok"].get<bool>());
    }
    CHECK(seen);
  }
}

// Every lesson still passes as shipped in this harness (so an edit, not the
// harness, is what makes the teeth runs fail).
void expect_pass(size_t n) {
  const Outcome o = run(file_of(n), lesson(n));
  INFO("stderr: " << o.stderr_text);
  CHECK(o.exit_code == 0);
}

}  // namespace

TEST_CASE("01 without a board: with the crash removed no order is lost") {
  expect_pass(1);
  expect_failures(run(file_of(1), drop_events(lesson(1), "do = \"crash_cook\"")), {"min_lost"});
}

TEST_CASE("01 without a board: with the board the cashiers take every order and lose none") {
  expect_failures(
      run(file_of(1), replace_once(lesson(1), "mode = \"direct\"", "mode = \"broker\"")),
      {"max_placed", "min_lost"});
}

TEST_CASE("02 the order board: without the board the cashiers wait and nothing piles up") {
  expect_pass(2);
  expect_failures(
      run(file_of(2), replace_once(lesson(2), "mode = \"broker\"", "mode = \"direct\"")),
      {"max_unplaced", "min_board_peak", "events_on_time"});
}

TEST_CASE("02 the order board: without the lunch rush the board never fills") {
  expect_failures(run(file_of(2), drop_events(lesson(2), "rate = 6")), {"min_board_peak"});
}

TEST_CASE("03 a cook faints: with the crash removed nothing is redelivered") {
  expect_pass(3);
  expect_failures(run(file_of(3), drop_events(lesson(3), "do = \"crash_cook\"")),
                  {"min_redelivered"});
}

TEST_CASE("04 validation: without the bad orders nothing is rejected") {
  expect_pass(4);
  expect_failures(run(file_of(4), drop_events(lesson(4), "do = \"bad_order\"")), {"min_rejected"});
}

TEST_CASE("05 routing: without the order for a missing station nothing comes back") {
  expect_pass(5);
  expect_failures(run(file_of(5), drop_events(lesson(5), "problem = \"station\"")),
                  {"min_rejected"});
}

TEST_CASE("05 routing: when customers only order drinks, the other boards stay empty") {
  const std::string drinks_only =
      replace_once(lesson(5), "mode = \"broker\"\n",
                   "mode = \"broker\"\ndishes = [\"es teh\", \"es jeruk\", \"kopi tubruk\"]\n");
  expect_failures(run(file_of(5), drinks_only), {"queue.grill.min_peak", "queue.wok.min_peak"});
}

TEST_CASE("06 translation: without the unreadable note every note is translated") {
  expect_pass(6);
  expect_failures(run(file_of(6), drop_events(lesson(6), "problem = \"note\"")), {"min_rejected"});
}

TEST_CASE("06 translation: at the 1:30 pause both cashiers' orders are in the cooks' hands") {
  // The story at 1:30 says so; it once said they were on the boards.
  Result<Scenario> s = load_scenario((fs::path(WMQ_SCENARIOS_DIR) / file_of(6)).string());
  REQUIRE_MESSAGE(s.is_ok(), s.status().message());
  SimOptions o;
  o.seed = s->seed;
  o.storage = Storage::kMemory;
  Result<std::unique_ptr<Simulation>> sim = Simulation::create(*s, o);
  REQUIRE_MESSAGE(sim.is_ok(), sim.status().message());
  (*sim)->run_until(90 * kSeconds, false);
  std::vector<bool> cooking(2, false);
  for (const Order& order : (*sim)->orders()) {
    CAPTURE(order.number);
    CHECK(order.status == OrderStatus::kCooking);
    if (order.cashier < cooking.size()) cooking[order.cashier] = true;
  }
  CHECK(cooking == std::vector<bool>{true, true});
  for (const QueueStats& q : (*sim)->queues()) {
    CAPTURE(q.name);
    CHECK(q.depth == 0);
  }
}

TEST_CASE("07 persistence: with transient queues the crash loses confirmed orders") {
  expect_pass(7);
  expect_failures(run(file_of(7), replace_once(lesson(7), "durable = true ", "durable = false ")),
                  {"no_confirmed_lost", "min_redelivered"});
}

TEST_CASE("07 persistence: without the crash there is nothing to recover") {
  expect_failures(run(file_of(7), drop_events(lesson(7), "do = \"crash_broker\"")),
                  {"min_crashes", "min_recoveries"});
}

TEST_CASE("08 publisher confirms: a cashier who never gives up waiting makes no duplicate") {
  expect_pass(8);
  expect_failures(run(file_of(8), replace_once(lesson(8), "confirm_timeout = \"5s\"",
                                               "confirm_timeout = \"1h\"")),
                  {"min_duplicates"});
}

TEST_CASE("08 publisher confirms: with a fast disk and no crash every receipt is in time") {
  std::string calm = drop_events(lesson(8), "do = \"slow_disk\"");
  calm = drop_events(calm, "do = \"crash_broker\"");
  expect_failures(run(file_of(8), calm), {"min_crashes", "min_retries", "min_duplicates"});
}

TEST_CASE("09 client state: without heartbeat timeouts the frozen cook keeps its order") {
  expect_pass(9);
  std::string off = replace_once(lesson(9), "suspect_after = \"15s\"", "suspect_after = \"0s\"");
  off = replace_once(off, "dead_after = \"30s\"", "dead_after = \"0s\"");
  expect_failures(run(file_of(9), off), {"min_redelivered", "min_late_acks", "min_duplicates"});
}

TEST_CASE("09 client state: a cook who never wakes up sends no late ack") {
  expect_failures(run(file_of(9), drop_events(lesson(9), "do = \"revive_cook\"")),
                  {"min_late_acks", "min_duplicates"});
}

TEST_CASE("10 poison order: without a delivery limit nothing is dead-lettered") {
  expect_pass(10);
  expect_failures(
      run(file_of(10), replace_once(lesson(10), "delivery_limit = 3 ", "delivery_limit = 0 ")),
      {"min_dead_lettered"});
}

TEST_CASE("10 poison order: without a TTL no order expires") {
  // The TTL is on the grill board and on the drinks board.
  const std::string no_ttl =
      replace_once(replace_once(lesson(10), "ttl = \"3m\"   # waited", "ttl = \"0s\"   # waited"),
                   "ttl = \"3m\"   # and", "ttl = \"0s\"   # and");
  expect_failures(run(file_of(10), no_ttl), {"min_expired", "queue.dead-letters.min_peak"});
}

TEST_CASE("11 backpressure and prefetch: with prefetch 10 the slow cook hoards orders") {
  expect_pass(11);
  expect_failures(run(file_of(11), replace_once(lesson(11), "prefetch = 1 ", "prefetch = 10 ")),
                  {"max_waiting"});
}

TEST_CASE("11 backpressure and prefetch: without a max length the board never refuses") {
  expect_failures(run(file_of(11), replace_once(lesson(11), "max_length = 4 ", "max_length = 0 ")),
                  {"min_rejected", "queue.drinks.max_peak"});
}

TEST_CASE("12 publish/subscribe: without the announcements no station hears anything") {
  expect_pass(12);
  expect_failures(run(file_of(12), drop_events(lesson(12), "do = \"announce\"")),
                  {"min_announcements"});
}

TEST_CASE("13 scaling out: without the added cooks the backlog stays and waits are long") {
  expect_pass(13);
  expect_failures(run(file_of(13), drop_events(lesson(13), "do = \"add_cook\"")),
                  {"events_on_time"});
}

TEST_CASE("lessons: numbered 01 to 13 in teaching order, each with a teeth test") {
  std::vector<std::string> found;
  for (const fs::directory_entry& e : fs::directory_iterator(WMQ_SCENARIOS_DIR)) {
    const std::string name = e.path().filename().string();
    const bool numbered = name.size() > 3 && std::isdigit(static_cast<unsigned char>(name[0])) &&
                          std::isdigit(static_cast<unsigned char>(name[1])) && name[2] == '-';
    if (numbered && name.rfind("00-", 0) != 0 && e.path().extension() == ".toml")
      found.push_back(name);
  }
  std::sort(found.begin(), found.end());
  CHECK(found == kLessons);
  for (size_t i = 0; i < kLessons.size(); ++i) {
    const std::string nn = (i + 1 < 10 ? "0" : "") + std::to_string(i + 1);
    CHECK(kLessons[i].rfind(nn + "-", 0) == 0);
  }
}

TEST_CASE("lessons: every text is in English and in Bahasa Indonesia") {
  for (size_t n = 1; n <= kLessons.size(); ++n) {
    const std::string file = (fs::path(WMQ_SCENARIOS_DIR) / file_of(n)).string();
    INFO(file);
    Result<Scenario> s = load_scenario(file);
    REQUIRE_MESSAGE(s.is_ok(), s.status().message());
    const std::vector<std::pair<std::string, Text>> texts = {{"title", s->title},
                                                             {"about", s->about},
                                                             {"watch", s->watch},
                                                             {"question", s->question},
                                                             {"answer", s->answer}};
    for (const auto& t : texts) {
      INFO("[scenario] " << t.first);
      CHECK_FALSE(t.second.en.empty());
      CHECK_FALSE(t.second.id.empty());
      CHECK(t.second.en != t.second.id);  // not left untranslated
    }
    // The title starts with the lesson's number, in both languages.
    const std::string number = std::to_string(n) + ". ";
    CHECK(s->title.en.rfind(number, 0) == 0);
    CHECK(s->title.id.rfind(number, 0) == 0);
    for (const TimelineEvent& e : s->timeline) {
      INFO("[[event]] at line " << e.line);
      CHECK(e.say.en.empty() == e.say.id.empty());
      if (!e.say.en.empty()) CHECK(e.say.en != e.say.id);
    }
  }
}

TEST_CASE(
    "lessons: each is short, pauses for the teacher, opens with narration and checks itself") {
  for (size_t n = 1; n <= kLessons.size(); ++n) {
    const std::string file = (fs::path(WMQ_SCENARIOS_DIR) / file_of(n)).string();
    INFO(file);
    Result<Scenario> s = load_scenario(file);
    REQUIRE_MESSAGE(s.is_ok(), s.status().message());
    CHECK(s->duration <= kLongestLesson);
    const auto pauses = std::count_if(s->timeline.begin(), s->timeline.end(),
                                      [](const TimelineEvent& e) { return e.pause; });
    CHECK(pauses >= 2);
    REQUIRE_FALSE(s->timeline.empty());
    CHECK(s->timeline.front().at == 0);
    CHECK_FALSE(s->timeline.front().say.empty());
    CHECK(s->expect.size() >= 2);
  }
}

namespace {

constexpr uint64_t kSeeds = 100;

// Every lesson holds on every seed of 1..kSeeds, and with its point
// switched off fails on every one: exact, no tolerance (issue 17).
// Lesson `n`'s expectations run in-process on seeds 1..kSeeds (memory store):
// the seeds on which `text` does not hold them all, each with what failed.
std::vector<std::string> failing_seeds(const std::string& text, size_t n) {
  Result<Scenario> s = parse_scenario(text, (fs::path(WMQ_SCENARIOS_DIR) / file_of(n)).string());
  REQUIRE_MESSAGE(s.is_ok(), s.status().message());
  std::vector<std::string> out;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SimOptions o;
    o.seed = seed;
    o.storage = Storage::kMemory;
    o.history = false;
    Result<std::unique_ptr<Simulation>> sim = Simulation::create(*s, o);
    REQUIRE_MESSAGE(sim.is_ok(), sim.status().message());
    (*sim)->run_until(s->duration, false);
    const Report r = (*sim)->report();
    if (r.all_ok()) continue;
    std::string why = "seed " + std::to_string(seed) + ":";
    for (const ExpectationResult& e : r.expectations) {
      if (!e.ok) why += " " + e.detail + ";";
    }
    out.push_back(why);
  }
  return out;
}

}  // namespace

// One test case per lesson (ctest runs them in parallel, one lesson each):
// every day of the warung shows the lesson's point.
TEST_CASE("seeds: every lesson's expectations hold on seeds 1 to 100") {
  const char* only = std::getenv("WMQ_LESSON");
  for (size_t n = 1; n <= kLessons.size(); ++n) {
    if (only != nullptr && std::to_string(n) != only) continue;
    CAPTURE(file_of(n));
    const std::vector<std::string> failed = failing_seeds(lesson(n), n);
    std::string list;
    for (const std::string& f : failed)
      list += "\n  " + f;
    CHECK_MESSAGE(failed.empty(), failed.size()
                                      << " of " << kSeeds << " seeds miss the point:" << list);
  }
}

// The first teeth edit of each lesson (its point switched off) must fail on every seed.
TEST_CASE("seeds: every lesson with its point switched off fails on seeds 1 to 100") {
  const char* only = std::getenv("WMQ_LESSON");
  const std::vector<std::pair<size_t, std::string>> off = {
      {1, drop_events(lesson(1), "do = \"crash_cook\"")},
      {2, replace_once(lesson(2), "mode = \"broker\"", "mode = \"direct\"")},
      {3, drop_events(lesson(3), "do = \"crash_cook\"")},
      {4, drop_events(lesson(4), "do = \"bad_order\"")},
      {5, drop_events(lesson(5), "problem = \"station\"")},
      {6, drop_events(lesson(6), "problem = \"note\"")},
      {7, replace_once(lesson(7), "durable = true ", "durable = false ")},
      // Without the slow disk every receipt comes in time. (A cashier who never
      // gives up waiting, the other teeth edit, still makes a duplicate on some
      // days: an ack not yet on the slow disk when the broker crashes.)
      {8, drop_events(lesson(8), "do = \"slow_disk\"")},
      {9, replace_once(replace_once(lesson(9), "suspect_after = \"15s\"", "suspect_after = \"0s\""),
                       "dead_after = \"30s\"", "dead_after = \"0s\"")},
      {10, replace_once(lesson(10), "delivery_limit = 3 ", "delivery_limit = 0 ")},
      {11, replace_once(lesson(11), "prefetch = 1 ", "prefetch = 10 ")},
      {12, drop_events(lesson(12), "do = \"announce\"")},
      {13, drop_events(lesson(13), "do = \"add_cook\"")},
  };
  for (const auto& entry : off) {
    // Plain copies: clang 14's CAPTURE cannot refer to a structured binding.
    const auto n = entry.first;
    const auto& text = entry.second;
    if (only != nullptr && std::to_string(n) != only) continue;
    CAPTURE(file_of(n));
    const std::vector<std::string> failed = failing_seeds(text, n);
    const uint64_t held = kSeeds - failed.size();
    CHECK_MESSAGE(held == 0, held << " of " << kSeeds << " seeds still hold with the point off");
  }
}
