"""Nothing on the site is fetched from another origin: scripts, styles, fonts, images, math."""

from __future__ import annotations

import re
from html.parser import HTMLParser

EXTERNAL = re.compile(r"^(https?:)?//", re.I)


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "video", "audio"} and a.get("src"):
            self.found.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in {"canonical", "alternate"}:
            self.found.append(a["href"])


def test_no_page_loads_anything_from_another_origin(built_site):
    offenders = []
    pages = list(built_site.site.rglob("*.html"))
    assert len(pages) >= 15
    for page in pages:
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page}: {url}" for url in parser.found if EXTERNAL.match(url)]
    assert offenders == []


def test_no_stylesheet_imports_remote_fonts(built_site):
    offenders = []
    for css in built_site.site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)|@import\s+['\"]([^'\"]+)", css.read_text(encoding="utf-8")):
            target = "".join(url).strip("'\" ")
            if EXTERNAL.match(target):
                offenders.append(f"{css}: {target}")
    assert offenders == []


def test_mathjax_is_served_by_the_site(built_site):
    # Every language shares the root's assets/ (pt pages load ../assets/...).
    mathjax = built_site.site / "assets/mathjax"
    assert (mathjax / "tex-chtml.js").is_file()
    assert list((mathjax / "output/chtml/fonts/woff-v2").glob("*.woff"))
    for page in built_site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for src in re.findall(r'<script src="([^"]*mathjax[^"]*)"', html):
            # 404.html uses root-absolute URLs (site_url's path is "/")
            base = built_site.site if src.startswith("/") else page.parent
            assert (base / src.lstrip("/")).resolve().is_file(), f"{page}: {src}"


def test_inline_scripts_import_nothing_remote(built_site):
    offenders = []
    for page in built_site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for script in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
            offenders += [f"{page}: {url}" for url in re.findall(r"https?://[^\s\"')]+", script)]
    assert offenders == []
