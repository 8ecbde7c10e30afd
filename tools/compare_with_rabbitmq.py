"""Plays seeded random STOMP sessions against two servers and compares what
every client received. Run by tools/compare-with-rabbitmq (which starts
RabbitMQ and `warungmq serve` on loopback ports); usable alone:

    /usr/bin/python3 tools/compare_with_rabbitmq.py --a 127.0.0.1:61613 \
        --b 127.0.0.1:40123 [--sequences 1000] [--seed 1] [--quiet-ms 15]

A sequence is a list of client operations drawn from a seeded generator:
connect (STOMP 1.0, 1.1 or 1.2), subscribe (each ack mode, with or without
prefetch-count and a receipt), send (to queues, a topic and amq.fanout; with
or without persistent, a receipt, a transaction), begin/commit/abort, ack,
nack (requeue true, false, False), unsubscribe, disconnect (with or without a
receipt), a client killed (RST), one killed halfway through a frame, and the
subscribe-send-unsubscribe burst in one write that python3-stomp's
command-line client sends. After each operation the acting client is synced
(BEGIN/ABORT with a receipt) and every socket is read until it has been quiet
for --quiet-ms. At the end every live client disconnects and a fresh client
drains each queue.

What is compared, per sequence: for every subscription, the RECEIPT of its
SUBSCRIBE (when asked for) and its MESSAGEs in order (body, destination,
redelivered, persistent); every client's other receipt ids (as a set: RabbitMQ
receipts a SUBSCRIBE before an earlier SEND's confirm); how many ERRORs each
client got; and what the drain found in each queue. Ignored, as they
legitimately differ: message ids, ack ids, session ids, server names, ERROR
texts, delivery-count (RabbitMQ 3.10 has none on classic queues),
content-type and content-length, and what the subscribe-send-unsubscribe
burst's own subscription receives (a race in RabbitMQ, which mostly delivers
after the UNSUBSCRIBE and answers ERROR "Subscription not found"), and what a
client gets after its first ERROR (RabbitMQ keeps some connections open after
an ERROR; here every ERROR closes).

Only loopback addresses; every loop and wait is bounded. Prints each
divergence with the sequence that shows it; the last line is one JSON object
with the count.
"""

import argparse
import json
import random
import re
import socket
import struct
import subprocess
import sys
import threading
import time

MAX_WAIT = 2.0  # seconds: the longest any single wait may take


class Client:
    """One raw STOMP connection; keeps every frame it receives, in order."""

    def __init__(self, addr, version, name):
        self.version = version
        self.name = name
        self.sock = socket.create_connection(addr, timeout=MAX_WAIT)
        self.sock.setblocking(False)
        self.buf = b""
        self.frames = []  # (command, headers, body)
        self.alive = True
        self.closed_by_server = False

    def send(self, data):
        if not self.alive:
            return
        data = data.encode()
        deadline = time.monotonic() + MAX_WAIT
        while data and time.monotonic() < deadline:
            try:
                n = self.sock.send(data)
                data = data[n:]
            except BlockingIOError:
                time.sleep(0.001)
            except OSError:
                self.alive = False
                return

    def pump(self):
        """Reads what is waiting; True when bytes came."""
        got = False
        while True:
            try:
                chunk = self.sock.recv(65536)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                if self.alive:
                    self.closed_by_server = True
                self.alive = False
                break
            got = True
            self.buf += chunk
        self._parse()
        return got

    def _parse(self):
        while True:
            self.buf = self.buf.lstrip(b"\r\n")
            end = self.buf.find(b"\0")
            if end < 0:
                return
            raw, self.buf = self.buf[:end], self.buf[end + 1:]
            head, _, body = raw.partition(b"\n\n")
            lines = head.decode(errors="replace").split("\n")
            headers = {}
            for line in lines[1:]:
                k, _, v = line.rstrip("\r").partition(":")
                headers.setdefault(k, v)
            self.frames.append((lines[0], headers, body.decode(errors="replace")))

    def kill(self):
        """A crash: RST, nothing more."""
        if not self.alive:
            return
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()
        self.alive = False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
        self.alive = False


def frame(command, headers, body=""):
    return command + "\n" + "".join("%s:%s\n" % kv for kv in headers) + "\n" + body + "\0"


# ----------------------------------------------------------------- generation

