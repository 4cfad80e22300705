"""The checks of an author's Markdown (sections, abstracts, labels, the metadata's texts): what the editions would
print otherwise than the author meant, or not at all.

Prose never types a number: a digit outside `{{ }}`, `{% %}`, `{## ##}`, a citation, an attribute or a link's
address stops the build. No raw markup, link elsewhere or unbalanced bracket reaches an edition; a section places
its figures and tables as blocks of their own, and every figure or table it refers to is placed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gigpaper.catalogue import FIGURES
from gigpaper.errors import TemplateError
from gigpaper.grammar import (
    CITATION,
    CITATION_BRACKET,
    CROSS_REFERENCE,
    FOOTNOTE,
    PLACEMENT,
    YEAR_CITATION_OPEN,
    leaves,
    line_at,
    look_alike,
    mistyped_braces,
    two_scripts,
)

# What may hold digits in a prose template: Jinja, Pandoc citations, {#id .class} attributes (a key=value is RAW_MARKUP)
# and footnotes' labels ([^1], which Pandoc numbers itself).
NOT_PROSE = re.compile(
    "|".join([r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}", CITATION_BRACKET.pattern, CITATION.pattern, r"\{[#.][^{}=]*\}",
              FOOTNOTE.pattern]),
    re.S,
)  # fmt: skip


# A comment as Jinja's defaults write it, {# ... #}: a text's are {## ... ##} (gigpaper.templating), leaving {#id} to
# Pandoc, so Jinja leaves it alone and every edition prints it.
DEFAULT_COMMENT = re.compile(r"\{#(?!#)[^{}]*?#\}")


# Markup an author's text may not hold, which Pandoc copies unescaped into a format or reaches outside the article
# with: raw HTML, raw blocks, key=value attributes (onclick=, style=; not lang=) run in the HTML page as written; an
# image is read from any path or address into the self-contained HTML (the figures come from {{ figure("...") }}).
RAW_MARKUP = {
    "raw HTML": re.compile(r"<(?:!--|/?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>)"),
    "a raw block or span": re.compile(r"\{=[^{}\s]*\}"),
    "an attribute": re.compile(r"\{[^{}]*?(?<![\w-])(?!lang=)[\w:-]+=[^{}]*\}"),
    "an image": re.compile(r"!\[[^\]]*\]\S*"),
    # Pandoc reads a --- line after a blank one, text under it, and a closing --- or ... line as metadata, anywhere
    # in the document: it would replace the article's title (or its settings), and its text vanish.
    "a YAML metadata block": re.compile(r"(?m)(?<![^\n]\n)^---(?=[ \t]*\n(?![ \t]*\n)(?:.*\n)*?(?:---|\.\.\.)[ \t]*$)"),
    # A table of the text has no number or caption, which stopped the JATS deposit late, in a Lua filter (the
    # article's tables come from its data); the PDF's template has no horizontal rule, which stopped Typst.
    "a table": re.compile(
        r"(?m)^.*\|.*$(?=\n[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$)|^[ \t]*\+(?:[-=:]+\+)+[ \t]*$"
    ),
    "a horizontal rule": re.compile(
        r"(?m)^[ \t]{0,3}([*_])[ \t]*(?:\1[ \t]*){2,}$|(?:\A|(?<=\n\n))[ \t]{0,3}-[ \t]*(?:-[ \t]*){2,}$"
    ),
}
# A link's target, inline, as a reference definition (a footnote's, [^id]:, is text) or an autolink; it may only
# leave for the web, mail or a place in the article (a javascript: link runs in the page, a file: link names the
# author's machine).
LINK_TARGET = re.compile(
    r"\]\(\s*<?([^)\s>]*)|^ {0,3}\[(?!\^)[^\]]+\]:\s*<?([^\s>]*)|<([A-Za-z][\w+.-]*:[^<>\s]*)>", re.M
)
SAFE_TARGET = re.compile(r"https?://\S|mailto:\S|#\S")
# A name the author marks as one, [COVID-19]{.name} or [SDG 5]{.name}: its digits name, they state no number. It
# holds a letter, so that a number alone does not pass for a name.
NAME = re.compile(r"\[(?=[^\]\n]*[^\W\d_])[^\[\]\n]*\]\{\.name\}")
ADDRESS_OR_NAME = re.compile(f"{LINK_TARGET.pattern}|{NAME.pattern}", re.M)
# A backslash before a letter (\emph{...}, \begin{center}) that no backslash escapes: Pandoc reads it as raw TeX,
# which no format of the editions writes, so the command and what it holds vanish from every edition, unsaid.
RAW_TEX = re.compile(r"(?<!\\)(?:\\\\)*(\\[A-Za-z]+)")


# Pandoc's Markdown reader takes time doubling with each '[' left open in a paragraph, or nested in another
# (jgm/pandoc#1735): twenty open ones, or twelve nested, and a build runs for minutes; a link target left open
# costs the cube of their number. No prose nests brackets three deep.
DEEPEST_BRACKETS = 3
CODE_SPAN = re.compile(r"`[^`\n]*`")  # brackets in code are text
BRACKET = re.compile(r"\\.|\]\(|[\[\]()]", re.S)  # an escaped character, a link's target opening, a bracket
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


# Typst stops with "maximum show rule depth exceeded" at block quotes nested about eighteen deep, lists about
# forty (the PDF): no prose nests them past a few.
DEEPEST_BLOCKS = 8
BLOCK_START = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d+[.)](?=[ \t]))")  # a quote's or a list item's marker


def _too_deep_block(source: str) -> int | None:
    """The first line of `source` whose blocks (block quotes, list items) are nested more than DEEPEST_BLOCKS deep:
    its markers, and a level for each four columns it is indented (a nested list's)."""
    for number, line in enumerate(source.split("\n"), start=1):
        markers, end = 0, 0
        while found := BLOCK_START.match(line, end):
            markers, end = markers + 1, found.end()
        indent = len(line) - len(line.lstrip(" \t"))
        if markers + indent // 4 > DEEPEST_BLOCKS:
            return number
    return None


def _unclosed_bracket(prose: str) -> tuple[int, str] | None:
    """(line, what is wrong) of the first bracket of `prose` that is left open in its paragraph or nested more
    than DEEPEST_BRACKETS deep: '[' and ']', and the '(' and ')' of a link's target, read as Pandoc does."""
    text = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), prose)
    start = 0
    for end in [*(m.start() for m in PARAGRAPH_BREAK.finditer(text)), len(text)]:
        opened: list[tuple[str, int]] = []  # '[' or '(' (of a link's target), with where it is
        too_deep = None  # where a '[' is nested more than DEEPEST_BRACKETS deep
        for token in BRACKET.finditer(text, start, end):
            mark = token.group(0)
            if mark == "[" or (mark == "(" and opened and opened[-1][0] == "("):
                opened.append((mark, token.start()))
                if too_deep is None and sum(kind == "[" for kind, _ in opened) > DEEPEST_BRACKETS:
                    too_deep = token.start()
            elif mark in ("]", "](") and opened and opened[-1][0] == "[":
                opened.pop()
                if mark == "](":
                    opened.append(("(", token.start() + 1))
            elif mark == ")" and opened and opened[-1][0] == "(":
                opened.pop()
        if opened:
            kind, offset = opened[0]
            line = line_at(text, offset)
            if kind == "(":
                return line, "a link's '(' that no ')' closes in its paragraph; close it"
            return line, "a '[' that no ']' closes in its paragraph; close it, or write \\[ for a bracket meant as text"
        if too_deep is not None:
            line = line_at(text, too_deep)
            return line, f"brackets nested more than {DEEPEST_BRACKETS} deep; expected at most {DEEPEST_BRACKETS}"
        start = end
    return None


