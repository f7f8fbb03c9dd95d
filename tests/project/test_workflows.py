"""The GitHub workflows and templates, and the pull-request check run on a fixture repository.

The commands are read out of .github/workflows/check.yml and run as the job
would run them (bash -eo pipefail, in a checkout where origin/main is the base),
so the workflow and these tests cannot drift apart. GitHub itself is not involved.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from microcred.contract import vocabularies as vocab
from provider_repo import REPO, clone, commit_all, env, git, make_upstream
from sitetree import register_copy, same_site

WORKFLOWS = REPO / ".github" / "workflows"
VALIDATE = "microcred validate --format github"
SUMMARY = 'microcred diff "origin/$BASE_REF" --format markdown >> "$GITHUB_STEP_SUMMARY"'
BUILD = "microcred build"
CONTEXT = {"github.base_ref": "main"}  # what GitHub puts in ${{ }} for a pull request into main


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict, job: str) -> dict[str, dict]:
    return {s["id"]: s for s in workflow["jobs"][job]["steps"] if "id" in s}


def expand(text: str) -> str:
    def value(m: re.Match) -> str:
        key = m.group(1).strip()
        assert key in CONTEXT, f"the test does not know the expression ${{{{ {key} }}}}"
        return CONTEXT[key]
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def run_step(step: dict, cwd: Path, summary: Path) -> subprocess.CompletedProcess:
    """One `run:` step as GitHub runs it with `shell: bash`."""
    extra = {k: expand(str(v)) for k, v in (step.get("env") or {}).items()}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step["run"])],
                          cwd=cwd, capture_output=True, text=True,
                          env=env(GITHUB_STEP_SUMMARY=str(summary), **extra))


# --- the workflow files --------------------------------------------------------------


def test_no_workflow_uses_pull_request_target():
    for path in WORKFLOWS.glob("*.y*ml"):
        code = [line for line in path.read_text("utf-8").splitlines() if not line.lstrip().startswith("#")]
        assert not any("pull_request_target" in line for line in code), path.name
        assert "pull_request_target" not in load(path.name)["on"]


def test_check_workflow_runs_on_pull_requests_with_a_read_only_token():
    wf = load("check.yml")
    assert set(wf["on"]) == {"pull_request"}
    assert wf["permissions"] == {"contents": "read"}
    assert wf["defaults"]["run"]["shell"] == "bash"
    for job in wf["jobs"].values():
        assert "permissions" not in job  # nothing more than the workflow's read-only token
        checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@"))
        assert checkout["with"]["fetch-depth"] == 0  # diff needs the base branch
        assert checkout["with"]["persist-credentials"] is False


def test_check_workflow_invokes_exactly_the_commands_tested_here():
    s = steps(load("check.yml"), "check")
    assert s["validate"]["run"].strip() == VALIDATE
    assert s["summary"]["run"].strip() == SUMMARY
    assert s["summary"]["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert "!cancelled()" in s["summary"]["if"]  # the summary is written when validation fails too
    assert s["build"]["run"].strip() == BUILD
    assert s["generated"]["run"].strip() == "microcred generate --check"
    order = list(s)
    assert order.index("install") < order.index("validate") < order.index("build")


def test_deploy_workflow_builds_main_and_deploys_with_pages_rights_in_one_job_only():
    wf = load("deploy.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read"}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert steps(wf, "build")["build"]["run"].strip() == BUILD
    uses = [str(s.get("uses", "")) for s in build["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    upload = next(s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert [str(s.get("uses", "")).split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_sharded_deploy_runs_a_job_per_shard_and_combines_them_all(tmp_path):
    """The commands of deploy-sharded.yml, run here with its matrix, give the one-job build's site."""
    wf = load("deploy-sharded.yml")
    shards = wf["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    shard_run = steps(wf, "shard")["build"]["run"].strip()
    assert shard_run == f"microcred build --shard ${{{{ matrix.shard }}}}/{len(shards)} --output shards/shard-${{{{ matrix.shard }}}}"
    upload = next(s for s in wf["jobs"]["shard"]["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "shards/shard-${{ matrix.shard }}" and upload["with"]["include-hidden-files"]
    assert wf["jobs"]["build"]["needs"] == "shard" and wf["jobs"]["deploy"]["needs"] == "build"
    combine = steps(wf, "build")["build"]["run"].strip()
    assert combine == "microcred build --combine shards/shard-*"
    assert "permissions" not in wf["jobs"]["shard"] and "permissions" not in wf["jobs"]["build"]
    for name in ("shard", "build"):
        install = steps(wf, name)["install"]["run"]
        assert "pip install --require-hashes --no-deps -r requirements.lock" in install

    # the jobs' commands, run here one after the other, in a register of our own
    repo = register_copy(tmp_path / "register")
    for k in shards:
        subprocess.run(["bash", "-c", shard_run.replace("${{ matrix.shard }}", str(k))], cwd=repo, check=True,
                       capture_output=True, env=env())
    subprocess.run(["bash", "-c", combine], cwd=repo, check=True, capture_output=True, env=env())
    subprocess.run(["microcred", "build", "--quiet", "--output", str(tmp_path / "one")], cwd=repo, check=True,
                   env=env())
    same_site(repo / "site", tmp_path / "one")


def test_every_action_is_pinned_to_a_version():
    for path in WORKFLOWS.glob("*.yml"):
        for job in load(path.name)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+|[0-9a-f]{40})", step["uses"]), step["uses"]


# --- the check, run on a fixture repository ------------------------------------------

VALID_ENTRY = """\
title: Safe work with industrial robots
learning_outcomes:
  - Set up a robot cell's safety zones
workload:
  hours: 40
level:
  eqf: 4
assessment:
  type: [practical-demonstration]
participation: onsite
quality_assurance:
  - type: internal
field: "0714"
languages: [de]
cost:
  amount: 0
"""


@pytest.fixture
def pr(tmp_path):
    return clone(make_upstream(tmp_path), tmp_path)


@pytest.fixture
def check_steps():
    return steps(load("check.yml"), "check")


def test_pr_adding_a_valid_entry_passes_with_a_summary_naming_it(pr, check_steps, tmp_path):
    (pr / "catalogue/acme-academy/robot-safety.yaml").write_text(VALID_ENTRY, "utf-8")
    commit_all(pr, "Add robot safety course")
    summary = tmp_path / "summary.md"

    validate = run_step(check_steps["validate"], pr, summary)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "::error" not in validate.stdout
    assert "0 errors" in validate.stdout

    done = run_step(check_steps["summary"], pr, summary)
    assert done.returncode == 0, done.stderr
    text = summary.read_text("utf-8")
    assert "### Added" in text
    assert "`acme-academy/robot-safety`" in text
    assert "Safe work with industrial robots" in text
    assert "✅ 0 errors" in text


def test_pr_with_an_invalid_entry_fails_with_annotations_on_the_right_lines(pr, check_steps, tmp_path):
    bad = VALID_ENTRY.replace("participation: onsite", "participation: hybrid").replace(
        "  eqf: 4", "  eqf: 9")
    (pr / "catalogue/acme-academy/robot-safety.yaml").write_text(bad, "utf-8")
    commit_all(pr, "Add robot safety course")
    summary = tmp_path / "summary.md"

    validate = run_step(check_steps["validate"], pr, summary)
    assert validate.returncode == 1
    lines = bad.splitlines()
    eqf_line = lines.index("  eqf: 9") + 1
    part_line = lines.index("participation: hybrid") + 1
    annotations = [a for a in validate.stdout.splitlines() if a.startswith("::error ")]
    assert f"::error file=catalogue/acme-academy/robot-safety.yaml,line={eqf_line},col=8,title=out-of-range::" \
        in "\n".join(annotations)
    assert any(a.startswith(f"::error file=catalogue/acme-academy/robot-safety.yaml,line={part_line},col=16,"
                            "title=invalid-value::") and "did you mean 'blended'" in a for a in annotations)
    assert len(annotations) == 2

    done = run_step(check_steps["summary"], pr, summary)  # runs after a failed validation too
    assert done.returncode == 0
    text = summary.read_text("utf-8")
    assert "`acme-academy/robot-safety`" in text and "❌ 2 errors" in text
    assert f"robot-safety.yaml:{part_line}:16" in text


def test_pr_deleting_an_entry_is_summarised_with_a_warning(pr, check_steps, tmp_path):
    (pr / "catalogue/acme-academy/plc-advanced.yaml").unlink()
    commit_all(pr, "Remove advanced course")
    summary = tmp_path / "summary.md"
    assert run_step(check_steps["validate"], pr, summary).returncode == 0
    assert run_step(check_steps["summary"], pr, summary).returncode == 0
    text = summary.read_text("utf-8")
    assert "### Deleted" in text and "`acme-academy/plc-advanced`" in text and "withdrawn" in text


def test_pr_changing_maintainers_without_codeowners_fails_on_the_codeowners_line(pr, check_steps, tmp_path):
    provider = pr / "catalogue/beta-uni/provider.yaml"
    provider.write_text(provider.read_text("utf-8").replace("[beta-admin]", "[beta-admin, mallory]"), "utf-8")
    commit_all(pr, "Add a maintainer")
    validate = run_step(check_steps["validate"], pr, tmp_path / "summary.md")
    assert validate.returncode == 1
    owners = (pr / ".github/CODEOWNERS").read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(owners, 1) if text.startswith("/catalogue/beta-uni/"))
    assert f"::error file=.github/CODEOWNERS,line={line},col=22,title=codeowners-stale::" in validate.stdout


# --- pre-commit ----------------------------------------------------------------------------


def test_pre_commit_hook_runs_the_validator_on_catalogue_files():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "microcred-validate")
    assert hook["entry"] == "microcred validate"
    assert hook["files"] == r"^catalogue/.*\.yaml$"
    assert hook["pass_filenames"] is True
    assert hook["language"] == "python"


