"""Figures drawn at build time (hooks/figures.py): in the site, shown with Material's
light/dark switch, with alt text and a caption in the page's language."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.paths import LANGUAGES
from tests.snippet_loader import load_snippet
from tests.test_site.code_blocks import page_files

PAGE = "normalization-layer/index.html"


def figure_of(html: str):
    soup = BeautifulSoup(html, "html.parser")
    images = [img for img in soup.select("article img") if "normalization-axes" in img["src"]]
    figure = images[0].find_parent("figure") if images else None
    return images, figure


def test_the_built_figures_are_what_the_snippet_draws(built_site):
    figure = load_snippet("figures/normalization_axes.py")
    for palette in figure.PALETTES:
        built = built_site.site / "figures" / f"normalization-axes-{palette}.svg"
        assert built.read_text(encoding="utf-8") == figure.svg(palette)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_figure_follows_the_colour_scheme_with_alt_text_and_caption_in_the_page_language(built_site, lang):
    pages = page_files(built_site.site)
    images, figure = figure_of(pages[(lang, PAGE)].read_text(encoding="utf-8"))
    assert [img["src"].rsplit("/", 1)[-1] for img in images] == [
        "normalization-axes-light.svg#only-light", "normalization-axes-dark.svg#only-dark"]
    for img in images:  # the files resolve from this page
        target = (pages[(lang, PAGE)].parent / img["src"].split("#")[0]).resolve()
        assert target.is_file(), img["src"]
    alt = {img["alt"] for img in images}
    assert len(alt) == 1 and len(alt.pop()) > 80  # one description, a real one
    caption = figure.find("figcaption").get_text(strip=True)
    assert len(caption) > 40
    if lang != "en":
        english_images, english_figure = figure_of(pages[("en", PAGE)].read_text(encoding="utf-8"))
        assert images[0]["alt"] != english_images[0]["alt"], "alt text not translated"
        assert caption != english_figure.find("figcaption").get_text(strip=True), "caption not translated"
