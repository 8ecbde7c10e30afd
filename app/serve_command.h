// `warungmq serve`: the broker core behind a STOMP 1.2 server, for real
// clients (serve_command.cpp tells how it runs and stops).
//
//   warungmq serve [--bind 127.0.0.1] [--port 61613] [--data FILE] [--users FILE]
//                  [--max-connections N] [--max-frame BYTES]
//                  [--tls-port PORT --tls-cert FILE --tls-key FILE]
//
// Built only with WMQ_STOMP_SERVER (every native build): it needs sockets.
#pragma once

#include <cstddef>

namespace CLI {
class App;
}

// Adds `serve` to `app`. The server runs inside CLI11's parse (the
// subcommand's callback) and its exit code comes back as a CLI::RuntimeError
// that main returns: 0 after a clean stop, 1 when it could not start (the
// data or users file, the port: the reason on stderr) or not close the data
// file. Bad options exit 2 through CLI11, as every subcommand's do.
void add_serve_command(CLI::App& app);

// 40% of the machine's memory, as RabbitMQ's memory alarm: the default of
// serve's and gui's --max-memory. 0 when the machine does not say.
size_t default_max_memory();

// Adds `users` to `app`: `users add LOGIN [--file F]` writes a salted, slow hash of a passcode
// (asked twice on a terminal, or read from stdin) into the users file `serve --users` reads
// (users_command.cpp).
void add_users_command(CLI::App& app);
