"""Translation freshness per section (hooks/translation_freshness.py, scripts/translation_freshness.py):
the report and the built pages' banners agree; edit one English section and exactly that
section of every translation is flagged, with a banner in its language linking the English
section, and nothing else is; refreshing the record clears it."""

from __future__ import annotations

import functools
import importlib.util
import shutil
from types import SimpleNamespace

import pytest

from hooks import translation_freshness as hook
from tests.paths import DOCS, LANGUAGES, ROOT, load_strings
from tests.test_site.test_build import LANGUAGE_ROOTS

TRANSLATIONS = [lang for lang in LANGUAGES if lang != "en"]
spec = importlib.util.spec_from_file_location("translation_freshness_script", ROOT / "scripts/translation_freshness.py")
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)


def test_the_report_and_the_built_pages_banners_agree(built_site):
    """English may move ahead of its translations (that is what the banners are for): whatever
    the report lists, and only that, carries a banner on the built site."""
    stale = script.report()
    assert script.main([]) == (1 if stale else 0)
    english_pages = [p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if p.name.count(".") == 1]
    expected = {(lang, page): 0 for lang in TRANSLATIONS for page in english_pages}
    for lang, english, _ in stale:
        expected[lang, english] += 1
    assert len(expected) >= 4 * 17
    for (lang, english), count in expected.items():
        page_dir = "" if english == "index.md" else english.removesuffix(".md")
        html = (built_site.site / LANGUAGE_ROOTS[lang] / page_dir / "index.html").read_text(encoding="utf-8")
        assert html.count("data-translation-stale") == count, (lang, english)


@pytest.fixture
def edited_docs(tmp_path):
    """A copy of docs/ whose English flagship has one more sentence in its Definition section."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    english = docs / "batch-normalization.md"
    text = english.read_text(encoding="utf-8")
    marker = "## Definition { #definition }\n"
    assert text.count(marker) == 1
    english.write_text(text.replace(marker, marker + "\nA sentence added in English.\n"), encoding="utf-8")
    return docs


def test_editing_one_english_section_flags_exactly_that_section_of_every_translation(edited_docs):
    for lang in TRANSLATIONS:
        for translated in sorted(edited_docs.rglob(f"*.{lang}.md")):
            src = translated.relative_to(edited_docs).as_posix()
            expected = ["definition"] if src == f"batch-normalization.{lang}.md" else []
            assert hook.stale_sections(src, docs=edited_docs) == expected, src


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_the_banner_appears_under_that_sections_heading_only_in_the_readers_language(built_site, edited_docs, lang, monkeypatch):
    monkeypatch.setattr(hook, "stale_sections", functools.partial(hook.stale_sections, docs=edited_docs))
    monkeypatch.setattr(hook, "updated_on", lambda english: "2026-11-24")
    ui = load_strings(lang)["ui"]["freshness"]
    config = {"extra": {"ui": {"freshness": ui}}}
    for page_dir in ["batch-normalization", "layer-normalization"]:
        html = (built_site.site / LANGUAGE_ROOTS[lang] / page_dir / "index.html").read_text(encoding="utf-8")
        page = SimpleNamespace(file=SimpleNamespace(src_uri=f"{page_dir}.{lang}.md"), url=f"{lang}/{page_dir}/")
        out = hook.on_post_page(html, page, config)
        if page_dir != "batch-normalization":
            assert out == html  # untouched: its English did not change
            continue
        assert out.count("data-translation-stale") == 1
        heading_end = out.index("</h2>", out.index('<h2 id="definition"'))
        banner = out[heading_end + len("</h2>"):]
        assert banner.startswith('<div class="admonition warning translation-stale" data-translation-stale>')
        assert ui["title"] in banner[:400] and "2026-11-24" in banner[:600]
        link = banner[:800].split('<a href="')[1].split('"')[0]
        assert link == "../../batch-normalization/#definition"  # from /<lang>/batch-normalization/
        assert (built_site.site / LANGUAGE_ROOTS[lang] / page_dir / link.split("#")[0] / "index.html").resolve() == \
            (built_site.site / "batch-normalization/index.html").resolve()


def test_refreshing_after_the_translation_is_updated_clears_the_section(edited_docs, tmp_path):
    records = tmp_path / "freshness"
    shutil.copytree(hook.RECORDS, records)
    assert hook.stale_sections("batch-normalization.pt.md", docs=edited_docs, records=records) == ["definition"]
    script.refresh("pt", "batch-normalization.md", ["definition"], docs=edited_docs, records_dir=records)
    assert hook.stale_sections("batch-normalization.pt.md", docs=edited_docs, records=records) == []
    assert hook.stale_sections("batch-normalization.it.md", docs=edited_docs, records=records) == ["definition"]
