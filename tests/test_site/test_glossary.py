"""Glossary terms linked across the site, and the A–Z page (hooks/glossary.py).

The unit tests feed the hook small pages. The built-site tests read the real site with
BeautifulSoup, independently of the hook: every glossary link goes to an existing entry of
its own language, with the definition that entry's page starts with; no running text is
left with an entry's term unlinked; nothing inside code, headings, math or links is
touched; the A–Z page lists every entry in the language's alphabetical order, with the term
in the other languages linked to their entries.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString

from hooks import glossary as hook
from tests.paths import I18N, LANGUAGES, load_strings
from tests.test_site.test_build import LANGUAGE_ROOTS, pages_of

ENTRIES = yaml.safe_load((I18N / "glossary.yml").read_text(encoding="utf-8"))  # page -> term key
TERMS = {lang: load_strings(lang)["terms"] for lang in LANGUAGES}
NOT_RUNNING_TEXT = {"a", "abbr", "button", "code", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "kbd",
                    "label", "math", "mjx-container", "pre", "samp", "script", "style", "summary",
                    "svg", "textarea", "th"}
NOT_RUNNING_TEXT_CLASSES = {"admonition-title", "arithmatex", "footnote", "glossary-index",
                            "translation-stale", "verification"}


def fake_page(src: str, url: str, locale: str = "en"):
    return SimpleNamespace(url=url, file=SimpleNamespace(src_uri=src, locale=locale))


def links_for(src: str, url: str, locale: str = "en") -> hook.Links:
    definitions = {key: f"definition of {key}" for key in ENTRIES.values()}
    return hook.Links(locale, fake_page(src, url, locale), definitions)


def article(body: str) -> str:
    return f'<html><body><nav>batch norm</nav><article class="md-content__inner md-typeset">{body}</article><footer>batch norm</footer></body></html>'


GLOSSARY_LINK = re.compile(r'<a class="glossary-term" href="([^"]*)" title="([^"]*)">(.*?)</a>')


def linked(html: str) -> list[tuple[str, str]]:
    """(href, text) of every glossary link the hook added."""
    return [(m[1], m[3]) for m in GLOSSARY_LINK.finditer(html)]


def unlinked(html: str) -> str:
    return GLOSSARY_LINK.sub(lambda m: m[3], html)


# --- definitions ---------------------------------------------------------------------------

def test_the_definition_is_the_first_sentence_with_its_symbols_as_text():
    paragraph = ('Dropout (Srivastava et al., 2014) zeroes values with probability '
                 '<span class="arithmatex">\\(p\\)</span> and scales by <span class="arithmatex">\\(\\gamma\\)</span> '
                 '<strong>anew</strong>, e.g. per step. It was introduced in 2014.')
    assert hook.first_sentence(paragraph, "en") == (
        "Dropout (Srivastava et al., 2014) zeroes values with probability p and scales by γ anew, e.g. per step.")
    assert hook.first_sentence('<span class="arithmatex">\\(\\Gamma\\)</span> is capital. Next.', "en") == "Γ is capital."
    assert hook.first_sentence("批量归一化是一种层：它做标准化。该方法于 2015 年提出。", "zh") == "批量归一化是一种层：它做标准化。"
    assert hook.first_sentence("Camada &amp; escala.\nOutra frase.", "pt") == "Camada & escala."


def test_a_formula_a_tooltip_cannot_show_is_refused():
    with pytest.raises(ValueError, match=r"formula \$\\frac\{a\}\{b\}\$"):
        hook.first_sentence('It is <span class="arithmatex">\\(\\frac{a}{b}\\)</span>. Next.', "en")
    with pytest.raises(ValueError, match="notagreekletter"):
        hook.first_sentence('It is <span class="arithmatex">\\(\\notagreekletter\\)</span>.', "en")


def test_an_entry_without_a_definition_section_fails_the_build():
    with pytest.raises(hook.PluginError, match="dropout.pt.md"):
        hook.definition_of('<h2 id="formulas">Fórmulas</h2><p>Texto.</p>', "pt", "dropout.pt.md")


# --- matching and linking ------------------------------------------------------------------

def test_the_longest_term_wins_and_each_links_to_its_own_entry():
    links = links_for("a-z.zh.md", "zh/a-z/", "zh")
    html = links.text("同步批量归一化和批量重归一化都基于批量归一化。")
    assert linked(html) == [("../synchronized-batch-normalization/", "同步批量归一化"),
                            ("../batch-renormalization/", "批量重归一化"),
                            ("../batch-normalization/", "批量归一化")]
    assert unlinked(html) == "同步批量归一化和批量重归一化都基于批量归一化。"


def test_latin_terms_match_whole_words_in_any_case_and_keep_the_text():
    links = links_for("index.md", "")
    html = links.text("Batch norm, a batch-norm layer, unfolded weights, folds and dropout's mask.")
    assert linked(html) == [("batch-normalization/", "Batch norm"), ("batch-normalization/", "batch-norm"),
                            ("folding-batch-norm/", "folds"), ("dropout/", "dropout")]
    # a term inside a longer term or an `except:` phrase links nothing shorter
    assert linked(links.text("internal covariate shift")) == [("internal-covariate-shift/", "internal covariate shift")]
    assert linked(links.text("the covariate shift and the shift")) == []


def test_a_term_is_not_linked_on_its_own_entry_page():
    links = links_for("layer-normalization.md", "layer-normalization/")
    assert linked(links.text("Layer normalization is not batch normalization.")) == [
        ("../batch-normalization/", "batch normalization")]


def test_only_running_text_of_the_article_is_linked_and_the_rest_is_kept_byte_for_byte():
    body = ('<h2 id="definition">batch norm<a class="headerlink" href="#definition">¶</a></h2>'
            '<p>Use batch norm &amp; <code>batch norm</code> or <a href="https://example.org">batch norm</a>.</p>'
            '<pre><span>batch norm</span></pre><p class="admonition-title">batch norm</p>'
            '<span class="arithmatex">batch norm</span><mjx-container><svg><use href="#x"/></svg>batch norm</mjx-container>'
            '<pre data-glossary-opaque="0"></pre><div class="highlight"><pre><code>batch norm</code></pre></div>'
            '<table><tr><th>batch norm</th><td>batch norm</td></tr></table>'
            '<div class="footnote"><div><p>batch norm</p></div></div><dl><dt>batch norm</dt><dd>dropout</dd></dl>'
            '<h2 id="references">References</h2><p>Batch norm paper</p>')
    page = article(body)
    result = hook.link_terms(page, links_for("regularization.md", "regularization/"))
    assert linked(result) == [("../batch-normalization/", "batch norm"), ("../batch-normalization/", "batch norm"),
                              ("../dropout/", "dropout")]
    assert unlinked(result) == page


def test_links_already_written_to_an_entry_get_its_definition_as_a_tooltip():
    page = article('<p><a href="../dropout/">Dropout</a>, <a href="../dropout/#code">its code</a>, '
                   '<a href="../dropout/" title="kept">kept</a>, <a href="../notebooks/x/">a notebook</a></p>')
    result = hook.link_terms(page, links_for("regularization.md", "regularization/"))
    assert result == page.replace('<a href="../dropout/">', '<a href="../dropout/" title="definition of dropout">')


# --- the built site ------------------------------------------------------------------------

def soup_of(built_site, lang: str, page: str) -> BeautifulSoup:
    return BeautifulSoup((built_site.site / LANGUAGE_ROOTS[lang] / page).read_text(encoding="utf-8"), "html.parser")


def text_of(element) -> str:
    """What a reader sees, formulas as their MathML text (the SVG is a picture)."""
    element = BeautifulSoup(str(element), "html.parser")
    for svg in element.find_all("svg"):
        svg.decompose()
    return " ".join(element.get_text().split())


def resolve(page: str, href: str) -> str:
    """The site path of a relative link: ('pt/dropout/index.html', '../x/') -> 'pt/x/index.html'."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0])) + "/index.html"


