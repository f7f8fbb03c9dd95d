"""A realistic synthetic catalogue of N credentials, for benchmarks.

Deterministic for a given N and seed. Two kinds:

- `clones` (what `make bench` measures): the example catalogue's entries, real text
  in several languages, copied under providers cloned from the example ones (same
  country and framework levels), each copy with a numbered title, its own id and
  links (stacking) inside its own provider. Search indexes and page sizes then
  behave as with real descriptions, not a 50-word vocabulary.
- `words`: every field of the record used somewhere, texts of random words of
  varying length, about a third translated, some stacking into others.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

try:
    _Dumper, _Loader = yaml.CSafeDumper, yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Dumper, _Loader = yaml.SafeDumper, yaml.SafeLoader

WORDS = ("data safety automation welding care digital cloud process quality energy heat pipe cable "
         "robot sensor network patient elderly hygiene cleaning chemical circuit design testing analysis "
         "planning maintenance installation inspection documentation teamwork customer service "
         "programming security privacy logistics warehouse solar battery grid lean production").split()
VERBS = "Apply Analyse Configure Install Inspect Document Plan Explain Assess Operate Maintain Design".split()
LANGS = ["en", "de", "fr", "pl", "es", "it", "sv", "nl", "fi", "pt", "cs"]
COUNTRIES = ["DE", "FR", "PL", "ES", "IT", "SE", "NL", "FI", "PT", "CZ", "AT", "BE", "IE", "DK"]
CURRENCY = {"PL": "PLN", "SE": "SEK", "CZ": "CZK", "DK": "DKK"}
FIELDS = ["0714", "0713", "0715", "0716", "0732", "0612", "0613", "0611", "0913", "0922", "0417",
          "0413", "1022", "1041", "0521", "0711", "0732", "0811", "0588", "1015"]
ASSESS = ["written-exam", "oral-exam", "online-test", "practical-demonstration", "project", "portfolio"]
PROVIDER_TYPES = ["higher-education", "vet", "company", "sector-body", "public-body", "non-profit"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def maybe_translated(rng: random.Random, text: str, lang: str):
    if rng.random() < 0.33:
        other = rng.choice([x for x in LANGS if x != lang])
        return {lang: text, other: f"[{other}] {text}"}
    return text


def provider(rng: random.Random, i: int) -> dict:
    country = COUNTRIES[i % len(COUNTRIES)]
    return {
        "name": f"Synthetic Provider {i} (illustrative)",
        "country": country,
        "type": PROVIDER_TYPES[i % len(PROVIDER_TYPES)],
        "website": f"https://provider-{i}.example",
        "description": sentence(rng, 10, 40),
        "quality_assurance": [{"type": "internal", "body": f"Quality office {i}"}],
        "maintainers": [f"team-{i}"],
        "illustrative": True,
    }


# The national level of an EQF level where it differs (the validator warns when the two disagree): Ireland's
# NFQ (the table in build/microcred/contract/vocab/nqf.tsv); the other countries' levels are the EQF's.
NFQ_OF_EQF = {5: "6", 6: "8", 7: "9", 8: "10"}


def nqf_level(country: str, eqf: int) -> str:
    return NFQ_OF_EQF.get(eqf, str(eqf)) if country == "IE" else str(eqf)


def credential(rng: random.Random, pid: str, j: int, country: str, siblings: list[str]) -> dict:
    lang = LANGS[j % len(LANGS)]
    ects = rng.choice([1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15])
    hours = round(ects * rng.uniform(25.5, 29.5))
    free = rng.random() < 0.2
    rec = {
        "title": maybe_translated(rng, f"{sentence(rng, 2, 6)[:-1]} {j}", lang),
        "description": "\n\n".join(sentence(rng, 20, 80) for _ in range(rng.randint(1, 4)))
        + "\n\n- " + "\n- ".join(sentence(rng, 3, 8) for _ in range(3)),
        "url": f"https://{pid}.example/courses/{j}",
        "learning_outcomes": [maybe_translated(rng, f"{rng.choice(VERBS)} {sentence(rng, 4, 20).lower()}", lang)
                              for _ in range(rng.randint(2, 7))],
        "workload": {"ects": ects, "hours": hours, "note": sentence(rng, 4, 12)},
        "level": {"eqf": (eqf := rng.randint(1, 8)), "nqf": {"country": country, "level": nqf_level(country, eqf)}},
        "assessment": {"type": rng.sample(ASSESS, rng.randint(1, 3)), "description": sentence(rng, 8, 25),
                       "supervision": "supervised-with-identity-verification"},
        "participation": rng.choice(["online", "onsite", "blended"]),
        "quality_assurance": [{"type": rng.choice(["internal", "external-programme", "sector-endorsement"]),
                               "body": "An illustrative quality body"}],
        "prerequisites": sentence(rng, 5, 25),
        "field": rng.choice(FIELDS),
        "sector": rng.choice("CFGJMQ"),
        "languages": [lang] + ([rng.choice(LANGS)] if rng.random() < 0.2 else []),
        "countries": [country],
        "locations": [{"city": f"City {j % 50}", "country": country}],
        "cost": {"amount": 0} if free else {"amount": rng.randint(50, 3000), "currency": CURRENCY.get(country, "EUR")},
        "duration": {"value": rng.randint(1, 16), "unit": "week"},
        "start_dates": ["2027-02-01", "2027-09-06"],
        "skills": [{"label": sentence(rng, 2, 4)[:-1].lower()} for _ in range(rng.randint(1, 4))],
        "occupations": [{"label": sentence(rng, 2, 3)[:-1].lower()}],
        "status": rng.choices(["active", "suspended", "withdrawn"], [90, 5, 5])[0],
        "valid_from": "2026-01-01",
        "last_reviewed": "2026-06-01",
        "review_by": "2099-06-01",
        "keywords": [rng.choice(WORDS) for _ in range(3)],
    }
    if rec["languages"][1:] == rec["languages"][:1]:
        rec["languages"] = rec["languages"][:1]
    if rec["status"] == "withdrawn":
        rec["withdrawn_on"] = "2026-10-01"
        rec["status_note"] = "Replaced by a newer course."
    if siblings and rng.random() < 0.25:
        rec["stackability"] = {"mode": "stackable", "stacks_into": [rng.choice(siblings)]}
    return rec


def generate(out: Path, n: int, providers: int | None = None, seed: int = 7) -> Path:
    rng = random.Random(seed)
    providers = providers or max(1, min(300, n // 30))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    # libyaml's emitter (CSafeDumper) writes the same text as safe_dump's pure-Python one, ~10x faster
    dump = lambda data: yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)  # noqa: E731
    for i in range(providers):
        pid = f"provider-{i:03d}"
        folder = out / pid
        folder.mkdir()
        prov = provider(rng, i)
        (folder / "provider.yaml").write_text(dump(prov), "utf-8")
        count = n // providers + (1 if i < n % providers else 0)
        ids: list[str] = []
        for j in range(count):
            slug = f"course-{j:04d}"
            rec = credential(rng, pid, j, prov["country"], ids[:])
            (folder / f"{slug}.yaml").write_text(dump(rec), "utf-8")
            ids.append(f"{pid}/{slug}")
    return out


EXAMPLES = Path(__file__).resolve().parent.parent / "catalogue"
PROVIDER_FILE = "provider.yaml"


def clones(out: Path, n: int, examples: Path = EXAMPLES, per_provider: int = 40) -> Path:
    """n credentials cloned from the example catalogue's entries (real text), about
    `per_provider` under each clone of an example provider."""
    load = lambda path: yaml.load(path.read_text("utf-8"), Loader=_Loader)  # noqa: E731
    dump = lambda data: yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)  # noqa: E731
    originals = []  # (provider folder name, provider record, [(slug, record)])
    for folder in sorted(p for p in examples.iterdir() if (p / PROVIDER_FILE).is_file()):
        entries = [(f.stem, load(f)) for f in sorted(folder.glob("*.yaml")) if f.name != PROVIDER_FILE]
        if entries:
            originals.append((folder.name, load(folder / PROVIDER_FILE), entries))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    made, clone = 0, 0
    while made < n:
        name, provider_record, entries = originals[clone % len(originals)]
        pid = f"{name}-{clone // len(originals):04d}"
        folder = out / pid
        folder.mkdir()
        record = dict(provider_record, maintainers=[f"team-{clone:05d}"])
        record["name"] = _numbered(record["name"], f" {clone // len(originals)}")
        (folder / PROVIDER_FILE).write_text(dump(record), "utf-8")
        copies = -(-per_provider // len(entries))
        for copy in range(copies):
            for slug, entry in entries:
                if made == n:
                    break
                (folder / f"{slug}-{copy:03d}.yaml").write_text(dump(_cloned(entry, pid, copy)), "utf-8")
                made += 1
        clone += 1
    return out


def _numbered(text, suffix: str):
    """A title or name with a number, in each of its languages."""
    if isinstance(text, dict):
        return {lang: f"{value}{suffix}" for lang, value in text.items()}
    return f"{text}{suffix}"


def _cloned(entry: dict, pid: str, copy: int) -> dict:
    rec = dict(entry)
    rec["title"] = _numbered(rec["title"], f" {copy + 1}")
    rec.pop("previous_ids", None)  # an id a clone never had
    rec.pop("identifiers", None)  # registers' codes are unique to one entry
    stack = rec.get("stackability")
    if stack and stack.get("stacks_into"):  # into the same copy of the sibling entry
        rec["stackability"] = dict(stack, stacks_into=[f"{pid}/{ref.split('/', 1)[1]}-{copy:03d}"
                                                       for ref in stack["stacks_into"]])
    return rec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--kind", choices=("clones", "words"), default="clones")
    args = parser.parse_args()
    (clones if args.kind == "clones" else generate)(args.out, args.n)


if __name__ == "__main__":
    main()
