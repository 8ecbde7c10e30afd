// Real process, real SIGKILL.
//
// The parent starts a child that runs a broker on a file and publishes
// persistent messages under load (and consumes and acks some), reporting
// each publish, confirm and ack through a pipe. The parent kills the child
// with SIGKILL at random moments, restarts it, and at the end drains the
// queue: every message whose confirm was reported and that was not acked
// must be there. Unconfirmed messages are retried by the next child, so
// duplicates happen and are counted.
//
//   crash_test [--rounds N] [--seed S] [--dir DIR]     the parent (ctest runs this)
//   crash_test child FILE RETRY_FILE FIRST_NUMBER       one broker life
//   crash_test drain FILE                               prints every queued body
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "broker/broker.h"

using namespace wmq;

namespace {

// The child's clock: it only needs to move forward for the commit window.
class TickClock : public Clock {
 public:
  Micros now() const override { return ++t_; }

 private:
  mutable Micros t_ = 0;
};

void report(int fd, char kind, long long number) {
  char line[32];
  int n = std::snprintf(line, sizeof line, "%c %lld\n", kind, number);
  // A short write to a pipe of < PIPE_BUF bytes does not happen; a failed
  // one means the parent is gone, and then nobody is listening anyway.
  if (write(fd, line, static_cast<size_t>(n)) != n) _exit(3);
}

std::unique_ptr<Broker> open_broker(Clock& clock, const std::string& file) {
  auto store = Store::open(file);
  if (!store.is_ok()) {
    std::fprintf(stderr, "crash_test: %s\n", store.status().message().c_str());
    std::exit(2);
  }
  BrokerOptions o;
  o.commit_batch_max = 64;
  auto b = std::make_unique<Broker>(clock, o);
  Status st = b->attach_store(std::move(store).value());
  if (!st.is_ok()) {
    std::fprintf(stderr, "crash_test: %s\n", st.message().c_str());
    std::exit(2);
  }
  QueueOptions q;
  q.durable = true;
  (void)b->declare_queue("load", q);
  return b;
}

// Reports each confirm to the parent the moment the broker gives it, so a
// confirm released before its commit would show up as a loss.
struct Publisher : SessionSink {
  std::map<PublishSeq, long long> numbers;
  PublishSeq next_seq = 1;  // seqs are 1, 2, 3... one per accepted publish
  void on_confirm(PublishSeq seq) override {
    report(1, 'C', numbers.at(seq));
    numbers.erase(seq);
  }
};

struct Consumer : SessionSink {
  std::vector<std::pair<DeliveryTag, long long>> held;
  void on_delivery(const Delivery& d) override {
    held.emplace_back(d.tag, std::atoll(std::string(d.message->body()).c_str()));
  }
};

int child(const std::string& file, const std::string& retry_file, long long first) {
  TickClock clock;
  auto b = open_broker(clock, file);
  Publisher pub;
  Consumer con;
  SessionId p = b->open_session(SessionOptions{"publisher", 0, 0}, &pub);
  SessionId c = b->open_session(SessionOptions{"consumer", 0, 0}, &con);
  (void)b->connected(p);
  (void)b->connected(c);
  (void)b->subscribe(c, "load", ConsumeOptions{32, false});
  std::vector<long long> todo;
  {
    std::ifstream in(retry_file);
    long long n;
    while (in >> n)
      todo.push_back(n);
  }
  long long next = first;
  Message m;
  m.persistent = true;
  m.routing_key = "load";
  const std::string pad(180, '.');
  for (uint64_t iter = 0;; ++iter) {
    // A burst of publishes, as a busy server reads them from its sockets...
    for (int i = 0; i < 48; ++i) {
      long long n = todo.empty() ? next++ : todo.back();
      if (!todo.empty()) todo.pop_back();
      m.body = std::to_string(n) + " " + pad;
      report(1, 'P', n);
      // Known before the call: a publish that fills the batch is confirmed inside it.
      pub.numbers[pub.next_seq] = n;
      if (b->publish(p, "", m).is_ok()) {
        pub.next_seq++;
      } else {
        pub.numbers.erase(pub.next_seq);
      }
    }
    // ... some acks ...
    for (size_t i = 0; i < con.held.size() && i < 16; ++i) {
      auto [tag, n] = con.held.front();
      con.held.erase(con.held.begin());
      // Reported before the call: an ack can fill the batch and commit its
      // delete inside ack(), and a kill may land before a report after it.
      report(1, 'A', n);
      (void)b->ack(c, tag);
    }
    // ... and the loop is idle: commit (the confirms go out from inside).
    (void)b->flush();
  }
}

int drain(const std::string& file) {
  TickClock clock;
  auto b = open_broker(clock, file);
  Consumer con;
  SessionId c = b->open_session(SessionOptions{"drain", 0, 0}, &con);
  (void)b->connected(c);
  (void)b->subscribe(c, "load", ConsumeOptions{0, false});
  std::printf("--\n");
  for (auto& [tag, n] : con.held)
    std::printf("%lld\n", n);
  return 0;  // no flush: the drain changes nothing on disk
}

uint64_t rng_state = 1;
uint64_t rnd(uint64_t n) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (rng_state >> 33) % n;
}