@functools.cache
def _definitions_on(site: Path, lang: str) -> dict[str, str]:
    az = BeautifulSoup((site / LANGUAGE_ROOTS[lang] / "a-z/index.html").read_text(encoding="utf-8"), "html.parser")
    found = {}
    for dt in az.select(".glossary-index dl > dt"):
        key = ENTRIES[dt["id"] + ".md"]
        found[key] = text_of(dt.find_next_sibling("dd").find("p"))
    return found


def entry_definitions(built_site, lang: str) -> dict[str, str]:
    """term key -> definition, as the A–Z page shows it."""
    return dict(_definitions_on(built_site.site, lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_definition_is_how_its_entry_page_begins(built_site, lang):
    definitions = entry_definitions(built_site, lang)
    assert set(definitions) == set(ENTRIES.values())
    for page, key in ENTRIES.items():
        soup = article_of(built_site, LANGUAGE_ROOTS[lang] + page.removesuffix(".md") + "/index.html")
        paragraph = text_of(soup.find("h2", id="definition").find_next_sibling("p"))
        definition = definitions[key]
        assert paragraph.startswith(definition), (lang, page)
        assert definition.endswith("。" if lang == "zh" else "."), definition
        assert len(definition) >= 30 and "\\" not in definition and "$" not in definition, definition


def article_of(built_site, page: str) -> BeautifulSoup:
    """The page's <article> alone: the links and running text are there, and parsing the
    navigation of 90 pages three times over would double these tests' time."""
    html = (built_site.site / page).read_text(encoding="utf-8")
    return BeautifulSoup(html[html.index("<article"):html.index("</article>") + len("</article>")], "html.parser")


def in_running_text(node) -> bool:
    for parent in node.parents:
        if parent.name in NOT_RUNNING_TEXT or NOT_RUNNING_TEXT_CLASSES & set(parent.get("class") or []):
            return False
    return True


def after_references(node) -> bool:
    heading = node.find_previous("h2")
    return heading is not None and heading.get("id") == "references"


def site_pages(built_site, lang: str) -> list[str]:
    return sorted(LANGUAGE_ROOTS[lang] + page for page in pages_of(built_site.site, LANGUAGE_ROOTS[lang].rstrip("/")))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_glossary_link_goes_to_its_entry_with_its_definition(built_site, lang):
    definitions = entry_definitions(built_site, lang)
    forms = {key: {f.lower() for f in [t["term"], *t.get("also", [])]} for key, t in TERMS[lang].items()}
    entry_of = {LANGUAGE_ROOTS[lang] + page.removesuffix(".md") + "/index.html": key for page, key in ENTRIES.items()}
    count = 0
    for page in site_pages(built_site, lang):
        soup = article_of(built_site, page)
        for link in soup.select("a.glossary-term"):
            target = resolve(page, link["href"])
            assert target in entry_of and target != page, (page, link)
            key = entry_of[target]
            assert link["title"] == definitions[key], (page, link)
            assert link.get_text().lower() in forms[key], (page, link)
            assert in_running_text(link.parent) and not after_references(link), (page, link)
            count += 1
    assert count > 100, f"only {count} glossary links in '{lang}'"


def unlinked_terms(soup: BeautifulSoup, lang: str, own: str | None) -> list[str]:
    """Each occurrence of an entry's term in the article's running text that is not inside a
    link. Forms that are part of a term without an entry (pt "fundido" in "kernel fundido")
    or of an `except:` phrase are not looked for: there the shorter term is not meant."""
    terms = TERMS[lang]
    others = [f.lower() for key, t in terms.items() if key not in ENTRIES.values()
              for f in [t["term"], *t.get("also", []), *t.get("except", [])]]
    # the page's own term is matched too (and not reported): "instance normalization layer" on
    # its own page holds no "normalization layer"
    forms = {f.lower(): key for key in ENTRIES.values() for f in [terms[key]["term"], *terms[key].get("also", [])]
             if not any(f.lower() in other for other in others)}
    wanted = list(forms)
    latin = "0-9A-Za-z\u00c0-\u024f_-"
    pattern = re.compile("|".join(
        (f"(?<![{latin}])" if re.match(f"[{latin}]", f) else "") + re.escape(f) + (f"(?![{latin}])" if re.search(f"[{latin}]$", f) else "")
        for f in sorted(wanted, key=len, reverse=True)), re.I)
    return [f"{m[0]!r} in {str(node)[:80]!r}" for node in running_text(soup.find("article"))
            for m in pattern.finditer(node) if forms[m[0].lower()] != own]


def running_text(article) -> list[NavigableString]:
    """The text nodes of running text: the article less References and every element that is
    not running text (links included), removed once rather than asked of each text node."""
    for references in article.find_all("h2", id="references"):
        for sibling in list(references.find_next_siblings()):
            if sibling.name == "h2":
                break
            sibling.decompose()
    for element in article.find_all(lambda tag: tag.name in NOT_RUNNING_TEXT
                                    or bool(NOT_RUNNING_TEXT_CLASSES & set(tag.get("class") or []))):
        if not element.decomposed:
            element.decompose()
    return [node for node in article.find_all(string=True) if type(node) is NavigableString]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_entry_term_is_left_unlinked_in_running_text(built_site, lang):
    pages_checked = 0
    for page in site_pages(built_site, lang):
        soup = article_of(built_site, page)
        own = next((key for name, key in ENTRIES.items() if page == LANGUAGE_ROOTS[lang] + name.removesuffix(".md") + "/index.html"), None)
        assert unlinked_terms(soup, lang, own) == [], page
        pages_checked += 1
    assert pages_checked == 18


def test_the_unlinked_term_check_finds_terms_when_the_links_are_removed(built_site):
    html = (built_site.site / "layer-normalization/index.html").read_text(encoding="utf-8")
    assert len(linked(html)) >= 5
    found = unlinked_terms(BeautifulSoup(unlinked(html), "html.parser"), "en", "layer_normalization")
    assert len(found) == len(linked(html))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_linking_is_done_once_and_keeps_every_page_otherwise_intact(built_site, lang):
    """The hook's parser copies what it does not link byte for byte: a linker with nothing to
    link returns each built page unchanged, and linking a built page again changes nothing."""
    for page in site_pages(built_site, lang):
        html = (built_site.site / page).read_text(encoding="utf-8")
        src = page.removeprefix(LANGUAGE_ROOTS[lang]).removesuffix("index.html").rstrip("/") or "index"
        fake = fake_page(src + ("" if lang == "en" else f".{lang}") + ".md", page.removesuffix("index.html"), lang)
        nothing = SimpleNamespace(text=lambda data: data, title_for=lambda href: None)
        assert hook.link_terms(html, nothing) == html, page
        again = hook.Links(lang, fake, entry_definitions(built_site, lang))
        assert hook.link_terms(html, again) == html, page


# --- the A–Z page --------------------------------------------------------------------------

# The order a reader of each language expects. Chinese dictionaries go by pinyin: céng, Dropout,
# guī, nèi, pī (批量 guī before 批量 chóng/zhòng), RMS, shí, tóng, zhé, zhèng, zǔ.
ZH_ORDER = ["层归一化", "Dropout", "归一化层", "内部协变量偏移", "批量归一化", "批量重归一化", "RMS 归一化",
            "实例归一化", "同步批量归一化", "折叠", "正则化", "组归一化"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_a_to_z_page_lists_every_entry_in_order_with_its_terms_in_every_language(built_site, lang):
    page = LANGUAGE_ROOTS[lang] + "a-z/index.html"
    soup = soup_of(built_site, lang, "a-z/index.html")
    headwords = [dt.get_text() for dt in soup.select(".glossary-index dl > dt")]
    expected = [TERMS[lang][key]["term"] for key in ENTRIES.values()]
    assert sorted(headwords) == sorted(expected)
    assert headwords == (ZH_ORDER if lang == "zh" else sorted(expected, key=str.casefold))
    for dt in soup.select(".glossary-index dl > dt"):
        entry = dt["id"] + ".md"
        key = ENTRIES[entry]
        assert resolve(page, dt.a["href"]) == LANGUAGE_ROOTS[lang] + entry.removesuffix(".md") + "/index.html"
        others = dt.find_next_sibling("dd").select(".glossary-index__languages [lang]")
        assert [o["lang"] for o in others] == [code for code in LANGUAGES if code != lang]
        for other in others:
            code = other["lang"]
            assert other.a.get_text() == TERMS[code][key]["term"] and other.a["hreflang"] == code
            assert resolve(page, other.a["href"]) == LANGUAGE_ROOTS[code] + entry.removesuffix(".md") + "/index.html"
            assert (built_site.site / resolve(page, other.a["href"])).is_file()
    table = soup.select_one(".glossary-index table")
    assert [th["lang"] for th in table.select("thead th")] == [lang] + [c for c in LANGUAGES if c != lang]
    rows = [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert [row[0] for row in rows] == headwords
    codes = [th["lang"] for th in table.select("thead th")]
    assert sorted(map(tuple, rows)) == sorted(tuple(TERMS[c][key]["term"] for c in codes) for key in ENTRIES.values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_a_to_z_page_is_searchable_in_all_five_languages(built_site, lang):
    """The lists are filled in before the search index is made: typing a Danish term on the
    English site finds the A–Z page, and with it the English term."""
    index = json.loads((built_site.site / LANGUAGE_ROOTS[lang] / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("a-z/")).replace("\u200b", "")
    missing = [TERMS[code][key]["term"] for code in LANGUAGES for key in ENTRIES.values()
               if TERMS[code][key]["term"] not in text]
    assert missing == []
