"""Countries as ISO 3166-1 alpha-2 codes, from a code or an English name.

The CSL writes a party's country as a code where it comes from an address ("CN") and as a
name in the citizenship, nationality and flag columns ("Iran", "Democratic People's Republic
of Korea"); people type either. Both are read as the code here. A name two countries go by
("Korea", "Congo") is read as neither: which one is asked for (`either`), never guessed.
"""

import re
import unicodedata

#: Code, then its English names separated by "|": the short name first.
_TABLE = """
AD Andorra|AE United Arab Emirates|UAE|AF Afghanistan|AG Antigua and Barbuda|AI Anguilla
AL Albania|AM Armenia|AO Angola|AQ Antarctica|AR Argentina|AS American Samoa|AT Austria
AU Australia|AW Aruba|AX Aland Islands|AZ Azerbaijan|BA Bosnia and Herzegovina|Bosnia
BB Barbados|BD Bangladesh|BE Belgium|BF Burkina Faso|BG Bulgaria|BH Bahrain|BI Burundi
BJ Benin|BL Saint Barthelemy|BM Bermuda|BN Brunei|Brunei Darussalam|BO Bolivia
Bolivia, Plurinational State of|BQ Bonaire
BR Brazil|Brasil|BS Bahamas|The Bahamas|BT Bhutan|BW Botswana|BY Belarus|BZ Belize|CA Canada
CC Cocos Islands|CD Democratic Republic of the Congo|Congo, Democratic Republic of the|DRC
Congo, The Democratic Republic of the
CF Central African Republic|CG Republic of the Congo|Congo, Republic of the
CH Switzerland|CI Cote d'Ivoire|Ivory Coast|CK Cook Islands|CL Chile|CM Cameroon|CN China
People's Republic of China|PRC|CO Colombia|CR Costa Rica|CU Cuba|CV Cabo Verde|Cape Verde
CW Curacao|CX Christmas Island|CY Cyprus|CZ Czechia|Czech Republic|DE Germany|DJ Djibouti
DK Denmark|DM Dominica|DO Dominican Republic|DZ Algeria|EC Ecuador|EE Estonia|EG Egypt
EH Western Sahara|ER Eritrea|ES Spain|ET Ethiopia|FI Finland|FJ Fiji|FK Falkland Islands
FM Micronesia|FO Faroe Islands|FR France|GA Gabon|GB United Kingdom|UK|Great Britain|Britain
GD Grenada|GE Georgia|GF French Guiana|GG Guernsey|GH Ghana|GI Gibraltar|GL Greenland
GM Gambia|The Gambia|GN Guinea|GP Guadeloupe|GQ Equatorial Guinea|GR Greece|GT Guatemala
GU Guam|GW Guinea-Bissau|GY Guyana|HK Hong Kong|HN Honduras|HR Croatia|HT Haiti|HU Hungary
ID Indonesia|IE Ireland|IL Israel|IM Isle of Man|IN India|IQ Iraq|IR Iran
Islamic Republic of Iran
Iran, Islamic Republic of|IS Iceland|IT Italy|JE Jersey|JM Jamaica|JO Jordan|JP Japan
KE Kenya|KG Kyrgyzstan|Kyrgyz Republic|KH Cambodia|KI Kiribati|KM Comoros|KN Saint Kitts and Nevis
St. Kitts and Nevis|St. Kitts & Nevis|KP North Korea|Democratic People's Republic of Korea|DPRK
Korea, North|Korea, Democratic People's Republic of
KR South Korea|Republic of Korea|Korea, South
Korea, Republic of|KW Kuwait|KY Cayman Islands
KZ Kazakhstan|LA Laos|Lao People's Democratic Republic|LB Lebanon|LC Saint Lucia|St. Lucia
LI Liechtenstein|LK Sri Lanka|LR Liberia|LS Lesotho|LT Lithuania|LU Luxembourg|LV Latvia
LY Libya|MA Morocco|MC Monaco|MD Moldova
Moldova, Republic of|ME Montenegro|MG Madagascar|MH Marshall Islands
MK North Macedonia|Macedonia|ML Mali|MM Burma|Myanmar|MN Mongolia|MO Macau|Macao
MP Northern Mariana Islands|MQ Martinique|MR Mauritania|MS Montserrat|MT Malta|MU Mauritius
MV Maldives|MW Malawi|MX Mexico|MY Malaysia|MZ Mozambique|NA Namibia|NC New Caledonia
NE Niger|NF Norfolk Island|NG Nigeria|NI Nicaragua|NL Netherlands|The Netherlands|Holland
NO Norway|NP Nepal|NR Nauru|NU Niue|NZ New Zealand|OM Oman|PA Panama|PE Peru
PF French Polynesia|PG Papua New Guinea|PH Philippines|PK Pakistan|PL Poland
PM Saint Pierre and Miquelon|PN Pitcairn|PR Puerto Rico|PS Palestine|Palestinian Territories
West Bank|Gaza|PT Portugal|PW Palau|PY Paraguay|QA Qatar|RE Reunion|RO Romania|RS Serbia
RU Russia|Russian Federation|RW Rwanda|SA Saudi Arabia|SB Solomon Islands|SC Seychelles
SD Sudan|SE Sweden|SG Singapore|SH Saint Helena|SI Slovenia|SK Slovakia|SL Sierra Leone
SM San Marino|SN Senegal|SO Somalia|SR Suriname|SS South Sudan|ST Sao Tome and Principe
SV El Salvador|SX Sint Maarten|SY Syria|Syrian Arab Republic|SZ Eswatini|Swaziland
TC Turks and Caicos Islands|TD Chad|TG Togo|TH Thailand|TJ Tajikistan|TK Tokelau
TL Timor-Leste|East Timor|TM Turkmenistan|TN Tunisia|TO Tonga|TR Turkey|Turkiye
TT Trinidad and Tobago|TV Tuvalu|TW Taiwan
Taiwan, Province of China|TZ Tanzania|Tanzania, United Republic of|UA Ukraine|UG Uganda
US United States|United States of America|USA|America|UY Uruguay|UZ Uzbekistan
VA Holy See|Vatican|VC Saint Vincent and the Grenadines|St. Vincent and the Grenadines
VE Venezuela
Venezuela, Bolivarian Republic of
VG British Virgin Islands|Virgin Islands, British|VI U.S. Virgin Islands
VN Vietnam|Viet Nam|VU Vanuatu|WF Wallis and Futuna|WS Samoa|XK Kosovo|YE Yemen
YT Mayotte|ZA South Africa|ZM Zambia|ZW Zimbabwe
"""

