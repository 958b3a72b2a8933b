"""hooks/math.py renders formulas at build time and refuses TeX it cannot render."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from hooks.math import on_post_page

PAGE = SimpleNamespace(file=SimpleNamespace(src_uri="entry.md"))


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
