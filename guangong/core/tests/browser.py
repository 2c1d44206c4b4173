"""Shared Playwright fixtures for real-browser tests (Debian's Chromium, headless).

A browser test module uses them with::

    pytest_plugins = ["guangong.core.tests.browser"]
    pytestmark = pytest.mark.browser

(not by importing the fixtures, which pytest would then not assertion-rewrite and ruff would
report as redefined) and takes ``page`` (a fresh zh-CN, desktop-sized page per test, console
errors and CSP violations collected on ``page.problems``), ``new_page(**context_options)`` for
other viewports and locales, and ``screenshots``, the directory to save screenshots in. The
pages talk to pytest-django's ``live_server``. ``seeded_activity_types`` puts back the built-in
activity types; ``log_in``, ``PHONE`` and ``assert_fits`` are imported from here.
"""

import os
import re
import shutil
import tempfile
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from guangong.accounts.tests.factories import PASSWORD

CHROMIUM = os.environ.get("GUANGONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 10_000

# Runs in every document before the page's own scripts: a CSP violation fires a DOM event, which
# is handed to the test through the binding that ``new_page`` exposes.
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__ggReportCsp(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where browser tests leave screenshots for a human to look at (never committed)."""
    path = Path(os.environ.get("GUANGONG_SCREENSHOTS", Path(tempfile.gettempdir()) / "guangong"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make system` or `apt-get install chromium`",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API drives its own asyncio event loop from this (the test) thread, so
    # for as long as it runs, Django's async-safety check sees a running loop here and every
    # ORM call made by a test or fixture raises SynchronousOnlyOperation. Nothing is actually
    # concurrent: the loop only runs while a Playwright call blocks the thread. The live
    # server answers in its own thread, which this does not touch. Module scope (rather than
    # session) keeps the override, and the loop, from leaking into non-browser tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Factory: a page in a fresh context (own cookies) aimed at the live server.

    Each page gets ``problems``, a list of console errors, uncaught exceptions and CSP
    violations seen so far, for tests to assert empty.
    """
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "zh-CN")
        options.setdefault("timezone_id", "Asia/Shanghai")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems: list[str] = []
        page.problems = problems
        page.expose_function("__ggReportCsp", lambda text: problems.append(f"CSP: {text}"))
        page.add_init_script(REPORT_CSP)
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console.{msg.type}: {msg.text} ({page.url})")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc} ({page.url})"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


#: The dictionaries' migration that seeds the built-in items.
SEEDING = "guangong.dicts.migrations.0001_squashed_0004_care_items"


def seed() -> None:
    """Put back the built-in dictionary items the migration seeds (an earlier transactional
    test may have flushed them)."""
    editor = SimpleNamespace(connection=connection)
    import_module(SEEDING).seed(apps, editor)


@pytest.fixture
def seeded_activity_types(transactional_db):
    """The built-in activity types, in the committed database the live server reads."""
    seed()


def log_in(page, user, password: str = PASSWORD) -> None:
    """Log ``user`` in through the login page, and wait until a page names them as the
    current user (in the navigation, folded away or not)."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.get_by_label(re.compile("用户名|Username")).fill(user.username)
    page.get_by_label(re.compile("密码|Password")).fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-user")).to_contain_text(str(user))


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits(page, what: str, width: int = PHONE["width"], slack: int = 1) -> None:
    """Nothing pushes the page sideways past ``width`` (``slack`` pixels of rounding allowed)."""
    wide = scroll_width(page)
    assert wide <= width + slack, f"{what} scrolls sideways: {wide}px wide"
