"""No stray spaces in Chinese text: a soft line break between two CJK characters renders
as a space in Chromium (「代码 在项目」); hooks/cjk_line_breaks.py removes them at build time."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from hooks.cjk_line_breaks import CJK, join_cjk_lines
from tests.test_site.code_blocks import page_files

SPACED = re.compile(rf"[{CJK}]\s+[{CJK}]")
TEXT_ELEMENTS = "p, li, td, th, h1, h2, h3, h4, figcaption, dt, dd, summary, .admonition-title"


def spaced_text(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.select(f"article :is({TEXT_ELEMENTS})"):
        if element.find_parent("pre") or element.find_parent(class_="highlight"):
            continue
        for match in SPACED.finditer(element.get_text()):
            text = element.get_text()
            found.append(text[max(0, match.start() - 8): match.end() + 8])
    return found


def test_rendered_chinese_text_has_no_space_between_two_cjk_characters(built_site):
    pages = {page: path for (lang, page), path in page_files(built_site.site).items() if lang == "zh"}
    assert {"index.html", "batch-normalization/index.html", "notebooks/bn-step-by-step/index.html"} <= set(pages)
    problems = {page: found for page, path in pages.items() if (found := spaced_text(path.read_text(encoding="utf-8")))}
    assert problems == {}


def test_the_check_finds_a_stray_space_and_the_hook_removes_it():
    html = "<article><p>代码\n在项目里，<strong>问题？</strong>\n回答。</p><li><b>要点。</b> 正文</li><pre>代码\n换行</pre></article>"
    assert len(spaced_text(html)) == 3
    joined = join_cjk_lines(html)
    assert spaced_text(joined) == []
    assert "<pre>代码\n换行</pre>" in joined  # code keeps its line breaks
    assert join_cjk_lines("<p>English\ntext 中文\n中文</p>") == "<p>English\ntext 中文中文</p>"
