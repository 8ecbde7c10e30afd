// `warungmq serve`: the broker core behind a STOMP 1.2 server, for real
// clients (a class of students' programs, python3-stomp, any STOMP client).
//
// One thread: a StompServer runs the epoll loop over a Broker on a steady
// clock, committing to --data FILE (when given) in group commits, which a
// writer thread of their own (CommitThread) writes while the loop goes on. SIGINT and
// SIGTERM stop it cleanly: pending writes are committed and their receipts
// sent, then every client gets ERROR "server shutting down" and its
// connection closes. SIGKILL loses nothing that was receipted.
#include "serve_command.h"

#include <sys/statvfs.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "broker/broker.h"
#include "stomp/commit_thread.h"
#include "stomp/door.h"
#include "stomp/server.h"
#include "stomp/steady_clock.h"
#include "stomp/tls.h"
#include "stomp/users.h"

namespace {

using namespace wmq;
using namespace wmq::stomp;

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
  g_stop.store(true);
}

struct ServeArgs {
  std::string bind = "127.0.0.1";
  uint16_t port = 61613;
  std::string data;
  std::string users;
  bool allow_anyone = false;  // no users file, yet not only loopback
  // STOMP over TLS on a second port, with this PEM certificate and key.
  std::optional<uint16_t> tls_port;
  std::string tls_cert;
  std::string tls_key;
  size_t max_connections = 256;
  // 64 MiB, as a 16 MiB body that RabbitMQ takes must go through here too.
  size_t max_frame = size_t{64} << 20;
  // Bytes of messages held before publishers are paused; 0 = no limit.
  size_t max_memory = default_max_memory();
  // Free bytes on the --data file's disk below which publishers are paused.
  uint64_t min_disk_free = 50'000'000;
  // Seconds between stats lines on stderr; 0 = none.
  double stats = 0;
};

}  // namespace

size_t default_max_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<size_t>(pages) / 5 * 2 * static_cast<size_t>(page);
}

namespace {

// Free bytes on the disk holding `path`'s folder, for unprivileged writers.
// A failed statvfs says "plenty": it must not stop publishing by itself.
uint64_t free_bytes_near(const std::string& path) {
  std::string dir = path;
  const size_t slash = dir.rfind('/');
  dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : dir.substr(0, slash));
  struct statvfs st {};
  if (statvfs(dir.c_str(), &st) != 0) return UINT64_MAX;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

void install_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the signal must wake epoll_wait
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // A peer that vanished mid-write is seen as EPIPE; the server never uses
  // write(), but a stray SIGPIPE must not kill it either.
  std::signal(SIGPIPE, SIG_IGN);
}

