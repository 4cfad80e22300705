"""Read the project's text inputs: UTF-8 without a byte-order mark, LF line endings, YAML that parses.

Every failure is one message naming the file and, where it can, the line.
"""

from __future__ import annotations

import csv
import io
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from gigpaper import memo
from gigpaper.errors import BuildError
from gigpaper.grammar import line_at

try:  # LibYAML's loader where PyYAML was built with it: several times faster
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

TIMESTAMP = "tag:yaml.org,2002:timestamp"
# A word processor's quotes around a whole value, typed as YAML's (“...”, ‘...’, „...“): YAML keeps them as text.
TYPOGRAPHIC_QUOTES = {"\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201c"}
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but the tab and the line feed
# Sought in a file's bytes first, where each is one byte of UTF-8 that no other character holds: deleting every
# other byte (bytes.translate) is several times faster than the search in the text, which is left to find the line.
NOT_CONTROL_BYTES = bytes(b for b in range(256) if not CONTROL_CHARACTER.match(chr(b)))
# Line breaks that YAML and Python's splitlines count and a line count by LF, Pandoc and the editions do not.
OTHER_LINE_BREAK = re.compile("[\u0085\u2028\u2029]")
OTHER_LINE_BREAK_BYTES = [character.encode() for character in "\u0085\u2028\u2029"]
# Characters that show the text around them in another order than the file holds it (bidirectional overrides,
# embeddings and isolates): a number or a word would read otherwise on screen than in the file a reviewer traces it
# to ("Trojan Source", CVE-2021-42574). No language of the article needs one; none is ASCII.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
BIDI_CONTROL_BYTES = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")  # in UTF-8: ten times faster to seek
# Characters that show nothing (zero-width space, non-joiner, joiner, word joiner, a byte-order mark inside a text,
# soft hyphen), which a copy from a web page or a PDF brings: a word holding one looks the same but is another to a
# reader's search, to the comparison with the published text and to the translations' record. None is ASCII.
INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
INVISIBLE_BYTES = re.compile(rb"\xc2\xad|\xe2\x80[\x8b-\x8d]|\xe2\x81\xa0|\xef\xbb\xbf")  # in UTF-8
# Characters no text input may hold: whether the bytes hold one (fast), the pattern that finds it in the text (for its
# line), and what the message says of it. A control character (a NUL from a bad copy, an escape) prints as nothing,
# or not at all, in every format.
UNWANTED_CHARACTERS = [
    (lambda data: data.translate(None, NOT_CONTROL_BYTES), CONTROL_CHARACTER, "a control character ({}), which no "
     "edition can print; delete it (an editor that shows invisible characters finds it)."),
    (lambda data: any(mark in data for mark in OTHER_LINE_BREAK_BYTES), OTHER_LINE_BREAK, "a Unicode line or "
     "paragraph separator ({}), which some tools count as a line break and others do not; use a plain line break, or "
     "a space."),
    (BIDI_CONTROL_BYTES.search, BIDI_CONTROL, "a bidirectional control character ({}), which shows the text around it "
     "in another order than the file holds it; delete it (an editor that shows invisible characters finds it)."),
    (INVISIBLE_BYTES.search, INVISIBLE, "an invisible character ({}), which no reader sees but a search, the published "
     "text's comparison and the translations' record see; delete it (an editor that shows invisible characters finds "
     "it)."),
]  # fmt: skip
# Aliases (*name) repeat a value without writing it out: a few lines of aliases of aliases stand for millions of
# values (the "billion laughs"), which every check that reads the data would go through one by one.
MOST_VALUES = 100_000  # a hundred times the largest of the project's YAML files
# Values nested in values: the checks that read them (the schemas, the memo's pickle) go one Python call deeper
# for each level, and hundreds of levels end in a RecursionError. The project's deepest file nests 10.
DEEPEST_VALUES = 50
ANCHOR = re.compile(r"(?:^|[\s\[{,])&\S", re.M)  # where a node may start: not the & of "R&D" or of a URL's query
# Pandoc's Typst writer, which makes the PDF, takes time that grows with the square of a word's length: a second
# for 20,000 characters, minutes for a million. No word of any language comes near; a paragraph of a script
# written without spaces (Chinese) may, so the bound is far above a paragraph's length.
LONGEST_WORD = 10_000
LONG_WORD = re.compile(rf"(?<!\S)\S{{{LONGEST_WORD + 1},}}")  # tried only where a word starts: linear time
# The lines git writes around the two sides of a merge it could not make (<<<<<<< HEAD ... ======= ... >>>>>>> other):
# left in, a text prints them and both sides (the ======= underlining a heading), a table or YAML file misreads them.
CONFLICT_MARKER = re.compile(r"^(?:<{7}|>{7}|\|{7})(?: .*)?$", re.M)


