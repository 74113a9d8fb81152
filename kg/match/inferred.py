"""Which parties' kind is our inference only: the one definition, for screening, search and
the site.

Most of the Entity List gives no kind, and the build infers one (an elkg:KindInference,
kg.sources.kinds). A party can also be typed by another source: Hikvision is a Company by
84 FR 54002 (curated), and an Organization by our inference from the CMIC list. Its kind is
then stated, and saying "inferred by us" of it would be wrong. A party's kind is ours only
when the inferred kind is its only kind of our ontology.
"""

from kg.vocab import ELKG

#: Matches ?entity when its kind is only our inference. The caller declares the prefix elkg:.
ONLY_INFERRED = f"""?inference elkg:classifiedParty ?entity ; elkg:inferredKind ?inferredKind .
  FILTER NOT EXISTS {{ ?entity a ?stated .
    FILTER (STRSTARTS(STR(?stated), "{ELKG}") && ?stated != ?inferredKind) }}"""
