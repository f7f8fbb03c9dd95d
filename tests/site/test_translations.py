"""The site's message catalogues: every language covers every message, and the template is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from microcred.settings import load_settings
from microcred.site.l10n import LOCALE_DIR, catalogue_file, catalogue_problems, read_catalogue, read_template

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = load_settings(REPO).languages[1:]


def test_the_site_has_four_languages_english_first():
    assert load_settings(REPO).languages == ("en", "nl", "de", "fr")


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated(code):
    assert catalogue_file(code).exists(), f"{code}: no catalogue"
    problems = catalogue_problems(read_template(), read_catalogue(code))
    assert not problems, f"{catalogue_file(code)}:\n" + "\n".join(problems)


def test_a_missing_an_untranslated_or_a_fuzzy_message_is_reported(tmp_path):
    catalog = read_catalogue("nl")
    messages = [m for m in catalog if m.id and isinstance(m.id, str) and "%(" in m.id]
    gone, emptied, guessed, broken = messages[:4]
    catalog.delete(gone.id, context=gone.context)
    catalog.get(emptied.id, context=emptied.context).string = ""
    catalog.get(guessed.id, context=guessed.context).flags.add("fuzzy")
    catalog.get(broken.id, context=broken.context).string = "geen plaatshouder"
    problems = catalogue_problems(read_template(), catalog)
    assert f"missing: msgid {gone.id!r}" in problems
    assert f"untranslated: msgid {emptied.id!r}" in problems
    assert f"fuzzy (not used until checked): msgid {guessed.id!r}" in problems
    assert any(p.startswith(f"msgid {broken.id!r}: the translation has the placeholders []") for p in problems)
    assert len(problems) == 4, problems


def test_the_template_holds_every_message_of_the_sources(tmp_path):
    """A message added to a template, the Python, register.js or the navigation without
    `make messages` would show in English on every page: the extraction must find no news."""
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(LOCALE_DIR / "babel.cfg"),
                    "-k", "n_:1,2", "--omit-header", "-o", str(fresh), "."],
                   cwd=REPO, check=True, capture_output=True)
    with fresh.open("rb") as f:
        extracted = {(m.context, m.id) for m in read_po(f) if m.id}
    current = {(m.context, m.id) for m in read_template() if m.id}
    assert extracted - current == set(), "run `make messages`: new messages are not in messages.pot"
    assert current - extracted == set(), "run `make messages`: messages.pot holds messages no source has"
