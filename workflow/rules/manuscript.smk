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


# Pandoc is the one converter: HTML and DOCX directly, PDF through Typst. One job writes every
# format of an edition, its Pandoc runs side by side: one process to start instead of one per format.
rule render_edition:
    input:
        unpack(edition_format_inputs),
        markdown="manuscript/build/paper.{lang}.md",
        bibliography="manuscript/build/references.{lang}.json",
        common="manuscript/pandoc/common.yaml",
        code=code_of("render_edition"),
    output:
        **{fmt: f"manuscript/build/paper.{{lang}}.{fmt}" for fmt in config["formats"]},
    log:
        "logs/render_edition/{lang}.log",
    params:
        formats={fmt: FORMAT_DEFAULTS[fmt] for fmt in config["formats"]},
        source_date_epoch=config["source_date_epoch"],
    script:
        "../scripts/render_edition.py"