class SafeLoader(_BaseLoader):
    """PyYAML's safe loader, but a value that looks like a date stays text, and a key given twice is an error.

    No input holds a date, and a date-like value that is not one (`caption: 2025-13-45`) would
    otherwise end in a Python error instead of a message about the file. YAML requires the keys of a
    mapping to differ; PyYAML keeps the last of two silently, so an edit made below an old value of the
    same key would win, or lose, unseen.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key, str | int | float | bool | None):
                continue  # a merge (<<) or an unhashable key: PyYAML's own handling and message
            if key in first:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' is given twice, on line {first[key]} and here; keep one",
                    key_node.start_mark,
                )  # fmt: skip
            first[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != TIMESTAMP]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


# How a file that another program saved in its own format starts, and what that format is: Word, Excel or Calc
# asked to save a text or table under its name, or Notepad's "Unicode". Else named by the first byte that is not
# UTF-8, or a control character, which tells the author less.
OTHER_FORMATS = {
    b"PK\x03\x04": "a ZIP archive, as Word, Excel and LibreOffice save their documents (.docx, .xlsx, .odt)",
    b"\xd0\xcf\x11\xe0": "a Word or Excel document of the old binary format (.doc, .xls)",
    b"%PDF-": "a PDF document",
    b"{\\rtf": "an RTF document",
    b"\xff\xfe": "text saved as UTF-16 (Word's and Notepad's \"Unicode\")",
    b"\xfe\xff": "text saved as UTF-16 (Word's and Notepad's \"Unicode\")",
}


def check_encoding(path: str | Path, data: bytes) -> str:
    """The text of `data`, or a BuildError saying in words what is wrong with how the file was saved or what
    it holds that no step can read or a reader would misread: a control character, a line separator other than LF,
    a direction control, a letter saved decomposed, a word longer than any language has."""
    if other := next((what for start, what in OTHER_FORMATS.items() if data.startswith(start)), None):
        raise BuildError(
            f"{path}: found {other}; expected plain text in UTF-8: save it again under this name as plain text, UTF-8 "
            "(a table as CSV UTF-8, comma-separated)."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        raise BuildError(f"{path}: the file is saved with a byte-order mark (BOM); save it as UTF-8 without BOM.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BuildError(
            f"{path}, line {line}: byte 0x{data[error.start]:02x} is not UTF-8; "
            "the file seems saved in another encoding (Latin-1 or Windows-1251?): save it as UTF-8."
        ) from None
    if "\r" in text:
        line = line_at(text, text.index("\r"))
        raise BuildError(
            f"{path}, line {line}: the file has Windows (CRLF) or old Mac (CR) line endings; save it with LF line endings."
        )
    for in_bytes, pattern, what in UNWANTED_CHARACTERS:
        if in_bytes(data) and (found := pattern.search(text)):
            line = line_at(text, found.start())
            raise BuildError(f"{path}, line {line}: {what.format(f'U+{ord(found.group(0)):04X}')}")
    if (b"<<<<<<<" in data or b">>>>>>>" in data) and (marker := CONFLICT_MARKER.search(text)):
        raise BuildError(
            f"{path}, line {line_at(text, marker.start())}: a merge conflict's marker ({marker.group(0)[:40]}), which "
            "git leaves where two versions of the file disagree; keep the lines you want, and delete the other side "
            "and the markers (<<<<<<<, ======= and >>>>>>>)."
        )
    # A letter saved as a base and a combining mark (и and U+0306 for й, as some editors and PDF copies give it)
    # looks the same, but the published text, the editions' searches and the comparison with the published text use
    # the one composed letter: the kk text would read as changed after publication wherever it holds one.
    if not unicodedata.is_normalized("NFC", text):
        composed = unicodedata.normalize("NFC", text)
        start = next((i for i, (a, b) in enumerate(zip(text, composed, strict=False)) if a != b), 0)
        end = start + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        parts = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in text[start:end])
        raise BuildError(
            f"{path}, line {line_at(text, start)}: «{unicodedata.normalize('NFC', text[start:end])}» is "
            f"written as {end - start} characters ({parts}), not as the one letter the published text and a reader's "
            "search use; retype it, or save the file composed (Unicode NFC)."
        )
    # A word is no longer than its line, in characters or in bytes: the lines' lengths, fast to take, say whether
    # the words' are needed (a third of the regex's time), and those whether the regex is.
    if max(map(len, data.split(b"\n"))) > LONGEST_WORD and max(map(len, text.split())) > LONGEST_WORD:
        long_word = LONG_WORD.search(text)
        line = line_at(text, long_word.start())  # type: ignore[union-attr]
        word = long_word.group(0)  # type: ignore[union-attr]
        raise BuildError(
            f"{_table_cell(path, text, line) or f'{path}, line {line}'}: found a word of {len(word)} characters, "
            f"«{word[:20]}…»; expected words of at most {LONGEST_WORD} characters: put spaces where they belong."
        )
    return text


def _table_cell(path: str | Path, text: str, line: int) -> str | None:
    """The cell of a CSV file with a word too long on `line`, named as the data checks name a cell (the header is
    row 1); None for any other file, or a word outside the columns."""
    if Path(path).suffix != ".csv":
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    for row, cells in enumerate(reader, start=2):
        if reader.line_num - sum(cell.count("\n") for cell in cells) <= line <= reader.line_num:  # its lines
            found = next((i for i, cell in enumerate(cells) if LONG_WORD.search(cell)), None)
            if found is not None and found < len(header):
                return f"{path}, row {row}, column '{header[found]}'"
    return None


def is_project_file(path: str | Path) -> bool:
    """Whether a path a setting or an entry names is a file of the project, named from its folder."""
    return not Path(path).is_absolute() and ".." not in Path(path).parts and Path(path).is_file()


def read_text(path: str | Path) -> str:
    try:
        # A link out of the project: its text is not the project's, and a clone holds only the link.
        if Path(path).is_symlink() and not Path(path).resolve(strict=True).is_relative_to(Path.cwd().resolve()):
            raise BuildError(
                f"{path}: a link to {Path(path).resolve()}, outside the project; put the file itself here."
            )
        mode = Path(path).stat().st_mode
        if stat.S_ISDIR(mode):
            raise BuildError(f"{path}: a folder, where the build reads a file; put the file itself here.")
        if not stat.S_ISREG(mode):  # a named pipe would keep the build waiting for a writer that never comes
            raise BuildError(
                f"{path}: a named pipe or a device, where the build reads a file; put the file itself here."
            )
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise BuildError(f"{path}: the file does not exist.") from None
    except (OSError, RuntimeError) as error:  # a link that leads back to itself (RuntimeError before Python 3.13)
        raise BuildError(f"{path}: the file cannot be read ({getattr(error, 'strerror', None) or error}).") from None
    return check_encoding(path, data)


def parse_yaml(text: str, path: str | Path) -> Any:
    """The data of a YAML text; a text parsed before in this process is not parsed again."""
    return memo.remembered("yaml", (text,), lambda: _parse_yaml(text, path))


def _parse_yaml(text: str, path: str | Path) -> Any:
    loader = SafeLoader(text)
    try:
        document = loader.get_single_node()
        if document is None:
            return None
        if ANCHOR.search(text):  # an anchor (&name), which an alias repeats: none, no alias
            _refuse_endless_aliases(document, path)
        _refuse_deep_nesting(document, path)
        return loader.construct_document(document)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text, path) from None
    except (ValueError, TypeError, OverflowError) as error:  # an explicit tag (!!timestamp, !!int) on a bad value
        raise BuildError(f"{path}: not valid YAML ({error}).") from None
    finally:
        loader.dispose()


def _yaml_error(error: yaml.YAMLError, text: str, path: str | Path) -> BuildError:
    """A parser's error at its line and column; a tab, which the parsers say 'cannot start any token', named."""
    mark = getattr(error, "problem_mark", None)
    where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark else str(path)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    if mark and (text.split("\n")[mark.line :] or [""])[0][mark.column : mark.column + 1] == "\t":
        problem, context = "a tab, where YAML takes spaces only; write spaces in its place", None
    return BuildError(f"{where}: not valid YAML ({problem}{'; ' + context if context else ''}).")


