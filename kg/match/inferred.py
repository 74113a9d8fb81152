"""Which parties' kind is our inference only: the one definition, for screening, search and
the site.

Most of the Entity List gives no kind, and the build infers one (an elkg:KindInference,
kg.sources.kinds). A party can also be typed by another source: Hikvision is a Company by
84 FR 54002 (curated), and an Organization by our inference from the CMIC list. Its kind is
then stated, and saying "inferred by us" of it would be wrong. So is Fujian Torch's: its
Entity List row gives no kind, which we infer from its CMIC row, which states it. A party's
kind is ours only when no graph but those of our inferences (the inferred kinds, the
entailed graphs) gives it a kind of our ontology.
"""

from kg.iris import ENTAILED_FROM_OURS_GRAPH, ENTAILED_GRAPH, INFERRED_KINDS_GRAPH
from kg.vocab import ELKG

#: Matches ?entity when its kind is only our inference. The caller declares the prefix elkg:.
ONLY_INFERRED = f"""?inference elkg:classifiedParty ?entity ; elkg:inferredKind ?inferredKind .
  FILTER NOT EXISTS {{ GRAPH ?stating {{ ?entity a ?stated }}
    FILTER (STRSTARTS(STR(?stated), "{ELKG}")
      && !STRENDS(STR(?stating), "/graph/{INFERRED_KINDS_GRAPH}")
      && !STRENDS(STR(?stating), "/graph/{ENTAILED_GRAPH}")
      && !STRENDS(STR(?stating), "/graph/{ENTAILED_FROM_OURS_GRAPH}")) }}"""
