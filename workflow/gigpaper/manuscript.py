"""Render one edition's Markdown from the templates, the text, the labels and the data.

Prose never types a number: a digit outside `{{ }}`, `{% %}`, `{## ##}`, a citation or an
attribute stops the build. Every citation key must exist, and every work must be cited.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from gigpaper import atomic, grammar, templating
from gigpaper.as_published import departures, registry_rows, report_lines
from gigpaper.catalogue import FIGURES, PUBLISHED_ABSTRACT_ORDER, PUBLISHED_LANG, numbering
from gigpaper.errors import TemplateError
from gigpaper.files import load_labels, load_yaml, read_text
from gigpaper.grammar import CITATION, CITATION_BRACKET, CROSS_REFERENCE, FOOTNOTE, PLACEMENT
from gigpaper.numbers import NumberRegistry
from gigpaper.tables import caption_line, source_note

# What may hold digits in a prose template: Jinja, Pandoc citations, {#id .class} attributes (a key=value is RAW_MARKUP)
# and footnotes' labels ([^1], which Pandoc numbers itself).
NOT_PROSE = re.compile(
    "|".join([r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}", CITATION_BRACKET.pattern, CITATION.pattern, r"\{[#.][^{}=]*\}",
              FOOTNOTE.pattern]),
    re.S,
)  # fmt: skip


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
            line = text.count("\n", 0, offset) + 1
            if kind == "(":
                return line, "a link's '(' that no ')' closes in its paragraph; close it"
            return line, "a '[' that no ']' closes in its paragraph; close it, or write \\[ for a bracket meant as text"
        if too_deep is not None:
            line = text.count("\n", 0, too_deep) + 1
            return line, f"brackets nested more than {DEEPEST_BRACKETS} deep; expected at most {DEEPEST_BRACKETS}"
        start = end
    return None


def _prose(source: str, not_prose: re.Pattern[str] = NOT_PROSE) -> str:
    """The source with what is not prose (NOT_PROSE) blanked, every line where it was."""
    return not_prose.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)


def typed_numbers(source: str) -> list[tuple[int, str]]:
    """(line, digits) of every number typed in prose rather than taken from the registry; a link's address (a DOI, a
    report's year in it) is none, and no registry reference could be written in it."""
    prose = _prose(_prose(source), LINK_TARGET)
    return [(source.count("\n", 0, match.start()) + 1, match.group(0)) for match in re.finditer(r"\d+", prose)]


def refuse_raw_markup(path: str, source: str) -> None:
    """A text (a section, an abstract, a label) holding RAW_MARKUP or a link elsewhere stops the build at its line."""
    prose = _prose(source)
    for what, pattern in RAW_MARKUP.items():
        if found := pattern.search(prose):
            line = prose.count("\n", 0, found.start()) + 1
            raise TemplateError(path, line, f"{what} ({found.group(0)[:60]}) would reach an edition unchecked; "
                                "write plain text (the templates lay out the page and place the figures)")  # fmt: skip
    if tex := RAW_TEX.search(CODE_SPAN.sub(lambda m: " " * len(m.group(0)), prose)):  # code is text
        raise TemplateError(path, prose.count("\n", 0, tex.start()) + 1, f"raw TeX ({tex.group(1)}), which every edition "
                            "would leave out, with what it holds; write plain text (\\\\ for a backslash meant as text)")  # fmt: skip
    if unclosed := _unclosed_bracket(prose):
        raise TemplateError(path, *unclosed)
    if deep := _too_deep_block(source):  # the source: prose has its Jinja blanked, which would look indented
        raise TemplateError(path, deep, f"block quotes or lists nested more than {DEEPEST_BLOCKS} deep; expected at most "
                            f"{DEEPEST_BLOCKS}")  # fmt: skip
    for found in LINK_TARGET.finditer(prose):
        target = next(group for group in found.groups() if group is not None)
        if not SAFE_TARGET.match(target):
            raise TemplateError(path, prose.count("\n", 0, found.start()) + 1, f"the link target '{target}'; expected "
                                "a web address (https://...), an e-mail address (mailto:...) or a place in the article (#...)")  # fmt: skip


