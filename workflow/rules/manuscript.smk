"""Text, labels, data and bibliography -> each edition's Markdown -> HTML, PDF and DOCX."""


# Citeproc reads CSL JSON; institutions' names are written in each edition's language.
rule make_bibliography:
    input:
        bibliography=str(paths.BIBLIOGRAPHY),
        code=code_of("gigpaper.bibliography.write_csl"),
    output:
        references=str(paths.BUILD / "references.{lang}.json"),
    log:
        "logs/make_bibliography/{lang}.log",
    params:
        **step_params("make_bibliography", lang="{lang}"),
    shell:
        step("gigpaper.bibliography.write_csl")


# One Markdown file per edition: the single text that every format is made from. It and the edition's
# formats are the longest chain of an edit, so they take a core before the checks beside them. The
# Markdown names the figures' files but reads none: it is written while they are drawn, and the formats,
# which embed them, wait for them (render_edition).
rule render_markdown:
    input:
        unpack(lambda wildcards: catalogue.markdown_inputs(wildcards.lang)),
        code=code_of("gigpaper.manuscript.render_markdown"),
    output:
        markdown=str(paths.BUILD / "paper.{lang}.md"),
    log:
        "logs/render_markdown/{lang}.log",
    priority: 1
    params:
        **step_params(
            "render_markdown",
            lang="{lang}",
            editions=EDITIONS,
        ),
    shell:
        step("gigpaper.manuscript.render_markdown")


# Word styles (fonts, headings, source notes) live in one reference document.
rule make_reference_docx:
    input:
        code=code_of("gigpaper.pandoc.make_reference_docx"),
    output:
        reference_doc=str(paths.REFERENCE_DOCX),
    log:
        "logs/make_reference_docx.log",
    params:
        **step_params(
            "make_reference_docx", source_date_epoch=config["source_date_epoch"]
        ),
    shell:
        step("gigpaper.pandoc.make_reference_docx")


# Pandoc is the one converter: HTML and DOCX directly, PDF through Typst. One job writes every
# format of an edition, its Pandoc runs side by side: one process to start instead of one per format.
# A journal takes one package per article, the JATS and every file its links name side by side: the
# same job packs it from the edition's JATS, PDF and figures.
rule render_edition:
    input:
        unpack(edition_format_inputs),
        markdown=str(paths.BUILD / "paper.{lang}.md"),
        bibliography=str(paths.BUILD / "references.{lang}.json"),
        common=catalogue.PANDOC_COMMON,
        figures=expand(str(paths.FIGURES / "{figure}.{{lang}}.svg"), figure=FIGURES),
        code=edition_code(),
    output:
        **{fmt: str(paths.BUILD / f"paper.{{lang}}.{fmt}") for fmt in config["formats"]},
        **edition_package(),
    log:
        "logs/render_edition/{lang}.log",
    priority: 1
    params:
        **step_params(
            "render_edition",
            formats={
                fmt: catalogue.formats()[fmt].entry() for fmt in config["formats"]
            },
            source_date_epoch=config["source_date_epoch"],
        ),
    shell:
        step("gigpaper.deposit.render_edition_and_package")


# Which lines of the published article the Kazakh edition no longer prints, and why (changed data or
# changed text): the build prints them, the review page files them apart from the article's own findings.
rule check_as_published:
    input:
        markdown=f"manuscript/build/paper.{PUBLISHED_LANG}.md",
        article=str(paths.PUBLISHED_ARTICLE),
        errata=str(paths.ERRATA),
        bibliography=str(paths.BIBLIOGRAPHY),
        registry=str(paths.REGISTRY),
        code=code_of("gigpaper.as_published.check_as_published"),
    output:
        report=str(paths.AS_PUBLISHED),
    log:
        "logs/check_as_published.log",
    params:
        **step_params(
            "check_as_published",
        ),
    shell:
        step("gigpaper.as_published.check_as_published")