def _prose(source: str, not_prose: re.Pattern[str] = NOT_PROSE) -> str:
    """The source with what is not prose (NOT_PROSE) blanked, every line where it was."""
    return not_prose.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)


def typed_numbers(source: str, printed_as_typed: bool = False) -> list[tuple[int, str]]:
    """(line, digits) of every number typed in prose rather than taken from the registry. A text's link target is an
    address whose digits (.../publications/2024/) state nothing, as a name's (NAME); a table cell prints every
    character as typed."""
    prose = _prose(source) if printed_as_typed else _prose(_prose(source, ADDRESS_OR_NAME))
    return [(line_at(source, match.start()), match.group(0)) for match in re.finditer(r"\d+", prose)]


def refuse_raw_markup(path: str, source: str) -> None:
    """A text (a section, an abstract, a label) holding RAW_MARKUP or a link elsewhere stops the build at its line."""
    prose = _prose(source)
    for what, pattern in RAW_MARKUP.items():
        if found := pattern.search(prose):
            line = line_at(prose, found.start())
            raise TemplateError(path, line, f"{what} ({found.group(0)[:60]}) would reach an edition unchecked; "
                                "write plain text (the templates lay out the page and place the figures)")  # fmt: skip
    if tex := RAW_TEX.search(CODE_SPAN.sub(lambda m: " " * len(m.group(0)), prose)):  # code is text
        raise TemplateError(path, line_at(prose, tex.start()), f"raw TeX ({tex.group(1)}), which every edition "
                            "would leave out, with what it holds; write plain text (\\\\ for a backslash meant as text)")  # fmt: skip
    if unclosed := _unclosed_bracket(prose):
        raise TemplateError(path, *unclosed)
    if deep := _too_deep_block(source):  # the source: prose has its Jinja blanked, which would look indented
        raise TemplateError(path, deep, f"block quotes or lists nested more than {DEEPEST_BLOCKS} deep; expected at most "
                            f"{DEEPEST_BLOCKS}")  # fmt: skip
    for found in LINK_TARGET.finditer(prose):
        target = next(group for group in found.groups() if group is not None)
        if not SAFE_TARGET.match(target):
            raise TemplateError(path, line_at(prose, found.start()), f"the link target '{target}'; expected "
                                "a web address (https://...), an e-mail address (mailto:...) or a place in the article (#...)")  # fmt: skip


