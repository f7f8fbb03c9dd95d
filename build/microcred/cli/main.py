"""`microcred`: the parser, and how a command's failure becomes a message and an exit code."""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except Failed as failure:
        print(f"microcred: error: {failure}", file=sys.stderr)
        return failure.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
