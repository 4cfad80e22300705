"""Check the manuscript's templates: Jinja syntax, registry ids and parts, figures, tables, citations."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.parser

from gigpaper import memo, paths
from gigpaper.catalogue import FIGURES, PUBLISHED_LANG, TABLES, numbering
from gigpaper.errors import BuildError, TemplateError
from gigpaper.files import read_text, refuse_empty
from gigpaper.grammar import (
    CITATION,
    CROSS_REFERENCE,
    FOOTNOTE,
    FOOTNOTE_TEXT,
    JINJA_REFERENCE,
    PARTS,
    PLACEMENT,
    REFERENCE_ANY_PART,
    line_at,
    look_alike,
    strings,
)
from gigpaper.numbers import NumberRegistry
from gigpaper.prose_checks import BRACKET, CODE_SPAN, check_prose

PERCENT_AFTER = re.compile(JINJA_REFERENCE.pattern + r"[ \t\u00a0\u202f]*%")  # {{ n.id }}% or {{ n.id }} %
NAMED_ITEM = re.compile(r"\b(ref)\.(\w+)|" + PLACEMENT.pattern)
# A name, attribute or key that starts with '_'; not a string that does ("_" in replace("_", " ")).
PRIVATE_NAME = re.compile(r"(?:\.|\[\s*[\"']|(?<![\"'])\b)_")
# A blank line between a label's words: two paragraphs, where the edition prints one (a caption, a heading).
PARAGRAPH_BREAK = re.compile(r"\S[ \t]*\n[ \t]*\n(?=\s*\S)")
JINJA_EXPRESSION = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
# All an author's text (a section, an abstract, a label) may put in {{ }}: a number or a part of one, a
# cross-reference, a figure, a table. Anything else (a string, an operator, a filter, a statement) would
# write what the checks of the prose never read: `{{ '<script>' }}` is raw HTML in the page.
AUTHORED_EXPRESSION = re.compile(
    rf"\s*(?:{REFERENCE_ANY_PART.pattern}|{CROSS_REFERENCE.pattern}|{PLACEMENT.pattern})\s*"
)


def _expressions(text: str) -> Iterator[tuple[int, str]]:
    """(line, code) of every Jinja expression and statement of a template."""
    for match in JINJA_EXPRESSION.finditer(text):
        yield line_at(text, match.start()), match.group(1) or match.group(2)


def check_authored_expressions(where: str, text: str) -> None:
    """Every {{ }} of an author's text is AUTHORED_EXPRESSION; no {% %} statement."""
    for match in JINJA_EXPRESSION.finditer(text):
        if match.group(2) is not None or not AUTHORED_EXPRESSION.fullmatch(match.group(1)):
            raise TemplateError(
                where, line_at(text, match.start()),
                f"{match.group(0)[:60]}: a text may hold only {{{{ n.<id> }}}} (or .low, .high, .thousands), "
                "{{ ref.<name> }}, {{ figure(\"<name>\") }} and {{ table(\"<name>\") }}",
            )  # fmt: skip


def suggest(name: str, known: Iterable[str]) -> str:
    """The known name closest to `name`, and the letter of another script it holds (a Cyrillic о for o looks the
    same: named, as the name reads right)."""
    # Only text: an id cell 'null' is read by pandas as missing, a float, which no name resembles.
    close = difflib.get_close_matches(name, sorted(k for k in known if isinstance(k, str)), n=1)
    return (f" (did you mean '{close[0]}'?)" if close else "") + look_alike(name)


def check_syntax(where: str, text: str, env: jinja2.Environment) -> None:
    """Jinja's syntax; a text that parsed before (in this process or an earlier build) is not parsed again
    (every template is read with the one environment of gigpaper.templating)."""
    if not _may_hold_template_code(text, env):  # most labels: plain text, nothing for Jinja to parse
        return
    memo.remembered("jinja_syntax", (text,), lambda: _parse(where, text, env), on_disk=True)


