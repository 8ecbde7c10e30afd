#!/usr/bin/python3
"""The page on other screens: a high-density laptop, the browser's zoom, a phone in landscape.

- At a device pixel ratio of 2 the canvas has twice the pixels each way and the whole UI is
  drawn twice as large (ui_scale 2): the menu bar, the windows' places, the smallest text, all
  about twice what the same moment measures at a ratio of 1 — the same layout, crisper.
- The browser's zoom changes the ratio while the page runs: the fonts are made again at the new
  size (ui_scale follows) and the frames go on.
- A phone in landscape (844x390 CSS pixels at a ratio of 3, touch): the warung and the story
  both stay on the screen, side by side, each large enough to read; a long press on a cook
  opens its failure menu.
Screenshots: dpr2.png (2560x1440) and phone.png (2532x1170) in WORKDIR.

Usage: layout_test.py BASE_URL WORKDIR
Exit: 0 passed; 1 failed (the reason on stderr); 77 no chromium.
"""
import base64
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import page as cdp  # noqa: E402

LESSON = "?scenario=03-a-cook-faints&at=1m45s&paused"



def moment(size, scale, mobile=False, shot=None, then=None):
    """The page's state at lesson 3, 1m45s on a screen of `size` CSS pixels at `scale`."""
    proc, page, profile = cdp.open_browser(size, scale=scale, mobile=mobile)
    try:
        page.call("Page.navigate", url=BASE + LESSON)
        state = page.wait(lambda s: s["frames"] >= 8, timeout=90)
        if state is None:
            raise RuntimeError("the page drew no frames at %dx%d, ratio %g" % (size + (scale,)))
        if shot:
            data = page.call("Page.captureScreenshot", format="png")["data"]
            with open(shot, "wb") as f:
                f.write(base64.b64decode(data))
            state = page.state()
        extra = then(page, state) if then else None
        return state, extra
    finally:
        cdp.close_browser(proc, profile)


def rect(state, anchor):
    return state["anchors"].get(anchor)


def near(a, b, ratio, slack=0.12):
    return abs(a - b * ratio) <= max(3, b * ratio * slack)


def zoom(page, state):
    """The browser's zoom to 150%: the ratio the page sees becomes 1.5."""
    page.call("Emulation.setDeviceMetricsOverride", width=1280, height=720,
              deviceScaleFactor=1.5, mobile=False)
    frames = state["frames"]
    after = page.wait(lambda s: s["ui_scale"] == 1.5 and s["frames"] > frames + 5, timeout=30)
    return after


def long_press_cook(page, state):
    ratio = state["ui_scale"]
    anchor = next((a for a in state["anchors"] if a.startswith("scene.cook.")), None)
    if anchor is None:
        return "no cook on the phone's scene"
    x, y = cdp.centre(state, anchor)
    page.touch(x / ratio, y / ratio, 0.8)  # touches are in CSS pixels, anchors in the canvas's
    if page.wait(lambda s: "popup.crash_cook" in s["anchors"], timeout=10) is None:
        return "a long press on %s opened no failure menu" % anchor
    return None


def main():
    global BASE
    BASE, work = sys.argv[1:3]
    if not os.access(cdp.CHROMIUM, os.X_OK):
        print("SKIP: %s is not installed" % cdp.CHROMIUM)
        return 77
    one, zoomed = moment((1280, 720), 1, then=zoom)
    two, _ = moment((1280, 720), 2, shot=os.path.join(work, "dpr2.png"))
    if two["window"] != {"width": 2560, "height": 1440} or two["ui_scale"] != 2:
        return cdp.fail("at a ratio of 2 the canvas is %s, ui_scale %s" % (two["window"],
                                                                          two["ui_scale"]))
    bad = []
    for anchor in ("menubar", "view.scene", "view.narration", "view.broker"):
        a, b = rect(two, anchor), rect(one, anchor)
        if a is None or b is None:
            bad.append("%s: missing (ratio 2: %s, ratio 1: %s)" % (anchor, a, b))
            continue
        if not all(near(a[k], b[k], 2) for k in ("x", "y", "w", "h")):
            bad.append("%s: %s at ratio 2, %s at ratio 1" % (anchor, a, b))
    small = (two["ui"]["min_text_px"], one["ui"]["min_text_px"])
    if small[0] < 1.8 * small[1]:
        bad.append("smallest text %.1f px at ratio 2, %.1f px at ratio 1" % small)
    if bad:
        return cdp.fail("the UI at a ratio of 2 is not the same layout twice as large: " +
                        "; ".join(bad))
    print("ratio 2: 2560x1440, menu bar %d px high (%d at 1), smallest text %.0f px (%.0f)" %
          (rect(two, "menubar")["h"], rect(one, "menubar")["h"], small[0], small[1]))
    if zoomed is None:
        return cdp.fail("after zooming to 150%% the page did not redraw at ui_scale 1.5")
    print("zoom 150%%: ui_scale %s, menu bar %d px high, frames going on" %
          (zoomed["ui_scale"], rect(zoomed, "menubar")["h"]))

    phone, problem = moment((844, 390), 3, mobile=True, shot=os.path.join(work, "phone.png"),
                            then=long_press_cook)
    w, h = phone["window"]["width"], phone["window"]["height"]
    if (w, h) != (2532, 1170):
        return cdp.fail("the phone's canvas is %dx%d, expected 2532x1170" % (w, h))
    scene, story = rect(phone, "view.scene"), rect(phone, "view.narration")
    if scene is None or story is None:
        return cdp.fail("on the phone the scene (%s) or the story (%s) is not shown" %
                        (scene, story))
    for name, r, min_w in (("scene", scene, 0.4), ("story", story, 0.2)):
        inside = r["x"] >= 0 and r["y"] >= 0 and r["x"] + r["w"] <= w + 1 and \
            r["y"] + r["h"] <= h + 1
        if not inside or r["w"] < min_w * w or r["h"] < 0.5 * h:
            return cdp.fail("on the phone the %s is at %s in a %dx%d canvas" % (name, r, w, h))
    overlap_w = min(scene["x"] + scene["w"], story["x"] + story["w"]) - max(scene["x"], story["x"])
    overlap_h = min(scene["y"] + scene["h"], story["y"] + story["h"]) - max(scene["y"], story["y"])
    if overlap_w > 4 and overlap_h > 4:
        return cdp.fail("on the phone the story (%s) covers the scene (%s)" % (story, scene))
    if phone["ui"]["min_text_px"] < 3 * 11:
        return cdp.fail("on the phone the smallest text is %.0f device pixels (%.0f CSS pixels)" %
                        (phone["ui"]["min_text_px"], phone["ui"]["min_text_px"] / 3))
    if problem:
        return cdp.fail("phone: " + problem)
    print("phone 844x390 at 3: scene %s, story %s, smallest text %.0f CSS px; "
          "a long press opens a cook's menu" % (scene, story, phone["ui"]["min_text_px"] / 3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
