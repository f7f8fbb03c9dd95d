"""`microcred`: the parser, and how a command's failure becomes a message and an exit code."""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Failed
from . import authoring, catalogue, publish


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2, as argparse does, with our wording
        self.print_usage(sys.stderr)
        print(f"microcred: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="microcred", description="Open Micro-credential Register")
    parser.add_argument("--version", action="version", version=f"microcred {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    catalogue.add_commands(sub)  # validate, schema, codeowners
    publish.add_commands(sub)  # build, serve, export
    authoring.add_commands(sub)  # new, new-provider, diff, generate, import elm, sheet
    return parser


def run() -> None:
    """The `microcred` program: main(), then an exit that frees nothing.

    Freeing what a build held, object by object, took 2.4 s at 100,000 credentials; the
    operating system takes a process's memory back at once (mypy ends the same way). The
    commands leave such things in `held` (cmd_build); main() called in a process that goes
    on (tests, scripts) frees them as usual.
    """
    held: list = []
    code = main(held=held)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away: there is no one to tell
        pass
    os._exit(code)


def main(argv: list[str] | None = None, held: list | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.held = held  # where a command may leave what need not be freed before the process ends (run)
    try:
        return args.run(args)
    except Failed as failure:
        print(f"microcred: error: {failure}", file=sys.stderr)
        return failure.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
