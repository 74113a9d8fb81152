"""Screening answers as JSON: yente's shape for /match, the Reconciliation API's for OpenRefine.

Pure functions from candidates to dictionaries, so that the server, `kg screen` and the tests
shape an answer the same way.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kg.match.countries import name as country_name
from kg.match.index import in_force, rank, tie_break, unlisted_name
from kg.match.model import Candidate, Entity, Listing, OutOfForce, Screening, caption_of
from kg.match.score import PLACE_ALONE, WORD_ORDER

#: What each explained feature of a score is, in words (pages; the API keeps the names).
FEATURE_WORDS = {
    "name": "Name",
    "schema": "Kind",
    "birthDate": "Date of birth",
    "country": "Country",
    "idNumber": "Identifier",
}

#: Properties a data extension (OpenRefine's "add columns from reconciled values") offers.
EXTENSION_PROPERTIES = {
    "lists": "Lists",
    "start": "Start date",
    "end": "End date",
    "rule": "Rule (Federal Register citation)",
    "country": "Country",
    "birthDate": "Date of birth",
    "schema": "Kind of party",
}


def listing_json(listing: Listing) -> dict[str, Any]:
    return {
        "id": listing.iri,
        "list": listing.list_iri,
        "list_name": listing.list_name,
        "abbreviation": listing.abbreviation,
        "entry_number": listing.number,  # the list's (the SDN's uid), which an analyst records
        "name": listing.name,  # as its list prints it
        "start": listing.start,
        "first_observed": listing.observed,
        "in_force_from": listing.window.since,
        "in_force_until": listing.window.until,
        "end": listing.end,
        "renewed_by": listing.renewed_by,
        "removal_seen": listing.window.removed,
        "seen_before_removal": listing.seen_before_removal,
        "rules": [
            {"id": rule.iri, "citation": rule.citation, "published": rule.published}
            for rule in listing.rules
        ],
    }


def record_of(candidate: Candidate) -> str:
    """The IRI an answer names a party by: the record of its first entry in force on the
    lists asked. A party a curator judged one from several records was named by the first
    IRI in order, Huawei by its CMIC record on /match/EL, which OpenRefine then kept (trial
    29).

    >>> from kg.match.model import Entity
    >>> el = Listing("x:1", "x:el", "Entity List", "EL", "2019-05-21", None, entity="x:hw-el")
    >>> party = Entity("x:hw", "Huawei", "Company", frozenset(), (), frozenset(), (el,),
    ...                referents=("x:hw-el",))
    >>> record_of(Candidate(party, 1.0, 1.0, "Huawei", (), (el,)))
    'x:hw-el'
    >>> record_of(Candidate(party, 1.0, 1.0, "Huawei", (), ()))
    'x:hw'
    """
    return record_named(candidate.listings, candidate.entity)


def record_named(listings: Iterable[Listing], entity: Entity) -> str:
    """The record of the first of `listings` (the party's entries in force, in the order of
    their starts) that names one, else the party's IRI (`record_of`)."""
    return next((item.entity for item in listings if item.entity), entity.iri)


def match_results(screened: Screening, threshold: float) -> list[dict[str, Any]]:
    """The results of /match, best first: the candidates in force on the day, and the parties
    matched that may have been (`in_force` false), which a client of yente's, reading only
    `results`, cleared: PJSC AEROFLOT's order, which may have been extended (trial 37)
    (in_force_first)."""
    found = [match_result(c, threshold, screened) for c in screened.candidates]
    not_known = [
        match_result(o.candidate, threshold, screened)
        | {"in_force": False, "datasets": _lists_not_known(o.candidate, screened)}
        # Said on the result, not on its listings alone: `in_force` false read as "listed,
        # not in force" where it is "to review" (trial 50a).
        | unknown_json(o.why)
        for o in screened.outside
        if o.unknown and o.candidate is not None
    ]
    return in_force_first(found, not_known, threshold)


def in_force_first(
    in_force: list[dict[str, Any]], not_known: list[dict[str, Any]], threshold: float
) -> list[dict[str, Any]]:
    """The results, best first: the matches in force that day, then the others by score. A
    party whose entry is not known to be in force is no match to act on, and a client taking
    the first result took DPL MAHAN AIRWAYS, lapsed (1.0), for the SDN's MAHAN AIR in force
    (0.99) (trial 42)."""
    matches = [result for result in in_force if result["score"] >= threshold]
    others = [result for result in in_force if result["score"] < threshold] + not_known
    return [*matches, *sorted(others, key=lambda result: -result["score"])]


