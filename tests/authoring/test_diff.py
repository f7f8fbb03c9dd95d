"""`microcred diff BASE`: the register's changes between a git revision and the working tree."""

from __future__ import annotations

import re

import pytest

from microcred.authoring.diff import FieldChange, as_markdown, as_text, compare, diff, field_changes, md, Side
from provider_repo import clone, commit_all, git, make_upstream, run


@pytest.fixture
def work(tmp_path, monkeypatch):
    w = clone(make_upstream(tmp_path), tmp_path)
    monkeypatch.chdir(w)
    return w


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_no_change(work):
    report = diff(work / "catalogue", "origin/main")
    assert report.empty and report.problems == [] and report.files == 5
    assert "no changes to the catalogue" in as_text(report)
    assert "No changes to the catalogue." in as_markdown(report)


def test_every_kind_of_change(work):
    cat = work / "catalogue"
    (cat / "acme-academy/robot-safety.yaml").write_text(
        (cat / "acme-academy/plc-basics.yaml").read_text("utf-8").replace("PLC programming basics", "Robot safety"))
    edit(cat / "acme-academy/plc-basics.yaml", "ects: 5", "ects: 6")
    edit(cat / "beta-uni/data-literacy.yaml", "self_paced: true", "self_paced: true\nstatus: withdrawn\nwithdrawn_on: 2026-06-30")
    (cat / "acme-academy/plc-advanced.yaml").unlink()
    (cat / "gamma-labs").mkdir()
    (cat / "gamma-labs/provider.yaml").write_text((cat / "beta-uni/provider.yaml").read_text("utf-8"))
    edit(cat / "beta-uni/provider.yaml", "[beta-admin]", "[beta-admin, beta-two]")
    commit_all(work, "many changes")  # committed or not makes no difference: the working tree is compared

    r = diff(cat, "origin/main")
    assert [e.id for e in r.added] == ["acme-academy/robot-safety"]
    assert [(e.id, e.changes) for e in r.changed] == [
        ("acme-academy/plc-basics", [FieldChange("workload.ects", 5, 6)])]
    assert [(e.id, e.changes) for e in r.withdrawn] == [
        ("beta-uni/data-literacy", [FieldChange("status", None, "withdrawn"),
                                    FieldChange("withdrawn_on", None, "2026-06-30")])]
    assert [e.id for e in r.deleted] == ["acme-academy/plc-advanced"]
    assert [e.id for e in r.providers_added] == ["gamma-labs"]
    assert [(e.id, e.changes) for e in r.providers_changed] == [
        ("beta-uni", [FieldChange("maintainers", ["beta-admin"], ["beta-admin", "beta-two"])])]
    [warning] = r.warnings
    assert (warning.code, warning.severity, warning.file) == (
        "credential-deleted", "warning", "catalogue/acme-academy/plc-advanced.yaml")

    text = as_text(r)
    assert "  added     acme-academy/robot-safety  Robot safety" in text
    assert "workload.ects: 5 -> 6" in text
    assert "catalogue/acme-academy/plc-advanced.yaml:1:1: warning:" in text and "[credential-deleted]" in text
    assert "credentials: 1 added, 1 changed, 1 withdrawn, 1 deleted; providers: 1 added, 1 changed" in text

    markdown = as_markdown(r)
    for heading in ("### Added", "### Changed", "### Withdrawn", "### Deleted", "### Providers added",
                    "### Providers changed", "### Validation"):
        assert heading in markdown
    assert "`workload.ects`: `5` → `6`" in markdown
    # the CODEOWNERS line for the changed maintainers is now stale: the summary says so
    assert "❌ 2 errors" in markdown and "codeowners-stale" in markdown


def test_a_renamed_credential_is_not_a_deletion(work):
    cat = work / "catalogue"
    old = cat / "acme-academy/plc-basics.yaml"
    (cat / "acme-academy/plc-fundamentals.yaml").write_text(
        old.read_text("utf-8") + "previous_ids: [acme-academy/plc-basics]\n")
    old.unlink()
    r = diff(cat, "origin/main")
    assert [(e.id, e.renamed_to) for e in r.renamed] == [("acme-academy/plc-basics", "acme-academy/plc-fundamentals")]
    assert r.deleted == [] and r.warnings == []
    assert "renamed   acme-academy/plc-basics -> acme-academy/plc-fundamentals" in as_text(r)