QUEUES = ("a", "b")
ACKS = ("auto", "client", "client-individual")


def generate(rng, tag):
    """A list of operations (tuples). Only what the generator knows is tracked:
    which clients are connected, their subscriptions and transactions.
    Acks name "the k-th unacknowledged message of subscription s", resolved
    while playing."""
    ops = []
    clients = {}  # name -> {"subs": {sid: (kind, queue)}, "tx": set(), "version": v}
    queue_busy = set()  # queues with a live subscription (one consumer per queue)
    n_clients = 0
    n_msg = 0
    steps = rng.randint(8, 18)
    for _ in range(steps):
        live = sorted(clients)
        choice = rng.random()
        if not live or (choice < 0.12 and n_clients < 4):
            name = "c%d" % n_clients
            n_clients += 1
            v = rng.choice(("1.0", "1.1", "1.2"))
            clients[name] = {"subs": {}, "tx": set(), "version": v, "n": 0}
            ops.append(("connect", name, v))
            continue
        c = rng.choice(live)
        st = clients[c]
        choice = rng.random()
        if choice < 0.18:
            kinds = [q for q in QUEUES if q not in queue_busy] + ["topic", "fanout"]
            kind = rng.choice(kinds)
            st["n"] += 1
            sid = "s%d" % st["n"]
            ack = rng.choice(ACKS)
            prefetch = rng.choice((None, None, 1, 2, 5))
            if prefetch is None and st.get("prefetch"):
                # RabbitMQ 3.10 sets a SUBSCRIBE's prefetch-count on the
                # connection's channel: later subscriptions without one get
                # it too (docs/stomp.md). Say it again instead.
                prefetch = st["prefetch"]
            st["prefetch"] = prefetch or st.get("prefetch")
            receipt = rng.random() < 0.5
            st["subs"][sid] = (kind, ack)
            if kind in QUEUES:
                queue_busy.add(kind)
            ops.append(("subscribe", c, sid, kind, ack, prefetch, receipt))
        elif choice < 0.50:
            dest = rng.choice(QUEUES + QUEUES + ("topic", "fanout"))
            n_msg += 1
            tx = rng.choice(sorted(st["tx"])) if st["tx"] and rng.random() < 0.5 else None
            ops.append(("send", c, dest, "%s-m%d" % (tag, n_msg), rng.random() < 0.5,
                        rng.random() < 0.5, tx))
        elif choice < 0.56:
            if len(st["tx"]) < 2:
                t = "t%d" % rng.randint(0, 999)
                if t not in st["tx"]:
                    st["tx"].add(t)
                    ops.append(("begin", c, t))
        elif choice < 0.62:
            if st["tx"]:
                t = rng.choice(sorted(st["tx"]))
                st["tx"].discard(t)
                ops.append((rng.choice(("commit", "commit", "abort")), c, t, rng.random() < 0.5))
        elif choice < 0.74:
            subs = sorted(s for s, (_, ack) in st["subs"].items() if ack != "auto")
            if subs:
                sid = rng.choice(subs)
                tx = rng.choice(sorted(st["tx"])) if st["tx"] and rng.random() < 0.3 else None
                if st["version"] != "1.0" and rng.random() < 0.4:
                    ops.append(("nack", c, sid, rng.randint(0, 2),
                                rng.choice(("true", "false", "False")), tx))
                else:
                    ops.append(("ack", c, sid, rng.randint(0, 2), tx))
        elif choice < 0.80:
            if st["subs"]:
                sid = rng.choice(sorted(st["subs"]))
                kind, ack = st["subs"].pop(sid)
                queue_busy.discard(kind)
                if ack != "auto":
                    # RabbitMQ keeps an unsubscribed subscription's unacked
                    # messages with the connection; here they go back to the
                    # queue at once (docs/stomp.md): settle them first.
                    ops.append(("ack-all", c, sid))
                ops.append(("unsubscribe", c, sid, rng.random() < 0.5))
        elif choice < 0.84:
            free = [q for q in QUEUES if q not in queue_busy]
            if free:
                n_msg += 1
                st["n"] += 1
                ops.append(("burst", c, "burst%d" % st["n"], rng.choice(free),
                            "%s-m%d" % (tag, n_msg), rng.choice(("unsubscribe", "disconnect"))))
                # RabbitMQ may deliver the burst's MESSAGE after the UNSUBSCRIBE
                # and then ends the connection with ERROR "Subscription not
                # found": the client is gone either way.
                for kind, _ in st["subs"].values():
                    queue_busy.discard(kind)
                del clients[c]
        elif choice < 0.86 and st["version"] == "1.2":
            subs = sorted(s for s, (_, ack) in st["subs"].items() if ack != "auto")
            if subs:
                ops.append(("bad-ack", c, rng.choice(subs)))
                for kind, _ in st["subs"].values():
                    queue_busy.discard(kind)
                del clients[c]
        else:
            how = rng.choice(("disconnect", "disconnect", "kill", "kill-mid-frame"))
            if how == "disconnect":
                ops.append(("disconnect", c, rng.random() < 0.6))
            else:
                ops.append((how, c))
            for kind, _ in st["subs"].values():
                queue_busy.discard(kind)
            del clients[c]
    return ops


