"""The catalogue's commands: validate, schema, codeowners."""

from __future__ import annotations

import sys
from pathlib import Path

from ..contract.problems import as_json, github_line, shown, summary_line, text_line
from ..contract.schema import schema_text
from ..errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from ..validate import catalogue_root, codeowners as co, validate
from ..validate.files import find_files, is_provider_folder
from .arguments import require_catalogue, require_paths


def cmd_validate(args) -> int:
    paths = args.paths or [Path("catalogue")]
    require_paths(paths)
    catalogues = [p for p in paths if p.is_dir() and not is_provider_folder(p)]
    if catalogues and len(paths) > 1:
        raise UsageError("give one catalogue folder, or provider folders and catalogue files")
    root = catalogue_root(paths)
    result = validate(root, only=None if catalogues else paths, keep_records=False)
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
    sys.stdout.write(schema_text(args.kind))
    return EXIT_OK


def cmd_codeowners(args) -> int:
    root = Path(args.catalogue)
    require_catalogue(root)
    repo = root.resolve().parent
    owners = co.owners(repo, root, find_files(root).provider_files)
    path = repo / co.CODEOWNERS
    if args.check:
        committed = path.read_text("utf-8") if path.is_file() else ""
        problems = co.stale_problems(shown(path), committed, owners)
        for p in problems:
            print(text_line(p))
        return EXIT_PROBLEMS if problems else EXIT_OK
    if bad := co.unreadable(owners):
        for pattern in bad:
            print(f"{shown(root)}/{pattern.rstrip('/').rsplit('/', 1)[1]}/provider.yaml:1:1: error: "
                  "cannot read its maintainers (a list of GitHub handles); fix the file, then run this again",
                  file=sys.stderr)
        return EXIT_PROBLEMS
    text = co.render(owners)
    if path.is_file() and path.read_text("utf-8") == text:
        print(f"{shown(path)} is up to date")
        return EXIT_OK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    print(f"wrote {shown(path)}")
    return EXIT_OK


def add_commands(sub) -> None:
    p = sub.add_parser("validate", help="check catalogue files and report every problem")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="a catalogue folder (default: catalogue/), provider folders (catalogue/<provider-id>/) "
                        "or credential/provider files")
    p.add_argument("--format", choices=["text", "github", "json"], default="text",
                   help="text: FILE:LINE:COL lines; github: Actions annotations; json")
    p.add_argument("--strict", action="store_true", help="warnings fail the check too")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of a credential or provider file")
    p.add_argument("kind", nargs="?", choices=["credential", "provider"], default="credential")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("codeowners", help="write .github/CODEOWNERS from the providers' maintainers")
    p.add_argument("--check", action="store_true", help="only report whether the file is out of date")
    p.add_argument("--catalogue", default="catalogue", help="catalogue folder (default: catalogue)")
    p.set_defaults(run=cmd_codeowners)
