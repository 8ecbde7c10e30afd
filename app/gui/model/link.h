// MomentLink: a moment of a lesson as a short text that fits in an address's
// fragment, so a teacher can put one link per moment in a slide deck and a
// student opens the same moment at home (File > Copy a link to this moment;
// `warungmq gui --link FRAGMENT`; the web page passes its #fragment).
//
// A run is its scenario, seed and clicks (workbench.h), so a link holds the
// lesson (a shipped scenario's file stem), the seed, the virtual time, the
// clicks made so far (each with the virtual time it was made at), and how
// the class was looking at it: paused or playing, the speed, the language,
// the words and projector mode. Opening one replays the lesson with the
// seed and the clicks up to the time.
//
// The text, version 1 (defaults left out, the parameters in this order):
//
//   v1/03-a-cook-faints?seed=7&t=1m45s&paused&speed=2&lang=id&words=broker&projector
//     &clicks=1m30s:crash_cook:grill-1,2m:set_rate;rate=24,2m:set_rate;rate=6;in=5m
//
// A click is TIME:KIND[:TARGET] and then ;key=value for each field that is not
// the injection's default: in (applies that long after it was made), back
// (restart_after), rate, speed, window, problem, dish, msg, durable (0 or 1),
// max, ttl, limit. Times are durations as scenario files write them
// (sim/duration.h); text fields are percent-encoded outside A-Z a-z 0-9 - . _ ~,
// so every character of a link is one a browser leaves alone in a fragment.
// decode() also takes the text with its leading '#', or a whole address
// (everything up to the first '#' is dropped).
//
// A link that cannot be opened says why in one sentence: see LinkProblem.
//
// Thread-safety: pure functions and values, except land() (it drives the workbench it is given).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/status.h"
#include "gui/model/workbench.h"
#include "sim/injection.h"

namespace wmq::gui {

// The version encode() writes and the newest decode() reads.
inline constexpr int kLinkVersion = 1;
// The lesson of a link that names none ("v1/?t=2m"): the sandbox.
inline constexpr std::string_view kSandboxLesson = "00-sandbox";

// One click as the teacher made it.
struct LinkClick {
  Micros made_at = 0;        // the virtual time of the click
  sim::Injection injection;  // `at` set, at or after made_at
  bool operator==(const LinkClick&) const = default;
};

struct MomentLink {
  std::string lesson;            // a shipped scenario's file stem, "03-a-cook-faints"
  std::optional<uint64_t> seed;  // nullopt: the lesson's own seed
  Micros at = 0;                 // the virtual time it opens at
  bool paused = false;
  std::optional<double> speed;            // nullopt: the GUI's default speed
  std::string language = "en";            // "en" or "id"
  std::string vocabulary = "restaurant";  // "restaurant" or "broker"
  bool projector = false;
  std::vector<LinkClick> clicks;  // in the order made; made_at never decreases
  bool operator==(const MomentLink&) const = default;
};

// Why a link cannot be opened, for a person: `key` names the sentence in the UI strings
// ("link.problem.<key>" in assets/i18n) and `args` fill its {placeholders}.
//   not_a_link    {text}                    no "v<number>/" at the start
//   future        {version} {newest}        made by a newer WarungMQ
//   unknown_lesson {lesson}                 no shipped scenario has that stem (decode: a name
//                                           with characters no stem has)
//   bad_part      {part}                    a parameter v1 does not have, or one given twice
//   bad_seed      {text}                    not a whole number
//   bad_time      {text}                    not a duration
//   bad_speed     {text}                    not a speed on the player's ladder (0.25 .. 64)
//   bad_language  {text}                    not en or id
//   bad_words     {text}                    not restaurant or broker
//   bad_click     {number} {text}           a click that does not parse (number counts from 1)
//   click_order   {number} {text}           a click made before the one ahead of it
//   click_refused {number} {what} {lesson}  a click the lesson cannot take (a cook it lacks)
struct LinkProblem {
  std::string key;
  std::vector<std::pair<std::string, std::string>> args;
};

// Turns a problem into the sentence the reader sees (the GUI looks it up in the reader's
// language). Without one, messages are "link.problem.<key>" followed by the arguments, for logs.
using LinkSentence = std::function<std::string(const LinkProblem&)>;

// The fragment for `link`, without '#': the shortest text decode() reads back to an equal link.
std::string encode(const MomentLink& link);

// `base_url` + "#" + the fragment (any fragment `base_url` already has is replaced); the fragment
// alone when `base_url` is empty. The desktop copies the fragment; a web page passes its address.
std::string link_text(const MomentLink& link, std::string_view base_url = {});

// Reads a fragment. Errors (kInvalid, the message from `say`): every problem above except
// unknown_lesson and click_refused, which need the scenarios (lesson_path, land). Never throws.
Result<MomentLink> decode(std::string_view text, const LinkSentence& say = {});

// The file of the shipped lesson `lesson` in `scenarios_dir`. Error kNotFound (unknown_lesson)
// when there is none.
Result<std::filesystem::path> lesson_path(const std::filesystem::path& scenarios_dir,
                                          const std::string& lesson, const LinkSentence& say = {});

// The stem of `scenario_file` when it is one of the lessons in `scenarios_dir` (the same file),
// else nullopt: a scenario opened from elsewhere has no link, a reader would not have it.
std::optional<std::string> shipped_lesson(const std::filesystem::path& scenario_file,
                                          const std::filesystem::path& scenarios_dir);

// The moment `bench` is at: its seed, time, player and clicks, as `lesson`. The language, words
// and projector are the caller's to fill.
MomentLink moment_of(const Workbench& bench, std::string lesson);

// Brings `bench`, freshly loaded with the link's lesson and seed, to the link's moment: each
// click is made at its time, as the teacher made it, then the clock goes to the link's time
// (past the lesson's end too, as playing on goes there). Errors:
// kInvalid (click_refused) when the lesson cannot take a click; the bench is then half-way and
// should be thrown away. The player's speed and play/pause are the caller's (paused on return).
Status land(Workbench& bench, const MomentLink& link, const LinkSentence& say = {});

}  // namespace wmq::gui
