"""Formulas rendered when the site is built: pages ship no math JavaScript.

Every formula (pymdownx.arithmatex's \\( \\) and \\[ \\], and $ $ in notebook Markdown) is
turned into SVG by MathJax 3 running in Node (npm `mathjax-full`, installed by `make
install`; hooks/math_to_svg.js). The glyphs a page uses are defined once per page (MathJax's
global font cache), no font is loaded, and every formula keeps its MathML for screen
readers (MathJax's assistive MathML). A TeX error, or a formula left unrendered, fails
the build.

Rendering is the same for the same formulas: each page's result is kept in .cache/math/,
keyed by its formulas, hooks/math_to_svg.js and the locked MathJax version, so a build
starts Node only for pages whose formulas changed. After a build of every language, the
entries no page used are removed.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "math_to_svg.js"
MATHJAX = ROOT / "node_modules" / "mathjax-full" / "js" / "mathjax.js"
CACHE = ROOT / ".cache" / "math"
ARITHMATEX = re.compile(r'(<(span|div) class="arithmatex">)(.*?)(</\2>)', re.S)
# nbconvert leaves the TeX of notebook Markdown cells for a client-side renderer
NOTEBOOK_MARKDOWN = re.compile(r'(<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(.*?)(</div>)', re.S)
LEFT_OVER = re.compile(r"\\\(|\\\[|(?<![\w\\])\$")
# Material limits the width of images and SVGs in content, which squashes display math
# on a phone; display formulas scroll inside their own box instead.
EXTRA_CSS = ".md-typeset mjx-container[jax=SVG]>svg{max-width:none}"

_renderer: subprocess.Popen | None = None


def renderer() -> subprocess.Popen:
    global _renderer
    if _renderer is None:
        _renderer = subprocess.Popen(["node", str(SCRIPT)], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, encoding="utf-8")
        atexit.register(_renderer.kill)
    return _renderer


@functools.lru_cache(maxsize=1)
def renderer_version() -> str:
    """What else decides the SVG: the script and the MathJax release npm installed."""
    installed = json.loads((MATHJAX.parent.parent / "package.json").read_text(encoding="utf-8"))["version"]
    return hashlib.sha256(SCRIPT.read_bytes() + installed.encode()).hexdigest()


_used: set[Path] = set()  # cache entries read or written since the last eviction


def render(fragments: list[str]) -> dict:
    key = hashlib.sha256(json.dumps([renderer_version(), fragments]).encode()).hexdigest()
    entry = CACHE / f"{key}.json"
    _used.add(entry)
    if entry.is_file():
        return json.loads(entry.read_text(encoding="utf-8"))
    result = rendered_by_node(fragments)
    if not result["errors"]:
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.partial")  # builds may run side by side (the suite's do)
        partial.write_text(json.dumps(result), encoding="utf-8")
        partial.replace(entry)
    return result


def rendered_by_node(fragments: list[str]) -> dict:
    process = renderer()
    process.stdin.write(json.dumps({"fragments": fragments}) + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        raise PluginError("the math renderer (hooks/math_to_svg.js) stopped")
    return json.loads(line)


def on_pre_build(config: MkDocsConfig) -> None:
    if shutil.which("node") is None or not MATHJAX.is_file():  # fail early, before any page is built
        raise PluginError(f"build-time math needs node and {MATHJAX}: run `make install`")


@event_priority(-300)  # after mkdocs-static-i18n (-100) has built the other languages inside this event
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins["i18n"]
    if i18n.building or i18n.config.build_only_locale:
        return  # one language's build among the others, or a one-language preview: not every page was seen
    for entry in CACHE.glob("*.json") if CACHE.is_dir() else []:
        if entry not in _used:
            entry.unlink()
    _used.clear()


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    spans = [(m.start(), m.end(), m.group(1), m.group(3), m.group(4)) for m in ARITHMATEX.finditer(output)]
    spans += [(m.start(), m.end(), m.group(1), m.group(2), m.group(3)) for m in NOTEBOOK_MARKDOWN.finditer(output)]
    if not spans:
        return output
    spans.sort()
    result = render([inner for _, _, _, inner, _ in spans])
    if result["errors"]:
        raise PluginError(f"{page.file.src_uri}: TeX errors: {result['errors']}")
    pieces, position = [], 0
    for (start, end, opening, _, closing), rendered in zip(spans, result["fragments"]):
        # what is left once the rendered formulas (and code) are taken out must hold no TeX
        rest = re.sub(r"<mjx-container.*?</mjx-container>|<code>.*?</code>", "", rendered, flags=re.S)
        if LEFT_OVER.search(rest):
            raise PluginError(f"{page.file.src_uri}: a formula was not rendered: {rest[:200]!r}")
        pieces += [output[position:start], opening, rendered, closing]
        position = end
    pieces.append(output[position:])
    output = "".join(pieces)
    css = re.sub(r"\s+", " ", result["css"])
    output = output.replace("</head>", f"<style>{css}{EXTRA_CSS}</style></head>", 1)
    return output.replace("</body>", f"{result['cache']}</body>", 1)
