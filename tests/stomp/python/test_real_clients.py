"""`warungmq serve` driven by a client nobody here wrote: Debian's python3-stomp.

    /usr/bin/python3 tests/stomp/python/test_real_clients.py PATH/TO/warungmq

Each test starts its own server on a free loopback port and stops it after.
Bad input that python3-stomp would never send goes through raw sockets.
"""

import os
import sys
import tempfile
import threading
import time
import unittest

import stomp

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Raw, Server, connect, connect_frame  # noqa: E402


def nothing_arrives(rec, seconds=0.3, already=0):
    """True when no more than `already` messages came within `seconds`."""
    time.sleep(seconds)
    return len(rec.messages) == already


class AckModes(unittest.TestCase):
    def test_auto_ack_settles_on_delivery(self):
        with Server() as s:
            pub, _ = connect(s)
            for i in range(5):
                pub.send("/queue/orders", "order %d" % i)
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="auto")
            self.assertTrue(rec.wait_messages(5))
            self.assertEqual([m.body for m in rec.messages], ["order %d" % i for i in range(5)])
            self.assertNotIn("ack", rec.messages[0].headers)
            cook.disconnect()
            # Nothing was left unacked: a new subscriber gets nothing.
            again, rec2 = connect(s)
            again.subscribe("/queue/orders", id="1", ack="client")
            self.assertTrue(nothing_arrives(rec2))
            again.disconnect()
            pub.disconnect()

    def test_client_ack_is_cumulative(self):
        with Server() as s:
            pub, _ = connect(s)
            for i in range(3):
                pub.send("/queue/orders", "order %d" % i)
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="client")
            self.assertTrue(rec.wait_messages(3))
            cook.ack(rec.messages[1].headers["ack"], receipt="acked")
            self.assertTrue(rec.wait_receipt("acked"))
            cook.disconnect()
            again, rec2 = connect(s)
            again.subscribe("/queue/orders", id="1", ack="client")
            self.assertTrue(rec2.wait_messages(1))
            self.assertTrue(nothing_arrives(rec2, 0.3, 1))
            self.assertEqual(rec2.messages[0].body, "order 2")
            self.assertEqual(rec2.messages[0].headers["redelivered"], "true")
            self.assertEqual(rec2.messages[0].headers["delivery-count"], "2")
            again.disconnect()
            pub.disconnect()

    def test_client_individual_ack_settles_one(self):
        with Server() as s:
            pub, _ = connect(s)
            for i in range(3):
                pub.send("/queue/orders", "order %d" % i)
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="client-individual")
            self.assertTrue(rec.wait_messages(3))
            cook.ack(rec.messages[1].headers["ack"], receipt="acked")
            self.assertTrue(rec.wait_receipt("acked"))
            cook.disconnect()
            again, rec2 = connect(s)
            again.subscribe("/queue/orders", id="1", ack="client-individual")
            self.assertTrue(rec2.wait_messages(2))
            self.assertEqual(sorted(m.body for m in rec2.messages), ["order 0", "order 2"])
            again.disconnect()
            pub.disconnect()

    def test_stomp_11_acks_with_message_id_and_subscription(self):
        with Server() as s:
            pub, _ = connect(s)
            pub.send("/queue/orders", "soto")
            cook, rec = connect(s, version="1.1")
            cook.subscribe("/queue/orders", id="s1", ack="client")
            self.assertTrue(rec.wait_messages(1))
            m = rec.messages[0]
            cook.ack(m.headers["message-id"], "s1", receipt="acked")
            self.assertTrue(rec.wait_receipt("acked"))
            cook.disconnect()
            again, rec2 = connect(s)
            again.subscribe("/queue/orders", id="1", ack="client")
            self.assertTrue(nothing_arrives(rec2))
            again.disconnect()
            pub.disconnect()

    def test_stomp_10_client(self):
        with Server() as s:
            conn, rec = connect(s, version="1.0")
            conn.subscribe("/queue/old", id="x", ack="auto")
            conn.send("/queue/old", "kopi tubruk")
            self.assertTrue(rec.wait_messages(1))
            self.assertEqual(rec.messages[0].body, "kopi tubruk")
            conn.disconnect()


