"""Text, labels, data and bibliography -> each edition's Markdown -> HTML, PDF and DOCX."""


# Citeproc reads CSL JSON; institutions' names are written in each edition's language.
rule make_bibliography:
    input:
        bibliography="manuscript/bibliography.yaml",
        code=code_of("make_bibliography"),
    output:
        references="manuscript/build/references.{lang}.json",
    log:
        "logs/make_bibliography/{lang}.log",
    params:
        lang="{lang}",
    script:
        "../scripts/make_bibliography.py"


# One Markdown file per edition: the single text that every format is made from.
rule render_markdown:
    input:
        template="manuscript/templates/paper.md.j2",
        sections=edition_sections,
        abstracts=expand("manuscript/text/abstracts/{code}.md", code=["en", "kk", "ru"]),
        metadata=str(paths.METADATA),
        labels="manuscript/labels/{lang}.yaml",
        languages=str(paths.LANGUAGE_NAMES),
        registry=str(paths.REGISTRY),
        tables=expand("manuscript/build/tables/{table}.{{lang}}.md", table=TABLES),
        depends=expand(
            "figures/{figure}.{{lang}}.{ext}", figure=FIGURES, ext=FIGURE_FORMATS
        ),
        # The published language's edition is compared with the published text (gigpaper.as_published).
        published=lambda w: (
            [str(paths.PUBLISHED_ARTICLE), str(paths.ERRATA)]
            if w.lang == PUBLISHED_LANG
            else []
        ),
        code=code_of("render_markdown"),
    output:
        markdown="manuscript/build/paper.{lang}.md",
    log:
        "logs/render_markdown/{lang}.log",
    params:
        lang="{lang}",
        editions=EDITIONS,
    script:
        "../scripts/render_markdown.py"


# Word styles (fonts, headings, source notes) live in one reference document.
rule make_reference_docx:
    input:
        code=code_of("make_reference_docx"),
    output:
        reference_doc="manuscript/build/reference.docx",
    log:
        "logs/make_reference_docx.log",
    params:
        source_date_epoch=config["source_date_epoch"],
    script:
        "../scripts/make_reference_docx.py"


# Pandoc is the one converter: HTML and DOCX directly, PDF through Typst.
rule render_edition:
    input:
        unpack(format_inputs),
        markdown="manuscript/build/paper.{lang}.md",
        bibliography="manuscript/build/references.{lang}.json",
        common="manuscript/pandoc/common.yaml",
        code=code_of("render_edition"),
    output:
        edition="manuscript/build/paper.{lang}.{fmt}",
    log:
        "logs/render_edition/{lang}.{fmt}.log",
    params:
        fmt="{fmt}",
        source_date_epoch=config["source_date_epoch"],
    script:
        "../scripts/render_edition.py"


# Which lines of the published article the Kazakh edition no longer prints, and why (changed data or
# changed text): the build prints them, the review page files them apart from the article's own findings.
rule check_as_published:
    input:
        markdown=f"manuscript/build/paper.{PUBLISHED_LANG}.md",
        article=str(paths.PUBLISHED_ARTICLE),
        errata=str(paths.ERRATA),
        registry=str(paths.REGISTRY),
        code=code_of("check_as_published"),
    output:
        report=str(paths.AS_PUBLISHED),
    log:
        "logs/check_as_published.log",
    script:
        "../scripts/check_as_published.py"
