"""Render one edition's Markdown from the templates, the text, the labels and the data; each text held to
gigpaper.prose_checks on the way."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from gigpaper import atomic, templating
from gigpaper.as_published import departures, registry_rows, report_lines
from gigpaper.catalogue import FIGURES, PUBLISHED_ABSTRACT_ORDER, PUBLISHED_LANG, numbering
from gigpaper.files import load_labels, load_yaml, read_text
from gigpaper.numbers import NumberRegistry
from gigpaper.prose_checks import check_prose
from gigpaper.tables import caption_line, source_note


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
