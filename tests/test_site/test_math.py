"""hooks/math.py renders formulas at build time, refuses TeX it cannot render, and renders
a page again only when its formulas change."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from hooks import math as math_hook
from hooks.math import on_post_page

PAGE = SimpleNamespace(file=SimpleNamespace(src_uri="entry.md"))


@pytest.fixture(autouse=True)
def math_cache(tmp_path, monkeypatch):
    """Each test with its own, empty cache of rendered pages."""
    monkeypatch.setattr(math_hook, "CACHE", tmp_path)
    return tmp_path


def page_with(body: str) -> str:
    return f"<html><head></head><body>{body}</body></html>"


def test_a_formula_becomes_svg_with_mathml_and_the_glyphs_it_uses():
    html = on_post_page(page_with(r'<p><span class="arithmatex">\(\hat{x} = x - \mu\)</span></p>'), PAGE, None)
    assert '<span class="arithmatex"><mjx-container' in html and "<svg" in html
    assert "<math" in html and "<mi>x</mi>" in html and "<mi>μ</mi>" in html  # MathML
    assert 'id="MJX-SVG-global-cache"' in html and "mjx-container[jax=" in html  # glyphs, styles
    assert "\\(" not in html


def test_notebook_markdown_math_is_rendered_and_code_is_left_alone():
    cell = '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">' \
           "<p>mean $\\mu$ and <code>price = $5</code></p></div>"
    html = on_post_page(page_with(cell), PAGE, None)
    assert html.count("<mjx-container") == 1 and "<code>price = $5</code>" in html


@pytest.mark.parametrize("tex", [r"\(\badcommand\)", r"\(\frac{a}\)"])
def test_a_tex_error_fails_the_build(tex):
    with pytest.raises(PluginError, match="TeX errors"):
        on_post_page(page_with(f'<span class="arithmatex">{tex}</span>'), PAGE, None)


def test_a_formula_that_is_not_rendered_fails_the_build():
    with pytest.raises(PluginError, match="not rendered"):
        on_post_page(page_with(r'<span class="arithmatex">\(x^{\)</span>'), PAGE, None)


def test_a_page_without_formulas_is_unchanged():
    html = page_with("<p>no math, not even $5</p>")
    assert on_post_page(html, PAGE, None) == html


def test_a_page_whose_formulas_are_unchanged_is_not_rendered_again(math_cache, monkeypatch):
    formulas = [r"\(\hat{x} = x - \mu\)"]
    rendered = math_hook.render(formulas)
    assert len(list(math_cache.glob("*.json"))) == 1

    def node_is_gone(fragments):
        raise AssertionError("rendered again")

    monkeypatch.setattr(math_hook, "rendered_by_node", node_is_gone)
    assert math_hook.render(formulas) == rendered  # from the cache, the same result
    with pytest.raises(AssertionError, match="rendered again"):
        math_hook.render([r"\(\hat{x} = x + \mu\)"])  # another formula: Node again
    monkeypatch.setattr(math_hook, "renderer_version", lambda: "another MathJax")
    with pytest.raises(AssertionError, match="rendered again"):
        math_hook.render(formulas)  # the same formula, another renderer: Node again