def test_pre_commit_hook_checks_just_the_staged_files(pr):
    """What pre-commit does: run the entry with the staged files its `files` pattern matches."""
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))[0]
    (pr / "catalogue/acme-academy/robot-safety.yaml").write_text(VALID_ENTRY, "utf-8")
    (pr / "notes.txt").write_text("not a catalogue file", "utf-8")
    git(pr, "add", "-A")

    def commit_check() -> subprocess.CompletedProcess:
        staged = git(pr, "diff", "--cached", "--name-only", "--diff-filter=ACMR").split()
        files = [f for f in staged if re.search(hook["files"], f)]
        assert files == ["catalogue/acme-academy/robot-safety.yaml"]
        return subprocess.run([*hook["entry"].split(), *files], cwd=pr, capture_output=True, text=True, env=env())

    ok = commit_check()
    assert ok.returncode == 0, ok.stdout
    assert "in 2 files" in ok.stdout  # the file and its provider.yaml

    (pr / "catalogue/acme-academy/robot-safety.yaml").write_text(VALID_ENTRY.replace("de]", "deutsch]"), "utf-8")
    git(pr, "add", "-A")
    failed = commit_check()
    assert failed.returncode == 1
    assert "catalogue/acme-academy/robot-safety.yaml:14:" in failed.stdout and "[unknown-language]" in failed.stdout


