#!/usr/bin/env python3
"""Looks at a report page or e-mail the way a reader sees it, in headless Chromium.

  render-page.py measure FILE WIDTH         prints "WIDTHxHEIGHT" of the laid-out page (CSS px) at a WIDTH px window
  render-page.py screenshot FILE WIDTH PNG  writes a screenshot of the whole page at WIDTH px
  render-page.py extract EML DIR            writes DIR/index.html (the HTML part) and its cid: pictures next to it

FILE is an .html page or an .eml message (its HTML part, with every cid: picture it refers to). A cid: that no
part of the message carries is an error, as is a message without an HTML part. Exit 0 on success, 1 with one line
on stderr otherwise. Used by scripts/check-html.sh, scripts/screenshots.sh and the e-mail tests.
"""
import email
import email.policy
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Headless Chromium will not make a window narrower than 500 px, so the page is laid out in an iframe exactly WIDTH
# px wide (a true viewport for it); the page tells the wrapper its size by postMessage.
PROBE = ("<script>window.addEventListener('load',function(){var d=document.documentElement;"
         "var w=Math.max(d.scrollWidth,document.body?document.body.scrollWidth:0);"
         "var h=Math.max(d.scrollHeight,document.body?document.body.scrollHeight:0);"
         "parent.postMessage(w+'x'+h+'x'+window.innerWidth,'*');});</script>")
WRAPPER = ("<!DOCTYPE html><html><body style=\"margin:0;background:{background}\">"
           "<iframe src=\"{src}\" style=\"border:0;display:block;margin:{margin}px;width:{width}px;height:{height}px;background:#fff\"></iframe>"
           "<script>window.addEventListener('message',function(e){{var p=document.createElement('pre');"
           "p.id='render-page-size';p.textContent=e.data;document.body.appendChild(p);}});</script></body></html>")


def fail(msg):
    print("render-page: " + msg, file=sys.stderr)
    sys.exit(1)


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    fail("chromium is not installed (scripts/install-deps.sh installs it)")


def extract(eml, folder):
    """The message's HTML part as folder/index.html, with cid: pictures saved next to it."""
    with open(eml, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    html, parts = None, {}
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "text/html" and html is None and not part.get_filename():
            html = part.get_content()
        cid = part.get("Content-ID")
        if cid:
            parts[cid.strip().strip("<>")] = part
    if html is None:
        fail(f"{eml} has no HTML part")
    os.makedirs(folder, exist_ok=True)

    def resolve(m):
        cid = m.group(1)
        part = parts.get(cid)
        if part is None:
            fail(f"{eml}: the HTML shows cid:{cid} but no part of the message has that Content-ID")
        name = re.sub(r"[^A-Za-z0-9._-]", "_", part.get_filename() or cid)
        with open(os.path.join(folder, name), "wb") as out:
            out.write(part.get_payload(decode=True))
        return name

    html = re.sub(r"cid:([^\"'\s>]+)", resolve, html)
    path = os.path.join(folder, "index.html")
    with open(path, "w", encoding="utf-8") as out:
        out.write(html)
    return path


def page(file, folder):
    """An HTML file to load: the file itself, or the message's HTML part extracted into folder."""
    if file.endswith(".eml"):
        return extract(file, folder)
    return os.path.abspath(file)


def chromium(args, width, height=844):
    cmd = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio",
           "--allow-file-access-from-files", f"--window-size={width},{height}", "--virtual-time-budget=5000"] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def probe_copy(file, tmp):
    """A copy of the page (or the message's HTML part) that reports its laid-out size to its parent."""
    src = page(file, tmp)
    with open(src, encoding="utf-8") as f:
        html = f.read()
    if not src.startswith(tmp):  # pictures of a page on disk are relative to it
        html = html.replace("<head>", f"<head><base href=\"file://{os.path.dirname(src)}/\">", 1)
    html = html.replace("</body>", PROBE + "</body>", 1) if "</body>" in html else html + PROBE
    probe = os.path.join(os.path.dirname(src) if src.startswith(tmp) else tmp, "probe.html")
    with open(probe, "w", encoding="utf-8") as f:
        f.write(html)
    return probe


def wrapper(tmp, probe, width, height, margin=0, background="#fff"):
    path = os.path.join(tmp, "wrapper.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(WRAPPER.format(src="file://" + probe, width=width, height=height, margin=margin, background=background))
    return path


def size(file, width, tmp):
    probe = probe_copy(file, tmp)
    r = chromium(["--dump-dom", "file://" + wrapper(tmp, probe, width, 844)], max(width, 500))
    m = re.search(r'id="render-page-size">(\d+)x(\d+)x(\d+)<', r.stdout)
    if not m:
        fail(f"chromium did not lay out {file}: {r.stderr.strip()[-300:]}")
    if int(m.group(3)) != width:
        fail(f"the page was laid out {m.group(3)} px wide, not {width}")
    return int(m.group(1)), int(m.group(2)), probe


def measure(file, width):
    with tempfile.TemporaryDirectory() as tmp:
        w, h, _ = size(file, width, tmp)
        print(f"{w}x{h}")


def screenshot(file, width, png):
    """The whole page at WIDTH px, on a grey margin of 16 px (a phone-sized page stays phone-sized)."""
    with tempfile.TemporaryDirectory() as tmp:
        _, h, probe = size(file, width, tmp)
        margin = 16
        r = chromium([f"--screenshot={os.path.abspath(png)}", "file://" + wrapper(tmp, probe, width, h, margin, "#d5ddd8")],
                     max(width + 2 * margin, 500), h + 2 * margin)
        if r.returncode != 0 or not os.path.exists(png):
            fail(f"no screenshot of {file}: {r.stderr.strip()[-300:]}")
        print(f"{png} ({width}x{h} page)")


def main(argv):
    if len(argv) == 4 and argv[1] == "measure":
        measure(argv[2], int(argv[3]))
    elif len(argv) == 5 and argv[1] == "screenshot":
        screenshot(argv[2], int(argv[3]), argv[4])
    elif len(argv) == 4 and argv[1] == "extract":
        print(extract(argv[2], argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