def shown(score: float) -> str:
    """A score as answers and files write it, in a score column and an explanation alike:
    "(0.85)" beside a column's 0.8470 read as two scores (trial 28)."""
    return f"{score:.4f}"


def not_in_force_warnings(screened: Screening, threshold: float) -> list[str]:
    """What a client is told beside the results of each party that matches at the threshold
    but is not (known to be) in force on the day: /match marked the DPL's lapsed MAHAN
    AIRWAYS `match: true` and said nothing, where /reconcile warned (trial 43a)."""
    return [
        f"{o.caption} (score {shown(o.score)}) matches, but is not "
        f"{'known to be ' * o.unknown}in force on {screened.as_of}: {o.window}"
        for o in screened.outside
        if o.score >= threshold
    ]


def removal_warnings(screened: Screening, threshold: float) -> list[str]:
    """What a client is told of each entry of a match at the threshold that is in force on the
    day by the as-of rule but may have left the list before it (Listing.may_be_removed): a
    removal seen only in a later snapshot (trial 46b)."""
    return [
        f"{c.caption}'s {note}"
        for c in screened.candidates
        if c.score >= threshold
        for note in removal_notes(c, screened.as_of)
    ]


def doubt_removed(
    results: list[dict[str, Any]], candidates: Iterable[Candidate], day: dt.date
) -> list[dict[str, Any]]:
    """Reconciliation results, none taken without review where a candidate's entry in force
    may have left the list before the day (removal_notes), that candidate's description
    headed so: OpenRefine, which shows no warning, took ADOLFO FONNEGRA ESPEJO TRADING &
    INVESTMENT as of 2021-06-01, seen then removed between 2019 and 2022 (trial 47a)."""
    doubted = [bool(removal_notes(candidate, day)) for candidate in candidates]
    if not any(doubted):
        return results
    head = f"MAY HAVE LEFT the list before {day}"
    return [
        result
        | {"match": False}
        | ({"description": f"{head} · {result['description']}"} if doubt else {})
        for result, doubt in zip(results, doubted, strict=True)
    ]


def removal_notes(candidate: Candidate, day: dt.date) -> list[str]:
    """Of each entry of the candidate in force on the day that may have left the list before
    it, which and why ("SDN entry: a snapshot of 2022-05-06 showed it removed, ...")."""
    return [
        f"{x.abbreviation or x.list_name} entry: {gone}"
        for x in candidate.listings
        if (gone := x.may_be_removed(day))
    ]


def _lists_not_known(candidate: Candidate, screened: Screening) -> list[str]:
    """The lists of a party's entries that may be in force that day: a client of yente's
    showed PJSC AEROFLOT on no list (trial 38)."""
    found = (x.abbreviation for x in candidate.not_in_force if screened.why_unknown(x))
    return sorted(set(found))


def match_result(candidate: Candidate, threshold: float, screened: Screening) -> dict[str, Any]:
    """One result of /match, as yente gives it, with explanations and listings added."""
    entity = candidate.entity
    record = record_of(candidate)
    return {
        "id": record,
        "caption": candidate.caption,
        "schema": entity.schema,
        "schema_inferred": entity.kind_inferred,  # the list does not state it: we inferred it
        # The party's other records (yente's merged records).
        "referents": [iri for iri in (entity.iri, *entity.referents) if iri != record],
        # Other parties it may be, by our candidate matches: not one until a curator says so.
        "candidate_matches": candidate_matches_json(entity, screened),
        "score": candidate.score,
        "match": candidate.score >= threshold,
        "in_force": True,  # an entry of it is in force that day (match_results)
        **unknown_json(""),
        "matched_name": candidate.matched_name,
        "features": {feature.name: feature.effect for feature in candidate.features},
        "explanations": {feature.name: feature.as_json() for feature in candidate.features},
        "properties": properties(entity),
        "datasets": sorted({listing.abbreviation for listing in candidate.listings}),
        "listings": [listing_json(listing) for listing in candidate.listings],
        # Its entries on the lists asked that do not count on the day screened: one that may
        # have been in force is `unknown_on_day`, and why (Listing.why_unknown).
        "not_in_force": [
            listing_json(listing) | unknown_json(screened.why_unknown(listing))
            for listing in candidate.not_in_force
        ],
    }


