"""STOMP clients on the scene: python3-stomp cooks in a headless
`warungmq run SCENARIO --listen 0`, counted in its JSON report.

    /usr/bin/python3 scene_test.py WARUNGMQ SCENARIO cook|walkout

cook:    a cook subscribes to /queue/grill (the scenario's grill has no cook
         of its own), acks everything it gets; the report must count its
         orders as cooked and served, and the conservation law must hold.
walkout: a cook program takes an order and exits without acking; the order
         goes back on the board, a second cook gets it redelivered, and the
         report counts the redelivery.
shutdown: a cook is still connected when the run is stopped (SIGTERM): it is
         told ERROR "server shutting down", and stderr blames no heart-beat.

Exit 0 on success; a failure prints what differs.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import stomp

UNTIL = "8s"  # wall seconds too: the clock follows the wall while listening


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def start_run(warungmq, scenario, out):
    proc = subprocess.Popen(
        [warungmq, "run", scenario, "--listen", "0", "--until", UNTIL,
         "--report", "json", "--out", out],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "port " not in line:
        proc.kill()
        fail("no listening line, got %r; stderr: %s" % (line, proc.stderr.read()))
    port = int(line.split("port ")[1].split(";")[0])
    return proc, port


def finish_run(proc, out):
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("warungmq run did not end after --until %s" % UNTIL)
    if proc.returncode not in (0, 1):
        fail("warungmq run exited %d: %s" % (proc.returncode, err))
    with open(out) as f:
        return json.load(f)


def check_conservation(report):
    o = report["orders"]
    total = (o["rejected"] + o["served"] + o["dead_lettered"] + o["expired"]
             + o["lost"] + o["in_flight"])
    if o["placed"] != total:
        fail("conservation law broken: placed %d != %d (%s)" % (o["placed"], total, o))
    if o["lost"] != 0:
        fail("%d confirmed orders lost: %s" % (o["lost"], o))
    if report.get("live", {}).get("deterministic") is not False:
        fail("the report does not say the live run is not deterministic: %s"
             % report.get("live"))


class Cook(stomp.ConnectionListener):
    """Acks every order; remembers the headers of each one, and of each ERROR."""

    def __init__(self):
        self.conn = None
        self.got = []
        self.errors = []
        self.lock = threading.Lock()

    def on_message(self, frame):
        with self.lock:
            self.got.append(dict(frame.headers))
        self.conn.ack(frame.headers["ack"])

    def on_error(self, frame):
        with self.lock:
            self.errors.append(dict(frame.headers))


def connect_cook(port, login):
    conn = stomp.Connection12([("127.0.0.1", port)])
    cook = Cook()
    cook.conn = conn
    conn.set_listener("cook", cook)
    conn.connect(login, "sambal", wait=True)
    conn.subscribe("/queue/grill", id="1", ack="client-individual",
                   headers={"prefetch-count": "1"})
    return conn, cook


def test_cook(warungmq, scenario, out):
    proc, port = start_run(warungmq, scenario, out)
    conn, cook = connect_cook(port, "koki-py")
    time.sleep(5)
    conn.disconnect()
    report = finish_run(proc, out)
    o = report["orders"]
    acked = len(cook.got)
    print("python cook acked %d; report: external_cooked %d, cooked %d, served %d, placed %d"
          % (acked, o["external_cooked"], o["cooked"], o["served"], o["placed"]))
    if acked == 0:
        fail("the python cook got no order in 5 s")
    if o["external_cooked"] != acked:
        fail("external_cooked %d, but the python cook acked %d" % (o["external_cooked"], acked))
    if o["served"] == 0:
        fail("no customer was served the food the python cook made")
    if report["live"]["external_cooks"] != 1:
        fail("expected one external cook, got %s" % report["live"])
    check_conservation(report)


WALKER = r"""
import os, sys, stomp
class L(stomp.ConnectionListener):
    def on_message(self, frame):
        print(frame.headers.get("order", "?"), flush=True)
        os._exit(0)   # the program dies holding the order, no ACK, no DISCONNECT
conn = stomp.Connection12([("127.0.0.1", int(sys.argv[1]))])
conn.set_listener("l", L())
conn.connect("koki-kabur", "x", wait=True)
conn.subscribe("/queue/grill", id="1", ack="client-individual", headers={"prefetch-count": "1"})
import time; time.sleep(10)
os._exit(3)
"""


def test_walkout(warungmq, scenario, out):
    proc, port = start_run(warungmq, scenario, out)
    walker = subprocess.run([sys.executable, "-c", WALKER, str(port)],
                            capture_output=True, text=True, timeout=15)
    if walker.returncode != 0:
        fail("the walking-out cook got no order: %s %s" % (walker.stdout, walker.stderr))
    taken = walker.stdout.strip()
    conn, cook = connect_cook(port, "koki-py")
    time.sleep(3)
    conn.disconnect()
    report = finish_run(proc, out)
    o = report["orders"]
    print("walked out with order %s; the second cook got %d, first %s; report: redelivered %d, "
          "external_returned %d" % (taken, len(cook.got), cook.got[:1], o["redelivered"],
                                    o["external_returned"]))
    if not cook.got:
        fail("the second cook got nothing")
    first = cook.got[0]
    if first.get("order") != taken or first.get("redelivered") != "true":
        fail("the second cook's first order should be order %s redelivered, got %s"
             % (taken, first))
    if o["redelivered"] < 1:
        fail("the report counts no redelivery: %s" % o)
    if o["external_returned"] < 1:
        fail("the report counts no order back on the board: %s" % o)
    check_conservation(report)


def test_shutdown(warungmq, scenario, out):
    proc, port = start_run(warungmq, scenario, out)
    conn, cook = connect_cook(port, "koki-py")
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("warungmq run did not end on SIGTERM")
    if proc.returncode not in (0, 1):
        fail("warungmq run exited %d: %s" % (proc.returncode, err))
    deadline = time.monotonic() + 5
    while not cook.errors and time.monotonic() < deadline:
        time.sleep(0.05)
    print("the cook was told: %s; stderr: %r" % (cook.errors, err))
    if [e.get("message") for e in cook.errors] != ["server shutting down"]:
        fail("the cook was not told the server is shutting down: %s" % cook.errors)
    if "heart-beat" in err:
        fail("stderr blames a heart-beat: %s" % err)
    if "stomp: shutting down: told 1 client(s)\n" not in err:
        fail("stderr does not say the clients were told: %s" % err)


def main():
    warungmq, scenario, which = sys.argv[1], sys.argv[2], sys.argv[3]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        {"cook": test_cook, "walkout": test_walkout, "shutdown": test_shutdown}[which](warungmq, scenario, out)
    print("ok")


if __name__ == "__main__":
    main()