def check_prose(path: str, source: str) -> None:
    """A prose template that types a number or holds raw markup stops the build, naming its file and line."""
    for line, digits in typed_numbers(source):
        heading = re.match(rf"#+\s+{digits}\b", source.split("\n")[line - 1])  # a printed heading's number, copied
        advice = "a heading; the build numbers the sections: write it without" if heading else "prose; take it from the registry ({{ n.<id> }})"  # fmt: skip
        raise TemplateError(path, line, f"the number {digits} is typed into {advice}")
    if mixed := grammar.two_scripts(_prose(source)):  # a name, id or citation: its own check names it
        raise TemplateError(path, *mixed)
    refuse_raw_markup(path, source)


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
        raise TemplateError(path, source.count("\n", 0, heading.start()) + 1, f"a heading ({heading.group(0).split(chr(10))[0].strip()[:40]}"
                            "); expected the abstract's paragraphs only (the editions write its heading; one of its own "
                            "is numbered as a section, and every section's number after it shifts)")  # fmt: skip
    if keywords and (pasted := re.search(rf"(?m)^[ \t]*({'|'.join(map(re.escape, keywords))})[ \t]*:", source)):
        raise TemplateError(path, source.count("\n", 0, pasted.start()) + 1, f"the abstract's keywords ({pasted.group(1)}: "
                            "...); expected the abstract's paragraphs only (the editions print its keywords under it, "
                            "from manuscript/metadata.yaml)")  # fmt: skip
    for pattern, what in ((PLACED, "places {0} '{1}'"), (GIVEN_ID, "gives the id '#{0}'")):
        if found := pattern.search(source):
            raise TemplateError(path, source.count("\n", 0, found.start()) + 1, f"an abstract {what.format(*found.groups())}"
                                "; expected text only (figures, tables and ids belong to the sections, and every "
                                "language's abstract is printed in the published edition)")  # fmt: skip


def check_section(path: str, source: str, placed: dict[str, str]) -> None:
    """A section file starts with its heading (manuscript/README.md): else the editions' parity would blame the
    other languages' files for what this one lacks. It places no figure or table that its edition placed before
    (`placed`: name -> where, filled here): an edition prints each once, under one id. The ids it gives ({#id})
    are its own: given once in the edition (`placed` holds them as #id), none of those the build gives."""
    first = next((line for line in source.splitlines() if line.strip()), "")
    if not SECTION_HEADING.fullmatch(first.strip()):
        found = f"'{first[:60]}'{grammar.look_alike(''.join(GIVEN_ID.findall(first)))}" if first else "an empty file"
        raise TemplateError(path, 1, f"found {found}; expected the section's heading first, as # Title {{#sec-name}}")
    lines = source.split("\n")
    for match in PLACED.finditer(source):
        kind, name = match.groups()
        line = source.count("\n", 0, match.start()) + 1
        # A figure is an image alone in its paragraph, a table a block of its own: else neither is printed.
        if lines[line - 1].strip() != match.group(0) or (line > 1 and lines[line - 2].strip()):
            raise TemplateError(path, line, f"{kind} '{name}' is placed inside a paragraph; expected {{{{ {kind}(\"{name}\") "
                                f"}}}} alone on its line, after a blank line (else the edition prints no {kind} there)")  # fmt: skip
        if name in placed:
            raise TemplateError(path, line, f"{kind} '{name}' is placed here and at {placed[name]}; place it once, and "
                                f"refer to it elsewhere with {{{{ ref.{name} }}}}")  # fmt: skip
        placed[name] = f"{path}, line {line}"
    for match in GIVEN_ID.finditer(source):
        given, line = f"#{match.group(1)}", source.count("\n", 0, match.start()) + 1
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
                raise TemplateError(path, source.count("\n", 0, match.start()) + 1, f"refers to {kind} '{name}', which "
                                    f"no section of this edition places; place it with {{{{ {kind}(\"{name}\") }}}}, "
                                    "or take the reference out")  # fmt: skip


def abstract_order(lang: str) -> list[str]:
    """The published edition's abstracts as the journal printed them (en, kk, ru); another edition's
    own abstract first, then the others in the journal's order."""
    if lang == PUBLISHED_LANG:
        return list(PUBLISHED_ABSTRACT_ORDER)
    return [lang] + [other for other in PUBLISHED_ABSTRACT_ORDER if other != lang]


