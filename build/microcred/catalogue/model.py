"""The checked catalogue: what every later stage (pages, open data, diff) reads.

The validator hands over each record exactly as it checked it; what the
register derives from a record (the countries it is offered in, its facets)
and from the whole catalogue (which credentials stack into which, the
addresses of renamed ids, the count of every facet value) is worked out here,
once, beside the records, never by rewriting them.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..contract.models import Credential, Provider
from .brief import Brief
from .facets import Facets, count, facets_of


@dataclass
class ProviderEntry:
    id: str
    file: str  # as shown in messages
    path: Path
    record: Provider
    data: dict  # the values exactly as written

    @cached_property
    def digest(self) -> str:
        return content_digest(self.file, self.data)


@dataclass
class CredentialEntry:
    id: str
    provider_id: str
    slug: str
    file: str
    path: Path
    brief: Brief  # what the stages read of every record
    written: Written  # the values exactly as written
    countries: tuple[str, ...]  # where it is offered: as written, else the provider's country
    facets: Facets
    made: Credential | None = field(default=None, repr=False)  # the record, once made (see record)

    @property
    def record(self) -> Credential:
        """The checked record. An entry recalled from an earlier build (validate/recall.py) makes it
        from its values on first use: pydantic took 4 s of a rebuild at 100,000 credentials, and a
        rebuild reads the records of a few entries, the brief of the others."""
        if self.made is None:
            self.made = Credential.model_validate(self.written.data())
        return self.made

    @property
    def data(self) -> dict:
        """The values exactly as written (only the open data reads them, once per record)."""
        return self.written.data()

    @property
    def digest(self) -> str:
        return self.written.digest


@dataclass(frozen=True, slots=True)
class Written:
    """An entry's values as written, packed (marshal: they are plain YAML values): as dictionaries
    they are 12 KB of Python objects an entry beside its checked record, packed 3 KB (a checked
    catalogue of 10,000 took 281 MB, now 237 MB). The digest is taken while they are at hand, in
    the validator's worker processes."""

    packed: bytes
    digest: str

    @classmethod
    def of(cls, file: str, data: dict) -> "Written":
        return cls(marshal.dumps(data), content_digest(file, data))

    def data(self) -> dict:
        return marshal.loads(self.packed)


def content_digest(file: str, data: dict) -> str:
    """What an entry says, as a hash: the same for the same values in the same file, whatever the
    comments, quoting or key order of its YAML (incremental builds compare these)."""
    text = json.dumps([file, data], sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=lambda value: {type(value).__name__: str(value)})  # a date is not its string
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def credential_entry(cid: str, file: str, path: Path, brief: Brief, written: Written,
                     provider: ProviderEntry | None, record: Credential | None = None) -> CredentialEntry:
    provider_id, slug = cid.split("/")
    countries = brief.countries or ((provider.record.country,) if provider else ())
    return CredentialEntry(cid, provider_id, slug, file, path, brief, written, countries,
                           facets_of(brief, countries, provider_id), record)


@dataclass
class Catalogue:
    root: Path
    providers: dict[str, ProviderEntry]
    credentials: dict[str, CredentialEntry]
    stacked_from: dict[str, list[str]]  # id -> ids that stack into it, sorted
    redirects: dict[str, str]  # previous id -> current id
    counts: dict[str, dict[str, int]]  # facet -> value -> number of credentials

    @classmethod
    def of(cls, root: Path, providers: dict[str, ProviderEntry],
           credentials: dict[str, CredentialEntry]) -> "Catalogue":
        stacked_from: dict[str, list[str]] = {}
        redirects: dict[str, str] = {}
        for cred in credentials.values():
            for target in cred.brief.stacks_into:
                stacked_from.setdefault(target, []).append(cred.id)
            for old in cred.brief.previous_ids:
                redirects[old] = cred.id
        for ids in stacked_from.values():
            ids.sort()
        return cls(root, providers, credentials, stacked_from, redirects,
                   count(entry.facets for entry in credentials.values()))