def _may_hold_template_code(text: str, env: jinja2.Environment) -> bool:
    starts = (env.block_start_string, env.variable_start_string, env.comment_start_string)
    return (
        env.line_statement_prefix is not None or env.line_comment_prefix is not None or any(s in text for s in starts)
    )


def _parse(where: str, text: str, env: jinja2.Environment) -> None:
    try:
        # What env.parse does, the parser kept for the line it reached. Making it reads the first token: a comment
        # left open at the start of the text ({## a note) stops it there.
        parser = jinja2.parser.Parser(env, text)
        parser.parse()
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(where, error.lineno, f"template syntax: {error.message}") from None
    except RecursionError:  # Jinja's parser recurses for each bracket or block nested in another
        raise TemplateError(where, parser.stream.current.lineno, "template code nested deeper than Jinja can read "
                            "(brackets or blocks inside one another, hundreds deep); expected a few levels at most") from None  # fmt: skip


# What no template may do, which the sandbox stops late, in the step that renders it, or not at all: reach Python's
# internals, read another file (which no check reads), make a loop or a text of its own size (two ranges nested ran
# for ever; "x" * 99999999999 stopped its step with an empty MemoryError, [1] * 3000000000 took the machine's memory).
REFUSED_CODE = {
    PRIVATE_NAME: "a template may not use names that start with '_' (Python's internals)",
    re.compile(r"^\s*-?\s*(?:include|import|from|extends)\b"): "a template may not read another file (include, "
    "import, from, extends), which the input check never reads; write what it needs in it",
    re.compile(r"\b(?:range|lipsum)\s*\(|\*"): "a template may not make a loop or a text of a size of its own "
    "(range, lipsum, *, **), which the sandbox stops late or runs for ever; loop over what it is given",
}


def check_no_internals(where: str, text: str) -> None:
    """No code of REFUSED_CODE."""
    for line, code in _expressions(text):
        if said := next((said for pattern, said in REFUSED_CODE.items() if pattern.search(code)), None):
            raise TemplateError(where, line, said)


def check_template(
    where: str, text: str, registry: dict[str, dict[str, Any]], env: jinja2.Environment, authored: bool = False
) -> None:
    """Jinja syntax, and every registry id, part, figure, table and `ref` a manuscript template names; in an
    author's text (`authored`: not the project's own templates), nothing else (AUTHORED_EXPRESSION)."""
    check_syntax(where, text, env)
    check_no_internals(where, text)
    items = {"ref": set(numbering()), "figure": set(FIGURES), "table": set(TABLES)}
    for line, code in _expressions(text):
        for match in REFERENCE_ANY_PART.finditer(code):
            number_id, part = match.groups()
            if number_id not in registry:
                raise TemplateError(
                    where, line, f"n.{number_id} is not a number of the registry{suggest(number_id, registry)}"
                )
            if part and part not in PARTS:
                raise TemplateError(where, line, f"n.{number_id}.{part}: expected .low, .high or .thousands")
            kind = registry[number_id]["kind"]
            if part in ("low", "high") and kind != "range":
                raise TemplateError(
                    where, line, f"n.{number_id}.{part}: '{number_id}' is of kind '{kind}', not a range"
                )
            if part == "thousands":  # what numbers.Quantity.thousands would stop at, late, in the edition's step
                quantity = getattr(NumberRegistry([registry[number_id]], PUBLISHED_LANG), number_id)
                if not quantity.in_thousands:
                    raise TemplateError(where, line, f"n.{number_id}.thousands: '{number_id}' is {quantity}, not a "
                                        f"whole number of thousands; write {{{{ n.{number_id} }}}}")  # fmt: skip
        for match in NAMED_ITEM.finditer(code):
            kind, name = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
            if name not in items[kind]:
                raise TemplateError(where, line, f"{kind} '{name}' does not exist{suggest(name, items[kind])}")
    refuse_doubled_percent(where, text, registry)
    if authored:
        check_authored_expressions(where, text)


