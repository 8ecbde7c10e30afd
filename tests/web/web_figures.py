#!/usr/bin/python3
"""The web figures for tools/bench, as one JSON line.

web_download_bytes_gzip: index.html + warungmq.js + .wasm + .data, each gzip -9, summed (what a
    browser downloads from a server that compresses).
web_first_frame_ms: navigation to the first drawn frame of the sandbox in headless chromium
    (tests/web/page.py), served by tools/web --serve.
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
    finally:
        server.terminate()
        server.wait()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