# ------------------------------------------------------------------- playing

def dest_of(kind, tag):
    if kind in QUEUES:
        return "/queue/%s-%s" % (tag, kind)
    if kind == "topic":
        return "/topic/%s.news" % tag
    return "/exchange/amq.fanout"


class Player:
    def __init__(self, addr, tag, quiet):
        self.addr = addr
        self.tag = tag
        self.quiet = quiet
        self.clients = {}
        self.all_clients = []
        self.sync_n = 0
        self.subs = {}  # (client, sid) -> {"ack": mode, "kind": kind}
        self.settled = set()  # (client, ack id) acked or nacked
        self.expected = {}  # client -> receipt ids asked for, not yet waited for
        self.tx_receipts = {}  # (client, tx) -> receipt ids of its SENDs

    def wait_quiet(self):
        deadline = time.monotonic() + MAX_WAIT
        last = time.monotonic()
        while time.monotonic() < deadline:
            got = False
            for c in self.all_clients:
                if c.alive and c.pump():
                    got = True
            now = time.monotonic()
            if got:
                last = now
            elif now - last >= self.quiet:
                return
            time.sleep(0.001)

    def wait_receipt(self, c, rid):
        deadline = time.monotonic() + MAX_WAIT
        while time.monotonic() < deadline and c.alive:
            c.pump()
            if any(f[0] == "RECEIPT" and f[1].get("receipt-id") == rid for f in c.frames):
                return
            if any(f[0] == "ERROR" for f in c.frames):
                return
            time.sleep(0.001)

    def sync(self, c):
        """The server has handled everything this client sent, and sent every
        receipt it asked for (RabbitMQ sends a SEND's receipt after later
        frames' receipts)."""
        if not c.alive:
            return
        self.sync_n += 1
        t = "sync-%d" % self.sync_n
        c.send(frame("BEGIN", [("transaction", t)]) +
               frame("ABORT", [("transaction", t), ("receipt", t)]))
        self.wait_receipt(c, t)
        for rid in sorted(self.expected.get(c.name, ())):
            self.wait_receipt(c, rid)
        self.expected.pop(c.name, None)

    def expect(self, c, rid, tx=None):
        if tx:
            self.tx_receipts.setdefault((c.name, tx), []).append(rid)
        else:
            self.expected.setdefault(c.name, set()).add(rid)

    def unacked(self, name, sid):
        """Ack ids of the subscription's MESSAGEs not settled yet, oldest first."""
        c = self.clients.get(name)
        if c is None:
            return []
        key = "ack" if c.version == "1.2" else "message-id"
        out = []
        for cmd, h, _ in c.frames:
            if cmd == "MESSAGE" and h.get("subscription") == sid:
                a = h.get(key)
                if a and (name, a) not in self.settled:
                    out.append(a)
        return out

    def settle_ids(self, name, sid, ack_id, cumulative):
        ids = self.unacked(name, sid)
        if cumulative and ack_id in ids:
            for a in ids[:ids.index(ack_id) + 1]:
                self.settled.add((name, a))
        else:
            self.settled.add((name, ack_id))

    def connect(self, name, version):
        c = Client(self.addr, version, name)
        headers = [("login", "guest"), ("passcode", "guest")]
        if version != "1.0":
            headers = [("accept-version", version), ("host", "/"), ("heart-beat", "0,0")] + headers
        c.send(frame("CONNECT", headers))
        deadline = time.monotonic() + MAX_WAIT
        while time.monotonic() < deadline and c.alive and not c.frames:
            c.pump()
            time.sleep(0.001)
        self.clients[name] = c
        self.all_clients.append(c)

    def play(self, op):
        kind, name = op[0], op[1]
        if kind == "connect":
            self.connect(name, op[2])
            return
        c = self.clients.get(name)
        if c is None or not c.alive:
            return
        if kind == "subscribe":
            _, _, sid, where, ack, prefetch, receipt = op
            h = [("destination", dest_of(where, self.tag)), ("id", sid), ("ack", ack)]
            if prefetch:
                h.append(("prefetch-count", str(prefetch)))
            if receipt:
                h.append(("receipt", "sub-" + sid))
            self.subs[(name, sid)] = {"ack": ack, "kind": where}
            c.send(frame("SUBSCRIBE", h))
        elif kind == "send":
            _, _, where, body, persistent, receipt, tx = op
            h = [("destination", dest_of(where, self.tag))]
            if persistent:
                h.append(("persistent", "true"))
            if receipt:
                h.append(("receipt", "send-" + body))
                self.expect(c, "send-" + body, tx)
            if tx:
                h.append(("transaction", tx))
            c.send(frame("SEND", h, body))
        elif kind == "begin":
            c.send(frame("BEGIN", [("transaction", op[2])]))
        elif kind in ("commit", "abort"):
            h = [("transaction", op[2])]
            if op[3]:
                h.append(("receipt", "%s-%s" % (kind, op[2])))
            for rid in self.tx_receipts.pop((name, op[2]), []):
                if kind == "commit":
                    self.expect(c, rid)
            c.send(frame(kind.upper(), h))
        elif kind in ("ack", "nack"):
            sid, pick = op[2], op[3]
            tx = op[5] if kind == "nack" else op[4]
            ids = self.unacked(name, sid)
            if not ids:
                return
            a = ids[min(pick, len(ids) - 1)]
            if c.version == "1.2":
                h = [("id", a)]
            else:
                h = [("message-id", a), ("subscription", sid)]
            if kind == "nack":
                h.append(("requeue", op[4]))
            if tx:
                h.append(("transaction", tx))
            cumulative = self.subs[(name, sid)]["ack"] == "client"
            c.send(frame(kind.upper(), h))
            # Inside a transaction the settling waits for COMMIT, which the
            # generator may or may not send: the ids stay as they are then.
            if not tx:
                self.settle_ids(name, sid, a, cumulative)
        elif kind == "ack-all":
            ids = self.unacked(name, op[2])
            cumulative = self.subs[(name, op[2])]["ack"] == "client"
            for a in ids[-1:] if cumulative else ids:
                c.send(frame("ACK", [("id", a)] if c.version == "1.2" else
                             [("message-id", a), ("subscription", op[2])]))
                self.settle_ids(name, op[2], a, cumulative)
        elif kind == "unsubscribe":
            h = [("id", op[2])]
            if op[3]:
                h.append(("receipt", "unsub-" + op[2]))
            c.send(frame("UNSUBSCRIBE", h))
        elif kind == "burst":
            _, _, sid, q, body, ending = op
            self.subs[(name, sid)] = {"ack": "auto", "kind": q}
            data = (frame("SUBSCRIBE", [("destination", dest_of(q, self.tag)), ("id", sid),
                                        ("ack", "auto")]) +
                    frame("SEND", [("destination", dest_of(q, self.tag))], body))
            if ending == "unsubscribe":
                data += frame("UNSUBSCRIBE", [("id", sid), ("receipt", "burst-" + sid)])
            else:
                data += frame("DISCONNECT", [("receipt", "burst-" + sid)])
            c.send(data)
            self.wait_receipt(c, "burst-" + sid)
            self.wait_quiet()
            c.close()
        elif kind == "bad-ack":
            ids = self.unacked(name, op[2])
            c.send(frame("ACK", [("message-id", ids[0] if ids else "1")]))
            # RabbitMQ answers ERROR and keeps the connection; here it is
            # closed. The client hangs up on its ERROR on both.
            self.wait_receipt(c, "(an ERROR)")
            c.close()
        elif kind == "disconnect":
            h = [("receipt", "bye")] if op[2] else []
            c.send(frame("DISCONNECT", h))
            if op[2]:
                self.wait_receipt(c, "bye")
            else:
                self.wait_quiet()
                c.close()
        elif kind == "kill":
            c.kill()
            # RabbitMQ notices a reset connection a little later; until then
            # its consumers still take messages.
            time.sleep(max(0.1, 4 * self.quiet))
        elif kind == "kill-mid-frame":
            c.send("SEND\ndestination:%s\n\nhalf a fr" % dest_of("a", self.tag))
            self.wait_quiet()
            c.kill()
            time.sleep(max(0.1, 4 * self.quiet))
        if c.alive and kind not in ("disconnect", "bad-ack") and not (
                kind == "burst" and op[5] == "disconnect"):
            self.sync(c)
        self.wait_quiet()

    def finish(self):
        for name, c in sorted(self.clients.items()):
            if c.alive:
                c.send(frame("DISCONNECT", [("receipt", "end")]))
                self.wait_receipt(c, "end")
                c.close()
        self.wait_quiet()
        drained = {}
        for q in QUEUES:
            d = Client(self.addr, "1.2", "drain")
            d.send(frame("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("login", "guest"),
                                     ("passcode", "guest")]))
            d.send(frame("SUBSCRIBE", [("destination", dest_of(q, self.tag)), ("id", "d"),
                                       ("ack", "client-individual"), ("receipt", "d")]))
            self.wait_receipt(d, "d")
            # Quiet twice as long: the last redeliveries may still be on their way.
            deadline = time.monotonic() + MAX_WAIT
            last = time.monotonic()
            while time.monotonic() < deadline and time.monotonic() - last < 2 * self.quiet:
                if d.pump():
                    last = time.monotonic()
                time.sleep(0.001)
            drained[q] = [(b, h.get("redelivered")) for cmd, h, b in d.frames if cmd == "MESSAGE"]
            for cmd, h, _ in d.frames:
                if cmd == "MESSAGE":
                    d.send(frame("ACK", [("id", h.get("ack", ""))]))
            d.send(frame("DISCONNECT", [("receipt", "x")]))
            self.wait_receipt(d, "x")
            d.close()
        return drained

    def observe(self, drained):
        obs = {}
        for c in self.all_clients:
            subs = {}
            receipts = set()
            errors = 0
            frames = c.frames
            first_error = next((i for i, f in enumerate(frames) if f[0] == "ERROR"
                                and f[1].get("message") != "Subscription not found"), None)
            if first_error is not None:
                # Whether the connection lives on after an ERROR differs (RabbitMQ
                # keeps it after some): what came after it is not compared.
                frames = frames[:first_error + 1]
            for cmd, h, body in frames:
                if cmd == "MESSAGE":
                    s = h.get("subscription", "?")
                    subs.setdefault(s, []).append(
                        "MESSAGE %s dest=%s redelivered=%s%s" %
                        (body, h.get("destination"), h.get("redelivered"),
                         " persistent" if h.get("persistent") == "true" else ""))
                elif cmd == "RECEIPT":
                    rid = h.get("receipt-id", "")
                    if rid.startswith("sync-"):
                        continue
                    if rid.startswith("sub-"):
                        subs.setdefault(rid[4:], []).append("RECEIPT " + rid)
                    else:
                        receipts.add(rid)
                elif cmd == "ERROR" and h.get("message") != "Subscription not found":
                    errors += 1
            for s, items in subs.items():
                # Whether the burst's MESSAGE reaches its client is a race in
                # RabbitMQ (its queue delivers after the UNSUBSCRIBE, mostly);
                # what counts is that it never comes back (the drain).
                if not s.startswith("burst"):
                    obs["%s subscription %s" % (c.name, s)] = items
            obs["%s receipts" % c.name] = sorted(receipts)
            obs["%s errors" % c.name] = errors
        for q, items in drained.items():
            obs["left in queue %s" % q] = items
        for c in self.all_clients:
            c.close()
        return obs


