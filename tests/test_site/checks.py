"""Structural checks of the multilingual docs tree.

Each check takes a docs folder (and term base) and returns a list of problems, each
naming the file (and line) at fault, so the tests can run them on the real tree and on
deliberately broken copies.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.paths import DEFAULT_LANGUAGE, LANGUAGES

HEADING_ID = re.compile(r"^#{1,6} .*\{ *#([\w-]+) *\}\s*$")
HEADING = re.compile(r"^#{1,6} ")
INCLUDE = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$')
FENCE = re.compile(r"^\s*(```|~~~)")


def page_path(docs: Path, source: Path, locale: str) -> Path:
    """docs/x/page.md -> docs/x/page.<locale>.md (English is the suffix-less file)."""
    if locale == DEFAULT_LANGUAGE:
        return source
    return source.with_name(f"{source.stem}.{locale}{source.suffix}")


def english_pages(docs: Path) -> list[Path]:
    suffixes = {f".{lang}" for lang in LANGUAGES}
    return sorted(
        p for p in docs.rglob("*.md") if Path(p.stem).suffix not in suffixes
    )


def outline(path: Path) -> tuple[list[str], list[str], list[str]]:
    """Heading ids, include lines and headings without an explicit id, in page order."""
    ids, includes, missing = [], [], []
    in_fence = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if INCLUDE.match(line):  # includes may sit inside fences and tabs
            includes.append(INCLUDE.match(line).group(1))
            continue
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or not HEADING.match(line):
            continue
        found = HEADING_ID.match(line)
        if found:
            ids.append(found.group(1))
        else:
            missing.append(f"{path}:{number}: heading without an explicit {{ #id }}")
    return ids, includes, missing


def missing_translations(docs: Path) -> list[str]:
    problems = []
    for source in english_pages(docs):
        for locale in LANGUAGES:
            target = page_path(docs, source, locale)
            if not target.is_file():
                problems.append(f"{target}: missing {locale} translation of {source}")
    return problems


def prose_pages(docs: Path, notebooks: str = "notebooks") -> list[Path]:
    """English Markdown pages, without the notebooks (raw-HTML heading ids, code cells;
    test_translations compares their code cells instead)."""
    return [p for p in english_pages(docs) if p.relative_to(docs).parts[0] != notebooks]


def existing_translations(docs: Path, source: Path) -> list[Path]:
    """The non-English versions of `source` that exist (missing ones: missing_translations)."""
    targets = (page_path(docs, source, locale) for locale in LANGUAGES if locale != DEFAULT_LANGUAGE)
    return [t for t in targets if t.is_file()]


def structure_mismatches(docs: Path) -> list[str]:
    """Same heading ids and same include lines, in the same order, as the English page."""
    problems = []
    for source in prose_pages(docs):
        ids, includes, missing = outline(source)
        problems += missing
        for target in existing_translations(docs, source):
            t_ids, t_includes, t_missing = outline(target)
            problems += t_missing
            if t_ids != ids:
                problems.append(f"{target}: heading ids {t_ids} differ from {source}: {ids}")
            if t_includes != includes:
                problems.append(
                    f"{target}: snippet includes {t_includes} differ from {source}: {includes}"
                )
    return problems


DISPLAY_MATH = re.compile(r"^\s*\$\$\s*$(.*?)^\s*\$\$\s*$", re.M | re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)\$")


def math_of(path: Path) -> tuple[list[str], list[str]]:
    """Display formulas in order, and the set of inline formulas (prose may repeat one)."""
    text = path.read_text(encoding="utf-8")
    display = [" ".join(block.split()) for block in DISPLAY_MATH.findall(text)]
    inline = sorted({" ".join(m.split()) for m in INLINE_MATH.findall(DISPLAY_MATH.sub("", text))})
    return display, inline


def math_mismatches(docs: Path) -> list[str]:
    """The LaTeX is identical in every language: same display formulas, same inline ones."""
    problems = []
    for source in prose_pages(docs):
        display, inline = math_of(source)
        for target in existing_translations(docs, source):
            t_display, t_inline = math_of(target)
            if t_display != display:
                problems.append(f"{target}: display formulas differ from {source}")
            if t_inline != inline:
                missing = sorted(set(inline) - set(t_inline))
                extra = sorted(set(t_inline) - set(inline))
                problems.append(f"{target}: inline formulas differ from {source}: missing {missing}, extra {extra}")
    return problems


LINK_TARGET = re.compile(r"\]\([^)\s]*\)")


def english_uses(english_text: str, english: dict, english_terms: dict) -> bool:
    """Does the (lower-cased) English text use this term on its own? Longer terms that
    contain it, and the phrases listed under its `except:`, do not count."""
    term = english["term"].lower()
    longer = [t["term"].lower() for t in english_terms.values() if term in t["term"].lower() and t["term"].lower() != term]
    for phrase in sorted([*longer, *(p.lower() for p in english.get("except", []))], key=len, reverse=True):
        english_text = english_text.replace(phrase, " ")
    return re.search(r"(?<!\w)" + re.escape(term), english_text) is not None


def term_violations(docs: Path, strings: dict[str, dict]) -> list[str]:
    """Forbidden variants anywhere in a language's pages; canonical terms where English uses them."""
    problems = []
    english_terms = strings[DEFAULT_LANGUAGE]["terms"]
    for source in english_pages(docs):
        # Paper titles in References stay in English: they do not call for a translated term.
        # Link targets are addresses, not prose: "internal-covariate-shift/" does not use "shift".
        english_text = LINK_TARGET.sub("]", source.read_text(encoding="utf-8").split("{ #references }")[0])
        english_text = " ".join(english_text.split()).lower()
        for locale in LANGUAGES:
            target = page_path(docs, source, locale)
            if not target.is_file():
                continue
            terms = strings[locale]["terms"]
            forbidden = strings[locale].get("forbidden") or {}
            text = target.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), 1):
                for key, variants in forbidden.items():
                    for variant in variants:
                        if variant.lower() in line.lower():
                            problems.append(
                                f"{target}:{number}: forbidden term '{variant}', "
                                f"use '{terms[key]['term']}'"
                            )
            if locale == DEFAULT_LANGUAGE:
                continue
            flat = " ".join(text.split()).lower()  # a term may wrap across lines
            for key, english in english_terms.items():
                # a whole word at its start: "biased" is not in "unbiased"; not inside a longer
                # term or phrase ("shift" in "internal covariate shift"), see english_uses()
                if not english_uses(english_text, english, english_terms):
                    continue
                accepted = [terms[key]["term"], *terms[key].get("also", [])]
                if not any(form.lower() in flat for form in accepted):
                    problems.append(
                        f"{target}: the English page uses '{english['term']}' but this page "
                        f"never uses the term base's '{terms[key]['term']}'"
                    )
    return problems