# --- templates ------------------------------------------------------------------------------


def test_report_error_form_takes_the_credential_id_from_the_link():
    form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/report-error.yml").read_text("utf-8"))
    ids = [item.get("id") for item in form["body"]]
    assert "credential" in ids  # ...issues/new?template=report-error.yml&credential=<id> fills it in
    credential = next(item for item in form["body"] if item.get("id") == "credential")
    assert credential["type"] == "input"
    assert len(ids) == len(set(ids))


def test_add_organisation_form_offers_exactly_the_provider_types():
    form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/add-organisation.yml").read_text("utf-8"))
    kind = next(item for item in form["body"] if item.get("id") == "type")
    assert kind["attributes"]["options"] == list(vocab.PROVIDER_TYPES)
    assert {"name", "provider-id", "country", "website", "maintainers"} <= {i.get("id") for i in form["body"]}


def test_pull_request_template_has_the_providers_checklist():
    text = (REPO / ".github/PULL_REQUEST_TEMPLATE.md").read_text("utf-8")
    assert text.count("- [ ]") >= 5
    assert "status: withdrawn" in text and "own provider's folder" in text


def test_workflows_install_exactly_the_lock():
    for name, job in (("check.yml", "check"), ("deploy.yml", "build")):
        install = steps(load(name), job)["install"]["run"]
        assert "pip install --require-hashes --no-deps -r requirements.lock" in install, name
        assert "--no-build-isolation --no-index -e ." in install, name


def test_newest_workflow_runs_every_week_with_a_read_only_token():
    wf = load("newest.yml")
    assert wf["on"]["schedule"] and "workflow_dispatch" in wf["on"]
    assert wf["permissions"] == {"contents": "read"}
    assert steps(wf, "newest")["newest"]["run"].strip() == "python tools/newest.py"
