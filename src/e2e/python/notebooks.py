"""Executes every notebook under notebooks/ headless with nbclient on Netbook's kernel and checks
the outputs: no error outputs, every SVG figure with a PNG beside it, the MIME types a notebook lists in its metadata
("netbook": {"expect": ["text/html", ...]}) all present, and a plain `jupyter nbconvert --to html` export (default
settings) that shows every figure as an image instead of the sanitised text of its SVG.

    JUPYTER_PATH=/tmp/k/share/jupyter /usr/bin/python3 src/e2e/python/notebooks.py notebooks [out-dir]
"""
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = os.environ.get("NETBOOK_KERNEL", "netbook")
CELL_TIMEOUT = int(os.environ.get("NETBOOK_CELL_TIMEOUT", "1800"))


def run(path, out_dir):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    problems = []
    try:
        client.execute()
    except Exception as e:  # a cell timed out or the kernel died: report it with the partial outputs
        problems.append("execution stopped: %s: %s" % (type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else ""))
    if out_dir:
        out = Path(out_dir) / path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".ipynb.tmp")
        nbformat.write(nb, str(tmp))
        tmp.replace(out)
    mimes = set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        shown = False
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                problems.append("cell %d: %s: %s" % (i, o.ename, o.evalue))
            if o.output_type in ("execute_result", "display_data") or (o.output_type == "stream" and o.name == "stdout"):
                shown = True
            if o.output_type == "stream" and o.name == "stderr" and ("Exception" in o.text or "\n\tat " in o.text):
                problems.append("cell %d: a stack trace on stderr: %s" % (i, o.text.strip().splitlines()[0][:200]))
            data = o.get("data", {})
            if "image/svg+xml" in data and "image/png" not in data:
                problems.append("cell %d: an SVG figure without a PNG beside it (untrusted notebooks and some viewers show no SVG)" % i)
            mimes.update(data.keys())
        # A cell ending in an expression (no ';' or '}') is there to show its value: it must show something.
        lines = [l for l in cell.source.strip().splitlines() if l.strip() and not l.strip().startswith("//")]
        if lines and not lines[-1].rstrip().endswith((";", "}", "{")) and not lines[-1].lstrip().startswith("%") and not shown:
            problems.append("cell %d ends in an expression but shows nothing" % i)
    problems += exported_figures(nb)
    expected = nb.metadata.get("netbook", {}).get("expect", [])
    for m in expected:
        if m not in mimes:
            problems.append("no %s output (the notebook's metadata expects one)" % m)
    return problems


def exported_figures(nb):
    """What `jupyter nbconvert --to html` with default settings makes of the figures: nbconvert 6 prefers text/html,
    then SVG, which it passes through a sanitiser that keeps only the SVG's text. Every figure must reach the page as a
    PNG image, and no SVG output area may be left without a drawing."""
    from nbconvert import HTMLExporter
    body, _ = HTMLExporter().from_notebook_node(nb)
    figures = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if "image/svg+xml" in o.get("data", {}))
    images = body.count('<img src="data:image/png;base64,')
    problems = []
    if images < figures:
        problems.append("nbconvert --to html: %d figures but %d PNG images in the page" % (figures, images))
    for m in re.finditer(r'data-mime-type="image/svg\+xml">(.*?)</div>', body, re.S):
        # the sanitiser keeps the <svg> tag and the text of its labels but drops every drawn element
        if not re.search(r"<(rect|path|line|polyline|polygon|circle|img)\b", m.group(1)):
            problems.append("nbconvert --to html: an SVG output reduced to its text: %r" % m.group(1).strip()[:80])
    return problems


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "notebooks")
    out_dir = sys.argv[2] if len(sys.argv) > 2 else None
    notebooks = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if not notebooks:
        print("no notebooks in %s" % folder)
        return 1
    failed = 0
    for p in notebooks:
        t = time.time()
        problems = run(p, out_dir)
        status = "ok  " if not problems else "FAIL"
        print("%s %-40s %.1fs" % (status, p.name, time.time() - t), flush=True)
        for pr in problems:
            print("     " + pr)
        failed += bool(problems)
    print("%d of %d notebooks failed" % (failed, len(notebooks)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