def run_sequence(addr, ops, tag, quiet):
    p = Player(addr, tag, quiet)
    try:
        for op in ops:
            p.play(op)
        drained = p.finish()
        return p.observe(drained)
    except OSError as e:
        return {"failed": str(e)}
    finally:
        for c in p.all_clients:
            c.close()


def docs_example(path, name):
    """The first ```python block after **NAME** in the docs."""
    text = open(path).read()
    at = text.index("**%s**" % name)
    m = re.compile(r"```python\n(.*?)```", re.S).search(text, at)
    return m.group(1)


def run_docs_examples(path, addr):
    """Runs the docs' cashier.py, then its cook.py for a few seconds, against
    `addr`; returns how many orders the cook cooked."""
    port = str(addr[1])
    cashier = docs_example(path, "cashier.py").replace("61613", port)
    cook = docs_example(path, "cook.py").replace("61613", port).replace(
        "time.sleep(1)", "time.sleep(0.2)")
    py = sys.executable
    sent = subprocess.run([py, "-c", cashier], capture_output=True, text=True, timeout=30)
    if sent.returncode != 0:
        print("  the docs' cashier.py failed: %s" % sent.stderr.strip()[-300:])
        return 0
    try:
        out = subprocess.run([py, "-c", cook], capture_output=True, text=True, timeout=4)
        text = out.stdout
    except subprocess.TimeoutExpired as e:  # the cook never ends by itself
        text = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
    return text.count("cooking ")


