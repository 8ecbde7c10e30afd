#!/usr/bin/python3
"""Opens a page in Debian's headless chromium and reports what the WarungMQ page shows.

Drives chromium over the DevTools protocol (python3-websocket): loads URL, waits until the
program has drawn --frames frames (Module.wmqState()["frames"]), then writes the page's state
report (what `warungmq gui --state-out` writes) and a screenshot (Page.captureScreenshot, PNG).
Prints one JSON line: {"first_frame_ms": navigation to the first drawn frame}.

With --expect-error TEXT the page must instead fail to start and say so on its status line,
with TEXT in the sentence (a bad option, no WebGL2); --chromium-flag adds a flag to chromium's
command line (e.g. --disable-webgl).

Usage: page.py URL [--state FILE] [--screenshot FILE] [--frames N] [--size WxH] [--timeout S]
               [--expect-error TEXT] [--chromium-flag FLAG]...
Exit: 0 done; 1 the page failed (its status line and console errors on stderr); 77 no chromium.
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

CHROMIUM = "/usr/bin/chromium"


def launch(size, profile, extra_flags=()):
    w, h = size
    args = [
        CHROMIUM, "--headless=new", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
        "--no-sandbox", "--disable-gpu-sandbox", "--no-first-run",
        # A closed network: no update checks, no component downloads, no sync.
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--remote-debugging-port=0",
        "--window-size=%d,%d" % (w, h), "--force-device-scale-factor=1",
    ] + list(extra_flags) + ["about:blank"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if lines:
                return proc, int(lines[0])
        if proc.poll() is not None:
            raise RuntimeError("chromium exited with %d before it listened" % proc.returncode)
        time.sleep(0.1)
    raise RuntimeError("chromium did not open its DevTools port")


class Page:
    def __init__(self, port):
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60,
                                              suppress_origin=True)
        self.next_id = 0
        self.console = []
        self.events = []  # every other event received, oldest first (see wait_event)

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = self._receive()
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg["result"]

    def _receive(self):
        msg = json.loads(self.ws.recv())
        method = msg.get("method")
        if method == "Runtime.consoleAPICalled":
            self.console.append(" ".join(str(a.get("value", "")) for a in msg["params"]["args"]))
        elif method is not None:
            self.events.append(msg)
        return msg

    def wait_event(self, method, timeout=30):
        """The params of the first `method` event not yet taken, or None after timeout seconds."""
        end = time.monotonic() + timeout
        while True:
            for i, msg in enumerate(self.events):
                if msg["method"] == method:
                    del self.events[i]
                    return msg["params"]
            left = end - time.monotonic()
            if left <= 0:
                return None
            self.ws.settimeout(left)
            try:
                self._receive()
            except websocket.WebSocketTimeoutException:
                return None
            finally:
                self.ws.settimeout(60)

    def eval(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            return None
        return r["result"].get("value")

    def state(self):
        text = self.eval("Module.wmqRunning ? JSON.stringify(Module.wmqState()) : null")
        return json.loads(text) if text else None

    def wait(self, predicate, timeout=30):
        """The first state for which predicate(state) holds, or None after timeout seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.state()
            if s is not None and predicate(s):
                return s
            time.sleep(0.05)
        return None

    def click(self, x, y, button="left"):
        """A real mouse click through chromium's input pipeline: move, press, release."""
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        time.sleep(0.1)
        self.call("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button=button,
                  clickCount=1)
        time.sleep(0.1)
        self.call("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button=button,
                  clickCount=1)

    def click_anchor(self, anchor, timeout=10):
        """Clicks the middle of `anchor` once it is drawn; False when it never is."""
        if self.wait(lambda s: anchor in s["anchors"], timeout=timeout) is None:
            return False
        time.sleep(0.3)  # a menu or window that just opened settles over its first frames
        self.click(*centre(self.state(), anchor))
        return True

    def key(self, name, virtual_code):
        """Presses and releases a key, held over several frames: ImGui 1.86 samples the keys
        once a frame, so a press and release inside one frame would be missed."""
        self.call("Input.dispatchKeyEvent", type="rawKeyDown", key=name, code=name,
                  windowsVirtualKeyCode=virtual_code)
        time.sleep(0.2)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=name, code=name,
                  windowsVirtualKeyCode=virtual_code)

    def type_text(self, text):
        """Types plain characters (digits and letters) one key at a time."""
        for ch in text:
            code = ("Digit" if ch.isdigit() else "Key") + ch.upper()
            self.call("Input.dispatchKeyEvent", type="keyDown", key=ch, text=ch, code=code,
                      windowsVirtualKeyCode=ord(ch.upper()))
            time.sleep(0.1)
            self.call("Input.dispatchKeyEvent", type="keyUp", key=ch, code=code,
                      windowsVirtualKeyCode=ord(ch.upper()))
            time.sleep(0.1)

    def ctrl(self, letter):
        """Ctrl+letter, held over several frames."""
        code, vk = "Key" + letter.upper(), ord(letter.upper())
        self.call("Input.dispatchKeyEvent", type="rawKeyDown", key="Control", code="ControlLeft",
                  windowsVirtualKeyCode=17, modifiers=2)
        self.call("Input.dispatchKeyEvent", type="rawKeyDown", key=letter, code=code,
                  windowsVirtualKeyCode=vk, modifiers=2)
        time.sleep(0.2)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=letter, code=code,
                  windowsVirtualKeyCode=vk, modifiers=2)
        self.call("Input.dispatchKeyEvent", type="keyUp", key="Control", code="ControlLeft",
                  windowsVirtualKeyCode=17)
        time.sleep(0.2)

    def touch_drag(self, x0, y0, x1, y1, steps=10):
        """A finger put down at x0,y0, moved to x1,y1 over `steps` frames, lifted."""
        self.call("Input.dispatchTouchEvent", type="touchStart", touchPoints=[{"x": x0, "y": y0}])
        time.sleep(0.1)
        for i in range(1, steps + 1):
            x, y = x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps
            self.call("Input.dispatchTouchEvent", type="touchMove", touchPoints=[{"x": x, "y": y}])
            time.sleep(0.05)
        time.sleep(0.2)
        self.call("Input.dispatchTouchEvent", type="touchEnd", touchPoints=[])

    def touch(self, x, y, hold_s):
        """A finger on the screen at x,y for hold_s seconds."""
        self.call("Input.dispatchTouchEvent", type="touchStart", touchPoints=[{"x": x, "y": y}])
        time.sleep(hold_s)
        self.call("Input.dispatchTouchEvent", type="touchEnd", touchPoints=[])


