"""A rebuild makes the records of the entries it shows, not of every entry (catalogue/brief.py).

Every stage that reads all credentials (facets, keys, dates, the search filters, every
language's titles, sorting, tables and listings) reads their briefs; a recalled entry's
pydantic record is made only when a page or file being made reads it. At 100,000
credentials, making them all again took 5.7 s of a 30 s budget, so a stage that reads
`entry.record` for every entry would show here before it shows in the benchmark.
"""

from __future__ import annotations

import shutil
from datetime import date

from conftest import REPO

from microcred.build.cache import credential_keys
from microcred.catalogue.brief import Brief
from microcred.catalogue.history import history_of
from microcred.settings import load_settings
from microcred.site.l10n import site_languages
from microcred.site.pages import Renderer
from microcred.site.views import filter_codes
from microcred.validate import validate
from microcred.validate.recall import Recall

DAY = date(2026, 11, 30)


def test_planning_every_language_reads_briefs_and_a_page_makes_its_own_record(tmp_path, monkeypatch):
    root = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", root)
    monkeypatch.chdir(tmp_path)
    first = Recall("salt")
    checked = validate(root, today=DAY, recall=first).catalogue
    first.save(tmp_path / "checked.pickle")

    recalled = validate(root, today=DAY, recall=Recall.load(tmp_path / "checked.pickle", "salt")).catalogue
    entries = recalled.credentials
    assert entries and all(entry.made is None for entry in entries.values())
    history = history_of(recalled)
    keys = credential_keys(recalled, history, DAY)
    shared = {"filter_codes": filter_codes(entries)}
    settings = load_settings(REPO)
    languages = site_languages(settings)
    renderers = [Renderer(recalled, settings, DAY, history, language, languages, **shared) for language in languages]
    plans = [renderer.plan(keys) for renderer in renderers]
    assert all(entry.made is None for entry in entries.values())  # nothing read a record

    # what the plans hold is what the checked records give
    assert keys == credential_keys(checked, history_of(checked), DAY)
    assert shared["filter_codes"] == filter_codes(checked.credentials)
    assert [page.path for plan in plans for page in plan.pages] == [
        page.path for language in languages
        for page in Renderer(checked, settings, DAY, history_of(checked), language, languages).plan(keys).pages]
    assert all(entries[cid].brief == Brief.of(entry.record) for cid, entry in checked.credentials.items())

    # a credential's page makes its record, and those of the credentials it names, only
    renderer = renderers[0]
    view = next(view for view in renderer.views.values() if not renderer.catalogue.stacked_from.get(view.id)
                and not view.entry.brief.stacks_into)
    page = renderer.credential_page(view)
    assert [cid for cid, entry in entries.items() if entry.made is not None] == [view.id]
    fresh = Renderer(checked, settings, DAY, history_of(checked), languages[0], languages)
    assert page == fresh.credential_page(fresh.views[view.id])