class Prefetch(unittest.TestCase):
    def test_prefetch_count_bounds_unacked_messages(self):
        with Server() as s:
            pub, _ = connect(s)
            for i in range(5):
                pub.send("/queue/orders", "order %d" % i)
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="client-individual",
                           headers={"prefetch-count": "2"})
            self.assertTrue(rec.wait_messages(2))
            self.assertTrue(nothing_arrives(rec, 0.3, 2))
            cook.ack(rec.messages[0].headers["ack"])
            self.assertTrue(rec.wait_messages(3))
            self.assertTrue(nothing_arrives(rec, 0.3, 3))
            cook.disconnect()
            pub.disconnect()

    def test_two_cooks_share_a_queue_by_prefetch(self):
        with Server() as s:
            a, ra = connect(s)
            b, rb = connect(s)
            a.subscribe("/queue/grill", id="1", ack="client-individual",
                        headers={"prefetch-count": "1"})
            b.subscribe("/queue/grill", id="1", ack="client-individual",
                        headers={"prefetch-count": "1"})
            pub, _ = connect(s)
            for i in range(4):
                pub.send("/queue/grill", "sate %d" % i)
            self.assertTrue(ra.wait_messages(1) and rb.wait_messages(1))
            time.sleep(0.2)
            self.assertEqual(len(ra.messages) + len(rb.messages), 2)
            for c in (a, b, pub):
                c.disconnect()


class Receipts(unittest.TestCase):
    def test_persistent_send_is_receipted_and_survives_a_restart(self):
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "warung.db")
            with Server(data=data) as s:
                pub, rec = connect(s)
                for i in range(20):
                    pub.send("/queue/orders", "order %d" % i,
                             headers={"persistent": "true", "receipt": "r%d" % i})
                self.assertTrue(rec.wait(lambda: len(rec.receipts) == 20))
                self.assertEqual(rec.receipts, ["r%d" % i for i in range(20)])
                pub.disconnect()
                self.assertEqual(s.stop(), 0)
            with Server(data=data) as s:
                cook, rec = connect(s)
                cook.subscribe("/queue/orders", id="1", ack="client-individual")
                self.assertTrue(rec.wait_messages(20))
                self.assertEqual([m.body for m in rec.messages], ["order %d" % i for i in range(20)])
                self.assertEqual(rec.messages[0].headers["persistent"], "true")
                cook.disconnect()

    def test_every_frame_may_ask_for_a_receipt(self):
        with Server() as s:
            c, rec = connect(s)
            c.subscribe("/queue/q", id="1", ack="client", headers={"receipt": "sub"})
            c.begin("t1", headers={"receipt": "begin"})
            c.abort("t1", headers={"receipt": "abort"})
            c.unsubscribe("1", headers={"receipt": "unsub"})
            for r in ("sub", "begin", "abort", "unsub"):
                self.assertTrue(rec.wait_receipt(r), r)
            c.disconnect()


class Nack(unittest.TestCase):
    def test_nack_requeues_by_default(self):
        with Server() as s:
            pub, _ = connect(s)
            pub.send("/queue/orders", "rendang")
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="client-individual",
                           headers={"prefetch-count": "1"})
            self.assertTrue(rec.wait_messages(1))
            cook.nack(rec.messages[0].headers["ack"])
            self.assertTrue(rec.wait_messages(2))
            again = rec.messages[1]
            self.assertEqual(again.body, "rendang")
            self.assertEqual(again.headers["redelivered"], "true")
            self.assertEqual(again.headers["delivery-count"], "2")
            cook.disconnect()
            pub.disconnect()

    def test_nack_without_requeue_dead_letters(self):
        with Server() as s:
            dlq, rdl = connect(s)
            dlq.subscribe("/exchange/amq.direct/dead", id="d", ack="auto",
                          headers={"x-queue-name": "dead"})
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="client",
                           headers={"x-dead-letter-exchange": "amq.direct",
                                    "x-dead-letter-routing-key": "dead"})
            pub, _ = connect(s)
            pub.send("/queue/orders", "gosong")
            self.assertTrue(rec.wait_messages(1))
            cook.nack(rec.messages[0].headers["ack"], requeue="false")
            self.assertTrue(rdl.wait_messages(1))
            dead = rdl.messages[0]
            self.assertEqual(dead.body, "gosong")
            self.assertEqual(dead.headers["x-death-reason"], "rejected")
            self.assertEqual(dead.headers["x-death-queue"], "orders")
            for c in (dlq, cook, pub):
                c.disconnect()