def candidate_matches_json(entity: Entity, screened: Screening) -> list[dict[str, Any]]:
    """Our candidate matches of the party with others: possibly one party, which no curator
    has judged (the SDN's AL-NASER AIRLINES and the DPL's ALNASER AIRLINES: trial 49a), or a
    namesake the list tells apart (`namesake`)."""
    shown_as = screened.shown_as
    return [
        {
            "id": m.other,
            "caption": shown_as.get(m.other, m.caption),
            "datasets": list(m.lists),
            "in_answer": m.other in shown_as,
            "namesake": m.namesake,
            "score": m.score,
            "evidence": list(m.evidence),
            "entries": list(m.entries),
            "countries": list(m.countries),
            "candidate_match": m.iri or None,
        }
        for m in entity.candidate_matches
    ]


def ties(
    best: Candidate, screening: Screening, among: Sequence[Candidate] | None = None
) -> list[tuple[str, list[Candidate]]]:
    """Why the best comes before the other candidates of its score, each reason with those
    it puts after: bare "Sberbank" named JSC Sberbank (UA) before PJSC Sberbank, both 0.98,
    without a word (trial 51e); "Rotenberg" puts one of eight before seven, for one reason.
    `among` the parties to review, not counted that day (as of 2020-01-01 the two Sberbanks
    were, and nothing said why: trial 53d); only those `rank` puts after it, so that no
    reason is said that the order does not follow.
    """
    after: dict[str, list[Candidate]] = {}
    first = rank(best)
    for other in screening.candidates if among is None else among:
        same = other.entity.iri == best.entity.iri
        if not same and other.score == best.score and first < rank(other):
            after.setdefault(tie_break(best, other), []).append(other)
    return list(after.items())


def same_party_notes(entity: Entity, screened: Screening, threshold: float) -> list[str]:
    """The candidate matches of the party, as a spreadsheet's cell says them: the kinds of
    evidence, whose words are on the match's page (an airline's cell ran to 1,258
    characters of repeated addresses: trial 51b), and whether the other party is a possible
    match of the row too (it said "also in this answer" of a party scored below the
    threshold, which the row does not name)."""
    notes = []
    scores = {c.entity.iri: c.score for c in screened.candidates}
    outside = {o.iri: o for o in screened.outside}
    # Commas within a note: "; " parts the notes, and a cell split on it gave 31 pieces of
    # 12 notes (trial 56a: "same name 'X'; entries 20129 and 25437 of the SDN").
    for m in entity.candidate_matches:
        entries = "".join(f", {said}" for said in (*m.entries, *m.countries))
        other = f"{screened.shown_as.get(m.other, m.caption)}{entries} <{m.other}>"
        other += _in_this_row(scores.get(m.other), outside.get(m.other), threshold)
        if m.namesake:
            evidence = ", ".join(said.replace("; ", ", ") for said in m.evidence)
            notes.append(f"a namesake the list tells apart: {other} ({evidence})")
            continue
        kinds = ", ".join(dict.fromkeys(said.split(": ", 1)[0] for said in m.evidence))
        notes.append(
            f"possibly the same party as {other}: our candidate match {m.score:.2f}, which no "
            f"curator has judged ({kinds}) <{m.iri}>"
        )
    return notes


def _in_this_row(score: float | None, outside: OutOfForce | None, threshold: float) -> str:
    """Whether the row names the other party too (its `score` in force, or its reading not
    counted that day), and as what: a party not known to be in force that day was named in
    other_candidates and not here (trial 55a: Gazprom Neft as of 2020-01-01)."""
    if score is not None:
        if score >= threshold:
            return " (also a possible match of this row)"
        return f" (scored {score:.2f} for this row, below the threshold)"
    if outside is None:
        return ""
    if not outside.unknown:
        return f" (matched by this row, {outside.score:.2f}, not in force that day)"
    if outside.score >= threshold:
        return " (also a possible match of this row, not known to be in force that day)"
    return (
        f" (scored {outside.score:.2f} for this row, below the threshold, not known to be in "
        "force that day)"
    )


def unknown_json(why: str) -> dict[str, Any]:
    """Whether an entry not counted on the day may have been in force, and why."""
    return {"unknown_on_day": bool(why), "unknown_why": why or None}


def properties(entity: Entity) -> dict[str, list[str]]:
    found = {
        "name": [entity.caption],
        "country": sorted(entity.countries),
        "birthDate": list(entity.birth_dates),
    }
    return {key: values for key, values in found.items() if values}


