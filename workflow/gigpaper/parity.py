"""The editions walk in step: same sections, headings, numbers, citations, figures and tables, same labels.

The Kazakh (published) edition is the reference; a section or label missing from another language
stops the build with its name.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from gigpaper import atomic, checked
from gigpaper.catalogue import PUBLISHED_LANG
from gigpaper.errors import BuildError
from gigpaper.files import load_labels, read_text
from gigpaper.grammar import CITATION_BRACKET, CITATION_WITH_LOCATOR, leaves, line_at

REFERENCE_LANG = PUBLISHED_LANG
JINJA = re.compile(r"\{\{\s*(.*?)\s*\}\}")
HEADING_ID = re.compile(r"\{#(sec-[a-z-]+)")


def _located_tokens(text: str) -> dict[str, list[tuple[str, int]]]:
    """What must be the same in every language, each with its line: heading ids, registry numbers, figures, tables,
    citations."""

    return {
        "headings": [(m.group(1), line_at(text, m.start())) for m in HEADING_ID.finditer(text)],
        "numbers, figures and tables": [
            (re.sub(r"\s+", "", m.group(1)), line_at(text, m.start())) for m in JINJA.finditer(text)
        ],
        "citations": [
            (f"@{key}{', ' + locator.strip() if locator else ''}", line_at(text, bracket.start()))
            for bracket in CITATION_BRACKET.finditer(text)
            for key, locator in CITATION_WITH_LOCATOR.findall(bracket.group(0))
        ],
    }


def section_tokens(text: str) -> dict[str, Counter]:
    """What must be the same in every language: heading ids, registry numbers, figures, tables, citations."""
    return {what: Counter(token for token, _ in found) for what, found in _located_tokens(text).items()}


def label_keys(labels: dict[str, object]) -> set[str]:
    """Dotted names of every label, the leaves of the tree ('figures.figure1.caption')."""
    return {path for path, _ in leaves(labels)}


def section_parity(sections: list[str], editions: list[str]) -> list[str]:
    """Check each edition's section files against the published (kk) text's; one report line per file."""
    by_lang: dict[str, dict[str, Path]] = {lang: {} for lang in {*editions, REFERENCE_LANG}}
    for path in map(Path, sections):
        if path.parent.name in by_lang:
            by_lang[path.parent.name][path.name] = path
    reference = by_lang[REFERENCE_LANG]
    lines = []
    for lang in editions:
        if lang == REFERENCE_LANG:
            continue
        for name in sorted(set(reference) | set(by_lang[lang])):
            if name not in by_lang[lang]:
                raise BuildError(
                    f"manuscript/text/{lang}/ lacks the section {name}, which manuscript/text/{REFERENCE_LANG}/ has."
                )
            if name not in reference:
                raise BuildError(  # the kk section dropped, or this one misnamed: the kk text is the reference
                    f"manuscript/text/{lang}/{name} has no counterpart in manuscript/text/{REFERENCE_LANG}/, the text "
                    f"the other editions translate; to drop the section, delete its file in every language "
                    f"(manuscript/text/*/{name}), or else name it as the {REFERENCE_LANG} section it translates."
                )
            reference_text, text = read_text(reference[name]), read_text(by_lang[lang][name])
            expected, found = section_tokens(reference_text), section_tokens(text)
            for what in expected:
                missing, extra = expected[what] - found[what], found[what] - expected[what]
                if missing or extra:  # the line of what this text has too many, and of what the kk text has more
                    line, kk_line = (next((n for t, n in _located_tokens(source)[what] if t in tokens), None)
                                     for source, tokens in ((text, extra), (reference_text, missing)))  # fmt: skip
                    raise BuildError(
                        f"manuscript/text/{lang}/{name}{f', line {line}' if extra else ''}: its {what} differ from the "
                        f"{REFERENCE_LANG} text's; missing {sorted(missing.elements())}"
                        f"{f' ({reference[name]}, line {kk_line})' if missing else ''}, extra {sorted(extra.elements())}."
                    )
            lines.append(f"{lang}/{name}: same {', '.join(expected)} as {REFERENCE_LANG}")
    return lines


def label_parity(label_files: dict[str, str], languages: list[str]) -> list[str]:
    """Each language's labels have the same keys as the published (kk) language's; one report line each."""
    reference_keys = label_keys(load_labels(label_files[REFERENCE_LANG]))
    lines = []
    for lang in languages:
        keys = label_keys(load_labels(label_files[lang]))
        if reference_keys - keys:
            raise BuildError(
                f"{label_files[lang]} lacks the labels {sorted(reference_keys - keys)}, which {label_files[REFERENCE_LANG]} has."
            )
        if keys - reference_keys:
            raise BuildError(
                f"{label_files[lang]} has labels that {label_files[REFERENCE_LANG]} lacks: {sorted(keys - reference_keys)}."
            )
        lines.append(f"labels/{lang}.yaml: the same {len(keys)} labels as {REFERENCE_LANG}")
    return lines


def parity_inputs(sections: list[str], labels: list[str], editions: list[str]) -> tuple[Any, ...]:
    """What decides the parity report, as `checked.key` takes it."""
    return "parity report", checked.read([*sections, *labels]), editions


def parity_report(section_lines: list[str], label_lines: list[str]) -> str:
    return "\n".join(section_lines + label_lines) + "\n"


def check_parity(sections: list[str], labels: list[str], editions: list[str], report: str) -> None:
    """Publish the input check's parity report, or check the editions when it kept none for these files."""
    if checked.publish(report, *parity_inputs(sections, labels, editions)):
        return
    lines = section_parity(sections, editions)
    atomic.write_text(report, parity_report(lines, label_parity({Path(p).stem: p for p in labels}, editions)))
