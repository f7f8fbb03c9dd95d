"""`microcred diff BASE`: what a change does to the register.

Compares the catalogue as committed at a git revision with the catalogue in
the working tree: credentials added, changed (field by field), withdrawn,
renamed and deleted; providers added, changed and removed; and the lines of
`.github/CODEOWNERS` added and removed (who must approve changes to a folder).
An added credential is shown with its title and translations and its key facts.
Both sides are read as plain data, not as checked records, so a change that
does not validate yet is still summarised; validation of the working tree is
reported alongside.

diff is a report, validate is the gate: diff exits 0 whatever it finds
(2 when BASE cannot be read), so a pull request fails once, in the validate
step. A deleted credential file gives the `credential-deleted` warning: ids
are never reused, so a credential is withdrawn, not deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue import git
from ..contract.ids import PROVIDER_FILE
from ..contract.problems import Problem, shown, summary_line, text_line
from ..contract.yamlload import LoadFailed, parse
from ..errors import DiffError
from ..validate import validate
from ..validate.codeowners import CODEOWNERS

MAX_SHOWN = 80  # characters of a value shown in a summary
MAX_TITLE_LINE = 120  # a title and its translations; longer: the title and the languages of the others
MAX_PROBLEMS_SHOWN = 50
MAX_ROWS = 200  # per table: a job summary holds at most 1 MiB


# --- reading both sides -------------------------------------------------------


@dataclass
class Side:
    credentials: dict[str, dict | None] = field(default_factory=dict)  # id -> data; None: unreadable
    providers: dict[str, dict | None] = field(default_factory=dict)


def _place(side: Side, rel: str, read) -> None:
    """Put the file at rel (relative to the catalogue) on its side, if it is a catalogue file."""
    parts = rel.split("/")
    if len(parts) != 2 or not parts[1].endswith(".yaml") or any(p.startswith(".") for p in parts):
        return
    try:
        data = parse(rel, read()).data
    except (LoadFailed, OSError):
        data = None
    if parts[1] == PROVIDER_FILE:
        side.providers[parts[0]] = data
    else:
        side.credentials[f"{parts[0]}/{parts[1][:-len('.yaml')]}"] = data


def working_tree(root: Path) -> Side:
    side = Side()
    for path in sorted(root.glob("*/*.yaml")):
        if path.is_file() and not path.is_symlink():
            _place(side, path.relative_to(root).as_posix(), path.read_bytes)
    return side


def _git(cwd: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = git.run(cwd, *args, input=input)
    except FileNotFoundError:
        raise DiffError("git is not installed") from None
    if done.returncode != 0:
        raise DiffError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def at_revision(root: Path, base: str) -> Side:
    """The catalogue folder as committed at revision `base` (git ls-tree + one git cat-file --batch)."""
    root = root.resolve()
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    except DiffError:
        raise DiffError(f"'{base}' is not a commit in this repository "
                        "(in a shallow clone, fetch the base branch first: fetch-depth: 0)") from None
    prefix = root.relative_to(top).as_posix()
    listing = _git(top, "ls-tree", "-r", "-z", base, "--", f"{prefix}/")
    blobs = []
    for entry in filter(None, listing.split(b"\0")):
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):  # no links, no submodules
            blobs.append((path.decode("utf-8", "replace")[len(prefix) + 1:], sha.decode()))
    side = Side()
    if not blobs:  # the catalogue did not exist yet at BASE
        return side
    out = _git(top, "cat-file", "--batch", input="".join(f"{sha}\n" for _, sha in blobs).encode())
    at = 0
    for rel, sha in blobs:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        content = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
        _place(side, rel, lambda content=content: content)
    return side


# --- comparing ----------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: object
    new: object


@dataclass
class Entry:
    id: str
    data: dict | None
    changes: list[FieldChange] = field(default_factory=list)
    renamed_to: str = ""

    @property
    def title(self) -> str:
        """The title in the entry's first language."""
        title = (self.data or {}).get("title") if isinstance(self.data, dict) else None
        if isinstance(title, dict):
            title = next(iter(title.values()), "") if title else ""
        return title if isinstance(title, str) else ""

    @property
    def translations(self) -> dict[str, str]:
        """The title's other languages: language tag -> title."""
        title = (self.data or {}).get("title") if isinstance(self.data, dict) else None
        if not isinstance(title, dict):
            return {}
        return {str(tag): text for tag, text in list(title.items())[1:] if isinstance(text, str)}

    @property
    def shown_title(self) -> str:
        """The title with its translations, or with their languages when they would make a long line."""
        others = self.translations
        if not others:
            return short(self.title)
        full = f"{short(self.title)} ({'; '.join(f'{tag}: {short(text)}' for tag, text in others.items())})"
        if len(full) <= MAX_TITLE_LINE:
            return full
        n = len(others)
        return f"{short(self.title)} (+{n} translation{'' if n == 1 else 's'}: {', '.join(others)})"

    @property
    def facts(self) -> str:
        """The key facts of an entry, read leniently from its data: what a reviewer checks first."""
        return " · ".join(key_facts(self.data))


