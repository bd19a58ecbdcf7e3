"""The SDK's own connection pool keeps no cookies.

httpx stores every cookie an answer sets and sends them all with every later request,
with no limit: a server (or a proxy) setting a new 64 KB cookie on each answer makes the
thirtieth request carry a 1.9 MB ``Cookie`` header. The API authenticates with the key
alone and never needs a cookie back, so the SDK's httpx clients get a jar whose policy
accepts none (``http.cookiejar``'s own mechanism: no domain is allowed), and nothing
grows. A caller's ``http_client=`` keeps its own jar: see the README.
"""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy


def refusing_jar() -> CookieJar:
    """A cookie jar that stores nothing."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