def description(candidate_listings: tuple[Listing, ...], entity: Entity) -> str:
    """A line telling namesakes apart: lists and start dates, countries, date of birth, and
    a kind the list does not state."""
    lists = listed_together(candidate_listings)
    countries = ", ".join(country_name(code) for code in sorted(entity.countries))
    born = f"born {', '.join(entity.birth_dates)}" if entity.birth_dates else ""
    kind = f"{entity.schema} by our inference" if entity.kind_inferred else ""
    return " · ".join(part for part in (lists, countries, born, kind) if part)


def listed(listing: Listing) -> str:
    """A listing in a few words: "EL since 2019-10-09", "SDN no. 25437 (no start date, first
    observed 2022-05-06)", with the number the list gives the entry (trial 51d)."""
    return f"{listing.entry or listing.abbreviation or listing.list_name}{since(listing)}"


def listed_together(listings: Iterable[Listing], *, iris: bool = False) -> str:
    """Listings in a few words, joined by "; ". Entries a list prints apart from one day
    (NBC Navegan Bar's two Entity List entries, with other licence terms) read alike: they
    are said once with how many, and, with `iris`, each entry's IRI, which a spreadsheet
    looks up to tell them apart.

    >>> el = [Listing(f"x:{n}", "x:el", "Entity List", "EL", "2012-04-25", None) for n in "ab"]
    >>> listed_together(el), listed_together([el[0]])
    ('EL since 2012-04-25 (2 entries)', 'EL since 2012-04-25')
    >>> listed_together(el, iris=True)
    'EL since 2012-04-25 (2 entries: x:a, x:b)'
    """
    alike: dict[str, list[str]] = {}
    for listing in listings:
        alike.setdefault(listed(listing), []).append(listing.iri)
    said = []
    for text, each in alike.items():
        entries = f" ({len(each)} entries{': ' + ', '.join(each) if iris else ''})"
        said.append(text + entries if len(each) > 1 else text)
    return "; ".join(said)


def since(listing: Listing) -> str:
    """Since when a listing counts, and what that date is."""
    window = listing.window
    if window.since is None or window.observed_since:
        return f" ({window.span_text()})"
    return f" since {window.span_text()}"


def short_id(iri: str, base: str) -> str:
    """The id OpenRefine shows: the IRI after `<base>id/` (the manifest's view adds it back)."""
    prefix = f"{base}id/"
    return iri[len(prefix) :] if iri.startswith(prefix) else iri


def full_iri(identifier: str, base: str) -> str:
    return identifier if "://" in identifier else f"{base}id/{identifier}"


