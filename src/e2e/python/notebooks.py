"""Executes every notebook under notebooks/ headless with nbclient on Netbook's kernel and checks
the outputs: no error outputs, every SVG figure with a PNG beside it, and the MIME types a notebook lists in its metadata
("netbook": {"expect": ["text/html", ...]}) are all present.

    JUPYTER_PATH=/tmp/k/share/jupyter /usr/bin/python3 src/e2e/python/notebooks.py notebooks [out-dir]
"""
import os
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
    expected = nb.metadata.get("netbook", {}).get("expect", [])
    for m in expected:
        if m not in mimes:
            problems.append("no %s output (the notebook's metadata expects one)" % m)
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
