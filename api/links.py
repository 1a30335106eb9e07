"""HTTP ``Link`` headers of paged responses (RFC 8288)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote


def link_next(url: Any, cursor: str | None, *, raw_path: bytes | None = None) -> dict[str, str]:
    """An RFC 8288 ``Link`` header to the same request with ``cursor`` (empty when there is none).

    ``url`` is the request's ``starlette.datastructures.URL``; ``raw_path`` the path as the client sent
    it (the ASGI scope's ``raw_path``). The link's path is that one, not the decoded ``url.path``: a
    segment named ``a%2Fb`` (sent as ``a%252Fb``) must not come back as ``a/b``, and a name outside
    Latin-1 (``中文``) is percent-encoded, since a header value is Latin-1 only.
    """
    if not cursor:
        return {}
    path = raw_path if raw_path is not None else url.path.encode("utf-8")
    encoded = quote(path, safe=_PATH_SAFE)  # keeps the client's %XX escapes, encodes any other byte
    return {"Link": f'<{url.replace(path=encoded).include_query_params(cursor=cursor)}>; rel="next"'}


_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
"""Characters RFC 3986 allows in a path as they are (``%`` too: the escapes the client already made)."""
