"""The site in the visitor's language: gettext catalogues compiled at build time, CLDR formatting.

Every message of the site (templates, this package's Python, register.js, the
navigation titles of mkdocs.yml and the labels of the controlled vocabularies)
is extracted by Babel into locale/messages.pot (`make messages`); each language
has one catalogue, locale/<lang>/LC_MESSAGES/messages.po, compiled here when the
site is built. Numbers, amounts, dates and the names of languages and countries
come from the CLDR data that Babel ships, in the page's language.

A language of the site is one catalogue and one line in mkdocs.yml
(`extra.register.languages`); the first language of that list is the default,
published at the site's root, and its messages are the msgids themselves.
"""

from __future__ import annotations

import gettext
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

from ..contract import vocabularies as vocab
from ..errors import SiteFailed

LOCALE_DIR = Path(__file__).parent / "locale"
SHOWN_SETTINGS = ("site_name", "site_description", "copyright")  # of mkdocs.yml: in every page's header or footer
DOMAIN = "messages"


TEMPLATE_FILE = LOCALE_DIR / f"{DOMAIN}.pot"  # every message, as extracted (`make messages`)


def catalogue_file(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


# The vocabularies whose labels the site shows, by the context their messages carry in
# the catalogues (msgctxt): context -> {code: English label}.
@cache
def vocabularies() -> dict[str, dict[str, str]]:
    return {
        "participation": vocab.PARTICIPATION,
        "supervision": vocab.SUPERVISION,
        "assessment": vocab.ASSESSMENT_TYPES,
        "quality-assurance": vocab.QUALITY_ASSURANCE_TYPES,
        "qf-ehea": vocab.QF_EHEA_CYCLES,
        "provider-type": vocab.PROVIDER_TYPES,
        "status": vocab.STATUSES,
        "stackability": vocab.STACKABILITY,
        "learning-setting": vocab.LEARNING_SETTINGS,
        "identifier-scheme": vocab.IDENTIFIER_SCHEMES,
        "workload-band": {key: label for key, label, _lo, _hi in vocab.WORKLOAD_BANDS},
        "isced-f": vocab.isced_fields(),
        "nace": vocab.nace_sections(),
    }


@dataclass
class Language:
    """One language of the site: its messages, its CLDR formats and where its pages go."""

    code: str
    default: bool
    translations: gettext.NullTranslations
    plural_expr: str = "(n != 1)"  # the catalogue's Plural-Forms, a C expression that is valid JavaScript
    # the translated forms of each message with a plural (by its singular), for register.js
    catalog_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.code, sep="-")

    @property
    def prefix(self) -> str:
        """Where its pages live under the site's root: "" for the default language, "nl/" for Dutch."""
        return "" if self.default else f"{self.code}/"

    @cached_property
    def name(self) -> str:
        """The language's own name, as its speakers write it at the start of a line: Nederlands, Français."""
        own = self.locale.get_display_name(self.locale) or self.code
        return own[:1].upper() + own[1:]

    # --- messages ---------------------------------------------------------------------

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def plural_forms(self, message: tuple[str, str]) -> list[str]:
        """Every plural form of a message, as the catalogue gives them (English's two without one)."""
        forms = self.catalog_forms.get(message[0])
        return list(forms) if forms else list(message[:2])

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    @cached_property
    def colon(self) -> str:
        """What goes between a label and its text ("Lieux : Linz" in French, with its no-break space)."""
        # TRANSLATORS: as the language writes it, spaces included: French "\u00a0: " (a no-break space first).
        return self.pgettext("between a label and its text", ": ")

    def label(self, vocabulary: str, code: str) -> str:
        """A vocabulary's label for a code, in this language; the code itself when it has none."""
        english = vocabularies()[vocabulary].get(code)
        return self.pgettext(vocabulary, english) if english else code

    def short_label(self, vocabulary: str, code: str) -> str:
        """The label without its explanation in brackets: "Suspended", not "Suspended (temporarily …)"."""
        return self.label(vocabulary, code).split(" (")[0]

    # --- CLDR formats -----------------------------------------------------------------

    def number(self, value: float | int | None) -> str:
        if value is None:
            return ""
        shown = self._numbers.get(value)
        if shown is None:  # a catalogue has few distinct numbers (ECTS, hours): each is formatted once
            shown = self._numbers[value] = format_decimal(value, locale=self.locale, decimal_quantization=False)
        return shown

    @cached_property
    def _numbers(self) -> dict:
        return {}

    def money(self, amount: float, currency: str | None) -> str:
        if amount == 0:
            return self.gettext("Free")
        key = (amount, currency)
        shown = self._amounts.get(key)
        if shown is None:
            shown = self._amounts[key] = (format_currency(amount, currency, locale=self.locale) if currency
                                          else format_decimal(amount, locale=self.locale))
        return shown

    @cached_property
    def _amounts(self) -> dict:
        return {}

    def date(self, day: date | None) -> str:
        if not day:
            return ""
        shown = self._dates.get(day)
        if shown is None:
            shown = self._dates[day] = format_date(day, "long", locale=self.locale)
        return shown

    @cached_property
    def _dates(self) -> dict:
        return {}

    def sort_key(self, text: str) -> str:
        """For sorting names as readers expect: accents and case do not move a name (Écosse near Eslovenia)."""
        return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()

    def duration(self, value: float, unit: str) -> str:
        """6 weeks, 1 day, 37,5 uur: a number with its unit, in the plural the number asks for."""
        number = self.number(value)
        n = int(value) if value == int(value) else 2  # 1.5 weeks is plural wherever 2 weeks is
        if unit == "hour":
            return self.ngettext("%(num)s hour", "%(num)s hours", n) % {"num": number}
        if unit == "day":
            return self.ngettext("%(num)s day", "%(num)s days", n) % {"num": number}
        if unit == "week":
            return self.ngettext("%(num)s week", "%(num)s weeks", n) % {"num": number}
        return self.ngettext("%(num)s month", "%(num)s months", n) % {"num": number}

    def language_name(self, tag: str) -> str:
        return vocab.language_name(tag, self.code)

    def country_name(self, code: str) -> str:
        return self._countries.get(code) or vocab.countries().get(code, code)

    @cached_property
    def _countries(self) -> dict[str, str]:
        return dict(self.locale.territories)  # CLDR's names, read once: Babel's lookups cost per call

    def field_label(self, code: str) -> str:
        return self.label("isced-f", code)

    def sector_label(self, code: str) -> str:
        return self.label("nace", code)

    def band_label(self, band: str | None) -> str:
        return self.label("workload-band", band) if band else ""

    # --- for register.js ----------------------------------------------------------------

    def script(self, messages: dict[str, str | list[str]]) -> str:
        """assets/i18n.js: the messages register.js shows, in this language, and its plural rule."""
        data = json.dumps({"lang": self.code, "messages": messages}, ensure_ascii=False, sort_keys=True)
        return ("/* generated by microcred build from the catalogue of this language: do not edit */\n"
                f"window.MC_I18N = {data};\n"
                f"window.MC_I18N.plural = function (n) {{ return Number({self.plural_expr}); }};\n")


