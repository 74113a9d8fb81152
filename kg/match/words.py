"""The words of a name as the name search reads them: one definition for the server's
`/search` and the static site's prebuilt search index, so both find the same names.

Case, diacritics and punctuation are folded away and each Chinese character is a word
(Chinese is matched character by character). Spellings of one word (Kashgar and Kashi,
Urumqi and Wulumuqi) are one class: the screening matcher's table of romanisations
(`kg.match.normalise.VARIANTS`), the spellings of common Arabic and Persian names
(`kg.match.normalise.SPELLINGS`), and more learnt from the data (a name beside its transliteration).
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from kg.match import normalise

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> list[str]:
    """Words without case, diacritics or punctuation; each CJK character is a word.

    >>> fold("Ürümqi  Municipal P.S.B.")
    ['urumqi', 'municipal', 'p', 's', 'b']
    >>> fold("海康威视")
    ['海', '康', '威', '视']
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = CJK.sub(lambda match: f" {match.group()} ", plain)
    return _WORD.findall(plain)


def naming(words: Iterable[str]) -> set[str]:
    """The words that tell a name apart, by which a search weighs how much of a name a query
    covers: its distinct words but the legal forms most company names share ("Co", "Ltd"),
    or every word of one that is all legal form. "Huawei" covers "HUAWEI TECHNOLOGIES CO.,
    LTD." as much as "Huawei Cuba".

    >>> sorted(naming(["huawei", "technology", "co", "ltd", "co"]))
    ['huawei', 'technology']
    >>> sorted(naming(["company", "limited"]))
    ['company', 'limited']
    """
    distinct = set(words)
    return (distinct - normalise.LEGAL_FORMS) or distinct


class Variants(normalise.Variants):
    """The screening matcher's romanisation classes, the names' spellings, and more learnt
    from the data."""

    def __init__(
        self, groups: Iterable[Sequence[str]] = (*normalise.VARIANTS, *normalise.SPELLINGS)
    ) -> None:
        super().__init__(groups)

    def learn(self, name: str, transliteration: str) -> None:
        """Join the words in which a name and its transliteration differ one for one.

        >>> variants = Variants()
        >>> variants.learn("Shache County PSB", "Yarkand County PSB")
        >>> variants.canonical("yarkand")
        'shache'
        """
        left, right = fold(name), fold(transliteration)
        matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "replace" and i2 - i1 == j2 - j1 == 1:
                self.join(left[i1], right[j1])

    @classmethod
    def learnt(cls, pairs: Iterable[tuple[str, str]]) -> "Variants":
        """The classes with those of (name, transliteration) pairs, learnt in a fixed order
        so that they do not depend on the order of the rows: the site's search and /search
        learn them alike."""
        variants = cls()
        for name, transliteration in sorted(set(pairs)):
            variants.learn(name, transliteration)
        return variants

    def classes(self) -> dict[str, str]:
        """Every word that is read as another: the word and the one it is read as."""
        return {word: self.canonical(word) for word in self._parent if self.canonical(word) != word}