class Transactions(unittest.TestCase):
    def test_commit_delivers_and_abort_discards(self):
        with Server() as s:
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="auto")
            pub, prec = connect(s)
            t = pub.begin()
            pub.send("/queue/orders", "a", transaction=t)
            pub.send("/queue/orders", "b", transaction=t)
            self.assertTrue(nothing_arrives(rec, 0.3))
            pub.commit(t, headers={"receipt": "committed"})
            self.assertTrue(prec.wait_receipt("committed"))
            self.assertTrue(rec.wait_messages(2))
            t2 = pub.begin()
            pub.send("/queue/orders", "c", transaction=t2)
            pub.abort(t2, headers={"receipt": "aborted"})
            self.assertTrue(prec.wait_receipt("aborted"))
            self.assertTrue(nothing_arrives(rec, 0.3, 2))
            self.assertEqual([m.body for m in rec.messages], ["a", "b"])
            cook.disconnect()
            pub.disconnect()

    def test_acks_in_a_transaction_apply_at_commit(self):
        with Server() as s:
            pub, _ = connect(s)
            pub.send("/queue/orders", "x")
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="client-individual")
            self.assertTrue(rec.wait_messages(1))
            t = cook.begin()
            cook.ack(rec.messages[0].headers["ack"], transaction=t)
            cook.abort(t, headers={"receipt": "aborted"})
            self.assertTrue(rec.wait_receipt("aborted"))
            cook.disconnect()
            again, rec2 = connect(s)  # the aborted ACK did not count
            again.subscribe("/queue/orders", id="1", ack="client-individual")
            self.assertTrue(rec2.wait_messages(1))
            t = again.begin()
            again.ack(rec2.messages[0].headers["ack"], transaction=t)
            again.commit(t, headers={"receipt": "committed"})
            self.assertTrue(rec2.wait_receipt("committed"))
            again.disconnect()
            last, rec3 = connect(s)
            last.subscribe("/queue/orders", id="1", ack="client")
            self.assertTrue(nothing_arrives(rec3))
            last.disconnect()
            pub.disconnect()


class Destinations(unittest.TestCase):
    def test_topic_copies_to_every_subscriber(self):
        with Server() as s:
            a, ra = connect(s)
            b, rb = connect(s)
            a.subscribe("/topic/menu.*", id="1")
            b.subscribe("/topic/menu.drinks", id="1", headers={"receipt": "sub"})
            self.assertTrue(rb.wait_receipt("sub"))
            pub, _ = connect(s)
            pub.send("/topic/menu.drinks", "es teh")
            pub.send("/topic/menu.food", "nasi")
            self.assertTrue(ra.wait_messages(2) and rb.wait_messages(1))
            self.assertEqual(rb.messages[0].headers["destination"], "/topic/menu.drinks")
            self.assertTrue(nothing_arrives(rb, 0.2, 1))
            for c in (a, b, pub):
                c.disconnect()

    def test_temp_queue_replies(self):
        with Server() as s:
            kitchen, rk = connect(s)
            kitchen.subscribe("/queue/questions", id="1")
            cashier, rc = connect(s)
            cashier.send("/queue/questions", "ready?", headers={"reply-to": "/temp-queue/answers"})
            self.assertTrue(rk.wait_messages(1))
            reply_to = rk.messages[0].headers["reply-to"]
            self.assertTrue(reply_to.startswith("/reply-queue/"))
            kitchen.send(reply_to, "ready!")
            self.assertTrue(rc.wait_messages(1))
            self.assertEqual(rc.messages[0].body, "ready!")
            self.assertEqual(rc.messages[0].headers["subscription"], "/temp-queue/answers")
            kitchen.disconnect()
            cashier.disconnect()

    def test_amq_queue_needs_an_existing_queue(self):
        with Server() as s:
            c, rec = connect(s)
            c.subscribe("/amq/queue/nope", id="1")
            self.assertTrue(rec.wait(lambda: rec.errors))
            self.assertEqual(rec.errors[0].headers["message"], "not found")