def site_languages(settings) -> list[Language]:
    """The site's languages, the default first, each with its catalogue compiled."""
    return [load_language(code, i == 0) for i, code in enumerate(settings.languages)]


def load_language(code: str, default: bool) -> Language:
    """The language with its catalogue compiled; the default language needs none (its msgids are its text)."""
    if default and not catalogue_file(code).exists():
        return Language(code, True, gettext.NullTranslations())
    catalog = read_catalogue(code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: a guess is not a translation
    compiled.seek(0)
    forms = {message.id[0]: message.string for message in catalog
             if isinstance(message.id, tuple) and not message.fuzzy and all(message.string)}
    return Language(code, default, Translations(compiled, domain=DOMAIN), catalog.plural_expr or "(n != 1)", forms)


def read_catalogue(code: str) -> Catalog:
    path = catalogue_file(code)
    try:
        with path.open("rb") as f:
            return read_po(f, locale=code, domain=DOMAIN, abort_invalid=True)
    except FileNotFoundError:
        raise SiteFailed(f"{path}: no message catalogue for the site's language {code!r} "
                         f"(mkdocs.yml extra.register.languages); see docs/contributing/translate.md") from None
    except Exception as e:  # Babel's PoFileError, a bad locale: the build stops with the file's name
        raise SiteFailed(f"{path}: cannot read the catalogue: {e}") from None


def read_template() -> Catalog | None:
    if not TEMPLATE_FILE.exists():
        return None
    with TEMPLATE_FILE.open("rb") as f:
        return read_po(f, domain=DOMAIN)


def script_messages(language: Language, template: Catalog | None) -> dict[str, str | list[str]]:
    """The messages of register.js in the language: those of the template that come from .js files.
    A message with a plural gives the language's forms in the order of its Plural-Forms."""
    out: dict[str, str | list[str]] = {}
    if template is None:
        return out
    for message in template:
        if not message.id or not any(file.endswith(".js") for file, _line in message.locations):
            continue
        if isinstance(message.id, tuple):
            out[message.id[0]] = language.plural_forms(message.id)
        else:
            out[message.id] = language.gettext(message.id)
    return out


# --- extraction: the messages no `_()` call marks (Babel's mapping file, locale/babel.cfg) ---


def extract_vocabularies(fileobj, keywords, comment_tags, options):
    """Babel extractor: every label of the vocabularies the site shows, with its vocabulary as
    context. Their translations are the register's own (no official one ships with a package)."""
    for context, labels in vocabularies().items():
        for code, label in labels.items():
            yield 0, "pgettext", (context, label), [f"{context}: {code}. Translation: the register's own."]


def extract_navigation(fileobj, keywords, comment_tags, options):
    """Babel extractor: the texts of mkdocs.yml that pages show: the site's name and description,
    the footer's line (copyright) and the titles of the navigation."""
    import yaml

    class Loader(yaml.SafeLoader):  # mkdocs.yml may hold MkDocs' own tags (!ENV); titles never do
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load(fileobj.read().decode("utf-8"), Loader=Loader) or {}
    for key in SHOWN_SETTINGS:
        if config.get(key):
            yield 0, "gettext", config[key], [f"mkdocs.yml {key}: in every page's head or footer."]
    nav = config.get("nav") or []

    def walk(items):
        for item in items:
            if isinstance(item, dict):
                for title, value in item.items():
                    yield 0, "gettext", title, ["A title in the site's navigation (mkdocs.yml)."]
                    if isinstance(value, list):
                        yield from walk(value)

    yield from walk(nav)


def catalogue_problems(template: Catalog, catalog: Catalog) -> list[str]:
    """What keeps a language's catalogue from covering the site: messages of the template it lacks or
    leaves untranslated or fuzzy, and translations whose placeholders differ from the message's."""
    problems = []
    for message in template:
        if not message.id:
            continue
        shown = message.id if isinstance(message.id, str) else message.id[0]
        where = f"msgctxt {message.context!r} " if message.context else ""
        translated = catalog.get(message.id, context=message.context)
        if translated is None:
            problems.append(f"missing: {where}msgid {shown!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy (not used until checked): {where}msgid {shown!r}")
        elif not translated.string or (isinstance(translated.string, tuple) and not all(translated.string)):
            problems.append(f"untranslated: {where}msgid {shown!r}")
        else:
            problems += [f"{where}msgid {shown!r}: {error}" for error in translated.check(catalog)]
            # Every form keeps every placeholder; only the count (num) may go unsaid where a form
            # stands for one number ("the credential"), but never in the last, the plural.
            wanted = _placeholders(message.id[-1] if isinstance(message.id, tuple) else message.id)
            forms = translated.string if isinstance(translated.string, tuple) else (translated.string,)
            for i, found in enumerate(map(_placeholders, forms)):
                optional = {"num"} if isinstance(message.id, tuple) and i < len(forms) - 1 else set()
                if not (wanted - optional <= found <= wanted):
                    problems.append(f"{where}msgid {shown!r}: the translation has the placeholders "
                                    f"{sorted(found)}, the message {sorted(wanted)}")
    return problems


def _placeholders(text: str) -> set[str]:
    """The named placeholders of a message, %(num)s: a translation keeps every one of them."""
    return set(re.findall(r"%\((\w+)\)", text))
