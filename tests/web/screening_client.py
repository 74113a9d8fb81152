"""The screening routes over the bundled build, in an app of their own, asked in process."""

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI

from kg.config import Settings
from kg.screen import open_index
from kg.site.render import environment

HIKVISION = "https://w3id.org/entitylist-kg/id/org/hangzhou-hikvision-digital-technology-co-ltd"


class AppClient:
    """Requests straight into the app (Starlette's TestClient warns about its httpx)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def get(self, url: str, **options: Any) -> httpx.Response:
        return asyncio.run(self._send("GET", url, **options))

    def post(self, url: str, **options: Any) -> httpx.Response:
        return asyncio.run(self._send("POST", url, **options))

    async def _send(self, method: str, url: str, **options: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, url, **options)


def screening_client(built: Path, router: APIRouter, *, loaded: bool = True) -> AppClient:
    """An app with one screening router over a build, its index loaded (or not yet)."""
    settings = Settings(out_dir=built)
    app = FastAPI()
    app.state.kg = SimpleNamespace(
        settings=settings,
        templates=environment(settings.base_iri),
        screening=open_index(built) if loaded else None,
    )
    app.include_router(router)
    return AppClient(app)
