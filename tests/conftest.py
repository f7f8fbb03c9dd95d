"""Shared fixtures."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import sys
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def tool(name: str):
    """A script of tools/ as a module (they are not part of the package)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # before running it: dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    # Review-date warnings depend on "today"; pin it so golden files stay true.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", os.environ.get("TEST_SOURCE_DATE_EPOCH", "1790000000"))


# --- the built site (tests/test_site_*.py, tests/test_browser_*.py) ---------------------
# Building a site takes seconds, so each fixture site is built once per session and shared.

SITE_CATALOGUE = FIXTURES / "site-catalogue"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The site of the bundled example catalogue (catalogue/), built once."""
    from microcred.build import build

    out = tmp_path_factory.mktemp("example-build") / "site"
    build(REPO, REPO / "catalogue", out, out=open(os.devnull, "w"))
    return out


@pytest.fixture(scope="module")
def example_site_url(example_site):
    """The example catalogue's site served on 127.0.0.1 while a module's tests run (its thread ends
    with them: the validator's workers fork only in a process without other threads)."""
    with serving(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site of tests/fixtures/site-catalogue, built once."""
    from microcred.build import build

    out = tmp_path_factory.mktemp("site-build") / "site"
    build(REPO, SITE_CATALOGUE, out)
    return out


HOSTILE_CATALOGUE = FIXTURES / "hostile" / "accepted" / "catalogue"


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> tuple[Path, Path]:
    """The site of the hostile-but-valid catalogue, built once into <tmp>/out: (tmp, out)."""
    from microcred.build import build

    tmp = tmp_path_factory.mktemp("hostile-build")
    build(REPO, HOSTILE_CATALOGUE, tmp / "out", out=open(os.devnull, "w"))
    return tmp, tmp / "out"


@pytest.fixture(scope="session")
def hostile_site(hostile_build) -> Path:
    return hostile_build[1]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


# The server and the browser live for one test module, not the session: their threads
# would otherwise still run during later modules (the validator forks workers only
# while the process has a single thread).
@pytest.fixture(scope="module")
def site_url(built_site) -> str:
    """The built fixture site served on 127.0.0.1 (a random free port)."""
    with serving(built_site) as url:
        yield url


@contextlib.contextmanager
def serving(folder: Path):
    """Serve a folder on 127.0.0.1 (a random free port) while the block runs; the thread is joined after."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _local_only(site_url, folder: Path | None = None):
    """Tests never touch the network: anything not from the local server is refused. The site's
    own published address (mkdocs.yml site_url) is the local server's too when `folder`, the
    built site, is given: pages name it in their hreflang links, and mkdocs-material's language
    menu reads the sitemap.xml at each of them (in production, the site's own host)."""
    from microcred.settings import load_settings

    published = load_settings(REPO).site_url

    def route(r):
        url = r.request.url
        if url.startswith(site_url):
            return r.continue_()
        if folder is not None and url.startswith(published):
            path = folder / url[len(published):].split("?")[0].split("#")[0]
            path = path / "index.html" if path.is_dir() else path
            return r.fulfill(path=str(path)) if path.is_file() else r.fulfill(status=404, body="")
        return r.abort()
    return route


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context()
    context.route("**/*", _local_only(site_url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def local_pages(browser):
    """open_page(url, folder, path, before=…): a page of the site built in `folder` and served at
    `url`, in a browser context of its own that reaches no other host, with the list of every URL
    the context requested (the page's and its workers'). JavaScript errors fail the test."""
    contexts, errors = [], []

    def open_page(url: str, folder: Path, path: str, before=None):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.route("**/*", _local_only(url, folder))
        requested: list[str] = []
        context.on("request", lambda r: requested.append(r.url))
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        if before:
            before(page)
        page.goto(url + path)
        return page, requested

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def nojs_page(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    context.route("**/*", _local_only(site_url))
    yield context.new_page()
    context.close()


def copy_catalogue(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


@pytest.fixture
def sources(tmp_path) -> Path:
    """A register of our own: the example catalogue, docs and settings, free to edit (sitetree.py)."""
    from sitetree import register_copy

    return register_copy(tmp_path / "register")
