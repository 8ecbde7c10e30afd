"""A python3-stomp cook for listen_test.sh: joins a `warungmq gui --listen`
scene as "koki-py", takes grill orders one at a time (client-individual,
prefetch 1), acks the first ACKS of them, then keeps the next one in hand and
stays connected until the scene closes the connection (the window quit),
which it must announce with ERROR "server shutting down".

    /usr/bin/python3 listen_cook.py PORT ACKS DONE_FILE

Writes "acked ORDER,ORDER,..." to DONE_FILE once it has acked ACKS orders.
Exit 0 when the scene closed the connection after that, with that ERROR; 1
when it never got ACKS orders in 15 s, the scene stayed open 30 s more, or
closed without saying why.
"""
import sys
import threading

import stomp


class Cook(stomp.ConnectionListener):
    def __init__(self, conn, acks, done_file):
        self.conn = conn
        self.acks = acks
        self.done_file = done_file
        self.acked = []
        self.enough = threading.Event()
        self.gone = threading.Event()
        self.errors = []

    def on_message(self, frame):
        if len(self.acked) >= self.acks:
            return  # the order stays in hand: the scene shows the cook holding it
        self.conn.ack(frame.headers["ack"])
        self.acked.append(frame.headers.get("order", "?"))
        if len(self.acked) == self.acks:
            with open(self.done_file, "w") as f:
                f.write("acked " + ",".join(self.acked) + "\n")
            self.enough.set()

    def on_error(self, frame):
        self.errors.append(frame.headers.get("message", "?"))

    def on_disconnected(self):
        self.gone.set()


def main():
    port, acks, done_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    conn = stomp.Connection12([("127.0.0.1", port)])
    cook = Cook(conn, acks, done_file)
    conn.set_listener("cook", cook)
    conn.connect("koki-py", "sambal", wait=True)
    conn.subscribe("/queue/grill", id="1", ack="client-individual",
                   headers={"prefetch-count": "1"})
    if not cook.enough.wait(15):
        print("FAIL: acked only %d orders in 15 s" % len(cook.acked))
        return 1
    print("acked orders", ",".join(cook.acked), flush=True)
    if not cook.gone.wait(30):
        print("FAIL: the scene did not close the connection")
        return 1
    if cook.errors != ["server shutting down"]:
        print("FAIL: the scene closed the connection with ERRORs %s, not one saying the server "
              "is shutting down" % cook.errors)
        return 1
    print("told: server shutting down", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
