#!/usr/bin/python3
"""Real input in the page: a mouse right-click on a cook and a click on Crash in its menu crash
it and its order is given to another cook; a long press (touch) on a cook opens the same menu
and a tap picks Crash; a finger dragged along the timeline travels in time; Ctrl+C copies to the page's clipboard; F2 switches to Bahasa Indonesia; F12 offers a screenshot as a download; a collapsed window stays
collapsed after a reload. Checked in the page's state report.

Usage: input_test.py BASE_URL   (the site served by tools/web --serve)
Exit: 0 passed; 1 failed (the reason on stderr); 77 no chromium.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import page as cdp  # noqa: E402


def cook(state, name):
    return next(k for k in state["sim"]["a"]["cooks"] if k["name"] == name)


def order(state, number):
    return next(o for o in state["sim"]["a"]["orders"] if o["number"] == number)



def crash_through_menu(page, name, press):
    """Opens `name`'s menu with press(x, y), then picks Crash the cook with a tap or click."""
    state = page.wait(lambda s: "scene.cook." + name in s["anchors"])
    if state is None:
        return "no anchor scene.cook." + name
    press(*cdp.centre(state, "scene.cook." + name), "menu")
    state = page.wait(lambda s: "popup.crash_cook" in s["anchors"], timeout=10)
    if state is None:
        return "the menu of %s did not open (no popup.crash_cook anchor)" % name
    # A popup settles its size and place over its first frames: aim at where it stays.
    time.sleep(0.3)
    r = page.state()["anchors"].get("popup.crash_cook")
    if r is None:
        return "the menu of %s closed by itself" % name
    press(r["x"] + 20, r["y"] + r["h"] // 2, "pick")
    if page.wait(lambda s: cook(s, name)["state"] == "crashed", timeout=10) is None:
        return "%s is not crashed after the menu's Crash" % name
    return None


def main():
    base = sys.argv[1]
    if not os.access(cdp.CHROMIUM, os.X_OK):
        print("SKIP: %s is not installed" % cdp.CHROMIUM)
        return 77
    proc, page, profile = cdp.open_browser((1280, 720))
    try:
        page.call("Page.navigate", url=base + "?scenario=03-a-cook-faints&at=1m45s&paused")
        state = page.wait(lambda s: s["frames"] >= 5, timeout=90)
        if state is None:
            return cdp.fail("the page drew no frames")
        held = cook(state, "grill-3")["held"]
        if held != [1]:
            return cdp.fail("grill-3 holds %s at 1m45s, expected [1]" % held)

        # The mouse: right button on grill-3, left on Crash.
        def mouse(x, y, what):
            page.click(x, y, "right" if what == "menu" else "left")
        problem = crash_through_menu(page, "grill-3", mouse)
        if problem:
            return cdp.fail("mouse: " + problem)
        state = page.wait(lambda s: any(1 in k["held"] for k in s["sim"]["a"]["cooks"]))
        if state is None:
            return cdp.fail("nobody holds order 1 again after grill-3 crashed")
        holder = [k["name"] for k in state["sim"]["a"]["cooks"] if 1 in k["held"]]
        steps = " ".join(str(step) for step in order(state, 1)["steps"])
        if holder != ["grill-2"] or "requeued" not in steps:
            return cdp.fail("order 1 after grill-3 crashed: held by %s, steps %s" % (holder, steps))
        print("mouse: grill-3 crashed, order 1 given again to %s" % holder[0])

        # A finger: a long press opens drinks-1's menu, a tap picks Crash.
        def finger(x, y, what):
            page.touch(x, y, 0.8 if what == "menu" else 0.1)
        problem = crash_through_menu(page, "drinks-1", finger)
        if problem:
            return cdp.fail("touch: " + problem)
        print("touch: a long press and a tap crashed drinks-1")

        # A finger dragged along the timeline travels in time: from a tenth of it to the middle
        # of lesson 3's ten minutes.
        r = page.state()["anchors"]["controls.timeline"]
        y = r["y"] + r["h"] // 2
        page.touch_drag(r["x"] + r["w"] * 0.1, y, r["x"] + r["w"] * 0.5, y)
        state = page.wait(lambda s: abs(s["sim"]["time_us"] - 300_000_000) <= 5_000_000,
                          timeout=20)
        if state is None:
            return cdp.fail("a drag along the timeline to its middle went to %s, expected 05:00" %
                            page.state()["sim"]["time"])
        print("touch: a drag along the timeline went to %s" % state["sim"]["time"])

        # The clipboard is the page's: type in the log's order filter, select all, copy.
        page.click(*cdp.centre(page.state(), "log.order"))
        time.sleep(0.3)
        page.type_text("42")
        page.ctrl("a")
        page.ctrl("c")
        copied = page.eval("Module.wmqClipboard")
        if copied != "42":
            return cdp.fail("Ctrl+C in the order filter put %r on the clipboard, expected '42'" %
                            copied)
        print("clipboard: Ctrl+C copied the filter's text")
        page.key("Escape", 27)  # leave the text field: ImGui keeps shortcuts from a typing user

        # F2: Bahasa Indonesia.
        page.key("F2", 113)
        if page.wait(lambda s: s["language"] == "id", timeout=10) is None:
            return cdp.fail("F2 did not switch the page to Bahasa Indonesia")
        print("F2: the page speaks Bahasa Indonesia")
        # F12: a screenshot, offered as a download (a PNG read back from WebGL).
        page.key("F12", 123)
        if page.wait(lambda s: len(s["screenshots"]) == 1, timeout=10) is None:
            return cdp.fail("F12 took no screenshot")
        downloads = page.eval("Module.wmqDownloads || []")
        png = [137, 80, 78, 71, 13, 10, 26, 10]
        if len(downloads) != 1 or not downloads[0]["name"].startswith("warungmq-") or \
                downloads[0]["head"] != png or downloads[0]["size"] < 20000:
            return cdp.fail("F12 offered %s, expected one warungmq-*.png download" % downloads)
        print("F12: %s offered as a download (%d bytes)" % (downloads[0]["name"],
                                                           downloads[0]["size"]))

        # The window layout survives a reload (localStorage, as imgui.ini on the desktop):
        # collapse the Inspector, wait for ImGui to save (every 5 s when changed), reload.
        r = page.state()["anchors"]["view.inspector"]
        page.click(r["x"] + 18, r["y"] + 12)  # the window's collapse arrow
        if page.wait(lambda s: s["anchors"]["view.inspector"]["h"] < 40, timeout=10) is None:
            return cdp.fail("the Inspector did not collapse")
        if page.wait(lambda s: page.eval(
                "window.localStorage.getItem('warungmq.imgui.ini') != null"), timeout=15) is None:
            return cdp.fail("no window layout in localStorage 15 s after a change")
        page.call("Page.reload")
        page.wait(lambda s: s["frames"] < 3, timeout=20)  # the new page's first frames
        state = page.wait(lambda s: s["frames"] >= 5, timeout=60)
        if state is None or state["anchors"]["view.inspector"]["h"] >= 40:
            return cdp.fail("after a reload the Inspector is open again: %s" %
                            (state and state["anchors"]["view.inspector"]))
        print("layout: the collapsed Inspector stays collapsed after a reload")
        print("commands: %s" % page.state()["commands"])
        return 0
    finally:
        cdp.close_browser(proc, profile)


if __name__ == "__main__":
    sys.exit(main())
