"""The browse index: what Pagefind's bundle says about its pages and filters, in small files
a search without words (filters alone) reads instead of Pagefind's.

Pagefind answers a search by filters alone only after downloading its WebAssembly (72 KB)
and its metadata file, which holds a hash for every page (70 KB at 10,000 credentials,
about 700 KB at 100,000). Such a search needs neither: the pages are numbered in the order
the build gave them (title order, search.py), and that order is the search's. So after
Pagefind has written its bundle, the build re-encodes two things it holds:

- each filter, in a file of its own: for each value, the numbers of its pages;
- the pages' fragment hashes (a result's card is its fragment), in chunks of CHUNK pages,
  so that a search fetches only the chunks of the results it shows.

The search index comes in parts (parts.py), each a bundle of Pagefind's own in a folder of the
bundle folder; the browse index spans them: the pages are numbered across the parts in their
order (title order), each filter's values hold the pages of every part, and the manifest says
which part's folder holds the fragments of which pages (each part's folder and the number of its
first page).

register.js reads them (its "browse index") for every search without words and asks Pagefind
only for searches with words. The files are a pure function of Pagefind's: the same pages and
filters give the same bytes, whatever order Pagefind's own files list the filter values in
(they differ from run to run). They live in the bundle's folder; the build writes them every
build from the parts' files, made or kept:

    pagefind/browse/browse.json              the manifest (JSON; the host compresses it):
        {"format": 2, "pages": N, "chunk": CHUNK, "prefix": "en_", "folder": "<key>/",
         "parts": [["<part>/", 0], ["<part>/", 1893], ...], "filters": {"level": "filter-5.gz", ...}}
    pagefind/browse/<key>/filter-<i>.gz      a filter (i: its place among the names, sorted)
    pagefind/browse/<key>/pages-<n>.gz       the hashes of pages n*CHUNK to (n+1)*CHUNK - 1

`key` is a digest of every file's content, so a browser that cached the files of an earlier
build never mixes them with a new manifest (hosts let browsers keep files for minutes).

The .gz files are gzip-compressed here (static hosts send such files as they are):

- a filter: unsigned LEB128 numbers (7 bits a byte, low first): the number of values, then
  for each value (sorted by their UTF-8 bytes): the length of its UTF-8 text, the text, the
  number of its pages, and each page's number less the previous one's, less one (the first
  page's number itself). The gaps of a value held by every eighth page are single bytes of
  small numbers, which gzip codes in about 4.5 bits: 6 KB for a level filter at 10,000 pages,
  where Pagefind's, with each page's full number, is 22 KB (about 62 KB and 255 KB at 100,000).
- a chunk of pages: their hashes without the prefix all of them share, one a line (UTF-8):
  about 1.15 KB for 256 pages. Chunks that small keep a search whose results lie far apart
  (a rare value) from fetching whole thousands of hashes for each card.

A bundle of more than one index (Pagefind's one per language; the site has one) gets no browse
index, nor does one this module cannot read: register.js then asks Pagefind, as before.
Reading and writing take about 0.1 s at 10,000 pages.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import zlib
from pathlib import Path

FOLDER = "browse"  # below Pagefind's bundle folder
MANIFEST = "browse.json"
FORMAT = 2  # 2: the pages of several parts (search.py, parts.py)
CHUNK = 256  # pages to a chunk of hashes
SIGNATURE = b"pagefind_dcd"  # what each of Pagefind's files starts with, once decompressed
HASH = re.compile(r"[A-Za-z0-9_-]+")  # a page's hash: the name of its fragment file, a line of a chunk


class UnexpectedBundle(ValueError):
    """Pagefind's bundle is not as this module expects Pagefind 1.x to write it."""


# --- reading Pagefind's files ---------------------------------------------------------


