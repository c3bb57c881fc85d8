"""Labelling functions for the eight framing labels (taxonomy v1, ``shared/taxonomy.md``).

Each label has several small LFs: positive ones, one per family of cues, and negative ones that encode the
label's exclusions and decision rules (a verifier behind a toll, silence rather than denial, a routine
designation...). Cue patterns are module-level compiled regexes handed to each LF through ``resources``.

Conventions shared by all LFs:

* LFs read the case-folded text of shouting passages (MUC wire copy) via :func:`model_text`, memoised per
  passage; patterns are case-insensitive except where case carries meaning (proper names, ``IS``, ``X``).
* Quoted wording counts like the passage's own (decision rule 5), so quotes are never stripped; quotation
  marks are used only to spot scare quotes and quoted one-word verdicts ("'pure speculation'").
* A cue directly preceded by a negation ("did not surrender") does not vote positive.
* The previous sentence (``context``) is read only to find who a pronoun subject is (official denials).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:  # the regex parser is private; it moved in Python 3.11
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from framewatch.data.text import model_text

from .labelling import ABSTAIN, NEGATIVE, POSITIVE, LabellingFunction, labelling_function

_I = re.IGNORECASE

# ---------------------------------------------------------------------------------------------- shared machinery


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return model_text(text)


def _text(passage: Any) -> str:
    """The text LFs read: ``model_text`` of the passage, memoised because every LF asks for it."""
    return _fold(passage.text)


_REPEATS = tuple(op for op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) if op)
_COMMON = frozenset("the of to in a an and or on at is are was were that with for by as it its".split())


def _selectivity(literals: frozenset[str]) -> tuple[int, int]:
    """Prefer gates of long, uncommon strings, then gates with fewer strings (cheaper to test)."""
    shortest = min(0 if s.strip() in _COMMON else len(s.strip()) for s in literals)
    return min(shortest, 5), -len(literals)


def required_literals(items: Any) -> frozenset[str] | None:
    """Case-folded strings, one of which every match of a parsed pattern contains; ``None`` when unknown.

    Used as a cheap gate (``any(s in text for s in gate)``) before the regex itself, which more than halves
    the LF run time because most cues are absent from most sentences. The gate is derived from the pattern,
    so it cannot drift out of step with it; anything not understood (classes, lookarounds, optional parts)
    contributes nothing, which only makes the gate weaker, never wrong.
    """
    best: frozenset[str] | None = None

    def consider(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if candidate and (best is None or _selectivity(candidate) > _selectivity(best)):
            best = candidate

    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider(frozenset({"".join(run).casefold()}))
            run = []
        if op is _sre.BRANCH:
            alternatives = [required_literals(alt) for alt in av[1]]
            consider(None if any(a is None for a in alternatives) else frozenset().union(*alternatives))
        elif op is _sre.SUBPATTERN:
            consider(required_literals(av[-1]))
        elif op in _REPEATS and av[0] >= 1:
            consider(required_literals(av[2]))
    return best


class _SearchMemo:
    """Remembers which patterns matched the current text, so cue families shared by several LFs are searched
    once per passage (LFs are applied passage by passage), and gates each search on its required literals."""

    def __init__(self) -> None:
        self.text = ""
        self.folded = ""
        self.hits: dict[int, bool] = {}
        self.gates: dict[int, tuple[re.Pattern[str], tuple[str, ...]]] = {}

    def gate(self, pattern: re.Pattern[str]) -> tuple[str, ...]:
        """The literals one of which must occur; the pattern is kept alive with it, so its ``id`` stays unique."""
        key = id(pattern)
        if key not in self.gates:
            literals = required_literals(_sre_parse.parse(pattern.pattern, pattern.flags))
            self.gates[key] = (pattern, tuple(sorted(literals, key=len, reverse=True)) if literals else ("",))
        return self.gates[key][1]

    def found(self, pattern: re.Pattern[str], text: str) -> bool:
        if text != self.text:
            self.text, self.folded, self.hits = text, text.casefold(), {}
        key = id(pattern)
        if key not in self.hits:
            folded = self.folded
            self.hits[key] = any(s in folded for s in self.gate(pattern)) and pattern.search(text) is not None
        return self.hits[key]


_found = _SearchMemo().found

NEGATION = re.compile(
    r"(?:\b(?:not|no|never|neither|nor|without|cannot|hardly|refused to|refuse to|refuses to)"
    r"|n[’']t)\W+(?:[\w’'-]+\W+){0,2}$",
    _I,
)
"""A negator within three words before a cue (matched against the text ending at the cue)."""


def _any_match_without(pattern: re.Pattern[str], text: str, preceding: re.Pattern[str]) -> bool:
    """Whether some match of ``pattern`` is not directly preceded by ``preceding`` (a negation, say).

    ``preceding`` must be anchored with ``$``: it is searched in the 45 characters that end where the match starts.
    """
    return _found(pattern, text) and any(
        preceding.search(text, max(0, m.start() - 45), m.start()) is None for m in pattern.finditer(text)
    )


def _none_found(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    return not any(_found(p, text) for p in patterns)


# ---------------------------------------------------------------------------------------------- shared cue families

_NUM = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozens?|scores?"
    r"|hundreds|thousands|millions|tens|several|many|numerous|a number|a dozen)"
)
_CASUALTY = (
    r"(?:killed|killing|kills|dead|deaths|died|wounded|wounding|injured|injuring|injuries|casualties|captured|capturing"
    r"|taken prisoner|prisoners of war|surrendered|eliminated|neutrali[sz]ed|liquidated|lost their lives|bodies|corpses"
    r"|massacred|executed|martyred)"
)
_EQUIPMENT = (
    r"(?:tanks?|armou?red (?:vehicles?|personnel carriers?)|vehicles?|aircraft|planes?|jets?|helicopters?|drones?|UAVs?"
    r"|artillery (?:pieces?|systems?|guns?)?|howitzers?|launchers?|mortars?|(?:ammunition|arms|weapons) depots?|boats?"
    r"|ships?|warships?|air[ -]defen[cs]e systems?|pieces of (?:military )?(?:equipment|hardware)"
    r"|units of (?:military )?(?:equipment|hardware))"
)
TOLL = re.compile(
    rf"\b{_NUM}\b[^.;:!?]{{0,50}}?\b{_CASUALTY}\b|\b(?:killing|killed|wounding|injuring|capturing|captured|eliminating"
    rf"|eliminated|lost|losing)\s+(?:at least |more than |over |about |some |nearly |almost |up to |around )?{_NUM}\b"
    rf"|\b(?:destroy\w*|downed|shot down|knocked out|disabled|burn(?:ed|t))\b[^.;:]{{0,30}}?\b{_NUM}\b"
    rf"(?:\W+\w+){{0,3}}?\W+{_EQUIPMENT}\b"
    rf"|\b{_NUM}\b(?:\W+\w+){{0,3}}?\W+{_EQUIPMENT}\b[^.;:]{{0,30}}?\b(?:destroyed|downed|shot down)\b"
    r"|\b(?:heavy|catastrophic|huge|massive|enormous|significant|serious|colossal|staggering|great|big"
    r"|mass) (?:human )?(?:losses|casualties)\b|\b(?:personnel|human|military|combat|manpower) losses\b"
    r"|\bdeath toll\b|\btoll (?:rose|rises|climbed|climbs|reached|has risen)\b",
    _I,
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
    _I,
)
"""Governments, armed forces, their spokespeople and leaders, and armed groups' leadership (decision rule 7)."""

PRONOUN_SUBJECT = re.compile(
    r"\b(?:he|she|they|we|it)\s+(?:\w+\s+){0,2}?(?:said|says|told|added|stated)\b|\b(?:said|says|added) (?:he|she"
    r"|they)\b",
    _I,
)
"""A pronoun speaker, whose identity the previous sentence may give."""

ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|added|stated|claimed|claims|reported|reports|announced|according to|citing|"
    r"cited|quoted|wrote|writes|insisted|alleged|asserted|noted)\b",
    _I,
)

# ------------------------------------------------------------------------------------------ unverified_casualty_claim

PARTY_SOURCE = re.compile(
    r"\b(?:(?:defen[cs]e|interior|foreign|health) ministry|ministry of (?:defen[cs]e|interior|health|emergency)|army"
    r"|military|armed forces|general staff|command|navy|air force|police|government|regime|authorities"
    r"|spokes(?:man|woman|person)|SANA|state(?:-run)? (?:media|tv|television|news agency|broadcaster|news)"
    r"|official media|FNA|Fars|al-Manar|Amaq|A'maq|TASS|RIA(?: Novosti)?|Sputnik|Ukrinform|Radio Venceremos|FMLN|rebels"
    r"|militants|insurgents|guerrillas|jihadists|the group|(?-i:IS)|ISIS|ISIL|Daesh|Nusra|Hezbollah|Hizballah|SDF|YPG"
    r"|coalition|Pentagon|Kremlin|(?:DPR|LPR) (?:leader|head|militia|authorities)|Pushilin|Prigozhin|Wagner|Konashenkov"
    r"|Zelensk\w*|Putin|Shoigu)\b[^.;]{0,80}?\b(?:said|says|told|reported|reports|claimed|claims|announced|stated|wrote"
    r"|added|citing|cited)\b|\b(?:said|says|told|reported|claimed|announced|according to|citing"
    r"|cited)\b[^.;]{0,40}?\b(?:ministry|army|military|armed forces|general staff|command|SANA"
    r"|state(?:-run)? (?:media|tv|television|news agency)|"
    r"official media|FNA|al-Manar|Amaq|TASS|RIA|rebels|militants|insurgents|the group|Pushilin|Radio Venceremos)\b",
    _I,
)
"""A side in the conflict or its media as the source of what the passage reports."""

MONITOR_SOURCE = re.compile(
    r"\b(?:(?:Syrian )?Observatory|SOHR|monitor(?:ing group)?|(?:Rami )?Abdel Rahman|activists?"
    r"|Local Coordination Committees|medics|doctors|civil defen[cs]e|White Helmets|rescue workers"
    r"|(?:hospital|medical) (?:officials?|sources?|workers|staff)|human rights (?:group|network|committee|activists)|"
    r"Syrian Network for Human Rights|SNHR|Violations Documentation Cent(?:er|re))\b",
    _I,
)
"""Monitors and NGOs: a toll from one that does not say it verified the figure is unverified (rule 1)."""

UNNAMED_TOLL_SOURCE = re.compile(
    r"\b(?:(?:a|one|the|another|two|several)\s+(?:[\w-]+\s+){0,2}?sources?|sources|witness(?:es)?|residents|locals"
    r"|eyewitness(?:es)?|(?:an?|one)\s+(?:[\w-]+\s+)?(?:official|spokes\w+|officer|commander|doctor|medic|"
    r"activist|resident)|officials|reportedly|(?:were|was|are|is) reported|according to (?:\w+\s+){0,2}?reports)\b",
    _I,
)
"""A single or unnamed source behind a toll, or a toll passed on as "reported"."""

