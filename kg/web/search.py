"""Name search over names and aliases, tolerant of how people type names.

Case, diacritics, punctuation and word order are folded away; Chinese script is matched
character by character; transliteration variants (Kashgar and Kashi, Urumqi and Wulumuqi)
are one word. How a name is read as words is `kg.match.words`, shared with the static
site's search index.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from kg.match.words import CJK as _CJK
from kg.match.words import Variants, fold

__all__ = ["Entry", "Hit", "NameIndex", "Variants", "fold"]


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    name: str
    kind: str


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    matched: str
    kind: str
    score: float


class NameIndex:
    def __init__(self, entries: Sequence[Entry], variants: Variants | None = None) -> None:
        self.variants = variants or Variants()
        self._entries = list(entries)
        self._words = [self._canonical(fold(entry.name)) for entry in self._entries]
        self._postings: dict[str, set[int]] = defaultdict(set)
        for position, words in enumerate(self._words):
            for word in words:
                self._postings[word].add(position)
        self._vocabulary = sorted(self._postings)

    def __len__(self) -> int:
        return len(self._entries)

    def _canonical(self, words: list[str]) -> list[str]:
        return [self.variants.canonical(word) for word in words]

    def _candidates(self, word: str) -> dict[int, float]:
        """Entries holding the word (1.0) or a word it begins (0.7, for words of 2+ letters)."""
        found = dict.fromkeys(self._postings.get(word, ()), 1.0)
        if len(word) >= 2 and not _CJK.match(word):
            for other in self._vocabulary:
                if other.startswith(word) and other != word:
                    for position in self._postings[other]:
                        found.setdefault(position, 0.7)
        return found

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        words = self._canonical(fold(query))
        if not words:
            return []
        scores: dict[int, float] | None = None
        for word in dict.fromkeys(words):
            candidates = self._candidates(word)
            scores = (
                candidates
                if scores is None
                else {p: s + candidates[p] for p, s in scores.items() if p in candidates}
            )
        best: dict[str, Hit] = {}
        for position, total in (scores or {}).items():
            entry = self._entries[position]
            coverage = len(set(words)) / max(1, len(set(self._words[position])))
            score = (
                total / len(set(words)) + 0.3 * coverage + (0.1 if entry.name == entry.label else 0)
            )
            hit = Hit(entry.iri, entry.label, entry.name, entry.kind, round(score, 4))
            if entry.iri not in best or hit.score > best[entry.iri].score:
                best[entry.iri] = hit
        ranked = sorted(best.values(), key=lambda hit: (-hit.score, hit.label, hit.iri))
        return ranked[:limit]
