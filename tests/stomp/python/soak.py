"""Soak with kills: `warungmq serve` on one data file under 50 client processes,
SIGKILLed every few seconds and restarted on the same file and port.

    /usr/bin/python3 tests/stomp/python/soak.py PATH/TO/warungmq [--minutes M] [--seed S]

Clients talk raw STOMP 1.2 over loopback (light enough for 50 processes):
publishers send persistent messages to durable queues, one at a time, each with
a receipt, and send again what had no receipt when the server went (at least
once); consumers take them with ack:client-individual and ACK each with a
receipt. Every event goes to a per-process log with CLOCK_MONOTONIC times. At
the end a drainer empties the queues, and the logs are checked:
  - every receipted message was acked with a receipt or drained (none lost);
  - none was delivered again after its ACK was receipted;
  - duplicates (at least once: a publish resent, a delivery before its ACK's
    receipt) are counted and printed;
  - the server's resident memory and open descriptors, sampled before each
    kill, stay flat (the slope per minute is printed; bounded).
Exit status 0 when all hold.
"""

import argparse
import ctypes
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time

QUEUES = ["/queue/soak-%d" % i for i in range(4)]
PUBLISHERS = 35
CONSUMERS = 15


class Conn:
    """A raw STOMP 1.2 connection; raises OSError when the server is gone."""

    def __init__(self, port, timeout=2.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.send_frame("CONNECT", {"accept-version": "1.2", "host": "/"})
        cmd, _, _ = self.read_frame(timeout)
        if cmd != "CONNECTED":
            raise OSError("not connected: %r" % cmd)

    def send_frame(self, cmd, headers, body=""):
        head = "".join("%s:%s\n" % kv for kv in headers.items())
        self.sock.sendall(("%s\n%s\n%s\0" % (cmd, head, body)).encode())

    def read_frame(self, timeout=2.0):
        deadline = time.monotonic() + timeout
        while True:
            self.buf = self.buf.lstrip(b"\r\n")
            end = self.buf.find(b"\0")
            if end >= 0:
                frame, self.buf = self.buf[:end], self.buf[end + 1:]
                head, _, body = frame.partition(b"\n\n")
                lines = head.decode(errors="replace").split("\n")
                headers = {}
                for line in lines[1:]:
                    k, _, v = line.partition(":")
                    headers.setdefault(k, v)
                return lines[0], headers, body.decode(errors="replace")
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("no frame")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("closed")
            self.buf += chunk

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def connect_retry(port, stop_at):
    while time.monotonic() < stop_at:
        try:
            return Conn(port)
        except OSError:
            time.sleep(0.05)
    return None


def publisher(n, port, stop_at, log_path, seed):
    _die_with_parent()
    rng = random.Random(seed * 1000 + n)
    seq = 0
    pending = None  # the id sent without a receipt yet: sent again after a kill
    attempt = 0     # each sending of it is told apart ("p3-17.2"), so a resent copy
                    # is not taken for a delivery after an ACK
    with open(log_path, "w", buffering=1) as log:
        while time.monotonic() < stop_at:
            c = connect_retry(port, stop_at)
            if c is None:
                break
            try:
                while time.monotonic() < stop_at:
                    if pending is None:
                        seq += 1
                        pending = "p%d-%d" % (n, seq)
                        attempt = 0
                    attempt += 1
                    copy = "%s.%d" % (pending, attempt)
                    q = QUEUES[seq % len(QUEUES)]
                    c.send_frame("SEND", {"destination": q, "persistent": "true",
                                          "receipt": copy}, copy)
                    cmd, h, _ = c.read_frame(5.0)
                    if cmd == "RECEIPT" and h.get("receipt-id") == copy:
                        log.write("R %s %.6f\n" % (copy, time.monotonic()))
                        pending = None
                    else:
                        break
                    if rng.random() < 0.02:
                        break  # an abrupt disconnect now and then
                    time.sleep(rng.uniform(0.0, 0.02))
            except OSError:
                pass
            c.close()


def consumer(n, port, stop_at, log_path, seed):
    _die_with_parent()
    rng = random.Random(seed * 1000 + 500 + n)
    with open(log_path, "w", buffering=1) as log:
        while time.monotonic() < stop_at:
            c = connect_retry(port, stop_at)
            if c is None:
                break
            try:
                c.send_frame("SUBSCRIBE", {"id": "1", "destination": QUEUES[n % len(QUEUES)],
                                           "ack": "client-individual",
                                           "prefetch-count": "4"})
                while time.monotonic() < stop_at:
                    try:
                        cmd, h, body = c.read_frame(1.0)
                    except socket.timeout:
                        continue
                    if cmd == "MESSAGE":
                        log.write("G %s %.6f\n" % (body, time.monotonic()))
                        c.send_frame("ACK", {"id": h["ack"], "receipt": "ack." + body})
                    elif cmd == "RECEIPT" and h.get("receipt-id", "").startswith("ack."):
                        log.write("A %s %.6f\n" % (h["receipt-id"][4:], time.monotonic()))
                    else:
                        break
                    if rng.random() < 0.01:
                        break  # gone with unacked messages: they come back
            except OSError:
                pass
            c.close()


def drain(port, log_path):
    """Empties every queue (ack:auto) until it is quiet for two seconds."""
    c = connect_retry(port, time.monotonic() + 30)
    with open(log_path, "w", buffering=1) as log:
        for i, q in enumerate(QUEUES):
            c.send_frame("SUBSCRIBE", {"id": str(i), "destination": q, "ack": "auto"})
        while True:
            try:
                cmd, _, body = c.read_frame(2.0)
            except socket.timeout:
                break
            if cmd == "MESSAGE":
                log.write("D %s %.6f\n" % (body, time.monotonic()))
    c.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _die_with_parent():
    """In a child: SIGKILL it if the soak dies first (a ctest timeout), so no
    server or client outlives the soak."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def start_server(binary, port, data):
    p = subprocess.Popen([binary, "serve", "--port", str(port), "--data", data],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         preexec_fn=_die_with_parent)
    line = p.stdout.readline().decode()
    if "listening" not in line:
        raise RuntimeError("warungmq serve did not start: %r" % line)
    return p


def sample(pid):
    rss = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
    # Descriptors other than sockets: the clients connected at the moment
    # come and go; files and pipes must not.
    fds = 0
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            if not os.readlink("/proc/%d/fd/%s" % (pid, fd)).startswith("socket:"):
                fds += 1
        except OSError:
            pass
    return rss, fds


def slope(points):
    """Least-squares slope of (t, v) points, per minute."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    den = sum((t - mt) ** 2 for t, _ in points)
    return 0.0 if den == 0 else 60 * sum((t - mt) * (v - mv) for t, v in points) / den


def read_logs(paths):
    events = []
    for p in paths:
        with open(p) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3:
                    events.append((parts[0], parts[1], float(parts[2])))
    return events


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("warungmq")
    ap.add_argument("--minutes", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="wmq-soak-")
    data = os.path.join(work, "soak.db")
    port = free_port()
    server = start_server(args.warungmq, port, data)
    start = time.monotonic()
    stop_at = start + args.minutes * 60
    ctx = multiprocessing.get_context("fork")
    procs, logs = [], []
    for n in range(PUBLISHERS + CONSUMERS):
        log = os.path.join(work, "client-%d.log" % n)
        logs.append(log)
        fn = publisher if n < PUBLISHERS else consumer
        procs.append(ctx.Process(target=fn, args=(n, port, stop_at, log, args.seed), daemon=True))
    for p in procs:
        p.start()
    kills = 0
    samples = []  # (t, rss, fds), each before a kill, once the server has run a while
    while time.monotonic() < stop_at:
        time.sleep(min(rng.uniform(2.0, 5.0), max(0.0, stop_at - time.monotonic())))
        if time.monotonic() >= stop_at:
            break
        rss, fds = sample(server.pid)
        samples.append((time.monotonic() - start, rss, fds))
        server.kill()
        server.wait()
        kills += 1
        server = start_server(args.warungmq, port, data)
    for p in procs:
        p.join(30)
    drain_log = os.path.join(work, "drain.log")
    drain(port, drain_log)
    server.send_signal(signal.SIGTERM)
    server.wait(30)

    events = read_logs(logs + [drain_log])

    def base(copy):
        return copy.rsplit(".", 1)[0]

    receipted = {base(i) for k, i, _ in events if k == "R"}
    acked_at = {}  # copy -> when its ACK's receipt came
    for k, i, t in events:
        if k == "A":
            acked_at[i] = min(t, acked_at.get(i, t))
    drained = {i for k, i, _ in events if k == "D"}
    got = {}  # copy -> deliveries
    for k, i, _ in events:
        if k in ("G", "D"):
            got[i] = got.get(i, 0) + 1
    # A message a consumer was handed is not lost, even when its ACK's receipt
    # never came (the server went after committing the ACK).
    delivered = {base(i) for i in got}
    lost = sorted(receipted - delivered)
    again = sorted(i for k, i, t in events if k in ("G", "D") and i in acked_at and t > acked_at[i])
    redelivered = sum(n - 1 for n in got.values() if n > 1)
    copies = {}
    for i in got:
        copies[base(i)] = copies.get(base(i), 0) + 1
    resent = sum(n - 1 for n in copies.values() if n > 1)
    duplicates = redelivered + resent
    rss_slope = slope([(t, r) for t, r, _ in samples[1:]])
    fd_slope = slope([(t, f) for t, _, f in samples[1:]])
    print("soak: %.1f min, %d kills survived, %d client processes, %d receipted, %d acked "
          "with a receipt, %d drained, %d duplicates (at least once: %d redeliveries before a "
          "receipted ACK, %d copies resent without a receipt), %d lost, %d delivered again "
          "after a receipted ACK" %
          (args.minutes, kills, len(procs), len(receipted), len(acked_at), len(drained),
           duplicates, redelivered, resent, len(lost), len(again)))
    if samples:
        print("soak: server before each kill: RSS %d..%d KiB (slope %+.0f KiB/min), "
              "non-socket fds %d..%d (slope %+.2f/min)" %
              (min(r for _, r, _ in samples) // 1024, max(r for _, r, _ in samples) // 1024,
               rss_slope / 1024, min(f for _, _, f in samples), max(f for _, _, f in samples),
               fd_slope))
    print("soak: data file %d bytes" % sum(os.path.getsize(data + ext) for ext in ("", "-wal")
                                           if os.path.exists(data + ext)))
    ok = True
    if lost:
        print("soak: LOST receipted messages: %s" % lost[:20])
        ok = False
    if again:
        print("soak: delivered again after a receipted ACK: %s" % again[:20])
        ok = False
    if len(receipted) < 100:
        print("soak: too few receipts to mean anything")
        ok = False
    # Flat: under 1 MiB of growth a minute, under one descriptor a minute.
    if rss_slope > 1 << 20 or fd_slope > 1.0:
        print("soak: memory or descriptors grow")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
