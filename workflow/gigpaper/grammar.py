"""The small grammars the sources are written in, each spelt once: registry references, citations, YAML leaves.

The manuscript, the input check, the parity check, the ledger and the tables all read these.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

ID = r"[a-z][a-z0-9_]*"
# The parts of a registry number a template may print: {{ n.id.low }}.
PARTS = ("low", "high", "thousands")
# A registry reference inside a Jinja expression: n.id, n.id.low.
REFERENCE = re.compile(rf"\bn\.({ID})(?:\.({'|'.join(PARTS)}))?")
# The same with any id and part, so that the input check can name one that does not exist as typed (a capital, a
# look-alike letter of another script).
REFERENCE_ANY_PART = re.compile(r"\bn\.(\w+)(?:\.(\w+))?")
# A cross-reference inside a Jinja expression: ref.figure2, the number of a figure or table (its name).
CROSS_REFERENCE = re.compile(rf"\bref\.({ID})")
# Where a text places a figure or a table: figure("figure1"), table("table2") (its kind, its name).
PLACEMENT = re.compile(r"\b(figure|table)\(\s*[\"']([^\"']*)[\"']\s*\)")
# A whole reference expression, the one piece of template syntax a data cell may hold: {{ n.id }}, {{ n.id.low }}.
JINJA_REFERENCE = re.compile(rf"\{{\{{\s*{REFERENCE.pattern}\s*\}}\}}")
# A reference, a cross-reference or a placement in braces other than Jinja's two each side, where {{ }} are taken out:
# { n.id }, {ref.figure1}}. Jinja leaves it alone, so an edition prints it as typed, braces and id, in place of a number.
MISTYPED_BRACES = re.compile(r"\{+[ \t]*((?:n|ref)\.\w+(?:\.\w+)?|(?:figure|table)\([^(){}\n]*\))[ \t]*\}*")


def mistyped_braces(text: str) -> tuple[int, str] | None:
    """(offset, what to say) of the first reference of `text`, its {{ }} taken out, in braces other than two each
    side; None when there is none."""
    if not (found := MISTYPED_BRACES.search(text)):
        return None
    return found.start(), (
        f"'{found.group(0)}'; expected '{{{{ {found.group(1)} }}}}', two braces each side (else Jinja leaves it alone, "
        "and the edition prints it as typed)"
    )


# Where a citation key starts: an @ that no letter or digit comes before (so not an e-mail address, whose
# link text "[a@b.kz](mailto:a@b.kz)" is bracketed too) and that is not escaped (\@), as Pandoc reads it.
CITATION_AT = r"(?<![\w\\])@"
# A citation key as Pandoc reads one (https://pandoc.org/MANUAL.html#citation-syntax): letters of any script, digits
# and _, with single punctuation marks (:.#$%&-+?<>~/) inside it. Read so, @Schor2020, @schor2020:272 or a key with
# a Cyrillic look-alike letter is named whole, as Pandoc would look it up, not passed or cut short.
CITATION_KEY = r"\w+(?:[:.#$%&+?<>~/-]\w+)*"
# A citation key in prose: @schor2020.
CITATION = re.compile(rf"{CITATION_AT}({CITATION_KEY})")
# A bracketed Pandoc citation, "[@schor2020, 272]" or "[@a, 1; @b]".
CITATION_BRACKET = re.compile(rf"\[[^\[\]]*?{CITATION_AT}[^\[\]]*\]")
# Inside a bracket: each key and its locator ("272", "p. 5").
CITATION_WITH_LOCATOR = re.compile(rf"{CITATION_AT}({CITATION_KEY})(?:,\s*([^;\]]+))?")

# A citation as the published article types it, author and year in brackets: (Schor, 2020), (ILO, 2021: 12).
YEAR = r"(?:19|20)\d\d"  # a cited work's year
YEAR_CITATION = re.compile(rf"\([^()]*\b{YEAR}\b[^()]*\)")
YEAR_CITATION_OPEN = re.compile(rf"\([^()]*?\b({YEAR})\b")  # its year, the parenthesis closed or left open

# A footnote's mark, [^note] (its label: no space, ^ or bracket), and its text, a line that starts with the mark and
# a colon: [^note]: The note.
FOOTNOTE = re.compile(r"\[\^([^\s^\[\]]+)\]")
FOOTNOTE_TEXT = re.compile(rf"(?m)^ {{0,3}}{FOOTNOTE.pattern}:")


def line_at(text: str, offset: int) -> int:
    """The line (from 1) of `text` that the character at `offset` stands on: where a message points."""
    return text.count("\n", 0, offset) + 1


def look_alike(name: str) -> str:
    """The first letter of another script in a name (a Cyrillic о for o, as a copy from a Kazakh or Russian text
    brings it), said, as the name reads right; nothing when there is none."""
    return next((f"; its «{c}» is U+{ord(c):04X} {unicodedata.name(c, '')}, not a Latin letter"
                 for c in name if not c.isascii()), "")  # fmt: skip


# A word (a run of letters) holding both Latin and Cyrillic letters: typed across a switch of keyboard layout, it looks
# as the word, Қaзақстан with a Latin a, and is another.
TWO_SCRIPTS = re.compile(r"(?<![^\W\d_])(?=[^\W\d_]*[A-Za-z])[^\W\d_]*[\u0400-\u04ff][^\W\d_]*")


def two_scripts(text: str) -> tuple[int, str] | None:
    """The line of the first word of `text` typed in two scripts, and what to say of it; None when there is none."""
    if not (found := TWO_SCRIPTS.search(text)):
        return None
    word = found.group(0)
    latin = [c for c in word if c.isascii()]
    cyrillic = [c for c in word if not c.isascii()]
    scripts, odd = (
        ("Cyrillic and Latin", latin[0]) if len(latin) <= len(cyrillic) else ("Latin and Cyrillic", cyrillic[0])
    )
    return line_at(text, found.start()), (
        f"the word «{word}» mixes {scripts} letters: its «{odd}» is U+{ord(odd):04X} {unicodedata.name(odd, '')}; it "
        "looks the same, but a search, a screen reader and the comparison with the published text read another word: "
        "retype it in one script"
    )


def leaves(tree: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) of every leaf of a YAML mapping tree: ('figures.figure1.caption', '…')."""
    if isinstance(tree, dict):
        for key, item in tree.items():
            yield from leaves(item, f"{path}.{key}" if path else str(key))
    else:
        yield path, tree


def strings(tree: Any) -> Iterator[tuple[str, str]]:
    """(dotted key, text) of every string leaf."""
    return ((path, value) for path, value in leaves(tree) if isinstance(value, str))
