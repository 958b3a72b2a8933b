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


def test_formulas_arrive_rendered_and_no_page_loads_math_javascript(built_site):
    rendered = 0
    for page in built_site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*mathjax|MathJax\s*=", html, re.I), f"{page}: math JavaScript"
        for element in re.findall(r'<(?:span|div) class="arithmatex">(.*?)</(?:span|div)>', html, re.S):
            # SVG for the eye, MathML for a screen reader, no TeX left for a script to find
            assert element.startswith("<mjx-container") and "<svg" in element, f"{page}: {element[:80]}"
            assert "<mjx-assistive-mml" in element and "<math" in element, f"{page}: no MathML"
            assert "\\(" not in element and "\\[" not in element, f"{page}: {element[:80]}"
            rendered += 1
        if "<mjx-container" in html:  # the glyphs the formulas use are defined on the page
            assert 'id="MJX-SVG-global-cache"' in html, page
            used = set(re.findall(r'xlink:href="#(MJX-[^"]+)"', html))
            defined = set(re.findall(r'<path id="(MJX-[^"]+)"', html))
            assert used <= defined, f"{page}: glyphs used but not defined: {sorted(used - defined)[:5]}"
    assert rendered > 5 * 200  # every language's entries are full of formulas


def test_inline_scripts_import_nothing_remote(built_site):
    offenders = []
    for page in built_site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for script in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
            offenders += [f"{page}: {url}" for url in re.findall(r"https?://[^\s\"')]+", script)]
    assert offenders == []