PARTISAN_VOICE = re.compile(
    r"\b(?:terrorists?|terrorist (?:groups?|organi[sz]ations?|attacks?|rockets?|shells?|fire|gangs?)|takfiri\w*"
    r"|mercenar(?:y|ies)|gangs|bandits|occupiers|occupation forces|invaders|rashists?|orcs|nazis?|neo-nazis?|fascists?"
    r"|punitive|junta|heroes|heroic(?:ally)?|liberat(?:ed|ing)|martyr\w*|the enemy|enemy"
    r"|our (?:heroes|defenders|soldiers|troops|fighters|men|forces|army|guys|boys|warriors|people)|"
    r"aggressors?|yankee\w*|murderous|bloodthirsty|barbaric)\b|!",
    _I,
)
"""Wording that puts a toll in a side's own voice (rule 1: "killed in terrorist rocket attacks")."""

MILITARY_LOSS = re.compile(
    r"\b(?:eliminat|neutrali[sz]|liquidat|annihilat)(?:ed|ing)\s+(?:[\w-]+\s+){0,3}?(?:terrorists|militants|fighters"
    r"|soldiers|servicemen|mercenaries|gunmen|members|personnel|insurgents|guerrillas|rebels|troops|commanders|leaders"
    r"|jihadists|nationalists|\d[\d,]*)\b|\b(?:terrorists?|militants?|fighters?|soldiers?|servicemen|mercenar\w+|gunmen"
    r"|personnel|insurgents?|guerrillas?|rebels?|troops)\s+(?:were|was|have been|had been)\s+(?:eliminated"
    r"|neutrali[sz]ed|liquidated|annihilated|wiped out)\b|\bkilled (?:or|and) captured\b|\bcaptured or killed\b"
    r"|\b(?:militants|terrorists|enemy|rebels|guerrillas|insurgents|occupiers|invaders"
    r"|the (?:Ukrainian|Russian) (?:army|side|forces|military))\s+(?:have\s+|has\s+|had\s+)?(?:lost|suffered)\b"
    r"|\b(?:enemy|adversary)(?:'s)? (?:losses|casualties|dead)\b"
    rf"|\b(?:destroy\w*|downed|shot down|knocked out)\b[^.;:]{{0,30}}?\b{_NUM}\b(?:\W+\w+){{0,3}}?\W+{_EQUIPMENT}\b"
    rf"|\b{_NUM}\b(?:\W+\w+){{0,3}}?\W+{_EQUIPMENT}\b[^.;:]{{0,30}}?\b(?:destroyed|downed|shot down)\b",
    _I,
)
"""Battlefield loss claims (eliminated fighters, destroyed tanks, "killed or captured"): a side's claim by nature."""

CLAIMED_LOSS = re.compile(
    r"\bclaim(?:s|ed|ing)?\b(?!\s+(?:by\b|(?:the\s+)?(?:responsibility|credit)"
    r"|(?:[\w-]+\s+){0,3}?(?:lives?|life)\b))[^.;]{0,50}?\b(?:kill\w*|wound\w*|captur\w+|destroy\w*|shot down|downed"
    r"|eliminat\w+|losses|casualties|dead|"
    r"surrender\w*|taken prisoner|prisoners)\b",
    _I,
)
"""A loss presented as a claim ("the DPR's claims of capturing Ukrainian soldiers"); no number needed."""

VERIFIED_TOLL_SOURCE = re.compile(
    r"\b(?:(?-i:UN|WHO|ICC|ICJ|HRW)|U\.N\.|United Nations|OHCHR|UNICEF|UNHCR|ICRC|Red Cross|Red Crescent|OSCE"
    r"|Human Rights Watch|Amnesty(?: International)?|court|tribunal|commission of inquiry"
    r"|independent (?:monitors?|investigators?|inquiry|investigation|observers))\b[^.;]{0,40}?\b(?:said|says|reported"
    r"|reports|verified|documented|confirmed|recorded|estimated?|estimates|figures?|data|count(?:ed)?)\b"
    r"|\baccording to (?:the )?(?:[\w-]+\s+){0,3}?(?:(?-i:UN)|U\.N\.|United Nations|OHCHR|UNICEF|ICRC|Red Cross|OSCE"
    r"|Human Rights Watch|Amnesty(?: International)?)\b"
    r"|\b(?:verified|independently confirmed|documented|corroborated)\b",
    _I,
)
"""An independent verifier as the source of a toll, or a toll said to be verified (rule 1 exclusion)."""

HISTORICAL_TOLL = re.compile(
    r"\bsince (?:it (?:began|started|erupted)|the (?:war|conflict|uprising|invasion|crisis|fighting) (?:began|started"
    r"|erupted)|the (?:start|beginning|outbreak)|(?:March |early |mid-|late )?(?:19|20)\d\d)\b"
    r"|\b(?:war|conflict|crisis|fighting|violence|uprising|insurgency)\b[^.;]{0,40}?\b(?:has|have|had) (?:so far |now "
    r"|already )?(?:killed|claimed|left)\b|\bin (?:the )?(?:1[5-8]\d\d|19[0-7]\d)s?\b|\bWorld War|Second World"
    r"|Great Patriotic War|Holodomor|"
    r"Holocaust|Nazi occupation|Leningrad|Stalingrad|Chernobyl|\b(?:years|decades|centuries) ago\b",
    _I,
)
"""A settled historical or cumulative background toll ("the conflict has killed more than 280,000 since 2011")."""

NO_LOSSES = re.compile(
    r"\b(?:no|without|zero)\s+(?:immediate\s+)?(?:reports?\s+of\s+)?(?:casualties|deaths|fatalities|injuries|losses"
    r"|victims|dead|wounded)\b|\bno(?:body| one) (?:was|were|has been|had been) (?:killed|hurt|injured|wounded)\b"
    r"|\b(?:did not|didn't|does not|do not) (?:result in|cause|leave) (?:any )?(?:casualties|deaths|injuries|victims)\b"
    r"|\bcaused no (?:casualties|deaths|injuries)\b",
    _I,
)
"""A report that nobody was hurt: no loss claim at all."""

NEWS_OUTLET_VOICE = re.compile(
    r"(?:\baccording to|\breported by|,? reports?|,? reported)\s+(?:the\s+)?(?:Reuters|AFP|Agence France-Presse|AP"
    r"|Associated Press|BBC|Dawn|Al Jazeera|CNN|The Guardian|Guardian|New York Times|Washington Post|"
    r"Anadolu(?: Agency)?|DPA|EFE|ACAN-EFE|Xinhua|The Independent|NPR)\b",
    _I,
)
"""A toll a newspaper reports in its own neutral voice ("..., reports Dawn"): rule 1 exclusion."""


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "party": PARTY_SOURCE})
def ucc_toll_from_party(passage: Any, toll: re.Pattern[str], party: re.Pattern[str]) -> int:
    """A toll attributed to a side, its ministry or its media (SANA, state TV, "the rebels said")."""
    text = _text(passage)
    return POSITIVE if _found(toll, text) and _found(party, text) else ABSTAIN


@labelling_function(
    "unverified_casualty_claim", resources={"toll": TOLL, "monitor": MONITOR_SOURCE, "verified": VERIFIED_TOLL_SOURCE}
)
def ucc_toll_from_monitor(
    passage: Any, toll: re.Pattern[str], monitor: re.Pattern[str], verified: re.Pattern[str]
) -> int:
    """A toll from a monitor or NGO ("the Syrian Observatory said") that does not say it verified it."""
    text = _text(passage)
    if _found(toll, text) and _found(monitor, text) and not _found(verified, text):
        return POSITIVE
    return ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "unnamed": UNNAMED_TOLL_SOURCE})
def ucc_toll_from_unnamed_source(passage: Any, toll: re.Pattern[str], unnamed: re.Pattern[str]) -> int:
    """A toll on the word of a single or unnamed source ("a military source told SANA", "were reported killed")."""
    text = _text(passage)
    return POSITIVE if _found(toll, text) and _found(unnamed, text) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "voice": PARTISAN_VOICE})
def ucc_toll_in_partisan_voice(passage: Any, toll: re.Pattern[str], voice: re.Pattern[str]) -> int:
    """An unsourced toll written in a side's voice ("terrorists' rocket shells killed two", "heroes...")."""
    text = _text(passage)
    return POSITIVE if _found(toll, text) and _found(voice, text) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"loss": MILITARY_LOSS, "negation": NEGATION})
def ucc_battlefield_loss_claim(passage: Any, loss: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Battlefield losses ("eliminated 40 militants", "destroyed three tanks", "killed or captured")."""
    return POSITIVE if _any_match_without(loss, _text(passage), negation) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"claimed": CLAIMED_LOSS})
def ucc_loss_presented_as_claim(passage: Any, claimed: re.Pattern[str]) -> int:
    """Losses framed as somebody's claim, with or without a number."""
    return POSITIVE if _found(claimed, _text(passage)) else ABSTAIN


@labelling_function(
    "unverified_casualty_claim", resources={"toll": TOLL, "verified": VERIFIED_TOLL_SOURCE, "negation": NEGATION}
)
def ucc_verified_toll(passage: Any, toll: re.Pattern[str], verified: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """A toll from an independent verifier (UN, ICRC, a court) or said to be verified: NEGATIVE."""
    text = _text(passage)
    if _found(toll, text) and _any_match_without(verified, text, negation):
        return NEGATIVE
    return ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "historical": HISTORICAL_TOLL})
def ucc_historical_toll(passage: Any, toll: re.Pattern[str], historical: re.Pattern[str]) -> int:
    """A settled historical or cumulative background toll: NEGATIVE."""
    text = _text(passage)
    return NEGATIVE if _found(toll, text) and _found(historical, text) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"none": NO_LOSSES})
def ucc_no_losses(passage: Any, none: re.Pattern[str]) -> int:
    """No losses reported ("the shelling caused no casualties"), so there is no loss claim: NEGATIVE."""
    return NEGATIVE if _found(none, _text(passage)) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "outlet": NEWS_OUTLET_VOICE})
def ucc_toll_in_news_voice(passage: Any, toll: re.Pattern[str], outlet: re.Pattern[str]) -> int:
    """A toll a news agency reports in its own voice ("according to Reuters"): NEGATIVE."""
    text = _text(passage)
    return NEGATIVE if _found(toll, text) and _found(outlet, text) else ABSTAIN


# ---------------------------------------------------------------------------------------------- anonymous_source

