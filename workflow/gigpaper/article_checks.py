"""The input check of the article's own records against its published words: each claim's quotes and numbers
(manuscript/claims.yaml), and the errata (manuscript/errata.yaml)."""

from __future__ import annotations

from typing import Any

from gigpaper import memo, paths
from gigpaper.as_published import check_errata
from gigpaper.errors import BuildError
from gigpaper.files import is_project_file, read_text
from gigpaper.quotes import ANYWHERE, locate_quote, quote_found
from gigpaper.schema import validated
from gigpaper.schema_errors import node_line, refuse_repeated
from gigpaper.template_checks import suggest


def check_claims(article_lines: list[str], registry: dict[str, Any]) -> None:
    """Each claim's quotes are the article's words, its numbers ids of the registry; a pass is remembered by
    what it read, so an edit elsewhere compiles no quote pattern again."""
    text = read_text(paths.CLAIMS)
    parts = [text, "\n".join(article_lines), "\n".join(sorted(registry))]
    memo.remembered("claims", parts, lambda: _check_claim_quotes_and_ids(text, article_lines, registry), on_disk=True)


def _check_claim_quotes_and_ids(text: str, article_lines: list[str], registry: dict[str, Any]) -> None:
    claims = validated(paths.CLAIMS, "claims", text)["claims"]
    refuse_repeated(paths.CLAIMS, text, claims, "id", location=["claims"], kind="claim")
    for index, claim in enumerate(claims):
        check = claim["check"]
        quotes = [("source_line", "statement", claim["source_line"], claim["statement"])]
        for other in claim.get("others", []):
            quotes.append(("others.line", "others.statement", other["line"], other["statement"]))
        for line_key, _quote_key, line, quote in quotes:
            if not quote_found(article_lines, line, quote):
                found = locate_quote(article_lines, line, quote, window=ANYWHERE)
                raise BuildError(
                    f"{paths.CLAIMS}, line {node_line(text, ['claims', index])}, claim '{claim['id']}': "
                    f"found «{quote}» for {line_key} {line}; expected the article's words as printed at line {line} "
                    f"of {paths.PUBLISHED_ARTICLE}" + (f" (they start on line {found})." if found else ".")
                )
        for number_id in [
            *check.get("numbers", []),
            *(check[key] for key in ("period_start", "number") if key in check),
        ]:
            if number_id not in registry:
                raise BuildError(
                    f"{paths.CLAIMS}, line {node_line(text, ['claims', index, 'check'])}, claim '{claim['id']}': "
                    f"found '{number_id}'; expected an id of the number registry{suggest(number_id, registry)}."
                )


def check_errata_file(article_lines: list[str]) -> None:
    """The errata against the article; a pass remembered by them, the article and which files they name exist."""
    text = read_text(paths.ERRATA)
    errata = validated(paths.ERRATA, "errata", text)
    named = [f"{file}\0{is_project_file(file)}" for file in sorted({str(entry["file"]) for entry in errata})]
    parts = [text, "\n".join(article_lines), *named]
    memo.remembered("errata", parts, lambda: check_errata(errata, text, article_lines), on_disk=True)


def check_data_package_article(descriptor: dict[str, Any], metadata: dict[str, Any]) -> None:
    """The data package names its article (key `article`), as a deposit of the data alone must: by the DOI the
    metadata gives and by the file the build reads as its published text, so that neither drifts from the other."""
    article = descriptor.get("article", {})
    for key, expected, home in (("doi", metadata["doi"], f"the article's DOI, as {paths.METADATA} gives it"),
                                ("published_text", paths.PUBLISHED_ARTICLE.name,
                                 f"the file the build reads as the published article ({paths.PUBLISHED_ARTICLE})")):  # fmt: skip
        if key in article and str(article[key]) != str(expected):
            line = node_line(read_text(paths.DESCRIPTOR), ["article", key])
            raise BuildError(f"{paths.DESCRIPTOR}, line {line}, key 'article.{key}': found {article[key]}; expected "
                             f"{expected}, {home}.")  # fmt: skip
