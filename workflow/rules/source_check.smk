"""The article's Figures 1-2 beside the public OLI data they cite: the source check and its chart."""


# Each country's share of the world's online workers per year, from the OLI worker-supply file alone,
# so that a change to the article's statements does not redraw the chart made from it.
rule compute_oli_worker_shares:
    input:
        worker_supply=config["oli_worker_supply"],
        # The shipped OLI file passes the data package's checks (schema, checksum) first.
        validated="data/processed/oli_worker_supply.csv",
        code="workflow/gigpaper/oli.py",
    output:
        table="data/processed/oli_worker_shares.csv",
    log:
        "logs/compute_oli_worker_shares.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/compute_oli_worker_shares.py"


# Whether the public data the article cites bear out its Figure 1 and Figure 2 values, statement by statement.
rule check_against_sources:
    input:
        worker_supply=config["oli_worker_supply"],
        worker_gender="data/raw/oli2020_worker_gender.csv",
        # The shipped OLI files pass the data package's checks (schema, checksum) first.
        validated=expand(
            "data/processed/{source}.csv",
            source=["oli_worker_supply", "oli_worker_gender"],
        ),
        online_labour_index="data/processed/online_labour_index.csv",
        gender_by_occupation="data/processed/gender_by_occupation.csv",
        registry="data/processed/numbers.csv",
        code=["workflow/gigpaper/source_check.py", "workflow/gigpaper/oli.py"],
    output:
        table="data/processed/source_check.csv",
    log:
        "logs/check_against_sources.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/check_against_sources.py"


# Figure 1 drawn from the OLI data, in the published figure's style and scale, for the reviewer page.
rule plot_oli_worker_shares:
    input:
        online_labour_index="data/processed/online_labour_index.csv",
        shares="data/processed/oli_worker_shares.csv",
        labels="manuscript/labels/en.yaml",
        code=["workflow/gigpaper/source_check.py", "workflow/gigpaper/figures.py"],
    output:
        svg="figures/figure1_oli.en.svg",
    log:
        "logs/plot_oli_worker_shares.log",
    conda:
        "../../environment.yml"
    params:
        source_date_epoch=config["source_date_epoch"],
    script:
        "../scripts/plot_oli_worker_shares.py"
