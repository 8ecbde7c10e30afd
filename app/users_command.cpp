// `warungmq users add LOGIN [--file F]`: sets LOGIN's passcode in a users
// file (see broker/stomp/users.h), stored as a salted slow hash.
//
// On a terminal the passcode is asked twice without echo; otherwise the
// first line of stdin is the passcode, so scripts can pipe it in. The file
// is created when absent and rewritten through a temporary file and a
// rename, so a crash leaves the old file or the new one, never half.
#include "serve_command.h"

#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "stomp/users.h"

namespace {

using namespace wmq;
using namespace wmq::stomp;

struct UsersAddArgs {
  std::string login;
  std::string file = "users.txt";
};

// One line from stdin without its line break; nullopt at end of input.
std::optional<std::string> read_line() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Asks on the terminal with echo off; nullopt when input ended.
std::optional<std::string> ask_hidden(const char* prompt) {
  std::fprintf(stderr, "%s", prompt);
  std::fflush(stderr);
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::optional<std::string> line = read_line();
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::fprintf(stderr, "\n");
  return line;
}

std::optional<std::string> passcode_from_user() {
  if (!isatty(STDIN_FILENO)) return read_line();
  std::optional<std::string> first = ask_hidden("Passcode: ");
  if (!first) return std::nullopt;
  std::optional<std::string> again = ask_hidden("The same passcode again: ");
  if (!again) return std::nullopt;
  if (*first != *again) {
    std::fprintf(stderr, "warungmq users add: the two passcodes differ; nothing was written\n");
    return std::nullopt;
  }
  return first;
}

int users_add(const UsersAddArgs& args) {
  std::string text;
  std::error_code ec;
  if (std::filesystem::exists(args.file, ec)) {
    std::ifstream in(args.file, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    if (!in) {
      std::fprintf(stderr, "warungmq users add: %s: cannot be read\n", args.file.c_str());
      return 1;
    }
    text = all.str();
  }
  std::optional<std::string> passcode = passcode_from_user();
  if (!passcode) {
    std::fprintf(stderr, "warungmq users add: no passcode given; nothing was written\n");
    return 1;
  }
  Result<std::string> hash = Users::hash_passcode(*passcode);
  if (!hash.is_ok()) {
    std::fprintf(stderr, "warungmq users add: %s; nothing was written\n",
                 hash.status().message().c_str());
    return 1;
  }
  Result<std::string> updated = Users::with_user(text, args.file, args.login, hash.value());
  if (!updated.is_ok()) {
    std::fprintf(stderr, "warungmq users add: %s; nothing was written\n",
                 updated.status().message().c_str());
    return 1;
  }
  const std::string tmp = args.file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << updated.value();
    out.flush();
    if (!out) {
      std::fprintf(stderr, "warungmq users add: %s: cannot be written\n", tmp.c_str());
      return 1;
    }
  }
  std::filesystem::permissions(
      tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
  std::filesystem::rename(tmp, args.file, ec);
  if (ec) {
    std::fprintf(stderr, "warungmq users add: %s: %s\n", args.file.c_str(), ec.message().c_str());
    return 1;
  }
  std::printf("warungmq users add: %s's passcode is stored (hashed) in %s\n", args.login.c_str(),
              args.file.c_str());
  return 0;
}

}  // namespace

// Adds `users` (with its `add` subcommand) to the warungmq command line.
void add_users_command(CLI::App& app) {
  CLI::App* users = app.add_subcommand("users", "Manage the users file of `warungmq serve`");
  users->require_subcommand(1);
  auto args = std::make_shared<UsersAddArgs>();
  CLI::App* add = users->add_subcommand(
      "add", "Set a login's passcode (asked twice on a terminal, else read from stdin)");
  add->add_option("login", args->login, "The login, one word")->required();
  add->add_option("--file", args->file, "The users file (created when absent)")
      ->capture_default_str();
  add->callback([args] { throw CLI::RuntimeError(users_add(*args)); });
}
