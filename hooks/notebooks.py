"""Notebook pages (mkdocs-jupyter) under mkdocs-static-i18n: cache, download, offline.

1. Cache: mkdocs-static-i18n runs one build per language; after each, mkdocs-jupyter
   deletes the cache entries that build did not use (the other languages' notebooks),
   so every build re-rendered every notebook. Entries are keyed by the notebook's
   content and options, so keeping them is safe.
2. Executed once per build: the code cells are the same in every language
   (tests/test_site/test_translations.py), so each notebook is executed once, with
   nbclient, keyed by its code; every language's page and download get those outputs.
   mkdocs-jupyter only renders (execute: false): it is pointed at the executed .ipynb.
   A failing cell raises, so the build fails instead of rendering a traceback.
3. Download: notebooks are jupytext Markdown (the only form the i18n plugin translates);
   each page gets a real .ipynb beside it, with the outputs of that run, and
   page.meta["ipynb"], which overrides/main.html links.
4. Offline: nbconvert's template adds a MathJax 2 loader (an empty <script src> here) and
   a Mermaid loader importing from a CDN. The site renders math when it is built
   (hooks/math.py) and has no Mermaid diagrams, so both are removed; tests/test_site/test_offline.py checks it.
   So is a stray <style> that mkdocs-jupyter adds when it renders an .ipynb.
5. Figures: a plotting cell carries its alt text in its metadata (jupytext: ```python alt="…"),
   written in the page's language, since the code itself is shared; nbconvert would write
   "No description has been provided for this image", so the alt is put on the <img> here,
   and a plot without alt text fails the build. Each image gets its pixel size
   (width/height) so the page does not shift when it loads.
6. Links: notebook Markdown links to entries relatively (../../batch-normalization/), which
   works on every language's page; the download gets them as absolute URLs.
7. No per-cell copy buttons: a notebook cell depends on the cells above it, so copied
   alone it does not run, and every copy button on this site promises a complete program
   (tests/test_site/test_copy_run.py). Readers download the whole .ipynb instead.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import struct
import time
from html import escape
from pathlib import Path
from urllib.parse import urljoin

import jupytext
import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from nbclient import NotebookClient

log = logging.getLogger("mkdocs.hooks.notebooks")
NOTEBOOK_DIR = "notebooks/"
ROOT = Path(__file__).resolve().parent.parent
EXECUTED_DIR = ROOT / ".cache" / "notebooks-executed"
DEFAULT_ALT = "No description has been provided for this image"
RELATIVE_LINK = re.compile(r"\]\((\.\./[^)\s]*)\)")
_executed: dict[str, nbformat.NotebookNode] = {}  # code hash -> executed notebook, for this build
_pages: dict[str, nbformat.NotebookNode] = {}  # page src_uri -> its notebook with outputs
NBCONVERT_LOADERS = [
    re.compile(r'<script src="">\s*</script>'),
    re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.S),
    re.compile(r'<div class="clipboard-copy-txt" id="cell-\d+">.*?</div>', re.S),
    re.compile(r'<script type="text/x-mathjax-config">.*?</script>', re.S),
    re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid.*?</script>', re.S),
    # mkdocs-jupyter 0.26.3 renders an .ipynb with its CSS list pasted as text into a
    # <style> (`{resources["inlining"]["css"]}`): Pygments rules the page does not use.
    re.compile(r"<style>\s*\['.*?'\]\s*</style>", re.S),
]


class _KeepEveryEntry(set):
    def __contains__(self, item: object) -> bool:
        return True


@event_priority(-50)  # after mkdocs-jupyter's on_pre_build has reset its set
def on_pre_build(config: MkDocsConfig) -> None:
    config.plugins["mkdocs-jupyter"]._used_cache_paths = _KeepEveryEntry()


def is_notebook(page: Page) -> bool:
    return page.file.src_uri.startswith(NOTEBOOK_DIR)


def _code(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def executed(notebook: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The notebook run once with nbclient, per distinct code (any language's copy)."""
    key = hashlib.sha256("\x00".join(_code(notebook)).encode()).hexdigest()[:16]
    if key not in _executed:
        run, start = nbformat.from_dict(notebook), time.perf_counter()
        execute(run)
        seconds = time.perf_counter() - start
        for cell in run.cells:  # once here, not once per language
            sized(cell.get("outputs", []))
        log.info("Executed notebook %s (code %s) once for every language in %.1f s", name, key, seconds)
        _executed[key] = run
    return _executed[key]