NOTEBOOK_HEADING = re.compile(r'<h2 id="([^"]+)">')


def plot_alt_texts(cells) -> list[str]:
    """The alt text of each plotting cell (```python alt="…"), in order."""
    return [c.metadata["alt"] for c in cells if c.cell_type == "code" and "alt" in c.metadata]


def notebook_outline(path: Path, figure: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Code cells, heading ids, link targets, alt texts, and problems with figure captions:
    every cell with an alt text (a plot) is followed by a Markdown cell "**<Figure> N.** …"."""
    import jupytext

    from hooks.notebooks import RELATIVE_LINK  # the links the build rewrites for the download

    cells = jupytext.read(path).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    code = [c.source for c in cells if c.cell_type == "code"]
    alts = plot_alt_texts(cells)
    problems = []
    for number, index in enumerate((i for i, c in enumerate(cells) if "alt" in c.metadata), start=1):
        after = cells[index + 1] if index + 1 < len(cells) else None
        if after is None or after.cell_type != "markdown" or not after.source.startswith(f"**{figure} {number}.**"):
            problems.append(f"{path}: plot {number} is not followed by a caption starting **{figure} {number}.**")
        if not cells[index].metadata["alt"].strip():
            problems.append(f"{path}: plot {number} has an empty alt text")
    return code, NOTEBOOK_HEADING.findall(text), sorted(RELATIVE_LINK.findall(text)), alts, problems


def notebook_mismatches(docs: Path, strings: dict[str, dict], notebooks: str = "notebooks") -> list[str]:
    """Notebooks: identical code cells, heading ids and link targets in every language;
    alt text and numbered captions for every plot, in the page's language."""
    problems = []
    for source in english_pages(docs / notebooks):
        code, ids, links, alts, own = notebook_outline(source, strings[DEFAULT_LANGUAGE]["ui"]["figure"])
        problems += own
        for target in existing_translations(docs / notebooks, source):
            locale = target.suffixes[-2].lstrip(".")
            t_code, t_ids, t_links, t_alts, t_own = notebook_outline(target, strings[locale]["ui"]["figure"])
            problems += t_own
            if t_code != code:
                problems.append(f"{target}: code cells differ from {source}")
            if t_ids != ids:
                problems.append(f"{target}: heading ids {t_ids} differ from {source}: {ids}")
            if t_links != links:
                problems.append(f"{target}: links {t_links} differ from {source}: {links}")
            if len(t_alts) != len(alts) or any(a == b for a, b in zip(t_alts, alts)):
                problems.append(f"{target}: every plot needs its own alt text in this language")
    return problems