class HeartBeats(unittest.TestCase):
    def test_heart_beats_keep_a_quiet_connection_alive_both_ways(self):
        with Server() as s:
            # python3-stomp gives the server 1.5 intervals; 500 ms leaves slack
            # for a loaded CI machine.
            c, rec = connect(s, heartbeats=(500, 500))
            time.sleep(2.0)  # four intervals with no frames
            self.assertFalse(rec.disconnected)
            self.assertEqual(rec.errors, [])
            c.send("/queue/q", "still here", headers={"receipt": "r"})
            self.assertTrue(rec.wait_receipt("r"))
            c.disconnect()

    def test_a_client_silent_past_its_heart_beat_is_dropped_and_its_message_returns(self):
        with Server() as s:
            pub, _ = connect(s)
            pub.send("/queue/orders", "satay")
            silent = Raw(s)
            silent.send(connect_frame("heart-beat:200,0\n"))
            cmd, h, _ = silent.read_frame()
            self.assertEqual((cmd, h["heart-beat"]), ("CONNECTED", "0,200"))
            silent.send("SUBSCRIBE\nid:1\ndestination:/queue/orders\nack:client\n\n\0")
            cmd, h, body = silent.read_frame()
            self.assertEqual((cmd, body), ("MESSAGE", "satay"))
            started = time.monotonic()
            cmd, h, body = silent.read_frame(timeout=3.0)
            waited = time.monotonic() - started
            self.assertEqual(cmd, "ERROR")
            self.assertEqual(h["message"], "heart-beat timeout")
            self.assertIn("Nothing came from the client for 600 ms", body)
            # Dead after 3 x 200 ms; the upper bound only guards against never.
            self.assertTrue(0.5 <= waited <= 3.0, waited)
            self.assertTrue(silent.at_eof())
            silent.close()
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="client")
            self.assertTrue(rec.wait_messages(1))
            self.assertEqual(rec.messages[0].headers["redelivered"], "true")
            cook.disconnect()
            pub.disconnect()


class Shutdown(unittest.TestCase):
    def test_sigterm_tells_each_client_the_server_is_shutting_down(self):
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "warung.db")
            with Server(data=data) as s:
                cook, rec = connect(s, login="koki")
                cook.subscribe("/queue/orders", id="1", ack="client")
                pub, prec = connect(s)
                pub.send("/queue/orders", "satay", headers={"persistent": "true", "receipt": "r"})
                self.assertTrue(prec.wait_receipt("r"))
                self.assertTrue(rec.wait_messages(1))
                started = time.monotonic()
                self.assertEqual(s.stop(), 0)
                # python3-stomp hangs up after the ERROR: no waiting for the linger.
                self.assertLess(time.monotonic() - started, 1.5)
                for r in (rec, prec):
                    self.assertTrue(r.wait(lambda: len(r.errors) == 1))
                    self.assertEqual(r.errors[0].headers["message"], "server shutting down")
                err = s.stderr()
                self.assertNotIn("heart-beat", err)
                self.assertIn("stomp: shutting down: told 2 client(s)\n", err)
            with Server(data=data) as s:
                cook, rec = connect(s)
                cook.subscribe("/queue/orders", id="1", ack="client")
                self.assertTrue(rec.wait_messages(1))
                self.assertEqual(rec.messages[0].body, "satay")
                self.assertEqual(rec.messages[0].headers["redelivered"], "true")
                cook.disconnect()


