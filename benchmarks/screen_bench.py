"""Screening benchmark: our matcher against two peers, on names from the real 2022 CSL.

    .venv/bin/kg build --csl data/csl/csl-2022-05 --out /tmp/csl
    .venv/bin/python benchmarks/screen_bench.py --out /tmp/csl
    # with OpenSanctions' nomenklatura, installed in a venv of its own (it pins other libraries):
    python3 -m venv /tmp/nk && /tmp/nk/bin/pip install nomenklatura
    .venv/bin/python benchmarks/screen_bench.py --out /tmp/csl \
        --nomenklatura-python /tmp/nk/bin/python

The evaluation set is drawn (seeded) from the CSL file the build read: names as published,
aliases, one- and two-letter typos, reordered words, dropped legal forms, persons by first
given name and surname without their middle names; the 28 parties of
84 FR 54002 in Chinese script; and names on no list (China's counter-sanctions and MOFCOM
lists, minus any whose folded name is a CSL name). A listed query is right when the first
candidate is a party listed under that name or alias. Prints top-1 accuracy, recall@5, false
positives at the default threshold, the index's build time, and queries/s in process and over
HTTP from 4 clients (single names and batches of 100), then the same for each peer: a brute
force rapidfuzz WRatio over every name and alias, and nomenklatura's matchers over the
candidates our index retrieves.
"""

import argparse
import csv
import datetime as dt
import gzip
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.config import Settings
from kg.match.index import MatchIndex
from kg.match.model import Query
from kg.match.normalise import LEGAL_FORMS, fold, form
from kg.screen import open_index

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
CSL = SHARED / "csl_watchman" / "consolidated_2022-05.csv.gz"
OCTOBER = SHARED / "derived" / "el_84FR54002_2019-10-09_from_csl_2022-05.csv"
NEGATIVE_SOURCES = (SHARED / "opensanctions" / "cn_sanctions.csv", SHARED / "xyna_registry")
THRESHOLD = 0.70
AS_OF = "2022-05-06"  # the day of the snapshot: every entry it holds is in force

#: The 28 parties of 84 FR 54002 as written in Chinese (simplified), by their CSL name. Ten
#: of them carry this name in the graph (the curated aliases); the others are found through
#: pinyin and the glossary only.
CHINESE = {
    "Aksu District Public Security Bureau": "阿克苏地区公安局",
    "Altay Municipality Public Security Bureau": "阿勒泰市公安局",
    "Bayingolin Mongolian Autonomous Prefecture Public Security Bureau": "巴音郭楞蒙古自治州公安局",
    "Beijing Sensetime Technology Development Co., Ltd.": "北京市商汤科技开发有限公司",
    "Boertala Mongolian Autonomous Prefecture Public Security Bureau": "博尔塔拉蒙古自治州公安局",
    "Changji Hui Autonomous Prefecture Public Security Bureau": "昌吉回族自治州公安局",
    "Dahua Technology": "浙江大华技术股份有限公司",
    "Hami Municipality Public Security Bureau": "哈密市公安局",
    "Hangzhou Hikvision Digital Technology Co., Ltd.": "杭州海康威视数字技术股份有限公司",
    "Hetian Prefecture Public Security Bureau": "和田地区公安局",
    "IFLYTEK": "科大讯飞股份有限公司",
    "Kashgar Prefecture Public Security Bureau": "喀什地区公安局",
    "Kelamayi Municipality Public Security Bureau": "克拉玛依市公安局",
    "Kezilesu Kyrgyz Autonomous Prefecture Public Security Bureau": "克孜勒苏柯尔克孜自治州公安局",
    "Megvii Technology": "北京旷视科技有限公司",
    "Shihezi Municipality Public Security Bureau": "石河子市公安局",
    "Tacheng Prefecture Public Security Bureau": "塔城地区公安局",
    "Tumushuke Municipal Public Security Bureau": "图木舒克市公安局",
    "Turfan Municipality Public Security Bureau": "吐鲁番市公安局",
    "Urumqi Municipal Public Security Bureau": "乌鲁木齐市公安局",
    "Wujiaqu Municipality Public Security Bureau": "五家渠市公安局",
    "Xiamen Meiya Pico Information Co. Ltd.": "厦门市美亚柏科信息股份有限公司",
    "Xinjiang Police College": "新疆警察学院",
    "Xinjiang Production and Construction Corps (XPCC) Public Security Bureau": (
        "新疆生产建设兵团公安局"
    ),
    "Xinjiang Uighur Autonomous Region (XUAR) People?s Government Public Security Bureau": (
        "新疆维吾尔自治区公安厅"
    ),
    "Yili Kazakh Autonomous Prefecture Public Security Bureau": "伊犁哈萨克自治州公安局",
    "Yitu Technologies": "依图科技",
    "Yixin Science and Technology Co. Ltd.": "颐信科技有限公司",
}


