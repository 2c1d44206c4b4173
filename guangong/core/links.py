"""Links built from what a request names: only Guangong's own pages, never another site.

A path taken from a query string and written into a page (``href="{{ base }}?org=…"``) is an
open redirect waiting to happen: ``/\\evil.example/`` or ``//evil.example/`` is another host to
a browser. ``own_page`` accepts only a path that resolves to one of the project's URL names and
returns it rebuilt by ``reverse`` from that name, so what reaches the page is always a path the
project itself produced.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, Resolver404, ResolverMatch, resolve, reverse


def own_page(raw: str, accept: Callable[[ResolverMatch], bool] | None = None) -> str | None:
    """``raw`` as the path of one of the project's pages (``accept``-ed, if given), or None."""
    if not raw or not raw.startswith("/") or raw.startswith("//"):
        return None
    if "\\" in raw or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
        return None
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if not match.view_name or (accept is not None and not accept(match)):
        return None
    try:
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return None


def view_class(match: ResolverMatch):
    """The class of a resolved class-based view (None for a function view)."""
    return getattr(match.func, "view_class", None)
