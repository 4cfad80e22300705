"""`./paper preview`: serve one edition's HTML on localhost and reload it when a source is saved.

A save of the author's prose alone (PROSE: the text, the abstracts, the labels) is re-rendered in
warm worker processes (gigpaper.preview_render): the build's input check beside the build's own
render_tables, render_markdown and Pandoc HTML run, with the last build's registry, figures and
bibliography, into a temporary folder of the preview's own; nothing Snakemake or the build wrote is touched.
Any other save (data, settings, workflow code, Pandoc files, templates, bibliography, metadata, or a
label a figure draws) rebuilds the edition's HTML with Snakemake (its target, formats narrowed to
HTML), as does every save after a Snakemake run that failed. The page polls the server and reloads
when a new page is ready. A bad input serves its one message instead of the last good page.
Ctrl-C (or SIGTERM) stops the build under way, the workers and the server.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import html
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath

import yaml

from gigpaper import paths, run_snakemake

# What an author edits; generated folders (manuscript/build, figures, data/processed) are not watched.
WATCHED = ("Snakefile", "config", "data/raw", "manuscript", "workflow")
IGNORED = (paths.BUILD,)
# The author's prose. Of the jobs on the way to an edition's page, only render_tables and render_markdown
# read these (the figures read the labels they draw, a change the renderer sends to the build), so
# the warm workers redo all that a build would; the sections of the other languages, which no job on
# the way reads, are checked (the editions' parity) and change nothing else.
PROSE = ("manuscript/text/*/*.md", "manuscript/labels/*.yaml")
POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.03
VERSION_PATH = "/__preview/version"
# Polls the server and reloads the page once a newer build (good or bad) is ready.
RELOAD_SCRIPT = f"""<script>
(function () {{
  var seen = null;
  function poll() {{
    fetch("{VERSION_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }}).then(function (v) {{
      if (seen === null) {{ seen = v; }} else if (v !== seen) {{ location.reload(); return; }}
      setTimeout(poll, 200);
    }}).catch(function () {{ setTimeout(poll, 1000); }});
  }}
  poll();
}})();
</script>"""


def source_state(root: Path) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every source file, by path.

    os.walk with the generated folders pruned: scanned ten times a second, it must cost little."""
    state = {}
    ignored = {str(root / p) for p in IGNORED}
    for name in WATCHED:
        top = root / name
        if top.is_file():
            info = top.stat()
            state[str(top)] = (info.st_mtime_ns, info.st_size)
        for folder, subfolders, files in os.walk(top):
            subfolders[:] = [d for d in subfolders if d != "__pycache__" and os.path.join(folder, d) not in ignored]
            for file in files:
                path = os.path.join(folder, file)
                try:
                    info = os.stat(path)
                except FileNotFoundError:  # removed since the folder was listed
                    continue
                if stat.S_ISREG(info.st_mode):
                    state[path] = (info.st_mtime_ns, info.st_size)
    return state


def error_message(output: str) -> str:
    """The build's own message for the author: its ERROR lines (and what follows them), else its last lines."""
    lines = output.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("ERROR"):
            return "\n".join(lines[number:]).strip()
    return "\n".join(lines[-30:]).strip()


def error_page(edition: str, message: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Build stopped: {edition} edition</title>'
        "</head><body><h1>The build stopped</h1><p>Fix the input below and save; this page reloads.</p>"
        f'<pre id="preview-error">{html.escape(message)}</pre></body></html>'
    )


def prose_only(names: list[str]) -> bool:
    """Whether every saved file is the author's prose (PROSE), which the warm workers re-render."""
    return bool(names) and all(
        any(len(Path(name).parts) == len(Path(p).parts) and PurePosixPath(name).match(p) for p in PROSE)
        for name in names
    )


def _warm_worker() -> None:
    from gigpaper.errors import BuildError

    try:
        from gigpaper import preview_render

        preview_render.warm()
    except BuildError:  # a broken catalogue, which the build names in the page: the worker tries again later
        pass


def _in_worker(name: str, *args: object) -> object:
    """Run a function of gigpaper.preview_render in a worker (this process never imports the build's code,
    so that new workers after a code edit are the only ones that need it)."""
    from gigpaper import preview_render

    return getattr(preview_render, name)(*args)


