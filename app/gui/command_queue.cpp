#include "gui/command_queue.h"

#include <cassert>
#include <utility>

namespace wmq::gui {

void CommandQueue::push(std::string label, std::function<void()> apply) {
  assert(apply && "CommandQueue::push needs a callable; an empty std::function cannot be applied");
  pending_.push_back(Command{std::move(label), std::move(apply)});
}

size_t CommandQueue::apply_all() {
  // Take the batch first: a command may push another, which belongs to the next frame.
  std::vector<Command> batch;
  batch.swap(pending_);
  for (Command& c : batch) {
    c.apply();
    applied_.push_back(std::move(c.label));
  }
  return batch.size();
}

}  // namespace wmq::gui
