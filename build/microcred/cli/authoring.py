"""The provider's commands: diff, codeowners, new, new-provider (registered by cli.build_parser)."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"microcred: error: {message}", file=sys.stderr)
    return code


def cmd_diff(args) -> int:
    from ..authoring.diff import DiffError, as_markdown, as_text, diff

    root = Path(args.catalogue)
    if not root.is_dir():
        return _fail(f"{root}: no such catalogue folder")
    try:
        report = diff(root, args.base)
    except DiffError as e:
        return _fail(f"cannot read the catalogue at {args.base}: {e}")
    sys.stdout.write(as_markdown(report) if args.format == "markdown" else as_text(report))
    return EXIT_OK


def cmd_codeowners(args) -> int:
    from ..validate import codeowners as co
    from ..contract.problems import text_line
    from ..validate.run import find_files, shown

    root = Path(args.catalogue)
    if not root.is_dir():
        return _fail(f"{root}: no such catalogue folder")
    repo = root.resolve().parent
    layout = find_files(root)
    owners = co.owners(repo, root, layout.provider_files)
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


def cmd_new(args) -> int:
    from ..authoring.scaffold import ScaffoldError, ask_in_terminal, new_credential

    try:
        written = new_credential(Path(args.catalogue), args.provider, args.slug, vars(args),
                                 ask=ask_in_terminal())
    except ScaffoldError as e:
        return _fail(str(e))
    print(f"wrote {written}")
    print(f"next: fill in the optional fields you need, then run: microcred validate {written}")
    return EXIT_OK


def cmd_new_provider(args) -> int:
    from ..authoring.scaffold import ScaffoldError, ask_in_terminal, new_provider

    try:
        written = new_provider(Path(args.catalogue), args.id, vars(args), ask=ask_in_terminal())
    except ScaffoldError as e:
        return _fail(str(e))
    for path in written:
        print(f"wrote {path}")
    print(f"next: add a credential with: microcred new {args.id} <slug>")
    return EXIT_OK


def add_commands(sub) -> None:
    from ..authoring.scaffold import add_credential_options, add_provider_options

    p = sub.add_parser("diff", help="summarise what a change does to the register, compared with a git revision")
    p.add_argument("base", metavar="BASE", help="git revision to compare with, e.g. origin/main")
    p.add_argument("--format", choices=["text", "markdown"], default="text",
                   help="text for a terminal (default); markdown for a pull request's job summary")
    p.add_argument("--catalogue", default="catalogue", help="catalogue folder (default: catalogue)")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("codeowners", help="write .github/CODEOWNERS from the providers' maintainers")
    p.add_argument("--check", action="store_true", help="only report whether the file is out of date")
    p.add_argument("--catalogue", default="catalogue", help="catalogue folder (default: catalogue)")
    p.set_defaults(run=cmd_codeowners)

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
