"""The versions a page says it was verified with are the versions the tests ran."""

from __future__ import annotations

import re
from importlib.metadata import version

from tests.paths import DOCS, LANGUAGES
from tests.test_site.checks import page_path


def test_batch_norm_page_names_the_tested_versions():
    stated = ["PyTorch {}".format(version("torch").split("+")[0]),
              "TensorFlow {}".format(version("tensorflow-cpu" if _has("tensorflow-cpu") else "tensorflow")),
              "Keras {}".format(version("keras"))]
    for lang in LANGUAGES:
        page = page_path(DOCS, DOCS / "batch-normalization.md", lang)
        text = " ".join(page.read_text(encoding="utf-8").split())  # the sentence may wrap
        # in this order, separated by the language's own list punctuation (、 in Chinese)
        assert re.search(r"[,、，]\s*".join(map(re.escape, stated)), text), f"{page}: expected {stated}"


def _has(distribution: str) -> bool:
    try:
        version(distribution)
    except Exception:
        return False
    return True
