"""Names where codes belong: the validator says which code is meant (and never looks for one when the value is valid)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from microcred.contract import models, vocabularies as vocab


def error_of(annotation, value):
    with pytest.raises(ValidationError) as e:
        TypeAdapter(annotation).validate_python(value)
    err = e.value.errors(include_url=False)[0]
    return err["type"], err["msg"], (err.get("ctx") or {}).get("hint", "")


@pytest.mark.parametrize("name, tag", [("Dutch", "nl"), ("Nederlands", "nl"), ("néerlandais", "nl"),
                                       ("English", "en"), ("Deutsch", "de"), ("Niederländisch", "nl"), ("polski", "pl")])
def test_a_language_name_suggests_its_tag(name, tag):
    assert error_of(models.Language, name) == (
        "unknown-language", f"'{name}' is not a known BCP 47 language tag", f"did you mean '{tag}'?")


@pytest.mark.parametrize("name, code", [("Netherlands", "NL"), ("The Netherlands", "NL"), ("Kingdom of the Netherlands", "NL"),
                                        ("Nederland", "NL"), ("Niederlande", "NL"), ("Allemagne", "DE"), ("Polska", "PL"),
                                        ("Czech Republic", "CZ"), ("NLD", "NL")])
def test_a_country_name_in_any_language_suggests_its_code(name, code):
    kind, message, hint = error_of(models.Country, name)
    assert (kind, message) == ("unknown-country", f"'{name}' is not a known ISO 3166-1 alpha-2 country code")
    assert hint.startswith(f"did you mean '{code}'")


def test_a_field_of_education_by_its_name_suggests_its_code_in_quotes():
    assert error_of(models.IscedField, "Business and administration") == (
        "unknown-isced-field", "'Business and administration' is not a known ISCED-F 2013 field code",
        "did you mean '041'? write it in quotes: \"041\"")
    assert error_of(models.IscedField, "software")[2] == (
        "did you mean '0613' (Software and applications development and analysis)? write it in quotes: \"0613\"")
    # a code that does not exist: the codes under its longest known prefix, not a spelling guess
    assert error_of(models.IscedField, "0699")[2] == (
        "codes under 06 (Information and Communication Technologies (ICTs)): 061, 068")


def test_a_sector_by_its_name_suggests_its_letter():
    assert error_of(models.NaceSection, "Manufacturing")[2] == "did you mean 'C'?"
    assert error_of(models.NaceSection, "Education")[2] == "did you mean 'P'?"


@pytest.mark.parametrize("written, hint", [
    ("€895", "write amount: 895 and, in a field of its own, currency: EUR"),
    ("895,00", "write amount: 895"),
    ("1.295,50 EUR", "write amount: 1295.5 and, in a field of its own, currency: EUR"),
    ("895 zł", "write amount: 895 and, in a field of its own, currency: PLN"),
    ("1.295", "write amount: 1295 or amount: 1.295, whichever is meant"),
])
def test_an_amount_written_as_text_gets_the_number_and_the_currency(written, hint):
    assert error_of(models.Cost, {"amount": written, "currency": "EUR"}) == (
        "wrong-type", "expected a number, got text", hint)


def test_a_number_written_with_a_decimal_comma_elsewhere():
    assert error_of(models.Workload, {"ects": "2,5"})[2] == "write 2.5, a number without quotes"
    assert error_of(models.Workload, {"ects": "€5"})[2] == ""  # a currency is no workload: no guess


@pytest.mark.parametrize("written, hint", [
    ("01-02-2027", "write 2027-02-01 (1 February 2027) or 2027-01-02 (2 January 2027), whichever is meant"),
    ("13-02-2027", "write 2027-02-13 (13 February 2027)"),
    ("02/13/2027", "write 2027-02-13 (13 February 2027)"),
    ("1.2.2027", "write 2027-02-01 (1 February 2027) or 2027-01-02 (2 January 2027), whichever is meant"),
    ("2027/02/01", "write 2027-02-01"),
    ("2027-02-01T09:00", "write 2027-02-01 (the date without the time)"),
    ("31-02-2027", "e.g. 2026-09-01"),
    ("soon", "e.g. 2026-09-01"),
])
def test_a_date_written_another_way_gets_the_iso_date(written, hint):
    assert error_of(models.IsoDate, written) == (
        "invalid-date", f"'{written}' is not a date written YYYY-MM-DD", hint)


def test_a_number_where_text_belongs_is_shown_in_quotes():
    assert error_of(models.PlainText, 6) == ("wrong-type", "expected text, got a number", 'write it in quotes: "6"')


def test_valid_values_never_reach_the_lookups(monkeypatch):
    # the name lookups (langcodes.find, label searches) run on the error path only: validation stays fast
    def refuse(*_):
        raise AssertionError("a lookup ran for a valid value")

    for name in ("language_from_name", "country_from_name", "isced_from_label", "nace_from_label",
                 "amount_from_text", "date_readings"):
        monkeypatch.setattr(vocab, name, refuse)
    for annotation, value in [(models.Language, "nl"), (models.Country, "NL"), (models.IscedField, "0111"),
                              (models.NaceSection, "P"), (models.IsoDate, "2027-02-01"), (models.Cost, {"amount": 895, "currency": "EUR"})]:
        TypeAdapter(annotation).validate_python(value)