def _refuse_endless_aliases(document: yaml.Node, path: str | Path) -> None:
    """Count the values of a parsed document as its aliases repeat them (each node once per use), without
    repeating them: a BuildError when there are more than MOST_VALUES, or when an alias is inside what it names."""
    values: dict[int, int] = {}  # id of a node -> its values, once counted
    open_nodes: set[int] = set()  # the nodes whose values are being counted: one met again is inside itself
    stack = [document]
    while stack:
        node = stack[-1]
        parts = _parts(node)
        open_nodes.add(id(node))
        if uncounted := [part for part in parts if id(part) not in values]:
            if inside := next((part for part in uncounted if id(part) in open_nodes), None):
                raise BuildError(
                    f"{path}, line {inside.start_mark.line + 1}: an alias (*name) inside the value it names, "
                    "which would repeat without end; expected a value written out."
                )
            stack.extend(uncounted)
            continue
        stack.pop()
        open_nodes.discard(id(node))
        values[id(node)] = 1 + sum(values[id(part)] for part in parts)
        if values[id(node)] > MOST_VALUES:
            raise BuildError(
                f"{path}: found at least {values[id(node)]} values once its aliases (*name) are written out; "
                f"expected at most {MOST_VALUES}."
            )


def _refuse_deep_nesting(document: yaml.Node, path: str | Path) -> None:
    """A BuildError at the first value nested more than DEEPEST_VALUES deep (after _refuse_endless_aliases: a
    document whose aliases repeat without end would have no end here either), or written in typographic quotes."""
    stack: list[tuple[yaml.Node, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        for part in _parts(node):
            if depth == DEEPEST_VALUES:
                raise BuildError(
                    f"{path}, line {part.start_mark.line + 1}: found values nested more than {DEEPEST_VALUES} "
                    f"deep; expected at most {DEEPEST_VALUES}."
                )
            if type(part.value) is list:  # a collection: a scalar has no parts to go deeper with
                stack.append((part, depth + 1))
            elif not part.style and len(value := part.value) > 1 and TYPOGRAPHIC_QUOTES.get(value[0]) == value[-1]:
                raise BuildError(
                    f"{path}, line {part.start_mark.line + 1}, column {part.start_mark.column + 1}: found '{value}', in "
                    "typographic quotes, which YAML keeps as part of the text (the editions would print them); expected "
                    f"straight quotes (\"{value[1:-1]}\") around it, or the whole of it in straight quotes ('{value}') "
                    "to print them."
                )


def _parts(node: yaml.Node) -> list[yaml.Node]:
    """The nodes a node holds: a mapping's keys and values, a sequence's items; a scalar (its value is text) none.
    Read on every parse, by type rather than isinstance: the two walks above stay cheap."""
    if type(node.value) is not list:
        return []
    return [part for item in node.value for part in (item if type(item) is tuple else (item,))]


def load_yaml(path: str | Path) -> Any:
    return parse_yaml(read_text(path), path)


def refuse_empty(path: str | Path, text: str, expected: str) -> str:
    """`text`, the file's, unless it holds nothing but space: a project file emptied by accident (an editor that
    crashed, a bad merge) would otherwise build, leaving its part out of every output unsaid."""
    if not text.strip():
        raise BuildError(f"{path}: the file is empty; expected {expected} (restore it: git checkout -- {path}).")
    return text


def refuse_dates(path: str | Path) -> None:
    """Snakemake reads the build settings again with PyYAML's own loader, which makes a date of a plain value that
    looks like one (a Python error where it is none, 2025-13-45; datetime.date(...) in the schema's message where it
    is one). No setting is a date: such a value is named at its line before Snakemake reads the file (after
    load_yaml, which refuses what else would stop PyYAML)."""
    try:  # LibYAML takes a tab after a key's colon, PyYAML's own loader does not
        node = yaml.compose(text := read_text(path), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text, path) from None
    stack = [node] if node else []
    while stack:
        node = stack.pop()
        if node.tag == TIMESTAMP:
            raise BuildError(f"{path}, line {node.start_mark.line + 1}: found {node.value}, which YAML reads as a date "
                             "and no setting is; expected the setting's value (text in quotes).")  # fmt: skip
        stack.extend(_parts(node))


def check_settings_file(path: str | Path) -> None:
    """A file of build settings (config/config.yaml, or one given with --configfile), read with the project's loader
    before Snakemake reads it: Snakemake's own error names no file nor line (and blames its Snakefile for an emptied
    file), a deep nesting or a date that is none crashes it, and it keeps the last of a key given twice, unsaid."""
    settings = load_yaml(path)
    if not isinstance(settings, dict):
        found = "nothing" if settings is None else "a list" if isinstance(settings, list) else "a single value"
        raise BuildError(
            f"{path}, line 1: found {found}; expected the build settings, a 'setting: value' line for each (png_dpi: 300)."
        )
    refuse_dates(path)


def load_labels(path: str | Path) -> dict[str, Any]:
    """One language's labels (manuscript/labels/<lang>.yaml)."""
    labels = load_yaml(path)
    if not isinstance(labels, dict):
        raise BuildError(f"{path}: expected a mapping of label names to text.")
    return labels


if __name__ == "__main__":  # ./paper build --configfile FILE...: each file read before Snakemake reads it
    import argparse
    import sys

    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)  # Snakemake's spelling of the option alone
    parser.add_argument("--configfile", "--configfiles", nargs="+", action="extend", default=[])
    try:
        for name in parser.parse_known_args()[0].configfile:
            check_settings_file(name)
    except BuildError as error:
        sys.exit(f"ERROR in the build settings: {error}")
