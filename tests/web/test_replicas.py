"""Two `kg serve` replicas of one build behind HAProxy, the set-up the README shows.

The configuration is the README's, with loopback ports of this run: what a user copies is
what is tested. HAProxy comes from Debian (`.ci/system-packages` installs it in CI).
"""

import contextlib
import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import PROJECT, free_port, serving

HAPROXY = shutil.which("haproxy") or next(
    (p for p in ("/usr/sbin/haproxy",) if Path(p).is_file()), None
)
pytestmark = pytest.mark.skipif(
    HAPROXY is None, reason="haproxy is not installed (apt-get install haproxy; CI installs it)"
)
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/Organization> }"


def readme_config(front: int, one: int, two: int) -> str:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```haproxy\n(.*?)```", text, re.DOTALL)
    assert found is not None, "the README shows no HAProxy configuration"
    ports = {"8080": front, "8001": one, "8002": two}
    return re.sub(r"127\.0\.0\.1:(8080|8001|8002)", lambda m: f"127.0.0.1:{ports[m[1]]}", found[1])


@contextlib.contextmanager
def haproxy(config: Path, url: str, names: set[str]) -> Iterator[subprocess.Popen[bytes]]:
    """HAProxy in the foreground on config, until both replicas answered through it."""
    assert HAPROXY is not None
    check = subprocess.run([HAPROXY, "-c", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with config.with_suffix(".log").open("wb") as log:
        process = subprocess.Popen([HAPROXY, "-db", "-f", str(config)], stderr=log, stdout=log)
    try:
        seen: set[str] = set()
        deadline = time.monotonic() + 30
        while seen != names:
            assert time.monotonic() < deadline, f"haproxy never reached both replicas: {seen}"
            with contextlib.suppress(httpx.HTTPError):
                seen.add(httpx.get(f"{url}/health", timeout=2).headers.get("KG-Replica", ""))
            seen &= names
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_two_replicas_serve_one_build_and_either_may_go(built: Path, tmp_path: Path) -> None:
    one, two, front = free_port(), free_port(), free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(readme_config(front, one, two), encoding="utf-8")
    url = f"http://127.0.0.1:{front}"
    with contextlib.ExitStack() as replica_one, contextlib.ExitStack() as rest:
        first = replica_one.enter_context(serving(built, "--per-client", "4", port=one))
        rest.enter_context(serving(built, "--per-client", "4", port=two))
        rest.enter_context(haproxy(config, url, {"one", "two"}))
        replicas: Counter[str] = Counter()
        answers = set()
        for _ in range(20):
            answer = httpx.get(f"{url}/sparql", params={"query": QUERY, "format": "csv"})
            assert answer.status_code == 200
            replicas[answer.headers["KG-Replica"]] += 1
            answers.add(answer.text)
        assert set(replicas) == {"one", "two"}, replicas
        assert len(answers) == 1 and int(answers.pop().split()[1]) > 10
        builds = {httpx.get(f"{u}/health").json()["build"] for u in (first, f"{url}")}
        assert len(builds) == 1  # the same build, by its SHA256SUMS
        page = httpx.get(f"{url}/id/person/wilbur-ross", headers={"Accept": "text/turtle"})
        assert page.status_code == 200 and "Wilbur" in page.text
        replica_one.close()  # replica one stops; the proxy's checks take it out
        after = [httpx.get(f"{url}/sparql", params={"query": QUERY}) for _ in range(10)]
        assert {a.status_code for a in after} == {200}
        assert {a.headers["KG-Replica"] for a in after[-5:]} == {"two"}