def name_holding(text: str, digits: str) -> str | None:
    """The name of `text` that the typed `digits` are part of (COVID-19, G20); None when they stand alone."""
    found = re.search(rf"[^\s\[\]()]*[^\W\d_]-?{digits}(?!\d)[^\s\[\]().,;:]*", text)
    return found.group(0) if found else None


def in_a_cell(text: str, digits: str) -> str:
    """What to say of `digits` typed into a table's cell `text` as part of a name: a cell prints a name's mark as typed,
    so the name goes in the text."""
    if name := name_holding(text, digits):
        return (f"; if it is part of a name, a cell takes it neither, as it prints its marks as typed: write the name "
                f"in the text, as [{name}]{{.name}}")  # fmt: skip
    return ""


def _meant(text: str, digits: str) -> str:
    """What a number typed into prose on the line `text` may be meant as, and how a text writes that."""
    if name := name_holding(text, digits):
        return f", or, if it is part of a name, mark the name as one: [{name}]{{.name}}"
    if re.match(rf"[ \t]*{digits}[.)][ \t]", text):  # 1. Бірінші ұсыныс.
        return f", or, if it numbers a list's item, write #. in place of {digits}. (every edition numbers the items)"
    if digits in (found.group(1) for found in YEAR_CITATION_OPEN.finditer(text)):  # (Schor, 2020) or (Schor, 2020.
        return ", or, if it is a citation's year, cite the work as [@key], its key in manuscript/bibliography.yaml"
    return ""


