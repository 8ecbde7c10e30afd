"""STOMP over TLS (`warungmq serve --tls-port --tls-cert --tls-key`), with real TLS clients:
Debian's python3-stomp over its SSL support, python's ssl module and `openssl s_client`.

    /usr/bin/python3 tests/stomp/python/tls_test.py PATH/TO/warungmq

A self-signed certificate is made for each run with the openssl command (for 127.0.0.1 and
localhost), and another one no client trusts. Besides the happy path: a client that does not
trust the certificate, a plain-text client on the TLS port, a TLS client on the plain port and
bad certificate or key files; each gets a clear error, and a bystander connection is unharmed.
"""

import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

import stomp

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Server, connect  # noqa: E402

DIR = tempfile.TemporaryDirectory()


def make_cert(name):
    """A self-signed certificate and key for 127.0.0.1 and localhost: (cert, key) paths."""
    cert, key = os.path.join(DIR.name, name + ".pem"), os.path.join(DIR.name, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", key, "-out", cert, "-subj", "/CN=warungmq-test-" + name,
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


CERT, KEY = make_cert("server")
OTHER_CERT, OTHER_KEY = make_cert("other")


class TlsServer(Server):
    def __init__(self, *args, cert=CERT, key=KEY, **kw):
        super().__init__("--tls-port", "0", "--tls-cert", cert, "--tls-key", key, *args, **kw)

    def start(self, timeout=10.0):
        super().start(timeout)
        self.tls_port = int(self.first_line.split("(TLS on port ")[1].split(")")[0])
        return self


def tls_socket(port, ca=CERT, timeout=5.0):
    """A TLS connection to `port` that trusts only `ca` (the handshake done)."""
    ctx = ssl.create_default_context(cafile=ca)
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return ctx.wrap_socket(raw, server_hostname="127.0.0.1")


def read_frame(sock, timeout=5.0):
    """The next frame's command and whole text, or (None, text so far) at EOF or timeout."""
    sock.settimeout(timeout)
    buf = b""
    deadline = time.monotonic() + timeout
    while b"\0" not in buf and time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ssl.SSLError, OSError):
            break
        if not chunk:
            break
        buf += chunk
    text = buf.split(b"\0")[0].decode(errors="replace").lstrip("\r\n")
    return (text.split("\n")[0] if b"\0" in buf else None), text


CONNECT = b"CONNECT\naccept-version:1.2\nhost:/\n\n\0"


def tls_stomp(port, ca=CERT):
    """A python3-stomp connection over TLS and its Recorder."""
    conn = stomp.Connection12([("127.0.0.1", port)], reconnect_attempts_max=1)
    conn.set_ssl(for_hosts=[("127.0.0.1", port)], ca_certs=ca)
    rec = harness.Recorder()
    conn.set_listener("recorder", rec)
    conn.connect(wait=True)
    return conn, rec


