"""Load each language's UI strings from i18n/<locale>.yml into the i18n plugin.

i18n/<locale>.yml is the single source of a language's site name, description,
navigation labels and term base; mkdocs.yml only lists the locales. This hook runs
before mkdocs-static-i18n reads its configuration (that plugin's on_config has
priority -100, ours the default 0).
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"


def load_language(locale: str) -> dict:
    path = I18N_DIR / f"{locale}.yml"
    if not path.is_file():
        raise PluginError(f"{path}: missing strings file for language '{locale}'")
    return _parsed(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=None)  # mkdocs-static-i18n runs on_config once per language: parse each file once
def _parsed(path: Path, mtime_ns: int) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def teach_jieba(terms: dict) -> None:
    """Keep each Chinese glossary term one search token (jieba would split 批量归一化 in two),
    so that typing a whole term in the search box finds it."""
    import jieba  # Material's search plugin segments Chinese with jieba at build time

    for entry in terms.values():
        for form in [entry["term"], *entry.get("also", [])]:
            jieba.add_word(form)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    i18n = config.plugins["i18n"].config
    for language in i18n.languages:
        strings = load_language(language.locale)
        if language.locale.startswith("zh"):
            teach_jieba(strings["terms"])
        language.site_name = strings["site"]["name"]
        language.site_description = strings["site"]["description"]
        language.nav_translations = strings.get("nav", {})
        language.admonition_translations = strings.get("admonitions", {})
        # Exposed to templates (overrides/) as config.extra.ui.*
        language.extra = {**(language.extra or {}), "ui": strings.get("ui", {})}
    return config