def check_prose(path: str, source: str) -> None:
    """A prose template that types a number or holds raw markup stops the build, naming its file and line."""
    prose = _prose(source)
    if mistyped := mistyped_braces(prose):  # before its digits: { n.oli_kaz_2024 } is no typed number
        raise TemplateError(path, line_at(source, mistyped[0]), f"found {mistyped[1]}")
    if comment := DEFAULT_COMMENT.search(source):
        raise TemplateError(path, line_at(source, comment.start()), f"found '{comment.group(0)[:60]}'; expected a comment "
                            "as a text writes it, {## ... ##} (Jinja's usual {# ... #} is left to Pandoc's {#id} here, "
                            "so every edition would print it)")  # fmt: skip
    # Before its digits too: those of a citation left open, [@schor2020, 272, are no typed number.
    refuse_raw_markup(path, source)
    for line, digits in typed_numbers(source):
        text = source.split("\n")[line - 1]
        if re.match(rf"#+\s+{digits}\b", text):  # a printed heading's number, copied
            advice = "a heading; the build numbers the sections: write it without"
        else:
            advice = "prose; take it from the registry ({{ n.<id> }})" + _meant(text, digits)
        raise TemplateError(path, line, f"the number {digits} is typed into {advice}")
    if mixed := two_scripts(prose):  # a name, id or citation: its own check names it
        raise TemplateError(path, *mixed)


def refuse_raw_markup_in(path: str | Path, tree: Any) -> Any:
    """Every string of a YAML file whose text Pandoc reads as Markdown (the metadata's title, keywords...),
    held to what a text may hold; the tree back."""
    for key, value in leaves(tree):
        for index, text in enumerate(value if isinstance(value, list) else [value], start=1):
            if isinstance(text, str):  # a keyword of a list is named as the schema checks name it: keywords.kk[2]
                refuse_raw_markup(f"{path}: {key}{f'[{index}]' if isinstance(value, list) else ''}", text)
    return tree


SECTION_HEADING = re.compile(r"# \S.*\{#sec-[a-z-]+\}")
PLACED = re.compile(r"\{\{\s*" + PLACEMENT.pattern + r"\s*\}\}")
GIVEN_ID = re.compile(r"\{(?:[^{}#]*\s)?#([^\s{}#]+)[^{}]*\}")  # {#id}, {.class #id key=value}
# The ids the build gives an edition's own elements (the templates; citeproc's ref-<key>): an author's {#id} among
# them would make a second element of that id, which HTML and JATS forbid.
BUILD_IDS = re.compile(r"(?:fig|tbl|abstract|ref)-.*|refs|references")


# A heading, as Pandoc reads one: # Title (ATX), or a line of text underlined with = or - (setext).
ABSTRACT_HEADING = re.compile(r"(?m)^ {0,3}#{1,6}(?:[ \t].*)?$|^[ \t]*\S.*\n {0,3}(?:=+|-+)[ \t]*$")


def check_abstract(path: str, source: str, keywords: tuple[str, ...] = ()) -> None:
    """An abstract holds its paragraphs: empty, it would print its heading over nothing; pasted with its heading or its
    keywords (a line of one of `keywords` and a colon, as the published text prints them), it would print them twice.
    It places no figure or table and gives no id ({#id}): the published edition prints every language's abstract
    beside its own sections, so either would come twice in an edition."""
    if not source.strip():
        raise TemplateError(path, 1, "found an empty file; expected the abstract's paragraphs (the editions print "
                            "its heading and keywords around them)")  # fmt: skip
    if heading := ABSTRACT_HEADING.search(source):  # pasted with its title: a numbered section of its own
        raise TemplateError(path, line_at(source, heading.start()), f"a heading ({heading.group(0).split(chr(10))[0].strip()[:40]}"
                            "); expected the abstract's paragraphs only (the editions write its heading; one of its own "
                            "is numbered as a section, and every section's number after it shifts)")  # fmt: skip
    if keywords and (pasted := re.search(rf"(?m)^[ \t]*({'|'.join(map(re.escape, keywords))})[ \t]*:", source)):
        raise TemplateError(path, line_at(source, pasted.start()), f"the abstract's keywords ({pasted.group(1)}: "
                            "...); expected the abstract's paragraphs only (the editions print its keywords under it, "
                            "from manuscript/metadata.yaml)")  # fmt: skip
    for pattern, what in ((PLACED, "places {0} '{1}'"), (GIVEN_ID, "gives the id '#{0}'")):
        if found := pattern.search(source):
            raise TemplateError(path, line_at(source, found.start()), f"an abstract {what.format(*found.groups())}"
                                "; expected text only (figures, tables and ids belong to the sections, and every "
                                "language's abstract is printed in the published edition)")  # fmt: skip