@dataclass
class Report:
    base: str
    catalogue: str
    added: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    withdrawn: list[Entry] = field(default_factory=list)
    renamed: list[Entry] = field(default_factory=list)
    deleted: list[Entry] = field(default_factory=list)
    providers_added: list[Entry] = field(default_factory=list)
    providers_changed: list[Entry] = field(default_factory=list)
    providers_removed: list[Entry] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # validation of the working tree
    files: int = 0
    codeowners_added: list[str] = field(default_factory=list)  # lines of .github/CODEOWNERS
    codeowners_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any([self.added, self.changed, self.withdrawn, self.renamed, self.deleted,
                        self.providers_added, self.providers_changed, self.providers_removed])


_MISSING = object()


def field_changes(old, new, path: str = "") -> list[FieldChange]:
    """Changes between two mappings, by dotted field path; lists compare as a whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in list(old) + [k for k in new if k not in old]:
            sub = f"{path}.{key}" if path else str(key)
            a, b = old.get(key, _MISSING), new.get(key, _MISSING)
            if a != b:
                out += field_changes(a, b, sub)
        return out
    return [FieldChange(path or "(file)", None if old is _MISSING else old, None if new is _MISSING else new)]


def _changes(old: dict | None, new: dict | None) -> list[FieldChange]:
    if old is None or new is None:  # one side does not parse: field by field means nothing
        return [FieldChange("(file)", "(not valid YAML)" if old is None else "(valid YAML)",
                            "(not valid YAML)" if new is None else "(valid YAML)")]
    return field_changes(old, new)


def _status(data) -> str:
    status = data.get("status", "active") if isinstance(data, dict) else None
    return status if isinstance(status, str) else ""


def _previous_ids(data) -> list[str]:
    ids = data.get("previous_ids") if isinstance(data, dict) else None
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def compare(base: Side, head: Side, base_name: str, catalogue: str) -> Report:
    report = Report(base_name, catalogue)
    renamed_from = {old: cid for cid, data in head.credentials.items() for old in _previous_ids(data)}
    for cid in sorted(set(base.credentials) | set(head.credentials)):
        old, new = base.credentials.get(cid, _MISSING), head.credentials.get(cid, _MISSING)
        if old is _MISSING:
            report.added.append(Entry(cid, new))
        elif new is _MISSING:
            if cid in renamed_from:
                report.renamed.append(Entry(cid, old, renamed_to=renamed_from[cid]))
            else:
                report.deleted.append(Entry(cid, old))
                report.warnings.append(Problem.of(
                    "credential-deleted", f"{catalogue}/{cid}.yaml", 1, 1,
                    f"credential '{cid}' was deleted; ids are never reused, so withdraw it instead",
                    hint="restore the file and set status: withdrawn with withdrawn_on: YYYY-MM-DD"))
        elif old != new:
            entry = Entry(cid, new, _changes(old, new))
            withdrawn = _status(new) == "withdrawn" and _status(old) != "withdrawn"
            (report.withdrawn if withdrawn else report.changed).append(entry)
    for pid in sorted(set(base.providers) | set(head.providers)):
        old, new = base.providers.get(pid, _MISSING), head.providers.get(pid, _MISSING)
        if old is _MISSING:
            report.providers_added.append(Entry(pid, new))
        elif new is _MISSING:
            report.providers_removed.append(Entry(pid, old))
        elif old != new:
            report.providers_changed.append(Entry(pid, new, _changes(old, new)))
    return report


def diff(root: Path, base: str, catalogue_label: str | None = None) -> Report:
    """Compare the catalogue at root with the same folder at revision `base`; validate the working tree."""
    label = catalogue_label or shown(root)
    report = compare(at_revision(root, base), working_tree(root), base, label)
    report.codeowners_added, report.codeowners_removed = codeowners_changes(root, base)
    result = validate(root)
    report.problems, report.files = result.problems, result.files
    return report


def codeowners_changes(root: Path, base: str) -> tuple[list[str], list[str]]:
    """The lines of the repository's .github/CODEOWNERS added and removed since `base` (comments and blank
    lines left out): a change of who must approve changes to a folder."""
    top = Path(_git(root.resolve(), "rev-parse", "--show-toplevel").decode().strip())
    rel = CODEOWNERS.as_posix()
    listed = _git(top, "ls-tree", base, "--", rel).split()
    old = _git(top, "cat-file", "blob", listed[2].decode()).decode("utf-8", "replace") if len(listed) >= 3 else ""
    path = top / CODEOWNERS
    new = path.read_text("utf-8", "replace") if path.is_file() and not path.is_symlink() else ""

    def rules(text: str) -> list[str]:
        return [" ".join(line.split()) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]

    before, after = rules(old), rules(new)
    return [r for r in after if r not in before], [r for r in before if r not in after]


def key_facts(data) -> list[str]:
    """EQF level, workload, participation, languages, cost and status of an entry's data, where given."""
    if not isinstance(data, dict):
        return []
    get = lambda d, key: d.get(key) if isinstance(d, dict) else None  # noqa: E731
    number = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)  # noqa: E731
    facts = []
    if number(eqf := get(get(data, "level"), "eqf")):
        facts.append(f"EQF {eqf:g}")
    ects, hours = get(get(data, "workload"), "ects"), get(get(data, "workload"), "hours")
    if number(ects) or number(hours):
        work = [f"{ects:g} ECTS"] if number(ects) else []
        work.append(f"({hours:g} hours)" if work and number(hours) else f"{hours:g} hours" if number(hours) else "")
        facts.append(" ".join(filter(None, work)))
    if isinstance(participation := data.get("participation"), str):
        facts.append(short(participation))
    languages = data.get("languages")
    if isinstance(languages, list) and languages:
        facts.append(short(", ".join(str(v) for v in languages)))
    amount, currency = get(get(data, "cost"), "amount"), get(get(data, "cost"), "currency")
    if number(amount):
        facts.append("free" if amount == 0 else f"{amount:g} {currency}" if isinstance(currency, str) else f"{amount:g}")
    facts.append(short(_status(data) or "(status not text)"))
    return facts