int serve(const ServeArgs& args) {
  if (Status door = check_door(args.bind, !args.users.empty(), args.allow_anyone); !door) {
    std::fprintf(stderr, "warungmq serve: %s\n", door.message().c_str());
    return 1;
  }
  SteadyClock clock;
  BrokerOptions bo;
  // A body may fill a frame: the frame limit is the one that counts.
  if (args.max_frame > bo.max_body_bytes) bo.max_body_bytes = static_cast<uint32_t>(args.max_frame);
  Broker broker(clock, bo);
  CommitThread* commit_thread = nullptr;  // owned by the broker, once attached
  if (!args.data.empty()) {
    auto store = Store::open(args.data);
    if (!store.is_ok()) {
      std::fprintf(stderr, "warungmq serve: %s\n", store.status().message().c_str());
      return 1;
    }
    // Commits run on a writer thread of their own: the loop never waits
    // for the disk (stomp/commit_thread.h).
    auto threaded = std::make_unique<CommitThread>(std::move(store).value());
    commit_thread = threaded.get();
    Status st = broker.attach_store(std::move(threaded));
    if (!st.is_ok()) {
      std::fprintf(stderr, "warungmq serve: %s\n", st.message().c_str());
      return 1;
    }
  }
  std::shared_ptr<TlsContext> tls;
  if (args.tls_port) {
    auto loaded = TlsContext::load(args.tls_cert, args.tls_key);
    if (!loaded.is_ok()) {
      std::fprintf(stderr, "warungmq serve: %s\n", loaded.status().message().c_str());
      return 1;
    }
    tls = std::move(loaded).value();
  }
  std::optional<Users> users;
  if (!args.users.empty()) {
    auto loaded = Users::load(args.users);
    if (!loaded.is_ok()) {
      std::fprintf(stderr, "warungmq serve: %s\n", loaded.status().message().c_str());
      return 1;
    }
    users = std::move(loaded).value();
    for (const std::string& w : users->warnings())
      std::fprintf(stderr, "warungmq serve: warning: %s\n", w.c_str());
  }

  ServerOptions so;
  so.bind = args.bind;
  so.port = args.port;
  so.max_connections = args.max_connections;
  so.tls = tls;
  if (args.tls_port) so.tls_port = *args.tls_port;
  so.max_memory = args.max_memory;
  so.commit_thread = commit_thread;
  so.stats_interval = static_cast<Micros>(args.stats * 1e6);
  if (!args.data.empty()) {
    so.min_disk_free = args.min_disk_free;
    so.disk_free = [path = args.data] { return free_bytes_near(path); };
  }
  so.session.limits.max_frame_size = args.max_frame;
  so.session.users = users ? &*users : nullptr;
  so.session.server_name = std::string("WarungMQ/") + WMQ_VERSION;
  so.log = [](std::string_view line) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  };
  {
    StompServer server(broker, so);
    Status st = server.listen();
    if (!st.is_ok()) {
      std::fprintf(stderr, "warungmq serve: %s\n", st.message().c_str());
      return 1;
    }
    install_signals();
    if (args.allow_anyone) {
      std::fprintf(stderr, "warungmq serve: %s\n",
                   allow_anyone_warning(args.bind, server.port()).c_str());
    }
    // Tests and scripts read the port from this line (--port 0 picks one).
    const std::string tls_text =
        tls ? " (TLS on port " + std::to_string(server.tls_port()) + ")" : std::string();
    std::printf("warungmq serve: listening on %s port %u%s; %s%s\n", args.bind.c_str(),
                static_cast<unsigned>(server.port()), tls_text.c_str(),
                args.data.empty() ? "no --data file: messages live in memory only"
                                  : ("data in " + args.data).c_str(),
                users ? ("; " + std::to_string(users->user_count()) + " user(s)").c_str() : "");
    std::fflush(stdout);
    server.run(g_stop);
    // A clean stop: commit, send the receipts that releases, then tell each
    // client the server is going and close.
    broker.drain();
    Status fs = broker.flush();
    if (!fs.is_ok()) std::fprintf(stderr, "warungmq serve: %s\n", fs.message().c_str());
    broker.drain();
    server.flush_output();
    server.shutdown();
  }
  Status cs = broker.close();
  if (!cs.is_ok()) {
    std::fprintf(stderr, "warungmq serve: %s\n", cs.message().c_str());
    return 1;
  }
  std::printf("warungmq serve: stopped\n");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* sub = app.add_subcommand(
      "serve", "Serve STOMP 1.2 clients (RabbitMQ-style destinations) from a real broker");
  sub->add_option("--bind", args->bind, "Address to listen on (0.0.0.0: every interface)")
      ->capture_default_str();
  sub->add_option("--port", args->port, "TCP port (0: any free port, printed at start)")
      ->capture_default_str();
  sub->add_option("--data", args->data,
                  "SQLite file for durable queues and persistent messages (created if absent)");
  CLI::Option* users_opt =
      sub->add_option(
             "--users", args->users,
             "Users file: lines \"user LOGIN HASH\" (written by `warungmq users add`), \"allow "
             "LOGIN read|write DESTINATION\" and \"host NAME\"; see docs/stomp.md")
          ->check(CLI::ExistingFile);
  sub->add_flag("--allow-anyone", args->allow_anyone,
                "Without --users, listen on a --bind address other than loopback anyway: "
                "anyone who can reach it may connect (an open classroom)")
      ->excludes(users_opt);
  CLI::Option* tls_port =
      sub->add_option_function<uint16_t>(
             "--tls-port", [args](uint16_t p) { args->tls_port = p; },
             "Also serve STOMP over TLS on this port (0: any free port, printed at start); "
             "needs --tls-cert and --tls-key")
          ->type_name("PORT");
  CLI::Option* tls_cert =
      sub->add_option("--tls-cert", args->tls_cert, "PEM certificate (chain) of the TLS port")
          ->check(CLI::ExistingFile)
          ->needs(tls_port);
  CLI::Option* tls_key =
      sub->add_option("--tls-key", args->tls_key, "PEM private key of --tls-cert")
          ->check(CLI::ExistingFile)
          ->needs(tls_port);
  tls_port->needs(tls_cert)->needs(tls_key);
  sub->add_option("--max-connections", args->max_connections, "Connections served at once")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  sub->add_option("--max-memory", args->max_memory,
                  "Bytes of messages held before connections that publish are paused "
                  "(0: no limit; default 40% of the machine's memory)")
      ->capture_default_str();
  sub->add_option("--min-disk-free", args->min_disk_free,
                  "Free bytes on the --data file's disk below which connections that publish "
                  "are paused (0: no disk alarm)")
      ->capture_default_str();
  sub->add_option("--stats", args->stats,
                  "Every SECONDS, one line on stderr: connections, paused publishers, bytes "
                  "held, the memory and disk alarms, messages, commits (0: never)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  sub->add_option("--max-frame", args->max_frame, "Largest frame accepted, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30));
  // Exits through CLI11 with serve()'s status, so main() does nothing more.
  sub->callback([args] { throw CLI::RuntimeError(serve(*args)); });
}
