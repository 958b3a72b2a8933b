"""Publish hreflang alternates in sitemap.xml only, not as <link rel="alternate"> in <head>.

Material treats every <link rel="alternate"> in <head> as a language root and fetches
`sitemap.xml` relative to it. mkdocs-static-i18n points those links at the translated
*page* (/pt/batch-normalization/), so every page view requested five non-existent
/<lang>/<page>/sitemap.xml files (404s). The language menu's links already lead to the
translated page, and the i18n plugin's sitemap.xml lists every page's hreflang
alternates, so the <head> copies are removed.
"""

from __future__ import annotations

import re

HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output: str, page, config) -> str:
    return HEAD_ALTERNATE.sub("", output)
