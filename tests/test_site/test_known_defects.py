"""The defects of the pages this glossary replaces (shared/seeds/README.md) never come back."""

from __future__ import annotations

import re

import pytest

from tests.paths import DOCS, SNIPPETS

# ```python or ```{ .python .no-copy }: group 2 is the info string
FENCE = re.compile(r"^(\s*)```([^`\n]*)$\n(.*?)^\1```\s*$", re.M | re.S)
CODE_FILES = sorted(SNIPPETS.rglob("*.py"))
PAGES = sorted(DOCS.rglob("*.md"))


def offenders(files, pattern: str) -> list[str]:
    return [f"{path}:{number}" for path in files
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(pattern, line)]


@pytest.mark.parametrize(
    "pattern, why",
    [
        (r"nn\.Softmax\(|nn\.LogSoftmax\(", "softmax before CrossEntropyLoss applies it twice"),
        (r"input_shape\s*=|input_dim\s*=", "deprecated in Keras 3: start with keras.Input"),
        (r"activation\s*=\s*['\"]softmax['\"]", "the Keras models output logits (from_logits=True)"),
    ],
)
def test_snippets_avoid_known_bugs(pattern, why):
    assert offenders(CODE_FILES, pattern) == [], why


@pytest.mark.parametrize(
    "pattern, why",
    [
        (r"frac\s*\{1\}\s*\{m\}\s*\{m\}", "garbled formula from the Chinese source page"),
        (r"批准", "批准 means 'approve': batch normalization is 批量归一化"),
    ],
)
def test_pages_avoid_known_errors(pattern, why):
    assert offenders(PAGES, pattern) == [], why


def test_python_code_blocks_on_pages_are_includes_only():
    """Code is never typed into a page: every python fence holds only --8<-- lines."""
    typed_code = []
    for page in PAGES:
        if page.parts[-2] == "notebooks":
            continue  # notebook cells are code by nature; their cells are compared across languages
        for _, info, body in FENCE.findall(page.read_text(encoding="utf-8")):
            if re.match(r"\s*(\{[^}]*\.)?python\b", info):
                typed = [line for line in body.splitlines() if line.strip() and not line.strip().startswith("--8<--")]
                if typed:
                    typed_code.append(f"{page}: {typed[0].strip()}")
    assert typed_code == []
