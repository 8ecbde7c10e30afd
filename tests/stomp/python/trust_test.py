"""Who may come into `warungmq serve`, checked with Debian's python3-stomp.

    /usr/bin/python3 tests/stomp/python/trust_test.py PATH/TO/warungmq

Users files are written by `warungmq users add` (passcodes hashed); each
test starts its own server on a free loopback port.
"""

import os
import subprocess
import sys
import tempfile
import time
import unittest

import stomp

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Raw, Server, connect, connect_frame  # noqa: E402


def users_add(path, login, passcode):
    """Runs `warungmq users add`, the passcode on stdin; returns (rc, stdout, stderr)."""
    p = subprocess.run([harness.WARUNGMQ, "users", "add", login, "--file", path],
                       input=passcode + "\n", capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


class UsersFile(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "users.txt")

    def tearDown(self):
        self.dir.cleanup()

    def test_users_add_stores_a_hash_and_the_server_takes_it(self):
        self.assertEqual(users_add(self.path, "kasir", "rahasia")[0], 0)
        self.assertEqual(users_add(self.path, "koki-1", "sambal")[0], 0)
        # Setting it again replaces the line instead of adding one.
        rc, out, _ = users_add(self.path, "kasir", "rahasia-baru")
        self.assertEqual((rc, out), (0, "warungmq users add: kasir's passcode is stored (hashed) "
                                        "in %s\n" % self.path))
        with open(self.path) as f:
            lines = f.read().splitlines()
        self.assertEqual([l.split()[:2] for l in lines], [["user", "kasir"], ["user", "koki-1"]])
        self.assertTrue(all(l.split()[2].startswith("$argon2id$") for l in lines))
        self.assertNotIn("rahasia", "".join(lines))
        self.assertEqual(os.stat(self.path).st_mode & 0o777, 0o600)
        with Server("--users", self.path) as s:
            ok, _ = connect(s, login="kasir", passcode="rahasia-baru")
            ok.disconnect()
            with self.assertRaises(stomp.exception.ConnectFailedException):
                connect(s, login="kasir", passcode="rahasia")
            self.assertNotIn("warning", s.stderr())

    def test_a_plain_text_passcode_loads_with_a_warning_naming_the_line(self):
        with open(self.path, "w") as f:
            f.write("# staff\nuser kasir rahasia\n")
        with Server("--users", self.path) as s:
            ok, _ = connect(s, login="kasir", passcode="rahasia")
            ok.disconnect()
            self.assertIn("warungmq serve: warning: %s:2: the passcode of \"kasir\" is plain "
                          "text" % self.path, s.stderr())


class WhoMayListen(unittest.TestCase):
    def test_another_address_without_users_is_refused_at_start(self):
        p = subprocess.run([harness.WARUNGMQ, "serve", "--bind", "0.0.0.0", "--port", "0"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "")
        self.assertEqual(
            p.stderr,
            "warungmq serve: --bind 0.0.0.0 without --users would let anyone on the network "
            "connect under any name and take any queue's orders; make a users file with "
            "`warungmq users add LOGIN --file users.txt` (once per login) and start with "
            "--users users.txt, or give --allow-anyone for an open classroom\n")

    def test_allow_anyone_opens_it_with_a_warning_on_every_start(self):
        for _ in range(2):
            with Server("--bind", "0.0.0.0", "--allow-anyone") as s:
                c, _ = connect(s)
                c.disconnect()
                self.assertIn("warungmq serve: warning: --allow-anyone: anyone who can reach "
                              "0.0.0.0 port %d may connect under any name" % s.port, s.stderr())


SCENE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "scene-grill.toml")
DOOR_REFUSED = (
    "--bind 0.0.0.0 without --users would let anyone on the network connect under any name and "
    "take any queue's orders; make a users file with `warungmq users add LOGIN --file "
    "users.txt` (once per login) and start with --users users.txt, or give --allow-anyone for "
    "an open classroom\n")


class Scene(Server):
    """`warungmq run SCENE --listen 0`: the simulator's STOMP door, stopped by SIGTERM (which
    ends the run early with its report: exit 0, or 1 when the grill, which has no cook, let an
    expectation fail)."""

    def command(self):
        return [harness.WARUNGMQ, "run", SCENE, "--listen", "0", "--until", "10m", "--report",
                "json", "--out", os.devnull] + self.args

    ok_exits = (0, 1)


class WhoMayListenOnTheScene(unittest.TestCase):
    """`warungmq run --listen` and `warungmq gui --listen` follow serve's rule."""

    def test_run_on_another_address_without_users_is_refused_at_start(self):
        p = subprocess.run([harness.WARUNGMQ, "run", SCENE, "--listen", "0", "--bind", "0.0.0.0"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (2, "", "warungmq run: " + DOOR_REFUSED))

    def test_run_with_allow_anyone_opens_it_with_a_warning(self):
        with Scene("--bind", "0.0.0.0", "--allow-anyone") as s:
            c, _ = connect(s)
            c.disconnect()
            self.assertIn("warungmq run: warning: --allow-anyone: anyone who can reach 0.0.0.0 "
                          "port %d may connect under any name" % s.port, s.stderr())

    def test_run_with_users_lets_in_only_its_logins(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "users.txt")
            self.assertEqual(users_add(path, "koki-1", "sambal")[0], 0)
            with open(path, "a") as f:
                f.write("allow koki-1 read /queue/grill\n")
            with Scene("--bind", "0.0.0.0", "--users", path) as s:
                with self.assertRaises(stomp.exception.ConnectFailedException):
                    connect(s, login="koki-1", passcode="salah")
                with self.assertRaises(stomp.exception.ConnectFailedException):
                    connect(s)
                c, rec = connect(s, login="koki-1", passcode="sambal")
                c.subscribe("/queue/grill", id="1", ack="client-individual")
                self.assertTrue(rec.wait(lambda: rec.messages, timeout=15))
                c.send("/queue/grill", "sate")
                self.assertTrue(rec.wait(lambda: rec.errors))
                self.assertEqual(rec.errors[0].headers["message"], "access refused")
                self.assertNotIn("warning", s.stderr())

    def test_run_users_and_allow_anyone_need_listen(self):
        for extra in (["--allow-anyone"], ["--users", SCENE]):
            p = subprocess.run([harness.WARUNGMQ, "run", SCENE] + extra, capture_output=True,
                               text=True, timeout=30)
            self.assertEqual(p.returncode, 2, extra)
            self.assertIn("--listen", p.stderr)

    def test_gui_on_another_address_without_users_is_refused_before_a_window(self):
        if subprocess.run([harness.WARUNGMQ, "gui", "--help"], capture_output=True).returncode:
            self.skipTest("built without the window")
        env = dict(os.environ)
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        p = subprocess.run([harness.WARUNGMQ, "gui", SCENE, "--listen", "0", "--bind", "0.0.0.0"],
                           capture_output=True, text=True, timeout=30, env=env)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (1, "", "warungmq gui: " + DOOR_REFUSED))


class Permissions(unittest.TestCase):
    """allow lines, one test per verb, with the ERROR python3-stomp sees."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.path = os.path.join(cls.dir.name, "users.txt")
        for login in ("kasir", "koki-1"):
            assert users_add(cls.path, login, "pw-" + login)[0] == 0
        with open(cls.path, "a") as f:
            f.write("allow kasir write /queue/grill\nallow koki-1 read /queue/grill\n")

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def refused(self, s, login, frame, verb, dest):
        raw = Raw(s)
        raw.send(connect_frame("login:%s\npasscode:pw-%s\n" % (login, login)))
        self.assertEqual(raw.read_frame()[0], "CONNECTED")
        raw.send(frame)
        cmd, headers, body = raw.read_frame()
        self.assertEqual((cmd, headers["message"]), ("ERROR", "access refused"))
        self.assertTrue(body.startswith(
            "Login \"%s\" may not %s \"%s\": the users file has no \"allow %s %s %s\" line.\n"
            % (login, verb, dest, login, verb, dest)), body)
        self.assertTrue(raw.at_eof())
        raw.close()

    def test_send_outside_the_allow_lines_is_refused(self):
        with Server("--users", self.path) as s:
            self.refused(s, "koki-1", "SEND\ndestination:/queue/grill\n\nsate\0", "write",
                         "/queue/grill")
            self.refused(s, "kasir", "SEND\ndestination:/queue/drinks\n\nes teh\0", "write",
                         "/queue/drinks")
            # python3-stomp sees the ERROR too, and its connection goes.
            c, rec = connect(s, login="koki-1", passcode="pw-koki-1")
            c.send("/queue/grill", "sate")
            self.assertTrue(rec.wait(lambda: rec.errors))
            self.assertEqual(rec.errors[0].headers["message"], "access refused")
            self.assertTrue(rec.wait(lambda: rec.disconnected))

    def test_subscribe_outside_the_allow_lines_is_refused(self):
        with Server("--users", self.path) as s:
            self.refused(s, "kasir", "SUBSCRIBE\nid:1\ndestination:/queue/grill\n\n\0", "read",
                         "/queue/grill")
            self.refused(s, "koki-1", "SUBSCRIBE\nid:1\ndestination:/queue/drinks\n\n\0",
                         "read", "/queue/drinks")

    def test_what_the_allow_lines_give_works(self):
        with Server("--users", self.path) as s:
            cook, rec = connect(s, login="koki-1", passcode="pw-koki-1")
            cook.subscribe("/queue/grill", id="1", ack="client-individual", receipt="sub")
            self.assertTrue(rec.wait_receipt("sub"))
            cashier, crec = connect(s, login="kasir", passcode="pw-kasir")
            cashier.send("/queue/grill", "sate", receipt="sent")
            self.assertTrue(crec.wait_receipt("sent"))
            self.assertTrue(rec.wait_messages(1))
            cook.ack(rec.messages[0].headers["ack"], receipt="acked")
            self.assertTrue(rec.wait_receipt("acked"))
            self.assertEqual(rec.errors + crec.errors, [])
            cook.disconnect()
            cashier.disconnect()


class Guessing(unittest.TestCase):
    def test_repeated_failures_from_one_address_are_answered_more_slowly(self):
        d = tempfile.TemporaryDirectory()
        path = os.path.join(d.name, "users.txt")
        self.assertEqual(users_add(path, "kasir", "rahasia")[0], 0)
        with Server("--users", path) as s:
            took = []
            for _ in range(5):
                raw = Raw(s, timeout=10)
                start = time.monotonic()
                raw.send(connect_frame("login:kasir\npasscode:tebak\n"))
                cmd, headers, _ = raw.read_frame(timeout=10)
                took.append(time.monotonic() - start)
                self.assertEqual((cmd, headers["message"]), ("ERROR", "login failed"))
                raw.close()
            # Three at full speed (a hash check each, slower on a loaded machine but never
            # held), then 0.25 s, then 0.5 s.
            self.assertTrue(all(t < took[3] for t in took[:3]), took)
            self.assertGreaterEqual(took[3], 0.25, took)
            self.assertGreaterEqual(took[4], 0.5, took)
            # Meanwhile the right passcode gets in without the 1 s a sixth failure would wait.
            start = time.monotonic()
            ok, _ = connect(s, login="kasir", passcode="rahasia")
            self.assertLess(time.monotonic() - start, 1.0)
            ok.disconnect()
        d.cleanup()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: trust_test.py PATH/TO/warungmq [unittest args]")
    harness.WARUNGMQ = sys.argv.pop(1)
    unittest.main(verbosity=2)
