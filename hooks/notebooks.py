"""Notebook pages (mkdocs-jupyter) under mkdocs-static-i18n: cache, download, offline.

1. Cache: mkdocs-static-i18n runs one build per language; after each, mkdocs-jupyter
   deletes the cache entries that build did not use (the other languages' notebooks),
   so every build re-executed every notebook. Entries are keyed by the notebook's
   content and options, so keeping them is safe.
2. Download: notebooks are jupytext Markdown (the only form the i18n plugin translates);
   each page gets a real .ipynb beside it (without outputs: the reader runs it, the page
   shows the executed version) and page.meta["ipynb"], which overrides/main.html links.
3. Offline: nbconvert's template adds a MathJax 2 loader (an empty <script src> here) and
   a Mermaid loader importing from a CDN. The site loads MathJax 3 itself and has no
   Mermaid diagrams, so both are removed; tests/test_site/test_offline.py checks it.
4. No per-cell copy buttons: a notebook cell depends on the cells above it, so copied
   alone it does not run, and every copy button on this site promises a complete program
   (tests/test_site/test_copy_run.py). Readers download the whole .ipynb instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

NOTEBOOK_DIR = "notebooks/"
NBCONVERT_LOADERS = [
    re.compile(r'<script src="">\s*</script>'),
    re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.S),
    re.compile(r'<div class="clipboard-copy-txt" id="cell-\d+">.*?</div>', re.S),
    re.compile(r'<script type="text/x-mathjax-config">.*?</script>', re.S),
    re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid.*?</script>', re.S),
]


class _KeepEveryEntry(set):
    def __contains__(self, item: object) -> bool:
        return True


@event_priority(-50)  # after mkdocs-jupyter's on_pre_build has reset its set
def on_pre_build(config: MkDocsConfig) -> None:
    config.plugins["mkdocs-jupyter"]._used_cache_paths = _KeepEveryEntry()


def is_notebook(page: Page) -> bool:
    return page.file.src_uri.startswith(NOTEBOOK_DIR)


def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    if is_notebook(page):
        # bn-step-by-step.pt.md -> pt/notebooks/bn-step-by-step/bn-step-by-step.ipynb
        name = Path(page.file.src_uri).name.split(".")[0] + ".ipynb"
        target = Path(page.file.abs_dest_path).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(jupytext.read(page.file.abs_src_path), target)
        page.meta["ipynb"] = name
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if is_notebook(page):
        for loader in NBCONVERT_LOADERS:
            output = loader.sub("", output)
    return output
