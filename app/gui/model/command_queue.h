// CommandQueue: what a click asks for, applied after the frame is drawn.
//
// A view never changes anything while it draws: a button pushes a Command and
// the shell applies the queue once the frame has been rendered, so every widget
// in one frame sees the same state (a language switch halfway through a frame
// would otherwise mix two languages). The simulator's commands (pause, step,
// crash a cook: Actions in actions.h) go through the same queue.
//
// Thread-safety: none; the GUI thread owns it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace wmq::gui {

// One queued action. `label` is stable, short and readable ("set-language id"): it goes into
// the --state-out report and into test failures.
struct Command {
  std::string label;
  std::function<void()> apply;
};

class CommandQueue {
 public:
  // Queues a command for the next apply_all(). `apply` must not be empty.
  void push(std::string label, std::function<void()> apply);

  // Applies the queued commands in the order they were pushed and returns how many ran.
  // Commands pushed while applying wait for the next call, so one call always ends.
  size_t apply_all();

  // Commands waiting for apply_all(), oldest first.
  const std::vector<Command>& pending() const { return pending_; }
  // Labels of every command applied so far, oldest first.
  const std::vector<std::string>& applied() const { return applied_; }

 private:
  std::vector<Command> pending_;      // pushed since the last apply_all, in order
  std::vector<std::string> applied_;  // grows by one per applied command (clicks: small)
};

}  // namespace wmq::gui