def suggestion(
    entity: Entity, base: str, day: dt.date, lists: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A party as the reconciliation service suggests it, named and described by its entries
    in force that day on the lists asked, as `/reconcile` names it: Huawei's CMIC record here
    and its EL record there put two IRIs in one OpenRefine column (trial 30)."""
    listings = in_force(entity.listings, day, lists)
    return {
        "id": short_id(record_named(listings, entity), base),
        "name": caption_of(entity, listings),
        "description": description(listings, entity),
        "notable": [{"id": entity.schema, "name": entity.schema}],
    }


def reconcile_not_known(screened: Screening, base: str, threshold: float) -> list[dict[str, Any]]:
    """The parties matched whose entries may have been in force on the day, for a person to
    review, never to take: OpenRefine showed no candidate for "Aeroflot", whose temporary
    denial order may have been extended since the last snapshot (trial 36)."""
    return [
        reconcile_candidate(
            o.candidate, base, match=False, before=f"NOT KNOWN to be in force on {screened.as_of}"
        )
        for o in screened.outside
        if o.unknown and o.candidate is not None and o.score >= threshold
    ]


def reconcile_candidate(
    candidate: Candidate, base: str, *, match: bool, before: str = ""
) -> dict[str, Any]:
    """One candidate in the Reconciliation API's form; `before` heads its description."""
    entity = candidate.entity
    # The name it matched by, where it is another: OpenRefine shows name and description
    # only, and "Global Trading LLC" showed ENERGY ENGINEERS PROCUREMENT AND CONSTRUCTION
    # without its alias GLOBAL TRADING GROUP (trial 32).
    matched = candidate.matched_name
    by = f"matched as {matched} · " if matched and matched != candidate.caption else ""
    # Where no list gives the name, who does: OpenRefine showed "matched as SenseTime Group
    # Ltd · EL", read as the Entity List's own name (trial 36).
    unlisted = unlisted_name(candidate)
    if by and unlisted:
        by = f"matched as {unlisted} · "
    # /screen said "a place alone, which names no party" of "Moscow"; OpenRefine showed a
    # Colombian whose alias is MOSCO, unsaid (trial 46a).
    if any(PLACE_ALONE in feature.detail for feature in candidate.features):
        by = f"{PLACE_ALONE} · {by}"
    return {
        "id": short_id(record_of(candidate), base),
        "name": candidate.caption,
        "description": " · ".join(
            filter(
                None,
                (before, by + description(candidate.listings or candidate.not_in_force, entity)),
            )
        ),
        "score": candidate.score,
        "match": match,
        "features": [
            {"id": feature.name, "value": feature.effect} for feature in candidate.features
        ],
        "type": [{"id": entity.schema, "name": entity.schema}],
    }


#: The least name score of a `match` OpenRefine takes without asking: the same words
#: (kg.match.score.WORD_ORDER), in another order, spelling or legal form at most. A possible
#: match is for a person to review: "John Smith" was matched to JOHN B. PRIDMORE-SMITH
#: (0.76) and "Global Trading LLC" to ENERGY ENGINEERS PROCUREMENT AND CONSTRUCTION by its
#: alias GLOBAL TRADING GROUP (0.75), unasked (trial 27).
SAME_WORDS = WORD_ORDER


def reconcile_results(
    candidates: tuple[Candidate, ...],
    base: str,
    threshold: float,
    distinctive: Callable[[str], bool],
) -> list[dict[str, Any]]:
    """Candidates for one query; only a first candidate of the same words (SAME_WORDS), at
    or above the threshold with its evidence, none of it against, that stands clear of the
    second is a `match`, which OpenRefine takes without asking; and only with what else
    `_enough_to_take` asks, where `distinctive` tells a name that says which party it is
    (MatchIndex.distinctive)."""
    results = []
    for position, candidate in enumerate(candidates):
        clear = position == 0 and candidate.score >= threshold
        clear = clear and candidate.name_score >= SAME_WORDS
        # Nor where evidence speaks against it: Putin born 1962-10-07 was matched (trial 28).
        clear = clear and all(feature.effect >= 0 for feature in candidate.features)
        clear = clear and _enough_to_take(candidate, distinctive)
        if clear and len(candidates) > 1:
            clear = candidates[1].score < threshold or candidates[1].score <= candidate.score - 0.1
        results.append(reconcile_candidate(candidate, base, match=clear))
    return results


#: What OpenRefine may take without asking beyond a person's name: "Zhang Wei" (CN) was
#: matched to the SDN's WEI, Zhao by an alias, the commonest name in China (trial 35).
PERSON_EVIDENCE = frozenset({"birthDate", "idNumber"})
#: ... and beyond a name that does not say which party it is ("Apex": trial 36).
PARTY_EVIDENCE = frozenset({"country", "idNumber"})


def _enough_to_take(candidate: Candidate, distinctive: Callable[[str], bool]) -> bool:
    """Whether the candidate may be taken without review: a person, or a party of unknown
    kind, needs the same date of birth or identifier besides the name, any other party the
    same country or identifier where its name is not `distinctive`; and a name that only a
    news article or our curation gives (kg.match.rows.UNOFFICIAL) is for a person to review."""
    if unlisted_name(candidate):
        return False
    # A party the list does not say the kind of may be a person: the DPL's I. ASH, a
    # prisoner, was taken for "ASH, I." asked as a person without a date of birth (trial 37).
    if candidate.entity.schema in ("Person", "LegalEntity"):
        evidence = PERSON_EVIDENCE
    elif distinctive(candidate.matched_name):
        return True
    else:
        evidence = PARTY_EVIDENCE
    return any(f.name in evidence and f.effect > 0 for f in candidate.features)


def extension_values(entity: Entity, listings: tuple[Listing, ...], prop: str) -> list[Any]:
    """Cell values of one property for one party, in the Reconciliation API's form."""
    if prop == "lists":
        return [{"str": name} for name in dict.fromkeys(item.list_name for item in listings)]
    if prop in ("start", "end"):
        dates = [getattr(item, prop) for item in listings]
        return [{"date": f"{date}T00:00:00Z"} for date in dates if date]
    if prop == "rule":
        citations = (rule.citation for item in listings for rule in item.rules)
        return [{"str": citation} for citation in dict.fromkeys(citations)]
    if prop == "country":
        return [{"str": code} for code in sorted(entity.countries)]
    if prop == "birthDate":
        return [{"str": date} for date in entity.birth_dates]
    if prop == "schema":
        return [{"str": entity.schema}]
    return []