def execute(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel, as a reader would: in the repository's root folder
    (the cells import `snippets`), without the TensorFlow log setting `make` exports (the
    notebook must set it itself). A failing cell raises CellExecutionError."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute(env=env)
    return notebook


def png_size(data: str) -> tuple[int, int]:
    """Width and height of a base64 PNG, from its IHDR chunk."""
    head = base64.b64decode(data[:44])  # 33 bytes: signature, IHDR length and type, size
    return struct.unpack(">II", head[16:24])


def sized(outputs: list) -> None:
    """Give each PNG output its pixel size, which nbconvert writes as <img width height>."""
    for output in outputs:
        if "image/png" in output.get("data", {}):
            width, height = png_size(output.data["image/png"])
            output.setdefault("metadata", {})["image/png"] = {"width": width, "height": height}


def alt_texts(notebook: nbformat.NotebookNode, name: str) -> list[str]:
    """One alt text per image output, in order; a plot without one fails the build."""
    texts = []
    for cell in notebook.cells:
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if images and not cell.metadata.get("alt"):
            raise ValueError(f"{name}: a cell that plots has no alt text (```python alt=\"…\")")
        texts += [cell.metadata.get("alt")] * len(images)
    return texts


def absolute_links(notebook: nbformat.NotebookNode, page_url: str) -> nbformat.NotebookNode:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = RELATIVE_LINK.sub(lambda m: f"]({urljoin(page_url, m.group(1))})", cell.source)
    return notebook


def with_outputs(path: str) -> nbformat.NotebookNode:
    """This language's notebook, with the outputs of the one execution."""
    notebook = jupytext.read(path)
    runs = [cell for cell in executed(notebook, Path(path).name.split(".")[0]).cells if cell.cell_type == "code"]
    for cell, run in zip((c for c in notebook.cells if c.cell_type == "code"), runs):
        cell.outputs, cell.execution_count = run.outputs, run.execution_count
    return notebook


@event_priority(-50)  # after mkdocs-jupyter's on_pre_page, before the page renders
def on_pre_page(page: Page, config: MkDocsConfig, files):
    if is_notebook(page):
        notebook = with_outputs(page.file.abs_src_path)
        rendered = EXECUTED_DIR / page.file.src_uri.replace(".md", ".ipynb")
        rendered.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, rendered)
        _pages[page.file.src_uri] = notebook
        page.file.abs_src_path = str(rendered)  # mkdocs-jupyter renders this executed copy
    return page


def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    if is_notebook(page):
        # bn-step-by-step.pt.md -> pt/notebooks/bn-step-by-step/bn-step-by-step.ipynb
        name = Path(page.file.src_uri).name.split(".")[0] + ".ipynb"
        target = Path(page.file.abs_dest_path).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(absolute_links(nbformat.from_dict(_pages[page.file.src_uri]), page.canonical_url), target)
        page.meta["ipynb"] = name
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if is_notebook(page):
        for loader in NBCONVERT_LOADERS:
            output = loader.sub("", output)
        texts = alt_texts(_pages[page.file.src_uri], page.file.src_uri)
        rendered = output.count(f'alt="{DEFAULT_ALT}"')
        if rendered != len(texts):
            raise ValueError(f"{page.file.src_uri}: {rendered} images rendered for {len(texts)} alt texts")
        alts = iter(texts)
        output = re.sub(f'alt="{DEFAULT_ALT}"', lambda _: f'alt="{escape(next(alts), quote=True)}"', output)
        # A code cell scrolls sideways when its lines are long: keyboard users must be able to
        # focus it to scroll it, as Material lets them with its own code blocks.
        output = output.replace('<div class="highlight-ipynb', '<div tabindex="0" class="highlight-ipynb')
        # nbconvert's slug of an all-Chinese title is empty (`<h1 id="">`, its ¶ pointing at
        # "#"), while the table of contents, and Material's skip link, call it Python-Markdown's
        # way (`_1`): give the heading that id so "skip to content" leads somewhere.
        if page.toc.items:
            anchor = page.toc.items[0].id
            output = output.replace('<h1 id="">', f'<h1 id="{anchor}">', 1)
            output = output.replace('<a class="anchor-link" href="#">', f'<a class="anchor-link" href="#{anchor}">', 1)
    return output
