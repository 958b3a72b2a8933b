"""One shared, trimmed stylesheet for the notebook pages, instead of ~590 KB of inline CSS.

mkdocs-jupyter pastes JupyterLab's whole stylesheet (file browser, dialogs, toolbars, ...)
into every notebook page as <style> blocks, about 590 KB per page, of which the pages use a
few percent. This moves those blocks into assets/stylesheets/jupyter.css, linked from every
notebook page (downloaded once, cached), and keeps only the rules whose classes occur on
some notebook page: a rule is dropped only when its selector needs a class no notebook page
has (classes inside :not(), :is(), :where() and :has() do not count: they may be absent or
alternatives), and a custom property only when no var() reads it.
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
    root = "../" * page.url.count("/")
    output = output[:styles[0].start()] + STYLE.sub("", output[styles[0].start():wrapper]) + output[wrapper:]
    # before the site's own stylesheets (extra_css), so that those can restyle notebooks too
    first_own = output.index(f'<link rel="stylesheet" href="{root}{config.extra_css[0]}">')
    return output[:first_own] + f'<link rel="stylesheet" href="{root}{STYLESHEET}">\n' + output[first_own:]


def top_level_selectors(prelude) -> list[str]:
    """`a, :is(b, c) d` -> ["a", ":is(b, c) d"]: functions are single tokens, so a comma seen
    here is never inside one."""
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(tinycss2.serialize(current).strip())
            current = []
        else:
            current.append(token)
    return [*selectors, tinycss2.serialize(current).strip()]


def trimmed(rules, classes: set[str]) -> list:
    """The rules some notebook page can match, as [selector or @prelude, declarations or rules]."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = top_level_selectors(rule.prelude)
            used = [s for s in selectors if set(re.findall(r"\.([\w-]+)", re.sub(r":(?:not|is|where|has)\([^)]*\)", "", s))) <= classes]
            if used:
                body = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
                kept.append([",".join(used), [d for d in body if d.type == "declaration"]])
        elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports"} and rule.content:
            inner = tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True)
            kept.append([f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}", trimmed(inner, classes)])
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]))
    return kept


def declarations(rules: list):
    for rule in rules:
        if isinstance(rule, list):
            yield from (declarations(rule[1]) if rule[0].startswith("@") else rule[1])


def without_unused_properties(rules: list) -> list:
    """Drop the custom properties (--md-red-50: …) that no var() reads, until none is left.

    Works on parsed declarations: a value may hold a `;` (url(data:image/svg+xml;base64,…)),
    so cutting the text at semicolons would break the stylesheet."""
    while True:
        read = {name for d in declarations(rules) for name in re.findall(r"var\(\s*(--[\w-]+)", tinycss2.serialize(d.value))}
        unread = {id(d) for d in declarations(rules) if d.name.startswith("--") and d.name not in read}
        if not unread:
            return rules
        dropped(rules, unread)


def dropped(rules: list, unread: set[int]) -> None:
    for rule in rules:
        if isinstance(rule, list):
            if rule[0].startswith("@"):
                dropped(rule[1], unread)
            else:
                rule[1] = [d for d in rule[1] if id(d) not in unread]


def serialized(rules: list) -> str:
    """The stylesheet's text, without the rules left empty."""
    text = []
    for rule in rules:
        if isinstance(rule, str):
            text.append(rule)
        elif rule[0].startswith("@"):
            inner = serialized(rule[1])
            if inner:
                text.append(f"{rule[0]}{{{inner}}}")
        elif rule[1]:
            text.append(rule[0] + "{" + ";".join(d.serialize() for d in rule[1]) + "}")
    return "".join(text)


_trimmed: dict[frozenset, str] = {}  # parsing 590 KB of CSS takes seconds: once per set of classes


def on_post_build(config: MkDocsConfig) -> None:
    # runs after each language's build; the languages' notebooks use the same classes
    if not _blocks:
        return
    key = frozenset(_classes)
    if key not in _trimmed:
        rules = tinycss2.parse_stylesheet("\n".join(_blocks), skip_whitespace=True, skip_comments=True)
        _trimmed[key] = serialized(without_unused_properties(trimmed(rules, _classes)))
    target = Path(config.site_dir) / STYLESHEET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_trimmed[key], encoding="utf-8")
