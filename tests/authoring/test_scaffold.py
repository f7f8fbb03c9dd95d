"""`microcred new` and `microcred new-provider`: new files that validate as written."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings, strategies as st

from microcred.validate import codeowners as co
from microcred.authoring.fieldref import all_fields, record_docs
from microcred.authoring.scaffold import new_credential, new_provider
from microcred.errors import ScaffoldError
from microcred.validate import validate
from microcred.contract.yamlload import parse
from microcred.authoring.yamlwrite import dump, scalar
from provider_repo import FIXTURE, make_upstream, run

ALL_OPTIONS = ["--title", "Robot safety: the basics", "--outcome", "Set up safety zones, and test them",
               "--outcome", "Stop a robot safely", "--ects", "2.5", "--eqf", "4",
               "--assessment", "practical-demonstration,written-exam", "--participation", "onsite",
               "--qa", "internal", "--field", "0714", "--language", "de", "--language", "en",
               "--cost", "120", "--currency", "EUR"]


@pytest.fixture
def cat(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE / "catalogue", tmp_path / "catalogue")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "catalogue"


def uncommented(text: str) -> str:
    """The file with every optional field switched on, as a provider would by deleting '# '."""
    out = []
    for line in text.splitlines():
        body = line.lstrip()
        if body.startswith("# ") and not body.startswith(("# required:", "# optional:", "# yaml-language-server",
                                                           "# Field reference", "# to use")):
            line = line[:len(line) - len(body)] + body[2:]
        out.append(line)
    return "\n".join(out) + "\n"


def keys(data, prefix=""):
    found = set()
    if isinstance(data, dict):
        for k, v in data.items():
            found.add(prefix + k)
            found |= keys(v, f"{prefix}{k}{'[].' if isinstance(v, list) and v and isinstance(v[0], dict) else '.'}")
    elif isinstance(data, list):
        for item in data:
            found |= keys(item, prefix)
    return found


def test_new_with_every_required_option_writes_a_file_that_validates(cat, tmp_path):
    done = run(tmp_path, "new", "acme-academy", "robot-safety", *ALL_OPTIONS)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote catalogue/acme-academy/robot-safety.yaml\n")
    path = cat / "acme-academy/robot-safety.yaml"
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../docs/schema/credential.schema.json"
    result = validate(cat)
    assert result.problems == []
    record = result.catalogue.credentials["acme-academy/robot-safety"].record
    assert record.title == "Robot safety: the basics"
    assert record.learning_outcomes == ["Set up safety zones, and test them", "Stop a robot safely"]
    assert (record.workload.ects, record.level.eqf, record.cost.amount, record.cost.currency) == (2.5, 4, 120, "EUR")
    assert record.assessment.type == ["practical-demonstration", "written-exam"]
    assert 'field: "0714"' in text  # quoted, so no YAML 1.1 tool reads it as a number


def test_the_new_file_lists_every_field_of_the_record(cat):
    new_credential(cat, "acme-academy", "robot-safety", {"title": "T", "outcome": ["O"], "hours": "30",
                   "eqf": "3", "assessment": ["project"], "participation": "online", "qa": "internal",
                   "field": "0714", "language": ["en"], "cost": "free"})
    text = (cat / "acme-academy/robot-safety.yaml").read_text("utf-8")
    every = {d.path for d in all_fields(record_docs("credential"))}
    assert keys(parse("x", uncommented(text).encode()).data) == every
    for doc in record_docs("credential"):  # each field has its hint on the line above
        assert f"# {'required' if doc.required else 'optional'}: {doc.description}" in text


def test_new_provider_writes_a_valid_provider_and_keeps_codeowners_in_step(tmp_path, monkeypatch):
    repo = make_upstream(tmp_path)
    monkeypatch.chdir(repo)
    done = run(repo, "new-provider", "gamma-labs", "--name", "Gamma Labs", "--country", "PL", "--type", "company",
               "--website", "https://gamma.example.org", "--maintainer", "gamma-one,gamma-two")
    assert done.returncode == 0, done.stderr
    assert "wrote catalogue/gamma-labs/provider.yaml\nwrote .github/CODEOWNERS\n" in done.stdout
    assert "/catalogue/gamma-labs/ @gamma-one @gamma-two" in (repo / co.CODEOWNERS).read_text("utf-8")
    assert validate(repo / "catalogue").problems == []
    assert (repo / "catalogue/gamma-labs/provider.yaml").read_text("utf-8").startswith(
        "# yaml-language-server: $schema=../../docs/schema/provider.schema.json\n")
    text = (repo / "catalogue/gamma-labs/provider.yaml").read_text("utf-8")
    assert keys(parse("x", uncommented(text).encode()).data) == {d.path for d in all_fields(record_docs("provider"))}


@pytest.mark.parametrize("args, message", [
    (["new", "Acme", "x"], "provider id 'Acme' is not a valid id: use lowercase letters, digits and single hyphens"),
    (["new", "acme-academy", "robot_safety"], "slug 'robot_safety' is not a valid id"),
    (["new", "acme-academy", "api"], "slug 'api' is a reserved name"),
    (["new", "acme-academy", "a" * 65], "at most 64 are allowed"),
    (["new", "acme-academy", "provider"], "slug 'provider' is reserved for the provider's own file"),
    (["new", "nobody", "x"], "no provider 'nobody' in catalogue/ (no catalogue/nobody/provider.yaml); "
                             "run: microcred new-provider nobody"),
    (["new", "acme-academy", "plc-basics"], "catalogue/acme-academy/plc-basics.yaml already exists"),
    (["new-provider", "beta-uni"], "catalogue/beta-uni/provider.yaml already exists"),
    (["new-provider", "Beta Uni"], "provider id 'Beta Uni' is not a valid id"),
])
def test_refusals_are_clear_and_write_nothing(cat, tmp_path, args, message):
    before = sorted(p.read_bytes() for p in cat.rglob("*.yaml"))
    done = run(tmp_path, *args, *(ALL_OPTIONS if args[0] == "new" else []), stdin=None)
    assert done.returncode == 2
    assert done.stderr.startswith("microcred: error: ") and message in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.read_bytes() for p in cat.rglob("*.yaml")) == before


def test_without_a_terminal_missing_values_are_named(cat, tmp_path):
    done = run(tmp_path, "new", "acme-academy", "robot-safety", "--title", "T", stdin=None)
    assert done.returncode == 2
    assert ("missing --outcome, --ects or --hours, --eqf, --assessment, --participation, --qa, --field, "
            "--language, --cost: give them as options, or run the command in a terminal to be asked") in done.stderr
    assert not (cat / "acme-academy/robot-safety.yaml").exists()


@pytest.mark.parametrize("option, value, message", [
    ("--eqf", "9", "--eqf: 9 is out of range: EQF level must be from 1 to 8"),
    ("--participation", "hybrid", "did you mean 'blended'?"),
    ("--field", "714", "--field: '714' is not a known ISCED-F 2013 field code"),
    ("--ects", "five", "--ects: 'five' is not a number"),
    ("--language", "deutsch", "--language: 'deutsch' is not a known BCP 47 language tag"),
])
def test_a_wrong_option_value_gets_the_validators_message(cat, tmp_path, option, value, message):
    args = list(ALL_OPTIONS)
    args[args.index(option) + 1] = value
    done = run(tmp_path, "new", "acme-academy", "robot-safety", *args)
    assert done.returncode == 2 and message in done.stderr


def test_a_cost_needs_its_currency(cat, tmp_path):
    args = ALL_OPTIONS[:-2]
    done = run(tmp_path, "new", "acme-academy", "robot-safety", *args, stdin=None)
    assert done.returncode == 2 and "missing --currency" in done.stderr


def test_in_a_terminal_the_missing_values_are_asked_for_and_rechecked(cat, capsys):
    answers = iter([
        "Robot safety",                      # title
        "Set up safety zones", "",           # outcomes, then Enter to finish
        "", "40",                            # no ECTS, 40 hours
        "nine", "4",                         # a wrong EQF level is asked again
        "practical-demonstration",
        "onsite", "internal", "0714", "de",
        "0",                                 # free: no currency asked
    ])
    prompts = []

    def ask(prompt):
        prompts.append(prompt)
        return next(answers)

    written = new_credential(cat, "acme-academy", "robot-safety", {}, ask=ask)
    assert written == "catalogue/acme-academy/robot-safety.yaml"
    assert "'nine' is not a number" in capsys.readouterr().err
    assert any("[online, onsite, blended" in p for p in prompts)  # choices are shown
    assert not any("Currency" in p for p in prompts)
    assert validate(cat).problems == []


def test_end_of_input_at_a_prompt_cancels(cat):
    def ask(prompt):
        raise ScaffoldError("cancelled; nothing was written")

    with pytest.raises(ScaffoldError, match="cancelled"):
        new_credential(cat, "acme-academy", "robot-safety", {}, ask=ask)
    assert not (cat / "acme-academy/robot-safety.yaml").exists()


def test_new_provider_in_a_folder_without_codeowners_writes_only_the_provider(cat):
    written = new_provider(cat, "gamma-labs", {"name": "Gamma", "country": "PL", "type": "company",
                                               "website": "https://gamma.example.org", "maintainer": ["g1"]})
    assert written == ["catalogue/gamma-labs/provider.yaml"]
    assert validate(cat).problems == []


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=["Cs"]) | st.sampled_from("\x85\u2028\ufeff\x7f"), min_size=1))
def test_any_text_is_written_so_that_it_reads_back_unchanged(text):
    for value in ({"k": text}, {"k": [text, text]}):
        assert parse("x", dump(value).encode("utf-8")).data == value


@pytest.mark.parametrize("text", ["0714", "yes", "NO", "2026-09-01", "2020-13-45", "1e5", "null", "- x", "a: b", "a #b",
                                  "[x]", "@x", "x,y", "https://x.example", "\x85", "a\u2028b", "\ufeffx", "\x00"])
def test_text_that_would_read_as_something_else_is_quoted(text):
    assert parse("x", f"k: {scalar(text)}\nl: [{scalar(text, flow=True)}]\n".encode()).data == {"k": text, "l": [text]}


def test_a_real_terminal_is_asked(cat, tmp_path):
    """The command under a pseudo-terminal, as a person would run it: questions shown, answers checked."""
    import os
    import pty
    import subprocess

    from provider_repo import BIN, env

    master, slave = pty.openpty()
    answers = "Robot safety\nSet up safety zones\n\n2\n4\nproject\nonline\ninternal\n0714\nen\nfree\n"  # 2 ECTS
    os.write(master, answers.encode())  # the terminal holds typed lines until they are read
    proc = subprocess.Popen([str(BIN / "microcred"), "new", "acme-academy", "robot-safety"], cwd=tmp_path,
                            stdin=slave, stdout=slave, stderr=slave, env=env(), close_fds=True)
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed: the command has finished
            break
        if not chunk:
            break
        output += chunk
    assert proc.wait() == 0, output.decode()
    os.close(master)
    text = output.decode()
    assert "Title: " in text and "Form of participation [online, onsite, blended" in text
    assert "Workload in ECTS credits (Enter to give it in hours instead): " in text and "Workload in hours" not in text
    assert "wrote catalogue/acme-academy/robot-safety.yaml" in text
    assert validate(cat).problems == []


def _asked(cat, answers):
    """new_credential in a terminal with these answers: (prompts, the written file's workload)."""
    answers, prompts = iter(answers), []

    def ask(prompt):
        prompts.append(prompt)
        return next(answers)

    new_credential(cat, "acme-academy", "data-literacy", {}, ask=ask)
    record = validate(cat).catalogue.credentials["acme-academy/data-literacy"].record
    return prompts, record.workload


REST = ["4", "project", "online", "internal", "0111", "nl", "0"]  # EQF to cost, after the workload


def test_in_a_terminal_the_workload_is_asked_in_ects_first(cat, capsys):
    # The coordinator's "5" meant ECTS: it is asked as ECTS, and hours are not asked then
    prompts, workload = _asked(cat, ["Data literacy", "Read a chart", "", "5", *REST])
    workload_prompts = [p for p in prompts if p.startswith("Workload")]
    assert workload_prompts == ["Workload in ECTS credits (Enter to give it in hours instead): "]
    assert (workload.ects, workload.hours) == (5, None)
    assert capsys.readouterr().err == ""


def test_hours_are_asked_only_without_ects_and_a_few_hours_are_flagged(cat, capsys):
    prompts, workload = _asked(cat, ["Data literacy", "Read a chart", "", "", "5", *REST])
    assert [p for p in prompts if p.startswith("Workload")] == [
        "Workload in ECTS credits (Enter to give it in hours instead): ",
        "Workload in hours of notional learning (teaching, self-study, assessment): "]
    assert (workload.ects, workload.hours) == (None, 5)
    err = capsys.readouterr().err
    assert "warning: workload.hours: 5 hours is very little for a micro-credential: if 5 is meant as ECTS credits" in err
    assert err.rstrip().endswith("[workload-implausible]")


def test_options_still_take_hours_alone(cat):
    done = new_credential(cat, "acme-academy", "data-literacy", {
        "title": "T", "outcome": ["O"], "hours": "30", "eqf": "3", "assessment": ["project"],
        "participation": "online", "qa": "internal", "field": "0714", "language": ["en"], "cost": "free"})
    assert done == "catalogue/acme-academy/data-literacy.yaml"
    record = validate(cat).catalogue.credentials["acme-academy/data-literacy"].record
    assert (record.workload.ects, record.workload.hours) == (None, 30)
