"""The page plan: every generated page, its title, its address and how to render its body.

Each page's body is HTML made by a Jinja2 template with autoescaping on; it
goes into the theme's HTML that MkDocs built (shells.py) without passing
through Markdown. Views of every credential (views.py) are computed once and
shared by its own page, the browse tables, the provider pages and the home page.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import heapq
import json
import re
from collections import defaultdict
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

import jinja2

from ..catalogue.history import History
from ..catalogue.model import Catalogue
from ..contract import vocabularies as vocab
from ..settings import Settings
from . import texts
from .l10n import Language, vocabularies
from .plan import Page, Plan
from .views import (CredentialView, ProviderView, Table, card_facts, filter_codes, filter_labels, filter_values,
                    flag, search_meta, table_row)

VOCABULARIES_TITLE = "Vocabularies in the site's languages"  # a reference page, in English only
VOCABULARY_TITLES = {
    "participation": "Form of participation", "supervision": "Supervision and identity verification",
    "assessment": "Type of assessment", "quality-assurance": "Type of quality assurance",
    "qf-ehea": "Cycle of the QF-EHEA", "provider-type": "Type of provider", "status": "Status",
    "stackability": "Stackability", "learning-setting": "Learning setting", "identifier-scheme": "Register of codes",
    "workload-band": "Workload band", "isced-f": "Field of education and training (ISCED-F 2013)",
    "nace": "Economic sector (NACE Rev. 2 sections)",
}
ROWS_PER_PAGE = 100
RECENT = 8
# The search's first screen of results (register.js, PAGE): without words, filters or a sort
# it lists every credential by title, so the page carries those cards and the first
# search downloads none of them.
FIRST_RESULTS = 20
REPORT_TEMPLATE = "report-error.yml"
SCHEMA_ORG_MODE = {"online": "online", "onsite": "onsite", "blended": "blended", "volunteering": "onsite",
                   "work-experience": "onsite"}
ISO_UNIT = {"hour": "PT{}H", "day": "P{}D", "week": "P{}W", "month": "P{}M"}


def iso_duration(value: float, unit: str) -> str:
    """An ISO 8601 duration: 6 week -> P6W, 1.5 hour -> PT1.5H."""
    return ISO_UNIT[unit].format(f"{value:g}")

TEMPLATES = Path(__file__).parent / "templates"


class Renderer:
    """The generated pages of one language of the site."""

    def __init__(self, catalogue: Catalogue, settings: Settings, today: date, history: History,
                 language: Language, languages: list[Language] | None = None, compiled: Path | None = None,
                 filter_codes: dict[str, dict[str, str]] | None = None, first_ids: list[str] | None = None):
        self.catalogue = catalogue
        # shared by the languages' renderers: views.filter_codes, and the default language's first_results
        self.filter_codes = filter_codes
        self.first_ids = first_ids
        self.history = history  # when each credential was added: git, else the record's own dates
        self.settings = settings
        self.today = today
        self.language = language
        self.languages = languages or [language]  # all of the site's, the default first
        self.env = environment(language, compiled)
        lang = language.code
        self.env.globals.update(
            settings=settings, vocab=vocab, texts=texts, today=today, site_lang=lang, L=language,
            text=functools.partial(texts.text_html, language=language),
            others=functools.partial(texts.others_html, language=language),
            lang_attr=functools.partial(texts.lang_attr, site_lang=lang), link=texts.link_html,
            NOT_STATED=texts.not_stated(language), flag=flag,
            # the open data is one, at the site's root, whichever language's page links to it
            api_root="../" * language.prefix.count("/"))
        self.providers = {
            pid: ProviderView(p, texts.localise(p.record.name, lang, lang))
            for pid, p in catalogue.providers.items()
        }
        self.views = {
            cid: CredentialView(c, self.providers.get(c.provider_id), c.brief.languages[0], language)
            for cid, c in sorted(catalogue.credentials.items())
        }
        self.by_title = sorted(self.views.values(), key=lambda v: (v.sort_title(), v.id))
        self.templates = {name: self.env.get_template(f"{name}.html.j2")
                          for name in ("credential", "provider", "table", "listing", "home", "compare", "vocabularies")}

    # --- the plan: every page, its title and how to render its body ---------------

    def plan(self, keys: dict[str, str] | None = None) -> Plan:
        """Every generated page. Bodies render later, one at a time, straight into the built site.

        `keys`: each credential's key (build/cache.py); the pages made from credentials get one
        of their own from those of the credentials they show, so a build can keep them."""
        keys = keys or {}
        pages = [Page(v.path, v.title.text, functools.partial(self.credential_page, v), credential=True,
                      key=keys.get(v.id)) for v in self.views.values()]
        for table in self.tables():
            pages += self._table_pages(table, keys)
        pages += [Page(path, title, functools.partial(self.listing, path, title, items))
                  for path, (title, items) in self.listings().items()]
        compare = self.language.gettext("Compare credentials")
        pages.append(Page("compare/", compare, functools.partial(self.render, "compare", "compare/", title=compare)))
        pages.append(Page("", "", self.home_block, home=True))
        if self.language.default and len(self.languages) > 1:
            pages.append(Page("reference/vocabularies/", VOCABULARIES_TITLE, self.vocabularies_page, in_nav=True))
        return Plan(pages, [view.html_path for view in self.by_title], self.language)

    def vocabularies_page(self) -> str:
        """Every vocabulary label in every language of the site: a reference for translators and readers."""
        rows = []
        for context, labels in vocabularies().items():
            rows.append({"context": context, "title": VOCABULARY_TITLES[context],
                         "rows": [(code, [(language, language.label(context, code)) for language in self.languages])
                                  for code in labels]})
        return self.render("vocabularies", "reference/vocabularies/", title=VOCABULARIES_TITLE, vocabularies=rows,
                           languages=self.languages, others=[language.name for language in self.languages[1:]])

    def render(self, template: str, path: str, **context) -> str:
        root = "../" * path.count("/")
        return self.templates[template].render(root=root, path=path, **context)

    # --- pages -----------------------------------------------------------------

    def credential_page(self, view: CredentialView) -> str:
        return self.render("credential", view.path, c=view, title=view.title.text,
                           stacks_into=[self.views[i] for i in self._stacks_into(view) if i in self.views],
                           stacked_from=[self.views[i] for i in self.catalogue.stacked_from.get(view.id, [])
                                         if i in self.views],
                           json_ld=self.json_ld(view), report_url=self.report_url(view),
                           other_titles=self._other_titles(view) if self.language.default else (),
                           review_overdue=bool(view.record.review_by and view.record.review_by < self.today
                                               and view.record.status != "withdrawn"))

    def _other_titles(self, view: CredentialView) -> list[tuple[str, str]]:
        """The titles the provider gave in the site's other languages and in the entry's own, where
        they differ from this page's: the search, which indexes this language's pages only, shows
        each visitor the one in their language, else the one in the entry's language."""
        title = view.record.title
        if isinstance(title, str):
            return []
        wanted = dict.fromkeys([*self.settings.languages, view.lang])
        return [(lang, title[lang]) for lang in wanted
                if lang != self.language.code and lang in title and title[lang] != view.title.text]

    def _stacks_into(self, view: CredentialView) -> list[str]:
        s = view.record.stackability
        return list(s.stacks_into) if s else []

    def report_url(self, view: CredentialView) -> str | None:
        if not self.settings.repo_url:
            return None
        # GitHub issue forms fill a field from the parameter named after its id
        query = urlencode({
            "template": REPORT_TEMPLATE,
            "title": f"Error in entry: {view.id}",
            "credential": view.id,
            "details": f"Page: {self.settings.site_url}{self.language.prefix}{view.path}\n\n",
        })
        return f"{self.settings.repo_url}/issues/new?{query}"

    def json_ld(self, view: CredentialView) -> dict:
        """schema.org: a Course, its credential, and a CourseInstance for each start date (or one)."""
        rec, site = view.record, self.settings.site_url
        page = f"{site}{self.language.prefix}{view.path}"
        level = self.language.gettext("EQF level %(level)s") % {"level": rec.level.eqf}
        credential = {
            "@type": "EducationalOccupationalCredential",
            "name": view.title.text,
            "credentialCategory": "Micro-credential",
            "educationalLevel": level,
        }
        offer = {"@type": "Offer", "price": rec.cost.amount, "category": "Free" if rec.cost.amount == 0 else "Paid",
                 **({"priceCurrency": rec.cost.currency} if rec.cost.currency else {}),
                 **({"url": rec.registration_url or rec.url} if rec.registration_url or rec.url else {})}
        course: dict = {
            "@context": "https://schema.org",
            "@type": "Course",
            "@id": f"{site}{view.path}",  # the course, whichever language its page is in
            "url": page,
            "name": view.title.text,
            "courseCode": view.id,
            "inLanguage": list(view.facets.languages),
            "teaches": [view.t(o).text for o in rec.learning_outcomes],
            "educationalLevel": level,
            "educationalCredentialAwarded": credential,
            "offers": offer,
            "hasCourseInstance": self._course_instances(view),
        }
        if view.provider:
            course["provider"] = {"@type": "Organization", "name": view.provider_name,
                                  "url": view.provider.record.website}
        if rec.description:
            course["description"] = view.t(rec.description).text
        if rec.prerequisites:
            course["coursePrerequisites"] = view.t(rec.prerequisites).text
        if rec.workload.ects is not None:
            course["numberOfCredits"] = {"@type": "StructuredValue", "value": rec.workload.ects,
                                         "unitText": "ECTS"}
        if rec.workload.hours is not None:
            course["timeRequired"] = f"PT{rec.workload.hours:g}H"
        if rec.url:
            course["sameAs"] = rec.url
        return course

    def _course_instances(self, view: CredentialView) -> list[dict]:
        """One CourseInstance per start date (one without a date when none is given or it is self-paced).

        courseMode: online, onsite or blended; volunteering and work experience take place on
        site, so they are "onsite" (schema.org has no value of its own for them). courseWorkload
        is the notional workload in hours, only where the entry gives hours (an ECTS figure is not
        turned into hours). The places of on-site parts are the instance's location.
        """
        rec = view.record
        instance: dict = {"@type": "CourseInstance", "courseMode": SCHEMA_ORG_MODE[rec.participation],
                          "inLanguage": list(view.facets.languages)}
        if rec.workload.hours is not None:
            instance["courseWorkload"] = f"PT{rec.workload.hours:g}H"
        if rec.duration:
            instance["courseSchedule"] = {"@type": "Schedule", "duration": iso_duration(rec.duration.value,
                                                                                         rec.duration.unit)}
        if rec.locations and rec.participation != "online":
            instance["location"] = [{"@type": "Place", "address": {
                "@type": "PostalAddress", "addressCountry": place.country,
                **({"addressLocality": place.city} if place.city else {}),
                **({"addressRegion": place.region} if place.region else {})}} for place in rec.locations]
        if rec.self_paced or not rec.start_dates:
            return [instance]
        return [{**instance, "startDate": day.isoformat()} for day in rec.start_dates]

    def provider_pages(self) -> list[Table]:
        tables = []
        rows_of: dict[str, list[CredentialView]] = defaultdict(list)  # one pass, not one per provider
        for view in self.by_title:
            rows_of[view.entry.provider_id].append(view)
        for pid, provider in sorted(self.providers.items()):
            rows = rows_of.get(pid, [])
            tables.append(Table(provider.path, provider.name.text,
                                self.language.gettext("Credentials of %(provider)s") % {"provider": provider.name.text},
                                rows, crumbs=[("providers/", self.language.gettext("Providers"))]))
        return tables

    def tables(self) -> list[Table]:
        """Every browse table: by level, field (broad and narrow), workload band, country, provider."""
        groups: dict[str, list[CredentialView]] = defaultdict(list)
        for view in self.by_title:
            f = view.facets
            groups[f"levels/{f.level}/"].append(view)
            for code in f.fields[:2]:
                groups[f"fields/{code}/"].append(view)
            if f.workload_band:
                groups[f"workload/{f.workload_band}/"].append(view)
            for cc in f.countries:
                groups[f"countries/{cc.lower()}/"].append(view)
        tables = []
        for path, rows in sorted(groups.items()):
            kind, key = path.split("/")[:2]
            title, crumb = self._group_title(kind, key)
            tables.append(Table(path, title, title, rows, crumbs=[(f"{kind}/", crumb)]))
        return tables + self.provider_pages()

    def _group_title(self, kind: str, key: str) -> tuple[str, str]:
        L, _ = self.language, self.language.gettext
        if kind == "levels":
            return _("EQF level %(level)s") % {"level": key.split("-")[1]}, _("Levels")
        if kind == "fields":
            return f"{key} {L.field_label(key)}", _("Fields")
        if kind == "workload":
            return L.band_label(key), _("Workload")
        return L.country_name(key.upper()), _("Countries")

    def _table_pages(self, table: Table, keys: dict[str, str]) -> list[Page]:
        count = max(1, -(-len(table.rows) // ROWS_PER_PAGE))
        template = "provider" if table.path.startswith("providers/") else "table"
        provider = self.providers.get(table.path.split("/")[1]) if template == "provider" else None

        def page_path(n: int) -> str:
            return table.path if n == 1 else f"{table.path}page/{n}/"

        pages = []
        for k in range(1, count + 1):
            start = (k - 1) * ROWS_PER_PAGE
            body = functools.partial(self.render, template, page_path(k), table=table,
                                     rows=table.rows[start:start + ROWS_PER_PAGE], page=k, pages=count,
                                     first=start + 1, title=table.title, provider=provider, page_path=page_path)
            title = self.language.gettext("%(title)s (page %(page)s)") % {"title": table.title, "page": k}
            rows = table.rows[start:start + ROWS_PER_PAGE]
            key = None
            if keys:
                shown = [table.path, table.title, table.heading, table.intro, table.crumbs, k, count, len(table.rows),
                         provider.entry.digest if provider else None]
                # the rows' keys are of one length: joined, not JSON (36,000 table pages at 100,000 credentials)
                key = hashlib.blake2b((json.dumps(shown, ensure_ascii=False) + "".join([keys[row.id] for row in rows]))
                                      .encode(), digest_size=16).hexdigest()
            pages.append(Page(page_path(k), title if k > 1 else table.title, body, key=key))
        return pages

    def listings(self) -> dict[str, tuple[str, list[tuple[str, str, int]]]]:
        """The index page of each way to browse: every value (path, label) with its count."""
        c = self.catalogue.counts
        fields = c["field"]
        L, _ = self.language, self.language.gettext
        collate = L.sort_key
        return {
            "levels/": (_("By EQF level"), [(f"levels/{k}/", _("EQF level %(level)s") % {"level": k.split("-")[1]}, n)
                                            for k, n in c["level"].items()]),
            "fields/": (_("By field of education"), [
                (f"fields/{k}/", f"{k} {L.field_label(k)}", n) for k, n in fields.items() if len(k) <= 3]),
            "workload/": (_("By workload"), [(f"workload/{k}/", L.band_label(k), c["workload_band"][k])
                                             for k, _label, _lo, _hi in vocab.WORKLOAD_BANDS
                                             if k in c["workload_band"]]),
            "countries/": (_("By country"), sorted(((f"countries/{k.lower()}/", L.country_name(k), n)
                                                    for k, n in c["country"].items()), key=lambda t: collate(t[1]))),
            "providers/": (_("By provider"), sorted(((p.path, p.name.text, c["provider"].get(pid, 0))
                                                     for pid, p in self.providers.items()),
                                                    key=lambda t: collate(t[1]))),
        }

    def listing(self, path: str, title: str, items: list) -> str:
        return self.render("listing", path, title=title, items=items, kind=path.rstrip("/"))

    def home_block(self) -> str:
        c = self.catalogue.counts
        never = datetime.min.replace(tzinfo=timezone.utc)
        added = {cid: self.history.credentials[cid].added or never for cid in self.views}
        recent = heapq.nlargest(RECENT, self.views.values(), key=lambda v: (added[v.id], v.id))
        order, labels = self.filters()
        return self.render("home", "", recent=recent, counts=c, filter_order=order, filter_labels=labels,
                           first_results=self.first_results(),
                           credentials=len(self.views), providers=len(self.providers),
                           active=c["status"].get("active", 0))

    def first_results(self) -> list[CredentialView]:
        """The search's first screen: the first credentials in the order of the index, which is the
        order of the default language's titles in every language (one index serves them all)."""
        default = self.languages[0].code
        if self.language.code == default:
            return self.by_title[:FIRST_RESULTS]
        if self.first_ids is not None:
            return [self.views[cid] for cid in self.first_ids]
        return heapq.nsmallest(FIRST_RESULTS, self.views.values(), key=lambda v: (
            texts.localise(v.entry.brief.title, v.lang, default).text.casefold(), v.id))

    def filters(self) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
        """Each search filter's values (codes) in reading order, and how each reads in this language."""
        if self.filter_codes is None:
            self.filter_codes = filter_codes(self.catalogue.credentials)
        views = self.views
        labels = {name: {code: filter_labels(name, code, views[cid]) for code, cid in codes.items()}
                  for name, codes in self.filter_codes.items()}
        band_order = [key for key, _label, _lo, _hi in vocab.WORKLOAD_BANDS]
        order = {}
        for name, known in labels.items():
            if name == "workload":
                order[name] = [b for b in band_order if b in known]
            elif name in ("ects", "level"):
                order[name] = sorted(known, key=float)
            elif name in ("field", "sector"):  # by code: a broad field, then its narrow fields
                order[name] = sorted(known)
            else:
                order[name] = sorted(known, key=lambda code: self.language.sort_key(known[code]))
        del labels["ects"]  # a sort key, never shown
        return order, dict(labels)


class TranslatingLoader(jinja2.FileSystemLoader):
    """The templates with each message that has no placeholders already in the language.

    `{{ _("Level") }}` becomes `{{ "Niveau" }}` before Jinja2 compiles the template, which turns
    it into text of the template, escaped once: most of a page's sixty-odd messages then cost
    nothing per page (a gettext call through Jinja2 costs about 15 µs, a quarter of a page's
    time in four languages). These messages hold no HTML, so a translation's `"` or `&` is
    escaped like any text. Messages with placeholders stay calls of the i18n extension.
    """

    MESSAGE = re.compile(r"""\b_\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)""")

    def __init__(self, searchpath, language: Language):
        super().__init__(searchpath)
        self.language = language

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return self.MESSAGE.sub(self._translated, source), filename, uptodate

    def _translated(self, match: re.Match) -> str:
        message = ast.literal_eval(match.group(1))
        return json.dumps(self.language.gettext(message), ensure_ascii=False)


class _Environment(jinja2.Environment):
    """Each template's globals a dictionary of their own, not a view of the environment's: Jinja2
    copies them into every page's context and compares them with those of the imported macros,
    key by key through a ChainMap (a tenth of a credential page's time). The globals are all
    set before the first template is loaded (environment, Renderer)."""

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


def environment(language: Language, compiled: Path | None = None) -> jinja2.Environment:
    """The templates in `language`; compiled ones are kept in the folder `compiled` (by each
    translated source's checksum), so a build need not compile them again (a quarter of a
    rebuild of the example catalogue)."""
    if compiled:  # a folder per language: Jinja2 keys compiled templates by name, not by source
        compiled = compiled / language.code
        compiled.mkdir(parents=True, exist_ok=True)
    # autoescape for every template, whatever its name: the .md.j2 pages hold HTML
    env = _Environment(
        loader=TranslatingLoader(TEMPLATES, language),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        # a build reads each template once: no file's time checked again for every page that
        # imports the macros (a stat per page)
        auto_reload=False,
    )
    env.install_gettext_translations(language.translations, newstyle=True)
    env.filters.update(
        num=language.number, description=texts.description_html, json_script=texts.json_for_script,
        http_url=texts.http_url, language=language.language_name, country=language.country_name,
        field_label=language.field_label, band=language.band_label, date=language.date,
    )
    env.globals.update(filter_values=filter_values, search_meta=search_meta, card_facts=card_facts, row=table_row)
    return env
