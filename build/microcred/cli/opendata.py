"""`microcred export`: the open data of a catalogue, without the site."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK = 0


def cmd_export(args) -> int:
    from ..export import ExportRefused, export

    try:
        report = export(args.catalogue, args.output, args.repo)
    except ExportRefused as refused:
        print(f"microcred: error: {refused}", file=sys.stderr)
        return refused.exit_code
    print(report)
    return EXIT_OK


def add_commands(sub) -> None:
    p = sub.add_parser("export", help="write the open data (api/v1) of a catalogue to a folder")
    p.add_argument("--output", "-o", type=Path, required=True, metavar="DIR",
                   help="folder to write; created, or replaced if it holds an earlier export")
    p.add_argument("--catalogue", type=Path, default=Path("catalogue"), metavar="PATH",
                   help="catalogue folder (default: catalogue/)")
    p.add_argument("--repo", type=Path, default=None, metavar="DIR",
                   help="folder with mkdocs.yml for site URL and licence (default: the catalogue's parent)")
    p.set_defaults(run=cmd_export)