ANONYMITY = re.compile(
    r"\bon (?:the )?condition (?:of|that (?:he|she|they) not be) (?:anonymity|named|identified)"
    r"|\b(?:requested|requesting|asked for|demanded|granted|on) anonymity\b"
    r"|\b(?:asked|declined|refused|did not want|didn't want|wished|preferred) (?:not )?to be (?:named|identified)\b"
    r"|\b(?:not |un)authori[sz]ed to (?:speak|talk|brief|comment)|\bwho (?:cannot|could not|can't|couldn't) be (?:named"
    r"|identified)|\bwhose (?:name|identity) (?:was|is|has been|were) (?:withheld"
    r"|not (?:disclosed|revealed|given|released))|\bspeaking (?:anonymously|privately)\b"
    r"|\banonymous(?:ly)? (?:sources?|officials?|officers?|insiders?|spokes\w+|residents?|witness(?:es)?|"
    r"activists?|commanders?|soldiers?|diplomats?|callers?|informants?|letters?|statements?)\b",
    _I,
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
    _I,
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
    _I,
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
    _I,
)
"""Unnamed groups as a source (rule 9): "media reports", "experts say", "it is widely believed", "residents said"."""

PEOPLE_FAMILIAR = re.compile(
    r"\b(?:people|persons?|sources?|someone|officials?|those|individuals?|one person|a person"
    r"|insiders?)\s+(?:directly\s+)?(?:familiar|close|with (?:direct )?knowledge|briefed|involved|privy)\s+(?:with|to"
    r"|of|on)\b|\bclose to the (?:investigation|matter|talks|negotiations|kremlin|government|family|situation"
    r"|leadership|"
    r"command|presidency|president|ministry|army|military|security services)\b",
    _I,
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
    _I,
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
    _I,
)


def _unnamed_role(match: re.Match[str], text: str, name_after: re.Pattern[str]) -> bool:
    role_end = max(match.end(g) for g in ("role", "role2", "role3") if g in match.re.groupindex and match.group(g))
    return name_after.match(text, role_end) is None


@labelling_function("anonymous_source", resources={"anonymity": ANONYMITY})
def anon_condition_of_anonymity(passage: Any, anonymity: re.Pattern[str]) -> int:
    """Identity withheld in so many words ("speaking on condition of anonymity", "requested anonymity")."""
    return POSITIVE if _found(anonymity, _text(passage)) else ABSTAIN


@labelling_function("anonymous_source", resources={"sources": UNNAMED_SOURCES})
def anon_unnamed_sources(passage: Any, sources: re.Pattern[str]) -> int:
    """Unnamed sources or insiders ("informed sources said", "according to a source in the province")."""
    return POSITIVE if _found(sources, _text(passage)) else ABSTAIN


@labelling_function("anonymous_source", resources={"official": UNNAMED_OFFICIAL, "name_after": NAME_AFTER_ROLE})
def anon_unnamed_official(passage: Any, official: re.Pattern[str], name_after: re.Pattern[str]) -> int:
    """An unnamed official or spokesperson, even at a named body (rule 2); a role followed by a name is skipped."""
    text = _text(passage)
    if _found(official, text) and any(_unnamed_role(m, text, name_after) for m in official.finditer(text)):
        return POSITIVE
    return ABSTAIN


@labelling_function("anonymous_source", resources={"person": UNNAMED_PERSON, "name_after": NAME_AFTER_ROLE})
def anon_unnamed_person(passage: Any, person: re.Pattern[str], name_after: re.Pattern[str]) -> int:
    """An unnamed witness, resident, activist, reporter or analyst as the speaker."""
    text = _text(passage)
    if _found(person, text) and any(_unnamed_role(m, text, name_after) for m in person.finditer(text)):
        return POSITIVE
    return ABSTAIN


@labelling_function("anonymous_source", resources={"group": UNNAMED_GROUP})
def anon_unnamed_group(passage: Any, group: re.Pattern[str]) -> int:
    """An unnamed group as the source (rule 9: "media reports", "experts say"); a bare "reportedly" is not."""
    return POSITIVE if _found(group, _text(passage)) else ABSTAIN


@labelling_function("anonymous_source", resources={"familiar": PEOPLE_FAMILIAR})
def anon_people_familiar(passage: Any, familiar: re.Pattern[str]) -> int:
    """People close to or familiar with a matter ("people familiar with the talks", "sources close to the Kremlin")."""
    return POSITIVE if _found(familiar, _text(passage)) else ABSTAIN


@labelling_function(
    "anonymous_source", resources={"named": NAMED_SPEAKER, "not_a_name": NOT_A_NAME, "markers": ANON_MARKERS}
)
def anon_named_source(
    passage: Any, named: re.Pattern[str], not_a_name: frozenset[str], markers: re.Pattern[str]
) -> int:
    """A named person or institution on the record, with no unnamed-source wording anywhere: NEGATIVE."""
    text = _text(passage)
    if _found(markers, text) or not _found(named, text):
        return ABSTAIN
    for match in named.finditer(text):
        name = match.group("name") or match.group("name2")
        if name is None or any(word not in not_a_name for word in name.split()):
            return NEGATIVE
    return ABSTAIN


# ---------------------------------------------------------------------------------------------- official_denial

_LIES = (
    r"lies(?!\s+(?:in|on|at|within|between|along|across|over|under|to|upon|among|inside|north|south|east|west|near"
    r"|close|far|about|ahead|behind|before|beyond|outside|just|some|more|less|only|mainly|largely|partly|primarily"
    r"|directly|deep|approximately|roughly|around|with|\d))"
)
"""'Lies' the accusation, not the verb of location ("the village lies 60 km north")."""

DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying)\b(?!\s+(?:\w+\s+)?(?:permission|access|entry|visas?|entrance|passage|bail"
    r"|the right|rights|them|him|her|us|me|people|citizens|refugees|residents|the ability|food|aid|medical|treatment"
    r"|service|services|justice|the opportunity|a chance)\b)|\b(?:rejected|rejects|reject|rejecting|dismissed|dismisses"
    r"|dismissing|refuted|refutes|refute|disputed|disputes|repudiated|disavowed)\s+(?:[\w'’-]+\s+){0,4}?(?:allegations?"
    r"|accusations?|claims?|charges?|reports?|assertions?|suggestions?|rumou?rs|speculation|insinuations?|findings"
    r"|the (?:idea|notion|accusation|claim|"
    r"report|allegation))\b|\b(?:rejected|dismissed|dismisses|rejects) (?:them|it|this|these|those) as\b",
    _I,
)
"""Denying, rejecting or dismissing a claim ("denied involvement", "dismissed them as 'pure speculation'")."""

DECLINE = re.compile(
    r"\b(?:declined|declines|decline|declining|refused|refuses|refusing|refuse)\s+to\s+(?:immediately\s+)?(?:comment"
    r"|confirm|discuss|elaborate|disclose|reveal|say|answer|specify|identify|name"
    r"|(?:provide|give) (?:any |more |further |additional |other )?(?:details|information|comment|figures|names"
    r"|evidence)|respond to (?:questions|the report|the claims?))\b|\bwould (?:neither|not) (?:confirm|comment)\b"
    r"|\bneither confirm(?:ed|s)? nor den(?:y|ied|ies)\b|\bkept mum\b|\b(?:are|is|were|was|we[’']re|we are|I[’']m"
    r"|I am)\s+not\s+(?:going to\s+)?comment(?:ing)?\b|\bno comment\b(?!\s+(?:from|was|yet|on|immediately|available))"
    r"|\bnot (?:allowed|authori[sz]ed|permitted) to (?:give|provide|share|disclose) (?:any )?(?:information|details)",
    _I,
)
"""Refusing to confirm or comment (rule 8: "declined to comment", "kept mum")."""

DISMISSIVE_VERDICT = re.compile(
    rf"[\"“‘']\s*(?:pure |sheer |complete |total |utter |absolute )?(?:speculation|nonsense|{_LIES}|lie|fake|fakes|"
    r"fake news|fabrications?|absurd\w*|baseless|groundless|unfounded|not true|untrue|rubbish|slander|a hoax|hoax"
    r"|fiction|fairy tales?|a lie)\b|\b(?:called|calling|described|describing|termed|labell?ed|branded"
    r"|dismissed\s+(?:[\w'’-]+\s+){0,3}?as"
    r"|rejected\s+(?:[\w'’-]+\s+){0,3}?as)\s+(?:[\w'’“\"‘-]+\s+){0,3}?[\"“‘']?(?:speculation|nonsense|lies|fake"
    r"|fabricat\w+|absurd|baseless|groundless|unfounded|untrue|false|rubbish|slander|hoax|fiction|provocation"
    r"|propaganda|disinformation)|\b(?:baseless|groundless|unfounded|fabricated|absurd) (?:allegations?|accusations?"
    r"|claims?|reports?|information|rumou?rs|speculation)\b"
    r"|\bthere is no truth\b|\b(?:is|are|was) (?:simply |absolutely |completely )?(?:not true|untrue|a lie|a fake)\b",
    _I,
)
"""A claim dismissed as speculation, fake or baseless."""

DISOWNED = re.compile(
    r"\b(?:ha(?:d|s|ve) nothing to do with|bears? no responsibility|no (?:involvement|connection|link|role) (?:in|with"
    r"|to)|(?:was|were|is|are) not (?:involved|responsible)|(?:did|has|have|had) (?:not|n[’']t) (?:carry out"
    r"|carried out|conduct|conducted|order|ordered|target|targeted|strike|bomb|bombed|attack|attacked|use|used|fire"
    r"|fired)|does not and has not|never (?:used|targeted|attacked|bombed|"
    r"carried out|ordered))\b|\b(?:was|were|is|are) not behind (?:the|a|an|this|these|that|those|it)\b(?! scenes)",
    _I,
)
"""Disowning an act ("had nothing to do with", "did not target civilians")."""

SILENCE = re.compile(
    r"\bno immediate (?:comment|response|reaction|word|confirmation)\b|\b(?:could|can) ?(?:not"
    r"|n[’']t) (?:immediately )?be reached\b|\b(?:did|does|has|have|had) ?(?:not"
    r"|n[’']t) (?:yet )?(?:immediately )?(?:respond|reply|return|answer|comment)\w*\b"
    r"|\b(?:was|were) (?:not )?(?:immediately )?(?:un)?available for comment\b"
    r"|\bno official (?:reaction|comment|response)\b|\bno response (?:from|to)\b",
    _I,
)
"""Silence ("no immediate comment", "could not be reached"), which rule 8 says is not denial."""

PRIVATE_DISSENTER = re.compile(
    r"\b(?:residents?|activists?|relatives?|witness(?:es)?|neighbou?rs?|famil(?:y|ies)|parents?|wife|husband|mother"
    r"|father|brother|sister|son|daughter|lawyers?|attorneys?|critics|analysts?|experts?|commentators?|pundits?"
    r"|bloggers?|journalists?|historians?|scholars?|scientists?|economists?|fans|villagers|locals"
    r"|(?:a|the) (?:man|woman|student|teacher|farmer|shopkeeper|owner|company|firm|actor|singer|author|writer|"
    r"player|director))\b(?:\s+[\w'’-]+){0,4}?\s+(?:denied|denies|dismissed|rejected|disputed|refuted)\b",
    _I,
)
"""A private person or pundit disagreeing (rule 7: not an official denial)."""

OTHER_SENSE_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|refused)\s+(?:\w+\s+)?(?:permission|access|entry|visas?|entrance|passage|bail"
    r"|the right|rights|the ability|food|aid|medical|treatment|service|justice|the opportunity)\b"
    r"|\b(?:rejected|rejects|reject|rejecting)\s+(?:the|a|an|his|her|its|their|our|any"
    r"|this)\s+(?:[\w-]+\s+)?(?:proposals?|plans?|offers?|bills?|requests?|appeals?|resolutions?|amendments?|candidacy"
    r"|applications?|calls?|pleas?|demands?|ultimatums?|invitations?|drafts?|laws?|petitions?|motions?|nominations?"
    r"|budgets?)\b"
    r"|\bdismiss(?:ed|es|ing)?\s+(?:him|her|them|the (?:head|minister|deputy|chief|governor|commander|director"
    r"|officials?|government|cabinet|parliament|case|lawsuit|charges))\b(?!\s+as\b)"
    r"|\b(?:dismissed|dismissal) (?:from|of)\b"
    r"|\bdismissed (?:one|two|three|several|some) of\b",
    _I,
)
"""Denial words in other senses: "denied access", "rejected the proposal", "dismissed the governor"."""

