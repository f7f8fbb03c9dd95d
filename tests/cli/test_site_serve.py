"""`microcred serve`: serves the built site locally and keeps the last good site on a failed rebuild."""

from __future__ import annotations

import threading
import urllib.request
from pathlib import Path

from microcred.cli import serve
from microcred.site.l10n import LOCALE_DIR
from microcred.site.pages import TEMPLATES

from conftest import REPO, SITE_CATALOGUE, copy_catalogue


def test_serves_the_built_site_on_localhost(built_site):
    server = serve.make_server(built_site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        with urllib.request.urlopen(base + "credentials/acme-academy/cpp-java/") as response:
            assert "C++ &amp; &lt;Java&gt;" in response.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_failed_rebuild_keeps_the_last_good_site(built_site, tmp_path, capsys):
    site = copy_catalogue(built_site, tmp_path / "site")
    catalogue = copy_catalogue(SITE_CATALOGUE, tmp_path / "catalogue")
    (catalogue / "gamma-college" / "cloud-ops.yaml").write_text("title: [unclosed\n", "utf-8")
    before = (site / "index.html").read_bytes()

    assert serve.rebuild(REPO, catalogue, site) is False

    out = capsys.readouterr()
    assert "cloud-ops.yaml:2:1: error:" in out.out and "build failed" in out.err
    assert (site / "index.html").read_bytes() == before


def test_rebuilds_when_catalogue_docs_templates_or_translations_change():
    watched = serve.watched(REPO, SITE_CATALOGUE)
    assert SITE_CATALOGUE in watched and REPO / "docs" in watched and REPO / "mkdocs.yml" in watched
    assert TEMPLATES in watched
    assert LOCALE_DIR in watched  # a translator sees a changed messages.po at once
