"""The ledger's rows of numbers that are not data: citations, reference entries, the journal's
metadata and page numbers, and the numbering of sections, figures and tables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gigpaper.catalogue import FIGURES, LANGUAGES, REVIEW_LANG, TABLES
from gigpaper.files import load_yaml
from gigpaper.grammar import CITATION, CITATION_BRACKET, CITATION_WITH_LOCATOR, line_at

# How the published text names a figure or a table: «Сурет 1», «2-суретте», «Кесте 1», «1-ші кестеден».
NUMBERED = {
    "figure": r"(?<!\d)(?:[Сс]урет\s*{n}(?!\d)|{n}\s*-\s*(?:ші\s+)?сурет)",
    "table": r"(?<!\d)(?:[Кк]есте\s*{n}(?!\d)|{n}\s*-\s*(?:ші\s+)?кесте)",
}
PAGE_NUMBER = re.compile(r"\s*\d{1,4}\s*")  # a line that holds only the journal's page number


def _names(ref: dict[str, Any]) -> list[str]:
    """The names a citation of `ref` may start with: each author's family name or literal name, in every language."""
    names = []
    for author in ref.get("author", []):
        literal = author.get("literal")
        values = literal.values() if isinstance(literal, dict) else [literal or author.get("family", "")]
        names += [str(v).split(" et al")[0] for v in values if v]
    return names


def cited_lines(article_lines: list[str], ref: dict[str, Any], locator: str) -> list[int]:
    """Lines of the published text where `ref` is cited (with that page), a citation read as a name and then
    its year within one bracket, which may run over a line break."""
    text = "\n".join(article_lines)
    tail = rf"\s*:\s*{re.escape(locator)}(?!\d)" if locator else r"(?!\s*:\s*\d)"
    lines = set()
    for name in _names(ref):
        spelled = r"\s+".join(map(re.escape, name.split()))  # a name may run over a line break
        pattern = rf"{spelled}[^)]{{0,80}}?{ref['issued']}{tail}"
        lines |= {line_at(text, m.start()) for m in re.finditer(pattern, text)}
    return sorted(lines)


def published_citations(article_lines: list[str], ref: dict[str, Any]) -> set[tuple[str, int]]:
    """(page, or '' where none is given, and line) of each citation of `ref` the published text prints, read as
    cited_lines reads them."""
    text, found = "\n".join(article_lines), set()
    for name in _names(ref):
        spelled = r"\s+".join(map(re.escape, name.split()))
        for match in re.finditer(rf"{spelled}[^)]{{0,80}}?{ref['issued']}(?:\s*:\s*(\d+)(?!\d))?", text):
            found.add((match[1] or "", line_at(text, match.start())))
    return found


def citations(text: str) -> list[tuple[str, str]]:
    """(key, locator, or '') of each citation of a text, in brackets or not, as Pandoc reads them."""
    found = [(key, (locator or "").strip()) for bracket in CITATION_BRACKET.findall(text)
             for key, locator in CITATION_WITH_LOCATOR.findall(bracket)]  # fmt: skip
    return found + [(key, "") for key in CITATION.findall(CITATION_BRACKET.sub("", text))]


def bibliographic_rows(
    editions: list[str], references: dict[str, Any], findings: dict[str, list[str]], source_status: Any,
    article_lines: list[str],
) -> list[dict[str, Any]]:  # fmt: skip
    """Citation years and pages, with the lines of the published text that cite them, and the numbers of each
    reference entry."""
    by_key = {ref["id"]: ref for ref in references["references"]}
    cited = {found for path in editions for found in citations(Path(path).read_text(encoding="utf-8"))}
    rows = []
    for key, locator in sorted(cited):
        year = str(by_key[key]["issued"])
        value = f"{year}: {locator}" if locator else year
        lines = cited_lines(article_lines, by_key[key], locator)
        rows.append({
            "claim": f"citation:{key}{':' + locator if locator else ''}", "category": "citation", "registry_id": "",
            "place": "citation", **{f"value_{lang}": value for lang in LANGUAGES}, "provenance": "bibliographic",
            "citation_key": key, "cited_locator": locator, "source_status": source_status(key),
            "findings": "; ".join(findings.get(f"citation:{key}", [])),
            "source_line": lines[0] if lines else None, "source_lines": " ".join(map(str, lines)),
        })  # fmt: skip
    for ref in references["references"]:
        fields = {
            "year": ref.get("issued"), "volume": ref.get("volume"), "issue": ref.get("issue"),
            "pages": ref.get("page"), "DOI": ref.get("DOI"), "ISBN": ref.get("ISBN"),
        }  # fmt: skip
        described = [f"{name} {value}" for name, value in fields.items() if value not in (None, "")]
        values = {}
        for lang in LANGUAGES:  # numbers inside a title or a printed note, labelled as such
            extra = [
                f"{name} «{text}»"
                for name in ("title", "note")
                for text in [_in_language(ref.get(name), lang)]
                if re.search(r"\d", text)
            ]
            values[f"value_{lang}"] = "; ".join(described + extra)
        rows.append({
            "claim": f"reference:{ref['id']}", "category": "reference", "place": "reference list", **values,
            "provenance": "bibliographic", "citation_key": ref["id"], "source_status": source_status(ref["id"]),
            "findings": "; ".join(findings.get(f"citation:{ref['id']}", [])),
        })  # fmt: skip
    return rows


def _in_language(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get(REVIEW_LANG) or "")
    return "" if value is None else str(value)


def structural_rows(metadata: str, editions: list[str], article_lines: list[str]) -> list[dict[str, Any]]:
    """Numbers that are not data: the journal's issue, DOI and ISSN, its page, and the numbering of sections, figures, tables."""
    meta = load_yaml(metadata)
    running_head = [i for i, text in enumerate(article_lines, 1) if "ISSN" in text and str(meta["issn"]) in text]
    rows = []
    for field in ("issn", "year", "issue", "doi"):
        value = str(meta[field])
        lines = [n for n in running_head if value in article_lines[n - 1]]
        rows.append({"claim": f"metadata:{field}", "category": "metadata", "place": "title block and running head",
                     **{f"value_{lang}": value for lang in LANGUAGES}, "provenance": "bibliographic",
                     "source_line": lines[0] if lines else None, "source_lines": " ".join(map(str, lines))})  # fmt: skip
    # The journal's page number, printed alone on a line of the extracted text (page furniture).
    for number, text in enumerate(article_lines, 1):
        if PAGE_NUMBER.fullmatch(text):
            rows.append({"claim": f"published:page:{text.strip()}", "category": "metadata", "place": "published page number",
                         "provenance": "bibliographic", "source_line": number, "source_lines": str(number),
                         "statement": text.strip(),
                         "findings": "", "formula": "page furniture of the journal; the editions number their own pages"})  # fmt: skip
    sections = max(Path(p).read_text(encoding="utf-8").count("{#sec-") for p in editions)
    numbering = [("section", n) for n in range(1, sections + 1)]
    numbering += [("figure", f.number) for f in FIGURES.values()] + [("table", t.number) for t in TABLES.values()]
    for kind, number in numbering:
        named = re.compile(NUMBERED.get(kind, "(?!)").format(n=number))  # once, not once per line
        lines = [i for i, text in enumerate(article_lines, 1) if named.search(text)]
        rows.append({"claim": f"numbering:{kind}:{number}", "category": "numbering", "place": f"{kind} number",
                     **{f"value_{lang}": str(number) for lang in LANGUAGES}, "provenance": "numbering",
                     "source_line": lines[0] if lines else None, "source_lines": " ".join(map(str, lines))})  # fmt: skip
    return rows
