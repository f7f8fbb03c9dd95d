"""A credential's brief: the few values of its record that the stages read of every credential.

Facets, keys, dates, titles and stacking are worked out for every credential in every
build; the rest of a record only for the pages and files being made. The validator
makes the brief beside the record, and a build keeps it with the file's results
(validate/recall.py), so a rebuild makes the records of the changed entries only
(CredentialEntry.record).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..contract.models import Credential


@dataclass(frozen=True, slots=True)
class Brief:
    """What the stages read of every credential's record (facets, keys, dates, titles, stacking):
    small, kept by the validator beside the record and recalled with it."""

    title: str | dict[str, str]
    languages: tuple[str, ...]
    countries: tuple[str, ...]  # as written (credential_entry falls back to the provider's)
    eqf: int
    field: str
    sector: str | None
    ects: float | None
    hours: float | None
    participation: str
    cost: float
    status: str
    stacks_into: tuple[str, ...]
    previous_ids: tuple[str, ...]
    valid_from: date | None
    last_reviewed: date | None
    review_by: date | None
    withdrawn_on: date | None

    @classmethod
    def of(cls, record: Credential) -> "Brief":
        return cls(record.title, tuple(record.languages), tuple(record.countries), record.level.eqf, record.field,
                   record.sector, record.workload.ects, record.workload.hours, record.participation,
                   record.cost.amount, record.status,
                   tuple(record.stackability.stacks_into) if record.stackability else (), tuple(record.previous_ids),
                   record.valid_from, record.last_reviewed, record.review_by, record.withdrawn_on)
