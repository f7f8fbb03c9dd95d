"""What the pages show of each provider and credential, worked out once per entry.

A credential's view is shared by its own page, the browse tables, the provider
pages, the home page's first results and the search's filters and cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup, escape

from ..catalogue.facets import Facets
from ..catalogue.model import CredentialEntry, ProviderEntry
from . import texts
from .l10n import Language


class _EntryView:
    """What the views of a provider and of a credential share: the checked entry behind them."""

    folder: str  # the site folder its page lives in

    def __post_init__(self):
        # an attribute, not a property: sorting and planning 100,000 credentials in four languages
        # read it five million times
        self.id = self.entry.id

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


@dataclass
class CredentialView(_EntryView):
    """What every page shows of one credential, computed once."""

    folder = "credentials"
    entry: CredentialEntry
    provider: ProviderView | None
    lang: str  # the entry's own language: plain strings are in it
    language: Language  # the page's

    @property
    def facets(self) -> Facets:
        return self.entry.facets

    def t(self, value) -> texts.Localised | None:
        return texts.localise(value, self.lang, self.language.code)

    @cached_property
    def title(self) -> texts.Localised:
        return self.t(self.entry.brief.title)  # the brief: every title is read, few records

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
        return self.language.money(c.amount, c.currency)

    @property
    def participation_label(self) -> str:
        return self.language.label("participation", self.record.participation)

    @property
    def language_labels(self) -> list[str]:
        return [self.language.language_name(tag) for tag in self.facets.languages]

    @property
    def status_label(self) -> str:
        return self.language.label("status", self.record.status)

    def sort_title(self) -> str:
        return self.title.text.casefold()

    @cached_property
    def flag(self) -> str:
        out, _ = "", self.language.gettext
        if self.record.status != "active":
            out += (f' <span class="mc-badge mc-badge--{escape(self.record.status)}">'
                    f'{escape(self.language.short_label("status", self.record.status))}</span>')
        if self.illustrative:
            out += (f' <span class="mc-badge mc-badge--example" title="{escape(_("Illustrative example data"))}">'
                    f'{escape(_("Example"))}</span>')
        return out

    @cached_property
    def row(self) -> tuple[str, str, str]:
        """The cells of its row in a browse table, with marks for the root and the checkbox's number."""
        rec, L, _ = self.record, self.language, self.language.gettext
        lang = f' lang="{escape(self.title.lang)}"' if self.title.lang != L.code else ""
        head = (f'<tr><th scope="row"><a href="{ROOT_MARK}{escape(self.path)}"{lang}>{escape(self.title.text)}</a>'
                f'{self.flag}</th>')
        provider = (f'<td><a href="{ROOT_MARK}{escape(self.provider.path if self.provider else "")}">'
                    f'{escape(self.provider_name)}</a></td>')
        tail = "".join(f"<td>{escape(cell)}</td>" for cell in (
            _("EQF %(level)s") % {"level": rec.level.eqf}, L.number(rec.workload.ects), L.number(rec.workload.hours),
            self.participation_label, ", ".join(self.language_labels), self.cost_label))
        tail += (f'<td><input type="checkbox" class="mc-pick" name="ids" value="{escape(self.id)}" '
                 f'id="pick-{PICK_MARK}" aria-label="{escape(_("Compare %(title)s") % {"title": self.title.text})}">'
                 f'</td></tr>')
        return head, provider, tail


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
    return Markup(c.flag)


def table_row(c: CredentialView, root: str, pick: int, with_provider: bool) -> Markup:
    """A credential's row in a browse table. It is the same in every table of its language but
    for the way to the site's root and the number of its checkbox: made once, filled in each time
    (a credential is in six tables or so; Jinja2 took a tenth of the build to repeat it)."""
    head, provider, tail = c.row
    return Markup((head + provider + tail if with_provider else head + tail)
                  .replace(ROOT_MARK, root).replace(PICK_MARK, str(pick)))


ROOT_MARK, PICK_MARK = "\x00", "\x01"  # control characters: the validator refuses them in every text


