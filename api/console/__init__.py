"""The web console and the API docs, served by Rapport itself from files packaged with it.

- ``/`` redirects to ``/console``, the single page of the console (``static/index.html``); its
  JavaScript modules and stylesheet are under ``/console/static``. The console is a client of the
  public ``/v1`` API only: it holds the API key in the tab's ``sessionStorage`` and sends it as
  ``Authorization: Bearer``. See docs/console.md.
- ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) load their scripts from ``/console/static/vendor``,
  vendored from npm at pinned versions (``api/console/npm``), never from a CDN: they work offline.

Every console page is sent with a ``Content-Security-Policy`` that allows only this origin, so the
browser itself refuses a request off the machine.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/console/static"
VENDOR_URL = f"{STATIC_URL}/vendor"
CONSOLE_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def install_console(app: FastAPI) -> None:
    """Add the console page, its static files, and self-hosted ``/docs`` and ``/redoc`` to ``app``."""
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="console-static")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/console", status_code=307)

    @app.get("/console", include_in_schema=False)
    async def console_page() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "index.html",
            media_type="text/html",
            headers={"Content-Security-Policy": CONSOLE_CSP, "Cache-Control": "no-cache"},
        )

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} — API docs",
            swagger_js_url=f"{VENDOR_URL}/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR_URL}/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{VENDOR_URL}/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": False},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} — API reference",
            redoc_js_url=f"{VENDOR_URL}/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{VENDOR_URL}/swagger-ui/favicon-32x32.png",
            with_google_fonts=False,
        )
