"""Tidy tables -> Tables 1-2 as Markdown blocks for the manuscript, in each language."""


# Tables are rendered from data, so a changed cell reaches every edition.
rule render_table:
    input:
        table=table_source,
        registry=str(paths.REGISTRY),
        labels=str(paths.LABELS / "{lang}.yaml"),
        code=code_of("render_table"),
    output:
        markdown=str(paths.TABLES / "{table}.{lang}.md"),
    log:
        "logs/render_table/{table}.{lang}.log",
    params:
        lang="{lang}",
        name="{table}",
    script:
        "../scripts/render_table.py"
