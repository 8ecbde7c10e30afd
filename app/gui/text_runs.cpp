#include "gui/text_runs.h"

#include <algorithm>

namespace wmq::gui {

float TextRuns::min_px() const {
  float m = 0;
  for (const TextRun& r : runs_) {
    if (m == 0 || r.px < m) m = r.px;
  }
  return m;
}

namespace {

bool hit(const TextRun& ra, const TextRun& rb, float slack) {
  if (ra.overlay || rb.overlay) return false;
  const WorldRect &a = ra.box, &b = rb.box;
  return std::min(a.x1, b.x1) - std::max(a.x0, b.x0) > slack &&
         std::min(a.y1, b.y1) - std::max(a.y0, b.y0) > slack;
}

}  // namespace

std::vector<std::string> TextRuns::overlapping(size_t limit, float slack) const {
  std::vector<std::string> out;
  for (size_t i = 0; i < runs_.size() && out.size() < limit; ++i) {
    for (size_t j = i + 1; j < runs_.size() && out.size() < limit; ++j) {
      if (hit(runs_[i], runs_[j], slack)) out.push_back(runs_[i].text + " | " + runs_[j].text);
    }
  }
  return out;
}

size_t TextRuns::overlaps(float slack) const {
  size_t n = 0;
  for (size_t i = 0; i < runs_.size(); ++i) {
    for (size_t j = 0; j < runs_.size(); ++j) {
      if (i != j && hit(runs_[i], runs_[j], slack)) {
        ++n;
        break;
      }
    }
  }
  return n;
}

}  // namespace wmq::gui
