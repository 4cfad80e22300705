"""The article's Figures 1-2 beside the public OLI data they cite: the source check and its chart."""


# Each country's share of the world's online workers per year, from the OLI worker-supply file alone,
# so that a change to the article's statements does not redraw the chart made from it.
rule compute_oli_worker_shares:
    input:
        worker_supply=config["oli_worker_supply"],
        code=code_of("compute_oli_worker_shares"),
    output:
        table="data/processed/oli_worker_shares.csv",
    log:
        "logs/compute_oli_worker_shares.log",
    script:
        "../scripts/compute_oli_worker_shares.py"


# Whether the public data the article cites bear out its Figure 1 and Figure 2 values, statement by statement.
rule check_against_sources:
    input:
        worker_supply=config["oli_worker_supply"],
        worker_gender="data/raw/oli2020_worker_gender.csv",
        online_labour_index="data/processed/online_labour_index.csv",
        gender_by_occupation="data/processed/gender_by_occupation.csv",
        registry="data/processed/numbers.csv",
        bibliography="manuscript/bibliography.yaml",
        code=code_of("check_against_sources"),
    output:
        table="data/processed/source_check.csv",
    log:
        "logs/check_against_sources.log",
    script:
        "../scripts/check_against_sources.py"


# Figure 1 drawn from the OLI data, in the published figure's style and scale, for the reviewer page.
rule plot_oli_worker_shares:
    input:
        online_labour_index="data/processed/online_labour_index.csv",
        shares="data/processed/oli_worker_shares.csv",
        labels="manuscript/labels/en.yaml",
        code=code_of("plot_oli_worker_shares"),
    output:
        svg="manuscript/build/figure1_oli.en.svg",
    log:
        "logs/plot_oli_worker_shares.log",
    params:
        source_date_epoch=config["source_date_epoch"],
    script:
        "../scripts/plot_oli_worker_shares.py"
