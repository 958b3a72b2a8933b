"""Glossary terms linked across the site, and the A–Z index page, in every language.

i18n/glossary.yml names the entry pages and the term (a key of the term base in
i18n/<lang>.yml) each one defines. Each entry's one-line definition is the first sentence
of its "Definition" section, in the page's language, read when the page is converted
(on_page_content: MkDocs converts every page before it renders any). Then, on every page
of that language, each occurrence of an entry's term (canonical form or an inflection from
`also`) in running text becomes a link to the entry, with the definition as its tooltip
(Material's content.tooltips). Not inside code, math, headings, links, buttons, labels,
table headers, admonition titles, footnotes or the References section, and never a term on
its own entry page. Links already written to an entry get the tooltip too.

Matching is longest-first over the whole term base, so a longer term is never linked as a
shorter one inside it (批量重归一化 is not 批量归一化 + 重), and terms without an entry and
`except:` phrases only keep their words from being read as a shorter term. Latin-script
forms match whole words, case-insensitively; Chinese forms match anywhere.

The A–Z page (a-z.md in each language) holds two markers. <!-- glossary-index --> becomes the
entries in that language's alphabetical order (pinyin for Chinese), each with its definition
and the term in the other four languages; <!-- glossary-terms --> a table of every entry's
term in the five languages. Every term there links to its entry in its own language. They
are filled in before the search index is made, so the A–Z page is found by a term typed in
any of the five languages.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
ENTRIES: dict[str, str] = yaml.safe_load((I18N / "glossary.yml").read_text(encoding="utf-8"))  # page -> term key
INDEX_PAGE = "a-z.md"
DEFAULT_LANGUAGE = "en"

# Filled by on_page_content, per language: term key -> the entry's first sentence.
DEFINITIONS: dict[str, dict[str, str]] = {}

DEFINITION_PARAGRAPH = re.compile(r'<h2 id="definition"[^>]*>.*?</h2>\s*<p>(.*?)</p>', re.S)
INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
# A sentence ends at . ! ? followed by a capital letter or an opening parenthesis
# ("… before it. Ioffe and Szegedy …"), or at the end; "et al., 2014" does not end one.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ(])")
LATIN = "0-9A-Za-z\u00c0-\u024f_-"  # a Latin-script form must not touch these on either side

# Elements whose text is not running text: nothing inside them is linked.
SKIP_TAGS = {"a", "abbr", "button", "code", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "kbd",
             "label", "math", "mjx-container", "pre", "samp", "script", "select", "style",
             "summary", "svg", "textarea", "th"}
SKIP_CLASSES = {"admonition-title", "arithmatex", "footnote", "glossary-index", "headerlink",
                "translation-stale", "verification"}
REFERENCES_ID = "references"  # paper titles stay as their authors wrote them


def language_of(page: Page) -> str:
    return getattr(page.file, "locale", None) or DEFAULT_LANGUAGE


def english_page(page: Page) -> str:
    """batch-normalization.pt.md -> batch-normalization.md"""
    return re.sub(r"\.[a-z]{2}(\.md)$", r"\1", page.file.src_uri)


def load_terms(locale: str) -> dict[str, dict]:
    return _terms(locale, (I18N / f"{locale}.yml").stat().st_mtime_ns)


@functools.lru_cache(maxsize=None)  # read once per language and version of the file, not once per page
def _terms(locale: str, mtime_ns: int) -> dict[str, dict]:
    return yaml.safe_load((I18N / f"{locale}.yml").read_text(encoding="utf-8"))["terms"]


ROOT_LANGUAGE = DEFAULT_LANGUAGE  # the language built at the site's root (a one-language preview's: on_config)


def entry_url(locale: str, page: str) -> str:
    """The URL of an entry page in a language, from the site root: pt/batch-normalization/"""
    return ("" if locale == ROOT_LANGUAGE else f"{locale}/") + page.removesuffix(".md") + "/"


# --- definitions -------------------------------------------------------------------------

def math_as_text(tex: str) -> str:
    """A one-symbol formula as text: C -> C, \\gamma -> γ. Tooltips are plain text, so a
    definition's first sentence keeps its formulas to single symbols."""
    tex = tex.strip()
    if re.fullmatch(r"[A-Za-z0-9]", tex):
        return tex
    greek = re.fullmatch(r"\\([A-Za-z]+)", tex)
    if greek:
        case = "CAPITAL" if greek[1][0].isupper() else "SMALL"
        try:
            return unicodedata.lookup(f"GREEK {case} LETTER {greek[1].upper()}")
        except KeyError:
            pass
    raise ValueError(f"formula ${tex}$ in a definition's first sentence: use a single letter or Greek letter there")


def first_sentence(paragraph_html: str, locale: str) -> str:
    """The first sentence of a paragraph, as plain text."""
    text = INLINE_MATH.sub(lambda m: math_as_text(m[1]), paragraph_html)
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split())
    if locale.startswith("zh"):
        end = text.find("。")
        return text if end < 0 else text[:end + 1]
    return SENTENCE_END.split(text, maxsplit=1)[0]


