"""What the labelling functions of every label share: memoised searches, negation, and cue families used by
more than one label."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from framewatch.data.text import model_text

I = re.IGNORECASE


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    return model_text(text)


def text_of(passage: Any) -> str:
    """The text LFs read: ``model_text`` of the passage, memoised because every LF asks for it."""
    return fold(passage.text)


class _SearchMemo:
    """Remembers which patterns matched the current text, so cue families shared by several LFs are searched once
    per passage (LFs are applied passage by passage)."""

    def __init__(self) -> None:
        self.text = ""
        self.hits: dict[int, bool] = {}

    def found(self, pattern: re.Pattern[str], text: str) -> bool:
        if text != self.text:
            self.text, self.hits = text, {}
        key = id(pattern)
        if key not in self.hits:
            self.hits[key] = pattern.search(text) is not None
        return self.hits[key]


found = _SearchMemo().found

NEGATION = re.compile(
    r"(?:\b(?:not|no|never|neither|nor|without|cannot|hardly|refused to|refuse to|refuses to)"
    r"|n[’']t)\W+(?:[\w’'-]+\W+){0,2}$",
    I,
)
"""A negator within three words before a cue (matched against the text ending at the cue)."""


def any_match_without(pattern: re.Pattern[str], text: str, preceding: re.Pattern[str]) -> bool:
    """Whether some match of ``pattern`` is not directly preceded by ``preceding`` (a negation, say).

    ``preceding`` must be anchored with ``$``: it is searched in the 45 characters that end where the match starts.
    """
    return found(pattern, text) and any(
        preceding.search(text, max(0, m.start() - 45), m.start()) is None for m in pattern.finditer(text)
    )


def none_found(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    return not any(found(p, text) for p in patterns)



# ---------------------------------------------------------------------------------------------- shared cue families

NUMBER = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozens?|scores?"
    r"|hundreds|thousands|millions|tens|several|many|numerous|a number|a dozen)"
)
CASUALTY = (
    r"(?:killed|killing|kills|dead|deaths|died|wounded|wounding|injured|injuring|injuries|casualties|captured|capturing"
    r"|taken prisoner|prisoners of war|surrendered|eliminated|neutrali[sz]ed|liquidated|lost their lives|bodies|corpses"
    r"|massacred|executed|martyred)"
)
EQUIPMENT = (
    r"(?:tanks?|armou?red (?:vehicles?|personnel carriers?)|vehicles?|aircraft|planes?|jets?|helicopters?|drones?|UAVs?"
    r"|artillery (?:pieces?|systems?|guns?)?|howitzers?|launchers?|mortars?|(?:ammunition|arms|weapons) depots?|boats?"
    r"|ships?|warships?|air[ -]defen[cs]e systems?|pieces of (?:military )?(?:equipment|hardware)"
    r"|units of (?:military )?(?:equipment|hardware))"
)
TOLL = re.compile(
    rf"\b{NUMBER}\b[^.;:!?]{{0,50}}?\b{CASUALTY}\b|\b(?:killing|killed|wounding|injuring|capturing|captured|eliminating"
    rf"|eliminated|lost|losing)\s+(?:at least |more than |over |about |some |nearly |almost |up to |around )?{NUMBER}\b"
    rf"|\b(?:destroy\w*|downed|shot down|knocked out|disabled|burn(?:ed|t))\b[^.;:]{{0,30}}?\b{NUMBER}\b"
    rf"(?:\W+\w+){{0,3}}?\W+{EQUIPMENT}\b"
    rf"|\b{NUMBER}\b(?:\W+\w+){{0,3}}?\W+{EQUIPMENT}\b[^.;:]{{0,30}}?\b(?:destroyed|downed|shot down)\b"
    r"|\b(?:heavy|catastrophic|huge|massive|enormous|significant|serious|colossal|staggering|great|big"
    r"|mass) (?:human )?(?:losses|casualties)\b|\b(?:personnel|human|military|combat|manpower) losses\b"
    r"|\bdeath toll\b|\btoll (?:rose|rises|climbed|climbs|reached|has risen)\b",
    I,
)
"""A loss claim: a number or magnitude with a casualty word, or destroyed equipment with a number."""

OFFICIAL_ACTOR = re.compile(
    r"\b(?:government|ministry|minister|ministers|army|military|armed forces|general staff|police"
    r"|spokes(?:man|woman|person|people|men|women)|press (?:secretary|service|office)|officials?|president|presidency"
    r"|prime minister|premier|chancellor|kremlin|white house|pentagon|state department|foreign office|embassy"
    r"|authorities|regime|administration|cabinet|governor|mayor|ambassador|diplomats?|command|commander|commanders"
    r"|headquarters|coalition|Moscow|Damascus|Kyiv|Kiev|Washington|Ankara|Tehran|Beijing|Riyadh|Baghdad|Minsk|Russia"
    r"|Ukraine|Syria|Turkey|Iran|Israel|Iraq|China|NATO|Peskov|Lavrov|Zakharova|Shoigu|Putin|Zelensk\w*|Assad|Erdogan"
    r"|Netanyahu|Obama|Trump|Biden|Kuleba|Cristiani|FMLN|FARC|leadership|Hezbollah|Hizballah|Hamas|Nusra|Ahrar al-Sham"
    r"|Islamic State|"
    r"ISIS|ISIL|Daesh|SDF|YPG|PKK|rebel (?:group|command|leadership|leaders?)|(?-i:IS)|(?-i:US))\b",
    I,
)
"""Governments, armed forces, their spokespeople and leaders, and armed groups' leadership (decision rule 7)."""

PRONOUN_SUBJECT = re.compile(
    r"\b(?:he|she|they|we|it)\s+(?:\w+\s+){0,2}?(?:said|says|told|added|stated)\b|\b(?:said|says|added) (?:he|she"
    r"|they)\b",
    I,
)
"""A pronoun speaker, whose identity the previous sentence may give."""

ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|added|stated|claimed|claims|reported|reports|announced|according to|citing|"
    r"cited|quoted|wrote|writes|insisted|alleged|asserted|noted)\b",
    I,
)

LIES = (
    r"lies(?!\s+(?:in|on|at|within|between|along|across|over|under|to|upon|among|inside|north|south|east|west|near"
    r"|close|far|about|ahead|behind|before|beyond|outside|just|some|more|less|only|mainly|largely|partly|primarily"
    r"|directly|deep|approximately|roughly|around|with|\d))"
)
"""'Lies' the accusation, not the verb of location ("the village lies 60 km north")."""

PARTISAN_VOICE = re.compile(
    r"\b(?:terrorists?|terrorist (?:groups?|organi[sz]ations?|attacks?|rockets?|shells?|fire|gangs?)|takfiri\w*"
    r"|mercenar(?:y|ies)|gangs|bandits|occupiers|occupation forces|invaders|rashists?|orcs|nazis?|neo-nazis?|fascists?"
    r"|punitive|junta|heroes|heroic(?:ally)?|liberat(?:ed|ing)|martyr\w*|the enemy|enemy"
    r"|our (?:heroes|defenders|soldiers|troops|fighters|men|forces|army|guys|boys|warriors|people)|"
    r"aggressors?|yankee\w*|murderous|bloodthirsty|barbaric)\b|!",
    I,
)
"""Wording that puts a toll in a side's own voice (rule 1: "killed in terrorist rocket attacks")."""
