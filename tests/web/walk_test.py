#!/usr/bin/python3
"""A teacher's walk through the page, as the browser issue's "done when" says it, at the address
`tools/web --serve --bind 0.0.0.0` printed (the machine's own network address, not loopback):
open the page, pick lesson 7 in File > Open, crash the broker with a click, pause, switch to
Bahasa Indonesia (F2), copy a link to the moment (File > Copy a link), and open that link in a
fresh browser (another device's): the same moment, the broker still down, in Bahasa Indonesia.

Usage: walk_test.py URL   (the address the server printed)
Exit: 0 passed; 1 failed (the reason on stderr); 77 no chromium.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import page as cdp  # noqa: E402
from link_test import open_at, opens_in_fresh_browser  # noqa: E402




def scroll_to(page, anchor, window):
    """Turns the mouse wheel over `window` until `anchor` is wholly inside it, as a reader
    scrolls a list; False when it never comes into view."""
    for _ in range(30):
        state = page.wait(lambda s: anchor in s["anchors"] and window in s["anchors"], timeout=10)
        if state is None:
            return False
        a, w = state["anchors"][anchor], state["anchors"][window]
        if a["y"] >= w["y"] + 30 and a["y"] + a["h"] <= w["y"] + w["h"]:
            return True
        x, y = w["x"] + w["w"] // 2, w["y"] + w["h"] // 2
        down = a["y"] + a["h"] > w["y"] + w["h"]
        page.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)  # ImGui scrolls
        time.sleep(0.1)                                                      # what is hovered
        page.call("Input.dispatchMouseEvent", type="mouseWheel", x=x, y=y, deltaX=0,
                  deltaY=120 if down else -120)
        time.sleep(0.3)
    return False


def main():
    url = sys.argv[1]
    if not os.access(cdp.CHROMIUM, os.X_OK):
        print("SKIP: %s is not installed" % cdp.CHROMIUM)
        return 77
    proc, page, profile = cdp.open_browser((1280, 720))
    try:
        if open_at(page, url) is None:
            return cdp.fail("%s drew no frames" % url)
        page.ctrl("o")
        if not scroll_to(page, "picker.persistence", "view.scenarios") or \
                not page.click_anchor("picker.persistence"):
            return cdp.fail("File > Open does not list lesson 7")
        state = page.wait(lambda s: s["sim"]["file"].endswith("07-persistence.toml"), timeout=30)
        if state is None:
            return cdp.fail("lesson 7 did not open: %s" % page.state()["sim"]["file"])
        # The lesson waits at its first words for the teacher: Play, and the lunch service runs.
        if not page.click_anchor("controls.play"):
            return cdp.fail("no Play button")
        if page.wait(lambda s: s["sim"]["time_us"] > 20_000_000, timeout=60) is None:
            return cdp.fail("lesson 7 did not play: at %s" % page.state()["sim"]["time"])
        if not page.click_anchor("controls.crash_broker"):
            return cdp.fail("no Crash the broker button")
        if page.wait(lambda s: s["sim"]["a"]["broker_down"], timeout=10) is None:
            return cdp.fail("the broker is not down after its button was clicked")
        page.key("Space", 32)  # pause, so the link names a still moment
        if page.wait(lambda s: not s["sim"]["playing"], timeout=10) is None:
            return cdp.fail("Space did not pause")
        page.key("F2", 113)
        if page.wait(lambda s: s["language"] == "id", timeout=10) is None:
            return cdp.fail("F2 did not switch to Bahasa Indonesia")
        if not page.click_anchor("menu.file") or not page.click_anchor("menu.copy_link"):
            return cdp.fail("no File > Copy a link")
        copied = page.wait(lambda s: s["link"]["copied"], timeout=10)
        if copied is None:
            return cdp.fail("Copy a link copied nothing: %s" % page.state()["link"])
        link = page.eval("Module.wmqClipboard")
        print("teacher: lesson 7, broker crashed at %s, paused, Bahasa Indonesia; link %s" %
              (copied["sim"]["time"], link))
    finally:
        cdp.close_browser(proc, profile)

    bad, state = opens_in_fresh_browser(link, copied)
    if bad or not state["sim"]["a"]["broker_down"]:
        return cdp.fail("the link opens another moment: %s" % "; ".join(bad))
    print("student: the link opens the same moment, broker down, in Bahasa Indonesia")
    return 0


if __name__ == "__main__":
    sys.exit(main())
