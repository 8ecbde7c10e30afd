"""Starts and stops `warungmq serve` for the real-client tests.

Run by Debian's /usr/bin/python3 (python3-stomp lives there). Every wait is
bounded; every server started is stopped (SIGTERM, then SIGKILL) even when a
test fails. Ports are never guessed: the server is started with --port 0 and
the port is read from the first line it prints.
"""

import ctypes
import logging
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time

import stomp

WARUNGMQ = os.environ.get("WARUNGMQ", "warungmq")

# python3-stomp logs a traceback for every send to a server that just died;
# the tests provoke that on purpose and check the outcome themselves.
logging.getLogger("stomp.py").setLevel(logging.CRITICAL)


def _die_with_parent():
    """In the child, before exec: SIGKILL it if the test process dies first
    (a ctest timeout, a crashed test), so no server outlives its test."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Server:
    """One `warungmq serve` process. Use as a context manager."""

    # The exit codes a SIGTERM stop may end with; anything else fails the test that used it.
    ok_exits = (0,)

    def __init__(self, *args, data=None):
        self.args = list(args)
        self.data = data
        self.proc = None
        self.port = None
        self.log = tempfile.TemporaryFile()

    def command(self):
        cmd = [WARUNGMQ, "serve", "--port", "0"] + self.args
        if self.data:
            cmd += ["--data", self.data]
        return cmd

    def start(self, timeout=10.0):
        cmd = self.command()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log,
                                     preexec_fn=_die_with_parent)
        # The first line names the port; read it with a deadline.
        line = []

        def read_line():
            line.append(self.proc.stdout.readline().decode())

        reader = threading.Thread(target=read_line, daemon=True)
        reader.start()
        reader.join(timeout)
        text = line[0] if line else ""
        self.first_line = text
        m = re.search(r"port (\d+)", text)
        if not m:
            self.kill()
            raise RuntimeError("warungmq serve did not start: %r; stderr: %s" % (text, self.stderr()))
        self.port = int(m.group(1))
        return self

    def stop(self, timeout=10.0):
        """SIGTERM: a clean stop. Returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError("warungmq serve did not stop on SIGTERM within %.0f s" % timeout)

    def kill(self):
        """SIGKILL: the crash."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stderr(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        try:
            rc = self.stop()
        finally:
            self.kill()
        err = self.stderr()
        self.close()
        # A clean SIGTERM stop exits 0; anything else (a crash, a sanitizer
        # report) fails the test that used the server.
        if exc_type is None and rc not in self.ok_exits:
            raise AssertionError("warungmq %s exited with %s; stderr:\n%s" %
                                 (self.command()[1], rc, err[-3000:]))

    def close(self):
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        self.log.close()


class Recorder(stomp.ConnectionListener):
    """Keeps every MESSAGE, RECEIPT and ERROR a python3-stomp connection gets."""

    def __init__(self):
        self.cond = threading.Condition()
        self.messages = []
        self.receipts = []
        self.errors = []
        self.disconnected = False

    def on_message(self, frame):
        with self.cond:
            self.messages.append(frame)
            self.cond.notify_all()

    def on_receipt(self, frame):
        with self.cond:
            self.receipts.append(frame.headers.get("receipt-id"))
            self.cond.notify_all()

    def on_error(self, frame):
        with self.cond:
            self.errors.append(frame)
            self.cond.notify_all()

    def on_disconnected(self):
        with self.cond:
            self.disconnected = True
            self.cond.notify_all()

    def wait(self, predicate, timeout=5.0):
        """Waits until predicate() is true; returns it (False on timeout)."""
        with self.cond:
            return self.cond.wait_for(predicate, timeout)

    def wait_messages(self, n, timeout=5.0):
        return self.wait(lambda: len(self.messages) >= n, timeout)

    def wait_receipt(self, rid, timeout=5.0):
        return self.wait(lambda: rid in self.receipts, timeout)


def connect(server, version="1.2", heartbeats=(0, 0), login=None, passcode=None,
            connect_headers=None, **kw):
    """A connected python3-stomp connection and its Recorder (connect_headers:
    extra CONNECT headers, e.g. client-id)."""
    cls = {"1.0": stomp.Connection10, "1.1": stomp.Connection11, "1.2": stomp.Connection12}[version]
    args = dict(reconnect_attempts_max=1, **kw)
    if version != "1.0":
        args["heartbeats"] = heartbeats
    conn = cls([("127.0.0.1", server.port)], **args)
    rec = Recorder()
    conn.set_listener("recorder", rec)
    conn.connect(login, passcode, wait=True, headers=connect_headers)
    return conn, rec


class Raw:
    """A raw socket, for input python3-stomp would never send."""

    def __init__(self, server, timeout=5.0):
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def read_frame(self, timeout=5.0):
        """The next frame as (command, headers, body), or None at EOF / timeout."""
        deadline = time.monotonic() + timeout
        while True:
            self.buf = self.buf.lstrip(b"\r\n")  # heart-beats
            end = self.buf.find(b"\0")
            if end >= 0:
                frame, self.buf = self.buf[:end], self.buf[end + 1:]
                head, _, body = frame.partition(b"\n\n")
                lines = head.decode().split("\n")
                headers = {}
                for line in lines[1:]:
                    k, _, v = line.partition(":")
                    headers.setdefault(k, v)
                return lines[0], headers, body.decode(errors="replace")
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buf += chunk

    def at_eof(self, timeout=5.0):
        """True when the server closes the connection within `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return False
            except ConnectionResetError:
                return True
            if not chunk:
                return True
            self.buf += chunk
        return False

    def close(self):
        self.sock.close()


def connect_frame(extra=""):
    return "CONNECT\naccept-version:1.2\nhost:/\n%s\n\0" % extra
