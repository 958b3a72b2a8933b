"""Every page exists in every language with the same skeleton; the term base is obeyed.

The negative tests run the same checks (and a real build) on deliberately broken copies
to show that each defect fails with a message naming the file.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import build_env, mkdocs_build, project_copy
from tests.paths import DOCS, LANGUAGES, ROOT, load_strings
from tests.test_site.checks import (
    english_pages,
    math_mismatches,
    missing_translations,
    notebook_mismatches,
    structure_mismatches,
    term_violations,
)

STRINGS = {lang: load_strings(lang) for lang in LANGUAGES}


def test_every_page_exists_in_every_language():
    assert len(english_pages(DOCS)) >= 3
    assert missing_translations(DOCS) == []


def test_translations_keep_heading_ids_and_includes():
    assert structure_mismatches(DOCS) == []


def test_formulas_are_identical_in_every_language():
    assert math_mismatches(DOCS) == []


def test_term_base_is_used_and_forbidden_variants_absent():
    assert term_violations(DOCS, STRINGS) == []


def test_every_language_file_defines_the_same_terms_and_nav():
    english = STRINGS["en"]
    for lang in LANGUAGES:
        assert STRINGS[lang]["terms"].keys() == english["terms"].keys(), lang
        assert STRINGS[lang]["nav"].keys() == english["nav"].keys(), lang
        assert STRINGS[lang]["ui"].keys() == english["ui"].keys(), lang


def test_notebooks_share_code_ids_and_links_and_caption_every_plot_in_their_language():
    assert len(english_pages(DOCS / "notebooks")) >= 3
    assert notebook_mismatches(DOCS, STRINGS) == []


@pytest.fixture
def docs_copy(tmp_path):
    copy = tmp_path / "docs"
    shutil.copytree(DOCS, copy)
    return copy


def test_missing_translation_is_reported_with_its_file(docs_copy):
    (docs_copy / "batch-normalization.da.md").unlink()
    problems = missing_translations(docs_copy)
    assert len(problems) == 1 and "batch-normalization.da.md" in problems[0]


def test_changed_heading_id_is_reported_with_its_file(docs_copy):
    page = docs_copy / "index.it.md"
    page.write_text(page.read_text(encoding="utf-8").replace("{ #entries }", "{ #voci }"), encoding="utf-8")
    problems = structure_mismatches(docs_copy)
    assert len(problems) == 1 and "index.it.md" in problems[0] and "voci" in problems[0]


def test_changed_formula_is_reported_with_its_file(docs_copy):
    page = docs_copy / "batch-normalization.pt.md"
    text = page.read_text(encoding="utf-8")
    assert "\\sqrt{\\sigma_\\mathcal{B}^2 + \\epsilon}" in text
    page.write_text(text.replace("\\sqrt{\\sigma_\\mathcal{B}^2 + \\epsilon}", "\\sqrt{\\sigma_\\mathcal{B}^2} + \\epsilon", 1), encoding="utf-8")
    problems = math_mismatches(docs_copy)
    assert problems and all("batch-normalization.pt.md" in p for p in problems)


def test_forbidden_term_is_reported_with_file_line_and_expected_term(docs_copy):
    page = docs_copy / "index.zh.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n批准归一化是错误的译名。\n", encoding="utf-8")
    problems = term_violations(docs_copy, STRINGS)
    line = len(page.read_text(encoding="utf-8").splitlines())
    assert problems == [f"{page}:{line}: forbidden term '批准归一化', use '批量归一化'"]


def test_missing_canonical_term_is_reported(docs_copy):
    page = docs_copy / "index.pt.md"
    page.write_text(page.read_text(encoding="utf-8").replace("estatísticas móveis", "estatísticas"), encoding="utf-8")
    problems = term_violations(docs_copy, STRINGS)
    assert len(problems) == 1 and "index.pt.md" in problems[0] and "estatísticas móveis" in problems[0]


def test_english_terms_count_only_as_whole_words_and_outside_references(tmp_path):
    """'unbiased' does not call for the term 'biased'; a paper title in References does not
    call for a translated term; the same words in running text do."""
    strings = {**STRINGS, "en": {**STRINGS["en"], "terms": {"biased_variance": {"term": "biased"}}},
               "pt": {**STRINGS["pt"], "terms": {"biased_variance": {"term": "enviesada"}}, "forbidden": {}}}
    docs = tmp_path / "mini"
    docs.mkdir()
    (docs / "page.md").write_text("# P { #p }\n\nAn unbiased estimate.\n\n## References { #references }\n\n"
                                  "- *Reducing a biased thing.* 2015.\n", encoding="utf-8")
    (docs / "page.pt.md").write_text("# P { #p }\n\nUma estimativa não viesada.\n", encoding="utf-8")
    for lang in ("it", "zh", "da"):
        (docs / f"page.{lang}.md").write_text("# P { #p }\n", encoding="utf-8")
    assert term_violations(docs, strings) == []
    (docs / "page.md").write_text("# P { #p }\n\nA biased estimate.\n", encoding="utf-8")
    assert [p for p in term_violations(docs, strings) if "page.pt.md" in p] != []


def test_broken_include_fails_the_strict_build_naming_the_page(tmp_path):
    project = project_copy(tmp_path)
    page = project / "docs/index.pt.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n--8<-- "reference/no_such_file.py"\n', encoding="utf-8")

    # Portuguese alone: a full build would build (and pass) English first; the notebook cache as
    # an author has it
    site = tmp_path / "site"
    build = mkdocs_build(project / "mkdocs.yml", site, build_env(site, GLOSSARY_PREVIEW_LANGUAGE="pt", NOTEBOOK_EXECUTE=""))

    assert build.returncode != 0
    assert "index.pt.md" in build.log and "no_such_file.py" in build.log
