"""Which translated sections are older than their English (hooks/translation_freshness.py).

    .venv/bin/python scripts/translation_freshness.py                 # report every stale section
    .venv/bin/python scripts/translation_freshness.py refresh pt batch-normalization.md [definition ...]

`refresh` records the current English text of a page's sections (all of them, or the ones
named) as the text the LANG translation now follows: run it after updating the translation.
The report exits with status 1 when a section is stale, so it can gate a release.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hooks.translation_freshness import (  # noqa: E402
    DOCS, RECORDS, english_hashes, english_source, load_records, stale_sections,
)

LANGUAGES = ["pt", "it", "zh", "da"]


def translated_pages(lang: str) -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob(f"*.{lang}.md"))


def report() -> list[tuple[str, str, str]]:
    return [(lang, english_source(src), sid) for lang in LANGUAGES for src in translated_pages(lang)
            for sid in stale_sections(src)]


def refresh(lang: str, english: str, only: list[str], docs: Path = DOCS, records_dir: Path = RECORDS) -> None:
    records = load_records(lang, records_dir)
    current = english_hashes(english, docs)
    unknown = set(only) - set(current)
    if unknown:
        sys.exit(f"{english} has no section {sorted(unknown)}; its sections: {sorted(current)}")
    page = records.setdefault(english, {})
    page.update({sid: digest for sid, digest in current.items() if not only or sid in only})
    records_dir.mkdir(parents=True, exist_ok=True)
    (records_dir / f"{lang}.json").write_text(json.dumps(dict(sorted(records.items())), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv[:1] == ["refresh"]:
        if len(argv) < 3:
            sys.exit(__doc__)
        refresh(argv[1], argv[2], argv[3:])
        return 0
    stale = report()
    for lang, english, sid in stale:
        print(f"{lang}  {english}  #{sid}  stale: the English section changed since it was translated")
    print(f"{len(stale)} stale section(s) across {', '.join(LANGUAGES)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
