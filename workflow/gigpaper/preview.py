"""`./paper preview`: serve one edition's HTML on localhost and reload it when a source is saved.

A save anywhere among the sources rebuilds that edition's HTML alone (its Snakemake target, with
the formats narrowed to HTML, so no PDF, DOCX or JATS is written on the way); the page polls the
server and reloads when a build has finished. A build that stops on a bad input serves its one
message instead of the last good page. Ctrl-C (or SIGTERM) stops the build under way and the server.
"""

from __future__ import annotations

import argparse
import fcntl
import html
import os
import signal
import subprocess
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from gigpaper import paths

# What an author edits; generated folders (manuscript/build, figures, data/processed) are not watched.
WATCHED = ("Snakefile", "config", "data/raw", "manuscript", "workflow")
IGNORED = (paths.BUILD,)
POLL_SECONDS = 0.1
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
    """(modification time, size) of every source file, by path."""
    state = {}
    ignored = [root / p for p in IGNORED]
    for name in WATCHED:
        top = root / name
        files = [top] if top.is_file() else top.rglob("*")
        for path in files:
            if path.is_file() and not any(path.is_relative_to(i) for i in ignored) and "__pycache__" not in path.parts:
                info = path.stat()
                state[str(path)] = (info.st_mtime_ns, info.st_size)
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

    def build(self) -> None:
        """Bring the edition's HTML up to date; on failure keep the message to serve."""
        command = [
            str(Path(sys.executable).parent / "snakemake"), "--cores", "all", "--quiet", "rules",
            "--config", "formats=[html]", "--", str(self.page.relative_to(self.root)),
        ]  # fmt: skip
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        # One build at a time in this folder, as `./paper build` (it waits here while one runs).
        (self.root / ".snakemake").mkdir(exist_ok=True)
        with open(self.root / ".snakemake/paper-build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.stopping:
                return
            self.build_process = subprocess.Popen(
                command, cwd=self.root, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            output, _ = self.build_process.communicate()
            code = self.build_process.returncode
            self.build_process = None
        if self.stopping:
            return
        self.error = None if code == 0 else error_message(output)
        if code == 0:
            self.html = self.page.read_text(encoding="utf-8")
        self.version += 1
        stamp = time.strftime("%H:%M:%S")
        print(f"[{stamp}] " + ("page rebuilt" if code == 0 else f"build stopped:\n{self.error}"), flush=True)

    def stop(self) -> None:
        self.stopping = True
        process = self.build_process
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # Snakemake removes its incomplete outputs and its lock
            process.wait()

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
    server = ThreadingHTTPServer(("127.0.0.1", port), handler(preview))
    server.daemon_threads = True
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        print(f"Building the {edition} edition's HTML ...", flush=True)
        state = source_state(root)
        preview.build()
        serving.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"Preview of the {edition} edition: {url} (Ctrl-C stops it)", flush=True)
        while True:
            time.sleep(POLL_SECONDS)
            current = source_state(root)
            if current != state:
                state = current  # taken before the build: a save during it triggers the next one
                preview.build()
    except KeyboardInterrupt:
        preview.stop()
    finally:
        if serving.is_alive():
            server.shutdown()
        server.server_close()
    print("Preview stopped.", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="./paper preview", description=__doc__.splitlines()[0])
    parser.add_argument("--edition", default="kk", help="the edition to serve (default kk)")
    parser.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (0: any free one)")
    args = parser.parse_args(argv)
    editions = yaml.safe_load(Path("config/config.yaml").read_text(encoding="utf-8"))["editions"]
    if args.edition not in editions:
        parser.error(f"--edition {args.edition}: config/config.yaml builds the editions {', '.join(editions)}")
    serve(Path.cwd(), args.edition, args.port)


if __name__ == "__main__":
    main()
