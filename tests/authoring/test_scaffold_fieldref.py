"""The field reference page and the examples it shows are in step with the models."""

from __future__ import annotations

import re
import shlex
import shutil
import textwrap
import typing

import pytest
from pydantic import BaseModel

from microcred.contract import examples as ex
from microcred.contract import vocabularies as vocab
from microcred.authoring.fieldref import FALLBACK_DESCRIPTIONS, RECORDS, _snake, all_fields, fields_markdown, record_docs
from microcred.authoring.generate import generated_files, stale
from microcred.validate.records import check_record
from microcred.contract.yamlload import Document, parse
from provider_repo import FIXTURE, REPO, run


def model_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field path of a model, walking nested models, independently of fieldref's own walk."""
    out = set()
    for name, info in model.model_fields.items():
        out.add(prefix + name)
        text = repr(info.annotation)
        for sub in _nested_models(info.annotation):
            out |= model_paths(sub, f"{prefix}{name}{'[].' if text.startswith('list[') or 'list[' in text.split('|')[0] else '.'}")
    return out


def _nested_models(annotation):
    for arg in typing.get_args(annotation) or ():
        yield from _nested_models(arg)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation


def test_the_committed_field_reference_is_current():
    assert "docs/reference/fields.md" in generated_files()
    assert (REPO / "docs/reference/fields.md").read_text("utf-8") == fields_markdown()
    assert "docs/reference/fields.md" not in stale(REPO)


def test_generate_check_fails_when_the_reference_is_stale(tmp_path):
    (tmp_path / "docs/reference").mkdir(parents=True)
    (tmp_path / "docs/reference/fields.md").write_text("# Field reference\n\nold\n", "utf-8")
    done = run(tmp_path, "generate", "--check", "--repo", str(tmp_path))
    assert done.returncode == 1
    assert "docs/reference/fields.md: out of date; run `microcred generate`" in done.stdout


@pytest.mark.parametrize("kind", RECORDS)
def test_every_field_of_the_models_is_documented_with_type_description_and_example(kind):
    page = fields_markdown()
    docs = list(all_fields(record_docs(kind)))
    assert {d.path for d in docs} == model_paths(RECORDS[kind])
    for d in docs:
        assert d.type and d.description and d.example is not None, d.path
        assert f"`{d.path}`" in page


def test_controlled_values_are_all_listed():
    page = fields_markdown()
    for values in (vocab.PARTICIPATION, vocab.ASSESSMENT_TYPES, vocab.QUALITY_ASSURANCE_TYPES, vocab.SUPERVISION,
                   vocab.QF_EHEA_CYCLES, vocab.PROVIDER_TYPES, vocab.STATUSES, vocab.STACKABILITY,
                   vocab.DURATION_UNITS):
        for value, label in values.items():
            assert f"`{value}` ({label})" in page


def test_fallback_descriptions_only_fill_gaps_in_the_models():
    """When a model gains its own description, its fallback here must go."""
    used = set()
    for kind, model in RECORDS.items():
        def walk(m, owner):
            for name, info in m.model_fields.items():
                key = f"{owner}.{name}"
                if key in FALLBACK_DESCRIPTIONS:
                    assert not info.description, f"{key} is described in the model now: drop its fallback"
                    used.add(key)
                for sub in _nested_models(info.annotation):
                    walk(sub, _snake(sub.__name__))
        walk(model, kind)
    assert used == set(FALLBACK_DESCRIPTIONS)


def _valid(kind: str, data: dict) -> list:
    return check_record(Document("example.yaml", data), RECORDS[kind])[1]


def test_the_examples_validate():
    active = {k: v for k, v in ex.CREDENTIAL.items() if k != "withdrawn_on"}
    assert _valid("credential", active) == []
    assert _valid("credential", {**ex.CREDENTIAL, "status": "withdrawn"}) == []
    assert _valid("provider", ex.PROVIDER) == []


# --- the contributor guide's examples ---------------------------------------------------

GUIDE = REPO / "docs" / "contributing"


def code_blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^ *```{lang}\n(.*?)^ *```", text, flags=re.S | re.M)


def test_the_guides_full_entries_validate():
    entries = [textwrap.dedent(block) for path in GUIDE.glob("*.md")
               for block in code_blocks(path.read_text("utf-8"), "yaml") if "learning_outcomes:" in block]
    assert entries
    for entry in entries:
        assert check_record(parse("guide.yaml", entry.encode()), RECORDS["credential"])[1] == []


def test_the_guides_new_command_works_as_printed(tmp_path):
    block = next(b for b in code_blocks((GUIDE / "local.md").read_text("utf-8"), "sh")
                 if "microcred new acme-academy plc-basics \\" in b)
    argv = shlex.split(block.replace("\\\n", " "))
    assert argv[:4] == ["microcred", "new", "acme-academy", "plc-basics"]
    shutil.copytree(FIXTURE / "catalogue", tmp_path / "catalogue")
    (tmp_path / "catalogue/acme-academy/plc-basics.yaml").unlink()
    done = run(tmp_path, *argv[1:])
    assert done.returncode == 0, done.stderr
    assert run(tmp_path, "validate").returncode == 0
