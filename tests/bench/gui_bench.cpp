// GUI figures:
//   gui_frame_ms_p50 / p99  frame time of `warungmq gui` under Xvfb with Mesa's software
//                           renderer at 1280x720, ~2,000 orders on the board, the event log
//                           open, playing at 1x (the pileup bench scenario at 2m30s)
//   gui_frame_cpu_ms        CPU time a frame costs (all threads), which the machine's other
//                           load does not inflate
//   gui_frame_triangles     triangles in the last frame: llvmpipe pays setup and binning for
//                           each, so this moves the frame time as much as the pixels do
//   gui_scrub_ms_p50 / max  time to go from the end of a 30-minute lesson back to a random
//                           moment, as the timeline slider does (a replay from the start)
// The frame figures need xvfb-run; without it they are left out and a line says why.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench.h"

#include "gui/model/workbench.h"

namespace {

namespace fs = std::filesystem;

// The build tree this benchmark runs from: <build>/tests/bench/wmq_bench.
fs::path build_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path().parent_path().parent_path();
}

// The source tree, as CMake recorded it in the build tree's cache.
fs::path source_dir(const fs::path& build) {
  std::ifstream cache(build / "CMakeCache.txt");
  std::string line;
  const std::string key = "CMAKE_HOME_DIRECTORY:INTERNAL=";
  while (std::getline(cache, line)) {
    if (line.rfind(key, 0) == 0) return line.substr(key.size());
  }
  return {};
}

// Runs a command and returns its last line of output ("" when it failed).
std::string last_line(const std::string& command) {
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return {};
  std::string last, line;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) {
    line = buf;
    if (!line.empty() && line != "\n") last = line;
  }
  return pclose(p) == 0 ? last : std::string();
}

double children_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void frame_figures(const fs::path& build, const fs::path& src, nlohmann::json& out) {
  if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) {
    std::printf("gui: xvfb-run is not installed; no frame-time figures\n");
    return;
  }
  const fs::path exe = build / "app" / "warungmq";
  const fs::path scenario = src / "tests" / "gui" / "data" / "pileup.toml";
  const fs::path config = fs::temp_directory_path() / "wmq-gui-bench-config";
  fs::remove_all(config);
  // The frames after the first few (shaders, font atlas) are measured by warungmq itself; the
  // CPU time is the whole process's, start-up included, so a short run is subtracted.
  auto run = [&](int frames) {
    return "XDG_CONFIG_HOME=" + config.string() + " xvfb-run -a -s '-screen 0 1280x720x24' " +
           exe.string() + " gui " + scenario.string() + " --at 2m30s --speed 1 --bench-frames " +
           std::to_string(frames) + " 2>/dev/null";
  };
  constexpr int kFrames = 600;
  const double cpu0 = children_cpu_seconds();
  (void)last_line(run(1));
  const double cpu1 = children_cpu_seconds();
  const std::string line = last_line(run(kFrames));
  const double cpu2 = children_cpu_seconds();
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.contains("gui_frame_ms_p50")) {
    std::printf("gui: warungmq gui --bench-frames gave no figures (\"%s\")\n", line.c_str());
    return;
  }
  const double cpu_ms = ((cpu2 - cpu1) - (cpu1 - cpu0)) * 1000.0 / (kFrames - 1);
  out["gui_frame_ms_p50"] = j["gui_frame_ms_p50"];
  out["gui_frame_ms_p99"] = j["gui_frame_ms_p99"];
  out["gui_frame_cpu_ms"] = cpu_ms;
  if (j.contains("triangles")) out["gui_frame_triangles"] = j["triangles"];
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 1) load[0] = -1;
  std::printf(
      "gui: frame p50 %.2f ms, p99 %.2f ms, %.2f ms CPU a frame, %.0f orders waiting (1280x720, "
      "Xvfb + llvmpipe, load average %.2f on %ld cores)\n",
      j["gui_frame_ms_p50"].get<double>(), j["gui_frame_ms_p99"].get<double>(), cpu_ms,
      j.value("orders_waiting", 0.0), load[0], sysconf(_SC_NPROCESSORS_ONLN));
  fs::remove_all(config);
}

void scrub_figures(const fs::path& src, nlohmann::json& out) {
  using Clock = std::chrono::steady_clock;
  const fs::path lesson = src / "tests" / "gui" / "data" / "lesson.toml";
  wmq::gui::Workbench bench;
  if (wmq::Status st = bench.load(lesson.string()); !st.is_ok()) {
    std::printf("gui: %s\n", st.message().c_str());
    return;
  }
  const wmq::Micros end = bench.scenario().duration;
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<wmq::Micros> pick(0, end);
  std::vector<double> ms;
  for (int i = 0; i < 41; ++i) {
    // From the end of the lesson back to a random moment: the slow way, a replay from the start
    // with the event log, the charts and the history kept, as the GUI does it.
    (void)bench.seek(end);
    const wmq::Micros t = pick(rng);
    const auto t0 = Clock::now();
    (void)bench.seek(t);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  const double p50 = wmq::bench::median(ms);
  const double max = *std::max_element(ms.begin(), ms.end());
  out["gui_scrub_ms_p50"] = p50;
  out["gui_scrub_ms_max"] = max;
  std::printf(
      "gui: scrub back to a random moment of a %lld-minute lesson: p50 %.1f ms, max %.1f ms\n",
      static_cast<long long>(end / (60 * wmq::kSeconds)), p50, max);
}

const bool registered = wmq::bench::add_section("gui", [](nlohmann::json& out) {
  const fs::path build = build_dir();
  const fs::path src = source_dir(build);
  if (src.empty()) {
    std::printf("gui: cannot find the source tree from %s\n", build.c_str());
    return;
  }
  scrub_figures(src, out);
  frame_figures(build, src, out);
});

}  // namespace
