"""What the benchmarks measure of a command they run: memory of its whole process tree,
CPU time, the files and bytes it wrote. Linux (/proc) only.

Memory is PSS (proportional set size): a page shared by several processes (the store in
the page cache mapped by many, a forked child's copy-on-write pages) is counted once in
all, split between them, so the sum over a tree is what the tree costs the machine.
"""

import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


def children(pid: int) -> list[int]:
    """Every descendant of pid, from /proc (a process may end while it is read)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@dataclass(frozen=True)
class Memory:
    """The summed PSS of some processes, in MiB, and its two parts: anonymous memory (heaps,
    caches: where a leak shows) and mapped files (the store and indexes read so far, which
    the kernel may drop and read again)."""

    pss: float
    anon: float
    file: float
    processes: int


def memory(pids: list[int]) -> Memory:
    fields = {"Pss:": 0, "Pss_Anon:": 0, "Pss_File:": 0}
    counted = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue  # ended while the tree was read
        counted += 1
        for line in text.splitlines():
            name, _, rest = line.partition(" ")
            if name in fields:
                fields[name] += int(rest.split()[0])
    pss, anon, file = (fields[name] / 1024 for name in ("Pss:", "Pss_Anon:", "Pss_File:"))
    return Memory(pss=pss, anon=anon, file=file, processes=counted)


def pss_mib(pids: list[int]) -> float:
    """The summed PSS of pids, in MiB."""
    return memory(pids).pss


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU time used so far by pid and its living descendants (/proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for each in (pid, *children(pid)):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def tree_memory(pid: int) -> Memory:
    return memory([pid, *children(pid)])


def tree_mib(pid: int) -> float:
    return tree_memory(pid).pss


@dataclass
class Sampler:
    """The PSS of a process tree, sampled in a thread until stopped: peak, and by time."""

    pid: int
    every: float = 0.25
    samples: list[tuple[float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), tree_mib(self.pid)))
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, start: float = 0.0, end: float = float("inf")) -> float:
        return max((mib for at, mib in self.samples if start <= at <= end), default=0.0)


def cpu_seconds_of_children() -> float:
    """User and system CPU time of every child waited for so far (and theirs)."""
    usage = os.times()
    return usage.children_user + usage.children_system


def disk(folder: Path) -> tuple[int, int]:
    """(files, bytes allocated) under folder; a hard-linked file is counted once."""
    seen: set[tuple[int, int]] = set()
    files = size = 0
    for here, _, names in os.walk(folder):
        for name in names:
            info = (Path(here) / name).lstat()
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            files += 1
            size += info.st_blocks * 512
    return files, size


@dataclass(frozen=True, kw_only=True)
class Stage:
    name: str
    seconds: float
    cpu: float  # user and system time of the build and the children it waited for
    peak_mib: float  # the whole process tree's, sampled while the stage ran
    system: float = 0.0  # of cpu, the kernel's (0 in the log of a build before it was logged)


@dataclass(frozen=True, kw_only=True)
class BuildRun:
    stages: list[Stage]
    wall: float
    cpu: float
    peak_mib: float
    files: int
    bytes: int
    removal: float  # seconds to remove the output (what a rebuild removes in the background)
    log: str


def run_build(command: list[str], out: Path, *, remove: bool = True) -> BuildRun:
    """Run `kg build` (command) writing `out`; its stages as its log reports them.

    The build logs "<stage> ..." when a stage starts and "<stage> done in S s" when it ends;
    the tree's memory is sampled meanwhile and attributed to the stage that ran.
    """
    cpu_before = cpu_seconds_of_children()
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(process.pid)
    assert process.stderr is not None
    lines, stages, opened = [], [], {}
    for line in process.stderr:
        lines.append(line)
        begun = re.search(r"kg\.build: (.+) \.\.\.$", line.rstrip())
        ended = re.search(
            r"kg\.build: (.+) done in ([\d.]+) s \(CPU ([\d.]+) s(?:, of which system ([\d.]+) s)?",
            line,
        )
        if begun:
            opened[begun[1]] = time.perf_counter()
        elif ended:
            start = opened.get(ended[1], started)
            peak = sampler.peak(start, time.perf_counter())
            stages.append(
                Stage(
                    name=ended[1],
                    seconds=float(ended[2]),
                    cpu=float(ended[3]),
                    peak_mib=peak,
                    system=float(ended[4] or 0),
                )
            )
    code = process.wait()
    wall = time.perf_counter() - started
    sampler.stop()
    if code != 0:
        raise RuntimeError(f"the build failed ({code}):\n{''.join(lines[-30:])}")
    files, size = disk(out)
    removal = 0.0
    if remove:
        begin = time.perf_counter()
        shutil.rmtree(out)
        removal = time.perf_counter() - begin
    return BuildRun(
        stages=stages,
        wall=wall,
        cpu=cpu_seconds_of_children() - cpu_before,
        peak_mib=sampler.peak(),
        files=files,
        bytes=size,
        removal=removal,
        log="".join(lines),
    )
