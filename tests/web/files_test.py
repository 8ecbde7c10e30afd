#!/usr/bin/python3
"""Files in the page: what the class did leaves as downloads, and the reader's own files open.

- Lesson 3 at 1m45s, paused; grill-3 crashed through its menu (a real right-click and click);
  File > Save as scenario (Ctrl+S) and its Save button give a .toml download, its Export button
  a Markdown download: the browser's real downloads, into a folder of the test's;
- that scenario, replayed natively (`warungmq run FILE --until <the page's time> --report md`),
  gives the report the page exported, word for word (but for the path it read the scenario
  from);
- File > Open's "Open a file from this computer" opens the browser's file picker (with a real
  click: pages may open pickers only then); the downloaded scenario picked there opens in the
  page, and a file with a mistake shows its `file:line: sentence` in a toast.

Usage: files_test.py BASE_URL WARUNGMQ WORKDIR
Exit: 0 passed; 1 failed (the reason on stderr); 77 no chromium.
"""
import glob
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import page as cdp  # noqa: E402
from input_test import crash_through_menu  # noqa: E402



def downloaded(folder, pattern, timeout=20):
    """The one finished download matching pattern in folder, or None."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [f for f in glob.glob(os.path.join(folder, pattern))
                if not f.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.2)
    return None



def pick_file(page, path):
    """Clicks File > Open's picker button and answers the browser's file chooser with path."""
    page.ctrl("o")
    if not page.click_anchor("picker.from_computer"):
        return "File > Open has no 'Open a file from this computer' button"
    chooser = page.wait_event("Page.fileChooserOpened", timeout=10)
    if chooser is None:
        return "the button did not open the browser's file picker"
    page.call("DOM.setFileInputFiles", files=[path], backendNodeId=chooser["backendNodeId"])
    return None


def without_file(report):
    """The report without the scenario file's path, which names where each run read it."""
    return re.sub(r"^(Scenario `[^`]*`) \(`[^`]*`\)", r"\1 (FILE)", report, count=1, flags=re.M)


def main():
    base, app, work = sys.argv[1:4]
    if not os.access(cdp.CHROMIUM, os.X_OK):
        print("SKIP: %s is not installed" % cdp.CHROMIUM)
        return 77
    folder = os.path.join(work, "downloads")
    os.makedirs(folder, exist_ok=True)
    for f in glob.glob(os.path.join(folder, "*")):
        os.remove(f)
    proc, page, profile = cdp.open_browser((1280, 720))
    try:
        page.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=folder)
        page.call("Page.setInterceptFileChooserDialog", enabled=True)
        page.call("Page.navigate", url=base + "?scenario=03-a-cook-faints&at=1m45s&paused")
        if page.wait(lambda s: s["frames"] >= 5, timeout=90) is None:
            return cdp.fail("the page drew no frames")

        def mouse(x, y, what):
            page.click(x, y, "right" if what == "menu" else "left")
        problem = crash_through_menu(page, "grill-3", mouse)
        if problem:
            return cdp.fail(problem)

        # Save as scenario and Export the report: downloads, each under its file name.
        page.ctrl("s")
        if not page.click_anchor("files.save"):
            return cdp.fail("Ctrl+S opened no Save button")
        scenario = downloaded(folder, "*.toml")
        if scenario is None:
            return cdp.fail("Save as scenario gave no .toml download in %s: %s" %
                            (folder, os.listdir(folder)))
        if not page.click_anchor("files.export"):
            return cdp.fail("no Export button")
        report = downloaded(folder, "*-report.md")
        if report is None:
            return cdp.fail("Export the report gave no .md download: %s" % os.listdir(folder))
        state = page.state()
        toasts = " | ".join(state["toasts"])
        if os.path.basename(report) not in toasts or "Downloaded" not in toasts:
            return cdp.fail("the toasts do not name the download: %s" % toasts)
        print("downloads: %s and %s" % (os.path.basename(scenario), os.path.basename(report)))

        # The saved scenario replays natively to the report the page exported.
        at = state["sim"]["time_us"]
        replay = subprocess.run([app, "run", scenario, "--until", "%dus" % at, "--report", "md"],
                                capture_output=True, text=True, timeout=120)
        if replay.returncode not in (0, 1):
            return cdp.fail("warungmq run %s exited %d: %s" % (scenario, replay.returncode,
                                                               replay.stderr))
        exported = open(report).read()
        if without_file(replay.stdout) != without_file(exported) or \
                "grill-3" not in exported:
            with open(os.path.join(work, "replayed.md"), "w") as f:
                f.write(replay.stdout)
            return cdp.fail("the replayed report differs from the page's export (%s, %s)" %
                            (report, os.path.join(work, "replayed.md")))
        print("replay: warungmq run %s --until %dus gives the exported report" %
              (os.path.basename(scenario), at))

        # The reader's own file: the scenario just downloaded, through the file picker.
        problem = pick_file(page, scenario)
        if problem:
            return cdp.fail(problem)
        want = "/uploads/" + os.path.basename(scenario)
        state = page.wait(lambda s: s["sim"]["file"] == want, timeout=20)
        if state is None:
            return cdp.fail("the picked file did not open: scenario %s" %
                            page.state()["sim"]["file"])
        print("picker: %s opened in the page" % want)

        # A file with a mistake says where and what, as on the desktop.
        bad = os.path.join(work, "broken-lesson.toml")
        with open(bad, "w") as f:
            f.write(open(scenario).read().replace("seed = ", "seed = \"seven\" # ", 1))
        problem = pick_file(page, bad)
        if problem:
            return cdp.fail(problem)
        sentence = "/uploads/broken-lesson.toml:"
        state = page.wait(lambda s: any(sentence in t for t in s["toasts"]), timeout=20)
        if state is None:
            return cdp.fail("a broken file shows no file:line sentence: toasts %s" %
                            page.state()["toasts"])
        if state["sim"]["file"] != want:
            return cdp.fail("a broken file replaced the open scenario")
        print("picker: %s" % next(t for t in state["toasts"] if sentence in t))
        return 0
    finally:
        cdp.close_browser(proc, profile)


if __name__ == "__main__":
    sys.exit(main())
