"""kg build --out: a build replaces only what it made, and a killed build leaves nothing behind.

Every test runs the real command on real folders; a refused build must exit non-zero, say which
path and why, and leave every file as it was.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_build import store_digest

from conftest import PROJECT, copy_tree, run_kg
from kg import build as build_module
from kg import cli
from kg.publish import staging as output
from kg.publish.files import STORE
from kg.publish.staging import MARKER, MARKER_TEXT, is_build

REFUSED_BEFORE_WORK = "reading sources"  # the first stage a build logs

# A build whose resource pages take 0.2 s each (half a minute for the bundled data), rendered
# by one process or two forked ones: time enough to catch a build in the middle of its work,
# and for its render processes to go on writing, were they to outlive it.
SLOW_BUILD = """
import os, sys, time
from kg.site import writer as site
from kg.cli import main

out, mode = sys.argv[1:]
# Forked: three shares, the build's own process rendering one, so two render processes.
site.FORK_ABOVE, site.MAX_WORKERS = (0, 3) if mode == "fork" else (10**9, 1)
os.cpu_count = lambda: 3
page = site.Site.resource_page

def slow_page(self, iri):
    time.sleep(0.2)
    page(self, iri)

site.Site.resource_page = slow_page
sys.exit(main(["build", "--out", out]))
"""


def contents(root: Path) -> dict[str, bytes | str]:
    """Every file (its bytes), folder and symlink (its target) under root, root included.

    A build's persistent store counts by its quads: its database files carry ids of their
    own, so two builds of the same sources differ there byte for byte (tests/test_build.py).
    """
    found: dict[str, bytes | str] = {}
    for path in [root, *sorted(root.rglob("*"))]:
        name = str(path.relative_to(root))
        if is_build(root) and name.startswith(f"{STORE}/"):
            continue
        if is_build(root) and name == STORE:
            found[name] = store_digest(path)
        elif path.is_symlink():
            found[name] = f"link to {path.readlink()}"
        elif path.is_dir():
            found[name] = "folder"
        else:
            found[name] = path.read_bytes()
    return found


def notes(folder: Path) -> Path:
    """A folder of someone's files, hidden ones and a subfolder included."""
    (folder / "drafts").mkdir(parents=True)
    (folder / "todo.txt").write_text("buy milk\n", encoding="utf-8")
    (folder / ".hidden").write_bytes(b"\x00\x01secret")
    (folder / "drafts" / "letter.md").write_text("Dear ...\n", encoding="utf-8")
    return folder


def checkout(folder: Path, name: str) -> Path:
    """A project checkout, and one that even carries our marker: still never a build folder."""
    notes(folder)
    if name == ".git":
        (folder / ".git").mkdir()
        (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    else:
        (folder / name).write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return folder


def assert_refused(result: subprocess.CompletedProcess[str], where: str, why: str) -> None:
    assert result.returncode == 1, result.stderr
    assert f"{where}" in result.stderr, result.stderr
    assert why in result.stderr, result.stderr
    assert "what to do:" in result.stderr and "othing was removed" in result.stderr
    assert REFUSED_BEFORE_WORK not in result.stderr, "refused only after the work"
    assert "Traceback" not in result.stderr


def assert_a_build(out: Path) -> None:
    assert (out / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
    assert (out / "dumps" / "SHA256SUMS").is_file()
    assert (out / "site" / "index.html").is_file()


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.staging-*"))


# Refused


def test_an_existing_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF-1.7 the only copy")
    before = contents(tmp_path)
    result = run_kg("build", "--out", str(target))
    assert_refused(result, str(target), "is a file, not a folder")
    assert contents(tmp_path) == before


def test_a_folder_with_files_no_build_wrote_is_refused(tmp_path: Path) -> None:
    folder = notes(tmp_path / "notes")
    before = contents(tmp_path)
    result = run_kg("build", "--out", str(folder))
    assert_refused(result, str(folder), f"no build wrote (there is no {MARKER} in it)")
    assert contents(tmp_path) == before


def test_an_earlier_build_holding_a_file_of_its_user_is_refused(
    built: Path, tmp_path: Path
) -> None:
    out = copy_tree(built, tmp_path / "build")
    (out / "my-ops-note.txt").write_text("the only copy\n", encoding="utf-8")
    before = contents(tmp_path)
    result = run_kg("build", "--out", str(out))
    assert_refused(result, str(out), "also holds what no build wrote: my-ops-note.txt")
    assert contents(tmp_path) == before


@pytest.mark.parametrize("name", [".git", "pyproject.toml"])
def test_a_project_checkout_is_refused_even_with_our_marker(tmp_path: Path, name: str) -> None:
    folder = checkout(tmp_path / "project", name)
    before = contents(tmp_path)
    result = run_kg("build", "--out", str(folder))
    assert_refused(result, str(folder), f"holds {name}: a project checkout")
    assert contents(tmp_path) == before


def test_dot_in_a_fresh_clone_is_refused(tmp_path: Path) -> None:
    clone = tmp_path / "entitylist-kg"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT), str(clone)], check=True)
    before = contents(tmp_path)
    result = run_kg("build", "--out", ".", cwd=clone)
    assert_refused(result, f". ({clone})", "is the current folder")
    assert contents(tmp_path) == before


