"""What the pages show of each provider and credential, worked out once per entry.

A credential's view is shared by its own page, the browse tables, the provider
pages, the home page's first results and the search's filters and cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from ..catalogue.facets import Facets
from ..catalogue.model import CredentialEntry, ProviderEntry
from ..contract import vocabularies as vocab
from . import texts


class _EntryView:
    """What the views of a provider and of a credential share: the checked entry behind them."""

    folder: str  # the site folder its page lives in

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def record(self):
        return self.entry.record

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.id}/"

    @property
    def html_path(self) -> str:
        return self.path + "index.html"


@dataclass
class ProviderView(_EntryView):
    folder = "providers"
    entry: ProviderEntry
    name: texts.Localised
    lang: str


@dataclass
class CredentialView(_EntryView):
    """What every page shows of one credential, computed once."""

    folder = "credentials"
    entry: CredentialEntry
    provider: ProviderView | None
    lang: str  # the entry's own language: plain strings are in it
    site_lang: str

    @property
    def facets(self) -> Facets:
        return self.entry.facets

    def t(self, value) -> texts.Localised | None:
        return texts.localise(value, self.lang, self.site_lang)

    @cached_property
    def title(self) -> texts.Localised:
        return self.t(self.record.title)

    @property
    def provider_name(self) -> str:
        return self.provider.name.text if self.provider else self.entry.provider_id

    @property
    def illustrative(self) -> bool:
        return bool(self.provider and self.provider.record.illustrative)

    @property
    def ects(self) -> float | None:
        return self.entry.facets.ects_equivalent

    @property
    def cost_label(self) -> str:
        c = self.record.cost
        return texts.money(c.amount, c.currency)

    @property
    def participation_label(self) -> str:
        return vocab.PARTICIPATION[self.record.participation]

    @property
    def language_labels(self) -> list[str]:
        return [texts.language_label(tag) for tag in self.facets.languages]

    @property
    def status_label(self) -> str:
        return vocab.STATUSES[self.record.status]

    def sort_title(self) -> str:
        return self.title.text.casefold()


@dataclass
class Table:
    """One browse table: a title, the rows (already sorted) and where its pages live."""

    path: str  # "levels/eqf-4/"
    title: str
    heading: str  # what the rows have in common, for the caption
    rows: list[CredentialView]
    intro: str = ""
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (path, label)


def flag(c: CredentialView) -> Markup:
    """Badges after a title in tables and lists: not active, example data."""
    out = Markup("")
    if c.record.status != "active":
        out += Markup(' <span class="mc-badge mc-badge--{}">{}</span>').format(
            c.record.status, c.status_label.split(" (")[0])
    if c.illustrative:
        out += Markup(' <span class="mc-badge mc-badge--example" title="Illustrative example data">Example</span>')
    return out


def search_meta(view: CredentialView) -> dict[str, str]:
    """What a search result card shows (Pagefind meta; the home page's first cards too)."""
    rec, w = view.record, view.record.workload
    workload = " · ".join(part for part in (
        f"{texts.number(w.ects)} ECTS" if w.ects is not None else "",
        f"{texts.number(w.hours)} h" if w.hours is not None else "") if part)
    meta = {"id": view.id, "provider": view.provider_name, "level": f"EQF {rec.level.eqf}", "workload": workload,
            "participation": view.participation_label, "languages": ", ".join(view.language_labels),
            "cost": view.cost_label, "countries": ", ".join(view.facets.countries), "status": rec.status}
    if view.illustrative:
        meta["example"] = "yes"
    return meta


def card_facts(meta: dict[str, str]) -> str:
    """The facts line of a result card, as register.js joins them."""
    names = ("provider", "level", "workload", "participation", "languages", "cost", "countries")
    return " · ".join(meta[name] for name in names if meta.get(name))


def filter_values(view: CredentialView) -> dict[str, list[str]]:
    """The Pagefind filter values of a credential, as people read them."""
    f, rec = view.facets, view.record
    out = {
        "level": [f"EQF {rec.level.eqf}"],
        "field": [f"{code} {texts.field_label(code)}" for code in f.fields[:2]],
        "workload": [texts.band_label(f.workload_band)] if f.workload_band else [],
        "participation": [view.participation_label],
        "language": view.language_labels,
        "country": [texts.country_label(cc) for cc in f.countries],
        "provider": [view.provider_name],
        "cost": ["Free" if f.cost == "free" else "Paid"],
        "status": [vocab.STATUSES[f.status].split(" (")[0]],
        # not shown: the search sorts by workload through it (see register.js, SORT_FILTERS)
        "ects": [f"{view.ects:g}" if view.ects is not None else "0"],
    }
    if f.sector:
        out["sector"] = [f"{f.sector} {vocab.nace_sections().get(f.sector, '')}".strip()]
    return out
