"""One search index per language, loaded only by that language's pages.

mkdocs-static-i18n stacks every language's pages into the one search/search_index.json,
which every page then downloads whole (all five languages, with four lunr stemmers), and a
search from /da/ also returns English and Portuguese pages. Upstream has no per-language
option (Material's search plugin writes one index per build; the i18n plugin merges them).
After the last language is built, this splits the index: search/search_index.json keeps
the default language, <lang>/search/search_index.json holds <lang>'s pages with locations
relative to /<lang>/ and only <lang>'s stemmer. Material's search fetches
"search/search_index.json" relative to the "base" in each page's __config, so the pages
of <lang> get base = their language root; everything else in Material keeps using the
site root (stored preferences are scoped by __md_scope, which is not touched).

Material's search plugin parses each page's HTML with a pure-Python HTMLParser, and most
of a page's tags are inside its code blocks (a Pygments <span> per token, a line anchor
per line): it was the build's costliest step. It is handed each code block as the plain
text it indexes anyway (<pre><code>text</code></pre>), and the page keeps its markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


def languages(config: MkDocsConfig) -> tuple[str, list[str]]:
    i18n = config.plugins["i18n"].config
    default = next(lang.locale for lang in i18n.languages if lang.default)
    return default, [lang.locale for lang in i18n.languages if not lang.default and lang.build]


CODE_BLOCK = re.compile(r"(<pre\b[^>]*>)(.*?)(</pre>)", re.S)
TAG_IN_CODE = re.compile(r"<(?!/?code\b)[^>]*>")


def plain_code(html: str) -> str:
    """Every tag inside <pre> removed but <code>: the same text, without its highlighting."""
    return CODE_BLOCK.sub(lambda m: m[1] + TAG_IN_CODE.sub("", m[2]) + m[3], html)


def on_pre_build(config: MkDocsConfig) -> None:
    index = config.plugins["material/search"].search_index
    add_entry = type(index).add_entry_from_context

    def add_entry_with_plain_code(page) -> None:
        highlighted = page.content
        page.content = plain_code(highlighted)
        try:
            add_entry(index, page)
        finally:
            page.content = highlighted

    index.add_entry_from_context = add_entry_with_plain_code


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    _, others = languages(config)
    lang = page.url.split("/", 1)[0]
    if lang not in others:
        return output
    rebased = CONFIG_BASE.sub(lambda m: f"{m.group(1)}{m.group(2)}/{lang}/{m.group(3)}", output, count=1)
    if rebased == output:
        raise ValueError(f"{page.url}: no __config base found to point search at /{lang}/")
    return rebased


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every language and merged the index
def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    index = json.loads(merged.read_text(encoding="utf-8"))
    default, others = languages(config)
    docs: dict[str, list] = {lang: [] for lang in [default, *others]}
    for doc in index["docs"]:
        lang = doc["location"].split("/", 1)[0]
        if lang in others:
            docs[lang].append({**doc, "location": doc["location"][len(lang) + 1:]})
        else:
            docs[default].append(doc)
    for lang, entries in docs.items():
        target = merged if lang == default else site / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        own = {**index, "config": {**index["config"], "lang": [lang]}, "docs": entries}
        target.write_text(json.dumps(own, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
