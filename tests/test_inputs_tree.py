"""The shared copy of the inputs (conftest.InputsTree) is put back exactly, whatever a test did to it."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import InputsTree, copy_inputs


def snapshot(root: Path) -> dict[str, tuple[str, int, bytes]]:
    """Every entry under `root`: its kind, mode and (for a file) bytes."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        kind = "link" if path.is_symlink() else "folder" if path.is_dir() else "file" if path.is_file() else "other"
        found[str(path.relative_to(root))] = (kind, info.st_mode, path.read_bytes() if kind == "file" else b"")
    return found


def test_the_inputs_tree_is_put_back_after_every_kind_of_change(tmp_path):
    tree = InputsTree(tmp_path / "tree")
    fresh = snapshot(copy_inputs(tmp_path / "fresh"))
    assert snapshot(tree.root) == fresh
    root = tree.root
    (root / "manuscript/text/kk/05.discussion.md").write_text("changed", encoding="utf-8")  # same path, new words
    (root / "manuscript/metadata.yaml").chmod(0o000)  # unreadable
    (root / "manuscript/labels").chmod(0o000)  # a folder that cannot be listed
    (root / "manuscript/claims.yaml").unlink()  # gone
    (root / "data/raw/article_numbers.csv").unlink()
    (root / "data/raw/article_numbers.csv").symlink_to("/etc/hostname")  # a file replaced by a link
    (root / "manuscript/errata.yaml").unlink()
    os.mkfifo(root / "manuscript/errata.yaml")  # by a named pipe
    (root / "manuscript/bibliography.yaml").unlink()
    (root / "manuscript/bibliography.yaml").mkdir()  # by a folder
    (root / "manuscript/templates").rename(root / "moved")  # a folder moved away
    (root / ".snakemake/gigpaper").mkdir(parents=True)  # what the check writes
    (root / ".snakemake/gigpaper/inputs-checked").write_text("x", encoding="utf-8")
    (root / "manuscript/text/kk/99.added.md").write_text("# Added {#sec-added}\n", encoding="utf-8")
    tree.restore()
    assert snapshot(root) == fresh
    tree.restore()  # nothing to put back
    assert snapshot(root) == fresh
