"""Chinese pages: nothing renders as a space between two Chinese characters.

Markdown keeps a soft line break as a newline in the HTML, and Chromium renders a newline
between two CJK characters as a space (「代码 在项目」), which Chinese text never has; the
same goes for a space typed after full-width punctuation (「**要点。** 正文」). On Chinese
pages such whitespace is removed, also across inline tags, but never
inside <pre> blocks, where it is code.
tests/test_site/test_cjk_spacing.py checks every rendered Chinese paragraph.
"""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
INLINE_TAGS = r"(?:</?(?:a|strong|em|b|i|span|code|sup|sub|abbr)\b[^>]*>)*"
SPACE = re.compile(rf"(?<=[{CJK}])({INLINE_TAGS})\s+({INLINE_TAGS})(?=[{CJK}])")
PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def join_cjk_lines(html: str) -> str:
    parts = PRE.split(html)  # odd indices are <pre> blocks: left alone
    return "".join(part if i % 2 else SPACE.sub(r"\1\2", part) for i, part in enumerate(parts))


def on_page_content(html: str, page, config, files) -> str:
    if (getattr(page.file, "locale", None) or "").startswith("zh"):  # also a Chinese preview, built at the root
        return join_cjk_lines(html)
    return html