def definition_of(content_html: str, locale: str, page: str) -> str:
    match = DEFINITION_PARAGRAPH.search(content_html)
    if not match:
        raise PluginError(f"glossary: {page} ({locale}) has no paragraph under a 'Definition {{ #definition }}' heading")
    try:
        return first_sentence(match[1], locale)
    except ValueError as error:
        raise PluginError(f"glossary: {page} ({locale}): {error}") from None


# --- term matching -----------------------------------------------------------------------

def term_pattern(locale: str) -> tuple[re.Pattern, dict[str, str | None]]:
    """One pattern for every form of every term of a language, longest first, and form (lower
    case) -> term key; None for phrases that only block a shorter term (`except:`)."""
    return _term_pattern(locale, (I18N / f"{locale}.yml").stat().st_mtime_ns)


@functools.lru_cache(maxsize=None)  # once per language and version of its term base, not once per page
def _term_pattern(locale: str, mtime_ns: int) -> tuple[re.Pattern, dict[str, str | None]]:
    forms: dict[str, str | None] = {}
    for key, term in load_terms(locale).items():
        for form in [term["term"], *term.get("also", [])]:
            if forms.get(form.lower(), key) != key:
                raise PluginError(f"glossary: '{form}' is a form of both {forms[form.lower()]} and {key}")
            forms[form.lower()] = key
        for phrase in term.get("except", []):
            forms.setdefault(phrase.lower(), None)
    alternatives = []
    for form in sorted(forms, key=len, reverse=True):
        before = f"(?<![{LATIN}])" if re.match(f"[{LATIN}]", form) else ""
        after = f"(?![{LATIN}])" if re.search(f"[{LATIN}]$", form) else ""
        alternatives.append(before + re.escape(form) + after)
    return re.compile("|".join(alternatives), re.I), forms


class TermLinker(HTMLParser):
    """Finds the running text of a page's article and links the terms in it. It records
    edits by offset into the original HTML, so everything it does not edit is kept byte
    for byte."""

    def __init__(self, html: str, link) -> None:
        super().__init__(convert_charrefs=False)
        self.html, self.link = html, link
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.edits: list[tuple[int, int, str]] = []
        self.in_article = False
        self.in_references = False
        self.skipping: tuple[str, int] | None = None  # (tag, nesting depth) of the element skipped

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "article" and "md-content__inner" in (attributes.get("class") or ""):
            self.in_article = True
        if not self.in_article:
            return
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping = (tag, self.skipping[1] + 1)
            return
        if tag == "h2":
            self.in_references = attributes.get("id") == REFERENCES_ID
        if tag == "a":
            self.titled_link(attributes)
        classes = set((attributes.get("class") or "").split())
        if tag in SKIP_TAGS or classes & SKIP_CLASSES:
            self.skipping = (tag, 1)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article = False
        if self.skipping and tag == self.skipping[0]:
            depth = self.skipping[1] - 1
            self.skipping = (tag, depth) if depth else None

    def handle_data(self, data: str) -> None:
        if self.in_article and not self.skipping and not self.in_references and data.strip():
            linked = self.link.text(data)
            if linked != data:
                start = self.position()
                self.edits.append((start, start + len(data), linked))

    def titled_link(self, attributes: dict) -> None:
        """A link already written to an entry, without a title, gets the entry's definition."""
        title = self.link.title_for(attributes.get("href") or "")
        if title and "title" not in attributes:
            raw = self.get_starttag_text()
            start = self.position()
            self.edits.append((start, start + len(raw), raw[:-1] + f' title="{escape(title)}">'))

    def result(self) -> str:
        self.feed(self.html)
        self.close()
        out, last = [], 0
        for start, end, text in self.edits:
            out += [self.html[last:start], text]
            last = end
        return "".join(out) + self.html[last:]


class Links:
    """What links a term on one page: the terms of its language, the definitions, the URLs."""

    def __init__(self, locale: str, page: Page, definitions: dict[str, str]) -> None:
        self.pattern, self.forms = term_pattern(locale)
        self.page_url = page.url
        own = ENTRIES.get(english_page(page))
        self.targets = {key: entry_url(locale, name) for name, key in ENTRIES.items() if key != own}
        missing = sorted(set(self.targets) - set(definitions))
        if missing:
            raise PluginError(f"glossary: no definition read for {missing} in '{locale}'")
        self.definitions = definitions
        self.by_url = {url: key for key, url in self.targets.items()}

    def href(self, key: str) -> str:
        return get_relative_url(self.targets[key], self.page_url)

    def text(self, data: str) -> str:
        def replace(match: re.Match) -> str:
            key = self.forms[match[0].lower()]
            if key not in self.targets:
                return match[0]  # a term without an entry, an `except:` phrase, or this page's own
            return (f'<a class="glossary-term" href="{self.href(key)}" '
                    f'title="{escape(self.definitions[key])}">{match[0]}</a>')
        return self.pattern.sub(replace, data)

    def title_for(self, href: str) -> str | None:
        if not href or "#" in href or "//" in href:
            return None
        # the site-root URL it points at: ('pt/x/', '../y/') -> 'pt/y/'
        target = posixpath.normpath(posixpath.join("/" + self.page_url, href)).lstrip("/") + "/"
        key = self.by_url.get(target)
        return self.definitions[key] if key else None


