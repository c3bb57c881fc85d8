"""Labelling functions for ``anonymous_source``."""
from __future__ import annotations

import re
from typing import Any

from ..labelling import ABSTAIN, NEGATIVE, POSITIVE, labelling_function
from .common import I, found, text_of

ANONYMITY = re.compile(
    r"\bon (?:the )?condition (?:of|that (?:he|she|they) not be) (?:anonymity|named|identified)"
    r"|\b(?:requested|requesting|asked for|demanded|granted|on) anonymity\b"
    r"|\b(?:asked|declined|refused|did not want|didn't want|wished|preferred) (?:not )?to be (?:named|identified)\b"
    r"|\b(?:not |un)authori[sz]ed to (?:speak|talk|brief|comment)|\bwho (?:cannot|could not|can't|couldn't) be (?:named"
    r"|identified)|\bwhose (?:name|identity) (?:was|is|has been|were) (?:withheld"
    r"|not (?:disclosed|revealed|given|released))|\bspeaking (?:anonymously|privately)\b"
    r"|\banonymous(?:ly)? (?:sources?|officials?|officers?|insiders?|spokes\w+|residents?|witness(?:es)?|"
    r"activists?|commanders?|soldiers?|diplomats?|callers?|informants?|letters?|statements?)\b",
    I,
)

_NOT_INFORMATION_SOURCE = (
    r"(?<!energy )(?<!power )(?<!water )(?<!income )(?<!renewable )(?<!alternative )(?<!open )(?<!primary )"
    r"(?<!secondary )(?<!revenue )(?<!funding )(?<!heat )(?<!light )(?<!food )(?<!main )(?<!important )(?<!major )"
)
UNNAMED_SOURCES = re.compile(
    rf"{_NOT_INFORMATION_SOURCE}\bsources?\b(?=[^.;]{{0,14}}?\b(?:said|says|say|told|tell|reported|report|"
    r"claimed|claim|confirmed|indicated|revealed|added|stated|noted|quoted|familiar|close to|in|at|within|inside"
    r"|on the ground|suggest\w*|speaking)\b)|\baccording to\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?sources?\b"
    r"|\b(?:an?|one|the)\s+(?:[\w-]+\s+){0,2}?insiders?\b|\binsiders?\s+(?:said|say|told|claim)",
    I,
)
"""Unnamed sources ("informed sources said", "a military source told SANA", "an insider")."""

_OFFICIAL_ROLE = (
    r"(?:officials?|spokes(?:man|woman|person|people|men|women)|representatives?|diplomats?|officers?|commanders?"
    r"|aides?|advis[eo]rs?|sources?|staffers?|envoys?|negotiators?|lawmakers?|security (?:official|source)s?)"
)
UNNAMED_OFFICIAL = re.compile(
    rf"\b(?:an?|one|another|the same|two|three|several|some)\s+(?:[\w-]+\s+){{0,3}}?(?P<role>{_OFFICIAL_ROLE})\b"
    r"(?:\s+(?:for|from|of|at|in|with|close to)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}?)?[^.;]{0,30}?\b(?:said|says|told"
    r"|added|stated|noted|explained|confirmed|claimed|warned|revealed|indicated|quoted)\b"
    rf"|\b(?:said|says|told|according to|quoted|citing)\s+(?:an?|one"
    rf"|another)\s+(?:[\w-]+\s+){{0,3}}?(?P<role2>{_OFFICIAL_ROLE})\b|\b(?:[\w-]+\s+)?(?P<role3>officials|spokesmen"
    rf"|diplomats|officers|commanders)\s+(?:\w+\s+){{0,2}}?"
    r"(?:said|say|says|told|believe|expect|warned|added|confirmed|claimed|acknowledged)\b",
    I,
)
"""An unnamed person at a named or unnamed body ("a spokesperson for the military", "Pentagon officials said").

Rule 2: the body is named, the person is not. The LF drops a match whose role is followed by a name.
"""

NAME_AFTER_ROLE = re.compile(
    r",?\s+(?:(?:Lt\.?|Col\.?|Gen\.?|Maj\.?|Capt\.?|Dr\.?|Mr\.?|Ms\.?|Mrs\.?)\s+)?[A-Z][\w'’.-]+\s+[A-Z][\w'’-]+"
)
"""A proper name (two capitalised words) right after a role: "spokesman Lieutenant Colonel Gilleran said"."""

