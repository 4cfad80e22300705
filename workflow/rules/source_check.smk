"""The article's Figures 1-2 beside the public OLI data they cite: the source check and its chart."""


# Each country's share of the world's online workers per year, from the OLI worker-supply file alone,
# so that a change to the article's statements does not redraw the chart made from it.
# It and the chart go early, as the figures do: the reviewer page waits for the chart, which, started among
# the last jobs of a clean build, left the other core idle for a second.
rule compute_oli_worker_shares:
    input:
        worker_supply=config["oli_worker_supply"],
        code=code_of("gigpaper.oli.compute_oli_worker_shares"),
    output:
        table=str(paths.OLI_SHARES),
    log:
        "logs/compute_oli_worker_shares.log",
    priority: 1
    params:
        **step_params("compute_oli_worker_shares", depends=data_schemas()),
    shell:
        step("gigpaper.oli.compute_oli_worker_shares")


# Whether the public data the article cites bear out its Figure 1 and Figure 2 values, statement by statement.
rule check_against_sources:
    input:
        worker_supply=config["oli_worker_supply"],
        worker_gender=str(paths.RAW / resource(DESCRIPTOR, "oli_worker_gender")["path"]),
        online_labour_index=str(paths.processed("online_labour_index")),
        gender_by_occupation=str(paths.processed("gender_by_occupation")),
        registry=str(paths.REGISTRY),
        bibliography=str(paths.BIBLIOGRAPHY),
        code=code_of("gigpaper.source_check.check_against_sources"),
    output:
        table=str(paths.SOURCE_CHECK),
    log:
        "logs/check_against_sources.log",
    params:
        **step_params("check_against_sources", depends=data_schemas()),
    shell:
        step("gigpaper.source_check.check_against_sources")


# Figure 1 drawn from the OLI data, in the published figure's style and scale, for the reviewer page.
# The labels it draws (Figure 1's, in the review language) are a param, as the figures' are: a caption
# edit redraws nothing.
rule plot_oli_worker_shares:
    input:
        online_labour_index=str(paths.processed("online_labour_index")),
        shares=str(paths.OLI_SHARES),
        code=code_of("gigpaper.source_chart.plot_oli_shares"),
    output:
        svg=str(paths.OLI_CHART),
    log:
        "logs/plot_oli_worker_shares.log",
    priority: 1
    params:
        **step_params(
            "plot_oli_worker_shares",
            labels=lambda wildcards: drawn_labels(
                catalogue.OLI_FIGURE, catalogue.REVIEW_LANG
            ),
            source_date_epoch=config["source_date_epoch"],
        ),
    shell:
        step("gigpaper.source_chart.plot_oli_shares")