class Tls(unittest.TestCase):
    def assert_bystander_fine(self, s, port):
        """A python3-stomp client over TLS on `port` still sends and receives."""
        c, rec = tls_stomp(port) if port == s.tls_port else connect(s)
        c.subscribe("/queue/bystander", id="1")
        c.send("/queue/bystander", "still here", receipt="r1")
        self.assertTrue(rec.wait_receipt("r1"))
        self.assertTrue(rec.wait_messages(1))
        self.assertEqual(rec.messages[-1].body, "still here")
        c.disconnect()

    def test_python_stomp_over_tls_sends_and_receives(self):
        with TlsServer() as s:
            self.assertNotEqual(s.tls_port, s.port)
            c, rec = tls_stomp(s.tls_port)
            c.subscribe("/queue/grill", id="1", ack="client-individual")
            c.send("/queue/grill", "sate ayam", receipt="r1")
            self.assertTrue(rec.wait_receipt("r1"))
            self.assertTrue(rec.wait_messages(1))
            self.assertEqual(rec.messages[0].body, "sate ayam")
            c.ack(rec.messages[0].headers["ack"])
            # A large body crosses many TLS records both ways.
            big = "x" * 300000
            c.send("/queue/grill", big, receipt="r2")
            self.assertTrue(rec.wait_receipt("r2"))
            self.assertTrue(rec.wait_messages(2, timeout=15))
            self.assertEqual(rec.messages[1].body, big)
            c.disconnect()
            # The plain port works next to it.
            self.assert_bystander_fine(s, s.port)

    def test_a_client_that_hangs_up_without_close_notify_is_no_error(self):
        with TlsServer() as s:
            sock = tls_socket(s.tls_port)
            sock.sendall(CONNECT)
            self.assertEqual(read_frame(sock)[0], "CONNECTED")
            sock.close()  # no close_notify: python's ssl sends it only on unwrap()
            self.assert_bystander_fine(s, s.tls_port)
            time.sleep(0.2)
            self.assertNotIn("TLS: ", s.stderr())

    def test_openssl_s_client_connects(self):
        with TlsServer() as s:
            p = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % s.tls_port,
                                "-CAfile", CERT, "-verify_return_error", "-quiet"],
                               input=CONNECT + b"DISCONNECT\nreceipt:bye\n\n\0",
                               capture_output=True, timeout=30)
            self.assertIn(b"CONNECTED\n", p.stdout, p.stderr)
            self.assertIn(b"RECEIPT\nreceipt-id:bye\n", p.stdout, p.stderr)

    def test_a_client_that_does_not_trust_the_certificate_fails_and_others_go_on(self):
        with TlsServer() as s:
            bystander, rec = tls_stomp(s.tls_port)
            with self.assertRaises(ssl.SSLCertVerificationError):
                tls_socket(s.tls_port, ca=OTHER_CERT)
            bystander.send("/queue/grill", "after", receipt="r1")
            self.assertTrue(rec.wait_receipt("r1"))
            bystander.disconnect()
            deadline = time.monotonic() + 5
            while "TLS: " not in s.stderr() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertIn("TLS: tlsv1 alert unknown ca", s.stderr())

    def test_a_plain_client_on_the_tls_port_gets_a_readable_error(self):
        with TlsServer() as s:
            bystander, rec = tls_stomp(s.tls_port)
            raw = socket.create_connection(("127.0.0.1", s.tls_port), timeout=5)
            raw.sendall(CONNECT)
            cmd, text = read_frame(raw)
            self.assertEqual(cmd, "ERROR", text)
            self.assertIn("message:this port speaks TLS\n", text)
            self.assertIn("This port speaks STOMP over TLS; connect with TLS, or in plain text "
                          "to port %d." % s.port, text)
            self.assertEqual(raw.recv(100), b"")  # then closed
            raw.close()
            bystander.send("/queue/grill", "after", receipt="r1")
            self.assertTrue(rec.wait_receipt("r1"))
            bystander.disconnect()
            self.assertIn("refused: this port speaks TLS", s.stderr())

    def test_a_tls_client_on_the_plain_port_fails_clearly_and_others_go_on(self):
        with TlsServer() as s:
            bystander, rec = connect(s)
            with self.assertRaises(ssl.SSLError):
                tls_socket(s.port)
            bystander.send("/queue/grill", "after", receipt="r1")
            self.assertTrue(rec.wait_receipt("r1"))
            bystander.disconnect()
            self.assertIn("refused: this port speaks plain text, not TLS", s.stderr())

    def test_bad_certificate_or_key_files_are_refused_at_start(self):
        junk = os.path.join(DIR.name, "junk.pem")
        with open(junk, "w") as f:
            f.write("not a certificate\n")
        cases = [
            (junk, KEY, 'warungmq serve: --tls-cert: cannot use the certificate in "%s": ' % junk),
            (CERT, junk, 'warungmq serve: --tls-key: cannot use the private key in "%s": ' % junk),
            (CERT, OTHER_KEY, "warungmq serve: --tls-key: the key does not belong to the "
                              "certificate of --tls-cert; key \"%s\": " % OTHER_KEY),
        ]
        for cert, key, start in cases:
            p = subprocess.run([harness.WARUNGMQ, "serve", "--port", "0", "--tls-port", "0",
                                "--tls-cert", cert, "--tls-key", key],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual((p.returncode, p.stdout), (1, ""), p.stderr)
            self.assertTrue(p.stderr.startswith(start), p.stderr)
        # --tls-port needs both files.
        p = subprocess.run([harness.WARUNGMQ, "serve", "--port", "0", "--tls-port", "0"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--tls-cert", p.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    harness.WARUNGMQ = sys.argv.pop(1)
    try:
        unittest.main(verbosity=2)
    finally:
        DIR.cleanup()
