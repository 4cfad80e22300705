"""Tidy tables -> Tables 1-2 as Markdown blocks for the manuscript, in each language."""


# Tables are rendered from data, so a changed cell reaches every edition. One job per language renders
# all its tables: the edition reads them all, and a process is paid once for them (a caption edit in one
# language renders that language's tables and edition only). On the way to every edition: started first.
rule render_tables:
    input:
        tables=[table_source(name) for name in TABLES],
        registry=str(paths.REGISTRY),
        labels=str(paths.LABELS / "{lang}.yaml"),
        code=code_of("gigpaper.tables.render_tables"),
    output:
        markdown=expand(str(paths.TABLES / "{table}.{{lang}}.md"), table=TABLES),
    log:
        "logs/render_tables/{lang}.log",
    priority: 1
    params:
        **step_params("render_tables", lang="{lang}"),
    shell:
        step("gigpaper.tables.render_tables")