def fail(message):
    """A test's failure: its reason on stderr, and the exit code 1."""
    sys.stderr.write("FAIL: %s\n" % message)
    return 1


def centre(state, anchor):
    r = state["anchors"][anchor]
    return r["x"] + r["w"] // 2, r["y"] + r["h"] // 2


def open_browser(size, extra_flags=(), scale=1, mobile=False):
    """Starts chromium; returns (process, Page, profile dir). close_browser ends it. `scale` is
    the device pixel ratio (2: a high-density laptop, 3: a phone); `mobile` a phone's browser,
    with touch."""
    profile = tempfile.mkdtemp(prefix="wmq-chromium-")
    proc, port = launch(size, profile, extra_flags)
    page = Page(port)
    page.call("Runtime.enable")
    page.call("Page.enable")
    # The viewport exactly `size` at one pixel per CSS pixel (the window has browser chrome).
    page.call("Emulation.setDeviceMetricsOverride", width=size[0], height=size[1],
              deviceScaleFactor=scale, mobile=mobile)
    if mobile:
        page.call("Emulation.setTouchEmulationEnabled", enabled=True, maxTouchPoints=5)
    return proc, page, profile


def close_browser(proc, profile):
    if proc is not None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    shutil.rmtree(profile, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--state")
    ap.add_argument("--screenshot")
    ap.add_argument("--frames", type=int, default=5)
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--timeout", type=float, default=90)
    ap.add_argument("--expect-error")
    ap.add_argument("--chromium-flag", action="append", default=[])
    a = ap.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        print("SKIP: %s is not installed (apt-get install chromium)" % CHROMIUM)
        return 77
    size = tuple(int(v) for v in a.size.split("x"))
    proc, page, profile = open_browser(size, a.chromium_flag)
    try:
        start = time.monotonic()
        page.call("Page.navigate", url=a.url)
        first_frame_ms = None
        state = None
        while time.monotonic() - start < a.timeout:
            frames = page.eval("Module.wmqRunning ? Module.wmqState().frames : -1")
            if frames is not None and frames >= 1 and first_frame_ms is None:
                first_frame_ms = (time.monotonic() - start) * 1000
            if frames is not None and frames >= a.frames:
                state = page.eval("JSON.stringify(Module.wmqState())")
                break
            status = page.eval("document.getElementById('status').className === 'error' ? "
                               "document.getElementById('status').textContent : ''")
            if status:
                if a.expect_error is not None:
                    if a.expect_error in status:
                        print(json.dumps({"error": status}))
                        return 0
                    sys.stderr.write("expected an error with \"%s\"\n" % a.expect_error)
                sys.stderr.write("the page says: %s\n" % status)
                return 1
            time.sleep(0.05)
        if a.expect_error is not None:
            sys.stderr.write("the page started, expected it to fail with \"%s\"\n" %
                             a.expect_error)
            return 1
        if state is None:
            sys.stderr.write("the page drew no %d frames in %.0f s\n" % (a.frames, a.timeout))
            for line in page.console[-20:]:
                sys.stderr.write("console: %s\n" % line)
            return 1
        if a.screenshot:
            shot = page.call("Page.captureScreenshot", format="png")
            with open(a.screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            # The state that goes with the picture: its anchors are the frame just shown.
            state = page.eval("JSON.stringify(Module.wmqState())")
        if a.state:
            with open(a.state, "w") as f:
                f.write(json.dumps(json.loads(state), indent=2) + "\n")
        print(json.dumps({"first_frame_ms": round(first_frame_ms or 0, 1)}))
        return 0
    finally:
        close_browser(proc, profile)


if __name__ == "__main__":
    sys.exit(main())