_CODE_NAME = re.compile(r"^([A-Z]{2}) (.+)$")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return _NOT_WORD.sub(" ", plain.replace("&", " and ")).strip()


def _read(table: str) -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    code = ""
    for item in table.replace("\n", "|").split("|"):
        item = item.strip()
        if not item:
            continue
        found = _CODE_NAME.match(item)
        if found:
            code, item = found.groups()
            names[code] = item
        codes[_key(item)] = code
    return names, codes


#: Code -> short English name; folded name -> code.
NAMES, _CODES = _read(_TABLE)
#: Folded names of two countries each: the CSL writes neither alone (it writes "Korea,
#: North"), and a guess would screen a party against the wrong country.
_EITHER = {"korea": ("KP", "KR"), "congo": ("CD", "CG")}


def code(text: str) -> str | None:
    """The ISO code of a country given by code or name, or None.

    >>> code("cn"), code("Democratic People's Republic of Korea"), code("St. Kitts & Nevis")
    ('CN', 'KP', 'KN')
    >>> code("Iran, Islamic Republic of"), code("Korea, Democratic People's Republic of")
    ('IR', 'KP')
    >>> code("Atlantis") is None, code("Korea") is None
    (True, True)
    """
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isalpha() and stripped.upper() in NAMES:
        return stripped.upper()
    return _CODES.get(_key(stripped))


def either(text: str) -> tuple[str, ...]:
    """The countries a name may be, where it is the name of several.

    >>> either(" KOREA "), either("Korea, South")
    (('KP', 'KR'), ())
    """
    return _EITHER.get(_key(text), ())


def name(iso: str) -> str:
    return NAMES.get(iso, iso)


def names_of(iso: str) -> list[str]:
    """Every name `code` reads as the country, folded as it folds them (a reader of its
    own, the site's search, folds alike: lower case, no diacritics, words by one space),
    and the names it shares with another country (`either`), which such a reader asks about.

    >>> names_of("GB"), names_of("KR")[:2]
    (['britain', 'great britain', 'uk', 'united kingdom'], ['korea', 'korea republic of'])
    """
    shared = (key for key, found in _EITHER.items() if iso in found)
    return sorted([*(key for key, found in _CODES.items() if found == iso), *shared])