NEGATED_DENIAL = re.compile(
    r"\b(?:did|does|do|has|have|had|would|could|will)\s*(?:not|n[’']t)\s+(?:\w+\s+)?(?:deny|denied|reject|rejected|"
    r"dismiss|dismissed|refute|dispute)\b|\bnever (?:denied|rejected|disputed)\b|\bnot (?:denying|rejecting)\b",
    _I,
)
"""A denial that did not happen ("did not deny the reports")."""


def _official_actor(passage: Any, text: str, actor: re.Pattern[str], pronoun: re.Pattern[str]) -> bool:
    """An official actor in the passage, or a pronoun speaker whom the previous sentence shows to be one."""
    if _found(actor, text):
        return True
    return bool(passage.context) and _found(pronoun, text) and actor.search(_fold(passage.context)) is not None


@labelling_function(
    "official_denial",
    resources={
        "denial": DENIAL,
        "other_sense": OTHER_SENSE_DENIAL,
        "actor": OFFICIAL_ACTOR,
        "pronoun": PRONOUN_SUBJECT,
        "negation": NEGATION,
    },
)
def deny_official_denies_claim(
    passage: Any,
    denial: re.Pattern[str],
    other_sense: re.Pattern[str],
    actor: re.Pattern[str],
    pronoun: re.Pattern[str],
    negation: re.Pattern[str],
) -> int:
    """An official actor with a denial verb aimed at a claim ("Russia denies involvement")."""
    text = _text(passage)
    if _found(other_sense, text) or not _any_match_without(denial, text, negation):
        return ABSTAIN
    return POSITIVE if _official_actor(passage, text, actor, pronoun) else ABSTAIN


@labelling_function(
    "official_denial", resources={"decline": DECLINE, "actor": OFFICIAL_ACTOR, "pronoun": PRONOUN_SUBJECT}
)
def deny_declined_to_comment(
    passage: Any, decline: re.Pattern[str], actor: re.Pattern[str], pronoun: re.Pattern[str]
) -> int:
    """An official actor declining to comment or to confirm (rule 8)."""
    text = _text(passage)
    return POSITIVE if _found(decline, text) and _official_actor(passage, text, actor, pronoun) else ABSTAIN


@labelling_function(
    "official_denial", resources={"verdict": DISMISSIVE_VERDICT, "actor": OFFICIAL_ACTOR, "pronoun": PRONOUN_SUBJECT}
)
def deny_dismissed_as_fake(
    passage: Any, verdict: re.Pattern[str], actor: re.Pattern[str], pronoun: re.Pattern[str]
) -> int:
    """An official actor calling a claim speculation, fake or baseless."""
    text = _text(passage)
    return POSITIVE if _found(verdict, text) and _official_actor(passage, text, actor, pronoun) else ABSTAIN


@labelling_function(
    "official_denial",
    resources={"disowned": DISOWNED, "attribution": ATTRIBUTION, "actor": OFFICIAL_ACTOR, "pronoun": PRONOUN_SUBJECT},
)
def deny_disowns_act(
    passage: Any,
    disowned: re.Pattern[str],
    attribution: re.Pattern[str],
    actor: re.Pattern[str],
    pronoun: re.Pattern[str],
) -> int:
    """An official actor quoted as disowning an act ("the ministry said it had nothing to do with...")."""
    text = _text(passage)
    if _found(disowned, text) and _found(attribution, text) and _official_actor(passage, text, actor, pronoun):
        return POSITIVE
    return ABSTAIN


@labelling_function(
    "official_denial", resources={"silence": SILENCE, "refusals": (DENIAL, DECLINE, DISMISSIVE_VERDICT)}
)
def deny_silence_is_not_denial(passage: Any, silence: re.Pattern[str], refusals: tuple[re.Pattern[str], ...]) -> int:
    """Silence ("no immediate comment", "could not be reached") with no refusal wording: NEGATIVE (rule 8)."""
    text = _text(passage)
    return NEGATIVE if _found(silence, text) and _none_found(refusals, text) else ABSTAIN


@labelling_function("official_denial", resources={"dissenter": PRIVATE_DISSENTER, "actor": OFFICIAL_ACTOR})
def deny_private_disagreement(passage: Any, dissenter: re.Pattern[str], actor: re.Pattern[str]) -> int:
    """A private person or pundit denying, with no official actor in sight: NEGATIVE (rule 7)."""
    text = _text(passage)
    return NEGATIVE if _found(dissenter, text) and not _found(actor, text) else ABSTAIN


@labelling_function("official_denial", resources={"other_sense": OTHER_SENSE_DENIAL, "negated": NEGATED_DENIAL})
def deny_other_sense_or_negated(passage: Any, other_sense: re.Pattern[str], negated: re.Pattern[str]) -> int:
    """Denial words in another sense ("denied access", "rejected the proposal") or negated: NEGATIVE."""
    text = _text(passage)
    return NEGATIVE if _found(other_sense, text) or _found(negated, text) else ABSTAIN


# ---------------------------------------------------------------------------------------------- social_media_sourcing

_PLATFORM = (
    r"(?:Telegram|Twitter|Facebook|YouTube|Instagram|TikTok|VKontakte|(?-i:VK)|WhatsApp|Viber|Reddit|Weibo|LiveLeak"
    r"|(?-i:X)|social (?:media|networks?|network sites?)|messaging (?:app|service|channel)s?|blogs?|(?:the )?internet"
    r"|online(?!\s+(?:meetings?|conferences?|summits?|format|mode|sessions?|forums?|talks?|events?|courses?|lessons?"
    r"|education|learning|services?|platforms?|shopping|trade|sales|banking|games?|classes|school|video ?conferences?"
    r"|consultations?|discussions?|address|negotiations|voting|registration)))"
)
POSTED_ON_PLATFORM = re.compile(
    r"\b(?:posted|published|shared|wrote|writes|write|said|says|announced|claimed|claims|reported|reports|uploaded"
    r"|tweeted|stated|released|circulated|appeared|message|statement|post|video)\b(?:\s+[\w'’-]+){0,6}?\s+(?:on|to|in"
    r"|via|through|over)\s+(?:(?:his|her|its|their|the|a|an|one|official|personal|own)\s+)*"
    rf"(?:[\w'’-]+\s+){{0,2}}?{_PLATFORM}\b",
    _I,
)
"""Posting or saying something on a platform ("wrote on Telegram", "a message posted on the Telegram channel")."""

PLATFORM_CHANNEL = re.compile(
    r"\b(?:Telegram|Twitter|Facebook|YouTube|Instagram|TikTok|VKontakte|(?-i:VK)|WhatsApp|Viber|(?-i:X))\s+(?:channels?"
    r"|accounts?|page|pages|posts?|feeds?|videos?|messages?|groups?|chats?|handles?|profiles?|statements?|"
    r"stories|thread)\b|\btweeted\b|\bin a tweet\b|\btweets? (?:by|from|posted)\b|\bretweet(?:ed|ing)\b",
    _I,
)
"""A post or channel on a named platform, or a tweet."""

VIDEO_SHOWS = re.compile(
    r"(?<!satellite )\b(?:videos?|footage|images?|photos?|photographs?|pictures?|clips?|recordings?"
    r"|livestream)\b(?:\s+[\w'’,-]+){0,6}?\s+(?:shows?|showed|showing|appears? to show|appeared to show"
    r"|purport(?:s|ed|ing)? to show|"
    r"depict(?:s|ed|ing)?|reveal(?:s|ed|ing)?|captur(?:es|ed|ing)|documents|documented|allegedly shows?)\b",
    _I,
)
"""A claim resting on what a video or photo shows (rule 4: "video shows...")."""

CIRCULATING = re.compile(
    r"\b(?:videos?|footage|images?|photos?|pictures?|clips?|posts?|recordings?)\s+(?:[\w'’-]+\s+){0,3}?(?:circulat\w+"
    r"|posted|uploaded|shared|went viral|gone viral|surfaced|leaked)\b|\b(?:leaked|amateur|purported) (?:videos?"
    r"|footage|images?|photos?|recordings?)\b|\bin (?:a|an|his|her|its|their|the) (?:[\w-]+\s+)?video (?:message"
    r"|address|appeal|statement|clip)\b"
    r"|\bvideo (?:message|appeal|statement)\b",
    _I,
)
"""Footage or posts in circulation, leaked or amateur footage, and video messages."""

BLOGGER_CHANNEL = re.compile(
    r"\b(?:bloggers?|milbloggers?|vloggers?|influencers?|(?:telegram|online|social media|twitter) (?:channels?|users?"
    r"|accounts?|commentators?)|netizens|internet users|war ?correspondents?)\b(?:\s+[\w'’-]+){0,5}?\s+(?:reported|said"
    r"|says|wrote|writes|posted|claimed|claims|shared|published|alleged)\b"
    r"|\baccording to (?:[\w-]+\s+){0,3}?(?:bloggers?|posts?|tweets?|(?:telegram|social media|online) (?:channels?|"
    r"posts?|accounts?|reports?)|social media)\b",
    _I,
)
"""Bloggers, online channels and their posts as sources ("a blogger reported", "according to posts online")."""

BROADCASTER_FOOTAGE = re.compile(
    r"\b(?:state|national|syrian|russian|ukrainian|iranian|iraqi|turkish|lebanese|government|pro-government"
    r"|official)(?:-run)?\s+(?:tv|television|broadcaster|news channel)\b|\b(?:tv|television|broadcaster|Ikhbariya"
    r"|al-Mayadeen|Al Mayadeen|al-Manar|Rossiya|Channel One|CNN|BBC|Sky News|Al Jazeera|Al Arabiya"
    r"|our (?:crew|correspondent|reporter|camera\w*))\b(?:\s+[\w'’-]+){0,4}?\s+(?:broadcast|aired|showed|shows|shown"
    r"|footage|images|pictures)\b|\b(?:Reuters|AFP|AP|Associated Press|Getty)(?:\s+[\w'’-]+){0,2}?\s+(?:photographs?"
    r"|photos?|pictures?|images?|"
    r"footage|video|journalists?|photographers?|cameram[ae]n|reporters?)\b",
    _I,
)
"""Footage from a named broadcaster or the outlet's own crew (rule 4 exclusion)."""

