"""/dumps/: the dump files of the build, and their list.

A gzipped dump is a gzip file: it is served as application/gzip, so that no client takes
its bytes for N-Quads or Turtle (the uncompressed files are beside it).
"""

import mimetypes
import os
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from kg.publish import checksums
from kg.publish.files import CHECKSUMS
from kg.web.protocol import best_match
from kg.web.state import state

router = APIRouter(tags=["Dumps"])


class DumpFiles(StaticFiles):
    """The dumps folder, with the media type of each file as a file (gzip for .gz), and
    SHA256SUMS as text."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404:
                raise
            # "Not Found" alone, for a name mistyped (trial 25): which, and where they are.
            said = f"this build has no dump file {path!r}: /dumps/ lists them"
            raise HTTPException(404, said) from error

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        name = Path(full_path).name
        if name.endswith(".gz") or name == CHECKSUMS:
            response.headers["content-type"] = _media_type(name)
        return response


@router.api_route("/dumps/", methods=["GET", "HEAD"], summary="The dump files of this build")
async def listing(request: Request) -> Response:
    """JSON (name, media type, size, SHA-256 of each file); browsers go to the downloads page."""
    app = state(request)
    wants = best_match(
        request.headers.get("accept"), [("application/json", "json"), ("text/html", "html")]
    )
    if wants == "html" and app.site_dir is not None:
        return RedirectResponse("/downloads/", status_code=303)
    return JSONResponse({"files": _files(app.dumps_dir)})


def _files(folder: Path) -> list[dict[str, Any]]:
    """Every file SHA256SUMS lists (SHA256SUMS itself aside), as the listing shows it."""
    return [
        {
            "name": name,
            "url": f"/dumps/{name}",
            "mediaType": _media_type(name),
            "bytes": (folder / name).stat().st_size,
            "sha256": digest,
        }
        for name, digest in sorted(checksums.read(folder).items())
    ]


def _media_type(name: str) -> str:
    if name.endswith(".gz"):
        return "application/gzip"
    if name == CHECKSUMS:
        return "text/plain; charset=utf-8"  # sha256sum's lines, to read (it was a download)
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
