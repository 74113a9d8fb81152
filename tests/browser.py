"""Headless Chromium (Debian's) driven by Selenium, and the npm tools the page tests run."""

import os
import shutil
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent / "tools" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


def need(*things: tuple[str, bool]) -> None:
    """Skip when a tool is missing, unless KG_REQUIRE_BROWSER says the run must have it (CI)."""
    missing = [name for name, present in things if not present]
    if missing:
        message = f"missing {', '.join(missing)}: run `make tools` (installs them)"
        if os.environ.get("KG_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def chromium_present() -> tuple[str, bool]:
    return (
        "chromium and chromedriver",
        bool(shutil.which("chromium") and shutil.which("chromedriver")),
    )
