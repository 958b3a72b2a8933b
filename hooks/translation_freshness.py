"""Per-section translation freshness: a banner on each translated section whose English changed.

i18n/freshness/<lang>.json records, for every translated page, the SHA-256 (first 12 hex
digits) of each English section the translation was made from. A section is the text under
one `##` heading (`## Title { #id }`, or `<h2 id="id">` in notebooks), up to the next one;
the text before the first `##` is the section "_intro". When the English section's hash is
no longer the recorded one (or none is recorded), the translated page shows, under that
section's heading and in its own language, that the section was updated in English on <date>
with a link to the English section. scripts/translation_freshness.py lists the stale sections
and, once a translator has updated one, records the new hash (README: "Translating").
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import subprocess
from html import escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RECORDS = ROOT / "i18n" / "freshness"
INTRO = "_intro"
HEADING = re.compile(r'^(?:##[ \t][^\n]*\{[ \t]*#(?P<md>[\w-]+)[ \t]*\}|<h2 id="(?P<html>[\w-]+)">)', re.M)


def sections(markdown: str) -> dict[str, str]:
    """{section id: its text}, the text before the first ## heading under "_intro"."""
    markdown = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)  # front matter is not prose
    found, start, current = {}, 0, INTRO
    for match in HEADING.finditer(markdown):
        found[current] = markdown[start:match.start()]
        current, start = match["md"] or match["html"], match.start()
    found[current] = markdown[start:]
    return found


def fingerprint(text: str) -> str:
    """Whitespace-insensitive: re-wrapping a paragraph does not make its translations stale."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def english_source(translated_src: str) -> str:
    """batch-normalization.pt.md -> batch-normalization.md"""
    stem, _lang, suffix = translated_src.rsplit(".", 2)
    return f"{stem}.{suffix}"


def language_of(src: str) -> str | None:
    parts = Path(src).name.split(".")
    return parts[-2] if len(parts) == 3 else None


def english_hashes(english_src: str, docs: Path = DOCS) -> dict[str, str]:
    return {sid: fingerprint(text) for sid, text in sections((docs / english_src).read_text(encoding="utf-8")).items()}


def load_records(lang: str, records: Path = RECORDS) -> dict[str, dict[str, str]]:
    path = records / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def stale_sections(translated_src: str, docs: Path = DOCS, records: Path = RECORDS) -> list[str]:
    """The sections of a translated page whose English text is not the one it was made from."""
    lang, english = language_of(translated_src), english_source(translated_src)
    recorded = load_records(lang, records).get(english, {})
    translated = sections((docs / translated_src).read_text(encoding="utf-8"))
    return [sid for sid, digest in english_hashes(english, docs).items() if sid in translated and recorded.get(sid) != digest]


def updated_on(english_src: str, docs: Path = DOCS) -> str:
    """The date of the last commit that changed the English page (its file date outside git)."""
    path = docs / english_src
    try:
        date = subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(path)], cwd=docs,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        date = ""
    return date or datetime.date.fromtimestamp(path.stat().st_mtime).isoformat()


def banner(ui: dict, date: str, href: str) -> str:
    text = escape(ui["updated"]).format(date=date, link=f'<a href="{href}" hreflang="en">{escape(ui["read_original"])}</a>')
    return (f'<div class="admonition warning translation-stale" data-translation-stale>'
            f'<p class="admonition-title">{escape(ui["title"])}</p><p>{text}</p></div>')


def with_banners(html: str, stale: list[str], ui: dict, date: str, english_url: str) -> str:
    """The page's HTML with a banner after the heading of each stale section."""
    for sid in stale:
        heading = re.compile(r"(<h1[^>]*>.*?</h1>)" if sid == INTRO else rf'(<h2 id="{re.escape(sid)}"[^>]*>.*?</h2>)', re.S)
        anchor = "" if sid == INTRO else f"#{sid}"
        html, count = heading.subn(lambda m: m.group(1) + banner(ui, date, english_url + anchor), html, count=1)
        if count != 1:
            raise ValueError(f"translation freshness: no heading for section {sid!r}")
    return html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    src = page.file.src_uri
    if language_of(src) is None:
        return output  # English, the source
    stale = stale_sections(src)
    if not stale:
        return output
    english = english_source(src)
    page_url = english.removesuffix(".md")
    # up to the site root (pt/notebooks/x/ -> ../../../), then down to the English page
    english_url = "../" * page.url.count("/") + ("" if page_url == "index" else page_url + "/")
    article = output.index('<article class="md-content__inner')  # the page's own headings, not the nav's
    ui = config["extra"]["ui"]["freshness"]
    return output[:article] + with_banners(output[article:], stale, ui, updated_on(english), english_url)
