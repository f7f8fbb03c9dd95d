"""Where catalogue files live and what an id may be.

A credential's id is its path: `<provider-id>/<slug>`, from its folder and
file name; the provider's own file is `<provider-id>/provider.yaml`. Ids are
lowercase kebab-case, short, never a name the site's paths or some operating
system already use, and never reused.
"""

from __future__ import annotations

import re

PROVIDER_FILE = "provider.yaml"
ID_PART = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
CREDENTIAL_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_ID_PART = 64
# Names that would clash with site paths or with files on some operating systems.
RESERVED_IDS = {
    "api", "assets", "compare", "countries", "credentials", "fields", "index", "levels", "page",
    "pagefind", "providers", "schema", "search", "sectors", "workload", "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
}


def id_problem(part: str, what: str) -> str | None:
    """Why `part` (a folder or file name) cannot be an id, or None if it can."""
    if not ID_PART.match(part):
        # name a look-alike: Cyrillic 'а' in 'аcme' shows just like the ASCII letter
        odd = next((ch for ch in part if not ch.isascii()), None)
        why = f" ('{odd}' is U+{ord(odd):04X}, not an ASCII letter)" if odd else ""
        return f"{what} '{part}' is not a valid id{why}: use lowercase letters, digits and single hyphens"
    if len(part) > MAX_ID_PART:
        return f"{what} '{part}' is {len(part)} characters long; at most {MAX_ID_PART} are allowed"
    if part in RESERVED_IDS:
        return f"{what} '{part}' is a reserved name"
    return None