# --- the A–Z page ------------------------------------------------------------------------

def sort_key(term: str, locale: str) -> str:
    if locale.startswith("zh"):
        from pypinyin import lazy_pinyin  # the order of a Chinese dictionary: by pinyin
        term = " ".join(lazy_pinyin(term))
    if locale == "da":
        term = term.lower().translate({ord("æ"): "z\x01", ord("ø"): "z\x02", ord("å"): "z\x03"})  # … x y z æ ø å
    folded = unicodedata.normalize("NFKD", term.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def in_order(locale: str) -> list[tuple[str, str]]:
    """(entry page, term key) in this language's alphabetical order of the terms."""
    return sorted(ENTRIES.items(), key=lambda item: sort_key(load_terms(locale)[item[1]]["term"], locale))


def term_link(code: str, name: str, key: str, page: Page, hreflang: bool = True) -> str:
    """The term of an entry in a language, linked to the entry in that language."""
    language = f' hreflang="{code}"' if hreflang else ""
    return (f'<a href="{get_relative_url(entry_url(code, name), page.url)}"{language}>'
            f'{escape(load_terms(code)[key]["term"])}</a>')


def a_to_z(locale: str, page: Page, languages: list[tuple[str, str]]) -> str:
    """The entries in this language's alphabetical order: the term, linked to its entry, its
    definition, and the term in the other languages, each linked to the entry in that language."""
    items = []
    for name, key in in_order(locale):
        others = " · ".join(f'<span lang="{code}">{escape(language)}: {term_link(code, name, key, page)}</span>'
                            for code, language in languages if code != locale)
        items.append(f'<dt id="{name.removesuffix(".md")}">{term_link(locale, name, key, page, hreflang=False)}</dt>'
                     f'<dd><p>{escape(DEFINITIONS[locale][key])}</p><p class="glossary-index__languages">{others}</p></dd>')
    return f'<div class="glossary-index"><dl>{"".join(items)}</dl></div>'


def term_table(locale: str, page: Page, languages: list[tuple[str, str]]) -> str:
    """Every entry's term in the five languages, this page's language first, in its order."""
    columns = sorted(languages, key=lambda language: language[0] != locale)
    head = "".join(f'<th scope="col" lang="{code}">{escape(language)}</th>' for code, language in columns)
    rows = ["<tr>" + "".join(f'<td lang="{code}">{term_link(code, name, key, page)}</td>' for code, _ in columns) + "</tr>"
            for name, key in in_order(locale)]
    return f'<div class="glossary-index"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


# --- events ------------------------------------------------------------------------------

def on_config(config: MkDocsConfig) -> None:
    global ROOT_LANGUAGE
    ROOT_LANGUAGE = next(lang.locale for lang in config.plugins["i18n"].config.languages if lang.default)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    name = english_page(page)
    if name in ENTRIES:
        locale = language_of(page)
        DEFINITIONS.setdefault(locale, {})[ENTRIES[name]] = definition_of(html, locale, page.file.src_uri)
    return html


MARKERS = {"<!-- glossary-index -->": a_to_z, "<!-- glossary-terms -->": term_table}


@event_priority(50)  # before Material's search plugin (0) indexes page.content: the A–Z lists are searchable
def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    """Fill the A–Z page. Every page has been converted by now, so every definition is known."""
    if english_page(page) == INDEX_PAGE:
        languages = [(lang.locale, lang.name) for lang in config.plugins["i18n"].config.languages]
        for marker, build in MARKERS.items():
            if page.content.count(marker) != 1:
                raise PluginError(f"glossary: {page.file.src_uri} must hold the marker {marker} once")
            page.content = page.content.replace(marker, build(language_of(page), page, languages))
    return context


# Code blocks and rendered formulas hold most of a page's tags (a Pygments <span> per token, an
# SVG <path> per glyph) and nothing is linked inside them: the parser is spared them. Neither
# element nests inside itself, so the first closing tag ends each.
OPAQUE = re.compile(r"<pre\b.*?</pre>|<mjx-container\b.*?</mjx-container>", re.S)
PLACEHOLDER = re.compile(r'<pre data-glossary-opaque="(\d+)"></pre>')


def link_terms(html: str, links: Links) -> str:
    """The article's running text with its terms linked; everything else byte for byte."""
    start = html.find('<article class="md-content__inner')
    if start < 0:
        return html
    end = html.index("</article>", start) + len("</article>")
    opaque: list[str] = []

    def set_aside(match: re.Match) -> str:
        opaque.append(match[0])
        return f'<pre data-glossary-opaque="{len(opaque) - 1}"></pre>'

    article = OPAQUE.sub(set_aside, html[start:end])
    linked = PLACEHOLDER.sub(lambda m: opaque[int(m[1])], TermLinker(article, links).result())
    return html[:start] + linked + html[end:]


@event_priority(-10)  # after hooks/math.py (0) has turned formulas into SVG, which is skipped whole
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    locale = language_of(page)
    return link_terms(output, Links(locale, page, DEFINITIONS.get(locale, {})))
