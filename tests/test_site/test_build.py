"""The site builds strictly, in every language, with the same pages everywhere."""

from __future__ import annotations

import re

import nbformat

from tests.paths import LANGUAGES

LANGUAGE_ROOTS = {lang: ("" if lang == "en" else f"{lang}/") for lang in LANGUAGES}


def test_strict_build_has_no_warnings(built_site):
    warnings = [line for line in built_site.log.splitlines() if re.match(r"^(WARNING|ERROR)\b", line)]
    assert warnings == []


def pages_of(site, prefix):
    root = site / prefix if prefix else site
    found = set()
    for html in root.rglob("index.html"):
        relative = html.relative_to(root)
        if prefix == "" and relative.parts[0] in LANGUAGES:
            continue  # /pt/... belongs to Portuguese, not to the English root
        if relative.parts[0] in {"assets", "search"}:
            continue
        found.add(relative.as_posix())
    return found


def test_every_language_has_the_same_pages(built_site):
    english = pages_of(built_site.site, "")
    assert "index.html" in english and "batch-normalization/index.html" in english
    for lang, prefix in LANGUAGE_ROOTS.items():
        assert pages_of(built_site.site, prefix) == english, lang


def test_each_language_gets_its_own_site_name(built_site):
    from tests.paths import load_strings

    for lang, prefix in LANGUAGE_ROOTS.items():
        html = (built_site.site / prefix / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        assert load_strings(lang)["site"]["name"] in html


def test_notebook_pages_are_executed_and_downloadable(built_site):
    for lang, prefix in LANGUAGE_ROOTS.items():
        page = built_site.site / prefix / "notebooks/bn-step-by-step/index.html"
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<img[^>]+src="data:image/png;base64,', html), f"{page}: no executed plot"
        assert "Traceback" not in html
        assert 'href="bn-step-by-step.ipynb"' in html
        ipynb = page.parent / "bn-step-by-step.ipynb"
        assert ipynb.is_file(), ipynb
        notebook = nbformat.read(ipynb, as_version=4)
        nbformat.validate(notebook)
        # the download carries the outputs of the build's run: a reader sees the plot first
        outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{ipynb}: no plot in the download"
        assert not any(o.output_type == "error" for o in outputs)


def test_each_notebook_is_executed_once_per_build_not_once_per_language(built_site):
    runs = re.findall(r"Executed notebook (.+?) \(code (\w+)\)", built_site.log)
    assert len(runs) == len({key for _, key in runs}) == 1, runs  # one notebook today, run once


def test_chinese_is_segmented_for_search(built_site):
    import json

    index = json.loads((built_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert "\\u200b" in index["config"]["separator"] or "\u200b" in index["config"]["separator"]
    zh = [doc for doc in index["docs"] if doc["location"].startswith("zh/")]
    assert zh, "no Chinese pages in the search index"
    # jieba splits Chinese runs into words joined by U+200B, which the separator matches;
    # the term base's terms stay whole words (hooks/i18n_strings.py), so typing one finds it.
    assert sum("\u200b" in doc["text"] for doc in zh) > len(zh) // 2
    tokens = {token for doc in zh for token in re.split(r"[\s\u200b]+", doc["text"])}
    assert {"批量归一化", "层归一化", "内部协变量偏移"} <= tokens