PLATFORM_AS_TOPIC = re.compile(
    r"\b(?:ban\w*|block\w*|restrict\w*|regulat\w*|shut\w* down|censor\w*|fined|sued|law on|access to|users of|use of"
    r"|the role of|addict\w*|literacy|algorithms?|companies|giants?|moderation|campaigns? (?:on|against)"
    r"|accounts? (?:were |was |have been )?(?:suspended|blocked|removed|deleted|closed)|presence on|followers on|"
    rf"subscribers)\b[^.;]{{0,40}}?\b{_PLATFORM}\b|\b{_PLATFORM}\s+(?:companies|giants|platforms|networks|firms|ban"
    rf"|blocking|regulation|users|addiction|"
    r"algorithms?|moderation)\b",
    _I,
)
"""A platform as the topic ("blocked Facebook", "social media companies"), not as the source of a claim."""

_SOCIAL_POSITIVE_CUES = (POSTED_ON_PLATFORM, PLATFORM_CHANNEL, VIDEO_SHOWS, CIRCULATING, BLOGGER_CHANNEL)


@labelling_function("social_media_sourcing", resources={"posted": POSTED_ON_PLATFORM})
def smed_posted_on_platform(passage: Any, posted: re.Pattern[str]) -> int:
    """A claim posted or stated on a platform ("posted on the Telegram channel of...", "wrote on X")."""
    return POSITIVE if _found(posted, _text(passage)) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"channel": PLATFORM_CHANNEL, "attribution": ATTRIBUTION})
def smed_platform_channel(passage: Any, channel: re.Pattern[str], attribution: re.Pattern[str]) -> int:
    """A named platform's channel, account or post together with attribution, or a tweet."""
    text = _text(passage)
    return POSITIVE if _found(channel, text) and _found(attribution, text) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"shows": VIDEO_SHOWS, "broadcaster": BROADCASTER_FOOTAGE})
def smed_video_shows(passage: Any, shows: re.Pattern[str], broadcaster: re.Pattern[str]) -> int:
    """A claim based on what a video or photo shows, unless the footage is a named broadcaster's."""
    text = _text(passage)
    return POSITIVE if _found(shows, text) and not _found(broadcaster, text) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"circulating": CIRCULATING})
def smed_circulating_footage(passage: Any, circulating: re.Pattern[str]) -> int:
    """Circulating, posted, leaked or amateur footage, or a video message."""
    return POSITIVE if _found(circulating, _text(passage)) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"blogger": BLOGGER_CHANNEL})
def smed_blogger_or_channel(passage: Any, blogger: re.Pattern[str]) -> int:
    """A blogger, online channel or post as the source."""
    return POSITIVE if _found(blogger, _text(passage)) else ABSTAIN


@labelling_function(
    "social_media_sourcing",
    resources={
        "broadcaster": BROADCASTER_FOOTAGE,
        "posted": (POSTED_ON_PLATFORM, PLATFORM_CHANNEL, CIRCULATING, BLOGGER_CHANNEL),
    },
)
def smed_broadcaster_footage(passage: Any, broadcaster: re.Pattern[str], posted: tuple[re.Pattern[str], ...]) -> int:
    """Footage from a named broadcaster (state TV, a network's crew) and no online post: NEGATIVE (rule 4)."""
    text = _text(passage)
    return NEGATIVE if _found(broadcaster, text) and _none_found(posted, text) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"topic": PLATFORM_AS_TOPIC, "cues": _SOCIAL_POSITIVE_CUES})
def smed_platform_as_topic(passage: Any, topic: re.Pattern[str], cues: tuple[re.Pattern[str], ...]) -> int:
    """Social media as the subject of the sentence, not the source of a claim: NEGATIVE."""
    text = _text(passage)
    return NEGATIVE if _found(topic, text) and _none_found(cues, text) else ABSTAIN


# ---------------------------------------------------------------------------------------------- verification_gap

_VERIFY = r"(?:verif\w*|confirm\w*|corroborat\w*|authenticat\w*|substantiat\w*|ascertain\w*)"
NOT_VERIFIED = re.compile(
    r"\b(?:could ?(?:not|n[’']t)|cannot|can ?n[’']t|(?:was|were|is|are) unable to|impossible to|not possible to"
    r"|no way to|(?:has|have|had|was|were|is|are) ?(?:not|n[’']t))\s+(?:be\s+|been\s+|yet\s+|immediately\s+|"
    rf"independently\s+|yet been\s+|officially\s+)*{_VERIFY}",
    _I,
)
"""Could not be (independently) verified / has not been confirmed."""

IF_TRUE = re.compile(
    r"\bif (?:true|confirmed|verified|accurate|correct|substantiated|genuine|authentic)\b"
    r"|\bif (?:the |these |those |such )?(?:reports?|claims?|allegations?|accounts?|figures?) (?:are|is|prove[sn]?"
    r"|turn out) "
    r"(?:to be )?(?:true|confirmed|accurate|correct)\b",
    _I,
)
YET_TO_BE = re.compile(
    rf"\b(?:yet|still) to (?:be )?(?:independently |officially )?{_VERIFY}|\bnot yet (?:been )?(?:independently "
    rf"|officially )?{_VERIFY}"
    r"|\bremains? (?:unconfirmed|unverified|uncorroborated|unclear whether|unclear if)\b"
    rf"|\b(?:awaiting|pending|without|no|lack of|absence of) (?:independent |official |any )?(?:{_VERIFY}"
    rf"|corroboration)\b",
    _I,
)
UNCONFIRMED_WORD = re.compile(
    r"\b(?:unconfirmed|unverified|uncorroborated|unsubstantiated|unproven|unverifiable)\b",
    _I,
)
NO_EVIDENCE = re.compile(
    r"\b(?:no|lack of|absence of|little|scant|nor any|not (?:a )?(?:shred|single piece) of|not any)\s+(?:hard |solid "
    r"|credible |concrete |corroborating |direct |independent |definitive |real |clear |conclusive )*(?:evidence"
    r"|proof)\b|\b(?:provided|offered|presented|gave|produced|cited|showed) no (?:evidence|proof)\b"
    r"|\b(?:claim\w*|alleg\w*|accus\w*|said|assert\w*|insist\w*)\b[^.;]{0,60}?\bwithout (?:providing |offering |giving "
    r"|presenting |citing |any )*(?:evidence|proof)\b"
    r"|\babsence of (?:corroborating|independent) (?:footage|evidence|verification|confirmation)\b",
    _I,
)
AUTHENTICITY_UNKNOWN = re.compile(
    r"\b(?:authenticity|veracity|accuracy|provenance|reliability) of (?:the |these |this "
    r"|that )?(?:[\w-]+\s+){0,2}?(?:videos?|footage|images?|photos?|pictures?|documents?|recordings?|claims?|reports?"
    r"|letters?|audio|accounts?|information|statements?|figures?)\b[^.;]{0,30}?\b(?:could not|cannot|can ?n[’']t"
    r"|has not|have not|was not|were not|is unclear|remains? unclear|is not known)\b"
    r"|\b(?:could not|cannot|can ?n[’']t|unable to) (?:immediately |independently )?(?:determine|establish|ascertain"
    r"|check) "
    r"(?:whether|if|the (?:authenticity|veracity|accuracy))\b",
    _I,
)
CONFIRM_OTHER_SENSE = re.compile(
    r"\b(?:re)?confirm\w*\s+(?:his|her|its|their|our|my|the|a|full|continued|unwavering"
    r"|strong)?\s*(?:[\w-]+\s+)?(?:commitment|support|readiness|intention|position|willingness|solidarity|appointment"
    r"|participation|attendance|invitation|status|agreement|interest|resolve|determination|stance|dates?|visit|meeting"
    r"|plans?|partnership|course|adherence|loyalty|friendship)\b"
    r"|\b(?:was|were|has been|have been|had been) (?:independently |officially )?(?:confirmed|verified) by\b",
    _I,
)
"""Confirmation in other senses ("confirmed its support") or a claim that WAS confirmed: not a gap."""

VERIFICATION_WORDING = re.compile(
    r"\b(?:verif\w*|confirm\w*|corroborat\w*|authentic\w*|evidence|proof|unconfirmed|unverified|if true|"
    r"substantiat\w*|veracity|ascertain\w*)\b",
    _I,
)


@labelling_function("verification_gap", resources={"not_verified": NOT_VERIFIED})
def vgap_could_not_verify(passage: Any, not_verified: re.Pattern[str]) -> int:
    """A claim said to be unverifiable or unconfirmed ("could not be independently verified")."""
    return POSITIVE if _found(not_verified, _text(passage)) else ABSTAIN


@labelling_function("verification_gap", resources={"if_true": IF_TRUE})
def vgap_if_true(passage: Any, if_true: re.Pattern[str]) -> int:
    """A claim held open with "if true" or "if confirmed"."""
    return POSITIVE if _found(if_true, _text(passage)) else ABSTAIN


@labelling_function("verification_gap", resources={"yet_to_be": YET_TO_BE})
def vgap_yet_to_be_confirmed(passage: Any, yet_to_be: re.Pattern[str]) -> int:
    """Confirmation still pending ("yet to be confirmed", "remains unverified", "without confirmation")."""
    return POSITIVE if _found(yet_to_be, _text(passage)) else ABSTAIN