class BadInput(unittest.TestCase):
    """Every kind of bad input: ERROR with a message header and a body quoting
    the input, then the server closes; a bystander connection carries on."""

    def refused(self, server, data, connect_first=True):
        bystander, brec = connect(server)
        raw = Raw(server)
        if connect_first:
            raw.send(connect_frame())
            self.assertEqual(raw.read_frame()[0], "CONNECTED")
        raw.send(data)
        frame = raw.read_frame()
        self.assertIsNotNone(frame, "no ERROR frame")
        cmd, headers, body = frame
        self.assertEqual(cmd, "ERROR")
        eof = raw.at_eof()
        raw.close()
        self.assertTrue(eof, "the server kept the connection open")
        bystander.send("/queue/bystander", "ok", headers={"receipt": "fine"})
        self.assertTrue(brec.wait_receipt("fine"), "the bystander was hurt")
        bystander.disconnect()
        return headers["message"], body

    def test_malformed_frame(self):
        with Server() as s:
            msg, body = self.refused(s, "SEND\ndestination:/queue/q\nno colon here\n\n\0")
            self.assertEqual(msg, "malformed frame")
            self.assertIn('bad header line "no colon here"', body)

    def test_unknown_command(self):
        with Server() as s:
            msg, body = self.refused(s, "PUBLISH\ndestination:/queue/q\n\n\0")
            self.assertEqual(msg, "malformed frame")
            self.assertIn('unknown command "PUBLISH"', body)

    def test_missing_destination(self):
        with Server() as s:
            msg, body = self.refused(s, "SEND\nreceipt:9\n\nhello\0")
            self.assertEqual(msg, "missing header")
            self.assertIn("The offending frame:\nSEND\nreceipt:9", body)

    def test_frame_over_the_size_limit(self):
        with Server("--max-frame", "2048") as s:
            msg, body = self.refused(s, "SEND\ndestination:/queue/q\n\n" + "x" * 4096 + "\0")
            self.assertEqual(msg, "malformed frame")
            self.assertIn("over max-frame-size (2048 bytes)", body)

    def test_content_length_over_the_size_limit(self):
        with Server("--max-frame", "2048") as s:
            msg, body = self.refused(s, "SEND\ndestination:/queue/q\ncontent-length:999999\n\n")
            self.assertIn('content-length "999999" over max-frame-size (2048 bytes)', body)

    def test_too_many_headers(self):
        with Server() as s:
            headers = "".join("h%d:v\n" % i for i in range(101))
            msg, body = self.refused(s, "SEND\ndestination:/queue/q\n" + headers + "\n\0")
            self.assertIn("over max-headers (100 header lines)", body)

    def test_header_too_long(self):
        with Server() as s:
            msg, body = self.refused(s, "SEND\ndestination:/queue/q\nnote:" + "x" * 9000 + "\n\n\0")
            self.assertIn("over max-header-line (8192 bytes)", body)
            self.assertIn('header line "note:xxxx', body)

    def test_bad_escape(self):
        with Server() as s:
            msg, body = self.refused(s, "SEND\ndestination:/queue/q\nnote:tab\\there\n\n\0")
            self.assertIn('undefined escape "\\\\t"', body)

    def test_frame_before_connect(self):
        with Server() as s:
            msg, body = self.refused(s, "SEND\ndestination:/queue/q\n\nx\0", connect_first=False)
            self.assertEqual(msg, "not connected")

    def test_bad_destination(self):
        with Server() as s:
            msg, body = self.refused(s, "SUBSCRIBE\nid:1\ndestination:orders\n\n\0")
            self.assertEqual(msg, "bad destination")
            self.assertIn('destination "orders": unknown kind', body)

    def test_one_connection_too_many(self):
        with Server("--max-connections", "2") as s:
            a, _ = connect(s)
            b, rb = connect(s)
            extra = Raw(s)
            cmd, headers, body = extra.read_frame()
            self.assertEqual((cmd, headers["message"]), ("ERROR", "too many connections"))
            self.assertIn("(--max-connections)", body)
            self.assertTrue(extra.at_eof())
            extra.close()
            b.send("/queue/q", "x", headers={"receipt": "ok"})
            self.assertTrue(rb.wait_receipt("ok"))
            a.disconnect()
            b.disconnect()

    def test_login_needs_the_users_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".users") as users:
            users.write("# staff\nuser kasir rahasia\n")
            users.flush()
            with Server("--users", users.name) as s:
                ok, rec = connect(s, login="kasir", passcode="rahasia")
                ok.disconnect()
                with self.assertRaises(stomp.exception.ConnectFailedException):
                    connect(s, login="kasir", passcode="salah")
                raw = Raw(s)
                raw.send(connect_frame("login:kasir\npasscode:salah\n"))
                cmd, headers, body = raw.read_frame()
                self.assertEqual((cmd, headers["message"]), ("ERROR", "login failed"))
                self.assertIn("passcode:********", body)
                self.assertNotIn("salah", body)
                self.assertTrue(raw.at_eof())
                raw.close()


