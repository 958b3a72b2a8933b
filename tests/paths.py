"""Paths and language list shared by the tests (one place)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
I18N = ROOT / "i18n"
LANGUAGES = ["en", "pt", "it", "zh", "da"]
DEFAULT_LANGUAGE = "en"


def load_strings(locale: str) -> dict:
    return yaml.safe_load((I18N / f"{locale}.yml").read_text(encoding="utf-8"))


def _english_notebooks() -> list[str]:
    translated = tuple(f".{lang}.md" for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
    return sorted(p.stem for p in (DOCS / "notebooks").glob("*.md") if not p.name.endswith(translated))


NOTEBOOKS = _english_notebooks()  # names, e.g. "bn-step-by-step"
