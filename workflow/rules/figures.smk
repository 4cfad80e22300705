"""Tidy tables -> Figures 1-2 in each language, as SVG, PNG and PDF."""


# Figure 1: the Online Labour Index of Kazakhstan and the top-5 countries, as the article states it.
rule plot_online_labour_index:
    input:
        table=f"data/processed/{FIGURES['figure1'].source}.csv",
        labels="manuscript/labels/{lang}.yaml",
        code=code_of("plot_online_labour_index"),
    output:
        svg="figures/figure1.{lang}.svg",
        png="figures/figure1.{lang}.png",
        pdf="figures/figure1.{lang}.pdf",
    log:
        "logs/plot_online_labour_index/{lang}.log",
    params:
        lang="{lang}",
        dpi=config["png_dpi"],
        source_date_epoch=config["source_date_epoch"],
    script:
        "../scripts/plot_online_labour_index.py"


# Figure 2: the gender split of registered platform workers by occupation (PPMI 2024).
rule plot_gender_by_occupation:
    input:
        table=f"data/processed/{FIGURES['figure2'].source}.csv",
        labels="manuscript/labels/{lang}.yaml",
        code=code_of("plot_gender_by_occupation"),
    output:
        svg="figures/figure2.{lang}.svg",
        png="figures/figure2.{lang}.png",
        pdf="figures/figure2.{lang}.pdf",
    log:
        "logs/plot_gender_by_occupation/{lang}.log",
    params:
        lang="{lang}",
        dpi=config["png_dpi"],
        source_date_epoch=config["source_date_epoch"],
    script:
        "../scripts/plot_gender_by_occupation.py"
