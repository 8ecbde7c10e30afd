#include <doctest.h>

#include <string>
#include <vector>

#include "gui/command_queue.h"

using namespace wmq::gui;

TEST_CASE("commands run only when applied, in the order they were pushed") {
  CommandQueue q;
  std::vector<std::string> ran;
  q.push("first", [&] { ran.push_back("first"); });
  q.push("second", [&] { ran.push_back("second"); });
  CHECK(ran.empty());
  CHECK(q.pending().size() == 2);
  CHECK(q.apply_all() == 2);
  CHECK(ran == std::vector<std::string>{"first", "second"});
  CHECK(q.pending().empty());
  CHECK(q.apply_all() == 0);
  CHECK(ran.size() == 2);
}

TEST_CASE("a command pushed while applying waits for the next apply") {
  CommandQueue q;
  int later = 0;
  q.push("outer", [&] { q.push("inner", [&] { ++later; }); });
  CHECK(q.apply_all() == 1);
  CHECK(later == 0);
  CHECK(q.pending().size() == 1);
  CHECK(q.apply_all() == 1);
  CHECK(later == 1);
}

TEST_CASE("the labels of applied commands are kept in order") {
  CommandQueue q;
  q.push("set-language id", [] {});
  q.push("quit", [] {});
  CHECK(q.applied().empty());
  q.apply_all();
  CHECK(q.applied() == std::vector<std::string>{"set-language id", "quit"});
}
