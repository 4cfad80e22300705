"""The published text as the reference: where the Kazakh edition no longer prints what the article printed.

Every sentence of data/raw/published_article.kk.txt (page furniture, tables and captions left out,
author-date citations removed, the errata's mends applied, letters and digits only) must be found
in the Kazakh edition, in the published order. One that is not is a departure, named by its published line, with
why: the registry number it prints whose raw value changed after publication, or else a change of the kk text (a
paragraph moved among them); so is a number a table prints whose raw value changed, and a table's row no longer
printed, or printed out of its order. The other way round, a sentence of the
edition's prose that the published text does not print (a sentence or paragraph the author added) is a
departure too, named by its section, unless it is the new wording of a published sentence already
named; so is a cell of a table's body, a caption or a note that it does not print, and a citation (a work and
page) that it does not print, or no longer prints. While there is
none the edition is "as published"; with any it is "revised", and says so in its front matter.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate
from pathlib import Path
from typing import Any

from gigpaper import atomic, paths
from gigpaper.catalogue import PUBLISHED_ABSTRACT_ORDER, PUBLISHED_LANG
from gigpaper.errors import BuildError
from gigpaper.files import is_project_file, load_yaml, read_text
from gigpaper.grammar import CITATION_AT, CITATION_BRACKET, CITATION_KEY, YEAR_CITATION
from gigpaper.ledger_bibliography import citations, published_citations
from gigpaper.quotes import locate_quote, stated_values
from gigpaper.rows import read_text_rows
from gigpaper.schema_errors import node_line, refuse_repeated

# Lines of the published text that hold Tables 1-2 (rebuilt from data, each cell checked against
# the registry), figure captions and notes, and page furniture; and the three abstracts, which the
# editions print from manuscript/text/abstracts/ and are compared as the body is.
NOT_PROSE_LINES = ((309, 437), (494, 497), (530, 537), (588, 610))
# The line of the published text each row of Tables 1-2 begins on: its first cell, or (Table 2) its cells.
TABLE_ROW_LINES = (318, 336, 349, 362, 375, 388, 399, 413, 426, 592, 594, 595, 597, 598, 600, 601, 604, 607)
LINK_TARGET = re.compile(r"\]\((#[^)]*)\)|\{#[^}]*\}")
SENTENCE = re.compile(r"\S.*?(?:[.!?:;](?=\s)|$)")
# Blocks of the edition's Markdown that are not the author's prose: raw blocks the template writes, headings,
# tables and their captions, figures, fenced divs (source notes) and the keywords line from the metadata.
CITATION_SPLIT = re.compile(rf"{CITATION_BRACKET.pattern}|{CITATION_AT}{CITATION_KEY}")
NOT_PROSE_BLOCK = re.compile(r"^(?:```|#|\||: |!\[|:::|\[\*\*)")
# What the edition prints that the published text does not, by where it is: its words in the report's head, and why.
ADDED = {
    "section": ("adds a sentence", "adds {} sentences", "the kk text was added to after publication"),
    "cell": ("changes a table's cell", "changes {} cells of tables", "the table was changed after publication"),
    "caption": ("changes a caption or note", "changes {} captions or notes", "it was changed after publication"),
    "citation": ("adds a citation", "adds {} citations", "the kk text cites it since publication"),
}
PUBLISHED_EDITIONS = (PUBLISHED_LANG, *(f"abstract-{lang}" for lang in PUBLISHED_ABSTRACT_ORDER))


@dataclass(frozen=True)
class Departure:
    line: int | None  # of the published text; None for a number or sentence the published text never printed
    sentence: str  # as published; for an added number, its registry id; for an added sentence, as the edition has it
    why: str
    data_changed: tuple[str, ...] = ()  # registry ids whose raw value changed after publication
    section: str = ""  # for an added sentence, cell, caption or note: where the edition prints it (ADDED)

    def message(self) -> str:
        if self.section:
            shown = self.sentence if len(self.sentence) <= 70 else f"{self.sentence[:70]}…"
            return f"the kk edition's {self.section} prints «{shown}», {self.why}"
        if self.line is None:
            return f"the kk edition's numbers include {self.sentence}, which the published article does not print: {self.why}"
        return f"published line {self.line} no longer matches the kk edition («{self.sentence[:70]}…»): {self.why}"


def normalise(text: str) -> str:
    """Letters and digits only, lower case: layout, punctuation and dashes do not count."""
    return re.sub(r"[^\w]|_", "", text).lower()


def check_errata(errata: list[dict[str, Any]], text: str, article_lines: list[str]) -> None:
    """Each erratum of manuscript/errata.yaml (`text`, read as `errata`): an id of its own, and the published words
    it mends starting on its line of the published text (compared as the editions are, so that a line break in a
    word, «Яндекс.» / «еда», does not count), in a file of the project. An erratum whose words are not there would
    mend nothing, and the departure it records would be reported as unrecorded."""
    normal = [normalise(line) for line in article_lines]
    whole, starts = "".join(normal), list(accumulate(map(len, normal), initial=0))  # where each line starts in it
    refuse_repeated(paths.ERRATA, text, errata, "id", kind="erratum")
    for index, entry in enumerate(errata):
        where = f"{paths.ERRATA}, line {node_line(text, [index]) or 0}, erratum '{entry['id']}'"
        source_line, words = entry["source_line"], normalise(entry["published"])
        if source_line > len(article_lines):
            raise BuildError(
                f"{where}, key 'source_line': found {source_line}; expected a line of "
                f"{paths.PUBLISHED_ARTICLE} (1 to {len(article_lines)})."
            )
        found = [bisect_right(starts, m.start()) for m in re.finditer(re.escape(words), whole)] if words else []
        if words and source_line not in found:
            nearest = min(found, key=lambda n: abs(n - source_line), default=None)
            raise BuildError(
                f"{where}, key 'published': found «{entry['published']}»; expected the article's words as printed "
                f"from line {source_line} of {paths.PUBLISHED_ARTICLE}"
                + (f" (they start on line {nearest})." if nearest else ".")
            )
        if not is_project_file(entry["file"]):
            raise BuildError(f"{where}, key 'file': found '{entry['file']}'; expected a file of the project.")


def _mends(errata: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (normalise(e["published"]), normalise(e["mended"]))
        for e in errata
        if e["published"] != e["mended"] and e["edition"] in PUBLISHED_EDITIONS and e["kind"] in ("extraction", "slip")
    ]


def published_sentences(article_lines: list[str], errata: list[dict[str, Any]]) -> list[tuple[int, int, str, str]]:
    """(line, last line, sentence, normalised and mended sentence) of every published sentence of prose."""
    kept = [(n, line.strip()) for n, line in enumerate(article_lines, 1)
            if not any(a <= n <= b for a, b in NOT_PROSE_LINES)]  # fmt: skip
    text, offsets = "", []  # where each kept line starts in `text`, in the order of the lines
    for _number, line in kept:
        offsets.append(len(text))
        text += line + " "
    found, mends = [], _mends(errata)
    # Citations blanked and line-end hyphens closed up without moving any offset: lines stay found.
    text = YEAR_CITATION.sub(lambda m: " " * len(m.group(0)), re.sub(r"(\w)- (\w)", r"\1-\2 ", text))
    for match in SENTENCE.finditer(text):
        sentence = match.group(0)
        normal = normalise(sentence)
        for published, mended in mends:
            normal = normal.replace(published, mended)
        if len(normal) >= 12:
            line, last = (kept[bisect_right(offsets, at) - 1][0] for at in (match.start(), match.end() - 1))
            found.append((line, last, sentence, normal))  # the last line starting at or before its first, last letter
    return found


def edition_text(markdown: str) -> str:
    """The kk edition's Markdown, normalised as the published sentences are: citations and link targets out."""
    body = re.sub(r"^---\n.*?\n---\n", "", markdown, flags=re.DOTALL)
    return normalise(LINK_TARGET.sub("]", CITATION_BRACKET.sub(" ", body)))


