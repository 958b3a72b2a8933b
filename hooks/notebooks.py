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
   a Mermaid loader importing from a CDN. The site loads MathJax 3 itself and has no
   Mermaid diagrams, so both are removed; tests/test_site/test_offline.py checks it.
   So is a stray <style> that mkdocs-jupyter adds when it renders an .ipynb.
5. No per-cell copy buttons: a notebook cell depends on the cells above it, so copied
   alone it does not run, and every copy button on this site promises a complete program
   (tests/test_site/test_copy_run.py). Readers download the whole .ipynb instead.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
from pathlib import Path

import jupytext
import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from nbclient import NotebookClient

log = logging.getLogger("mkdocs.hooks.notebooks")
NOTEBOOK_DIR = "notebooks/"
EXECUTED_DIR = Path(__file__).resolve().parent.parent / ".cache" / "notebooks-executed"
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
        with tempfile.TemporaryDirectory() as folder:  # the kernel starts in an empty folder
            run = nbformat.from_dict(notebook)
            NotebookClient(run, timeout=300, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()
        log.info("Executed notebook %s (code %s) once for every language", name, key)
        _executed[key] = run
    return _executed[key]


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
        nbformat.write(_pages[page.file.src_uri], target)
        page.meta["ipynb"] = name
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if is_notebook(page):
        for loader in NBCONVERT_LOADERS:
            output = loader.sub("", output)
    return output
