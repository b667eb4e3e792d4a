"""A headless Chromium page for the browser tests, and their screenshots.

Playwright drives Debian's Chromium (``scripts/ensure-test-tools`` installs it; no
browser is ever downloaded). Every request that is not to 127.0.0.1 is aborted.
Screenshots land in ``test-artifacts/browser/`` at the repository root.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

from jupyter_servers import HOST, JupyterServer
from playwright.sync_api import Page, Route, sync_playwright

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACT_DIR = REPO_ROOT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def chromium_page() -> Iterator[Page]:
    """A headless Debian Chromium page that can reach nothing but 127.0.0.1."""
    assert CHROMIUM.is_file(), (
        f"Debian's Chromium is missing at {CHROMIUM}; run scripts/ensure-test-tools "
        "(or `make test`, which runs it) to install it with apt-get."
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", _allow_only_loopback)
            yield context.new_page()
        finally:
            browser.close()


def _allow_only_loopback(route: Route) -> None:
    # No internet here, and Voila's template asks a CDN for fonts: fail those fast.
    if urlsplit(route.request.url).hostname == HOST:
        route.continue_()
    else:
        route.abort()


@contextmanager
def evidence_on_failure(page: Page, server: JupyterServer, name: str) -> Iterator[None]:
    """On failure, keep a screenshot of the page and show the end of the server's log."""
    try:
        yield
    except BaseException:
        with suppress(Exception):
            save_screenshot(page, f"{name}-failure")
        print(f"Server log ({server.log_path}):\n{server.log_tail()}")
        raise


def save_screenshot(page: Page, name: str) -> Path:
    ARTIFACT_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print(f"Screenshot: {path}")
    return path