def _published_whole(article_lines: list[str], errata: list[dict[str, Any]]) -> str:
    """The whole published text, normalised and mended as its sentences are, to look an edition's sentence up in."""
    whole = normalise(YEAR_CITATION.sub(" ", " ".join(line.strip() for line in article_lines)))
    for published, mended in _mends(errata):
        whole = whole.replace(published, mended)
    return whole


def added_sentences(
    markdown: str, article_lines: list[str], errata: list[dict[str, Any]], references: dict[str, dict[str, Any]]
) -> list[tuple[str, str]]:
    """(where, as ADDED names it, and text) of each sentence of the edition's prose, each cell of a table's body,
    each caption or note that the published text does not print (their digits aside: the registry's are compared),
    and each citation (a work of `references`, by key, with its page) that it does not."""
    body = re.sub(r"^---\n.*?\n---\n", "", markdown, flags=re.DOTALL)
    # The template's raw blocks and the authors' names (from the metadata, the article printed none) are no prose.
    body = re.sub(r"^(```\{=\w+\}|::: \{\.authors\})\n.*?^(```|:::)$", "", body, flags=re.DOTALL | re.MULTILINE)
    whole, section, table, found = _published_whole(article_lines, errata), "section «»", "", []
    digitless = re.sub(r"\d", "", whole)
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if block.startswith("#"):
            section = f"section «{LINK_TARGET.sub('', block.lstrip('# ')).strip()}»"
        found += [(f"citation in {section}", f"@{key}{', ' + page if page else ''}") for key, page in citations(block)
                  if key in references and page not in {p for p, _ in references[key]["published"]}]  # fmt: skip
        caption = re.match(r"(?:: |!\[)(.*?)(?: \{#tbl-\S+\}$|\]\(figures/)", block)  # a table's or a figure's
        table = re.split(r" [–—] ", caption[1])[0] if caption else table  # its label and number: «Кесте 2»
        note = re.fullmatch(r"::: \{\.source-note.*?\}\n(.*)\n:::", block, re.DOTALL)
        for text in [text[1] for text in (caption, note) if text]:  # the words between its citations
            if any(re.sub(r"\d", "", normalise(words)) not in digitless for words in CITATION_SPLIT.split(text)):
                found.append((f"caption or note of {table}", text))
        rows = block.splitlines()[2:] if block.startswith("|") else []  # a table's body (its header is a label)
        cells = [LINK_TARGET.sub("]", CITATION_BRACKET.sub(" ", cell)) for row in rows for cell in row.split("|")]
        found += [(f"cell of {table}", c.strip()) for c in cells if re.sub(r"\d", "", normalise(c)) not in digitless]
        if NOT_PROSE_BLOCK.match(block):
            continue
        prose = LINK_TARGET.sub("]", CITATION_BRACKET.sub(" ", block)).replace("\n", " ")
        for match in SENTENCE.finditer(prose):
            normal = normalise(match.group(0))
            if len(normal) >= 12 and normal not in whole:
                found.append((section, match.group(0)))
    return found