@dataclass(frozen=True)
class Case:
    kind: str
    query: str
    expected: frozenset[tuple[str, ...]]  # names (_same) a right answer is listed under


# --- the evaluation set ---------------------------------------------------------------------


def evaluation(sample: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    with gzip.open(CSL, "rt", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["name"].strip()]
    cases: list[Case] = []
    for row in rng.sample(rows, sample):
        cases.extend(_variants(row, rng))
    with OCTOBER.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            cases.append(Case("chinese", CHINESE[row["name"]], _expected(_listed_as(row))))
    known = {_same(name) for row in rows for name in _listed_as(row)}
    cases.extend(Case("unlisted", name, frozenset()) for name in _unlisted(known))
    return cases


def _listed_as(row: dict[str, str]) -> frozenset[str]:
    aliases = [a.strip() for a in row["alt_names"].split(";") if a.strip()]
    return frozenset({row["name"].strip(), *aliases})


def _expected(names: frozenset[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(_same(name) for name in names)


def _variants(row: dict[str, str], rng: random.Random) -> Iterator[Case]:
    name, names = row["name"].strip(), _listed_as(row)
    listed = _expected(names)
    yield Case("published", name, listed)
    aliases = sorted(names - {name})
    if aliases:
        yield Case("alias", rng.choice(aliases), listed)
    for edits in (1, 2):
        typo = _typo(name, edits, rng)
        if typo:
            yield Case(f"typo{edits}", typo, listed)
    words = name.replace(",", " ").split()
    if len(words) > 1:
        yield Case("reordered", " ".join(reversed(words)), listed)
    plain = [w for w in words if fold(w) and all(t not in LEGAL_FORMS for t in fold(w))]
    if len(plain) < len(words) and plain:
        yield Case("no legal form", " ".join(plain), listed)
    # A person asked by first given name and surname, as people write them: "Viktor Bout"
    # for BOUT, Viktor Anatolijevitch (trial 33).
    surname, _, given = name.partition(",")
    if row["type"] == "Individual" and len(given.split()) > 1 and surname.split():
        yield Case("middle names dropped", f"{given.split()[0]} {surname.strip()}", listed)
        # ... and the given name spelt as another language writes it: "Victor Bout" (trial 35).
        respelt = _respelt(given.split()[0])
        if respelt:
            yield Case("middle dropped, given respelt", f"{respelt} {surname.strip()}", listed)
        # ... and as client files write it, with initials: "Bout, Viktor A." for the middle
        # names, "Deripaska, O.V." for every given name (trial 36).
        first, *middle = given.split()
        initials = " ".join(f"{word[0]}." for word in middle)
        yield Case("middle initials", f"{surname.strip()}, {first} {initials}", listed)
        every = "".join(f"{word[0]}." for word in given.split())
        yield Case("given initials", f"{surname.strip()}, {every}", listed)


#: Spellings of one sound that transliterations trade: Viktor and Victor, Yusuf and Jusuf.
RESPELLINGS = (("k", "c"), ("c", "k"), ("y", "j"), ("j", "y"), ("ph", "f"), ("f", "ph"))


def _respelt(given: str) -> str | None:
    """The given name with its first letters that another transliteration writes otherwise
    so written, inside the word (not its first letter); None if it has none."""
    for old, new in RESPELLINGS:
        at = given.lower().find(old, 1)
        if at > 0:
            return (
                given[:at] + (new.upper() if given[at].isupper() else new) + given[at + len(old) :]
            )
    return None


def _typo(name: str, edits: int, rng: random.Random) -> str | None:
    """The name with `edits` letters changed in words of five letters or more."""
    words = name.split()
    long_words = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 5]
    if not long_words or (edits == 2 and sum(len(words[i]) for i in long_words) < 10):
        return None
    for _ in range(edits):
        i = rng.choice(long_words)
        word = words[i]
        at = rng.randrange(1, len(word) - 1)
        how = rng.choice(("swap", "drop", "change", "add"))
        if how == "swap":
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        elif how == "drop":
            word = word[:at] + word[at + 1 :]
        elif how == "change":
            word = word[:at] + rng.choice("aeiounrst") + word[at + 1 :]
        else:
            word = word[:at] + rng.choice("aeiounrst") + word[at:]
        words[i] = word
    typo = " ".join(words)
    return typo if typo != name else None


def _unlisted(known: set[tuple[str, ...]]) -> list[str]:
    names: list[str] = []
    with NEGATIVE_SOURCES[0].open(encoding="utf-8", newline="") as handle:
        names.extend(row["Name"] for row in csv.DictReader(handle))
    records = json.loads((NEGATIVE_SOURCES[1] / "cn_entities.json").read_text(encoding="utf-8"))
    names.extend(record["entity_name"] for record in records)
    unique = dict.fromkeys(n.strip() for n in names if n.strip())
    return [n for n in unique if _same(n) not in known]


def _same(name: str) -> tuple[str, ...]:
    """What makes two names the same listed name: their words but for legal forms.

    A party listed as "Maro Sanat Co." on one list and "MARO SANAT COMPANY" on another is
    found under either; a name on no list is one no listed name equals so.
    """
    return form(name).tokens


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Tally:
    listed: int = 0
    top1: int = 0
    top5: int = 0
    flagged: int = 0  # right first and at or above the threshold
    unlisted: int = 0
    false_positives: int = 0
    seconds: float = 0.0
    queries: int = 0

    def line(self, name: str) -> str:
        rate = self.queries / self.seconds if self.seconds else 0.0
        return (
            f"{name:<34} top-1 {self.top1}/{self.listed} = {_pct(self.top1, self.listed)}  "
            f"recall@5 {_pct(self.top5, self.listed)}  flagged {_pct(self.flagged, self.listed)}  "
            f"false positives "
            f"{self.false_positives}/{self.unlisted}  {rate:,.0f} queries/s"
        )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   -  "


def run_ours(index: MatchIndex, cases: Sequence[Case]) -> dict[str, Tally]:
    names_of = _same_names(index)
    tallies: dict[str, Tally] = {}
    day = _day()
    for case in cases:
        tally = tallies.setdefault(case.kind, Tally())
        started = time.perf_counter()
        found = index.screen(Query((case.query,)), as_of=day, limit=5, cutoff=0.0)
        tally.seconds += time.perf_counter() - started
        tally.queries += 1
        ranked = [names_of[c.entity.iri] for c in found.candidates]
        top_score = found.candidates[0].score if found.candidates else 0.0
        _count(tally, case, ranked, top_score >= THRESHOLD)
    return tallies


def _count(tally: Tally, case: Case, ranked: Sequence[set[tuple[str, ...]]], matched: bool) -> None:
    if case.expected:
        tally.listed += 1
        right = bool(ranked) and bool(ranked[0] & case.expected)
        tally.top1 += right
        tally.flagged += right and matched
        tally.top5 += any(names & case.expected for names in ranked[:5])
    else:
        tally.unlisted += 1
        tally.false_positives += matched


def _names_of(index: MatchIndex) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name in index.names:
        found.setdefault(index.entities[name.entity].iri, set()).add(name.text)
    return found


def _same_names(index: MatchIndex) -> dict[str, set[tuple[str, ...]]]:
    found: dict[str, set[tuple[str, ...]]] = {}
    for name in index.names:
        found.setdefault(index.entities[name.entity].iri, set()).add(name.form.tokens)
    return found


def _day() -> dt.date:
    return dt.date.fromisoformat(AS_OF)


def report(title: str, tallies: dict[str, Tally]) -> Tally:
    total = Tally()
    for tally in tallies.values():
        for field in ("listed", "top1", "top5", "flagged", "unlisted", "false_positives"):
            setattr(total, field, getattr(total, field) + getattr(tally, field))
        total.seconds += tally.seconds
        total.queries += tally.queries
    print(total.line(title))
    for kind, tally in sorted(tallies.items()):
        print("   " + tally.line(kind))
    return total


def run_wratio(index: MatchIndex, cases: Sequence[Case]) -> dict[str, Tally]:
    """The brute-force peer: WRatio of the query against every name and alias."""
    from rapidfuzz import fuzz, process, utils

    texts = [name.text for name in index.names]
    owners = [index.entities[name.entity].iri for name in index.names]
    names_of = _same_names(index)
    tallies: dict[str, Tally] = {}
    for case in cases:
        tally = tallies.setdefault(case.kind, Tally())
        started = time.perf_counter()
        best = process.extract(
            case.query, texts, scorer=fuzz.WRatio, processor=utils.default_process, limit=25
        )
        tally.seconds += time.perf_counter() - started
        tally.queries += 1
        ranked = list(dict.fromkeys(owners[position] for _, _, position in best))[:5]
        _count(tally, case, [names_of[iri] for iri in ranked], bool(best) and best[0][1] >= 95)
    return tallies


#: Run by the nomenklatura peer's own Python: scores each query against the candidates our
#: index retrieved (yente's design: an index retrieves, nomenklatura scores).
NOMENKLATURA = r"""
import json, sys, time
from followthemoney import model
from nomenklatura.matching import get_algorithm, ScoringConfig
algorithm = get_algorithm(sys.argv[1])
config = ScoringConfig.defaults()
def make(data, key):
    entity = model.make_entity(data["schema"])
    entity.id = key
    entity.add("name", data["names"])
    entity.add("country", [c.lower() for c in data.get("countries", [])])
    return entity
for line in sys.stdin:
    item = json.loads(line)
    query = make(item["query"], "query")
    started = time.perf_counter()
    scores = [algorithm.compare(query, make(c, c["id"]), config).score for c in item["candidates"]]
    print(json.dumps({"scores": scores, "seconds": time.perf_counter() - started}), flush=True)
"""


def run_nomenklatura(
    python: str, algorithm: str, index: MatchIndex, cases: Sequence[Case]
) -> dict[str, Tally]:
    names_of, same = _names_of(index), _same_names(index)
    process = subprocess.Popen(
        [python, "-c", NOMENKLATURA, algorithm],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    tallies: dict[str, Tally] = {}
    day = _day()
    try:
        for case in cases:
            retrieved = index.screen(Query((case.query,)), as_of=day, limit=10, cutoff=0.0)
            candidates = [
                {
                    "id": c.entity.iri,
                    "schema": c.entity.schema,
                    "names": sorted(names_of[c.entity.iri]),
                    "countries": sorted(c.entity.countries),
                }
                for c in retrieved.candidates
            ]
            query = {"schema": "LegalEntity", "names": [case.query]}
            process.stdin.write(json.dumps({"query": query, "candidates": candidates}) + "\n")
            process.stdin.flush()
            answer = json.loads(process.stdout.readline())
            tally = tallies.setdefault(case.kind, Tally())
            tally.seconds += answer["seconds"]
            tally.queries += 1
            order = sorted(range(len(candidates)), key=lambda i: -answer["scores"][i])
            ranked = [same[str(candidates[i]["id"])] for i in order]
            best = max(answer["scores"], default=0.0)
            _count(tally, case, ranked, best >= THRESHOLD)
    finally:
        process.stdin.close()
        process.wait(timeout=60)
    return tallies


# --- over HTTP ------------------------------------------------------------------------------


def serve(out: Path, port: int) -> None:
    """A server of the screening routes alone (kg serve with the router wired is the same)."""
    import uvicorn
    from fastapi import FastAPI

    from kg.site.render import environment
    from kg.web import match_routes, reconcile_routes

    settings = Settings(out_dir=out)
    app = FastAPI()
    app.state.kg = SimpleNamespace(
        settings=settings, templates=environment(settings.base_iri), screening=open_index(out)
    )
    app.include_router(match_routes.router)
    app.include_router(reconcile_routes.router)  # its own module since the split
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


@contextmanager
def server(out: Path) -> Iterator[str]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, __file__, "--out", str(out), "--serve", str(port)]
    process = subprocess.Popen(command)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{url}/reconcile", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the screening server did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def load(url: str, names: Sequence[str], clients: int, requests: int, batch: int) -> str:
    """`requests` POST /match from `clients` threads, `batch` names each; queries/s, p50, p99."""
    latencies: list[float] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        with httpx.Client(timeout=60) as http:
            for n in range(offset, requests, clients):
                chosen = [names[(n * batch + i) % len(names)] for i in range(batch)]
                body = {
                    "queries": {
                        f"q{i}": {"schema": "LegalEntity", "properties": {"name": [name]}}
                        for i, name in enumerate(chosen)
                    }
                }
                started = time.perf_counter()
                http.post(f"{url}/match?as_of={AS_OF}", json=body).raise_for_status()
                with lock:
                    latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    return (
        f"{requests * batch / elapsed:,.0f} queries/s ({requests / elapsed:,.1f} requests/s), "
        f"p50 {1000 * statistics.median(latencies):.1f} ms, p99 {1000 * p99:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="a build of the whole CSL")
    parser.add_argument("--sample", type=int, default=150, help="CSL rows drawn (default 150)")
    parser.add_argument("--peer-sample", type=int, default=300, help="cases the WRatio peer runs")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--requests", type=int, default=2000, help="single-name requests")
    parser.add_argument("--nomenklatura-python", help="a Python with nomenklatura installed")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.out, args.serve)
        return
    index = build_index(args.out)
    cases = evaluation(args.sample, args.seed)
    listed = sum(bool(case.expected) for case in cases)
    print(f"evaluation set: {listed} listed names, {len(cases) - listed} on no list\n")
    report("ours (kg.match)", run_ours(index, cases))
    peers = random.Random(args.seed).sample(cases, min(args.peer_sample, len(cases)))
    print(f"\npeers, on {len(peers)} of the cases (ours on the same, for comparison):")
    report("ours (kg.match)", run_ours(index, peers))
    report("rapidfuzz WRatio, brute force (>=95)", run_wratio(index, peers))
    if args.nomenklatura_python:
        for algorithm in ("logic-v2", "name-based"):
            title = f"nomenklatura {algorithm} (our candidates)"
            report(title, run_nomenklatura(args.nomenklatura_python, algorithm, index, cases))
    names = [case.query for case in cases]
    with server(args.out) as url:
        load(url, names, 4, 100, 1)  # warm-up
        print(f"\nHTTP, 4 clients, single names: {load(url, names, 4, args.requests, 1)}")
        print(f"HTTP, 4 clients, batches of 100: {load(url, names, 4, 40, 100)}")


def build_index(out: Path) -> MatchIndex:
    """The index made from the build's dumps, as `kg screen` makes it for a build without
    one, timed."""
    from kg.match.rows import run_queries
    from kg.publish.files import DUMPS
    from kg.screen import dump_store

    # The description in its own graph, as the screening queries read it: loaded into the
    # default graph, they found no party (index of 0 parties).
    store = dump_store(out / DUMPS)
    started = time.perf_counter()
    rows = run_queries(store)
    queried = time.perf_counter()
    index = MatchIndex.from_rows(rows, "")
    built = time.perf_counter()
    print(
        f"index of {len(index):,} parties, {len(index.names):,} names: queries "
        f"{queried - started:.2f} s, index built in {built - queried:.2f} s "
        f"(target < 5 s), together {built - started:.2f} s"
    )
    return index


if __name__ == "__main__":
    main()
