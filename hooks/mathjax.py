"""Serve MathJax 3 from the built site itself.

MathJax is installed from the npm registry (package.json / `npm ci`) and copied into
each language's site_dir after the build: no CDN, nothing third-party committed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

ES5 = Path(__file__).resolve().parent.parent / "node_modules" / "mathjax" / "es5"
# What tex-chtml.js may load lazily (TeX extensions via autoload, the CHTML fonts, the
# menu and accessibility components), then tex-chtml.js itself: copied last, its
# presence marks a complete copy.
PARTS = ["input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y", "sre", "tex-chtml.js"]


def on_pre_build(config: MkDocsConfig) -> None:
    if not (ES5 / "tex-chtml.js").is_file():
        raise PluginError(f"{ES5}/tex-chtml.js not found: run `npm ci` (make install does)")


def on_post_build(config: MkDocsConfig) -> None:
    # Every language is built into the same site_dir (pages under /pt/ etc. share the
    # root's assets/), so this runs once per language: copy only when out of date.
    target = Path(config.site_dir) / "assets" / "mathjax"
    marker = target / "tex-chtml.js"
    if marker.is_file() and marker.stat().st_size == (ES5 / "tex-chtml.js").stat().st_size:
        return
    for part in PARTS:
        src, dst = ES5 / part, target / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