def test_the_root_of_the_file_system_is_refused() -> None:
    before = sorted(Path("/").iterdir())
    result = run_kg("build", "--out", "/")
    assert_refused(result, "/", "is the root of the file system")
    assert sorted(Path("/").iterdir()) == before


@pytest.mark.parametrize("kind", ["with files", "empty"])
def test_the_home_folder_is_refused(tmp_path: Path, kind: str) -> None:
    """Even empty: an empty folder is otherwise fine, the home folder never."""
    home = tmp_path / "home"
    if kind == "with files":
        notes(home)
    else:
        home.mkdir()
    before = contents(tmp_path)
    result = run_kg("build", "--out", str(home), env={"HOME": str(home)})
    assert_refused(result, str(home), "is your home folder")
    assert contents(tmp_path) == before


@pytest.mark.parametrize(
    ("kind", "why"),
    [
        ("file", "is a file, not a folder"),
        ("notes", "no build wrote"),
        ("checkout", "holds .git"),
        ("home", "is your home folder"),
    ],
)
def test_a_symlink_is_judged_by_what_it_points_to(tmp_path: Path, kind: str, why: str) -> None:
    target = tmp_path / kind
    if kind == "file":
        target.write_text("keep me\n", encoding="utf-8")
    elif kind == "checkout":
        checkout(target, ".git")
    else:
        notes(target)
    link = tmp_path / "out"
    link.symlink_to(target)
    before = contents(tmp_path)
    result = run_kg("build", "--out", str(link), env={"HOME": str(tmp_path / "home")})
    assert_refused(result, f"{link} ({target})", why)
    assert contents(tmp_path) == before


def test_a_folder_that_fills_up_during_the_build_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Empty when the build starts, someone's files in it by the time of the swap: refused."""
    out = tmp_path / "out"
    out.mkdir()
    render = build_module.render_site

    def render_while_someone_writes(*args: object, **kwargs: object) -> int:
        (out / "meanwhile.txt").write_text("written during the build\n", encoding="utf-8")
        return render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "render_site", render_while_someone_writes)
    assert cli.main(["build", "--out", str(out)]) == 1
    assert "no build wrote" in caplog.text and str(out) in caplog.text
    assert contents(out) == {".": "folder", "meanwhile.txt": b"written during the build\n"}
    assert staging_folders(out) == []


# Accepted


def test_a_new_path_is_built_with_its_parents(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "build"
    result = run_kg("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert_a_build(out)


def test_an_empty_folder_is_built_into(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    result = run_kg("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert_a_build(out)


def test_a_previous_build_is_replaced_whole(built: Path, tmp_path: Path) -> None:
    out = copy_tree(built, tmp_path / "build")
    (out / "site" / "left-by-hand.txt").write_text("part of the old build\n", encoding="utf-8")
    result = run_kg("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert contents(out) == contents(built)


def test_a_symlink_to_a_previous_build_keeps_the_link(built: Path, tmp_path: Path) -> None:
    target = copy_tree(built, tmp_path / "releases" / "current")
    link = tmp_path / "build"
    link.symlink_to(target)
    result = run_kg("build", "--out", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert contents(target) == contents(built)


# Killed builds


def start_slow_build(out: Path, mode: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(out), mode],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition: str, check: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        time.sleep(0.01)


def test_staging_left_by_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "build"
    process = start_slow_build(out, "one process")
    wait_for("the site rendering", lambda: any((s / "site").is_dir() for s in staging_folders(out)))
    process.kill()
    process.wait(timeout=30)
    (leftover,) = staging_folders(out)
    assert (leftover / MARKER).is_file()
    not_ours = notes(tmp_path / f".{out.name}.staging-notmine")
    before = contents(not_ours)

    result = run_kg("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert_a_build(out)
    assert not leftover.exists()
    assert staging_folders(out) == [not_ours]
    assert contents(not_ours) == before


def test_the_staging_folder_of_a_running_build_is_left_alone(tmp_path: Path) -> None:
    """A running build holds a lock on its marker; a second build must not remove its work."""
    out = tmp_path / "build"
    running = tmp_path / f".{out.name}.staging-running"
    running.mkdir()
    lock = output._mark(running)  # as the running build does, first thing
    try:
        (running / "half-written.nq").write_bytes(b"<a> <b> <c> .\n")
        before = contents(running)
        result = run_kg("build", "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert contents(running) == before
    finally:
        os.close(lock)


def children_of(pid: int) -> set[int]:
    """The processes whose parent is pid, from /proc/*/stat (state and parent follow ")")."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while we looked
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """A zombie counts as ended: it writes nothing and only waits for its parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux only")
def test_render_processes_die_with_a_killed_build(tmp_path: Path) -> None:
    out = tmp_path / "build"
    process = start_slow_build(out, "fork")
    try:
        wait_for("two render processes", lambda: len(children_of(process.pid)) >= 2)
        renderers = children_of(process.pid)
    finally:
        process.kill()
        process.wait(timeout=30)
    try:
        wait_for("the render processes to end", lambda: not any(map(running, renderers)), 3)
    finally:
        for pid in filter(running, renderers):  # clean up a failed run
            os.kill(pid, signal.SIGKILL)
