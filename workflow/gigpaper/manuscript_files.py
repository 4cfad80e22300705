"""What the manuscript's folders hold: each file there is one the build reads, so that none is passed over unseen.

An edition takes a language's sections from manuscript/text/<lang>/, as gigpaper.paths.section_files names them
(NN.<section>.md, in the order of their names): a section saved under another name (07.appendix.MD, .markdown,
.txt) or in a folder of its own would never reach the edition, and nothing would say so; one numbered otherwise
(4.results.md) or with the number of another would stand elsewhere than its number says. Likewise a language's
texts, abstract or labels under a code the catalogue does not list (kz/ for kk/), which no edition reads.
"""

from __future__ import annotations

import difflib
import re

from gigpaper import paths
from gigpaper.catalogue import LANGUAGES
from gigpaper.errors import BuildError
from gigpaper.paths import is_editors_file

SECTION_NAME = re.compile(r"(\d\d)\..+\.md")  # NN.<section>.md
ORDER = "the edition prints its sections in the order of their numbers"


def check_section_folder(lang: str) -> None:
    """Every file of manuscript/text/<lang>/ is one of the language's sections, or an editor's; each section is
    named NN.<section>.md, its number its own."""
    folder = paths.TEXT / lang
    if not folder.is_dir():
        return  # its missing sections are the parity's to name, its abstract the text check's
    sections = set(paths.section_files(lang))
    for path in sorted(folder.iterdir()):
        if path in sections or is_editors_file(path.name):
            continue
        if path.is_dir():
            raise BuildError(
                f"{path}: found a folder among the sections; expected section files only, named NN.<section>.md: an "
                f"edition reads no folder there (move the sections it holds into {folder}/)."
            )
        base = path.name.rsplit(".", 1)[0]  # 07.appendix of 07.appendix.MD, 04.results.md of 04.results.md.orig
        renamed = path.with_name(base if base.endswith(".md") else f"{base}.md")
        rename = "" if renamed.exists() else f"rename it {renamed.name}, or "
        raise BuildError(
            f"{path}: found a file whose name does not end in .md among the sections; expected a section file, named "
            f"NN.<section>.md: an edition reads only these, and would leave this one out ({rename}move it out of "
            f"{folder}/)."
        )
    numbered: dict[str, str] = {}
    for path in sorted(sections):
        if not (name := SECTION_NAME.fullmatch(path.name)):
            raise BuildError(f"{path}: found a section named '{path.name}'; expected NN.<section>.md, its number of two "
                             f"digits first ({ORDER}).")  # fmt: skip
        if name.group(1) in numbered:
            raise BuildError(f"{path}: found the number {name.group(1)}, which {numbered[name.group(1)]} has too; "
                             f"expected each section its own number ({ORDER}).")  # fmt: skip
        numbered[name.group(1)] = path.name


def check_language_files() -> None:
    """Each language's folder of sections, abstract, labels and Pandoc's terms is one of a language of the catalogue
    (Pandoc reads translations/<lang>.yaml for an edition in <lang> only)."""
    places = [
        (paths.TEXT, "a folder of sections", lambda p: p.is_dir() and p.name != paths.ABSTRACTS.name, lambda p: p.name),
        (paths.ABSTRACTS, "an abstract", lambda p: p.suffix == ".md", lambda p: p.stem),
        (paths.LABELS, "labels", lambda p: p.suffix == ".yaml" and p != paths.LANGUAGE_NAMES, lambda p: p.stem),
        (paths.PANDOC / "translations", "Pandoc's terms", lambda p: p.suffix == ".yaml", lambda p: p.stem),
    ]
    for folder, what, is_a_languages, code_of in places:
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if is_editors_file(path.name) or not is_a_languages(path) or code_of(path) in LANGUAGES:
                continue
            code = code_of(path)
            names = [*LANGUAGES, *([paths.ABSTRACTS.name] if folder == paths.TEXT else [])]  # abstracts/ renamed
            close = difflib.get_close_matches(code, names, n=1, cutoff=0.5)
            raise BuildError(
                f"{path}: found {what} for the language '{code}', which workflow/catalogue.yaml does not list"
                f"{f' (did you mean {close[0]!r}?)' if close else ''}; expected one of {', '.join(names)} (no "
                'edition reads it: a new language is added to the catalogue first, README "Add a language").'
            )
