// Links to a moment without a display: the fragment's text, its round trip over many moments,
// every kind of broken link, and landing on the moment a link names.
#include <doctest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gui/model/actions.h"
#include "gui/model/link.h"
#include "gui/model/state_json.h"
#include "gui/model/workbench.h"
#include "sim/injection.h"

using namespace wmq;
using namespace wmq::gui;

namespace {

const std::string kScenarios = WMQ_SCENARIOS_DIR;
constexpr Micros kMinute = 60 * kSeconds;

std::unique_ptr<Workbench> open(const std::string& lesson) {
  auto bench = std::make_unique<Workbench>();
  Result<std::filesystem::path> file = lesson_path(kScenarios, lesson);
  REQUIRE_MESSAGE(file.is_ok(), file.status().message());
  Status st = bench->load(file.value().string());
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  return bench;
}

// A fresh bench brought to `link`'s moment the way --link brings one.
std::unique_ptr<Workbench> landed(const MomentLink& link) {
  auto bench = std::make_unique<Workbench>();
  Status st = bench->load(lesson_path(kScenarios, link.lesson).value().string(), link.seed);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  st = land(*bench, link);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  return bench;
}

sim::Injection crash(const std::string& cook) {
  return injection_now(sim::InjectionKind::kCrashCook, cook);
}

// ---- random moments for the round trip

std::string random_text(std::mt19937_64& rng, bool can_be_empty) {
  static const std::vector<std::string> kPieces = {
      "grill-1", "wok",          " ", ":", ",", ";", "&",  "=", "%", "#", "?", "/", "+", "nasi",
      "é",       "\xE2\x80\xA6", "~", ".", "_", "-", "\t", "Z9"};
  std::string s;
  const size_t n = rng() % 4 + (can_be_empty ? 0 : 1);
  for (size_t i = 0; i < n; ++i)
    s += kPieces[rng() % kPieces.size()];
  return s;
}

Micros random_time(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0:
      return static_cast<Micros>(rng() % 3600) * kSeconds;
    case 1:
      return static_cast<Micros>(rng() % 100'000) * kMillis;
    case 2:
      return static_cast<Micros>(rng() % 10'000'000'000ull);  // any microsecond, up to ~3h
    default:
      return 0;
  }
}

sim::Injection random_injection(std::mt19937_64& rng, Micros made_at) {
  sim::Injection in;
  in.kind = static_cast<sim::InjectionKind>(rng() % 15);
  in.at = made_at + (rng() % 3 == 0 ? random_time(rng) : 0);
  if (rng() % 2) in.target = random_text(rng, false);
  if (rng() % 3 == 0) in.restart_after = random_time(rng);
  if (rng() % 3 == 0) in.rate = static_cast<double>(rng() % 10'000) / 7.0;
  if (rng() % 4 == 0) in.speed = static_cast<double>(rng() % 400) / 100.0 + 0.01;
  if (rng() % 4 == 0) in.window = random_time(rng);
  if (rng() % 4 == 0) in.problem = random_text(rng, false);
  if (rng() % 4 == 0) in.dish = random_text(rng, false);
  if (rng() % 4 == 0) in.message = random_text(rng, false);
  if (rng() % 4 == 0) in.queue.durable = rng() % 2 == 0;
  if (rng() % 4 == 0) in.queue.max_length = static_cast<uint32_t>(rng());
  if (rng() % 4 == 0) in.queue.ttl = random_time(rng);
  if (rng() % 4 == 0) in.queue.delivery_limit = static_cast<uint32_t>(rng() % 10);
  return in;
}

MomentLink random_moment(std::mt19937_64& rng, size_t clicks) {
  static const std::vector<std::string> kLessons = {"00-sandbox", "03-a-cook-faints",
                                                    "13-scaling-out", "my_lesson-2"};
  MomentLink m;
  m.lesson = kLessons[rng() % kLessons.size()];
  if (rng() % 4) m.seed = rng() % 2 ? rng() : rng() % 100;
  m.at = random_time(rng);
  m.paused = rng() % 2 == 0;
  if (rng() % 3 == 0) m.speed = Player::kSpeeds[rng() % Player::kSpeeds.size()];
  m.language = rng() % 2 ? "en" : "id";
  m.vocabulary = rng() % 2 ? "restaurant" : "broker";
  m.projector = rng() % 3 == 0;
  Micros t = 0;
  for (size_t i = 0; i < clicks; ++i) {
    t += rng() % 3 == 0 ? 0 : random_time(rng) % (5 * kMinute);
    m.clicks.push_back(LinkClick{t, random_injection(rng, t)});
  }
  return m;
}

}  // namespace

// ---------------------------------------------------------------- the text

TEST_CASE("a link reads like the moment it names and leaves the defaults out") {
  MomentLink m;
  m.lesson = "03-a-cook-faints";
  m.seed = 7;
  m.at = 105 * kSeconds;
  m.paused = true;
  m.language = "id";
  m.clicks.push_back({90 * kSeconds, crash("grill-1")});
  m.clicks.back().injection.at = 90 * kSeconds;
  sim::Injection rush = injection_now(sim::InjectionKind::kSetRate);
  rush.at = 2 * kMinute + 5 * kMinute;
  rush.rate = 6;
  m.clicks.push_back({2 * kMinute, rush});
  CHECK(encode(m) ==
        "v1/03-a-cook-faints?seed=7&t=1m45s&paused&lang=id"
        "&clicks=1m30s:crash_cook:grill-1,2m:set_rate;in=5m;rate=6");

  MomentLink plain;
  plain.lesson = "00-sandbox";
  CHECK(encode(plain) == "v1/00-sandbox?t=0s");
  plain.vocabulary = "broker";
  plain.projector = true;
  plain.speed = 0.5;
  CHECK(encode(plain) == "v1/00-sandbox?t=0s&speed=0.5&words=broker&projector");
}

TEST_CASE("a link's text uses only characters a browser leaves alone in a fragment") {
  std::mt19937_64 rng(13);
  for (int i = 0; i < 200; ++i) {
    const std::string text = encode(random_moment(rng, 5));
    for (char c : text) {
      const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') ||
                        std::string_view("-._~%:;,=&?/").find(c) != std::string_view::npos;
      REQUIRE_MESSAGE(safe, text);
    }
  }
}

TEST_CASE("every moment decodes back to itself, with many clicks too") {
  std::mt19937_64 rng(2026);
  for (int i = 0; i < 500; ++i) {
    const MomentLink m = random_moment(rng, rng() % 8);
    const std::string text = encode(m);
    Result<MomentLink> back = decode(text);
    REQUIRE_MESSAGE(back.is_ok(), text << " -> " << back.status().message());
    CHECK_MESSAGE(back.value() == m, text);
    CHECK(encode(back.value()) == text);
  }
  const MomentLink many = random_moment(rng, 2000);
  Result<MomentLink> back = decode(encode(many));
  REQUIRE(back.is_ok());
  CHECK(back.value().clicks.size() == 2000);
  CHECK(back.value() == many);
}

TEST_CASE("a link opens from its fragment with or without '#', or from a whole address") {
  MomentLink m;
  m.lesson = "07-persistence";
  m.seed = 3;
  m.at = 4 * kMinute;
  CHECK(link_text(m) == "v1/07-persistence?seed=3&t=4m");
  CHECK(link_text(m, "https://warung.example/mq/") ==
        "https://warung.example/mq/#v1/07-persistence?seed=3&t=4m");
  CHECK(link_text(m, "http://127.0.0.1:8080/#v1/00-sandbox?t=9m") ==
        "http://127.0.0.1:8080/#v1/07-persistence?seed=3&t=4m");
  for (const std::string& text :
       {link_text(m), "#" + link_text(m), link_text(m, "http://127.0.0.1:8080/index.html")}) {
    Result<MomentLink> r = decode(text);
    REQUIRE_MESSAGE(r.is_ok(), text);
    CHECK(r.value() == m);
  }
}

TEST_CASE("a written-out link needs only the lesson; the rest has defaults") {
  Result<MomentLink> r = decode("v1/03-a-cook-faints?t=1m45s&paused");
  REQUIRE(r.is_ok());
  CHECK(r.value().lesson == "03-a-cook-faints");
  CHECK_FALSE(r.value().seed.has_value());
  CHECK(r.value().at == 105 * kSeconds);
  CHECK(r.value().paused);
  CHECK(r.value().language == "en");
  CHECK(r.value().vocabulary == "restaurant");
  CHECK(r.value().clicks.empty());

  CHECK(decode("v1/").value().lesson == "00-sandbox");
  CHECK(decode("v1/?t=2m").value().at == 2 * kMinute);
  CHECK(decode("v1/05-routing").value().at == 0);
  CHECK(decode("v1/05-routing?t=1m&&paused&").value().paused);
}

TEST_CASE("a broken link names what is wrong with it") {
  struct Case {
    std::string link;
    std::string problem;
  };
  const Case cases[] = {
      {"", "link.problem.not_a_link text=\"\""},
      {"hello", "link.problem.not_a_link text=\"hello\""},
      {"v1", "link.problem.not_a_link text=\"v1\""},
      {"v0/00-sandbox", "link.problem.not_a_link text=\"v0/00-sandbox\""},
      {"vx/00-sandbox", "link.problem.not_a_link text=\"vx/00-sandbox\""},
      {"\x01\xff garbage", "link.problem.not_a_link text=\"?? garbage\""},
      {"v2/03-a-cook-faints?t=1m", "link.problem.future version=\"2\" newest=\"1\""},
      {"v12/anything at all", "link.problem.future version=\"12\" newest=\"1\""},
      {"v99999999999999999999/x",
       "link.problem.future version=\"99999999999999999999\" newest=\"1\""},
      {"v1/../etc/passwd", "link.problem.unknown_lesson lesson=\"../etc/passwd\""},
      {"v1/Lesson 3", "link.problem.unknown_lesson lesson=\"Lesson 3\""},
      {"v1/03-a-cook-faints?t=1m45x", "link.problem.bad_time text=\"1m45x\""},
      {"v1/03-a-cook-faints?t=", "link.problem.bad_time text=\"\""},
      {"v1/03-a-cook-faints?t=-5s", "link.problem.bad_time text=\"-5s\""},
      {"v1/03-a-cook-faints?seed=seven", "link.problem.bad_seed text=\"seven\""},
      {"v1/03-a-cook-faints?seed=-1", "link.problem.bad_seed text=\"-1\""},
      {"v1/03-a-cook-faints?speed=100", "link.problem.bad_speed text=\"100\""},
      {"v1/03-a-cook-faints?speed=fast", "link.problem.bad_speed text=\"fast\""},
      {"v1/03-a-cook-faints?lang=fr", "link.problem.bad_language text=\"fr\""},
      {"v1/03-a-cook-faints?words=kitchen", "link.problem.bad_words text=\"kitchen\""},
      {"v1/03-a-cook-faints?zoom=2", "link.problem.bad_part part=\"zoom=2\""},
      {"v1/03-a-cook-faints?t=1m&t=2m", "link.problem.bad_part part=\"t=2m\""},
      {"v1/03-a-cook-faints?paused=yes", "link.problem.bad_part part=\"paused=yes\""},
      {"v1/03-a-cook-faints?seed", "link.problem.bad_part part=\"seed\""},
      {"v1/03-a-cook-faints?clicks=", "link.problem.bad_click number=\"1\" text=\"\""},
      {"v1/03-a-cook-faints?clicks=1m:crash_cook:grill-1,2m:faint:grill-2",
       "link.problem.bad_click number=\"2\" text=\"2m:faint:grill-2\""},
      {"v1/03-a-cook-faints?clicks=soon:crash_cook:grill-1",
       "link.problem.bad_click number=\"1\" text=\"soon:crash_cook:grill-1\""},
      {"v1/03-a-cook-faints?clicks=1m:crash_cook:grill-1;back",
       "link.problem.bad_click number=\"1\" text=\"1m:crash_cook:grill-1;back\""},
      {"v1/03-a-cook-faints?clicks=1m:set_rate;rate=6;rate=7",
       "link.problem.bad_click number=\"1\" text=\"1m:set_rate;rate=6;rate=7\""},
      {"v1/03-a-cook-faints?clicks=1m:set_rate;rate=lots",
       "link.problem.bad_click number=\"1\" text=\"1m:set_rate;rate=lots\""},
      {"v1/03-a-cook-faints?clicks=1m:set_rate;colour=red",
       "link.problem.bad_click number=\"1\" text=\"1m:set_rate;colour=red\""},
      {"v1/03-a-cook-faints?clicks=1m:announce;msg=%zz",
       "link.problem.bad_click number=\"1\" text=\"1m:announce;msg=%zz\""},
      {"v1/03-a-cook-faints?clicks=1m:crash_cook:grill-1:extra",
       "link.problem.bad_click number=\"1\" text=\"1m:crash_cook:grill-1:extra\""},
      {"v1/03-a-cook-faints?clicks=1m:crash_cook::",
       "link.problem.bad_click number=\"1\" text=\"1m:crash_cook::\""},
      {"v1/03-a-cook-faints?clicks=1m:set_queue:grill;durable=2",
       "link.problem.bad_click number=\"1\" text=\"1m:set_queue:grill;durable=2\""},
      {"v1/03-a-cook-faints?clicks=1m:set_queue:grill;max=-3",
       "link.problem.bad_click number=\"1\" text=\"1m:set_queue:grill;max=-3\""},
      {"v1/03-a-cook-faints?clicks=1m:set_rate;in=0s",
       "link.problem.bad_click number=\"1\" text=\"1m:set_rate;in=0s\""},
      {"v1/03-a-cook-faints?clicks=3m:crash_cook:grill-1,1m:crash_cook:grill-2",
       "link.problem.click_order number=\"2\" text=\"1m:crash_cook:grill-2\""},
      {"v1/03-a-cook-faints?clicks=1m:set_rate;rate=inf",
       "link.problem.bad_click number=\"1\" text=\"1m:set_rate;rate=inf\""},
      {"v1/" + std::string(60, 'A'),
       "link.problem.unknown_lesson lesson=\"" + std::string(40, 'A') + "...\""},
  };
  for (const Case& c : cases) {
    Result<MomentLink> r = decode(c.link);
    REQUIRE_MESSAGE(!r.is_ok(), c.link);
    CHECK_MESSAGE(r.status().code() == Code::kInvalid, c.link);
    CHECK_MESSAGE(r.status().message() == c.problem, c.link);
  }
}

// ---------------------------------------------------------------- the lessons

TEST_CASE("a link names a shipped lesson by its file stem, and nothing else") {
  Result<std::filesystem::path> file = lesson_path(kScenarios, "03-a-cook-faints");
  REQUIRE(file.is_ok());
  CHECK(file.value() == std::filesystem::path(kScenarios) / "03-a-cook-faints.toml");
  CHECK(shipped_lesson(file.value(), kScenarios) == "03-a-cook-faints");
  // The same file by another road is the same lesson.
  CHECK(
      shipped_lesson(std::filesystem::path(kScenarios) / ".." / "scenarios" / "07-persistence.toml",
                     kScenarios) == "07-persistence");

  Result<std::filesystem::path> missing = lesson_path(kScenarios, "99-no-such-lesson");
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().message() == "link.problem.unknown_lesson lesson=\"99-no-such-lesson\"");
  CHECK(lesson_path(kScenarios, "../scenarios/03-a-cook-faints").status().code() ==
        Code::kNotFound);
  // A scenario from elsewhere has no link: a reader would not have the file.
  const std::string outside = std::string(WMQ_SOURCE_DIR) + "/tests/gui/data/lesson.toml";
  CHECK_FALSE(shipped_lesson(outside, kScenarios).has_value());
}

// ---------------------------------------------------------------- landing

TEST_CASE("a link to lesson 3 at 1m45s paused lands where --at 1m45s --paused does") {
  std::unique_ptr<Workbench> at = open("03-a-cook-faints");
  REQUIRE(at->seek(105 * kSeconds).is_ok());
  Result<MomentLink> link = decode("v1/03-a-cook-faints?t=1m45s&paused");
  REQUIRE(link.is_ok());
  std::unique_ptr<Workbench> linked = landed(link.value());
  CHECK(state_json(*linked) == state_json(*at));
  CHECK(linked->now() == 105 * kSeconds);
  CHECK_FALSE(linked->player().playing());
}

TEST_CASE("a link made after clicks, a lunch rush and a trip back lands on the same moment") {
  std::unique_ptr<Workbench> bench = open("03-a-cook-faints");
  REQUIRE(bench->seek(80 * kSeconds).is_ok());
  REQUIRE(bench->inject(crash("grill-2")).is_ok());
  REQUIRE(bench->seek(3 * kMinute).is_ok());
  // A lunch rush is two injections made at one click: now, and five minutes later.
  sim::Injection up = injection_now(sim::InjectionKind::kSetRate);
  up.rate = 8;
  sim::Injection down = up;
  down.rate = 6;
  down.at = 3 * kMinute + 5 * kMinute;
  REQUIRE(bench->inject(up).is_ok());
  REQUIRE(bench->inject(down).is_ok());
  REQUIRE(bench->seek(6 * kMinute).is_ok());
  REQUIRE(bench->seek(4 * kMinute).is_ok());  // back: the clicks stay scheduled
  bench->set_speed(2);
  bench->play();

  MomentLink m = moment_of(*bench, "03-a-cook-faints");
  CHECK(m.clicks.size() == 3);
  CHECK(m.speed == 2.0);
  CHECK_FALSE(m.paused);
  Result<MomentLink> back = decode(encode(m));
  REQUIRE(back.is_ok());
  std::unique_ptr<Workbench> linked = landed(back.value());
  nlohmann::json want = state_json(*bench), got = state_json(*linked);
  // A link holds the moment, not how far the class had looked ahead before going back.
  CHECK(want["horizon_us"] == 6 * kMinute);
  CHECK(got["horizon_us"] == 4 * kMinute);
  for (const char* k : {"horizon_us", "end_us", "playing", "speed"}) {
    want.erase(k);
    got.erase(k);
  }
  CHECK(got == want);
  // And the future plays the same.
  REQUIRE(bench->seek(9 * kMinute).is_ok());
  REQUIRE(linked->seek(9 * kMinute).is_ok());
  CHECK(run_json(linked->a()) == run_json(bench->a()));
}

TEST_CASE("a link to a moment after the lesson's end lands there, not at the end") {
  std::unique_ptr<Workbench> bench = open("03-a-cook-faints");
  bench->set_speed(64);
  bench->play();
  for (int i = 0; i < 2000 && bench->now() < 12 * kMinute; ++i) {
    bench->tick(0.1);
    if (!bench->player().playing()) bench->play();  // on past the pause points and the end
  }
  REQUIRE(bench->now() > 10 * kMinute);
  bench->pause();
  std::unique_ptr<Workbench> linked = landed(moment_of(*bench, "03-a-cook-faints"));
  CHECK(linked->now() == bench->now());
  CHECK(linked->reached_end());
  CHECK(run_json(linked->a()) == run_json(bench->a()));
}

TEST_CASE("a click the lesson cannot take is refused, naming the click") {
  Result<MomentLink> link = decode(
      "v1/03-a-cook-faints?t=3m&clicks=1m:crash_cook:grill-1,"
      "2m:crash_cook:grill-9");
  REQUIRE(link.is_ok());
  auto bench = std::make_unique<Workbench>();
  REQUIRE(bench->load(lesson_path(kScenarios, "03-a-cook-faints").value().string()).is_ok());
  Status st = land(*bench, link.value());
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() ==
        "link.problem.click_refused number=\"2\" what=\"crash_cook grill-9\" "
        "lesson=\"03-a-cook-faints\"");
}

TEST_CASE("a problem reads as the sentence the caller makes of it") {
  LinkSentence say = [](const LinkProblem& p) {
    std::string s = "[" + p.key + "]";
    for (const auto& [k, v] : p.args)
      s += " " + k + ":" + v;
    return s;
  };
  CHECK(decode("v3/x", say).status().message() == "[future] version:3 newest:1");
  CHECK(lesson_path(kScenarios, "nope", say).status().message() == "[unknown_lesson] lesson:nope");
}
