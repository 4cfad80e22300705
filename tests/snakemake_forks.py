"""Run many `snakemake` commands without paying for Snakemake's import each time.

A server process imports Snakemake (and the libraries it loads on every run) once; for each request
it forks a child that changes into the project, points its standard output and error at files and
runs Snakemake's command line, exactly as a fresh `snakemake` process would from there. A child
starts with the server's clean state, so no run sees another's. Requests are JSON lines on stdin:
{"cwd", "args", "stdout", "stderr"}; the answer is the exit code on a line of its own.
"""

from __future__ import annotations

import json
import os
import sys


def serve() -> None:
    # What `snakemake` loads anyway on each run; imported here once, before any fork.
    import jsonschema  # noqa: F401
    import pandas  # noqa: F401
    import yaml  # noqa: F401
    from snakemake import cli
    from snakemake.workflow import Workflow

    sys.path[0] = os.path.dirname(sys.executable)  # as the `snakemake` console script has it
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.chdir(request["cwd"])
                Workflow._rundir = os.getcwd()  # Snakemake takes it once, when it is imported
                for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
                    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                    os.dup2(target, fd)
                    os.close(target)
                sys.argv = [os.path.join(os.path.dirname(sys.executable), "snakemake"), *request["args"]]
                cli.main(request["args"])
            except SystemExit as stop:
                if stop.code is not None and not isinstance(stop.code, int):
                    print(stop.code, file=sys.stderr)  # as Python does when a process exits with a message
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    serve()