def authors(meta: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """The article's authors in `lang`, escaped for Markdown (the input check holds them to the metadata schema)."""
    return [
        {
            "name": templating.escape_markdown(entry["name"].strip()),
            "affiliation": templating.escape_markdown(entry["affiliation"][lang].strip()),
            "orcid": entry.get("orcid", ""),
            "email": entry.get("email", ""),
        }
        for entry in meta.get("authors") or []
    ]


def _front_matter(meta: dict[str, Any], labels: dict[str, Any], lang: str, revised: str = "") -> str:
    issue_label = meta["issue_label"][lang].format(issue=meta["issue"], year=meta["year"])
    masthead = f"{meta['journal'][lang]} · ISSN {meta['issn']} · {issue_label}"
    doi_url = f"https://doi.org/{meta['doi']}"
    # Until the authors are filled in, one placeholder stands in every format's author line.
    people = authors(meta, lang) or [{"name": templating.escape_markdown(labels["authors_placeholder"])}]
    front = {
        "title": meta["title"][lang],
        "title-status": meta["title_status"][lang],
        "lang": lang,
        "author": [person["name"] for person in people],
        "authors": people,
        # Only the authors the metadata holds: a deposit names no one rather than a placeholder.
        "contributors": authors(meta, lang),
        "contributor-names": ", ".join(person["name"] for person in authors(meta, lang)),
        # The other editions' titles, in the abstracts' order (JATS trans-title-group).
        "trans-titles": [{"lang": code, "title": meta["title"][code]} for code in abstract_order(lang) if code != lang],
        "keywords": list(meta["keywords"][lang]),
        # Every abstract's keywords, in the abstracts' order, for JATS's per-language kwd-group.
        "abstract-keywords": [{"lang": code, "keywords": meta["keywords"][code]} for code in abstract_order(lang)],
        "journal": meta["journal"][lang],
        "issn": meta["issn"],
        "issn-online": meta["issn_online"],
        "publisher": meta["publisher"][lang],
        "pdf": f"paper.{lang}.pdf",
        "issue-label": issue_label,
        "year": meta["year"],
        "issue": meta["issue"],
        "doi": meta["doi"],
        "doi-url": doi_url,
        "running-head": masthead,
        # The PDF's XMP description (dc:description): the journal, the issue and the DOI.
        "description": f"{masthead} · DOI {meta['doi']}",
        "subtitle": f"{masthead} · DOI [{meta['doi']}]({doi_url})",
        "toc-title": labels["contents_heading"],
        "link-citations": True,
    }
    if revised:  # the published edition no longer prints what the article printed (gigpaper.as_published)
        front["edition-status"] = revised
        front["edition-label"] = labels["revised_edition"]  # the PDF's title block prints it
        front["subtitle"] = f"{labels['revised_edition']} · {front['subtitle']}"
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=True, width=1000) + "---\n"


def render_markdown(
    template: str,
    sections: list[str],
    abstracts: list[str],
    metadata: str,
    labels: str,
    languages: str,
    registry: str,
    tables: list[str],
    lang: str,
    editions: list[str],
    markdown: str,
    published: list[str] | None = None,
) -> None:
    """Write one edition's Markdown; the input check (gigpaper.checks) has vetted every input it reads."""
    meta = templating.metadata_markdown(load_yaml(metadata))
    language_names = load_yaml(languages)
    label_file = labels
    labels = load_labels(label_file)
    abstract_files = {Path(path).stem: path for path in abstracts}
    table_files = {Path(path).name: path for path in tables}
    numbers = NumberRegistry.from_csv(registry, lang)
    context: dict[str, Any] = {"n": numbers}

    def figure(name: str) -> str:
        alt = templating.render(labels["figures"][name]["alt"], context, f"{label_file}: figures.{name}.alt")
        alt = templating.escape_attribute(alt)
        caption = caption_line("figure", name, labels, context, label_file)
        image = f'![{caption}](figures/{name}.{lang}.svg){{#fig-{name} alt="{alt}" width="100%"}}'
        return image + "\n\n" + source_note("figure", name, labels, context, label_file)

    def table(name: str) -> str:
        return read_text(table_files[f"{name}.{lang}.md"])

    # "Table 1" / "Figure 2" in the text: the number links to the table or figure.
    refs = {name: f"[{number}](#{'fig' if name in FIGURES else 'tbl'}-{name})" for name, number in numbering().items()}
    context.update(figure=figure, table=table, ref=refs)

    env = templating.environment(".")

    def prose(path: str) -> str:
        """A section or abstract: refused if it types a number or holds raw markup, else rendered."""
        check_prose(path, read_text(path))
        return templating.render(env.get_template(path), context, path).strip()

    rendered_sections = [prose(path) for path in sorted(sections)]

    abstracts = [{
        "lang": code,
        "heading": language_names[code]["abstract_heading"],
        "keywords_heading": language_names[code]["keywords_heading"],
        "language_name": templating.escape_attribute(language_names[code]["language_name"]),
        "keywords": ", ".join(meta["keywords"][code]),
        "text": prose(abstract_files[code]),
    } for code in abstract_order(lang)]  # fmt: skip
    others = [{"lang": code, "name": language_names[code]["language_name"]} for code in editions if code != lang]
    body = templating.render(
        env.get_template(template),
        {
            "abstracts": abstracts,
            "authors": authors(meta, lang),
            "sections": rendered_sections,
            "labels": labels,
            "other_editions": others,
        },
        template,
    )
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    revised = ""
    if published:  # the published language's edition: does it still print the published article?
        found = departures(body, *published, registry_rows(registry))
        revised = report_lines(found)[0].removeprefix("kk edition: ") if found else ""
    text = _front_matter(meta, labels, lang, revised) + "\n" + body
    atomic.write_text(markdown, text)
