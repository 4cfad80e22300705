"""What `./paper diff` marks in an edition's Markdown: the words and numbers that changed, the title block, and the
reference list's works newly cited or no longer cited (gigpaper.revision_diff renders them).

Pandoc's citeproc writes each version's reference list from the works its text cites, so a work cited only in the
new version would be listed unmarked, and one only the old version cited would vanish unsaid. The diff's
bibliography is the new one with the works only the old one held added; its Markdown lists the works no longer
cited (through `nocite`, so citeproc still writes their entries) and both sets, which diff-references.lua marks.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import yaml

from gigpaper.worddiff import word_diff

DIFF_AUTHOR, DIFF_DATE = "./paper diff", "2025-01-01T00:00:00Z"
AUTHOR = f'author="{DIFF_AUTHOR}" date="{DIFF_DATE}"'
TITLE_BLOCK = ("title", "subtitle", "author")  # the front matter's keys the diff's title block prints

# What Pandoc's Markdown takes as a citation key's characters after @ (letters, digits and internal punctuation).
KEY_END = r"(?![\w:.#$%&+?<>~/-]*\w)"


def cited(text: str, keys: list[str]) -> set[str]:
    """The keys among `keys` that `text` cites (@key, in brackets or in the sentence)."""
    return {key for key in keys if re.search(rf"@{re.escape(key)}{KEY_END}", text)}


def references_marked(old_text: str, new_text: str, old_json: Path, new_json: Path, target: Path) -> str:
    """Write the diff's bibliography to `target`; return the metadata block that lists the works inserted and deleted
    ("" when the same works are cited)."""
    old = {e["id"]: e for e in json.loads(old_json.read_text(encoding="utf-8"))} if old_json.exists() else {}
    new = {e["id"]: e for e in json.loads(new_json.read_text(encoding="utf-8"))}
    inserted = sorted(cited(new_text, list(new)) - cited(old_text, list(new)))
    deleted = sorted(cited(old_text, list(old)) - cited(new_text, list(old)))
    entries = [*new.values(), *(old[key] for key in deleted if key not in new)]
    target.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    if not inserted and not deleted:
        return ""
    return (
        "\n---\n"
        + f"diff-inserted-references: {json.dumps(inserted)}\n"
        + f"diff-deleted-references: {json.dumps(deleted)}\n"
        + (f"nocite: '{', '.join('@' + key for key in deleted)}'\n" if deleted else "")
        + "...\n"
    )


# What opens a block at a line's start (a heading's #, a list item's marker, a block quote's >), and a heading's
# attributes ({#sec-...}): kept out of a span, inside which Pandoc would print them as text. A deleted heading is
# unnumbered and gives up its id, which the new edition's heading may hold; the diff's sections keep the new numbers.
BLOCK_OPENER = re.compile(r"(?:#{1,6}[ \t]+|(?:[-*+]|\d+[.)])[ \t]+|>[ \t]?)+")
HEADING_ATTRIBUTES = re.compile(r"[ \t]*\{[^{}]*\}$")


def _span(text: str, kind: str, at_line_start: bool) -> str:
    """`text` as an insertion or deletion span, cut at line ends and table-cell bars so no span crosses one; a line's
    block opener and a heading's attributes stay outside, so an added heading or list item is still one."""
    out = []
    for piece in re.split(r"(\s*\|\s*|\n)", text):
        if not piece.strip() or re.fullmatch(r"\s*\|\s*", piece):
            out.append(piece)
        else:
            lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", piece, re.DOTALL).groups()
            opener = BLOCK_OPENER.match(core) if at_line_start and not lead else None
            if opener:
                lead, core = opener.group(0), core[opener.end() :]
                attributes = HEADING_ATTRIBUTES.search(core) if "#" in lead else None
                if attributes:
                    core, trail = core[: attributes.start()], attributes.group(0) + trail
                if "#" in lead and kind == "deletion":
                    trail = " {.unnumbered}" + trail[len(attributes.group(0)) if attributes else 0 :]
            out.append(f"{lead}[{core}]{{.{kind} {AUTHOR}}}{trail}" if core else lead + trail)
        at_line_start = piece == "\n"
    return "".join(out)


def marked(old: str, new: str) -> str:
    kinds = {"-": "deletion", "+": "insertion"}
    out: list[str] = []
    for op, text in word_diff(old, new):
        at_line_start = not out or out[-1].endswith("\n")
        out.append(text if op == "=" else _span(text, kinds[op], at_line_start))
    return "".join(out)


def title_block_marked(old_front: str, new_front: str) -> str:
    """The new front matter with each change to what the title block prints (the title, the subtitle that says
    whether the edition is revised, the authors) marked, as the body's changes are."""
    old, new = ((yaml.safe_load(front.split("\n", 1)[1].rsplit("\n", 2)[0]) if front else None) or {}
                for front in (old_front, new_front))  # fmt: skip
    changed = [key for key in TITLE_BLOCK if key in new and old.get(key) != new[key]]
    if not changed:
        return new_front
    for key in changed:
        if isinstance(new[key], str):
            new[key] = marked(str(old.get(key) or ""), new[key])
        else:  # the authors, one by one
            before = old.get(key) if isinstance(old.get(key), list) else []
            new[key] = [marked(str(a or ""), b) for a, b in itertools.zip_longest(before, new[key]) if b is not None]
    return "---\n" + yaml.safe_dump(new, allow_unicode=True, sort_keys=True, width=1000) + "---\n"
