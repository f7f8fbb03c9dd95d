"""The checks that need more than one file: references between credentials, and ids never reused."""

from __future__ import annotations

from ..contract import vocabularies as vocab
from ..contract.problems import Problem
from .records import Checked, dotted


def cross_checks(credentials: dict[str, Checked], known_ids: set[str]) -> list[Problem]:
    out = []
    claimed: dict[str, str] = {}
    for cid, entry in credentials.items():
        for i, (target, line, col) in enumerate(entry.stacks_into):
            path = dotted(("stackability", "stacks_into", i))
            if target == cid:
                out.append(Problem.of("unresolved-reference", entry.file, line, col,
                                      "a credential cannot stack into itself", path=path))
            elif target not in known_ids:
                out.append(Problem.of("unresolved-reference", entry.file, line, col,
                                      f"no credential '{target}' in the register", path=path,
                                      hint=_near_id(target, known_ids)))
        for i, (old, line, col) in enumerate(entry.previous_ids):
            path = dotted(("previous_ids", i))
            if old in known_ids:
                out.append(Problem.of("id-reused", entry.file, line, col,
                                      f"'{old}' is the id of a credential in the register; ids are never reused",
                                      path=path))
            elif old.partition("/")[0] != cid.partition("/")[0]:
                # else one provider's folder (its maintainers' review alone) could take over
                # the address of another provider's retired credential
                out.append(Problem.of("unresolved-reference", entry.file, line, col,
                                      f"'{old}' is an id of another provider; previous ids must be ids this "
                                      f"provider's own credentials had", path=path,
                                      hint="the register maintainers move a credential between providers"))
            elif old in claimed:
                out.append(Problem.of("duplicate-id", entry.file, line, col,
                                      f"'{old}' is also listed as a previous id of '{claimed[old]}'",
                                      path=path))
            claimed.setdefault(old, cid)
        out += entry.warnings
    return out


def _near_id(target: str, known_ids: set[str]) -> str:
    near = vocab.suggest(target, sorted(known_ids), cutoff=0.75)
    return f"did you mean '{near}'?" if near else ""
