"""The checked catalogue: what every later stage (pages, open data, diff) reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..contract.models import Credential, Provider


@dataclass
class ProviderEntry:
    id: str
    file: str  # as shown in messages
    path: Path
    record: Provider
    data: dict  # the values exactly as written


@dataclass
class CredentialEntry:
    id: str
    provider_id: str
    slug: str
    file: str
    path: Path
    record: Credential
    data: dict  # the values exactly as written

    @property
    def countries(self) -> list[str]:
        return list(self.record.countries)


@dataclass
class Catalogue:
    root: Path
    providers: dict[str, ProviderEntry]
    credentials: dict[str, CredentialEntry]
    stacked_from: dict[str, list[str]] = field(default_factory=dict)  # id -> ids that stack into it
    redirects: dict[str, str] = field(default_factory=dict)  # previous id -> current id

    def __post_init__(self):
        for cred in self.credentials.values():
            if not cred.record.countries:  # default: where the provider is
                provider = self.providers.get(cred.provider_id)
                if provider:
                    cred.record = cred.record.model_copy(update={"countries": [provider.record.country]})
            for target in cred.record.stackability.stacks_into if cred.record.stackability else []:
                self.stacked_from.setdefault(target, []).append(cred.id)
            for old in cred.record.previous_ids:
                self.redirects[old] = cred.id
        for ids in self.stacked_from.values():
            ids.sort()

    def credentials_of(self, provider_id: str) -> list[CredentialEntry]:
        return [c for c in self.credentials.values() if c.provider_id == provider_id]