class Preview:
    """The state the server shows: the edition's page, or the message of the build that stopped."""

    def __init__(self, root: Path, edition: str) -> None:
        self.root = root
        self.edition = edition
        self.page = root / paths.BUILD / f"paper.{edition}.html"
        self.version = 0
        self.error: str | None = None
        self.html = ""  # the last good page, kept: Snakemake removes the file while it rebuilds it
        self.build_process: subprocess.Popen[str] | None = None
        self.stopping = False
        self.workers: ProcessPoolExecutor | None = None
        # The fast path builds on the last build's registry, tables and figures: only after a good one.
        self.built = False
        # The fast path's Markdown, tables and page: out of the project (see gigpaper.preview_render).
        self.folder = Path(tempfile.mkdtemp(prefix=f"gigpaper-preview-{edition}-"))
        # The edition's labels as the last build drew its figures from them (gigpaper.preview_render).
        self.labels_at_build = self.folder / f"labels-at-build.{edition}.yaml"

    def start_workers(self) -> None:
        """Two warm workers (the check, the page), started now so that they are ready by the first save."""
        if self.workers is not None:
            self.workers.shutdown(wait=False, cancel_futures=True)
        # A fresh interpreter (not a fork of this threaded server), importing the code as it is now.
        self.workers = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_worker)
        # Born with Ctrl-C ignored (Python keeps an ignored SIGINT ignored): a terminal sends it to the whole
        # process group, and the preview, not its workers, decides what stops.
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            for _ in range(2):
                self.workers.submit(time.sleep, 0.1)  # each submit starts a worker while none is idle
        finally:
            signal.signal(signal.SIGINT, interrupt)

    @contextlib.contextmanager
    def build_lock(self) -> Iterator[None]:
        """One build at a time in this folder, as `./paper build` (it waits here while one runs)."""
        (self.root / ".snakemake").mkdir(exist_ok=True)
        with open(self.root / ".snakemake/paper-build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def update(self, changed: set[str] | None) -> None:
        """Bring the page up to date after `changed` were saved (None: at start, by the build)."""
        names = sorted(Path(path).relative_to(self.root).as_posix() for path in changed or ())
        with self.build_lock():
            if self.stopping:
                return
            if any(name.startswith("workflow/") for name in names):
                self.start_workers()  # the workers' imported code is out of date
            if self.built and self.workers is not None and prose_only(names) and self.render(names):
                return
            self.build()

    def prime(self) -> None:
        """One render before the first save, its result unused: the workers' first calls compile the
        templates and the schemas and read their first CSV files, which would slow the first save."""
        if self.built and self.workers is not None:
            with contextlib.suppress(Exception):  # a worker that fails here is replaced at the first save
                for task in self.submit():
                    task.result()

    def submit(self) -> tuple[Future[str | None], Future[tuple[str, str]]]:
        """The input check and the page, each to a worker, side by side."""
        return (
            self.workers.submit(_in_worker, "check_inputs"),
            self.workers.submit(_in_worker, "render_page", self.edition, str(self.folder), str(self.labels_at_build)),
        )

    def render(self, names: list[str]) -> bool:
        """Re-render the page in the warm workers; False when the build must make it."""
        start = time.perf_counter()
        try:
            check, page = self.submit()
            took = {}  # each worker's share of the round trip, for the log
            for name, future in (("check", check), ("page", page)):
                future.add_done_callback(lambda _, name=name: took.setdefault(name, time.perf_counter() - start))
            message, (outcome, detail) = check.result(), page.result()
        except Exception as error:  # noqa: BLE001 - a worker that failed: the build does it, and new workers
            self.log(f"in-process render failed ({type(error).__name__}: {error}); Snakemake rebuilds the page")
            self.start_workers()
            return False
        if message is None and outcome == "build":
            self.log(f"{detail}; Snakemake rebuilds the page")
            return False
        error = message or (detail if outcome == "error" else None)
        if error is None:
            self.html = Path(detail).read_text(encoding="utf-8")
        parts = f"input check {took.get('check', 0):.2f} s, page {took.get('page', 0):.2f} s"
        self.show(error, f"in-process in {time.perf_counter() - start:.2f} s ({parts}; {', '.join(names)})")
        return True

    def build(self) -> None:
        """Bring the edition's HTML up to date with Snakemake; on failure keep the message to serve."""
        start = time.perf_counter()
        labels = self.root / paths.labels_file(self.edition)
        self.labels_at_build.write_bytes(labels.read_bytes() if labels.is_file() else b"")
        self.build_process = run_snakemake.start(
            self.root, "--quiet", "rules", "--config", "formats=[html]", "--", str(self.page.relative_to(self.root))
        )
        output, _ = self.build_process.communicate()
        code = self.build_process.returncode
        self.build_process = None
        if self.stopping:
            return
        self.built = code == 0
        if code == 0:
            self.html = self.page.read_text(encoding="utf-8")
        self.show(None if code == 0 else error_message(output), f"by Snakemake in {time.perf_counter() - start:.2f} s")

    def show(self, error: str | None, how: str) -> None:
        """Serve the new page (or the message); the page in the browser reloads itself."""
        self.error = error
        self.version += 1
        self.log(f"page rebuilt {how}" if error is None else f"build stopped {how}:\n{error}")

    @staticmethod
    def log(line: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)

    def stop(self) -> None:
        self.stopping = True
        process = self.build_process
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # Snakemake removes its incomplete outputs and its lock
            process.wait()
        if self.workers is not None:
            self.workers.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def body(self) -> bytes:
        text = error_page(self.edition, self.error) if self.error else self.html
        head, tail = text.rsplit("</body>", 1) if "</body>" in text else (text, "")
        return (head + RELOAD_SCRIPT + "</body>" + tail).encode("utf-8")


def handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            path = self.path.split("?", 1)[0]
            if path == VERSION_PATH:
                self.send(str(preview.version).encode(), "text/plain")
            elif path in ("/", f"/{preview.page.name}"):
                self.send(preview.body(), "text/html; charset=utf-8")
            else:
                self.send_error(HTTPStatus.NOT_FOUND, f"the preview serves the {preview.edition} edition only")

        def send(self, body: bytes, content_type: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
            pass  # the page polls several times a second

    return Handler


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def serve(root: Path, edition: str, port: int) -> None:
    # Ctrl-C and SIGTERM stop the preview, even where a shell started it with SIGINT ignored (which
    # Snakemake would inherit); a build under way gets SIGINT and cleans up after itself.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    preview = Preview(root, edition)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler(preview))
    except OSError as error:  # the port is taken, or not one this user may open
        preview.stop()  # its temporary folder
        sys.exit(
            f"./paper preview: port {port} on 127.0.0.1: {error.strerror}; choose another with --port (0: any free one)"
        )
    server.daemon_threads = True
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        print(f"Building the {edition} edition's HTML ...", flush=True)
        preview.start_workers()  # they warm up while the build runs
        state = source_state(root)
        preview.update(None)
        preview.prime()
        serving.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"Preview of the {edition} edition: {url} (Ctrl-C stops it)", flush=True)
        while True:
            time.sleep(POLL_SECONDS)
            current = source_state(root)
            if current != state:
                # A save under way (an editor that empties the file, then writes it) is taken once two scans a moment
                # apart agree: else the page could show the emptied file's message, wrong a moment later.
                while True:
                    time.sleep(SETTLE_SECONDS)
                    if (settled := source_state(root)) == current:
                        break
                    current = settled
                changed = {path for path in state.keys() | current.keys() if state.get(path) != current.get(path)}
                state = current  # taken before the build: a save during it triggers the next one
                preview.update(changed)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        if serving.is_alive():
            server.shutdown()
        server.server_close()
    print("Preview stopped.", flush=True)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"found {text!r}; expected a port number from 0 to 65535")
    return int(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="./paper preview", description=__doc__.splitlines()[0])
    parser.add_argument("--edition", default="kk", help="the edition to serve (default kk)")
    parser.add_argument("--port", type=_port, default=8000, help="the port on 127.0.0.1 (0: any free one)")
    args = parser.parse_args(argv)
    try:
        editions = yaml.safe_load(Path("config/config.yaml").read_text(encoding="utf-8"))["editions"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):  # the build names what is wrong, in the page
        editions = [args.edition]
    if args.edition not in editions:
        parser.error(f"--edition {args.edition}: config/config.yaml builds the editions {', '.join(editions)}")
    serve(Path.cwd(), args.edition, args.port)


if __name__ == "__main__":
    main()
