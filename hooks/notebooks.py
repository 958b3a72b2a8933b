"""Notebook pages (mkdocs-jupyter) under mkdocs-static-i18n: cache, download, offline.

1. Cache: mkdocs-static-i18n runs one build per language; after each, mkdocs-jupyter
   deletes the cache entries that build did not use (the other languages' notebooks),
   so every build re-rendered every notebook. Entries are keyed by the notebook's
   content and options, so keeping them is safe.
2. Executed once, reused until what it runs changes: the code cells are the same in every
   language (tests/test_site/test_translations.py), so each notebook is executed once, with
   nbclient, and every language's page and download get those outputs. The executed
   notebook is kept in .cache/notebooks/, keyed by a hash of everything that determines its
   outputs: its code cells, every file under snippets/ it imports (followed through those
   files' own imports), the versions of the libraries all of them import, and Python's.
   A later build reuses it while that key holds and executes again when any part changes;
   the log says "Executed notebook" or "Reused notebook" for each (jupyter-cache's idea,
   without its database). NOTEBOOK_EXECUTE=always executes every notebook whatever the cache
   holds (the test suite's build sets it; the fresh run then refreshes the cache), and
   NOTEBOOK_CACHE points the cache to another folder.
   mkdocs-jupyter only renders (execute: false): it is pointed at the executed .ipynb, so its
   own HTML cache is keyed by the outputs too. A failing cell raises, so the build fails
   instead of rendering a traceback. The kernel talks over local IPC sockets, not TCP.
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
7. Which files are notebooks: mkdocs-jupyter 0.26.3 reads every Markdown file of every
   language through jupytext (should_include) to see whether it has a kernelspec, before it
   looks at its `include` globs: ~770 parses per build. Upstream has no option to trust the
   globs; here the configured `include` globs alone decide, matched against the page's path
   in docs/, so no other page is parsed (and a file they match without a Python kernelspec
   fails the build instead of being quietly rendered as a page).
8. No per-cell copy buttons: a notebook cell depends on the cells above it, so copied
   alone it does not run, and every copy button on this site promises a complete program
   (tests/test_site/test_copy_run.py). Readers download the whole .ipynb instead.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import struct
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from html import escape
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from urllib.parse import urljoin

import jupytext
import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from nbclient import NotebookClient
from traitlets.config import Config

log = logging.getLogger("mkdocs.hooks.notebooks")
NOTEBOOK_DIR = "notebooks/"
ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
EXECUTED_DIR = ROOT / ".cache" / "notebooks-executed"
# Bump when the way a notebook is executed changes (environment, kernel, output post-processing).
EXECUTION_VERSION = "1"
DEFAULT_ALT = "No description has been provided for this image"
RELATIVE_LINK = re.compile(r"\]\((\.\./[^)\s]*)\)")
_executed: dict[tuple[str, ...], Future] = {}  # code cells -> the notebook run with them, in this build
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


class _UsedByAnyLanguage(set):
    """mkdocs-jupyter's record of the cache entries a build used. It evicts the others after
    each build, and so, under mkdocs-static-i18n, each language's entries after the next
    language's build: every build rendered every notebook again. Here every entry counts as
    used during the builds; the entries no language used are evicted after the last one."""

    def __contains__(self, item: object) -> bool:
        return True

    def add(self, item) -> None:
        _used_html_cache.add(Path(item).resolve())


_used_html_cache: set[Path] = set()


def on_config(config: MkDocsConfig) -> None:
    plugin = config.plugins["mkdocs-jupyter"]
    plugin.should_include = functools.partial(matches_notebook_globs, plugin.config)


@event_priority(-50)  # after mkdocs-jupyter's on_pre_build has reset its set
def on_pre_build(config: MkDocsConfig) -> None:
    config.plugins["mkdocs-jupyter"]._used_cache_paths = _UsedByAnyLanguage()
    if not config.plugins["i18n"].building:  # a new build (`mkdocs serve` keeps this module between builds)
        _executed.clear()
    # Every notebook starts now, each in its own kernel, while the pages are converted.
    plugin = config.plugins["mkdocs-jupyter"].config
    docs = Path(config.docs_dir)
    for path in sorted(docs.glob(f"{NOTEBOOK_DIR}*.md")):
        relative = SimpleNamespace(src_uri=path.relative_to(docs).as_posix())
        if path.name.count(".") == 1 and matches_notebook_globs(plugin, relative):  # the English copies
            in_background(jupytext.read(path), path.stem)


@event_priority(-300)  # after mkdocs-static-i18n (-100) has built the other languages inside this event
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins["i18n"]
    if i18n.building or i18n.config.build_only_locale:
        return  # a language's build inside the others', or a one-language preview: not every entry was used
    cache = Path(config.plugins["mkdocs-jupyter"].config["cache_dir"])
    for entry in cache.glob("*.json") if cache.is_dir() else []:
        if entry.resolve() not in _used_html_cache:
            entry.unlink()
    _used_html_cache.clear()


def matches_notebook_globs(plugin_config, file) -> bool:
    """mkdocs-jupyter's should_include, from its `include` and `ignore` globs alone, matched
    against the path in docs/ (which stays the .md's while the page renders the .ipynb)."""
    if file.src_uri is None:
        return False
    path = PurePosixPath(file.src_uri)
    if any(path.match(pattern) for pattern in plugin_config["ignore"]):
        return False
    return any(path.match(pattern) for pattern in plugin_config["include"])


def is_notebook(page: Page) -> bool:
    return page.file.src_uri.startswith(NOTEBOOK_DIR)


def _code(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def cache_dir() -> Path:
    return Path(os.environ.get("NOTEBOOK_CACHE") or ROOT / ".cache" / "notebooks")


# --- what a notebook's outputs depend on -------------------------------------------------

# `import a.b, c as d` and `from .a import (b, c)` at the start of a line. A regular expression,
# not ast.parse: in Python 3.11 ast.parse fails ("AST constructor recursion depth mismatch")
# when another thread parses at the same moment, as nbclient's threads do while a notebook
# runs. A line that only looks like an import (in a string) adds a file to the key: the
# safe side. Imports made at run time (importlib, __import__) are not seen.
IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(?P<base>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#;]*)"
                    r"|import[ \t]+(?P<modules>[^\n#;]*))", re.M)


def imported_modules(source: str, package: str = "") -> set[str]:
    """Absolute names of the modules a piece of Python imports; for `from a import b`, both
    a and a.b (b may be a module)."""
    names: set[str] = set()
    source = source.replace("\\\n", " ")  # backslash continuations
    for match in IMPORT.finditer(source):
        if match["modules"] is not None:
            names.update(part.split()[0] for part in match["modules"].split(",") if part.strip())
            continue
        base = match["base"]
        level = len(base) - len(base.lstrip("."))
        if level:  # relative: from .validation import x, inside `package`
            parent = package.rsplit(".", level - 1)[0] if level > 1 else package
            base = f"{parent}.{base[level:]}" if base[level:] else parent
        names.add(base)
        listed = match["names"].strip("() \t\n")
        names.update(f"{base}.{part.split()[0]}" for part in listed.split(",") if part.strip())
    return names


def module_files(name: str, snippets: Path) -> list[Path]:
    """The files under snippets/ that importing `name` (snippets.a.b) runs: each package's
    __init__.py on the way and the module itself; none for a name that is not a module."""
    parts = name.split(".")[1:]
    files = [snippets / Path(*parts[:i]) / "__init__.py" for i in range(len(parts) + 1)]
    module = snippets / Path(*parts).with_suffix(".py") if parts else None
    found = [f for f in files if f.is_file()]
    if module is not None and module.is_file():
        found.append(module)
    return found


def dependencies(code: list[str], snippets: Path) -> tuple[dict[str, str], set[str]]:
    """({snippet path: SHA-256 of its contents} for every file under snippets/ the code
    imports, directly or through another snippet, {top-level names of the other modules
    imported by the code and by those files})."""
    pending = set().union(*(imported_modules(cell) for cell in code)) if code else set()
    seen_modules: set[str] = set()
    files: dict[str, str] = {}
    libraries: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen_modules or not name:
            continue
        seen_modules.add(name)
        if name.split(".")[0] != snippets.name:
            libraries.add(name.split(".")[0])
            continue
        for path in module_files(name, snippets):
            key = path.relative_to(snippets).as_posix()
            if key in files:
                continue
            text = path.read_bytes()
            files[key] = hashlib.sha256(text).hexdigest()
            package = ".".join([snippets.name, *path.relative_to(snippets).parent.parts])
            pending |= imported_modules(text.decode("utf-8"), package)
    return files, libraries


@functools.lru_cache(maxsize=1)
def _distributions() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def library_versions(names: set[str]) -> dict[str, str]:
    """{distribution: version} for the installed distributions that provide these top-level
    modules (the standard library's are covered by Python's version)."""
    versions = {}
    for name in names:
        for distribution in _distributions().get(name, []):
            versions[distribution] = importlib.metadata.version(distribution)
    return dict(sorted(versions.items()))


def cache_key(notebook: nbformat.NotebookNode, snippets: Path | None = None) -> str:
    """A hash of everything that determines the notebook's outputs."""
    code = _code(notebook)
    files, libraries = dependencies(code, snippets or SNIPPETS)
    inputs = {"code": code, "snippets": dict(sorted(files.items())), "libraries": library_versions(libraries),
              "python": sys.version, "execution": EXECUTION_VERSION}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]


# --- execution, once per key ------------------------------------------------------------

def executed(notebook: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The notebook with the outputs of one run of its code: from this build, from an earlier
    build whose key is the same (the cache), or executed with nbclient. Started in the
    background if on_pre_build has not started it already."""
    return in_background(notebook, name).result()


def in_background(notebook: nbformat.NotebookNode, name: str) -> Future:
    """Each run in a thread of its own, waiting on its own kernel process. Daemon threads: a
    build that fails does not wait for the other notebooks (nbclient shuts their kernels
    down at exit)."""
    code = tuple(_code(notebook))
    if code not in _executed:  # not yet started for another language's copy, in this build
        future: Future = Future()
        key = cache_key(notebook)

        def run() -> None:
            try:
                future.set_result(run_or_reuse(notebook, name, key))
            except BaseException as error:  # re-raised where the page asks for the run
                future.set_exception(error)
            finally:  # nbclient made an event loop for this thread and leaves it open
                with contextlib.suppress(RuntimeError):
                    asyncio.get_event_loop_policy().get_event_loop().close()

        threading.Thread(target=run, name=f"notebook {name}", daemon=True).start()
        _executed[code] = future
    return _executed[code]


def run_or_reuse(notebook: nbformat.NotebookNode, name: str, key: str) -> nbformat.NotebookNode:
    stored = cache_dir() / f"{name}-{key}.ipynb"
    if stored.is_file() and os.environ.get("NOTEBOOK_EXECUTE") != "always":
        log.info("Reused notebook %s (code %s): its code, the snippets it imports and its libraries are unchanged", name, key)
        return nbformat.read(stored, as_version=4)
    run, start = nbformat.from_dict(notebook), time.perf_counter()
    execute(run)
    seconds = time.perf_counter() - start
    for cell in run.cells:  # once here, not once per language
        sized(cell.get("outputs", []))
    log.info("Executed notebook %s (code %s) once for every language in %.1f s", name, key, seconds)
    store(run, name, key)
    return run


def store(run: nbformat.NotebookNode, name: str, key: str) -> None:
    """Write the executed notebook (atomically) and drop this notebook's older entries."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for older in folder.glob(f"{name}-*.ipynb"):
        if re.fullmatch(rf"{re.escape(name)}-[0-9a-f]{{16}}", older.stem):
            older.unlink()
    partial = folder / f"{name}-{key}.{os.getpid()}.partial"  # builds may run side by side (the suite's do)
    nbformat.write(run, partial)
    partial.replace(folder / f"{name}-{key}.ipynb")


def execute(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel, as a reader would: in the repository's root folder
    (the cells import `snippets`), without the TensorFlow log setting `make` exports (the
    notebook must set it itself). A failing cell raises CellExecutionError. The kernel is
    reached over local IPC sockets (ipykernel warns about unencrypted TCP)."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:  # one folder per kernel: they run at once
        ipc = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(sockets, "ipc")}})
        client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}},
                                config=ipc)
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
    if notebook.metadata.get("kernelspec", {}).get("language") != "python":
        raise PluginError(f"{path}: a notebook (mkdocs-jupyter's include globs) without a Python kernelspec header")
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"  # nbformat's are random: the same notebook must give the same bytes
    runs = [cell for cell in executed(notebook, Path(path).name.split(".")[0]).cells if cell.cell_type == "code"]
    for cell, run in zip((c for c in notebook.cells if c.cell_type == "code"), runs):
        cell.outputs, cell.execution_count = run.outputs, run.execution_count
    return notebook


@event_priority(50)  # before mkdocs-jupyter's on_pre_page, which keys its HTML cache by this .ipynb
def on_pre_page(page: Page, config: MkDocsConfig, files):
    if is_notebook(page):
        notebook = with_outputs(page.file.abs_src_path)
        rendered = EXECUTED_DIR / page.file.src_uri.replace(".md", ".ipynb")
        rendered.parent.mkdir(parents=True, exist_ok=True)
        partial = rendered.with_suffix(f".{os.getpid()}.partial")  # another build may be reading it
        nbformat.write(notebook, partial)
        partial.replace(rendered)
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
