"""Splitting and repairing names as screening lists publish them."""

import re

# "A; B; and C" and "A, Ltd., and B": the last item is introduced by "and".
_SEPARATOR = re.compile(r";\s*(?:and\s+)?|,\s+and\s+")


def split_alt_names(text: str) -> list[str]:
    """The aliases in a Consolidated Screening List `alt_names` field.

    >>> split_alt_names("Kumul Municipality PSB; and Qumul Municipality PSB")
    ['Kumul Municipality PSB', 'Qumul Municipality PSB']
    >>> split_alt_names("Beijing Shangtang Technology Development Co., Ltd., and Sense Time")
    ['Beijing Shangtang Technology Development Co., Ltd.', 'Sense Time']
    >>> split_alt_names("")
    []
    """
    parts = (part.strip() for part in _SEPARATOR.split(text))
    return [part for part in parts if part]


REPAIR_METHOD = (
    "A list's name with a '?' between a letter and a final possessive 's' (\"People?s "
    'Government") has an apostrophe put back ("People\'s Government"): no other character '
    "stands there. A name with any other '?' is not repaired, as several characters could "
    "have stood there (kg.sources.names.repair_name). The list's own spelling stays its "
    "schema:name and elkg:publishedName; the repair is elkg:repairedName."
)
# A '?' between letters where an apostrophe was: "People?s", "Yan?an".
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\?(?=s\b)")


def repair_name(name: str) -> str | None:
    """The name with a damaged character put back, only where the repair is certain.

    A '?' before a final possessive 's' can only have been an apostrophe; any other '?'
    is left alone, because several characters could have stood there.

    >>> repair_name("Xinjiang Uighur Autonomous Region (XUAR) People?s Government")
    "Xinjiang Uighur Autonomous Region (XUAR) People's Government"
    >>> repair_name("Huawei do Brasil Telecomunicac?es Ltda") is None
    True
    """
    if "?" not in name:
        return None
    repaired = _LOST_APOSTROPHE.sub("'", name)
    return repaired if "?" not in repaired else None
