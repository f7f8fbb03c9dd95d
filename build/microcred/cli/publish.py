"""Publishing: build (the site), serve (build and rebuild while editing), export (only the open data).

The build's modules (Jinja2, MkDocs, Markdown) are imported when a command runs,
not when the parser is made: `microcred validate` starts without them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import EXIT_OK, Failed, UsageError
from .arguments import require_paths


def cmd_build(args) -> int:
    from ..build import build
    from .progress import for_terminal

    require_paths([args.catalogue])
    progress = for_terminal(args.quiet)
    try:
        report = build(Path(args.repo), args.catalogue, args.output, progress=progress, quiet=args.quiet,
                       clean=args.clean, shard=args.shard, shards=args.combine)
    except Failed as e:
        progress.close()
        print(f"microcred: build failed: {e}", file=sys.stderr)
        return e.exit_code
    progress.close()
    if args.timings:
        args.timings.write_text(json.dumps(report.timings(), indent=2) + "\n", "utf-8")
    if not args.quiet:
        print(report.line())
    if args.held is not None:
        args.held.append(report.held)
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import serve

    require_paths([args.catalogue])
    try:
        return serve(Path(args.repo), args.catalogue, args.output, args.host, args.port)
    except OSError as e:  # e.g. the port is taken
        raise UsageError(f"cannot serve on {args.host}:{args.port}: {e.strerror}") from None


def cmd_export(args) -> int:
    from ..build import export

    print(export(args.catalogue, args.output, args.repo))
    return EXIT_OK


def _site_options(p) -> None:
    p.add_argument("--catalogue", type=Path, default=Path("catalogue"), metavar="PATH",
                   help="catalogue folder (default: catalogue/)")
    p.add_argument("--output", type=Path, default=Path("site"), metavar="DIR",
                   help="where the site goes (default: site/); replaced only when the build succeeds")
    p.add_argument("--repo", default=".", help="repository root with mkdocs.yml and docs/ (default: .)")


def _shard(text: str) -> tuple[int, int]:
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"'{text}' is not K/N with 1 <= K <= N (e.g. 1/4)")
    return int(k), int(n)


def add_commands(sub) -> None:
    p = sub.add_parser("build", help="validate, then build the site with search and open data")
    _site_options(p)
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors (no progress, no summary)")
    p.add_argument("--timings", type=Path, metavar="FILE",
                   help="write each stage's wall time in seconds to FILE as JSON")
    p.add_argument("--clean", action="store_true",
                   help="make every page and file again, keeping nothing of the last build (its cache is "
                        "the folder .NAME-cache beside the output)")
    p.add_argument("--shard", type=_shard, metavar="K/N",
                   help="make only the credential pages and open-data files of the K-th of N shards "
                        "(providers split by a hash of their id), for a build spread over N jobs")
    p.add_argument("--combine", type=Path, nargs="+", default=[], metavar="SHARD",
                   help="the outputs of `build --shard` (all N of them): their pages and files are taken, "
                        "the rest (tables, open data collections, search) is made here")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("serve", help="build, serve on 127.0.0.1:8000 and rebuild on changes")
    _site_options(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("export", help="write the open data (api/v1) of a catalogue to a folder")
    p.add_argument("--output", "-o", type=Path, required=True, metavar="DIR",
                   help="folder to write; created, or replaced if it holds an earlier export")
    p.add_argument("--catalogue", type=Path, default=Path("catalogue"), metavar="PATH",
                   help="catalogue folder (default: catalogue/)")
    p.add_argument("--repo", type=Path, default=None, metavar="DIR",
                   help="folder with mkdocs.yml for site URL and licence (default: the catalogue's parent)")
    p.set_defaults(run=cmd_export)