def check_section(path: str, source: str, placed: dict[str, str]) -> None:
    """A section file starts with its heading (manuscript/README.md): else the editions' parity would blame the
    other languages' files for what this one lacks. It places no figure or table that its edition placed before
    (`placed`: name -> where, filled here): an edition prints each once, under one id. The ids it gives ({#id})
    are its own: given once in the edition (`placed` holds them as #id), none of those the build gives."""
    first = next((line for line in source.splitlines() if line.strip()), "")
    if not SECTION_HEADING.fullmatch(first.strip()):
        found = f"'{first[:60]}'{look_alike(''.join(GIVEN_ID.findall(first)))}" if first else "an empty file"
        raise TemplateError(path, 1, f"found {found}; expected the section's heading first, as # Title {{#sec-name}}")
    lines = source.split("\n")
    for match in PLACED.finditer(source):
        kind, name = match.groups()
        line = line_at(source, match.start())
        # A figure is an image alone in its paragraph, a table a block of its own: else neither is printed.
        if lines[line - 1].strip() != match.group(0) or (line > 1 and lines[line - 2].strip()):
            raise TemplateError(path, line, f"{kind} '{name}' is placed inside a paragraph; expected {{{{ {kind}(\"{name}\") "
                                f"}}}} alone on its line, after a blank line (else the edition prints no {kind} there)")  # fmt: skip
        if name in placed:
            raise TemplateError(path, line, f"{kind} '{name}' is placed here and at {placed[name]}; place it once, and "
                                f"refer to it elsewhere with {{{{ ref.{name} }}}}")  # fmt: skip
        placed[name] = f"{path}, line {line}"
    for match in GIVEN_ID.finditer(source):
        given, line = f"#{match.group(1)}", line_at(source, match.start())
        if BUILD_IDS.fullmatch(match.group(1)):
            raise TemplateError(path, line, f"the id '{given}' is one the build gives its figures, tables, abstracts "
                                "or references; choose another")  # fmt: skip
        if given in placed:
            raise TemplateError(path, line, f"the id '{given}' is given here and at {placed[given]}; give each its own")
        placed[given] = f"{path}, line {line}"


REFERRED = re.compile(r"\{\{\s*" + CROSS_REFERENCE.pattern + r"\s*\}\}")  # {{ ref.figure2 }}


def check_references_placed(texts: dict[str, str], placed: dict[str, str]) -> None:
    """Each {{ ref.<name> }} of an edition's texts (by path) names a figure or table that one of its sections places
    (`placed`, as check_section filled it): else Typst stopped the PDF late ("label `<fig-figure2>` does not exist"),
    and the HTML's link led nowhere."""
    for path, source in texts.items():
        for match in REFERRED.finditer(source):
            if (name := match.group(1)) not in placed:
                kind = "figure" if name in FIGURES else "table"
                raise TemplateError(path, line_at(source, match.start()), f"refers to {kind} '{name}', which "
                                    f"no section of this edition places; place it with {{{{ {kind}(\"{name}\") }}}}, "
                                    "or take the reference out")  # fmt: skip
