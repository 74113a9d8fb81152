"""/docs: the API documentation, with Swagger UI from the installed package, not a CDN.

FastAPI's own /docs page loads Swagger UI from a CDN (blank offline) and starts it with an
inline script, which the Content-Security-Policy forbids. This page loads the files of the
swagger-ui-bundle package and starts them with a script file of the site.
"""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs/assets"

router = APIRouter(include_in_schema=False)

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Entity List Knowledge Graph: API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
@router.head("/docs", include_in_schema=False)
async def docs() -> HTMLResponse:
    return HTMLResponse(PAGE)


def assets() -> StaticFiles:
    """The Swagger UI files, to be mounted at ASSETS."""
    return StaticFiles(directory=swagger_ui_path)
