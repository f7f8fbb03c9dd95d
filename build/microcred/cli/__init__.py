"""The `microcred` command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .. import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2, as argparse does, with our wording
        self.print_usage(sys.stderr)
        print(f"microcred: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _paths_exist(paths: list[Path]) -> None:
    for p in paths:
        if not p.exists():
            print(f"microcred: error: {p}: no such file or folder", file=sys.stderr)
            raise SystemExit(EXIT_USAGE)


def cmd_validate(args) -> int:
    from ..contract.problems import as_json, github_line, summary_line, text_line
    from ..validate.run import catalogue_root, validate

    paths = args.paths or [Path("catalogue")]
    _paths_exist(paths)
    dirs = [p for p in paths if p.is_dir()]
    if len(dirs) > 1 or (dirs and len(paths) > 1):
        print("microcred: error: give one catalogue folder, or catalogue files", file=sys.stderr)
        return EXIT_USAGE
    root = catalogue_root(paths)
    result = validate(root, only=None if dirs else paths, keep_records=False)
    if args.format == "json":
        print(as_json(result.problems, result.files))
    else:
        line = github_line if args.format == "github" else text_line
        for problem in result.problems:
            print(line(problem))
        print(summary_line(result.problems, result.files))
    failed = result.errors or (args.strict and result.problems)
    return EXIT_PROBLEMS if failed else EXIT_OK


def cmd_schema(args) -> int:
    from ..contract.schema import schema_text

    sys.stdout.write(schema_text(args.kind))
    return EXIT_OK


def cmd_generate(args) -> int:
    from ..authoring.generate import stale, write

    repo = Path(args.repo)
    if args.check:
        drifted = stale(repo)
        for rel in drifted:
            print(f"{rel}: out of date; run `microcred generate` and commit the result")
        return EXIT_PROBLEMS if drifted else EXIT_OK
    for rel in write(repo):
        print(f"wrote {rel}")
    return EXIT_OK


def cmd_build(args) -> int:
    from ..build import BuildFailed, build

    from ..progress import for_terminal

    _paths_exist([args.catalogue])
    progress = for_terminal(args.quiet)
    try:
        report = build(Path(args.repo), args.catalogue, args.output, progress=progress, quiet=args.quiet)
    except BuildFailed as e:
        progress.close()
        print(f"microcred: build failed: {e}", file=sys.stderr)
        return EXIT_PROBLEMS
    progress.close()
    if args.timings:
        args.timings.write_text(json.dumps(report.timings(), indent=2) + "\n", "utf-8")
    if not args.quiet:
        print(report.line())
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import serve

    _paths_exist([args.catalogue])
    try:
        return serve(Path(args.repo), args.catalogue, args.output, args.host, args.port)
    except OSError as e:  # e.g. the port is taken
        print(f"microcred: error: cannot serve on {args.host}:{args.port}: {e.strerror}", file=sys.stderr)
        return EXIT_USAGE


def _site_options(p) -> None:
    p.add_argument("--catalogue", type=Path, default=Path("catalogue"), metavar="PATH",
                   help="catalogue folder (default: catalogue/)")
    p.add_argument("--output", type=Path, default=Path("site"), metavar="DIR",
                   help="where the site goes (default: site/); replaced only when the build succeeds")
    p.add_argument("--repo", default=".", help="repository root with mkdocs.yml and docs/ (default: .)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="microcred", description="Open Micro-credential Register")
    parser.add_argument("--version", action="version", version=f"microcred {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="check catalogue files and report every problem")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="a catalogue folder (default: catalogue/) or credential/provider files")
    p.add_argument("--format", choices=["text", "github", "json"], default="text",
                   help="text: FILE:LINE:COL lines; github: Actions annotations; json")
    p.add_argument("--strict", action="store_true", help="warnings fail the check too")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of a credential or provider file")
    p.add_argument("kind", nargs="?", choices=["credential", "provider"], default="credential")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("generate", help="write the committed generated files (schemas, reference pages)")
    p.add_argument("--check", action="store_true", help="only report files that are out of date")
    p.add_argument("--repo", default=".", help="repository root (default: .)")
    p.set_defaults(run=cmd_generate)

    p = sub.add_parser("build", help="validate, then build the site with search and open data")
    _site_options(p)
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors (no progress, no summary)")
    p.add_argument("--timings", type=Path, metavar="FILE",
                   help="write each stage's wall time in seconds to FILE as JSON")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("serve", help="build, serve on 127.0.0.1:8000 and rebuild on changes")
    _site_options(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(run=cmd_serve)

    from .authoring import add_commands as add_provider_commands
    add_provider_commands(sub)  # diff, codeowners, new, new-provider

    from .opendata import add_commands as add_opendata_commands
    add_opendata_commands(sub)  # export
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