class WhatRabbitMQUsersExpect(unittest.TestCase):
    """Behaviour a program written against RabbitMQ relies on (issue 14)."""

    def test_auto_ack_message_never_comes_back_after_unsubscribe_or_disconnect(self):
        # python3-stomp's command-line client writes these in one go.
        for ending in ("UNSUBSCRIBE\nid:1\nreceipt:u\n\n\0", "DISCONNECT\nreceipt:u\n\n\0"):
            with Server() as s:
                raw = Raw(s)
                raw.send(connect_frame() +
                         "SUBSCRIBE\ndestination:/queue/p3\nid:1\nack:auto\n\n\0"
                         "SEND\ndestination:/queue/p3\n\nsate\0" + ending)
                self.assertEqual(raw.read_frame()[0], "CONNECTED")
                cmd, headers, body = raw.read_frame()
                self.assertEqual((cmd, body, headers["delivery-count"]), ("MESSAGE", "sate", "1"))
                cmd, headers, _ = raw.read_frame()
                self.assertEqual((cmd, headers["receipt-id"]), ("RECEIPT", "u"))
                raw.close()
                later, rec = connect(s)
                later.subscribe("/queue/p3", id="1", ack="client")
                self.assertTrue(nothing_arrives(rec))
                later.disconnect()

    def test_python_booleans_in_headers(self):
        with Server() as s:
            pub, _ = connect(s)
            pub.send("/queue/orders", "a", persistent=True, durable=False)
            pub.send("/queue/orders", "b")
            cook, rec = connect(s)
            cook.subscribe("/queue/orders", id="1", ack="client-individual")
            self.assertTrue(rec.wait_messages(2))
            self.assertEqual(rec.messages[0].headers.get("persistent"), "true")
            cook.nack(rec.messages[0].headers["ack"], requeue=False)
            cook.nack(rec.messages[1].headers["ack"], requeue=True, receipt="n")
            self.assertTrue(rec.wait_receipt("n"))
            self.assertEqual(rec.errors, [])
            self.assertTrue(rec.wait_messages(3))
            self.assertTrue(nothing_arrives(rec, 0.3, 3))
            self.assertEqual(rec.messages[2].body, "b")  # "a" was dropped, not requeued
            cook.disconnect()
            pub.disconnect()

    def test_durable_topic_subscription_with_python_booleans(self):
        with Server() as s:
            a, _ = connect(s, connect_headers={"client-id": "dapur"})
            a.subscribe("/topic/menu", id="news", ack="client", headers={"durable": True})
            a.disconnect()
            pub, _ = connect(s)
            pub.send("/topic/menu", "es teh", headers={"receipt": "sent"})
            again, rec = connect(s, connect_headers={"client-id": "dapur"})
            again.subscribe("/topic/menu", id="news", ack="client", headers={"durable": True})
            self.assertTrue(rec.wait_messages(1))
            self.assertEqual(rec.messages[0].body, "es teh")
            again.disconnect()
            pub.disconnect()

    def test_message_keeps_the_exchange_destination(self):
        with Server() as s:
            cook, rec = connect(s)
            cook.subscribe("/exchange/amq.fanout", id="1", receipt="s")
            self.assertTrue(rec.wait_receipt("s"))
            pub, _ = connect(s)
            pub.send("/exchange/amq.fanout", "semua")
            self.assertTrue(rec.wait_messages(1))
            self.assertEqual(rec.messages[0].headers["destination"], "/exchange/amq.fanout")
            cook.disconnect()
            pub.disconnect()

    def test_receipts_of_sends_in_a_transaction_come_at_commit(self):
        with Server() as s:
            pub, prec = connect(s)
            t = pub.begin()
            pub.send("/queue/orders", "a", transaction=t, headers={"receipt": "ra"})
            pub.send("/queue/other", "x", headers={"receipt": "later"})
            self.assertTrue(prec.wait_receipt("later"))
            self.assertNotIn("ra", prec.receipts)
            pub.commit(t, headers={"receipt": "c"})
            self.assertTrue(prec.wait_receipt("c"))
            self.assertEqual(prec.receipts, ["later", "ra", "c"])
            pub.disconnect()

    def test_subscribe_receipt_comes_before_waiting_messages(self):
        with Server() as s:
            pub, _ = connect(s)
            pub.send("/queue/orders", "1")
            pub.send("/queue/orders", "2", headers={"receipt": "sent"})
            raw = Raw(s)
            raw.send(connect_frame() +
                     "SUBSCRIBE\ndestination:/queue/orders\nid:1\nack:client\nreceipt:r\n\n\0")
            self.assertEqual(raw.read_frame()[0], "CONNECTED")
            got = [raw.read_frame() for _ in range(3)]
            self.assertEqual([(f[0], f[2]) for f in got],
                             [("RECEIPT", ""), ("MESSAGE", "1"), ("MESSAGE", "2")])
            raw.close()
            pub.disconnect()

    def test_a_16_mib_body_goes_through_by_default(self):
        with Server() as s:
            body = "x" * (16 << 20)
            cook, rec = connect(s)
            cook.subscribe("/queue/big", id="1", receipt="s")
            self.assertTrue(rec.wait_receipt("s"))
            pub, prec = connect(s)
            pub.send("/queue/big", body, headers={"receipt": "big"})
            self.assertTrue(prec.wait_receipt("big", 20))
            self.assertTrue(rec.wait_messages(1, 20))
            self.assertEqual(len(rec.messages[0].body), len(body))
            self.assertEqual(prec.errors, [])
            cook.disconnect()
            pub.disconnect()


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class FlowControl(unittest.TestCase):
    def test_publishers_flooding_a_queue_wait_and_lose_nothing(self):
        limit = 16 << 20
        publishers, each, size = 8, 1500, 4096  # 48 MiB sent: three times the limit
        with Server("--max-memory", str(limit)) as s:
            base = rss_bytes(s.proc.pid)
            sent = {}
            recs = []

            def publish(p):
                conn, rec = connect(s)
                recs.append(rec)
                for i in range(each):
                    body = "%d-%d " % (p, i) + "x" * size
                    conn.send("/queue/flood", body, headers={"receipt": "%d-%d" % (p, i)})
                sent[p] = conn

            threads = [threading.Thread(target=publish, args=(p,), daemon=True)
                       for p in range(publishers)]
            for t in threads:
                t.start()
            # The flood stops at the limit: receipts stop coming, RSS stops growing.
            peak, last, quiet_since = 0, -1, time.monotonic()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and time.monotonic() - quiet_since < 1.0:
                time.sleep(0.05)
                peak = max(peak, rss_bytes(s.proc.pid))
                n = sum(len(r.receipts) for r in recs)
                if n != last:
                    last, quiet_since = n, time.monotonic()
            held_back = publishers * each - last
            self.assertGreater(held_back, 0)
            self.assertLess(peak - base, 2 * limit)
            self.assertIn("stomp: memory alarm: messages hold", s.stderr())
            # A bystander that does not publish is answered at once.
            by, brec = connect(s)
            t0 = time.monotonic()
            by.subscribe("/queue/other", id="1", receipt="s")
            self.assertTrue(brec.wait_receipt("s"))
            round_trip_ms = (time.monotonic() - t0) * 1000
            print("\n  flood: %d of %d held back, RSS +%.1f MiB (limit %d MiB), bystander "
                  "round trip %.1f ms" % (held_back, publishers * each, (peak - base) / 2**20,
                                          limit >> 20, round_trip_ms), file=sys.stderr)
            self.assertLess(round_trip_ms, 1000)
            # A consumer drains: the publishers go on, every message arrives once.
            cook, rec = connect(s)
            cook.subscribe("/queue/flood", id="1", ack="auto")
            self.assertTrue(rec.wait_messages(publishers * each, 120))
            for t in threads:
                t.join(30)
            for r in recs:
                self.assertTrue(r.wait(lambda r=r: len(r.receipts) == each, 30))
            bodies = sorted(m.body.split(" ")[0] for m in rec.messages)
            expected = sorted("%d-%d" % (p, i) for p in range(publishers) for i in range(each))
            self.assertEqual(bodies, expected)
            self.assertIn("stomp: memory alarm over", s.stderr())
            for c in list(sent.values()) + [by, cook]:
                c.disconnect()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_real_clients.py PATH/TO/warungmq [unittest args]")
    harness.WARUNGMQ = sys.argv.pop(1)
    unittest.main(verbosity=2)
