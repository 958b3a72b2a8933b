"""The code blocks of the built site, as a reader's copy button yields them.

Material's copy button copies the block's text with the annotation markers (`# (1)!`)
hidden and trailing whitespace trimmed; a block inside a `.no-copy` element has no button.
Notebook cells (mkdocs-jupyter) are not Material code blocks: hooks/notebooks.py removes
their per-cell copy buttons, since a cell depends on the cells before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from tests.paths import LANGUAGES

MARKER = re.compile(r"[ \t]*# \(\d+\)!")


@dataclass(frozen=True)
class Block:
    language: str  # the page's language (en, pt, ...)
    page: str  # e.g. batch-normalization/index.html
    code_language: str  # python, bash, ...
    text: str  # what the copy button puts on the clipboard
    copyable: bool

    @property
    def first_line(self) -> str:
        return next((line for line in self.text.splitlines() if line.strip()), "")

    def where(self) -> str:
        return f"{self.page} [{self.language}], block starting `{self.first_line}`"


def copied_text(code_text: str) -> str:
    return "\n".join(MARKER.sub("", line).rstrip() for line in code_text.splitlines()).strip("\n") + "\n"


def page_files(site: Path) -> dict[tuple[str, str], Path]:
    """(language, page) -> built HTML file, for every content page of every language."""
    pages = {}
    for lang in LANGUAGES:
        root = site if lang == "en" else site / lang
        for html in root.rglob("index.html"):
            relative = html.relative_to(root)
            if relative.parts[0] in {"assets", "search"} or (lang == "en" and relative.parts[0] in LANGUAGES):
                continue
            pages[(lang, relative.as_posix())] = html
    return pages


def blocks_of(html: str, language: str, page: str) -> list[Block]:
    """The blocks of the page's article; only the article is parsed (the navigation, a third
    of each page, holds no code)."""
    start, end = html.find("<article"), html.find("</article>")
    soup = BeautifulSoup(html[start:end + len("</article>")] if 0 <= start < end else "", "html.parser")
    blocks = []
    for div in soup.select("article div.highlight"):
        code = div.find("code")
        if code is None:
            continue
        code_language = next((c.removeprefix("language-") for c in div.get("class", []) if c.startswith("language-")), "")
        copyable = not ("no-copy" in div.get("class", []) or div.find_parent(class_="no-copy"))
        blocks.append(Block(language, page, code_language, copied_text(code.get_text()), copyable))
    return blocks


def site_blocks(site: Path) -> list[Block]:
    return [block for (lang, page), html in sorted(page_files(site).items())
            for block in blocks_of(html.read_text(encoding="utf-8"), lang, page)]


def notebook_copy_buttons(html: str) -> int:
    """mkdocs-jupyter's per-cell copy buttons left on a page."""
    return html.count("<clipboard-copy")