# --- showing ------------------------------------------------------------------


def short(value) -> str:
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def _summary_counts(r: Report) -> str:
    parts = [f"{len(r.added)} added", f"{len(r.changed)} changed", f"{len(r.withdrawn)} withdrawn"]
    if r.renamed:
        parts.append(f"{len(r.renamed)} renamed")
    parts.append(f"{len(r.deleted)} deleted")
    text = "credentials: " + ", ".join(parts)
    providers = []
    for n, what in ((len(r.providers_added), "added"), (len(r.providers_changed), "changed"),
                    (len(r.providers_removed), "removed")):
        if n:
            providers.append(f"{n} {what}")
    return text + ("; providers: " + ", ".join(providers) if providers else "")


def as_text(r: Report) -> str:
    out = [f"Changes to {r.catalogue}/ since {r.base}:"]
    if r.empty:
        out.append("  no changes to the catalogue")
    for label, entries in (("added", r.added), ("changed", r.changed), ("withdrawn", r.withdrawn),
                           ("deleted", r.deleted)):
        for e in entries:
            out.append(f"  {label:<9} {e.id}" + (f"  {e.shown_title}" if e.title else ""))
            if label == "added" and e.facts:
                out.append(f"              {e.facts}")
            out += [f"              {c.path}: {short(c.old)} -> {short(c.new)}" for c in e.changes]
    for e in r.renamed:
        out.append(f"  renamed   {e.id} -> {e.renamed_to}")
    for label, entries in (("provider added", r.providers_added), ("provider changed", r.providers_changed),
                           ("provider removed", r.providers_removed)):
        for e in entries:
            out.append(f"  {label} {e.id}")
            out += [f"              {c.path}: {short(c.old)} -> {short(c.new)}" for c in e.changes]
    if r.codeowners_added or r.codeowners_removed:
        out.append(f"{CODEOWNERS.as_posix()} changed (who must approve changes to a folder):")
        out += [f"  + {short(line)}" for line in r.codeowners_added]
        out += [f"  - {short(line)}" for line in r.codeowners_removed]
    if not r.empty:
        out.append(_summary_counts(r))
    out += [text_line(p) for p in r.warnings]
    out.append(f"validation: {summary_line(r.problems, r.files)}")
    return "\n".join(out) + "\n"


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]<>#!|~&"})


