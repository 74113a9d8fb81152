"""Reading licence review policies from the words a screening list uses."""

import re

CLASSIFY_METHOD = (
    "An entry's licence review policy, as the list words it (elkg:licenceReviewPolicyText), "
    "is read as a concept of elkg:LicenceReviewPolicy: presumption of denial, presumption "
    "of approval or case-by-case where its words name one of them, mixed policy by item "
    "where they name several, none where they name none (kg.sources.licence.policy_kind). "
    "The list states the words only."
)


_DENIAL = re.compile(r"presumption of denial", re.IGNORECASE)
_APPROVAL = re.compile(r"presumption of approval", re.IGNORECASE)
_CASE = re.compile(r"case[- ]by[- ]case", re.IGNORECASE)


def policy_kind(text: str) -> str | None:
    """The local name of the elkg:LicenceReviewPolicy concept that the text states.

    >>> policy_kind("Presumption of denial")
    'PresumptionOfDenial'
    >>> policy_kind("Case-by-case review for 1A004.c; and presumption of denial for all else")
    'MixedPolicy'
    >>> policy_kind("") is None
    True
    """
    found = [
        name
        for name, pattern in (
            ("PresumptionOfDenial", _DENIAL),
            ("PresumptionOfApproval", _APPROVAL),
            ("CaseByCase", _CASE),
        )
        if pattern.search(text)
    ]
    if not found:
        return None
    return found[0] if len(found) == 1 else "MixedPolicy"
