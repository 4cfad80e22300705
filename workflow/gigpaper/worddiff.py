"""A word-level diff of prose in Kazakh, Russian and English that never splits a word or a number.

The text is cut into tokens first (a word, a number with its decimal or thousands separators, a
template reference such as `{{ n.id }}`, a bracketed citation such as `[@ilo2021, 12]`, a run of spaces,
one punctuation mark) and difflib, the
standard library's sequence matcher, compares the token lists. A character-level differ
(diff-match-patch) would need its output re-snapped to word boundaries to get the same result; on
tokens, difflib cannot cut `40` from `45` or `жұмыс` from `жұмысшы` by construction.
"""

from __future__ import annotations

import difflib
import re

from gigpaper.grammar import CITATION_BRACKET

# \w is Unicode-aware: Cyrillic and Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і) are word characters.
TOKEN = re.compile(
    r"\{\{.*?\}\}"  # a registry or template reference, kept whole
    rf"|{CITATION_BRACKET.pattern}"  # a citation, kept whole: a mark inside it would no longer be one to Pandoc
    r"|\d+(?:[.,\u00a0\u202f ]\d{3}(?!\d))*(?:[.,]\d+)?%?"  # a number: 40, 40%, 500 000, 1.5, 20,5
    r"|\w+(?:[-'’]\w+)*"  # a word, hyphenated words and apostrophes kept whole (гиг-экономика)
    r"|\s+"
    r"|.",
    re.DOTALL,
)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The change from `old` to `new` as (op, text) pieces, op being '=', '-' or '+'; a replaced run
    gives its '-' piece before its '+' piece."""
    a, b = tokens(old), tokens(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("+", "".join(b[j1:j2])))
    return pieces


def terminal(old: str, new: str) -> str:
    """git's --word-diff=plain notation: [-deleted-]{+inserted+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in word_diff(old, new))