def md(text: str) -> str:
    """Text from a pull request, made inert in Markdown (no links, no HTML, no table breaks)."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def code(value) -> str:
    text = short(value) if not isinstance(value, str) or len(value) > MAX_SHOWN else value
    text = " ".join(text.split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def as_markdown(r: Report) -> str:
    errors = sum(p.severity == "error" for p in r.problems)
    mark = "❌" if errors else "✅"
    out = ["## Register changes", "", f"Compared with `{md(r.base)}`. {_summary_counts(r)}.", ""]
    if r.empty:
        out += ["No changes to the catalogue.", ""]

    def table(title: str, entries: list[Entry], with_changes: bool) -> None:
        if not entries:
            return
        third = "what changed" if with_changes else "key facts"
        out.extend([f"### {title}", "", f"| id | title | {third} |", "|---|---|---|"])
        for e in entries[:MAX_ROWS]:
            row = f"| {code(e.id)} | {md(e.shown_title) if e.title else '—'} | "
            if with_changes:
                row += "<br>".join(f"{code(c.path)}: {code(short(c.old))} → {code(short(c.new))}" for c in e.changes)
            else:
                row += md(e.facts) or "—"
            out.append(row + " |")
        if len(entries) > MAX_ROWS:
            out.append(f"| … | {len(entries) - MAX_ROWS} more: run `microcred diff` locally | |")
        out.append("")

    table("Added", r.added, False)
    table("Changed", r.changed, True)
    table("Withdrawn", r.withdrawn, True)
    if r.renamed:
        out += ["### Renamed", ""] + [f"- {code(e.id)} → {code(e.renamed_to)} (the old id redirects)"
                                      for e in r.renamed] + [""]
    if r.deleted:
        out += ["### Deleted", "", "> [!WARNING]",
                "> Deleted credential files: ids are never reused and aggregators rely on them. "
                "Restore each file and set `status: withdrawn` with `withdrawn_on` instead.", ""]
        out += [f"- {code(e.id)} {md(e.title)}".rstrip() for e in r.deleted] + [""]
    for title, entries, with_changes in (("Providers added", r.providers_added, False),
                                         ("Providers changed", r.providers_changed, True),
                                         ("Providers removed", r.providers_removed, False)):
        if entries:
            out += [f"### {title}", ""]
            for e in entries:
                name = (e.data or {}).get("name") if isinstance(e.data, dict) else None
                out.append(f"- {code(e.id)}" + (f" {md(name)}" if isinstance(name, str) else ""))
                if with_changes:
                    out += [f"  - {code(c.path)}: {code(short(c.old))} → {code(short(c.new))}" for c in e.changes]
            out.append("")
    if r.codeowners_added or r.codeowners_removed:
        out += [f"### {CODEOWNERS.as_posix()}", "", "> [!NOTE]",
                "> This change alters who must approve changes to a folder; the register maintainers review it.", ""]
        out += [f"- added: {code(line)}" for line in r.codeowners_added]
        out += [f"- removed: {code(line)}" for line in r.codeowners_removed]
        out.append("")
    out += ["### Validation", "", f"{mark} {summary_line(r.problems, r.files)}."]
    if r.problems:
        out += ["", "| where | problem |", "|---|---|"]
        for p in r.problems[:MAX_PROBLEMS_SHOWN]:
            hint = f" ({md(p.hint)})" if p.hint else ""
            out.append(f"| {code(f'{p.file}:{p.line}:{p.column}')} | {p.severity}: "
                       f"{md((p.path + ': ') if p.path else '')}{md(p.message)}{hint} {code(p.code)} |")
        if len(r.problems) > MAX_PROBLEMS_SHOWN:
            out.append(f"| … | {len(r.problems) - MAX_PROBLEMS_SHOWN} more: run `microcred validate` |")
    return "\n".join(out) + "\n"
