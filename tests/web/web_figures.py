#!/usr/bin/python3
"""The web figures for tools/bench, as one JSON line.

web_download_bytes_gzip: index.html + warungmq.js + .wasm + .data, each gzip -9, summed (what a
    browser downloads from a server that compresses).
web_first_frame_ms: navigation to the first drawn frame of the sandbox in headless chromium
    (tests/web/page.py), served by tools/web --serve.
web_frame_ms_p50 / p99: the GUI bench scene (tests/gui/data/pileup.toml at 2m30s, 1280x720,
    about 2,000 orders, the log open, playing at 1x) in headless chromium with SwiftShader, as
    `warungmq gui --bench-frames` measures it (the desktop's gui_frame_ms is in the same run of
    tools/bench), the page drawing on the browser's animation frames (60 a second at most).
web_frame_busy_ms_p50: of that, the time the program's frame function takes on the page's
    main thread (its WebAssembly and the WebGL calls it makes); the rest is the browser's
    drawing and showing of the frame, in its GPU process.
Usage: web_figures.py ROOT  (prints {} when the site is not built)
"""
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def frame_figures(url, frames=300):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import page as cdp
    # The page draws on the browser's animation frames (FrameLoop::benching), as a reader's
    # does: at most one a display refresh (16.7 ms here), fewer when drawing and showing one
    # takes longer.
    proc, page, profile = cdp.open_browser((1280, 720))
    try:
        page.call("Page.navigate", url=url + "?scenario=/bench/pileup.toml&at=2m30s&speed=1"
                  "&bench-frames=%d" % frames)
        end = time.monotonic() + 300
        while time.monotonic() < end:
            if page.eval("Module.wmqExitCode !== undefined"):
                lines = page.eval("Module.wmqOutput") or []
                j = json.loads(lines[-1]) if lines else {}
                if "gui_frame_ms_p50" not in j:
                    return {}
                return {"web_frame_ms_p50": j["gui_frame_ms_p50"],
                        "web_frame_ms_p99": j["gui_frame_ms_p99"],
                        "web_frame_busy_ms_p50": j["gui_frame_busy_ms_p50"]}
            time.sleep(0.2)
        return {}
    finally:
        cdp.close_browser(proc, profile)


def main():
    root = sys.argv[1]
    site = os.path.join(root, "build", "web", "site")
    files = ["index.html", "warungmq.js", "warungmq.wasm", "warungmq.data"]
    if not all(os.path.exists(os.path.join(site, f)) for f in files):
        print("{}")
        return 0
    figures = {"web_download_bytes_gzip": sum(
        len(gzip.compress(open(os.path.join(site, f), "rb").read(), 9)) for f in files)}
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    env = dict(os.environ, WMQ_WEB_NO_BUILD="1")
    server = subprocess.Popen(["bash", os.path.join(root, "tools", "web"), "--serve", "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        url = "http://127.0.0.1:%d/" % port
        for _ in range(100):
            try:
                urllib.request.urlopen(url)
                break
            except OSError:
                time.sleep(0.1)
        with tempfile.TemporaryDirectory() as work:
            out = subprocess.run([sys.executable, os.path.join(root, "tests", "web", "page.py"),
                                  url, "--frames", "1", "--state", os.path.join(work, "s.json")],
                                 capture_output=True, text=True)
            if out.returncode == 0:
                figures["web_first_frame_ms"] = json.loads(out.stdout.strip().splitlines()[-1])[
                    "first_frame_ms"]
        figures.update(frame_figures(url))
    finally:
        server.terminate()
        server.wait()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