UNNAMED_GROUP = re.compile(
    r"\b(?:according to|citing|cited|quoting)\s+(?:[\w-]+\s+){0,2}?(?:media\s+|press\s+|news\s+|local\s+|preliminary\s+"
    r"|initial\s+|unconfirmed\s+|some\s+|several\s+|multiple\s+)?reports\b"
    r"|\b(?:media|press|news) reports?\s+(?:said|say|says|suggest\w*|claim\w*|indicat\w*|that|quoted|citing)\b"
    r"|\b(?:most|many|some|several|other|independent|western|military|foreign|local)\s+(?:experts|analysts|observers"
    r"|commentators|diplomats|specialists|scholars|historians|economists)\s+(?:\w+\s+)?(?:say|said|believe|believed"
    r"|think|thought|argue|argued|note|noted|agree|suggest|estimate|warn|claim)\b"
    r"|\b(?:experts|analysts|observers|commentators|critics)\s+(?:say|said|believe|believed|think|argue|agree|suggest"
    r"|estimate|warn|warned|claim)\b|\bit is (?:widely |generally |commonly |often )?(?:believed|thought|said|rumou?red"
    r"|alleged|claimed)\b|\b(?:many|some|most|others) (?:believe|say|claim|argue|suspect)\b"
    r"|\b(?:residents|locals|witnesses|eyewitnesses|villagers|activists|medics)\s+(?:[\w-]+\s+){0,2}?(?:said|say|told"
    r"|reported|described|recounted|claimed)\b|\brumou?rs (?:say|have it|suggest)"
    r"|\bthere (?:are|were|have been) reports\b|\breports (?:emerged|suggest\w*"
    r"|say)\b",
    I,
)
"""Unnamed groups as a source (rule 9): "media reports", "experts say", "it is widely believed", "residents said"."""

PEOPLE_FAMILIAR = re.compile(
    r"\b(?:people|persons?|sources?|someone|officials?|those|individuals?|one person|a person"
    r"|insiders?)\s+(?:directly\s+)?(?:familiar|close|with (?:direct )?knowledge|briefed|involved|privy)\s+(?:with|to"
    r"|of|on)\b|\bclose to the (?:investigation|matter|talks|negotiations|kremlin|government|family|situation"
    r"|leadership|"
    r"command|presidency|president|ministry|army|military|security services)\b",
    I,
)
"""People close to or familiar with a matter: unnamed by construction."""

_PERSON_ROLE = (
    r"(?:residents?|witness(?:es)?|eyewitness(?:es)?|activists?|doctors?|medics?|nurses?|fighters?|soldiers?"
    r"|servicem[ae]n|reporters?|correspondents?|journalists?|analysts?|experts?|observers?|workers?|rescuers?"
    r"|volunteers?|villagers?|survivors?|relatives?|refugees?|defectors?|commentators?|bloggers?)"
)
UNNAMED_PERSON = re.compile(
    rf"\b(?:an?|one|another|the same)\s+(?:[\w-]+\s+){{0,3}}?(?P<role>{_PERSON_ROLE})\b"
    r"(?:\s+(?:who|from|in|at|of|with|for)\b[^.;\"“”]{0,60}?)?,?\s+(?:said|says|told|added|recounted|described|claimed"
    r"|reported|explained|wrote)\b"
    rf"|\b(?:said|says|told|according to)\s+(?:an?|one|another)\s+(?:[\w-]+\s+){{0,3}}?(?P<role2>{_PERSON_ROLE})\b",
    I,
)
"""An unnamed person ("a local resident told AFP", "a SANA reporter said", "said a European defense analyst")."""

NAMED_SPEAKER = re.compile(
    r"(?P<name>(?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’.-]+),?\s+(?:said|says|told|added|stated|wrote|noted|explained"
    r"|announced|declared|stressed|emphasi[sz]ed|insisted)\b|\b(?:said|says"
    r"|according to)\s+(?P<name2>(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’.-]+)"
    r"|\b(?i:the (?:[\w-]+ ){0,2}(?:ministry|kremlin|pentagon|army|observatory|agency|committee|office|command|embassy"
    r"|council|department|white house|government|police|president|prime minister) (?:said|says|stated|reported"
    r"|announced))\b",
)
"""A named person or institution speaking on the record (case-sensitive: names are capitalised)."""

