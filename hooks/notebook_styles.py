"""One shared, trimmed stylesheet for the notebook pages, instead of ~590 KB of inline CSS.

mkdocs-jupyter pastes JupyterLab's whole stylesheet (file browser, dialogs, toolbars, ...)
into every notebook page as <style> blocks, about 590 KB per page, of which the pages use a
few percent. This moves those blocks into assets/stylesheets/jupyter.css, linked from every
notebook page (downloaded once, cached), and keeps only the rules whose classes occur on
some notebook page: a rule is dropped only when its selector needs a class no notebook page
has (classes inside :not() do not count: they may be absent), and a custom property only
when no var() reads it.
"""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

STYLESHEET = "assets/stylesheets/jupyter.css"
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_blocks: list[str] = []  # the stylesheet, as mkdocs-jupyter wrote it (the same on every page)
_classes: set[str] = set()  # every class used on a notebook page


def is_notebook(page: Page) -> bool:
    return page.file.src_uri.startswith("notebooks/")


@event_priority(-100)  # after hooks/notebooks.py has cleaned the page
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if not is_notebook(page):
        return output
    head_end, wrapper = output.index("</head>"), output.index('class="jupyter-wrapper"')
    styles = [m for m in STYLE.finditer(output, head_end, wrapper)]
    if not styles:
        raise ValueError(f"{page.file.src_uri}: mkdocs-jupyter's stylesheet was not found")
    blocks = [m.group(1) for m in styles]
    if _blocks and blocks != _blocks:
        raise ValueError(f"{page.file.src_uri}: notebook pages carry different stylesheets")
    _blocks[:] = blocks
    for classes in re.findall(r'class="([^"]*)"', output):
        _classes.update(classes.split())
    link = f'<link rel="stylesheet" href="{"../" * page.url.count("/")}{STYLESHEET}">'
    body = output[:styles[0].start()] + link + STYLE.sub("", output[styles[0].start():wrapper]) + output[wrapper:]
    return body


def trimmed(rules, classes: set[str]) -> str:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            used = [s for s in selectors if set(re.findall(r"\.([\w-]+)", re.sub(r":not\([^)]*\)", "", s))) <= classes]
            if used:
                kept.append(",".join(used) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports"} and rule.content:
            inner = trimmed(tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True), classes)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]))
    return "".join(kept)


CUSTOM_PROPERTY = re.compile(r"(--[\w-]+)\s*:[^;{}]*;?")
EMPTY_RULE = re.compile(r"(^|[{}])[^{}]*\{\s*\}")  # starts only after a brace: linear time


def without_unused_properties(css: str) -> str:
    """Drop the custom properties (--md-red-50: …) that no var() reads, until none is left."""
    while True:
        read = set(re.findall(r"var\(\s*(--[\w-]+)", css))
        lean = CUSTOM_PROPERTY.sub(lambda m: m.group(0) if m.group(1) in read else "", css)
        if lean == css:
            return EMPTY_RULE.sub(r"\1", css)  # and the rules left empty
        css = lean


_trimmed: dict[frozenset, str] = {}  # parsing 590 KB of CSS takes seconds: once per set of classes


def on_post_build(config: MkDocsConfig) -> None:
    # runs after each language's build; the languages' notebooks use the same classes
    if not _blocks:
        return
    key = frozenset(_classes)
    if key not in _trimmed:
        rules = tinycss2.parse_stylesheet("\n".join(_blocks), skip_whitespace=True, skip_comments=True)
        _trimmed[key] = without_unused_properties(trimmed(rules, _classes))
    target = Path(config.site_dir) / STYLESHEET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_trimmed[key], encoding="utf-8")