def refuse_doubled_percent(where: str, text: str, registry: dict[str, dict[str, Any]], lines: bool = True) -> None:
    """A percentage prints its own '%' (as n.id, .low and .high): one typed after it is printed too, '40%%'. Its
    line is named where the text has lines (`lines`: not a table's cell)."""
    for match in PERCENT_AFTER.finditer(text):
        if registry[match.group(1)]["unit"] == "percent" and match.group(2) != "thousands":
            raise TemplateError(where, line_at(text, match.start()) if lines else None, f"n.{match.group(1)} "
                                "prints its own '%', and another follows it (the edition would print '%%'); delete "
                                "this one")  # fmt: skip


def citations(where: str, text: str, known: set[str]) -> set[str]:
    """The citation keys a text uses; an unknown one stops the build naming this file and line."""
    used = set()
    for match in CITATION.finditer(text):
        key = match.group(1)
        if key not in known:
            line = line_at(text, match.start())
            raise BuildError(
                f"{where}, line {line}: cites @{key}, which {paths.BIBLIOGRAPHY} does not hold{suggest(key, known)}; add "
                "the work to the bibliography or correct the key."
            )
        used.add(key)
    return used


# An author's texts, each checked as a whole, its pass remembered (gigpaper.memo) by its words and what they are
# checked against: after an edit the input check re-checks that text alone.


def checked_against(registry: dict[str, dict[str, Any]], known: Iterable[str]) -> list[str]:
    """What of the registry and the bibliography a text is checked against: the numbers' ids, kinds and units, whether
    each is a whole number of thousands (n.<id>.thousands), the keys."""
    numbers = NumberRegistry(registry.values(), PUBLISHED_LANG)
    return [
        memo.as_json(
            {
                number_id: [row["kind"], row["unit"], getattr(numbers, number_id).in_thousands]
                for number_id, row in registry.items()
            }
        ),  # fmt: skip
        *sorted(known),
    ]


def check_text(where: str, text: str, env: jinja2.Environment) -> None:
    """A section or an abstract: its syntax first (the digits of an unclosed {{ n.oli_kaz_2024 would look typed
    into the prose), then its prose."""
    memo.remembered("text", [text], lambda: (check_syntax(where, text, env), check_prose(where, text)), on_disk=True)


def check_text_references(
    where: str, text: str, registry: dict[str, dict[str, Any]], env: jinja2.Environment, known: set[str],
    against: list[str],
) -> set[str]:  # fmt: skip
    """A section or an abstract against the registry and the bibliography (`against`: checked_against); the keys
    it cites."""

    def check() -> set[str]:
        check_template(where, text, registry, env, authored=True)
        return citations(where, text, known)

    return memo.remembered("text references", [text, *against], check, on_disk=True)


def check_footnotes(texts: dict[str, str]) -> None:
    """Each footnote of an edition's texts (by path) has its mark and one text: Pandoc prints a mark without a text as
    typed ('[^note]'), leaves a text without a mark out, and of two texts of a label (two sections each numbering
    their notes from 1) prints one at every mark, unsaid but for a warning naming the edition's Markdown."""
    marks: dict[str, tuple[str, int]] = {}  # label -> where it is first marked
    notes: dict[str, tuple[str, int]] = {}  # label -> where its text is
    for path, source in texts.items():
        prose = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), source)  # in code, text
        at_text = {found.start(1) for found in FOOTNOTE_TEXT.finditer(prose)}
        for found in FOOTNOTE.finditer(prose):
            label, where = found.group(1), (path, line_at(prose, found.start()))
            if found.start(1) in at_text and label in notes:  # the edition is one document: one text per label
                raise TemplateError(path, where[1], f"the footnote [^{label}] has its text here and at "
                                    f"{notes[label][0]}, line {notes[label][1]}; give each footnote a label of its own "
                                    "in the edition (else Pandoc prints one text for both marks)")  # fmt: skip
            (notes if found.start(1) in at_text else marks).setdefault(label, where)
    for label, (path, line) in marks.items():
        if label not in notes:
            close = difflib.get_close_matches(label, list(notes), n=1)
            raise TemplateError(path, line, f"the footnote [^{label}] has no text in this edition"
                                f"{f' (did you mean [^{close[0]}]?)' if close else ''}; expected a line [^{label}]: "
                                f"its text (else the edition prints [^{label}] as text, and no note)")  # fmt: skip
    for label, (path, line) in notes.items():
        if label not in marks:
            raise TemplateError(path, line, f"the footnote [^{label}] is marked nowhere in this edition; expected "
                                f"[^{label}] where its mark goes (else the edition leaves its text out)")  # fmt: skip


