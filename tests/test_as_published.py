"""The published text stays the reference: the Kazakh edition is "as published" until a data or text
change makes it print something else, and then the build, the edition and the review page say so."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import record_checksums, snakemake

FIGURE2 = "data/raw/ppmi2024_gender_by_occupation.csv"


def test_the_shipped_kazakh_edition_is_as_published(built: Path) -> None:
    report = (built / "manuscript/build/as_published.txt").read_text(encoding="utf-8")
    assert report == "kk edition: as published\n"
    assert "edition-status" not in (built / "manuscript/build/paper.kk.md").read_text(encoding="utf-8")
    assert 'id="data-changed"' not in (built / "manuscript/build/review.html").read_text(encoding="utf-8")


def test_figure2_changed_to_45_55_is_data_changed_after_publication_not_the_articles_contradiction(
    built: Path, built_copy: Path
) -> None:
    path = built_copy / FIGURE2
    text = path.read_text(encoding="utf-8")
    text = text.replace("clerical_data_entry,women,40,", "clerical_data_entry,women,45,")
    path.write_text(text.replace("clerical_data_entry,men,60,", "clerical_data_entry,men,55,"), encoding="utf-8")
    record_checksums(built_copy)
    result = snakemake(built_copy)

    named = re.findall(r"published line (\d+) no longer matches the kk edition .*?: (\S+) is now (\d+)", result.stderr)
    assert named == [("555", "ppmi_clerical_data_entry_women", "45"), ("558", "ppmi_clerical_data_entry_men", "55")]
    assert result.stderr.count("the data were changed after publication") == 2
    markdown = (built_copy / "manuscript/build/paper.kk.md").read_text(encoding="utf-8")
    assert "edition-status: revised (departs from the published article at lines 555, 558)" in markdown
    assert "subtitle: Қайта қаралған басылым · " in markdown
    assert "edition-status" not in (built_copy / "manuscript/build/paper.ru.md").read_text(encoding="utf-8")
    jats = (built_copy / "manuscript/build/paper.kk.xml").read_text(encoding="utf-8")
    assert "<meta-name>edition-status</meta-name><meta-value>revised (departs" in jats
    assert "Қайта қаралған басылым" in (built_copy / "manuscript/build/paper.kk.html").read_text(encoding="utf-8")

    def findings(page: str) -> int:
        return int(re.search(r'<h2 id="findings">Findings \((\d+)\)</h2>', page).group(1))

    before = (built / "manuscript/build/review.html").read_text(encoding="utf-8")
    after = (built_copy / "manuscript/build/review.html").read_text(encoding="utf-8")
    changed = re.search(r'<h2 id="data-changed">(.*?)</ol>', after, re.DOTALL).group(1)
    assert "raw_value_differs_ppmi_clerical_data_entry_women" in changed
    assert "raw_value_differs_ppmi_clerical_data_entry_men" in changed
    assert findings(after) == findings(before)  # nothing of the change is blamed on the article
    article_findings = re.search(r'<h2 id="findings">.*?</ol>', after, re.DOTALL).group(0)
    assert "raw_value_differs" not in article_findings
