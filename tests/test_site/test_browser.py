"""The built site in a real browser (Debian's chromium, driven by Playwright), fully offline.

Every request must go to the local server; pages must render their formulas, search
Chinese, switch language on the same page, toggle dark mode and copy code without the
annotation markers. Without chromium they skip with the reason, except in CI (browser.py).
"""

from __future__ import annotations

from urllib.parse import urlparse

import jupytext
import pytest

from tests.paths import DOCS, LANGUAGES, NOTEBOOKS, SNIPPETS
from tests.test_site.browser import ARGS, CHROMIUM, needs_chromium, serving
from tests.test_site.checks import plot_alt_texts
from tests.test_site.code_blocks import copied_text

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(built_site):
    with serving(built_site.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status} {r.url}"))
    page.on("request", lambda r: urlparse(r.url).hostname not in {"127.0.0.1", None}
            and not r.url.startswith("data:") and page.problems.append(f"external request {r.url}"))
    yield page
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_batch_norm_page_renders_math_offline_without_errors(page, server, lang):
    prefix = "" if lang == "en" else f"/{lang}"
    page.goto(f"{server}{prefix}/batch-normalization/")
    # rendered when the site was built: there on load, with no math script on the page
    assert page.locator("mjx-container svg").count() > 40
    assert page.evaluate("typeof window.MathJax") == "undefined"
    # every glyph a formula draws is defined in the page's font cache, and has a size
    assert page.evaluate("""[...document.querySelectorAll('mjx-container use')]
        .every(use => document.getElementById(use.getAttribute('xlink:href').slice(1)))""")
    assert page.locator("mjx-container svg").first.bounding_box()["width"] > 5
    assert page.locator(".md-annotation").count() >= 7  # 3 PyTorch + 4 Keras annotations
    assert page.problems == []


def test_chinese_search_finds_the_entry(page, server):
    page.goto(f"{server}/zh/")
    search(page, "批量归一化")
    assert "/zh/batch-normalization/" in page.locator(".md-search-result__item a").first.get_attribute("href")
    assert page.problems == []