@labelling_function("verification_gap", resources={"unconfirmed": UNCONFIRMED_WORD, "negation": NEGATION})
def vgap_unconfirmed_claim(passage: Any, unconfirmed: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Claims called unconfirmed or unverified ("unconfirmed reports"), unless negated."""
    return POSITIVE if _any_match_without(unconfirmed, _text(passage), negation) else ABSTAIN


@labelling_function("verification_gap", resources={"no_evidence": NO_EVIDENCE})
def vgap_no_evidence(passage: Any, no_evidence: re.Pattern[str]) -> int:
    """Missing evidence ("no evidence", "without providing evidence", "absence of corroborating footage")."""
    return POSITIVE if _found(no_evidence, _text(passage)) else ABSTAIN


@labelling_function("verification_gap", resources={"authenticity": AUTHENTICITY_UNKNOWN})
def vgap_authenticity_unknown(passage: Any, authenticity: re.Pattern[str]) -> int:
    """Unknown authenticity ("the authenticity of the video could not be established")."""
    return POSITIVE if _found(authenticity, _text(passage)) else ABSTAIN


@labelling_function(
    "verification_gap",
    resources={
        "other_sense": CONFIRM_OTHER_SENSE,
        "gaps": (NOT_VERIFIED, IF_TRUE, YET_TO_BE, UNCONFIRMED_WORD, NO_EVIDENCE, AUTHENTICITY_UNKNOWN),
    },
)
def vgap_confirmed_or_other_sense(passage: Any, other_sense: re.Pattern[str], gaps: tuple[re.Pattern[str], ...]) -> int:
    """Confirmation that is no gap ("confirmed its support", "was confirmed by the UN"): NEGATIVE."""
    text = _text(passage)
    return NEGATIVE if _found(other_sense, text) and _none_found(gaps, text) else ABSTAIN


@labelling_function("verification_gap", resources={"attribution": ATTRIBUTION, "wording": VERIFICATION_WORDING})
def vgap_plain_attribution(passage: Any, attribution: re.Pattern[str], wording: re.Pattern[str]) -> int:
    """Ordinary attribution ("he said") with no word about verification: NEGATIVE."""
    text = _text(passage)
    return NEGATIVE if _found(attribution, text) and not _found(wording, text) else ABSTAIN


# ---------------------------------------------------------------------------------------------- emotional_appeal

EMOTIVE_LEXICON = re.compile(
    r"\b(?:martyrs?|martyrdom|martyred|bloodthirsty|blood-thirsty|monstrous|monsters?|barbaric|barbarians?|barbarity"
    r"|savage\w*|beasts?|bestial|butcher(?:s|ed|ing)?|inhuman(?:e)?|heinous|diabolical|satanic|evil|bloodbath"
    r"|blood bath|carnage|slaughter\w*|hellish|nightmar\w+|cannibal\w*|vile|despicable|sadistic|ghoulish|fiends?"
    r"|bloody (?:regime|dictator|massacre|crimes?)|rivers of blood|blood on (?:their|his|its|her|your) hands|heroes"
    r"|heroic|heroism|shameful|disgraceful|abhorrent|unspeakable|horrific|horrendous|horrifying|terrifying|appalling"
    r"|sickening|outrageous|atrocious|catastrophic|"
    r"apocalyptic|immeasurable|unimaginable|innocent (?:children|blood|victims|lives))\b",
    _I,
)
"""Loaded words that dramatise rather than report ("martyrs", "bloodthirsty", "monstrous", "catastrophic")."""

GENOCIDE_WORDS = re.compile(r"\b(?:genocid\w*|massacre[sd]?|atrocit(?:y|ies)|exterminat\w+|ethnic cleansing)\b", _I)
LEGAL_OR_HISTORICAL = re.compile(
    r"\b(?:genocide convention|convention on (?:the )?(?:prevention|punishment)|court|tribunal|(?-i:ICC|ICJ)"
    r"|prosecutors?|indict\w*|commission of inquiry|recogni[sz]\w* (?:[\w-]+ ){0,3}?(?:as )?(?:an? )?genocide"
    r"|genocide recognition|commemorat\w*|memorial|anniversary|remembrance|Holodomor|Holocaust|Armenian|Rwanda\w*|"
    r"Srebrenica|crimes against humanity|war crimes)\b",
    _I,
)
"""Legal or commemorative settings where "genocide" or "atrocities" are terms, not slogans."""

EXCLAMATION = re.compile(r"!")
INTENSIFIER = re.compile(
    r"\b(?:never|terrible|horrible|shame|shameful|heroes|enough|stop|forever|eternal|killed|dead|blood|"
    r"bloody|hell|evil|murder\w*|enemy|occupiers?|terror\w*|monsters?|criminals?|victims?|pain|tears|glory)\b",
    _I,
)
DRAMATISED = re.compile(
    r"\bvoices? (?:trembling|breaking|shaking|cracking|laced with|choked|quivering)"
    r"|\b(?:trembling|breaking|shaking) voice|\b(?:in|with|holding back|fighting back) tears\b|\bwept\b|\bweeping\b"
    r"|\bsobb\w*|\bheart-?(?:break\w*|wrenching|rending)|\b(?:stakes|cost|price|suffering|pain|grief) (?:are|is|was"
    r"|were) (?:immeasurable|unimaginable|enormous|unbearable|incalculable|beyond words)"
    r"|\bto the (?:last|very last) (?:bullet|drop|man|breath|soldier|cartridge)|\bfight(?:ing)? to the death"
    r"|\b(?:will|shall) never (?:forget|forgive)\b|\bnever forgive\b|\bwill (?:pay|answer) (?:dearly )?for (?:this|that"
    r"|it|everything|every|their|his|all|what)\b|\bburn(?:ed|t) alive\b|\bscreams?\b|\bterrified\b|\bhorror\b"
    r"|\bhorrors of\b|\bdrowned in blood\b|\bbefore it(?:'s|’s| is) too late\b"
    r"|\bevery (?:day|hour|minute|second) (?:counts|matters|costs|of delay)\b|\btime is running out\b"
    r"|\b(?:cannot|can't|must not) (?:stay|remain|keep) (?:silent|indifferent)\b|\bstand idly by\b"
    r"|\bthe (?:whole )?world (?:must|cannot|can't|should) (?:not )?(?:stay|remain|turn|look away|be silent)",
    _I,
)
"""Dramatised scenes and urgency ("his voice trembling", "the stakes are immeasurable", "to the last bullet")."""

CRUELTY = re.compile(
    r"\b(?:mercilessly|merciless|ruthless(?:ly)?|in cold blood|cold-blooded(?:ly)?|vicious(?:ly)?|wanton(?:ly)?"
    r"|callous(?:ly)?|cruel(?:ly|ty)?|sadistic(?:ally)?|brutally|tortured to death|"
    r"shot dead in front of|murderous|murderers)\b",
    _I,
)
"""Cruelty wording that turns a report of harm into an indictment."""


@labelling_function("emotional_appeal", resources={"lexicon": EMOTIVE_LEXICON})
def emo_loaded_lexicon(passage: Any, lexicon: re.Pattern[str]) -> int:
    """Loaded words, quoted or not (rule 5): "martyrs", "bloodthirsty", "the losses are catastrophic"."""
    return POSITIVE if _found(lexicon, _text(passage)) else ABSTAIN


@labelling_function("emotional_appeal", resources={"genocide": GENOCIDE_WORDS, "legal": LEGAL_OR_HISTORICAL})
def emo_genocide_as_slogan(passage: Any, genocide: re.Pattern[str], legal: re.Pattern[str]) -> int:
    """Words like "genocide", "massacre", "atrocities" outside a legal or commemorative setting: a slogan."""
    text = _text(passage)
    return POSITIVE if _found(genocide, text) and not _found(legal, text) else ABSTAIN


@labelling_function("emotional_appeal", resources={"bang": EXCLAMATION, "intensifier": INTENSIFIER})
def emo_exclamation_with_intensifier(passage: Any, bang: re.Pattern[str], intensifier: re.Pattern[str]) -> int:
    """An exclamation carrying an intensifier or a charged word ("Now - 220 children killed!")."""
    text = _text(passage)
    return POSITIVE if _found(bang, text) and _found(intensifier, text) else ABSTAIN


@labelling_function("emotional_appeal", resources={"dramatised": DRAMATISED})
def emo_dramatised_scene(passage: Any, dramatised: re.Pattern[str]) -> int:
    """Dramatised scenes and calls to urgency ("voice trembling", "fighting to the last bullet")."""
    return POSITIVE if _found(dramatised, _text(passage)) else ABSTAIN


@labelling_function("emotional_appeal", resources={"cruelty": CRUELTY})
def emo_cruelty_wording(passage: Any, cruelty: re.Pattern[str]) -> int:
    """Harm told with cruelty wording ("mercilessly massacred", "murdered in cold blood")."""
    return POSITIVE if _found(cruelty, _text(passage)) else ABSTAIN


@labelling_function(
    "emotional_appeal",
    resources={
        "toll": TOLL,
        "cues": (EMOTIVE_LEXICON, GENOCIDE_WORDS, DRAMATISED, CRUELTY, EXCLAMATION, PARTISAN_VOICE),
    },
)
def emo_neutral_harm_report(passage: Any, toll: re.Pattern[str], cues: tuple[re.Pattern[str], ...]) -> int:
    """A plain report of harm ("three people were killed") with no charged wording: NEGATIVE."""
    text = _text(passage)
    return NEGATIVE if _found(toll, text) and _none_found(cues, text) else ABSTAIN


@labelling_function(
    "emotional_appeal",
    resources={
        "genocide": GENOCIDE_WORDS,
        "legal": LEGAL_OR_HISTORICAL,
        "cues": (EMOTIVE_LEXICON, DRAMATISED, CRUELTY, EXCLAMATION),
    },
)
def emo_legal_term(
    passage: Any, genocide: re.Pattern[str], legal: re.Pattern[str], cues: tuple[re.Pattern[str], ...]
) -> int:
    """Words like "genocide" as a legal or historical term, with nothing else charged: NEGATIVE."""
    text = _text(passage)
    return NEGATIVE if _found(genocide, text) and _found(legal, text) and _none_found(cues, text) else ABSTAIN


# ---------------------------------------------------------------------------------------------- collapse_narrative

_SIDE = (
    r"(?:forces|troops|soldiers|army|armies|units?|fighters|militants|rebels|terrorists|guerrillas?|defenders"
    r"|servicemen|brigades?|battalions?|garrisons?|regiments?|divisions?|militias?|insurgents|jihadists|mercenaries"
    r"|occupiers|invaders|the enemy|enemy|military|regime|front|front ?lines?|ranks|conscripts|recruits|personnel"
    r"|marines|paratroopers|commanders|men|Ukrainians|Russians|FMLN|ISIS|ISIL|Daesh|Nusra|(?-i:IS)|AFU|ZSU"
    r"|the (?:Ukrainian|Russian|Syrian|Salvadoran|Iraqi) (?:side|army|military))"
)
SURRENDER = re.compile(
    r"\b(?:mass(?:ive)? surrenders?|surrender(?:ed|ing) en masse|(?:are|were|is|was|began|begin|begins|beginning"
    r"|started|starting|continue|continued|continuing|keep|kept) (?:to )?(?:surrender(?:ing)?"
    r"|lay(?:ing)? down (?:their |his |its )?(?:arms|weapons))|surrendered|laid down (?:their|his|its) (?:arms|weapons)"
    r"|gave themselves up|giving themselves up|capitulat(?:ed|ing)|rais(?:ed|ing) (?:a |the )?white flags?|"
    r"waving white flags|taken prisoner en masse)\b",
    _I,
)
"""Surrender as something happening (not offered, demanded or hypothetical): "are beginning to surrender"."""
SIDE = re.compile(rf"\b{_SIDE}\b", _I)
SURRENDER_NOT_COLLAPSE = re.compile(
    r"\bsurrender(?:ed|ing|s)? (?:to (?:the )?(?:police|authorities|justice|court)"
    r"|(?:(?:its|their|his|her|the|our) )?(?:[\w-]+ ){0,3}?(?:passports?|documents|territory|sovereignty|independence"
    r"|interests|values|weapons|cache|arsenal|stockpiles?|claims?|rights|control|positions? in (?:talks|negotiations)))"
    r"|\bsurrender-or-starve\b|\b(?:call(?:s|ed|ing)? on|urge[ds]?|urging|appeal(?:ed)? to) (?:\w+\s+){0,4}?to "
    r"(?:surrender|lay down)|\bwill never surrender\b|\bnot (?:going to )?surrender\b|\bno surrender\b",
    _I,
)
"""Surrender in another sense or as a call or refusal ("surrendered to police", "we will never surrender")."""

DESERTION_FLIGHT = re.compile(
    r"\b(?:desertions|deserters|mass desertion|deserting (?:en masse|their)"
    r"|deserted (?:their|en masse|the (?:army|ranks|front|unit|battalion|brigade|regiment))"
    r"|abandon(?:ed|ing|s)? (?:their |its |his )?(?:positions?|weapons|equipment|posts|arms|trenches|vehicles|tanks"
    r"|wounded|dead)|retreat\w* in (?:panic|disarray|chaos|confusion)|(?:fled|fleeing|flee|ran|running) (?:en masse"
    r"|in (?:panic|droves|disarray|chaos|terror))|in (?:complete |total |utter )?disarray"
    r"|(?:were|was|are|have been) routed|\brout(?:ed)?\b|panic(?:ked)? (?:among|in) (?:the )?(?:ranks|troops|"
    r"soldiers|units))\b",
    _I,
)
"""Desertion, abandoned positions, flight in panic ("abandoned their positions", "fled in disarray")."""

ENCIRCLEMENT = re.compile(
    r"\b(?:escape|break out of|broke out of|breaking out of|trapped in|caught in|stuck in|inside|in) (?:the "
    r"|a )?(?:encirclement|cauldron)\b|\b(?:encircled|surrounded|trapped|cut off|besieged"
    r"|blockaded)\s+(?:(?!by\b)[\w-]+\s+){0,3}?(?:forces|troops|soldiers|units?|garrisons?|grouping|fighters|militants"
    r"|servicemen|battalions?|brigades?|defenders|enemy)\b"
    rf"|\b{_SIDE}\s+(?:[\w-]+\s+){{0,2}}?(?:are|were|is|was|have been|had been|remain|found themselves)\s+"
    r"(?:now\s+|completely\s+|fully\s+|almost\s+)?(?:encircled|surrounded|trapped|cut off|in a cauldron)\b"
    r"|\bencirclement of (?:the )?(?:[\w-]+\s+){0,2}?(?:forces|troops|grouping|army|units|garrison)\b",
    _I,
)
"""Forces encircled or trying to escape a cauldron (not a town being encircled)."""

CRUMBLING = re.compile(
    rf"\b{_SIDE}\s+(?:[\w'’-]+\s+){{0,3}}?(?:is |are |was |were |has |have |had |been |being |seems |appears |"
    r"began |begins |started )*(?:to )?(?:crumbl\w+|collaps\w+|disintegrat\w+|implod\w+|falling apart|fall apart"
    r"|fell apart|breaking down|cracking|on the verge of collapse|in tatters|in free ?fall)\b"
    r"|\b(?:crumbling|collapsing|disintegrating|imploding|failing|failed)(?:,? [\w-]+)? (?:front(?: ?lines?)?"
    r"|defen[cs]es?|army|forces|troops|regime|state|lines|resistance|morale)\b"
    r"|\b(?:collapse|disintegration|implosion|demise|downfall|breakdown) of (?:the )?(?:[\w'’-]+\s+){0,2}?(?:army"
    r"|forces|front|regime|state|Ukraine|military|defen[cs]es?|resistance|troops|lines)\b"
    r"|\bshell of (?:its|their|his) former self\b",
    _I,
)
"""A crumbling front, a collapsing army, state or regime ("collapsing, degrading state", rule 10 "imploding")."""

DEMORALISED = re.compile(
    r"\bdemorali[sz]ed\b|\bdemorali[sz]ation (?:of|in|among) (?:the )?(?:troops|army|forces|soldiers|ranks|units"
    r"|enemy)\b|\bmorale (?:is |was |has |had )?(?:been )?(?:low|collapsed|collapsing|plummet\w*|broken|at rock bottom"
    r"|crumbling|sinking|zero)\b|\blow morale\b|\bno longer (?:want(?:s|ed)? to |willing to |able to )?fight\w*"
    r"|\brefus\w+ to fight\b|\b(?:do|does|did) ?(?:not|n[’']t) want to fight\b"
    r"|\blost (?:the|their|all) (?:will|desire) to fight\b|\bhopeless (?:situation|position)\b"
    r"|\bsituation is (?:hopeless|untenable|"
    r"catastrophic|desperate)\b|\b(?:are|is) doomed\b|\bno longer defensible\b",
    _I,
)
"""Broken morale and refusal to fight ("the soldiers are no longer fighting", "the army is demoralized")."""

END_PREDICTED = re.compile(
    r"\b(?:herald|spell|mean|mark|signal)\w* the (?:end|defeat|collapse) of (?:the )?(?:[\w'’-]+\s+){0,2}?(?:Ukraine"
    r"|Russia|army|regime|forces|resistance|state|military|Kyiv|Kiev|FMLN|ISIS|militants|rebels)\b"
    r"|\b(?:on the (?:brink|verge|edge) of|close to|near) (?:military |total |complete )?(?:collapse|defeat"
    r"|surrender)\b|\b(?:days|hours) are numbered\b"
    rf"|\b{_SIDE}\s+(?:[\w-]+\s+){{0,2}}?(?:will|would|could|is about to|are about to|is going to|are going to) "
    r"(?:soon )?(?:collapse|crumble|fall apart|disintegrate|capitulate)\b",
    _I,
)
"""A predicted collapse of a side (rule 6: "could herald the end of Ukraine militarily")."""

ABSTRACT_COLLAPSE = re.compile(
    r"\b(?:collapse|crumbling|disintegration|implosion|fall|breakdown) of (?:the |our |their "
    r"|its )?(?:[\w'’-]+\s+){0,2}?(?:econom\w*|order|system|ceasefire|truce|talks|negotiations|market|currency|ruble"
    r"|rouble|dollar|prices|deal|agreement|illusions?|model|hegemony|empire|world order|Soviet Union|USSR|bridge"
    r"|building|roof|house|wall|tower|banks?|financial|trade|ideology|project|coalition government|communism|socialism"
    r"|dialogue|peace process|unipolar\w*)\b|\b(?:economy|ceasefire|truce|talks|building|bridge|roof|wall|house|market"
    r"|currency|negotiations|deal|buildings|houses|homes) (?:had |has |have )?(?:collapsed|crumbled|collapsing)\b"
    r"|\bcollapsed (?:buildings?|bridges?|houses?|roofs?|structures?|homes?|ceilings?|walls?)\b",
    _I,
)
"""The collapse of abstractions or buildings (rule 6 exclusion)."""

ORDERLY_RETREAT = re.compile(
    r"\b(?:tactical|orderly|planned|organi[sz]ed|strategic|temporary|partial) (?:retreat|withdrawal|regroup\w*"
    r"|redeployment|pullback|repositioning)\b|\bwithdr[ae]w\w* to (?:more )?(?:favou?rable|prepared|new|reserve|"
    r"better|defensive) (?:positions|lines)\b|\bregroup(?:ed|ing)?\b|\bpull(?:ed)? back to\b",
    _I,
)
"""An ordinary tactical retreat or withdrawal."""

CIVILIAN_FLIGHT = re.compile(
    r"\b(?:civilians|residents|families|people|refugees|children|women|inhabitants|villagers|displaced|population"
    r"|citizens|thousands|hundreds|millions|tens of thousands)\s+(?:[\w'’-]+\s+){0,3}?(?:fled|flee|fleeing|have fled"
    r"|had fled|were forced to flee)\b"
    r"|\b(?:fled|fleeing) (?:their|the) (?:homes?|country|city|town|village|violence|fighting|war|bombing)\b",
    _I,
)
"""Civilians fleeing: displacement, not a side's forces collapsing."""


@labelling_function(
    "collapse_narrative",
    resources={"surrender": SURRENDER, "side": SIDE, "not_collapse": SURRENDER_NOT_COLLAPSE, "negation": NEGATION},
)
def coll_forces_surrender(
    passage: Any,
    surrender: re.Pattern[str],
    side: re.Pattern[str],
    not_collapse: re.Pattern[str],
    negation: re.Pattern[str],
) -> int:
    """A side's forces surrendering or laying down arms ("Ukrainian forces are beginning to surrender")."""
    text = _text(passage)
    if _any_match_without(surrender, text, negation) and _found(side, text) and not _found(not_collapse, text):
        return POSITIVE
    return ABSTAIN


@labelling_function("collapse_narrative", resources={"flight": DESERTION_FLIGHT, "negation": NEGATION})
def coll_desertion_or_flight(passage: Any, flight: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Desertion, abandoned positions, flight in panic."""
    return POSITIVE if _any_match_without(flight, _text(passage), negation) else ABSTAIN


@labelling_function("collapse_narrative", resources={"encircled": ENCIRCLEMENT, "negation": NEGATION})
def coll_encirclement(passage: Any, encircled: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Forces encircled, trapped, or trying to escape the encirclement."""
    return POSITIVE if _any_match_without(encircled, _text(passage), negation) else ABSTAIN


@labelling_function(
    "collapse_narrative", resources={"crumbling": CRUMBLING, "abstract": ABSTRACT_COLLAPSE, "negation": NEGATION}
)
def coll_crumbling_front(
    passage: Any, crumbling: re.Pattern[str], abstract: re.Pattern[str], negation: re.Pattern[str]
) -> int:
    """A crumbling front, collapsing army, state or regime (not an economy or a truce)."""
    text = _text(passage)
    return POSITIVE if _any_match_without(crumbling, text, negation) and not _found(abstract, text) else ABSTAIN


@labelling_function("collapse_narrative", resources={"demoralised": DEMORALISED})
def coll_demoralised(passage: Any, demoralised: re.Pattern[str]) -> int:
    """Broken morale, refusal to fight, a hopeless position."""
    return POSITIVE if _found(demoralised, _text(passage)) else ABSTAIN


@labelling_function("collapse_narrative", resources={"predicted": END_PREDICTED, "negation": NEGATION})
def coll_predicted_end(passage: Any, predicted: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """A predicted collapse or defeat of a side (rule 6)."""
    return POSITIVE if _any_match_without(predicted, _text(passage), negation) else ABSTAIN


_COLLAPSE_CUES = (SURRENDER, DESERTION_FLIGHT, ENCIRCLEMENT, CRUMBLING, DEMORALISED, END_PREDICTED)


@labelling_function(
    "collapse_narrative",
    resources={"abstract": ABSTRACT_COLLAPSE, "cues": (DESERTION_FLIGHT, ENCIRCLEMENT, DEMORALISED, END_PREDICTED)},
)
def coll_abstract_collapse(passage: Any, abstract: re.Pattern[str], cues: tuple[re.Pattern[str], ...]) -> int:
    """The collapse of an economy, a truce or a building: NEGATIVE (rule 6)."""
    text = _text(passage)
    return NEGATIVE if _found(abstract, text) and _none_found(cues, text) else ABSTAIN


@labelling_function(
    "collapse_narrative", resources={"orderly": ORDERLY_RETREAT, "civilian": CIVILIAN_FLIGHT, "cues": _COLLAPSE_CUES}
)
def coll_orderly_retreat_or_civilians(
    passage: Any, orderly: re.Pattern[str], civilian: re.Pattern[str], cues: tuple[re.Pattern[str], ...]
) -> int:
    """A tactical retreat or civilians fleeing, with no collapse wording: NEGATIVE."""
    text = _text(passage)
    if (_found(orderly, text) or _found(civilian, text)) and _none_found(cues, text):
        return NEGATIVE
    return ABSTAIN


# ---------------------------------------------------------------------------------------------- discrediting

SO_CALLED = re.compile(r"\b(?:so-called|so called|self-styled|pseudo-\w+)\b", _I)
PROPAGANDA = re.compile(
    r"\b(?:propagandists?|propaganda|mouthpieces?|puppets?|puppeteers?|lackeys?|stooges?|henchm[ae]n|vassals?"
    r"|marionettes?|minions|paid (?:agents?|trolls?|bloggers?|actors?)|trolls?|troll factor(?:y|ies)|bot farms?"
    r"|hired pens|fifth column|useful idiots?|agents? of (?:influence|the west|the kremlin|moscow|washington"
    r"|the cia))\b",
    _I,
)
"""Propaganda, mouthpieces and puppets: an outlet or actor dismissed as somebody's instrument."""

FAKE_AND_LIES = re.compile(
    r"\b(?:fake news|fakes|fake (?:reports?|stories|information|videos?|photos?|footage|claims?)|liars?|"
    rf"{_LIES}|falsehoods?|fabricat\w+|fairy[- ]tales?|hoax(?:es)?|"
    r"staged (?:by|provocation|chemical attack|video|footage|incident|photos?)|(?:was|were|is|are|been) staged"
    r"|stage-managed"
    r"|(?<!against )(?<!countering )(?<!counter )(?<!combating )(?<!combat )(?<!fighting )(?<!tackling )"
    r"(?:disinformation|misinformation)|smear(?:s| campaign)?|slander\w*|libel\w*|hysteria|information war"
    r"|info(?:rmation)? (?:attack|sabotage|special operation)s?)\b",
    _I,
)
"""Charges of lying, fakery and staging ("fake news", "spreading lies", "staged by the White Helmets")."""

BAD_MOTIVES = re.compile(
    r"\b(?:provocations?|provocateurs?|provocative (?:lies|statements)|regime loyalists?|hypocri\w+|double standards"
    r"|cynical\w*|cynicism|hidden (?:agenda|motives)|ulterior motives?|(?:in|on) the pay(?:roll)? of|doing the bidding"
    r"|at the behest of|russophob\w*|ukrainophob\w*|feign\w*|sell-?outs?|traitors?|"
    r"treacherous|renegades?)\b",
    _I,
)
"""Attacks on motives and loyalty ("a provocation by a former regime loyalist", "Russophobia", "hypocrisy")."""

CREDIBILITY_ATTACK = re.compile(
    r"\b(?:(?:not|no longer|hardly|never) (?:be )?(?:credible|trustworthy|reliable|trusted|objective|independent"
    r"|impartial)|discredit\w*|untrustworthy|unreliable (?:sources?|information|witness\w*|data|reports?|narrators?)"
    r"|(?:lost|loses|losing) (?:all |any )?credibility|notorious for|known for (?:spreading|lying|fabricating)|biased"
    r"|partisan (?:media|outlets?|press)|self-proclaimed experts?|pseudo-?experts?"
    r"|armchair (?:experts?|generals?|analysts?)|(?<!-)(?<!al )(?<!ash )(?<!el )sham|farce|charade"
    r"|mockery)\b",
    _I,
)
"""Direct attacks on credibility ("not credible", "biased", "a sham", "a farce")."""

SCARE_QUOTED = re.compile(
    r"[\"“](?:news|experts?|journalists?|journalism|opposition|democracy|democrats?|democratic|elections?|referendum"
    r"|human rights|humanitarian|humanitarians|activists?|moderates?|moderate (?:rebels|opposition)|rebels|peaceful"
    r"|independent|investigation|evidence|civil society|peacekeepers|freedom|free press|revolution|reforms?|liberators?"
    r"|volunteers|victims|chemical attack|president|government|values|partners|friends|civilized world|facts|truth"
    r"|analysts?|observers|protesters|heroes|victory|peace|"
    r"defenders|aid|fact-checkers?)[\"”]",
    _I,
)
"""A credibility word in double scare quotes ('the “opposition”', '"news"'); wiki single-quoted titles don't count."""

WORD_MENTION = re.compile(
    r"\b(?:words?|terms?|slogans?|written|inscriptions?|titled|entitled|named)\W+(?:[\w-]+\W+){0,2}$", _I
)
"""A quoted word that is mentioned rather than used ('the word "freedom"')."""

ROUTINE_DESIGNATION = re.compile(
    r"\b(?:terrorists?|terrorist (?:groups?|organi[sz]ations?|gangs?)|(?:Kyiv|Kiev|Damascus|Assad|Syrian) regime|"
    r"regime forces|militants|jihadists|extremists|takfiri\w*|insurgents|separatists|occupiers|invaders)\b",
    _I,
)
ROLE_DESCRIPTION = re.compile(
    r"\b(?:former|deputy|ex-|acting|retired|first deputy|vice) ?(?:deputy )?(?:minister|official|ambassador|"
    r"commander|head|president|prime minister|chief|director|governor|mayor|spokes\w+|general|member)\b",
    _I,
)
_DISCREDITING_CUES = (SO_CALLED, PROPAGANDA, FAKE_AND_LIES, BAD_MOTIVES, CREDIBILITY_ATTACK, SCARE_QUOTED)


@labelling_function("discrediting", resources={"so_called": SO_CALLED})
def disc_so_called(passage: Any, so_called: re.Pattern[str]) -> int:
    """Doubt cast on the target's very name: "so-called", "self-styled", "pseudo-" (rule 3)."""
    return POSITIVE if _found(so_called, _text(passage)) else ABSTAIN


@labelling_function("discrediting", resources={"propaganda": PROPAGANDA})
def disc_propaganda_or_puppet(passage: Any, propaganda: re.Pattern[str]) -> int:
    """Propaganda, mouthpieces, puppets, trolls."""
    return POSITIVE if _found(propaganda, _text(passage)) else ABSTAIN


@labelling_function("discrediting", resources={"fakes": FAKE_AND_LIES, "negation": NEGATION})
def disc_fakes_and_lies(passage: Any, fakes: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Accusations of fakes, lies, staging or disinformation."""
    return POSITIVE if _any_match_without(fakes, _text(passage), negation) else ABSTAIN


@labelling_function("discrediting", resources={"motives": BAD_MOTIVES})
def disc_bad_motives(passage: Any, motives: re.Pattern[str]) -> int:
    """Attacks on motives or loyalty: "a provocation", "regime loyalist", "Russophobia", "hypocrisy"."""
    return POSITIVE if _found(motives, _text(passage)) else ABSTAIN


@labelling_function("discrediting", resources={"credibility": CREDIBILITY_ATTACK})
def disc_credibility_attack(passage: Any, credibility: re.Pattern[str]) -> int:
    """Direct attacks on credibility: "not credible", "biased", "a sham"."""
    return POSITIVE if _found(credibility, _text(passage)) else ABSTAIN


@labelling_function("discrediting", resources={"scare": SCARE_QUOTED, "mention": WORD_MENTION})
def disc_scare_quotes(passage: Any, scare: re.Pattern[str], mention: re.Pattern[str]) -> int:
    """A credibility word in scare quotes: 'the “opposition”', '"experts"' (not 'the word "peace"')."""
    text = _text(passage)
    return POSITIVE if _any_match_without(scare, text, mention) else ABSTAIN


@labelling_function(
    "discrediting", resources={"routine": ROUTINE_DESIGNATION, "role": ROLE_DESCRIPTION, "cues": _DISCREDITING_CUES}
)
def disc_routine_designation_only(
    passage: Any, routine: re.Pattern[str], role: re.Pattern[str], cues: tuple[re.Pattern[str], ...]
) -> int:
    """A routine designation ("terrorists", "Kyiv regime") or a role ("a former deputy minister") alone: NEGATIVE."""
    text = _text(passage)
    if (_found(routine, text) or _found(role, text)) and _none_found(cues, text):
        return NEGATIVE
    return ABSTAIN


LABELLING_FUNCTIONS: tuple[LabellingFunction, ...] = (
    ucc_toll_from_party,
    ucc_toll_from_monitor,
    ucc_toll_from_unnamed_source,
    ucc_toll_in_partisan_voice,
    ucc_battlefield_loss_claim,
    ucc_loss_presented_as_claim,
    ucc_verified_toll,
    ucc_historical_toll,
    ucc_no_losses,
    ucc_toll_in_news_voice,
    anon_condition_of_anonymity,
    anon_unnamed_sources,
    anon_unnamed_official,
    anon_unnamed_person,
    anon_unnamed_group,
    anon_people_familiar,
    anon_named_source,
    deny_official_denies_claim,
    deny_declined_to_comment,
    deny_dismissed_as_fake,
    deny_disowns_act,
    deny_silence_is_not_denial,
    deny_private_disagreement,
    deny_other_sense_or_negated,
    smed_posted_on_platform,
    smed_platform_channel,
    smed_video_shows,
    smed_circulating_footage,
    smed_blogger_or_channel,
    smed_broadcaster_footage,
    smed_platform_as_topic,
    vgap_could_not_verify,
    vgap_if_true,
    vgap_yet_to_be_confirmed,
    vgap_unconfirmed_claim,
    vgap_no_evidence,
    vgap_authenticity_unknown,
    vgap_confirmed_or_other_sense,
    vgap_plain_attribution,
    emo_loaded_lexicon,
    emo_genocide_as_slogan,
    emo_exclamation_with_intensifier,
    emo_dramatised_scene,
    emo_cruelty_wording,
    emo_neutral_harm_report,
    emo_legal_term,
    coll_forces_surrender,
    coll_desertion_or_flight,
    coll_encirclement,
    coll_crumbling_front,
    coll_demoralised,
    coll_predicted_end,
    coll_abstract_collapse,
    coll_orderly_retreat_or_civilians,
    disc_so_called,
    disc_propaganda_or_puppet,
    disc_fakes_and_lies,
    disc_bad_motives,
    disc_credibility_attack,
    disc_scare_quotes,
    disc_routine_designation_only,
)
"""Every LF, grouped by label in taxonomy order; the order is the column order of the label matrix."""
