"""SIGKILL under load: nothing a RECEIPT promised may be lost.

    /usr/bin/python3 tests/stomp/python/sigkill_test.py PATH/TO/warungmq [--rounds N] [--seed S]

A python3-stomp publisher sends persistent messages to a durable queue, each
with a receipt, at most WINDOW unreceipted at a time. At a random moment the
test kills `warungmq serve` with SIGKILL, restarts it on the same data file,
and the publisher carries on, sending again every message it had no receipt
for (so duplicates can happen, and are counted). At the end a consumer drains
the queue: every receipted message must be there. Exit status 0 when none is
lost; the counts are printed either way.
"""

import argparse
import os
import random
import sys
import tempfile
import threading
import time

import stomp

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Recorder, Server, connect  # noqa: E402

WINDOW = 64
QUEUE = "/queue/crash-test"


class Publisher:
    """Numbers messages 1, 2, 3...; remembers which got a receipt."""

    def __init__(self):
        self.next_number = 1
        self.receipted = set()
        self.unreceipted = []  # sent (or to send again) without a receipt yet
        self.sent = 0

    def run_round(self, server, stop):
        try:
            conn, rec = connect(server)
        except Exception:  # killed before it could even connect
            return
        retry, self.unreceipted = self.unreceipted, []
        outstanding = set()

        def settled():
            with rec.cond:
                done = {int(r) for r in rec.receipts}
                rec.receipts.clear()
            self.receipted |= done
            outstanding.difference_update(done)

        try:
            while not stop.is_set() and not rec.disconnected:
                settled()
                if len(outstanding) >= WINDOW:
                    rec.wait(lambda: rec.receipts or rec.disconnected, 0.05)
                    continue
                if retry:
                    n = retry.pop()
                else:
                    n = self.next_number
                    self.next_number += 1
                outstanding.add(n)
                conn.send(QUEUE, "message %d" % n,
                          headers={"persistent": "true", "receipt": str(n)})
                self.sent += 1
        except stomp.exception.StompException:
            pass  # the server died under us
        except OSError:
            pass
        settled()
        self.unreceipted = sorted(outstanding | set(retry))
        try:
            conn.disconnect()
        except Exception:
            pass


def drain(server, timeout=60.0):
    conn, rec = connect(server)
    conn.subscribe(QUEUE, id="drain", ack="client-individual", headers={"prefetch-count": "1000"})
    bodies = []
    deadline = time.monotonic() + timeout
    last_count = -1
    while time.monotonic() < deadline:
        # Done when nothing new has come for half a second.
        rec.wait(lambda: len(rec.messages) != last_count, 0.5)
        with rec.cond:
            batch, rec.messages = rec.messages, []
        if not batch and last_count == 0:
            break
        for m in batch:
            bodies.append(m.body)
            conn.ack(m.headers["ack"])
        last_count = len(batch)
    conn.disconnect()
    return bodies


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("warungmq")
    ap.add_argument("--rounds", type=int, default=25)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    harness.WARUNGMQ = args.warungmq
    rng = random.Random(args.seed)
    print("sigkill: %d rounds, seed %d" % (args.rounds, args.seed))

    with tempfile.TemporaryDirectory() as d:
        data = os.path.join(d, "warung.db")
        pub = Publisher()
        kills = 0
        for r in range(args.rounds):
            server = Server(data=data).start()
            try:
                stop = threading.Event()
                t = threading.Thread(target=pub.run_round, args=(server, stop), daemon=True)
                t.start()
                time.sleep(rng.uniform(0.02, 0.25))
                server.kill()  # SIGKILL at a random moment of the load
                kills += 1
                stop.set()
                t.join(30)
            finally:
                server.kill()
                server.close()
            if t.is_alive():
                print("sigkill: the publisher hung after round %d" % r)
                return 2
        with Server(data=data) as server:
            bodies = drain(server)

    counts = {}
    for b in bodies:
        n = int(b.split()[1])
        counts[n] = counts.get(n, 0) + 1
    lost = sorted(pub.receipted - set(counts))
    duplicates = sum(c - 1 for c in counts.values())
    unreceipted_kept = len(set(counts) - pub.receipted)
    print("sigkill: %d kills, %d sends, %d receipted, %d drained (%d distinct), "
          "%d duplicates, %d kept without a receipt, %d lost"
          % (kills, pub.sent, len(pub.receipted), len(bodies), len(counts), duplicates,
             unreceipted_kept, len(lost)))
    if lost:
        print("sigkill: LOST receipted messages: %s" % lost[:50])
        return 1
    if len(pub.receipted) < args.rounds:
        print("sigkill: too few receipts to mean anything")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