int parent(const char* self, int rounds, uint64_t seed, std::string dir) {
  rng_state = seed;
  namespace fs = std::filesystem;
  if (dir.empty())
    dir = (fs::temp_directory_path() / ("wmq-crash-" + std::to_string(getpid()))).string();
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string file = dir + "/broker.db";
  const std::string retry = dir + "/retry.txt";
  std::set<long long> published, confirmed, acked;
  long long next = 1;
  int kills = 0;
  for (int round = 0; round < rounds; ++round) {
    {
      std::ofstream out(retry, std::ios::trunc);
      for (long long n : published) {
        if (!confirmed.count(n)) out << n << "\n";
      }
    }
    int fds[2];
    if (pipe(fds) != 0) return 2;
    pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      std::string first = std::to_string(next);
      execl(self, self, "child", file.c_str(), retry.c_str(), first.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    // Let it run for a random while (5..150 ms of confirms), then kill it.
    const long wait_us = 5000 + static_cast<long>(rnd(145000));
    timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    std::string buf;
    auto consume = [&](bool final) {
      char chunk[65536];
      while (true) {
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n > 0) {
          buf.append(chunk, static_cast<size_t>(n));
          continue;
        }
        if (n == 0 || !final || errno != EAGAIN) break;
        break;
      }
      size_t pos;
      while ((pos = buf.find('\n')) != std::string::npos) {
        char kind = buf[0];
        long long v = std::atoll(buf.c_str() + 2);
        buf.erase(0, pos + 1);
        if (kind == 'P') {
          published.insert(v);
          if (v >= next) next = v + 1;
        } else if (kind == 'C') {
          confirmed.insert(v);
        } else if (kind == 'A') {
          acked.insert(v);
        }
      }
    };
    while (true) {
      consume(false);
      timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      long elapsed = (now.tv_sec - start.tv_sec) * 1000000L + (now.tv_nsec - start.tv_nsec) / 1000;
      if (elapsed >= wait_us) break;
      usleep(1000);
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    // Whatever the child wrote before it died is still in the pipe.
    fcntl(fds[0], F_SETFL, 0);
    consume(true);
    close(fds[0]);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
      std::fprintf(stderr, "crash_test: child %d ended on its own (status %d)\n", round, status);
      return 1;
    }
    ++kills;
  }
  // Drain: what is on disk now.
  std::string cmd = std::string(self) + " drain " + file;
  FILE* pipe_in = popen(cmd.c_str(), "r");
  if (pipe_in == nullptr) return 2;
  std::map<long long, int> on_disk;
  char line[64];
  bool bodies = false;
  while (std::fgets(line, sizeof line, pipe_in)) {
    if (std::strcmp(line, "--\n") == 0) {
      bodies = true;
      continue;
    }
    if (bodies) on_disk[std::atoll(line)]++;
  }
  if (pclose(pipe_in) != 0) return 2;
  long lost = 0, duplicates = 0;
  for (long long n : confirmed) {
    if (acked.count(n)) continue;
    if (!on_disk.count(n)) {
      if (lost < 10) std::fprintf(stderr, "LOST: confirmed message %lld is not on disk\n", n);
      ++lost;
    }
  }
  for (auto& [n, count] : on_disk)
    duplicates += count - 1;
  // Acked messages that came back (their delete had not committed) are
  // redeliveries, the other kind of duplicate a crash may cause.
  long came_back = 0;
  for (auto& [n, count] : on_disk)
    came_back += acked.count(n) ? 1 : 0;
  std::printf(
      "crash_test: %d SIGKILLs, %zu published, %zu confirmed, %zu acked, %zu on disk, "
      "%ld lost, %ld duplicate copies, %ld acked-but-back\n",
      kills, published.size(), confirmed.size(), acked.size(), on_disk.size(), lost, duplicates,
      came_back);
  if (lost == 0) std::filesystem::remove_all(dir);  // kept for a post-mortem otherwise
  if (confirmed.size() < 1000) {
    std::fprintf(stderr, "crash_test: too few confirms (%zu) to mean anything\n", confirmed.size());
    return 1;
  }
  return lost == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 5 && std::strcmp(argv[1], "child") == 0)
    return child(argv[2], argv[3], std::atoll(argv[4]));
  if (argc >= 3 && std::strcmp(argv[1], "drain") == 0) return drain(argv[2]);
  int rounds = 60;
  uint64_t seed = 12345;
  std::string dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
  }
  return parent(argv[0], rounds, seed, dir);
}