def search(page, query: str) -> list[str]:
    """Type a query into Material's search and return the result links."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    # A query typed before the search worker has built its index is not re-run when the
    # index arrives; on a busy machine that takes seconds, so type again until it answers.
    for _ in range(12):
        box.fill(query)
        box.press("End")  # a key, as when a reader types: Material reads the query on keyup
        try:
            page.wait_for_selector(".md-search-result__item", timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    return [a.get_attribute("href") for a in page.locator(".md-search-result__item a").all()]


@pytest.mark.parametrize("lang, query", [("da", "batchnormalisering"), ("en", "normalization"), ("pt", "normalização")])
def test_search_loads_and_returns_only_the_pages_language(page, server, lang, query):
    prefix = "" if lang == "en" else f"/{lang}"
    indexes = []
    page.on("request", lambda r: r.url.endswith("search_index.json") and indexes.append(urlparse(r.url).path))
    page.goto(f"{server}{prefix}/batch-normalization/")
    links = [urlparse(href).path for href in search(page, query)]
    assert indexes == [f"{prefix}/search/search_index.json"]
    assert links and all(link.startswith(f"{prefix}/") for link in links)
    others = [f"/{other}/" for other in LANGUAGES if other not in ("en", lang)]
    assert not [link for link in links if link.startswith(tuple(others))], links
    assert page.problems == []


def test_language_switch_keeps_the_page(page, server):
    page.goto(f"{server}/batch-normalization/")
    page.locator(".md-select__link[hreflang=da]").dispatch_event("click")
    page.wait_for_url("**/da/batch-normalization/")
    assert page.locator("h1").inner_text().startswith("Batchnormalisering")
    assert page.problems == []


def test_language_switch_from_a_section_lands_on_the_same_section(page, server):
    page.goto(f"{server}/batch-normalization/#small-batches")
    page.locator(".md-select__link[hreflang=zh]").dispatch_event("click")
    page.wait_for_url("**/zh/batch-normalization/#small-batches")
    assert page.locator("#small-batches").count() == 1
    page.goto(f"{server}/zh/batch-normalization/")
    page.locator(".md-select__link[hreflang=da]").dispatch_event("click")
    page.wait_for_url("**/da/batch-normalization/")
    assert page.problems == []


def test_a_framework_chosen_in_one_tab_group_stays_chosen_on_other_pages_and_languages(page, server):
    page.goto(f"{server}/batch-normalization/")
    page.locator(".tabbed-set .tabbed-labels label", has_text="TensorFlow/Keras").first.click()
    for path in ["/layer-normalization/", "/da/layer-normalization/", "/zh/group-normalization/"]:
        page.goto(f"{server}{path}")
        chosen = page.evaluate("""[...document.querySelectorAll('.tabbed-set > input:checked')]
            .map(input => document.querySelector(`label[for="${input.id}"]`).innerText)""")
        assert chosen and set(chosen) == {"TensorFlow/Keras"}, (path, chosen)
    assert page.problems == []


def test_no_page_logs_an_error_or_fails_a_request(page, server, built_site):
    from tests.test_site.test_build import LANGUAGE_ROOTS, pages_of

    visited = 0
    for prefix in LANGUAGE_ROOTS.values():
        for path in sorted(pages_of(built_site.site, prefix)):
            page.goto(f"{server}/{prefix}{path.removesuffix('index.html')}", wait_until="load")
            visited += 1
    assert visited == 5 * len(pages_of(built_site.site, ""))
    assert page.problems == []  # console errors, page errors, 4xx/5xx, external requests


def test_dark_mode_toggle(page, server):
    page.goto(f"{server}/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.locator("label.md-header__button[for^=__palette]").first.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_figure_switches_with_the_colour_scheme_and_reads_on_its_background(page, server):
    """The light figure shows in the default scheme, the dark one in "slate", each on the
    background test_normalization_axes.py checks its contrast against."""
    page.goto(f"{server}/normalization-layer/")
    light, dark = page.locator("img[src$='#only-light']"), page.locator("img[src$='#only-dark']")
    page.wait_for_function("[...document.images].every(i => i.complete)")
    assert light.is_visible() and not dark.is_visible()
    assert light.evaluate("i => i.naturalWidth") > 0
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    page.locator("label.md-header__button[for^=__palette]").first.click()
    assert dark.is_visible() and not light.is_visible()
    assert dark.evaluate("i => i.naturalWidth") > 0
    assert page.evaluate(background) == "rgb(30, 33, 41)"  # #1e2129
    assert page.problems == []


def test_copy_button_copies_the_whole_script_without_annotation_markers(page, server):
    """The clipboard holds the snippet file, markers dropped: exactly what the copy-run test
    (test_copy_run.py) extracts from the HTML and runs."""
    page.goto(f"{server}/batch-normalization/")
    block = page.locator("#classifier ~ .tabbed-set .tabbed-block").first.locator(".highlight").first
    block.hover()
    block.locator("button.md-code__button[data-md-type=copy], button.md-clipboard").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    source = (SNIPPETS / "pytorch/mlp_batchnorm1d.py").read_text(encoding="utf-8")
    assert "# (1)!" in source and "# (1)!" not in copied
    # Material drops the markers but keeps the spaces before them: compare without trailing blanks
    assert copied_text(copied) == copied_text(source)
    assert page.problems == []


@pytest.mark.parametrize("path", ["/reference-implementation/", "/notebooks/bn-step-by-step/"])
def test_blocks_that_do_not_run_alone_have_no_copy_button(page, server, path):
    page.goto(f"{server}{path}")
    page.wait_for_load_state("load")
    assert page.locator(".highlight, .highlight-ipynb").count() >= 2
    assert page.locator("button.md-code__button[data-md-type=copy], button.md-clipboard, clipboard-copy").count() == 0
    assert page.problems == []


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_renders_its_math_and_plots(page, server, lang, name):
    plots = len(plot_alt_texts(jupytext.read(DOCS / "notebooks" / f"{name}.md").cells))
    prefix = "" if lang == "en" else f"/{lang}"
    page.goto(f"{server}{prefix}/notebooks/{name}/")
    assert page.locator(".jp-RenderedMarkdown mjx-container svg").count() >= 3  # rendered at build time
    images = page.locator(".jp-OutputArea img[src^='data:image/png']")
    assert images.count() == plots
    column = page.locator("article.md-content__inner").bounding_box()["width"]
    for i in range(plots):  # decoded, within the content column, not stretched by its width/height
        box = images.nth(i).bounding_box()
        natural = images.nth(i).evaluate("img => img.complete ? img.naturalWidth / img.naturalHeight : 0")
        assert 0 < box["width"] <= column
        assert box["width"] / box["height"] == pytest.approx(natural, rel=0.02)
    assert page.locator("a.md-button[download][href$='.ipynb']").count() == 1
    # the page does not jump while it loads: images are sized, styles are not late
    shift = page.evaluate("""new Promise(resolve => {
        let sum = 0;
        new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) sum += e.value; }))
            .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => resolve(sum), 1000);
    })""")
    assert shift <= 0.05, shift
    assert page.problems == []


def test_the_layout_does_not_move_sideways_when_the_scrollbar_appears(browser, server):
    """A page painted before all of it has arrived is short, then gains a scrollbar: the centred
    layout must not shift (the room is kept). Playwright hides scrollbars unless told not to."""
    with_scrollbars = browser.browser_type.launch(executable_path=CHROMIUM, args=ARGS, ignore_default_args=["--hide-scrollbars"])
    page = with_scrollbars.new_page(viewport={"width": 1350, "height": 940})  # Lighthouse's desktop window
    page.goto(f"{server}/notebooks/bn-step-by-step/")
    long = page.locator(".md-main__inner").bounding_box()["x"]
    page.evaluate("document.querySelector('article').replaceChildren()")  # now shorter than the window
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    assert page.locator(".md-main__inner").bounding_box()["x"] == long
    with_scrollbars.close()


def test_a_screen_reader_gets_each_formula_as_mathml(page, server):
    page.goto(f"{server}/batch-normalization/")
    formula = page.locator("mjx-container").first
    assert formula.locator("svg").get_attribute("aria-hidden") == "true"  # the picture is hidden,
    assert formula.locator("mjx-assistive-mml math").count() == 1  # the MathML is read instead
    assert page.problems == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_glossary_term_shows_its_definition_on_hover_and_on_keyboard_focus(page, server, built_site, lang):
    """Material's tooltip (content.tooltips) shows the entry's definition, from the title the
    build gave the link, for a mouse and for the keyboard; the link leads to the entry."""
    from bs4 import BeautifulSoup

    prefix = "" if lang == "en" else f"{lang}/"
    html = (built_site.site / prefix / "layer-normalization/index.html").read_text(encoding="utf-8")
    first = BeautifulSoup(html, "html.parser").select_one("article a.glossary-term")
    page.goto(f"{server}/{prefix}layer-normalization/")
    link = page.locator("article a.glossary-term").first
    tooltip = page.locator(".md-tooltip2--active")
    link.hover()
    tooltip.wait_for()
    assert tooltip.inner_text().strip() == first["title"]
    page.mouse.move(0, 0)
    tooltip.wait_for(state="detached")
    link.focus()
    tooltip.wait_for()
    assert tooltip.inner_text().strip() == first["title"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{prefix}{first['href'].strip('./')}/")
    assert page.problems == []