def _changed_numbers(registry: list[dict[str, Any]], article_lines: list[str]) -> dict[int, list[str]]:
    """Published line -> registry ids whose value that line's words no longer print (changed data)."""
    changed: dict[int, list[str]] = {}
    for row in registry:
        if row.get("obtained") in ("derived", "complement_of_stated") or not row.get("statement"):
            continue
        line = int(row["source_line"])
        if any(locate_quote(article_lines, line, row["statement"], v) is None for v in stated_values(row)):
            changed.setdefault(line, []).append(row["id"])
    return changed


def departures(
    markdown: str, article: str | Path, errata: str | Path, bibliography: str | Path, registry: list[dict[str, Any]]
) -> list[Departure]:
    """Every published sentence the kk edition no longer prints, with why."""
    article_lines, recorded = read_text(article).splitlines(), load_yaml(errata) or []
    references = {ref["id"]: {"published": published_citations(article_lines, ref)}
                  for ref in (load_yaml(bibliography) or {}).get("references") or []}  # fmt: skip
    text = edition_text(markdown)
    changed = _changed_numbers(registry, article_lines)
    rows = {row["id"]: row for row in registry}
    found, sentences = [], published_sentences(article_lines, recorded)
    for line, last, sentence, normal in sentences:
        if normal not in text:  # a number it prints (its statement, on one of its lines) changed; or else its words
            ids = tuple(i for n in range(line, last + 1) for i in changed.get(n, [])
                        if normalise(rows[i]["statement"]) in normalise(sentence))  # fmt: skip
            found.append(Departure(line, sentence, _why(ids, rows), ids))
    named = {i for departure in found for i in departure.data_changed}
    for line, ids in changed.items():  # a number a table prints (its published lines are no prose), changed
        if ids := tuple(i for i in ids if i not in named):
            found.append(Departure(line, rows[ids[0]]["statement"], _why(ids, rows), ids))
    gone = [normalise(d.sentence) for d in found]
    # A sentence printed out of the published order (a paragraph moved), and a table's row no longer printed or moved.
    places = [[m.start() for m in re.finditer(re.escape(normal), text)] for *_, normal in sentences]
    kept = _in_order(places)
    moved = "its words are in the kk edition, in another place: the kk text was moved after publication"
    found += [Departure(line, sentence, _why((), rows, moved)) for index, (line, _, sentence, _) in enumerate(sentences)
              if places[index] and index not in kept]  # fmt: skip
    firsts = [re.sub(r"\d", "", normalise(row.split("|")[1])) for row in markdown.splitlines()
              if re.match(r"\|(?!:?-)[^|]*\w", row)]  # fmt: skip
    rows_found = [_row_places(article_lines[line - 1], firsts) for line in TABLE_ROW_LINES]
    kept = _in_order(rows_found)
    for index, line in enumerate(TABLE_ROW_LINES):
        if index in kept:
            continue
        why = "its row is printed in another place" if rows_found[index] else "its row is not in the kk edition's table"
        found.append(Departure(line, article_lines[line - 1].strip(), _why((), rows, f"{why}: the table was changed "
                                                                           "after publication")))  # fmt: skip
    cited = set(citations(markdown))
    found += [Departure(line, f"@{key}{', ' + page if page else ''}", _why((), rows, "the kk edition no longer cites "
                        "it so: the kk text was changed after publication")) for key, ref in references.items()
              for page, line in sorted(ref["published"]) if (key, page) not in cited]  # fmt: skip
    found.sort(key=lambda departure: departure.line)
    for section, sentence in added_sentences(markdown, article_lines, recorded, references):
        normal = normalise(sentence)
        if section.startswith("section") and any(SequenceMatcher(None, normal, old, autojunk=False).ratio() >= 0.5
                                                 for old in gone):  # fmt: skip
            continue  # the new wording of a published sentence named
        why = f"which the published article does not print: {ADDED[section.split()[0]][2]}"
        found.append(Departure(None, sentence, why, section=section))
    for row in registry:
        if row.get("obtained") == "added_after_publication":
            why = f"{_value(row)}, from {row['citation_key']}, {row['cited_locator']}, added after publication"
            found.append(Departure(None, row["id"], f"{why} ({row['raw_file']} row {row['raw_row']})"))
    return found


