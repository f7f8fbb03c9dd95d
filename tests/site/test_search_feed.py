"""What the build hands Pagefind's indexing service, and what it accepts back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.site.search import _bundle_path, body_tag, indexed_part

PAGE = ('<!doctype html><html lang="de" class="no-js"><head><title>About data-pagefind-body</title>'
        '<script>var theme = 1;</script></head><body><nav>Menu</nav>'
        '<div class="mc-credential" data-pagefind-body data-id="a/b"><h1>Schweißen</h1>'
        '<script type="application/ld+json">{"name": "Schweißen"}</script><p>Text</p></div>'
        '<footer>Footer</footer><script src="bundle.js"></script></body></html>')


def test_pagefind_gets_the_language_and_the_body_without_scripts():
    part = indexed_part(PAGE)
    assert part.startswith('<html lang="de" class="no-js"><div class="mc-credential" data-pagefind-body')
    assert "Menu" not in part and "About" not in part  # the head and navigation before the body
    assert "<h1>Schweißen</h1>" in part and "<p>Text</p>" in part
    assert "<script" not in part and "ld+json" not in part


def test_a_page_without_the_marker_goes_whole():
    page = '<html lang="en"><body><p>data-pagefind-body, as words</p></body></html>'
    assert indexed_part(page) == page


# what body_tag finds, as a pattern: the attribute inside a tag, not the words in some text
BODY_TAG = re.compile(r"<[^<>]*\sdata-pagefind-body[\s>=]")
PIECES = ["<", ">", " ", "\n", "\xa0", "=", '"', "x", "div", "data-pagefind-body", "data-pagefind-bodyx", "-"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24))
def test_the_body_tag_is_found_where_the_pattern_finds_it(pieces):
    page = "".join(pieces)
    match = BODY_TAG.search(page)
    assert body_tag(page) == (match.start() if match else -1)


@pytest.mark.parametrize("path", ["../outside.js", "/etc/passwd", "fragment/../../x", ""])
def test_files_from_pagefind_stay_inside_its_folder(path):
    with pytest.raises(ValueError):
        _bundle_path(path)


def test_files_from_pagefind_keep_their_folders():
    assert _bundle_path("fragment/en_1234567.pf_fragment") == Path("fragment", "en_1234567.pf_fragment")