def search_meta(view: CredentialView) -> dict[str, str]:
    """What a search result card needs, in no language: codes and numbers that register.js
    labels and formats in the visitor's language (Pagefind meta). Titles the provider gave in
    the site's other languages, and in the entry's own (entry_lang), come as title_<lang>."""
    rec, w, f = view.record, view.record.workload, view.facets
    meta = {"id": view.id, "title_lang": view.title.lang, "entry_lang": view.lang, "provider": view.provider_name,
            "level": str(rec.level.eqf), "participation": rec.participation, "languages": ",".join(f.languages),
            "cost": _plain(rec.cost.amount), "countries": ",".join(f.countries), "status": rec.status}
    if rec.cost.currency:
        meta["currency"] = rec.cost.currency
    if w.ects is not None:
        meta["ects"] = _plain(w.ects)
    if w.hours is not None:
        meta["hours"] = _plain(w.hours)
    if view.illustrative:
        meta["example"] = "yes"
    return meta


def _plain(number: float) -> str:
    """A number as JavaScript's Number() reads it back exactly: 12500, 7.5 (never 1.25e+04)."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def card_facts(c: CredentialView) -> str:
    """The facts line of a result card, as register.js writes it from the meta."""
    rec, w, _ = c.record, c.record.workload, c.language.gettext
    workload = " · ".join(part for part in (
        _("%(ects)s ECTS") % {"ects": c.language.number(w.ects)} if w.ects is not None else "",
        _("%(hours)s h") % {"hours": c.language.number(w.hours)} if w.hours is not None else "") if part)
    facts = (c.provider_name, _("EQF %(level)s") % {"level": rec.level.eqf}, workload, c.participation_label,
             ", ".join(c.language_labels), c.cost_label, ", ".join(c.facets.countries))
    return " · ".join(fact for fact in facts if fact)


def filter_values(view: CredentialView) -> dict[str, list[str]]:
    """The Pagefind filter values of a credential: codes, the same in every language (the
    search labels them with the home page's labels, filter_labels)."""
    return entry_filter_values(view.entry)


def entry_filter_values(entry: CredentialEntry) -> dict[str, list[str]]:
    f = entry.facets
    out = {
        "level": [str(entry.brief.eqf)],
        "field": list(f.fields[:2]),
        "workload": [f.workload_band] if f.workload_band else [],
        "participation": [f.participation],
        "language": list(f.languages),
        "country": list(f.countries),
        "provider": [entry.provider_id],
        "cost": [f.cost],
        "status": [f.status],
        # not shown: the search sorts by workload through it (see register.js, SORT_FILTERS)
        "ects": [f"{f.ects_equivalent:g}" if f.ects_equivalent is not None else "0"],
    }
    if f.sector:
        out["sector"] = [f.sector]
    return out


def filter_codes(credentials: dict[str, CredentialEntry]) -> dict[str, dict[str, str]]:
    """Every search filter's codes, each with the id of the first credential (by id) that has it:
    the same in every language, so worked out once for all of them."""
    codes: dict[str, dict[str, str]] = {}
    for cid in sorted(credentials):
        for name, values in entry_filter_values(credentials[cid]).items():
            seen = codes.setdefault(name, {})
            for code in values:
                seen.setdefault(code, cid)
    return codes


def filter_labels(name: str, code: str, view: CredentialView) -> str:
    """How a filter's value reads in the view's language."""
    language = view.language
    if name == "level":
        return language.gettext("EQF %(level)s") % {"level": code}
    if name == "field":
        return f"{code} {language.field_label(code)}"
    if name == "sector":
        return f"{code} {language.sector_label(code)}"
    if name == "workload":
        return language.band_label(code)
    if name == "participation":
        return language.label("participation", code)
    if name == "language":
        return language.language_name(code)
    if name == "country":
        return language.country_name(code)
    if name == "provider":
        return view.provider_name
    if name == "cost":
        return language.gettext("Free") if code == "free" else language.gettext("Paid")
    if name == "status":
        return language.short_label("status", code)
    return code