def _in_order(places: list[list[int]]) -> set[int]:
    """The indexes of the most items printed in their published order, each at one of its places in the edition."""
    tails: list[int] = []  # the least place a chain of each length ends at, and that chain's items
    chains: list[tuple[int, ...]] = []
    for index, spots in enumerate(places):
        for spot in sorted(spots, reverse=True):  # so that no chain takes an item twice
            length = bisect_left(tails, spot)
            chain = (chains[length - 1] if length else ()) + (index,)
            tails[length:length + 1], chains[length:length + 1] = [spot], [chain]  # fmt: skip
    return set(chains[-1]) if chains else set()


def _row_places(line: str, firsts: list[str]) -> list[int]:
    """Which rows of the edition's tables (by their first cells) a published row's first line begins."""
    words = re.sub(r"\d", "", normalise(line))
    return [n for n, first in enumerate(firsts) if first and (words.startswith(first) or first.startswith(words))]


def _why(ids: tuple[str, ...], rows: dict[str, dict[str, Any]], text_why: str = "") -> str:
    """Why a published line is no longer printed: the registry numbers on it changed since, or else the kk text."""
    why = "; ".join(
        f"{i} is now {_value(rows[i])}, from {rows[i]['raw_file']} row {rows[i]['raw_row']}, column "
        f"{rows[i]['raw_column']}: the data were changed after publication"
        for i in ids
    )
    text_why = text_why or "its words are not in the kk edition: the kk text was changed after publication"
    return f"{why or text_why} (not recorded in manuscript/errata.yaml)"


