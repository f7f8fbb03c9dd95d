"""The search index in parts: runs of the credential pages in title order, each indexed on its own.

Pagefind cannot add a page to an index it made; a part can be made again alone.
So a changed entry costs the index of its part (about PART_SIZE pages), not of
the whole catalogue, and Pagefind's memory is that of one part at a time. The
browser merges the parts (Pagefind's mergeIndex) for a search by words; a
search by filters alone reads them in order, which is the title order.

Where a part ends depends only on the pages themselves (content-defined
chunking, as rsync and backup tools cut files): once a part has half of
PART_SIZE pages, after a page whose address hashes to 0 modulo the other half,
or after MAX_PARTS times PART_SIZE pages. So parts have PART_SIZE pages on
average, at least half as many (without that floor, sizes spread from a few
pages to eight times the average). An added or removed entry changes its own
part only (or the next one too, where it moves a cut), and a clean build and an
incremental one cut the same parts.

PART_SIZE weighs a rebuild against a search with words: a changed entry costs
the index of one part (Pagefind takes about 2.5 ms a page here: 5 s for 2,000),
while a search with words fetches each part's entry file and metadata, and a
chunk of each part's word index per word (50 parts at 100,000 credentials).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

PART_SIZE = 2_000  # pages a part has on average: Pagefind indexes one in about 5 s here
MAX_PARTS = 3  # a part has at most this many times PART_SIZE pages (Pagefind: 15 s)


@dataclass
class Part:
    name: str  # its folder in the bundle: named after its first page, so it keeps its name
    pages: list[str]  # site-relative HTML files, in title order


def _hash(page: str) -> int:
    return int.from_bytes(hashlib.blake2b(page.encode("utf-8"), digest_size=8).digest(), "big")


def split(pages: list[str], size: int | None = None) -> list[Part]:
    """The parts of `pages` (in the order search lists them), each a run of that order; `size`
    pages to a part on average (PART_SIZE, read at the call: tests make it small)."""
    size = size or PART_SIZE
    least = max(1, size // 2)
    spread = max(1, size - least)  # after the least, a cut at every spread-th page on average
    parts: list[Part] = []
    run: list[str] = []
    for page in pages:
        run.append(page)
        if (len(run) >= least and _hash(page) % spread == 0) or len(run) >= MAX_PARTS * size:
            parts.append(_part(run))
            run = []
    if run or not parts:
        parts.append(_part(run))
    return parts


def _part(pages: list[str]) -> Part:
    first = pages[0] if pages else ""
    return Part(hashlib.blake2b(first.encode("utf-8"), digest_size=5).hexdigest(), list(pages))
