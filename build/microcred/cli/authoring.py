"""The authoring commands: new, new-provider, import elm, sheet export and import, diff, generate."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK, EXIT_PROBLEMS, DiffError, UsageError
from .arguments import require_catalogue


def cmd_new(args) -> int:
    from ..authoring.scaffold import ask_in_terminal, new_credential

    written = new_credential(Path(args.catalogue), args.provider, args.slug, vars(args), ask=ask_in_terminal())
    print(f"wrote {written}")
    print(f"next: fill in the optional fields you need, then run: microcred validate {written}")
    return EXIT_OK


def cmd_new_provider(args) -> int:
    from ..authoring.scaffold import ask_in_terminal, new_provider

    for path in new_provider(Path(args.catalogue), args.id, vars(args), ask=ask_in_terminal()):
        print(f"wrote {path}")
    print(f"next: add a credential with: microcred new {args.id} <slug>")
    return EXIT_OK


def cmd_import_elm(args) -> int:
    from ..authoring.elm_import import import_elm
    from ..contract.problems import shown

    result = import_elm(Path(args.file), Path(args.catalogue), args.provider, dry_run=args.dry_run)
    for entry in result.entries:
        if entry.skipped:
            continue
        if result.dry_run:
            print(f"--- would write {shown(entry.path)} (from {entry.where}):")
            sys.stdout.write(entry.text)
            print("---")
        elif entry.written:
            print(f"wrote {shown(entry.path)}")
    for finding in result.findings:
        print(finding.text())
    made = [e for e in result.entries if not e.skipped]
    to_fill = [e for e in made if e.missing]
    skipped = [e for e in result.entries if e.skipped]
    warnings = sum(f.severity == "warning" for f in result.findings)
    plural = lambda n, w: f"{n} {w}{'' if n == 1 else 's'}"  # noqa: E731
    verb = "would write" if result.dry_run else "wrote"
    print(f"{result.source}: {plural(len(result.entries), 'credential')}: {verb} {len(made)} "
          f"({len(made) - len(to_fill)} valid, {len(to_fill)} to fill in), skipped {len(skipped)}; "
          f"{plural(warnings, 'warning')} (values not imported, or to check)")
    if to_fill and not result.dry_run:
        print(f"next: fill in the fields the errors name, then run: microcred validate {shown(result.folder)}")
    elif made and not result.dry_run:
        print(f"next: check the files, then run: microcred validate {shown(result.folder)}")
    return result.exit_code


def cmd_sheet_export(args) -> int:
    from ..authoring.sheet import export_sheet
    from ..contract.problems import shown

    output = Path(args.output)
    result = export_sheet(Path(args.catalogue), args.provider, output)
    for path in result.written:
        print(f"wrote {shown(path)}")
    where = f"{shown(result.written[1])} explains" if len(result.written) > 1 else "its sheet 'columns' explains"
    if result.entries:
        print(f"{result.entries} credential{'' if result.entries == 1 else 's'} of {args.provider}, one per row, "
              f"in {result.columns} columns; {where} each column")
    else:
        print(f"{args.provider} has no credentials yet: a blank sheet of {result.columns} columns; {where} each column")
    print(f"next: fill it in, then run: microcred sheet import {shown(output)}")
    return EXIT_OK


def cmd_sheet_import(args) -> int:
    import json

    from ..authoring.sheet import import_sheet
    from ..contract.problems import as_json, github_line, shown, summary_line, text_line

    result = import_sheet(Path(args.file), Path(args.catalogue), dry_run=args.dry_run)
    if args.format == "json":
        report = json.loads(as_json(result.problems, 1))
        report["entries"] = [{"id": e.id, "row": e.row, "file": shown(e.path), "status": e.status}
                             for e in result.entries]
        report["dry_run"], report["written"] = result.dry_run, result.written
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return EXIT_PROBLEMS if result.errors else EXIT_OK
    line = github_line if args.format == "github" else text_line
    for problem in result.problems:
        print(line(problem))
    print(summary_line(result.problems, 1))
    if result.errors:
        print(f"nothing written: fix the errors in {result.file} and import it again")
        return EXIT_PROBLEMS
    width = max((len(e.status) for e in result.entries), default=0)
    for e in result.entries:
        what = f"{e.status:<{width}}  {e.id} (row {e.row})"
        if e.status == "new":
            what += f": {'would write' if result.dry_run else 'wrote'} {shown(e.path)}"
        elif e.status == "changed":
            what += (f": {'would rewrite' if result.dry_run else 'rewrote'} {shown(e.path)} "
                     "(the old file's comments and layout are not kept)")
        print(what)
    counts = {s: sum(e.status == s for e in result.entries) for s in ("new", "changed", "unchanged")}
    print(f"{result.file}: {len(result.entries)} credential{'' if len(result.entries) == 1 else 's'}: "
          + ", ".join(f"{n} {s}" for s, n in counts.items()))
    if result.dry_run:
        print("nothing written (--dry-run)")
    elif result.written:
        print(f"next: check the files (git diff), then run: microcred validate {shown(result.folder)}")
    return EXIT_OK


def cmd_diff(args) -> int:
    from ..authoring.diff import as_markdown, as_text, diff

    root = Path(args.catalogue)
    require_catalogue(root)
    try:
        report = diff(root, args.base)
    except DiffError as e:
        raise UsageError(f"cannot read the catalogue at {args.base}: {e}") from None
    sys.stdout.write(as_markdown(report) if args.format == "markdown" else as_text(report))
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


def add_commands(sub) -> None:
    from ..authoring.scaffold import add_credential_options, add_provider_options

    p = sub.add_parser("new", help="write a new credential file, asking for the required fields")
    p.add_argument("provider", metavar="PROVIDER", help="provider id (its folder in the catalogue)")
    p.add_argument("slug", metavar="SLUG", help="the credential's file name without .yaml, e.g. plc-basics")
    p.add_argument("--catalogue", default="catalogue", help="catalogue folder (default: catalogue)")
    add_credential_options(p)
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("new-provider", help="write a new provider folder with its provider.yaml")
    p.add_argument("id", metavar="ID", help="provider id: lowercase letters, digits, single hyphens")
    p.add_argument("--catalogue", default="catalogue", help="catalogue folder (default: catalogue)")
    add_provider_options(p)
    p.set_defaults(run=cmd_new_provider)

    p = sub.add_parser("import", help="write credential files from data published elsewhere")
    # spreadsheets have a group of their own (`sheet import`), with its export beside it
    kinds = p.add_subparsers(dest="kind", required=True, metavar="FORMAT", parser_class=type(p))
    q = kinds.add_parser("elm", help="from Europass: a LOQ XML file (the QDR's upload format) or ELM JSON-LD")
    q.add_argument("file", metavar="FILE", help="the LOQ XML or ELM JSON-LD file (told apart by its content)")
    q.add_argument("--provider", required=True, metavar="ID",
                   help="the provider whose folder gets the files (create it with: microcred new-provider ID)")
    q.add_argument("--catalogue", default="catalogue", metavar="DIR", help="catalogue folder (default: catalogue)")
    q.add_argument("--dry-run", action="store_true", help="write nothing; print the files it would write")
    q.set_defaults(run=cmd_import_elm)

    p = sub.add_parser("sheet", help="a provider's credentials as a spreadsheet (.xlsx, .ods, .csv), and back")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=type(p))
    q = actions.add_parser("export", help="write a provider's credentials as a sheet, one row each (or a blank one)")
    q.add_argument("provider", metavar="PROVIDER-ID", help="the provider whose credentials go into the sheet")
    q.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the sheet to write: .xlsx, .ods or .csv, chosen by the name (.csv: FILE.columns.csv beside it "
                        "explains the columns)")
    q.add_argument("--catalogue", default="catalogue", metavar="DIR", help="catalogue folder (default: catalogue)")
    q.set_defaults(run=cmd_sheet_export)
    q = actions.add_parser("import", help="write credential files from a sheet, after checking every row")
    q.add_argument("file", metavar="FILE", help="the sheet: .xlsx, .ods or .csv (UTF-8, comma or semicolon)")
    q.add_argument("--dry-run", action="store_true", help="write nothing; say what would be new, changed, unchanged")
    q.add_argument("--format", choices=["text", "github", "json"], default="text",
                   help="text: FILE:ROW:COLUMN lines; github: Actions annotations; json")
    q.add_argument("--catalogue", default="catalogue", metavar="DIR", help="catalogue folder (default: catalogue)")
    q.set_defaults(run=cmd_sheet_import)

    p = sub.add_parser("diff", help="summarise what a change does to the register, compared with a git revision")
    p.add_argument("base", metavar="BASE", help="git revision to compare with, e.g. origin/main")
    p.add_argument("--format", choices=["text", "markdown"], default="text",
                   help="text for a terminal (default); markdown for a pull request's job summary")
    p.add_argument("--catalogue", default="catalogue", help="catalogue folder (default: catalogue)")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("generate", help="write the committed generated files (schemas, reference pages)")
    p.add_argument("--check", action="store_true", help="only report files that are out of date")
    p.add_argument("--repo", default=".", help="repository root (default: .)")
    p.set_defaults(run=cmd_generate)
