"""What a learner filters and browses by, worked out once per credential.

The site (browse pages, search filters) and the open data (facets.json, each
record's facets) both read these, so a count on the site and in the API always
agree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ..contract import vocabularies as vocab
from .brief import Brief


@dataclass(frozen=True)
class Facets:
    level: str  # "eqf-4"
    fields: tuple[str, ...]  # broad, narrow and detailed ISCED-F codes it belongs to
    sector: str | None
    workload_band: str | None
    ects_equivalent: float | None  # ECTS as given, or hours / 27.5
    participation: str
    languages: tuple[str, ...]
    countries: tuple[str, ...]
    provider: str
    cost: str  # "free" or "paid"
    status: str


def ects_equivalent(ects: float | None, hours: float | None) -> float | None:
    """ECTS as given, or hours / 27.5 (the middle of 25–30 h per ECTS) where only hours are given."""
    if ects is not None:
        return ects
    return round(hours / 27.5, 1) if hours is not None else None


def facets_of(brief: Brief, countries: tuple[str, ...], provider_id: str) -> Facets:
    code = brief.field
    return Facets(
        level=f"eqf-{brief.eqf}",
        fields=tuple(code[:n] for n in (2, 3, 4) if len(code) >= n),
        sector=brief.sector,
        workload_band=vocab.workload_band(brief.ects, brief.hours),
        ects_equivalent=ects_equivalent(brief.ects, brief.hours),
        participation=brief.participation,
        languages=tuple(dict.fromkeys(brief.languages)),
        countries=tuple(dict.fromkeys(countries)),
        provider=provider_id,
        cost="free" if brief.cost == 0 else "paid",
        status=brief.status,
    )


FACET_NAMES = ("level", "field", "sector", "workload_band", "participation", "language", "country",
               "provider", "cost", "status")


def count(all_facets: Iterable[Facets]) -> dict[str, dict[str, int]]:
    """Number of credentials per value of each facet, keys sorted."""
    tally: dict[str, Counter] = {name: Counter() for name in FACET_NAMES}
    for f in all_facets:
        tally["level"][f.level] += 1
        tally["field"].update(f.fields)
        if f.sector:
            tally["sector"][f.sector] += 1
        if f.workload_band:
            tally["workload_band"][f.workload_band] += 1
        tally["participation"][f.participation] += 1
        tally["language"].update(f.languages)
        tally["country"].update(f.countries)
        tally["provider"][f.provider] += 1
        tally["cost"][f.cost] += 1
        tally["status"][f.status] += 1
    return {name: dict(sorted(c.items())) for name, c in tally.items()}