def parse_addr(text):
    host, _, port = text.rpartition(":")
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("only loopback addresses: %s" % text)
    return (host, int(port))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", required=True, help="HOST:PORT of the reference server (RabbitMQ)")
    ap.add_argument("--b", required=True, help="HOST:PORT of the server under test")
    ap.add_argument("--a-name", default="RabbitMQ")
    ap.add_argument("--b-name", default="warungmq")
    ap.add_argument("--sequences", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quiet-ms", type=float, default=15.0)
    ap.add_argument("--show", type=int, default=10, help="divergences printed in full at most")
    ap.add_argument("--docs", help="docs/stomp.md: run its cook and cashier against both first "
                    "(the logins must exist on both)")
    args = ap.parse_args()
    a, b = parse_addr(args.a), parse_addr(args.b)
    docs = {}
    if args.docs:
        for key, addr, label in (("a", a, args.a_name), ("b", b, args.b_name)):
            docs[key] = run_docs_examples(args.docs, addr)
            print("docs/stomp.md cook and cashier against %s: %d of 3 orders cooked" %
                  (label, docs[key]))
    quiet = args.quiet_ms / 1000.0
    run_id = "%x" % random.Random().getrandbits(24)  # fresh queue names for each run
    diverged = []
    kinds = {}
    started = time.monotonic()
    for i in range(args.sequences):
        rng = random.Random(args.seed * 1000003 + i)
        tag = "cmp%s-%d-%d" % (run_id, args.seed, i)
        ops = generate(rng, "s%d" % i)
        results = {}

        def play(key, addr):
            results[key] = run_sequence(addr, ops, tag, quiet)

        threads = [threading.Thread(target=play, args=("a", a)),
                   threading.Thread(target=play, args=("b", b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        ra, rb = results.get("a", {"failed": "timeout"}), results.get("b", {"failed": "timeout"})
        keys = sorted(set(ra) | set(rb))
        diffs = [(k, ra.get(k), rb.get(k)) for k in keys if ra.get(k) != rb.get(k)]
        # A client with no frames at all has no entry on one side: not a difference.
        diffs = [d for d in diffs if not (d[1] in (None, [], 0) and d[2] in (None, [], 0))]
        if diffs:
            diverged.append(i)
            for k, _, _ in diffs:
                what = "left in queue" if k.startswith("left in queue") else k.split(" ")[1]
                kinds[what] = kinds.get(what, 0) + 1
            if len(diverged) <= args.show:
                print("divergence in sequence %d (--seed %d):" % (i, args.seed))
                for op in ops:
                    print("    " + " ".join(str(x) for x in op))
                for k, va, vb in diffs:
                    print("  %s" % k)
                    print("    %-9s %s" % (args.a_name + ":", va))
                    print("    %-9s %s" % (args.b_name + ":", vb))
                sys.stdout.flush()
        if (i + 1) % 100 == 0:
            print("... %d sequences, %d diverged (%.0f s)" %
                  (i + 1, len(diverged), time.monotonic() - started), file=sys.stderr)
    print("%d of %d sequences diverged (seed %d)" % (len(diverged), args.sequences, args.seed))
    print(json.dumps({"sequences": args.sequences, "seed": args.seed, "diverged": len(diverged),
                      "docs_cooked": docs,
                      "diverged_sequences": diverged[:50], "kinds": kinds}))
    return 1 if diverged or any(n != 3 for n in docs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