def _ends_its_markup(text: str) -> tuple[int, str] | None:
    """(line, what is wrong) where a label would end early the markup the edition prints it in: a figure's caption is
    an image's text, ![caption](...), which a ']' that no '[' opens ends, or a backslash at its end escapes."""
    opened = 0
    for token in BRACKET.finditer(CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)):  # an escaped one is text
        opened += {"[": 1, "]": -1, "](": -1}.get(token.group(0), 0)
        if opened < 0:
            return line_at(text, token.start()), (
                "a ']' that no '[' opens, which would end a figure's caption where the edition prints it "
                "(![caption](...)); remove it, or write \\] for a bracket meant as text"
            )
    if re.search(r"(?<!\\)(?:\\\\)*\\\s*$", text):
        return text.rstrip().count("\n") + 1, (
            "a backslash at its end, which would escape what the edition prints after it (the ] of a figure's "
            "caption); remove it, or write \\\\ for a backslash meant as text"
        )
    return None


def check_labels(
    path: str | Path, labels: dict[str, Any], registry: dict[str, dict[str, Any]], env: jinja2.Environment,
    known: set[str], against: list[str],
) -> set[str]:  # fmt: skip
    """Each string of a labels file as an author's text (a caption types no number either); the keys they cite."""

    def check() -> set[str]:
        cited = set()
        for key, text in strings(labels):
            if blank := PARAGRAPH_BREAK.search(text):  # a caption's second paragraph stopped Typst late
                line = line_at(text, blank.start()) + 1
                raise TemplateError(f"{path}: {key}", line, "a blank line, which would end the label's paragraph where "
                                    "the edition prints it; expected one paragraph")  # fmt: skip
            if broken := _ends_its_markup(text):  # the figure lost, and Typst stopped the PDF late
                raise TemplateError(f"{path}: {key}", *broken)
            check_syntax(f"{path}: {key}", text, env)
            check_prose(f"{path}: {key}", text)
            check_template(f"{path}: {key}", text, registry, env, authored=True)
            cited |= citations(f"{path}, key '{key}'", text, known)
        return cited

    return memo.remembered("labels", [memo.as_json(labels), *against], check, on_disk=True)


def check_project_templates(registry: dict[str, dict[str, Any]], env: jinja2.Environment, against: list[str]) -> None:
    """The edition's skeleton and the reviewer page's template; a pass is remembered by their texts and what of the
    registry and the bibliography they are checked against (parsing the skeleton again was a quarter of a
    check that recalled everything else)."""
    skeleton, review = paths.TEMPLATES / "paper.md.j2", paths.TEMPLATES / "review.html.j2"
    skeleton_text = read_text(skeleton)
    review_text = refuse_empty(review, read_text(review), "the reviewer page's template")

    def check() -> None:
        check_template(str(skeleton), skeleton_text, registry, env)
        check_skeleton(str(skeleton), skeleton_text, env)
        check_syntax(str(review), review_text, env)
        check_no_internals(str(review), review_text)

    memo.remembered("project templates", [skeleton_text, review_text, *against], check, on_disk=True)


def check_skeleton(where: str, text: str, env: jinja2.Environment) -> None:
    """The edition's skeleton (manuscript/templates/paper.md.j2) prints the abstracts and sections it is given: one
    that leaves them out (emptied, or cut short by an editor) made editions of a title alone, the build ending well."""
    from jinja2 import meta

    used = meta.find_undeclared_variables(env.parse(text))
    for name in ("abstracts", "sections"):
        if name not in used:
            raise TemplateError(where, None, f"found no use of '{name}'; expected the skeleton to print the edition's "
                                f"{name} ({{% for ... in {name} %}}), else no edition holds them")  # fmt: skip
