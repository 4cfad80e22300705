"""The published text as tests compare it: page furniture removed, the errata's mends applied."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data/raw/published_article.kk.txt"
# Lines of the published text that hold Tables 1-2 (rebuilt from data, compared cell by cell
# elsewhere), figure captions and notes, and page furniture.
NOT_PROSE_LINES = [(309, 437), (494, 497), (530, 537), (588, 610)]
ABSTRACT_LINES = {"en": (1, 27), "kk": (28, 62), "ru": (63, 95)}
YEAR_CITATION = re.compile(r"\([^()]*\b(19|20)\d\d\b[^()]*\)")


def normalise(text: str) -> str:
    """Letters and digits only, lower case: layout, punctuation and dashes do not count."""
    return re.sub(r"[^\w]|_", "", text).lower()


def mends() -> list[tuple[str, str]]:
    """The errata's changes to the published words of the Kazakh edition (body and abstracts);
    `style` entries keep the words and `translation` entries concern ru and en."""
    errata = yaml.safe_load((ROOT / "manuscript/errata.yaml").read_text(encoding="utf-8"))
    published_edition = ("kk", "abstract-en", "abstract-kk", "abstract-ru")
    return [
        (normalise(e["published"]), normalise(e["mended"]))
        for e in errata
        if e["published"] != e["mended"] and e["edition"] in published_edition and e["kind"] in ("extraction", "slip")
    ]


def published_lines(first: int, last: int) -> list[str]:
    lines = PUBLISHED.read_text(encoding="utf-8").splitlines()
    kept = []
    for number in range(first, last + 1):
        if any(a <= number <= b for a, b in NOT_PROSE_LINES):
            continue
        kept.append(lines[number - 1])
    return kept


def sentences(first: int, last: int) -> list[str]:
    """Each sentence of the published lines, normalised, mended, without author-date citations."""
    text = " ".join(line.strip() for line in published_lines(first, last))
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # a word broken at a line end
    found = []
    mended_words = mends()
    for sentence in re.split(r"(?<=[.!?:;])\s+", YEAR_CITATION.sub(" ", text)):
        normal = normalise(sentence)
        for published, mended in mended_words:
            normal = normal.replace(published, mended)
        if len(normal) >= 12:
            found.append(normal)
    return found


def body_sentences() -> list[str]:
    return sentences(96, len(PUBLISHED.read_text(encoding="utf-8").splitlines()))


def abstract_sentences(lang: str) -> list[str]:
    return sentences(*ABSTRACT_LINES[lang])


def edition_text(text: str) -> str:
    """An edition's text, normalised the same way, without its author-date citations."""
    return normalise(YEAR_CITATION.sub(" ", text))
