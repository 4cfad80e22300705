"""Tidy tables -> each figure of workflow/catalogue.yaml in every language, as SVG, PNG and PDF."""


# One job per figure draws all its languages and formats: matplotlib is imported once, not once per file.
# The labels it draws are a param (see figure_labels): a caption edit redraws nothing.
# The longest jobs of a clean build, which every edition waits for: started as soon as their table is,
# before any other ready job (Snakemake otherwise starts the ready jobs with the largest inputs first), so
# that the text, the checks and the reviewer's chart are made beside them, not after them.
rule plot_figure:
    input:
        table=figure_source,
        code=figure_code,
    output:
        files=figure_files("{figure}", LANGUAGES),
    log:
        "logs/plot_figure/{figure}.log",
    priority: 2
    params:
        **step_params(
            "plot_figure",
            figure="{figure}",
            labels=figure_labels,
            dpi=config["png_dpi"],
            source_date_epoch=config["source_date_epoch"],
        ),
    shell:
        step("gigpaper.figures.plot_figure")