def _value(row: dict[str, Any]) -> str:
    if row.get("kind") == "range":
        return f"{row['low']:g}–{row['high']:g}"
    return f"{row['value']:g}"


def report_lines(found: list[Departure]) -> list[str]:
    head = f"kk edition: {'revised' if found else 'as published'}"
    lines = [str(d.line) for d in found if d.line]
    added = [d.sentence for d in found if d.line is None and not d.section]
    if found:
        counts = Counter(d.section.split()[0] for d in found if d.section)
        parts = (
            ([f"departs from the published article at lines {', '.join(lines)}"] if lines else [])
            + ([f"adds the numbers {', '.join(added)}"] if added else [])
            + [(one if n == 1 else many.format(n)) for kind, (one, many, _) in ADDED.items() if (n := counts[kind])]
        )
        head += f" ({'; '.join(parts)})"
    return [head, *(d.message() for d in found)]


def registry_rows(path: str | Path) -> list[dict[str, Any]]:
    """The number registry's rows, values as numbers (None where empty), as the quote check reads them."""
    rows = read_text_rows(path)
    for row in rows:
        for column in ("value", "low", "high"):
            row[column] = float(row[column]) if row.get(column) else None
    return rows


def check_as_published(markdown: str, article: str, errata: str, bibliography: str, registry: str, report: str) -> None:
    """Write the published edition's status and each departure (the build prints them)."""
    found = departures(read_text(markdown), article, errata, bibliography, registry_rows(registry))
    atomic.write_text(report, "\n".join(report_lines(found)) + "\n")


def published_values(registry: list[dict[str, Any]], article_lines: list[str]) -> list[dict[str, Any]]:
    """A copy of the registry's rows (gigpaper.rows, None where blank) with each value its published statement no
    longer prints put back to the value printed there: the article's claims are then checked as it was published."""
    restored = []
    for record in registry:
        restored.append(dict(record))
        if record["obtained"] in ("derived", "complement_of_stated") or not record.get("statement"):
            continue
        line = int(record["source_line"])
        if all(locate_quote(article_lines, line, record["statement"], v) is not None for v in stated_values(record)):
            continue
        printed = [float(n.replace(",", ".")) for n in re.findall(r"\d+(?:[.,]\d+)?", record["statement"])]
        for column, value in zip(["low", "high"] if record["kind"] == "range" else ["value"], printed, strict=False):
            now = record[column]
            restored[-1][column] = value * 1000 if now and now >= 1000 and value < 1000 else value
    return restored
