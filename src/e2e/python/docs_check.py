"""Checks the documentation site in headless Chromium: the index links every notebook page and the
API, no page loads anything from the network, and every figure (inline SVG or PNG) shows drawn
pixels in a screenshot, not an empty box. Also keeps a full-page screenshot of each page.

    /usr/bin/python3 src/e2e/python/docs_check.py SITE_DIR NOTEBOOK_DIR
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1", "--disable-dev-shm-usage"]


def screenshot(page, png, width, height, profile):
    cmd = [CHROMIUM] + FLAGS + ["--user-data-dir=" + profile, "--window-size=%d,%d" % (width, height),
                                "--screenshot=" + str(png), page.as_uri()]
    # ./netbook test preloads jemalloc for PyTorch; Chromium's GPU process dies under it ("GPU process
    # isn't usable"), so the browser gets the environment without the preload.
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "MALLOC_CONF")}
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    if not png.exists():
        raise RuntimeError("chromium made no screenshot of %s (exit %d): %s" % (page, r.returncode, r.stderr[-500:]))


def figures(page_html):
    """(kind, markup, width, height) of each figure in an output area: inline <svg> and data: PNG images."""
    found = []
    for markup in outer_svgs(page_html):
        tag = re.match(r"<svg\b[^>]*>", markup).group(0)
        w = re.search(r'\bwidth="(\d+(?:\.\d+)?)', tag)
        h = re.search(r'\bheight="(\d+(?:\.\d+)?)', tag)
        if w and h and float(w.group(1)) > 40 and float(h.group(1)) > 40:   # figures, not icons of the page chrome
            found.append(("svg", markup, int(float(w.group(1))), int(float(h.group(1)))))
    for m in re.finditer(r'<img\b[^>]*src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"[^>]*>', page_html):
        import base64
        img = Image.open(io.BytesIO(base64.b64decode(m.group(1))))
        found.append(("png", m.group(0), img.width, img.height))
    return found


def outer_svgs(text):
    """Each outermost <svg>...</svg> element whole (a grid of figures nests svg elements)."""
    out = []
    depth = 0
    start = 0
    for m in re.finditer(r"<svg\b|</svg>", text):
        if m.group(0) == "</svg>":
            depth -= 1
            if depth == 0:
                out.append(text[start:m.end()])
        else:
            if depth == 0:
                start = m.start()
            depth += 1
    return out


def ink(png, width, height):
    """The share of non-white pixels in the top-left width x height box of a screenshot."""
    img = Image.open(png).convert("RGB")
    box = img.crop((0, 0, min(width, img.width), min(height, img.height)))
    pixels = list(box.getdata())
    return sum(1 for p in pixels if min(p) < 235) / max(1, len(pixels))


def main():
    site = Path(sys.argv[1]).resolve()
    notebooks = sorted(p.stem for p in Path(sys.argv[2]).glob("*.ipynb") if not p.name.startswith("."))
    problems = []
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in notebooks:
        if 'href="%s.html"' % name not in index:
            problems.append("index.html does not link %s.html" % name)
        if not (site / (name + ".html")).exists():
            problems.append("%s.html is missing" % name)
    if 'href="api/index.html"' not in index or not (site / "api" / "index.html").exists():
        problems.append("no API reference (api/index.html)")
    shots = site / "screenshots"
    shots.mkdir(exist_ok=True)
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        profile = str(tmp / "profile")
        for name in notebooks:
            page = site / (name + ".html")
            if not page.exists():
                continue
            text = page.read_text(encoding="utf-8")
            remote = re.findall(r'<(?:script|link|img)[^>]*\b(?:src|href)="(https?://[^"]+)"', text)
            if remote:
                problems.append("%s loads %d resources from the network, e.g. %s" % (page.name, len(remote), remote[0]))
            screenshot(page, shots / (name + ".png"), 1200, 2400, profile)
            for k, (kind, markup, w, h) in enumerate(figures(text)):
                # Each figure alone at the top-left of a page of its own size, as the page draws it.
                alone = tmp / ("%s-%d.html" % (name, k))
                alone.write_text('<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff}'
                                 "svg,img{display:block}</style></head><body>%s</body></html>" % markup, encoding="utf-8")
                png = tmp / ("%s-%d.png" % (name, k))
                screenshot(alone, png, w + 20, h + 20, profile)
                share = ink(png, w, h)
                total += 1
                if share < 0.01:
                    problems.append("%s: figure %d (%s, %dx%d) is empty in the screenshot (%.4f of its pixels drawn)"
                                    % (page.name, k, kind, w, h, share))
                else:
                    print("ok   %-28s figure %2d %-3s %4dx%-4d %5.1f%% drawn" % (page.name, k, kind, w, h, 100 * share))
    if total == 0:
        problems.append("no figures found in any page")
    for p in problems:
        print("FAIL " + p)
    print("%d figures checked in %d pages, %d problems" % (total, len(notebooks), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