def test_files_that_do_not_validate_are_still_summarised(work):
    (work / "catalogue/acme-academy/broken.yaml").write_text("title: [unclosed\n")
    (work / "catalogue/acme-academy/typo.yaml").write_text("title: Typo course\nparticipaton: online\n")
    r = diff(work / "catalogue", "origin/main")
    assert [e.id for e in r.added] == ["acme-academy/broken", "acme-academy/typo"]
    assert r.added[1].title == "Typo course"
    assert any(p.code == "yaml-syntax" for p in r.problems)

    (work / "catalogue/beta-uni/data-literacy.yaml").write_text("title: [unclosed\n")
    r = diff(work / "catalogue", "origin/main")
    assert [(e.id, e.changes) for e in r.changed] == [
        ("beta-uni/data-literacy", [FieldChange("(file)", "(valid YAML)", "(not valid YAML)")])]


def test_a_base_without_a_catalogue_means_everything_is_added(tmp_path, monkeypatch):
    w = clone(make_upstream(tmp_path), tmp_path)
    monkeypatch.chdir(w)
    git(w, "checkout", "-q", "--orphan", "empty")
    git(w, "rm", "-rq", "--cached", ".")
    (w / "README.md").write_text("empty\n")
    git(w, "add", "README.md")
    git(w, "commit", "-q", "-m", "empty")
    git(w, "checkout", "-q", "-f", "pr")
    r = diff(w / "catalogue", "empty")
    assert len(r.added) == 3 and len(r.providers_added) == 2


def test_field_changes_by_path():
    assert field_changes({"a": {"b": 1, "c": 2}, "d": [1]}, {"a": {"b": 1, "c": 3}, "e": "x"}) == [
        FieldChange("a.c", 2, 3), FieldChange("d", [1], None), FieldChange("e", None, "x")]


def test_markdown_makes_pull_request_text_inert():
    head = Side(credentials={"acme-academy/x": {"title": "<img src=x onerror=alert(1)> [click](javascript:x) | ok"}})
    markdown = as_markdown(compare(Side(), head, "origin/main", "catalogue"))
    assert not re.search(r"(?<!\\)[<\[]", markdown.split("### Added")[1])  # no unescaped tag or link
    assert r"\<img src=x onerror=alert(1)\> \[click\](javascript:x) \| ok" in markdown
    assert md("a\nb") == "a b"


def test_command_exit_codes(work):
    # a report, not a gate: 0 even with validation errors; 2 when BASE cannot be read
    (work / "catalogue/acme-academy/broken.yaml").write_text("title: [unclosed\n")
    done = run(work, "diff", "origin/main", "--format", "markdown")
    assert done.returncode == 0 and "`acme-academy/broken`" in done.stdout
    bad = run(work, "diff", "no-such-branch")
    assert bad.returncode == 2
    assert "microcred: error: cannot read the catalogue at no-such-branch: 'no-such-branch' is not a commit" in bad.stderr
    assert "Traceback" not in bad.stderr
    elsewhere = run(work.parent, "diff", "HEAD")
    assert elsewhere.returncode == 2 and "no such catalogue folder" in elsewhere.stderr


def test_outside_a_git_repository(tmp_path):
    (tmp_path / "catalogue").mkdir()
    done = run(tmp_path, "diff", "HEAD")
    assert done.returncode == 2 and "microcred: error: cannot read the catalogue at HEAD" in done.stderr


def test_long_tables_are_cut_to_fit_a_job_summary():
    from microcred.authoring import diff as d
    head = Side(credentials={f"p/c{i:04d}": {"title": f"Course {i}"} for i in range(d.MAX_ROWS + 5)})
    markdown = as_markdown(compare(Side(), head, "origin/main", "catalogue"))
    assert f"`p/c{d.MAX_ROWS - 1:04d}`" in markdown and f"`p/c{d.MAX_ROWS:04d}`" not in markdown
    assert "| … | 5 more: run `microcred diff` locally |" in markdown