NOT_A_NAME = frozenset(
    "A An The He She They It We I You This That These Those There Here Sources Source Officials Official "
    "Spokesman Spokeswoman Spokesperson Activists Residents Witnesses Analysts Experts Observers Diplomats "
    "Some Many Most One Another Local Military Security Medical Media Reports Insiders Others Critics "
    "But And Yet However Meanwhile Later Earlier Also Then When While He’s It’s".split()
)
"""Capitalised words that start sentences or name roles, not people."""

ANON_MARKERS = re.compile(
    r"\b(?:sources?|officials?|spokes\w+|insiders?|anonymity|reportedly|reports|activists?|residents?|witness\w*|"
    r"analysts?|experts?|observers?|diplomats?|familiar)\b",
    I,
)


def _unnamed_role(match: re.Match[str], text: str, name_after: re.Pattern[str]) -> bool:
    role_end = max(match.end(g) for g in ("role", "role2", "role3") if g in match.re.groupindex and match.group(g))
    return name_after.match(text, role_end) is None


@labelling_function("anonymous_source", resources={"anonymity": ANONYMITY})
def anon_condition_of_anonymity(passage: Any, anonymity: re.Pattern[str]) -> int:
    """Identity withheld in so many words ("speaking on condition of anonymity", "requested anonymity")."""
    return POSITIVE if found(anonymity, text_of(passage)) else ABSTAIN


@labelling_function("anonymous_source", resources={"sources": UNNAMED_SOURCES})
def anon_unnamed_sources(passage: Any, sources: re.Pattern[str]) -> int:
    """Unnamed sources or insiders ("informed sources said", "according to a source in the province")."""
    return POSITIVE if found(sources, text_of(passage)) else ABSTAIN


@labelling_function("anonymous_source", resources={"official": UNNAMED_OFFICIAL, "name_after": NAME_AFTER_ROLE})
def anon_unnamed_official(passage: Any, official: re.Pattern[str], name_after: re.Pattern[str]) -> int:
    """An unnamed official or spokesperson, even at a named body (rule 2); a role followed by a name is skipped."""
    text = text_of(passage)
    if found(official, text) and any(_unnamed_role(m, text, name_after) for m in official.finditer(text)):
        return POSITIVE
    return ABSTAIN


@labelling_function("anonymous_source", resources={"person": UNNAMED_PERSON, "name_after": NAME_AFTER_ROLE})
def anon_unnamed_person(passage: Any, person: re.Pattern[str], name_after: re.Pattern[str]) -> int:
    """An unnamed witness, resident, activist, reporter or analyst as the speaker."""
    text = text_of(passage)
    if found(person, text) and any(_unnamed_role(m, text, name_after) for m in person.finditer(text)):
        return POSITIVE
    return ABSTAIN


@labelling_function("anonymous_source", resources={"group": UNNAMED_GROUP})
def anon_unnamed_group(passage: Any, group: re.Pattern[str]) -> int:
    """An unnamed group as the source (rule 9: "media reports", "experts say"); a bare "reportedly" is not."""
    return POSITIVE if found(group, text_of(passage)) else ABSTAIN


@labelling_function("anonymous_source", resources={"familiar": PEOPLE_FAMILIAR})
def anon_people_familiar(passage: Any, familiar: re.Pattern[str]) -> int:
    """People close to or familiar with a matter ("people familiar with the talks", "sources close to the Kremlin")."""
    return POSITIVE if found(familiar, text_of(passage)) else ABSTAIN


@labelling_function(
    "anonymous_source", resources={"named": NAMED_SPEAKER, "not_a_name": NOT_A_NAME, "markers": ANON_MARKERS}
)
def anon_named_source(
    passage: Any, named: re.Pattern[str], not_a_name: frozenset[str], markers: re.Pattern[str]
) -> int:
    """A named person or institution on the record, with no unnamed-source wording anywhere: NEGATIVE."""
    text = text_of(passage)
    if found(markers, text) or not found(named, text):
        return ABSTAIN
    for match in named.finditer(text):
        name = match.group("name") or match.group("name2")
        if name is None or any(word not in not_a_name for word in name.split()):
            return NEGATIVE
    return ABSTAIN


