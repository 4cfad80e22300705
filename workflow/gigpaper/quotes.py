"""Where the published article prints a number and the words around it: the forms a value is printed in, and the
line a quote of the article prints it on. The raw files' statements (gigpaper.validate), the claims ledger, the
comparison of the kk edition with the published text and the data package's article check all find them so.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from gigpaper.catalogue import PUBLISHED_LANG, number_words
from gigpaper.grammar import line_at

WINDOW = 8  # lines either side of source_line a quote may run over
ANYWHERE = 10**9  # a window of the whole article


@cache
def _quote_pattern(quote: str) -> re.Pattern[str]:
    """The quote's words in order, across line breaks; a word broken at a line end ("гиг- экономика") matches too."""
    words = [re.escape(word).replace(r"\-", r"-\s*") for word in quote.split()]
    return re.compile(r"\s+".join(words))


def number_forms(value: float) -> list[str]:
    """How the article prints a value: 40 as "40", 500000 as "500" (мың), 6 as "алты"."""
    forms = [f"{value:g}"]
    if value >= 1000 and value % 1000 == 0:
        forms.append(f"{value / 1000:g}")
    words = number_words(PUBLISHED_LANG)  # the article writes some numbers as words: "алты" is six
    if value in words:
        forms.append(words[int(value)])
    return forms


def _form_pattern(form: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.,]){re.escape(form)}(?![\d]|[.,]\d)" if form[0].isdigit() else rf"(?<!\w){form}(?!\w)")


def line_prints(article_lines: list[str], line: int, value: float) -> bool:
    """Whether line `line` (1-based) of the article prints `value` in one of its forms."""
    if not 0 < line <= len(article_lines):
        return False
    return any(_form_pattern(form).search(article_lines[line - 1]) for form in number_forms(value))


def locate_quote(
    article_lines: list[str], line: int, quote: str, value: float | None = None, window: int = WINDOW
) -> int | None:
    """The line (1-based) where `quote` prints `value` (or, with no value, where the quote starts),
    for the occurrence of the quote nearest to `line` within `window` lines of it; None when the quote is not there.
    A message that a quote is not at its line looks in the whole article (ANYWHERE): a line number mistyped, 457 for
    547, is named so, not the words."""
    first = max(line - window, 1)
    text = "\n".join(article_lines[first - 1 : line + window])
    found = []
    for match in _quote_pattern(quote).finditer(text):
        if value is None:
            found.append(first - 1 + line_at(text, match.start()))
            continue
        for form in number_forms(value):
            number = _form_pattern(form).search(text, match.start(), match.end())
            if number:
                found.append(first - 1 + line_at(text, number.start()))
                break
    return min(found, key=lambda candidate: abs(candidate - line), default=None)


def quote_found(article_lines: list[str], line: int, quote: str, value: float | None = None) -> bool:
    """Whether `quote` is the article's own words and prints `value` on line `line` exactly
    (with no value: the quote starts on that line)."""
    return 0 < line <= len(article_lines) and locate_quote(article_lines, line, quote, value) == line


def stated_values(row: dict[str, Any]) -> list[float]:
    """The numbers a row's statement prints, first the one its source_line must carry."""
    if row.get("kind") == "range":
        values = [row["low"], row["high"]]
    elif "share_pct" in row:  # a complement is not printed: the statement prints the share it complements
        values = [100 - row["share_pct"] if row["obtained"] == "complement_of_stated" else row["share_pct"]]
    else:
        values = [row["value"]]
    return [v for v in values if v is not None]  # a missing value is check_value_kind's to report