def test_an_added_entry_shows_its_title_translations_and_key_facts(work):
    cat = work / "catalogue"
    text = (cat / "acme-academy/plc-basics.yaml").read_text("utf-8")
    text = text.replace("title: PLC programming basics",
                        "title: {en: Robot safety, de: Robotersicherheit, fr: Sécurité des robots}")
    text = text.replace("languages: [de]", "languages: [en, de, fr]").replace("ects: 5", "ects: 5\n  hours: 135")
    (cat / "acme-academy/robot-safety.yaml").write_text(text, "utf-8")
    r = diff(cat, "origin/main")
    [added] = r.added
    assert added.translations == {"de": "Robotersicherheit", "fr": "Sécurité des robots"}
    lines = as_text(r).splitlines()
    i = lines.index("  added     acme-academy/robot-safety  Robot safety (de: Robotersicherheit; fr: Sécurité des robots)")
    assert lines[i + 1] == "              EQF 4 · 5 ECTS (135 hours) · blended · en, de, fr · 450 EUR · active"
    markdown = as_markdown(r)
    assert "| id | title | key facts |" in markdown
    assert ("| `acme-academy/robot-safety` | Robot safety (de: Robotersicherheit; fr: Sécurité des robots) | "
            "EQF 4 · 5 ECTS (135 hours) · blended · en, de, fr · 450 EUR · active |") in markdown


def test_many_translations_show_as_their_languages():
    title = {"en": "Robot safety", **{tag: "A rather long translated title of the course, " + tag
                                      for tag in ("de", "fr", "nl", "pl", "sv")}}
    head = Side(credentials={"p/x": {"title": title, "level": {"eqf": 3}, "workload": {"hours": 40},
                                     "cost": {"amount": 0}, "status": "suspended"}})
    r = compare(Side(), head, "origin/main", "catalogue")
    assert r.added[0].shown_title == "Robot safety (+5 translations: de, fr, nl, pl, sv)"
    assert r.added[0].facts == "EQF 3 · 40 hours · free · suspended"
    broken = Side(credentials={"p/y": {"title": "T", "level": "five", "workload": {"ects": "5"}, "languages": "nl"}})
    assert compare(Side(), broken, "b", "catalogue").added[0].facts == "active"  # what is not readable is left out


def test_a_change_of_codeowners_is_shown(work):
    cat = work / "catalogue"
    edit(cat / "beta-uni/provider.yaml", "[beta-admin]", "[beta-admin, beta-two]")
    path = work / ".github/CODEOWNERS"
    before = path.read_text("utf-8")
    path.write_text(before.replace("/catalogue/beta-uni/ @beta-admin", "/catalogue/beta-uni/ @beta-admin @beta-two"))
    r = diff(cat, "origin/main")
    assert (r.codeowners_added, r.codeowners_removed) == (
        ["/catalogue/beta-uni/ @beta-admin @beta-two"], ["/catalogue/beta-uni/ @beta-admin"])
    text = as_text(r)
    assert (".github/CODEOWNERS changed (who must approve changes to a folder):\n"
            "  + /catalogue/beta-uni/ @beta-admin @beta-two\n"
            "  - /catalogue/beta-uni/ @beta-admin\n") in text
    markdown = as_markdown(r)
    assert "### .github/CODEOWNERS" in markdown
    assert "- added: `/catalogue/beta-uni/ @beta-admin @beta-two`\n- removed: `/catalogue/beta-uni/ @beta-admin`" in markdown
    assert r.problems == []  # CODEOWNERS is in step with the providers' files

    path.write_text(before)  # unchanged: not mentioned
    edit(cat / "beta-uni/provider.yaml", "[beta-admin, beta-two]", "[beta-admin]")
    r = diff(cat, "origin/main")
    assert (r.codeowners_added, r.codeowners_removed) == ([], [])
    assert "CODEOWNERS" not in as_text(r) and "CODEOWNERS" not in as_markdown(r)


def test_a_new_provider_folder_shows_its_codeowners_line(work):
    done = run(work, "new-provider", "gamma-labs", "--name", "Gamma Labs", "--country", "PL", "--type", "company",
               "--website", "https://gamma.example.org", "--maintainer", "gamma-one")
    assert done.returncode == 0, done.stderr
    r = diff(work / "catalogue", "origin/main")
    assert r.codeowners_added == ["/catalogue/gamma-labs/ @gamma-one"] and r.codeowners_removed == []
    assert [e.id for e in r.providers_added] == ["gamma-labs"]
