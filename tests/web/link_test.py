#!/usr/bin/python3
"""Links to a moment and the reader's preferences in the page, checked in its state report.

- index.html#<lesson 3 at 1m45s, paused> lands on the desktop's state for the same options
  (NATIVE_JSON: warungmq gui scenarios/03-a-cook-faints.toml --at 1m45s --paused --state-out);
- File > Copy a link (clicked with the mouse) puts the page's whole address and the fragment on
  the page's clipboard and shows it in the link window; that link opened in a fresh browser
  gives the same state;
- a broken link opens the sandbox with its sentence (link.problem, in a toast on the screen),
  as the desktop does for the same link (BROKEN_JSON: warungmq gui --link ... --state-out);
- the language (F2) and projector mode (F11) survive a reload.

Usage: link_test.py BASE_URL NATIVE_JSON BROKEN_JSON   (BASE_URL: the site's address, ending /)
Exit: 0 passed; 1 failed (the reason on stderr); 77 no chromium.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import page as cdp  # noqa: E402

LESSON_3 = "v1/03-a-cook-faints?t=1m45s&paused"
BROKEN = "v1/no-such-lesson"
BROKEN_SENTENCE = 'This link names a lesson WarungMQ does not have: "no-such-lesson".'
# The moment, as the state report says it (the scenario's path differs: left out of "sim").
SAME = ["sim", "seed", "language", "vocabulary", "projector", "missing_strings"]



def moment(state):
    sim = dict(state["sim"])
    sim.pop("file", None)
    return {k: (sim if k == "sim" else state.get(k)) for k in SAME}


def differences(got, want):
    a, b = moment(got), moment(want)
    return ["%s: page %s, expected %s" % (k, json.dumps(a[k])[:200], json.dumps(b[k])[:200])
            for k in SAME if a[k] != b[k]]


def opens_in_fresh_browser(link, copied):
    """Opens `link` in a browser of its own (another device's); the differences from the state
    `copied` it was copied at, or a sentence when it draws nothing."""
    proc, page, profile = cdp.open_browser((1280, 720))
    try:
        state = open_at(page, link)
        if state is None:
            return ["the link drew no frames in a fresh browser"], None
        return differences(state, copied), state
    finally:
        cdp.close_browser(proc, profile)


def open_at(page, url):
    page.call("Page.navigate", url=url)
    return page.wait(lambda s: s["frames"] >= 5, timeout=90)


def main():
    base, native_file, broken_file = sys.argv[1:4]
    if not os.access(cdp.CHROMIUM, os.X_OK):
        print("SKIP: %s is not installed" % cdp.CHROMIUM)
        return 77
    native = json.load(open(native_file))
    broken_native = json.load(open(broken_file))

    proc, page, profile = cdp.open_browser((1280, 720))
    try:
        # A link lands on the moment the desktop shows for the same options.
        state = open_at(page, base + "#" + LESSON_3)
        if state is None:
            return cdp.fail("the page at the link to lesson 3 drew no frames")
        bad = differences(state, native)
        if bad or state["scenario"] != "/scenarios/03-a-cook-faints.toml":
            return cdp.fail("the link to lesson 3 at 1m45s differs from the desktop (scenario %s): %s"
                            % (state["scenario"], "; ".join(bad)))
        print("link: index.html#%s lands on the desktop's state" % LESSON_3)

        # File > Copy a link, in Bahasa Indonesia (the link carries the language).
        page.key("F2", 113)
        if page.wait(lambda s: s["language"] == "id", timeout=10) is None:
            return cdp.fail("F2 did not switch the page to Bahasa Indonesia")
        page.click(*cdp.centre(page.state(), "menu.file"))
        state = page.wait(lambda s: "menu.copy_link" in s["anchors"], timeout=10)
        if state is None:
            return cdp.fail("File opened no menu with Copy a link")
        time.sleep(0.2)
        page.click(*cdp.centre(page.state(), "menu.copy_link"))
        copied = page.wait(lambda s: s["link"]["copied"] and "view.link" in s["anchors"],
                           timeout=10)
        if copied is None:
            return cdp.fail("Copy a link copied nothing or showed no link window: %s" %
                            page.state()["link"])
        clip = page.eval("Module.wmqClipboard")
        want = base + "#v1/03-a-cook-faints?seed=5&t=1m45s&paused&lang=id"
        if clip != want or copied["link"]["shown"] != clip:
            return cdp.fail("Copy a link: clipboard %r, window %r, expected %r" %
                            (clip, copied["link"]["shown"], want))
        print("copy: the clipboard and the link window hold %s" % clip)
    finally:
        cdp.close_browser(proc, profile)

    # The copied link in a fresh browser: the same moment; then a broken link.
    bad, _ = opens_in_fresh_browser(clip, copied)
    if bad:
        return cdp.fail("the copied link opens another state: %s" % "; ".join(bad))
    print("copy: the copied link opens the same state in a fresh browser")
    proc, page, profile = cdp.open_browser((1280, 720))
    try:
        state = open_at(page, base + "#" + BROKEN)
        if state is None:
            return cdp.fail("the page at a broken link drew no frames")
        problem = state["link"]["problem"]
        if problem != BROKEN_SENTENCE or problem != broken_native["link"]["problem"]:
            return cdp.fail("a broken link says %r (desktop %r), expected %r" %
                            (problem, broken_native["link"]["problem"], BROKEN_SENTENCE))
        # The sandbox, named by its file (the page's file system has it at /scenarios).
        if os.path.basename(state["scenario"]) != os.path.basename(broken_native["scenario"]) \
                or "toast" not in state["anchors"]:
            return cdp.fail("a broken link opened %r (desktop %r), toast anchor %s" %
                            (state["scenario"], broken_native["scenario"],
                             state["anchors"].get("toast")))
        print("broken: #%s opens the sandbox and says: %s" % (BROKEN, problem))
    finally:
        cdp.close_browser(proc, profile)

    # Preferences: F2 and F11 in a fresh browser, then a reload.
    proc, page, profile = cdp.open_browser((1280, 720))
    try:
        if open_at(page, base) is None:
            return cdp.fail("the sandbox drew no frames")
        page.key("F2", 113)
        page.key("F11", 122)
        if page.wait(lambda s: s["language"] == "id" and s["projector"], timeout=10) is None:
            return cdp.fail("F2 and F11 did not give Bahasa Indonesia in projector mode")
        page.call("Page.reload")
        page.wait(lambda s: s["frames"] < 3, timeout=20)  # the new page's first frames
        state = page.wait(lambda s: s["frames"] >= 5, timeout=60)
        if state is None or state["language"] != "id" or not state["projector"]:
            return cdp.fail("after a reload: language %s, projector %s; expected id, true" %
                            (state and state["language"], state and state["projector"]))
        print("preferences: Bahasa Indonesia and projector mode survive a reload")
        return 0
    finally:
        cdp.close_browser(proc, profile)


if __name__ == "__main__":
    sys.exit(main())