def read_cbor(data: bytes, pos: int = 0) -> tuple[object, int]:
    """One CBOR item of `data` at `pos` and the position after it. Only what Pagefind's files
    use (serde's CBOR of its structures): integers, byte and text strings, arrays and maps of
    known length, false, true and null."""
    try:
        initial = data[pos]
    except IndexError:
        raise UnexpectedBundle("CBOR ends early") from None
    major, info = initial >> 5, initial & 31
    pos += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        if pos + size > len(data):
            raise UnexpectedBundle("CBOR ends early")
        argument = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:  # 28-30 are reserved; 31 (indefinite length, or a break) serde does not write
        raise UnexpectedBundle(f"unexpected CBOR item {initial:#04x} at {pos - 1}")
    if major == 0:
        return argument, pos
    if major == 1:
        return -1 - argument, pos
    if major in (2, 3):
        end = pos + argument
        if end > len(data):
            raise UnexpectedBundle("CBOR ends early")
        raw = bytes(data[pos:end])
        if major == 2:
            return raw, end
        try:
            return raw.decode("utf-8"), end
        except UnicodeDecodeError:
            raise UnexpectedBundle(f"a CBOR text at {pos} is not UTF-8") from None
    if major == 4:
        items = []
        for _ in range(argument):
            item, pos = read_cbor(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, pos = read_cbor(data, pos)
            mapping[key], pos = read_cbor(data, pos)
        return mapping, pos
    if major == 7 and info in (20, 21, 22):
        return (False, True, None)[info - 20], pos
    raise UnexpectedBundle(f"unexpected CBOR item {initial:#04x} at {pos - 1}")  # tags, floats


def read_pagefind_file(path: Path) -> object:
    """A file of Pagefind's (gzip, then its signature, then one CBOR item), decoded."""
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise UnexpectedBundle(f"{path.name}: {e}") from None
    if not data.startswith(SIGNATURE):
        raise UnexpectedBundle(f"{path.name}: no Pagefind signature")
    item, end = read_cbor(data, len(SIGNATURE))
    if end != len(data):
        raise UnexpectedBundle(f"{path.name}: {len(data) - end} bytes after the CBOR item")
    return item


def _list(item: object, what: str) -> list:
    if not isinstance(item, list):
        raise UnexpectedBundle(f"{what}: not an array")
    return item


def read_bundle(bundle: Path) -> tuple[list[str], dict[str, dict[str, list[int]]]]:
    """The pages' fragment hashes in Pagefind's order, and each filter's values' page numbers,
    from Pagefind's bundle (one index: one language). A UnexpectedBundle if the bundle is not of
    the shape Pagefind 1.x writes."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        languages = list(entry["languages"].values())
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as e:
        raise UnexpectedBundle(f"pagefind-entry.json: {e}") from None
    if len(languages) != 1 or not isinstance(languages[0], dict) or not isinstance(languages[0].get("hash"), str):
        raise UnexpectedBundle("pagefind-entry.json: not one index")  # the site has one (search.py)
    try:
        meta = _list(read_pagefind_file(bundle / f"pagefind.{languages[0]['hash']}.pf_meta"), "metadata")
    except OSError as e:
        raise UnexpectedBundle(str(e)) from None
    # [version, pages: [[hash, word count]], word index chunks, filters: [[name, file hash]], sorts, meta fields]
    if len(meta) < 4:
        raise UnexpectedBundle("metadata: too short")
    pages = []
    for page in _list(meta[1], "pages"):
        if not (isinstance(page, list) and page and isinstance(page[0], str) and HASH.fullmatch(page[0])):
            raise UnexpectedBundle("metadata: a page without a hash")
        pages.append(page[0])
    filters: dict[str, dict[str, list[int]]] = {}
    for listed in _list(meta[3], "filters"):
        if not (isinstance(listed, list) and len(listed) == 2 and all(isinstance(x, str) for x in listed)):
            raise UnexpectedBundle("metadata: a filter without a name and file")
        name, file = listed
        if "/" in file or file.startswith("."):
            raise UnexpectedBundle(f"metadata: unexpected filter file {file!r}")
        try:
            content = _list(read_pagefind_file(bundle / "filter" / f"{file}.pf_filter"), file)
        except OSError as e:
            raise UnexpectedBundle(str(e)) from None
        # [name, [[value, [page numbers]]]]
        if len(content) != 2 or content[0] != name:
            raise UnexpectedBundle(f"{file}: not the filter {name!r}")
        values = filters.setdefault(name, {})
        for value in _list(content[1], file):
            if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
                raise UnexpectedBundle(f"{file}: a value without a text and pages")
            numbers = _list(value[1], file)
            if not all(type(n) is int and 0 <= n < len(pages) for n in numbers):
                raise UnexpectedBundle(f"{file}: a page number out of range")
            values[value[0]] = sorted(set(numbers).union(values.get(value[0], ())))
    return pages, filters


# --- writing the browse index ---------------------------------------------------------


def _number(n: int, out: bytearray) -> None:
    """Unsigned LEB128."""
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def encode_filter(values: dict[str, list[int]]) -> bytes:
    out = bytearray()
    _number(len(values), out)
    for value in sorted(values, key=lambda v: v.encode("utf-8")):
        text = value.encode("utf-8")
        _number(len(text), out)
        out += text
        pages = values[value]
        _number(len(pages), out)
        previous = -1
        for page in pages:
            _number(page - previous - 1, out)
            previous = page
    return bytes(out)


def decode_filter(data: bytes) -> dict[str, list[int]]:
    """encode_filter's inverse (register.js has its own; this one is for tests)."""
    pos = 0

    def number() -> int:
        nonlocal pos
        n = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            n |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return n

    values = {}
    for _ in range(number()):
        size = number()
        value = data[pos:pos + size].decode("utf-8")
        pos += size
        pages, page = [], -1
        for _ in range(number()):
            page += number() + 1
            pages.append(page)
        values[value] = pages
    return values


def common_prefix(texts: list[str]) -> str:
    if not texts:
        return ""
    return os.path.commonprefix([min(texts), max(texts)])


def browse_files(pages: list[str], filters: dict[str, dict[str, list[int]]],
                 parts: list[tuple[str, int]] = ()) -> tuple[dict, dict[str, bytes]]:
    """The manifest (without its folder) and the files (name: uncompressed bytes). `parts`: each
    part's folder and its first page's number."""
    prefix = common_prefix(pages)
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    for i, name in enumerate(sorted(filters, key=lambda n: n.encode("utf-8"))):
        names[name] = f"filter-{i}.gz"
        files[names[name]] = encode_filter(filters[name])
    for n, start in enumerate(range(0, len(pages), CHUNK)):
        files[f"pages-{n}.gz"] = "\n".join(page[len(prefix):] for page in pages[start:start + CHUNK]).encode("utf-8")
    manifest = {"format": FORMAT, "pages": len(pages), "chunk": CHUNK, "prefix": prefix,
                "parts": [[folder, first] for folder, first in parts], "filters": names}
    return manifest, files


def read_parts(folders: list[tuple[str, Path]], known: dict | None = None
               ) -> tuple[list[str], dict[str, dict[str, list[int]]], list[tuple[str, int]]]:
    """The pages and filters of the parts' bundles (name, where its files are) as one index: pages
    numbered across the parts in their order, each part's starting where the one before ends.

    `known`: what earlier builds read of each part, by part name (its entry file's bytes, its pages
    and filters), used while the entry file is the same; it gets what is read now. Reading
    Pagefind's CBOR of 48 parts took a second of every rebuild at 100,000 credentials."""
    pages: list[str] = []
    filters: dict[str, dict[str, list[int]]] = {}
    starts = []
    for name, folder in folders:
        entry = (folder / "pagefind-entry.json").read_bytes()
        before = known.get(name) if known is not None else None
        if before is not None and before[0] == entry:
            part_pages, part_filters = before[1:]
        else:
            part_pages, part_filters = read_bundle(folder)
            if known is not None:
                known[name] = (entry, part_pages, part_filters)
        offset = len(pages)
        starts.append((f"{name}/", offset))
        pages += part_pages
        for filter_name, values in part_filters.items():
            merged = filters.setdefault(filter_name, {})
            for value, numbers in values.items():
                merged.setdefault(value, []).extend(offset + n for n in numbers)
    return pages, filters, starts


def write_browse_index(bundle: Path, parts: list[tuple[str, Path]] | None = None, known: dict | None = None) -> bool:
    """Write bundle/browse/ from Pagefind's files of the parts (their folder below `bundle`, and
    where their files are; by default each part listed in bundle/parts.json, read in `bundle`),
    replacing any there; False, and nothing written, when they are not what Pagefind 1.x writes
    (register.js then asks Pagefind). `known`: see read_parts."""
    folder = bundle / FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    try:
        if parts is None:
            listed = json.loads((bundle / "parts.json").read_text("utf-8"))["parts"]
            parts = [(name.rstrip("/"), bundle / name.rstrip("/")) for name in listed]
        pages, filters, starts = read_parts(parts, known)
    except (UnexpectedBundle, OSError, ValueError, KeyError, TypeError):
        return False
    manifest, files = browse_files(pages, filters, starts)
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode("utf-8"))
    for name in sorted(files):
        digest.update(f"\0{name}\0{len(files[name])}\0".encode("utf-8"))
        digest.update(files[name])
    key = digest.hexdigest()[:12]
    (folder / key).mkdir(parents=True)
    for name, content in files.items():
        # mtime 0: the same content, the same bytes (incremental builds compare them)
        (folder / key / name).write_bytes(gzip.compress(content, compresslevel=9, mtime=0))
    manifest["folder"] = f"{key}/"
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    return True
