"""Tidy tables -> Tables 1-2 as Markdown blocks for the manuscript, in each language."""


# Tables are rendered from data, so a changed cell reaches every edition.
rule render_table:
    input:
        table=table_source,
        registry="data/processed/numbers.csv",
        labels="manuscript/labels/{lang}.yaml",
        code="workflow/gigpaper/tables.py",
    output:
        markdown="manuscript/build/tables/{table}.{lang}.md",
    log:
        "logs/render_table/{table}.{lang}.log",
    conda:
        "../../environment.yml"
    params:
        lang="{lang}",
        name="{table}",
    script:
        "../scripts/render_table.py"
