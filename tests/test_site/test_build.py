"""The site builds strictly, in every language, with the same pages everywhere."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import jupytext
import nbformat
from bs4 import BeautifulSoup

from tests.conftest import build_env, mkdocs_build
from tests.paths import DOCS, LANGUAGES, NOTEBOOKS, ROOT, SNIPPETS
from tests.test_site.checks import plot_alt_texts

LANGUAGE_ROOTS = {lang: ("" if lang == "en" else f"{lang}/") for lang in LANGUAGES}


def test_strict_build_has_no_warnings(built_site):
    warnings = [line for line in built_site.log.splitlines() if re.match(r"^(WARNING|ERROR)\b", line)]
    assert warnings == []
    # nor anything a notebook's kernel logs ("Kernel is running over TCP without encryption")
    assert "[IPKernelApp]" not in built_site.log


def test_a_one_language_preview_builds_that_language_at_the_root_reusing_the_notebooks(built_site, tmp_path):
    """`make dev ONLY=pt` after a build: Portuguese alone, served from the root, its glossary
    links and search pointing at its own pages, and the notebooks the suite's build has just
    run reused, not run again (nothing they depend on has changed)."""
    site = tmp_path / "site"
    build = mkdocs_build(ROOT / "mkdocs.yml", site, build_env(site, GLOSSARY_PREVIEW_LANGUAGE="pt", NOTEBOOK_EXECUTE=""))
    assert build.returncode == 0, build.log
    assert sorted(re.findall(r"Reused notebook (\S+) \(code", build.log)) == NOTEBOOKS
    assert "Executed notebook" not in build.log
    assert '<html lang="pt"' in (site / "index.html").read_text(encoding="utf-8")
    assert not any((site / lang).exists() for lang in LANGUAGES)  # no other language, not even an empty index
    page = site / "batch-normalization/index.html"
    links = re.findall(r'class="glossary-term" href="([^"]+)"', page.read_text(encoding="utf-8"))
    assert len(links) > 5 and all((page.parent / href / "index.html").resolve().is_file() for href in links), links
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["pt"] and any(doc["location"] == "batch-normalization/" for doc in index["docs"])


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


def notebook_pages(site):
    for lang, prefix in LANGUAGE_ROOTS.items():
        for name in NOTEBOOKS:
            yield lang, name, site / prefix / f"notebooks/{name}/index.html"


def test_notebook_pages_are_executed_and_downloadable(built_site):
    for _, name, page in notebook_pages(built_site.site):
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<img[^>]+src="data:image/png;base64,', html), f"{page}: no executed plot"
        assert "Traceback" not in html
        assert f'href="{name}.ipynb"' in html
        ipynb = page.parent / f"{name}.ipynb"
        assert ipynb.is_file(), ipynb
        notebook = nbformat.read(ipynb, as_version=4)
        nbformat.validate(notebook)
        # the download carries the outputs of the build's run: a reader sees the plot first
        outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{ipynb}: no plot in the download"
        assert not any(o.output_type == "error" for o in outputs)


def test_each_notebook_is_executed_once_per_build_not_once_per_language(built_site):
    runs = re.findall(r"Executed notebook (.+?) \(code (\w+)\)", built_site.log)
    assert sorted(name for name, _ in runs) == sorted(NOTEBOOKS), runs
    assert len({key for _, key in runs}) == len(NOTEBOOKS)


def test_every_plot_has_the_alt_text_of_its_language_and_a_size(built_site):
    for lang, name, page in notebook_pages(built_site.site):
        source = DOCS / "notebooks" / (f"{name}.md" if lang == "en" else f"{name}.{lang}.md")
        expected = plot_alt_texts(jupytext.read(source).cells)
        images = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(".jp-OutputArea img")
        assert [img["alt"] for img in images] == expected, page
        # the image's own size is reserved before it loads: no layout shift
        assert all(int(img["width"]) > 0 and int(img["height"]) > 0 for img in images), page


def test_links_in_notebooks_reach_pages_and_anchors_of_the_same_language(built_site):
    checked = 0
    for lang, name, page in notebook_pages(built_site.site):
        wrapper = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(".jupyter-wrapper")
        for link in wrapper.select(".jp-RenderedMarkdown a[href]"):
            href = urlsplit(link["href"])
            if href.scheme or not href.path:
                continue  # external, or an anchor on this page
            target = (page.parent / href.path).resolve() / "index.html"
            assert target.is_file(), f"{page}: {link['href']} leads nowhere"
            first = target.relative_to(built_site.site.resolve()).parts[0]
            assert first == lang if lang != "en" else first not in LANGUAGES, f"{page}: {link['href']} leaves {lang}"
            if href.fragment:
                assert f'id="{href.fragment}"' in target.read_text(encoding="utf-8"), f"{page}: {link['href']}"
            checked += 1
    assert checked >= 5 * 3 * 2


def test_entries_link_to_every_notebook_in_every_language(built_site):
    for lang, prefix in LANGUAGE_ROOTS.items():
        entries = [p for p in (built_site.site / prefix).glob("*/index.html") if p.parent.name not in LANGUAGES]
        for name in NOTEBOOKS:
            linking = [p.parent.name for p in entries if f'href="../notebooks/{name}/"' in p.read_text(encoding="utf-8")]
            assert linking, f"{lang}: no entry links to the notebook {name}"


def test_downloads_link_to_the_site_not_to_relative_paths(built_site):
    for lang, name, page in notebook_pages(built_site.site):
        notebook = nbformat.read(page.parent / f"{name}.ipynb", as_version=4)
        text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        links = re.findall(r"\]\(([^)\s]+)\)", text)
        assert links and all(link.startswith(f"http://127.0.0.1:8000/{LANGUAGE_ROOTS[lang]}") for link in links), links


def test_chinese_is_segmented_for_search(built_site):
    index = json.loads((built_site.site / "zh/search/search_index.json").read_text(encoding="utf-8"))
    assert "\\u200b" in index["config"]["separator"] or "\u200b" in index["config"]["separator"]
    zh = index["docs"]
    assert zh, "no Chinese pages in the search index"
    # jieba splits Chinese runs into words joined by U+200B, which the separator matches;
    # the term base's terms stay whole words (hooks/i18n_strings.py), so typing one finds it.
    assert sum("\u200b" in doc["text"] for doc in zh) > len(zh) // 2
    tokens = {token for doc in zh for token in re.split(r"[\s\u200b]+", doc["text"])}
    assert {"批量归一化", "层归一化", "内部协变量偏移"} <= tokens


def test_each_language_has_its_own_search_index_with_its_own_stemmer(built_site):
    for lang, prefix in LANGUAGE_ROOTS.items():
        index = json.loads((built_site.site / prefix / "search/search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [lang]
        pages = {doc["location"].split("#")[0] for doc in index["docs"]}
        # every entry is one of this language's pages, located relative to the language root
        assert pages == {p.removesuffix("index.html") for p in pages_of(built_site.site, prefix)}, lang
        # and each page of this language points its search at that root
        html = (built_site.site / prefix / "batch-normalization/index.html").read_text(encoding="utf-8")
        base = re.search(r'"base": "([^"]*)"', html).group(1)
        assert (built_site.site / prefix / "batch-normalization" / base).resolve() == (built_site.site / prefix).resolve(), lang


def test_every_pages_skip_link_leads_to_a_heading_on_that_page(built_site):
    """Material's "Skip to content" targets the first heading's id; nbconvert left all-Chinese
    notebook titles without one (hooks/notebooks.py gives it back)."""
    for prefix in LANGUAGE_ROOTS.values():
        for path in pages_of(built_site.site, prefix):
            html = (built_site.site / prefix / path).read_text(encoding="utf-8")
            skip = re.search(r'<a href="#([^"]+)" class="md-skip">', html)
            if skip:  # pages without headings have no skip link
                assert re.search(rf'<h[1-6][^>]* id="{re.escape(skip.group(1))}"', html), (prefix, path, skip.group(1))
            assert '<h1 id="">' not in html and 'href="#">' not in html, (prefix, path)


def test_notebook_pages_share_one_trimmed_stylesheet_instead_of_inline_css(built_site):
    import tinycss2

    sheet = built_site.site / "assets/stylesheets/jupyter.css"
    css = sheet.read_text(encoding="utf-8")
    # the trimmed sheet still parses: no rule cut open (a `;` inside url(data:…;base64,…), a
    # comma inside :is(…) once did that, and the browser then dropped the rules after it)
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    assert [r.message for r in rules if r.type == "error"] == []
    for rule in (r for r in rules if r.type == "qualified-rule"):
        body = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
        assert all(d.type == "declaration" for d in body), tinycss2.serialize(rule.prelude)
    assert ".jupyter-wrapper h1 .anchor-link" in css  # a rule from the end of JupyterLab's sheet
    assert ".jp-OutputArea" in css and ".jp-InputPrompt" in css  # what the pages use is kept
    assert ".jp-FileBrowser" not in css and ".jp-Dialog" not in css  # JupyterLab's UI is not
    assert len(css) < 120_000, len(css)  # mkdocs-jupyter pasted ~590 KB into every page
    for _, name, page in notebook_pages(built_site.site):
        html = page.read_text(encoding="utf-8")
        inline = sum(len(block) for block in re.findall(r"<style[^>]*>(.*?)</style>", html, re.S))
        assert inline < 8_000, f"{page}: {inline} bytes of inline CSS"
        link = re.search(r'<link rel="stylesheet" href="([^"]*jupyter\.css)">', html).group(1)
        assert (page.parent / link).resolve() == sheet.resolve(), page


def test_the_search_index_reads_code_blocks_as_it_would_with_their_highlighting():
    """hooks/search_per_language.py hands Material's search plugin each code block without its
    Pygments markup, to spare its parser: the index must hold exactly what it held before."""
    import markdown
    from material.plugins.search.plugin import SearchIndex

    from hooks.search_per_language import plain_code

    code = (SNIPPETS / "pytorch/layer_norm.py").read_text(encoding="utf-8")
    html = markdown.markdown(f"# Title\n\nSome text.\n\n```python\n{code}```\n\n## Next {{ #next }}\n\n`x = 1` and more.\n",
                             extensions=["attr_list", "toc", "pymdownx.superfences", "pymdownx.highlight"],
                             extension_configs={"pymdownx.highlight": {"anchor_linenums": True}})
    plain = plain_code(html)
    assert html.count("<span") > 100 and plain.count("<span") == 0 and "<pre><code>" not in html  # it did strip

    def indexed(content: str) -> list[dict]:
        index = SearchIndex()
        index.add_entry_from_context(SimpleNamespace(content=content, meta={}, toc=[], url="page/"))
        return index.entries

    assert indexed(plain) == indexed(html)
    assert "nn.LayerNorm" in indexed(html)[0]["text"]
