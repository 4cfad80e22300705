"""Every file the build writes, intermediates and the manifest included, is tamper-evident: `verify` names
an edited file as the cause, the build refuses to build on it, and it is never recorded in SHA256SUMS."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import outputs, snakemake
from gigpaper.manifest import read_manifest, refuse_edited_outputs_or_exit, written_files
from gigpaper.paths import MANIFEST
from gigpaper.verify import compare_with_rebuild

INTERMEDIATES = ("manuscript/build/references.en.json", "manuscript/build/reference.docx")


@pytest.fixture(scope="module")
def tampered_copy(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(built, tmp_path_factory.mktemp("tamper") / "project", symlinks=True))


def one_byte_changed(data: bytes, path: str) -> bytes:
    """The file with one byte changed: the manifest's first hex digit (its lines must still parse), else the middle byte."""
    at = 0 if path == str(MANIFEST) else len(data) // 2
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


def test_the_build_records_every_file_it_writes_intermediates_included(built):
    written = written_files(built)
    assert set(INTERMEDIATES) <= set(written) and str(MANIFEST) in written
    on_disk = {p for p in outputs(built) if "/.produced/" not in p}
    assert on_disk == set(written), on_disk ^ set(written)
    listed = read_manifest(built / MANIFEST)
    assert set(listed) == set(written) - {str(MANIFEST)}


def test_one_edited_byte_in_any_written_file_is_named_as_the_cause(built, rebuilt, tampered_copy, monkeypatch, capsys):
    project = tampered_copy
    assert not compare_with_rebuild(project / MANIFEST, project, rebuilt)
    monkeypatch.chdir(project)  # where the Snakefile runs its check before any job
    for path in written_files(project):
        target = project / path
        original = target.read_bytes()
        target.write_bytes(one_byte_changed(original, path))
        try:
            differ = compare_with_rebuild(project / MANIFEST, project, rebuilt)  # what `verify` does after rebuilding
            causes = [p for p, why in differ.items() if why.startswith("the cause")]
            assert causes == [path], (path, differ)
            assert list(differ)[0] == path  # listed first
            with pytest.raises(SystemExit):
                refuse_edited_outputs_or_exit()
            assert f"  {path}: changed after the build wrote it" in capsys.readouterr().err
        finally:
            target.write_bytes(original)
    refuse_edited_outputs_or_exit()  # restored: the build goes on


def test_a_plausible_edit_of_the_bibliography_json_is_refused_then_made_again(built_copy):
    project = built_copy
    before = outputs(project)
    json_path = project / INTERMEDIATES[0]
    text = json_path.read_text(encoding="utf-8")
    publisher = re.search(r'"publisher": "([^"]+)"', text).group(1)
    json_path.write_text(text.replace(publisher, "Oxford University Press", 1), encoding="utf-8")

    refused = snakemake(project, check=False)
    assert refused.returncode != 0
    assert f"{INTERMEDIATES[0]}: changed after the build wrote it" in refused.stderr
    assert outputs(project)[str(MANIFEST)] == before[str(MANIFEST)]  # never recorded
    assert "Oxford University Press" not in (project / "manuscript/build/paper.en.html").read_text(encoding="utf-8")

    json_path.unlink()  # the advice the build gives
    snakemake(project)
    assert outputs(project) == before  # made again from its inputs, and nothing built on the edit


def test_an_edited_manifest_stops_the_build(built_copy):
    manifest = built_copy / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(lines[1:]), encoding="utf-8")  # a file dropped from the list
    result = snakemake(built_copy, check=False)
    assert result.returncode != 0 and f"{MANIFEST}: changed after the build wrote it" in result.stderr
    manifest.unlink()
    snakemake(built_copy)
    assert manifest.read_text(encoding="utf-8") == "".join(lines)


def test_a_build_after_the_build_folder_was_deleted_makes_it_again(built_copy):
    """An author deletes manuscript/build to start afresh: the next build makes it again and keeps the figures and
    tables it has. Their records were in manuscript/build too, so the build stopped, and every build after it, on
    'no record of the step that wrote it'; each output folder now keeps the records of its own files."""
    figure = (built_copy / "figures/figure1.kk.svg").stat().st_mtime_ns
    shutil.rmtree(built_copy / "manuscript/build")
    snakemake(built_copy)
    assert (built_copy / "manuscript/build/SHA256SUMS").is_file()
    assert (built_copy / "figures/figure1.kk.svg").stat().st_mtime_ns == figure, "Figure 1 was drawn again"
    assert "Nothing to be done" in snakemake(built_copy, "--dry-run").stdout
