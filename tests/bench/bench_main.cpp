// wmq_bench [--only SECTION[,SECTION]] [--reps N]: runs every registered
// section and prints one JSON object of figures as its last line.
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include "bench.h"

namespace wmq::bench {

std::map<std::string, Section>& sections() {
  static std::map<std::string, Section> all;
  return all;
}

bool add_section(std::string name, Section section) {
  sections().emplace(std::move(name), std::move(section));
  return true;
}

}  // namespace wmq::bench

int main(int argc, char** argv) {
  std::set<std::string> only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      std::stringstream ss(argv[++i]);
      std::string item;
      while (std::getline(ss, item, ','))
        only.insert(item);
    } else if (std::strcmp(argv[i], "--help") == 0) {
      std::printf("wmq_bench [--only SECTION[,SECTION...]]\nsections:");
      for (const auto& [name, s] : wmq::bench::sections())
        std::printf(" %s", name.c_str());
      std::printf("\n");
      return 0;
    }
  }
  nlohmann::json figures = nlohmann::json::object();
  for (const auto& [name, section] : wmq::bench::sections()) {
    if (!only.empty() && !only.count(name)) continue;
    std::fprintf(stderr, "== %s\n", name.c_str());
    section(figures);
    std::fflush(stdout);
  }
  std::printf("%s\n", figures.dump().c_str());
  return 0;
}
