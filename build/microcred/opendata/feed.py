"""feed.json: a JSON Feed 1.1 of the latest additions, changes and withdrawals.

Each event is one item, so a reader sees a change as news rather than as a
silent update of an old item. Item ids are stable: `<id>#added`,
`<id>#withdrawn`, and `<id>#changed-<date>` for the latest change.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..catalogue.history import rfc3339
from .records import display_text

FEED_VERSION = "https://jsonfeed.org/version/1.1"
MAX_ITEMS = 200


def _events(record: dict) -> list[tuple[str, datetime, str]]:
    """(kind, date, item id) of what happened to one credential."""
    cid = record["id"]
    added, modified = (datetime.fromisoformat(record["history"][k]) if record["history"][k] else None
                       for k in ("added", "modified"))
    # a credential with no known date (no git history, no date in the record) is not news
    events = [("added", added, f"{cid}#added")] if added else []
    if record["status"] == "withdrawn":
        # the record's own date: when it stopped being offered (its last commit is usually that change)
        day = datetime.fromisoformat(record["withdrawn_on"]).replace(tzinfo=timezone.utc)
        events.append(("withdrawn", day, f"{cid}#withdrawn"))
    elif modified and (added is None or modified > added):
        events.append(("changed", modified, f"{cid}#changed-{rfc3339(modified)}"))
    return events


def _facts(record: dict) -> str:
    w = record["workload"]
    workload = f"{w['ects']:g} ECTS" if w.get("ects") is not None else f"{w['hours']:g} hours"
    return (f"EQF {record['level']['eqf']}, {workload}, {record['participation']}, "
            f"{', '.join(record['languages'])}")


def _summary(kind: str, record: dict, title: str, provider: str) -> str:
    if kind == "added":
        text = f"{provider} added “{title}” ({_facts(record)})."
    elif kind == "changed":
        text = f"{provider} updated “{title}” ({_facts(record)}); status: {record['status']}."
    else:
        text = f"{provider} withdrew “{title}” on {record['withdrawn_on']}."
        note = display_text(record.get("status_note"), record["languages"])
        if note:
            text += f" {note}"
    if kind == "added" and record.get("previous_ids"):
        text += f" Formerly {', '.join(record['previous_ids'])}."
    return text


def feed_items(record: dict) -> list[dict]:
    """The feed's items of one credential: its addition, its latest change or its withdrawal."""
    items = []
    name = display_text(record["title"], record["languages"])
    provider = display_text(record["provider"]["name"], record["languages"])
    modified = record["history"]["modified"]
    for kind, when, item_id in _events(record):
        summary = _summary(kind, record, name, provider)
        items.append({
            "id": item_id,
            "url": record["urls"]["page"],
            "external_url": record["urls"]["api"],
            "title": f"{kind.capitalize()}: {name}",
            "summary": summary,
            "content_text": summary,
            "date_published": rfc3339(when),
            "date_modified": max(rfc3339(when), modified or ""),
            "language": record["languages"][0],
            "authors": [{"name": provider, "url": record["provider"]["page"]}],
            "tags": [kind, record["status"], record["facets"]["level"]],
            "_register": {"event": kind, "credential_id": record["id"], "record": record["urls"]["api"]},
        })
    return items


class Latest:
    """The newest MAX_ITEMS items of the records added one by one: never every item at once.

    A credential whose record was not made (an incremental build keeps its collections' text,
    collections.py) is added by its items' dates and ids alone; `newest` asks for its record only
    if one of its items is among the newest.
    """

    def __init__(self):
        self.items: list[tuple[str, str, str, dict | None]] = []  # (date published, item id, credential, item)

    def add(self, record: dict) -> list[tuple[str, str]]:
        """Add a record's items; returns their (date published, item id)."""
        items = feed_items(record)
        self._add([(item["date_published"], item["id"], record["id"], item) for item in items])
        return [(item["date_published"], item["id"]) for item in items]

    def add_known(self, cid: str, events: list[tuple[str, str]]) -> None:
        """Add a credential's items by their (date published, item id)."""
        self._add([(published, item_id, cid, None) for published, item_id in events])

    def _add(self, items: list) -> None:
        self.items += items
        if len(self.items) > 4 * MAX_ITEMS:
            self.items = self._newest()

    def _newest(self) -> list:
        # newest first; the id breaks ties so the order never depends on the input's
        items = sorted(self.items, key=lambda i: i[1])
        items.sort(key=lambda i: i[0], reverse=True)
        return items[:MAX_ITEMS]

    def newest(self, record_of=None) -> list[dict]:
        """The newest items; `record_of(cid)` makes the record of a credential added by dates alone."""
        made: dict[str, dict] = {}
        out = []
        for _published, item_id, cid, item in self._newest():
            if item is None:
                if cid not in made:
                    made[cid] = {i["id"]: i for i in feed_items(record_of(cid))}
                item = made[cid][item_id]
            out.append(item)
        return out


def feed(records: list[dict], title: str, home: str, feed_url: str, language: str) -> dict:
    latest = Latest()
    for record in records:
        latest.add(record)
    return feed_of(latest, title, home, feed_url, language)


def feed_of(latest: Latest, title: str, home: str, feed_url: str, language: str, record_of=None) -> dict:
    return {
        "version": FEED_VERSION,
        "title": f"{title}: latest changes",
        "home_page_url": home,
        "feed_url": feed_url,
        "description": "Micro-credentials added, changed and withdrawn in the register, newest first.",
        "language": language,
        "items": latest.newest(record_of),
    }
