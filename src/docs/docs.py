"""Netbook's documentation site: every notebook executed with the kernel and exported to HTML,
an index page, and the API Javadoc. The pages need no network: figures are inline SVG or PNG,
and the exporter's links to script CDNs are removed (nothing in the pages needs them).

    JUPYTER_PATH=... /usr/bin/python3 src/docs/docs.py --kernel NAME --out DIR [--javadoc-cp CP] NOTEBOOK_DIR

Run through `./netbook docs [--out DIR]`, which installs the kernel spec and sets these.
"""
import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from traitlets.config import Config

CELL_TIMEOUT = int(os.environ.get("NETBOOK_CELL_TIMEOUT", "1800"))


def title_of(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return fallback


def summary_of(nb):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = re.sub(r"^#.*$", "", cell.source, flags=re.M).strip()
            if text:
                return re.sub(r"[*_`]", "", text.split("\n\n")[0])[:300]
    return ""


def offline(page):
    """Drops <script src="http..."> and <link href="http..."> elements: the page reads without them."""
    page = re.sub(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', "", page)
    return re.sub(r'<link[^>]*\bhref="https?://[^"]*"[^>]*/?>', "", page)


def execute(path, kernel):
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, kernel_name=kernel, timeout=CELL_TIMEOUT, allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def write_atomically(path, text):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def javadoc(out, source, classpath):
    tool = shutil.which("javadoc") or os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "javadoc")
    # The pages are made on the class path, as Netbook runs. A module-info.java on the source path
    # would switch javadoc to module mode, which wants every dependency as a module (DJL's native
    # jar has no valid module name), so the sources are read from a copy without the descriptors.
    copy = Path(tempfile.mkdtemp(prefix="netbook-javadoc-"))
    roots = []
    for i, root in enumerate(str(source).split(os.pathsep)):
        dest = copy / str(i)
        shutil.copytree(root, dest, ignore=shutil.ignore_patterns("module-info.java"))
        roots.append(str(dest))
    try:
        javadoc_run(tool, out, os.pathsep.join(roots), classpath)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def javadoc_run(tool, out, source, classpath):
    cmd = [tool, "-quiet", "-Xdoclint:none", "-notimestamp", "-d", str(out), "-sourcepath", str(source),
           "-subpackages", "netbook", "-exclude", "netbook.internal:netbook.internal.djl", "-windowtitle", "Netbook API",
           "-doctitle", "Netbook API"]
    if classpath:
        cmd += ["-cp", classpath]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0 or not (out / "index.html").exists():
        raise SystemExit("docs: javadoc failed (exit %d):\n%s" % (r.returncode, (r.stderr or r.stdout)[-2000:]))


def main():
    ap = argparse.ArgumentParser(description="Builds Netbook's documentation site.")
    ap.add_argument("notebooks", help="folder of .ipynb files")
    ap.add_argument("--out", required=True, help="folder for the site (created; replaced as a whole)")
    ap.add_argument("--kernel", default="netbook", help="kernel spec name that runs the notebooks")
    ap.add_argument("--javadoc-source", help="source folders for the API pages, separated by the path separator (dsl/src/main/java:dsl/runtime/src/main/java)")
    ap.add_argument("--javadoc-cp", default="", help="class path for javadoc")
    a = ap.parse_args()

    notebooks = sorted(p for p in Path(a.notebooks).glob("*.ipynb") if not p.name.startswith("."))
    if not notebooks:
        raise SystemExit("docs: no notebooks in %s" % a.notebooks)
    out = Path(a.out).resolve()
    staging = out.with_name(out.name + ".building")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)

    # The lab template passes SVG outputs through its HTML sanitiser, which strips every SVG element
    # and leaves only the text (a blank figure). Netbook's figures carry a PNG beside the SVG, so the
    # pages show the PNG (inline as a data: URL); SVG stays the choice for outputs that have no PNG.
    config = Config()
    config.NbConvertBase.display_data_priority = ["text/html", "application/pdf", "text/latex", "image/png", "image/jpeg",
                                                  "image/svg+xml", "text/markdown", "text/plain"]
    exporter = HTMLExporter(config=config)
    entries = []
    for i, path in enumerate(notebooks, 1):
        t = time.time()
        print("docs: [%d/%d] executing %s" % (i, len(notebooks), path.name), flush=True)
        try:
            nb = execute(path, a.kernel)
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise SystemExit("docs: %s failed: %s" % (path.name, first))
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title_of(nb, path.stem)}})
        page = path.stem + ".html"
        write_atomically(staging / page, offline(body))
        entries.append((page, title_of(nb, path.stem), summary_of(nb)))
        print("docs: [%d/%d] %s -> %s (%.1fs)" % (i, len(notebooks), path.name, page, time.time() - t), flush=True)

    api = ""
    if a.javadoc_source:
        print("docs: API pages (javadoc)", flush=True)
        javadoc(staging / "api", a.javadoc_source, a.javadoc_cp)
        api = '<li><a href="api/index.html">API reference (Javadoc)</a></li>'

    items = "\n".join('<li><a href="%s">%s</a><br><span class="s">%s</span></li>'
                      % (html.escape(p), html.escape(t), html.escape(s)) for p, t, s in entries)
    index = """<!doctype html>
<html><head><meta charset="utf-8"><title>Netbook documentation</title>
<style>body{font-family:sans-serif;max-width:760px;margin:2em auto;line-height:1.45}li{margin:.6em 0}.s{color:#555;font-size:90%%}</style>
</head><body>
<h1>Netbook documentation</h1>
<p>Deep-learning notebooks on the JVM: every page below is a notebook executed with Netbook's kernel, with its tables and figures.</p>
<h2>Notebooks</h2>
<ul>
%s
</ul>
<h2>Reference</h2>
<ul>%s</ul>
</body></html>
""" % (items, api)
    write_atomically(staging / "index.html", index)

    # The finished site replaces the old one whole: a failed build never leaves half a site.
    if out.exists():
        old = out.with_name(out.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old)
    else:
        staging.rename(out)
    print("docs: wrote %s (%d notebooks%s)" % (out / "index.html", len(entries), ", API" if api else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
