"""axe-core on every page of every language, in the light and the dark palette: no violation
of any impact (WCAG 2.x A/AA and axe's best practices, axe's default rule set).

axe comes from PyPI (axe-playwright-python bundles axe-core 4.12) and runs in Debian's
chromium, offline. The fixes live in the theme, not in pages: docs/stylesheets/extra.css
(colours, link underlines), docs/javascripts/accessibility.js (names Material's markup lacks).
The last test takes those fixes away again and checks that axe then reports each cause, so a
theme change that brings one back fails here.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.paths import LANGUAGES
from tests.test_site.browser import ARGS, CHROMIUM, needs_chromium, serving
from tests.test_site.test_build import LANGUAGE_ROOTS, pages_of

pytestmark = needs_chromium

# The palettes differ only in colour, so the dark one is checked with the rules that read colours
# (the others give the same answer on the same markup, and would double the time).
RULES = {
    "default": {"resultTypes": ["violations"]},
    "slate": {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}},
}
# axe is CPU-bound: one page per core, shared with the other test workers (pytest-xdist)
PARALLEL = max(1, min(4, (os.cpu_count() or 1) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))))
SETTLED = "document.getAnimations().every(a => a.playState !== 'running')"  # no colour mid-transition


def describe(path: str, scheme: str, violation: dict) -> str:
    nodes = violation["nodes"]
    where = "; ".join(str(node["target"][-1]) for node in nodes[:3])
    why = nodes[0].get("failureSummary", "").replace("\n", " ")[:240] if nodes else ""
    return f"{path} [{scheme}] {violation['id']} ({violation['impact']}, {len(nodes)} nodes): {where} | {why}"


async def switch_palette(page, to: str) -> None:
    """Material's own palette switch (the toggle's radio input), then wait out its transitions.
    Not a click on the toggle: the pointer would stay on it, and the tooltip it shows, still
    fading in, is a contrast failure that no reader sees at rest."""
    target = {"slate": "__palette_1", "default": "__palette_0"}[to]
    await page.evaluate(f"document.getElementById('{target}').click()")
    await page.wait_for_function(f"document.body.dataset.mdColorScheme === '{to}' && {SETTLED}")


async def violations(server: str, paths: list[str], breaking_js: str | None = None) -> dict:
    """{(path, scheme): [axe violation, ...]} for every path in both palettes: each page is loaded
    once, checked in the light palette, switched to the dark one with the toggle, checked again,
    and switched back (the choice is stored, and the next page must open light)."""
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import async_playwright

    axe, found, queue = Axe(), {}, list(paths)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        async def worker():
            # a context of its own, so that each worker's pages get a renderer process of their own
            context = await browser.new_context(color_scheme="light")
            page = await context.new_page()
            while queue:
                path = queue.pop(0)
                await page.goto(server + path, wait_until="load")
                assert await page.evaluate("document.body.dataset.mdColorScheme") == "default", path
                await page.wait_for_selector(".md-search[aria-label]", state="attached")  # accessibility.js ran
                if breaking_js:
                    await page.evaluate(breaking_js)
                found[path, "default"] = (await axe.run(page, options=RULES["default"])).response["violations"]
                await switch_palette(page, "slate")
                found[path, "slate"] = (await axe.run(page, options=RULES["slate"])).response["violations"]
                await switch_palette(page, "default")
            await context.close()

        await asyncio.gather(*(worker() for _ in range(PARALLEL)))
        await browser.close()
    return found


async def first_visit_schemes(server: str, path: str) -> dict[str, str]:
    """The palette a first visit opens in, for each system colour scheme (mkdocs.yml: media queries)."""
    from playwright.async_api import async_playwright

    schemes = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for system_setting in ("light", "dark"):
            context = await browser.new_context(color_scheme=system_setting)
            page = await context.new_page()
            await page.goto(server + path, wait_until="load")
            schemes[system_setting] = await page.evaluate("document.body.dataset.mdColorScheme")
            await context.close()
        await browser.close()
    return schemes


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_accessibility_violations_on_any_page_in_either_palette(built_site, lang):
    prefix = LANGUAGE_ROOTS[lang]
    paths = sorted(f"/{prefix}/{p.removesuffix('index.html')}".replace("//", "/")
                   for p in pages_of(built_site.site, prefix))
    assert len(paths) >= 17, paths  # home, 12 entries, 3 notebooks, the reference page
    with serving(built_site.site) as server:
        assert asyncio.run(first_visit_schemes(server, paths[0])) == {"light": "default", "dark": "slate"}
        found = asyncio.run(violations(server, paths))
    assert len(found) == 2 * len(paths)
    problems = [describe(path, scheme, v) for (path, scheme), vs in sorted(found.items()) for v in vs]
    assert problems == [], "\n".join(problems)


# Each of the theme's fixes, undone in the page: axe must see the cause come back. (Attributes
# are emptied rather than removed: accessibility.js labels what has none, as the page changes.)
UNDO_THE_FIXES = """
    document.querySelector('link[href$="stylesheets/extra.css"]').remove();
    document.querySelector('.md-search').setAttribute('aria-label', '');
    document.querySelectorAll('nav.md-code__nav').forEach(nav => nav.setAttribute('role', 'navigation'));
    document.querySelectorAll('.md-annotation__index').forEach(a => a.setAttribute('aria-label', ''));
"""


def test_axe_reports_each_cause_the_theme_fixes_once_the_fix_is_undone(built_site):
    with serving(built_site.site) as server:
        found = asyncio.run(violations(server, ["/batch-normalization/"], breaking_js=UNDO_THE_FIXES))
    assert {"color-contrast", "link-in-text-block", "aria-dialog-name", "landmark-unique", "link-name"} <= {
        v["id"] for v in found["/batch-normalization/", "default"]}
    assert {"color-contrast", "link-in-text-block"} <= {v["id"] for v in found["/batch-normalization/", "slate"]}
