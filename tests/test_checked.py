"""The input check's tidy tables, registry and parity report are what the rules publish, computed once.

Each step is called as its rule calls it, in a copy of the project's inputs, after the input check ran.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gigpaper import checked, memo, numbers, parity, paths, validate
from gigpaper.catalogue import LANGUAGES
from gigpaper.checks import check_inputs
from gigpaper.datapackage import citation_keys_of, digest, load_descriptor, resource, resource_files, tidy_sources
from gigpaper.errors import BuildError

CONFIG = {"languages": ["kk", "ru", "en"], "editions": ["kk", "ru", "en"], "formats": ["html", "pdf", "docx"]}
RULES = ("validate_source", "build_number_registry", "check_edition_parity")


@pytest.fixture
def sources(sources: Path) -> Path:
    """The project's inputs as the working directory (tests/conftest.py), checked by the input check."""
    check_inputs(CONFIG)
    return sources


def run_rules(out: Path, rules: tuple[str, ...] = RULES) -> dict[str, bytes]:
    """Each rule's step with the inputs and params its rule gives it (workflow/rules/); its outputs go to `out`."""
    descriptor = load_descriptor()
    written = {}
    if "validate_source" in rules:
        for name in tidy_sources(descriptor):
            entry = resource(descriptor, name)
            raw = [str(paths.RAW / file) for file in resource_files(entry)]
            article_sha256 = digest(resource(descriptor, "published_article"))
            written[name] = out / f"{name}.csv"
            validate.validate_source(entry, raw, str(paths.PUBLISHED_ARTICLE), article_sha256, str(written[name]))
    if "build_number_registry" in rules:
        tables = {name: str(paths.processed(name)) for name in numbers.REGISTRY_SOURCES}
        written["registry"] = out / "numbers.csv"
        numbers.build_registry(**tables, citations=citation_keys_of(descriptor), registry=str(written["registry"]))
    if "check_edition_parity" in rules:
        sections = [str(p) for lang in LANGUAGES for p in paths.section_files(lang)]
        labels = [str(paths.labels_file(lang)) for lang in LANGUAGES]
        written["parity"] = out / "parity.txt"
        parity.check_parity(sections, labels, CONFIG["editions"], str(written["parity"]))
    return {name: path.read_bytes() for name, path in written.items()}


def computed(out: Path) -> dict[str, bytes]:
    """What the steps compute themselves, with no result of the check at hand."""
    shutil.rmtree(checked.STORE)
    return run_rules(out)


def never_recompute(monkeypatch: pytest.MonkeyPatch) -> None:
    def recomputed(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a rule recomputed what the input check had computed")

    for module, name in [(validate, "tidy_table"), (numbers, "registry_from_csv"), (parity, "section_parity"),
                         (parity, "label_parity")]:  # fmt: skip
        monkeypatch.setattr(module, name, recomputed)


def test_the_rules_publish_the_checks_results_without_recomputing_them(sources, monkeypatch, tmp_path):
    (tmp_path / "published").mkdir()
    (tmp_path / "computed").mkdir()
    with monkeypatch.context() as patched:
        never_recompute(patched)
        # The registry rule reads the tidy tables the validate_source jobs published, as in a build.
        run_rules(sources / "data/processed", ("validate_source",))
        published = run_rules(tmp_path / "published")
    kept = {path.read_bytes() for path in checked.STORE.iterdir()}
    assert set(published.values()) <= kept
    assert published == computed(tmp_path / "computed")  # the same bytes as the steps make themselves
    assert b"labels/ru.yaml: the same" in published["parity"] and b"id,kind,value" in published["registry"]


def test_a_result_the_inputs_no_longer_match_is_never_published(sources, tmp_path):
    # A ru section that lost a citation after the check: the parity rule checks it and fails.
    section = sources / "manuscript/text/ru/05.discussion.md"
    text = section.read_text(encoding="utf-8")
    cited = text[text.index("[@") : text.index("]", text.index("[@")) + 1]
    section.write_text(text.replace(cited, "", 1), encoding="utf-8")
    with pytest.raises(BuildError, match=r"manuscript/text/ru/05\.discussion\.md: its citations differ"):
        run_rules(tmp_path, ("check_edition_parity",))

    # A tidy table that differs from the check's: the registry is built from it, not taken from the store.
    run_rules(sources / "data/processed", ("validate_source",))
    table = sources / "data/processed/article_numbers.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("mlsp2023", "ilo2024", 1), encoding="utf-8")
    registry = run_rules(tmp_path, ("build_number_registry",))["registry"]
    assert registry not in {path.read_bytes() for path in checked.STORE.iterdir()}
    row = next(line for line in registry.decode().splitlines() if line.startswith("platform_workers_2023,"))
    assert ",ilo2024," in row


def test_a_result_of_other_code_is_never_published(sources, monkeypatch, tmp_path):
    monkeypatch.setattr(memo, "code", lambda: "the steps' code changed after the check")
    never_recompute(monkeypatch)
    with pytest.raises(AssertionError, match="recomputed"):
        run_rules(tmp_path, ("check_edition_parity",))
