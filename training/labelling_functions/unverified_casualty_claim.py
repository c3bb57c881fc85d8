"""Labelling functions for ``unverified_casualty_claim``."""
from __future__ import annotations

import re
from typing import Any

from ..labelling import ABSTAIN, NEGATIVE, POSITIVE, labelling_function
from .common import EQUIPMENT, NEGATION, NUMBER, PARTISAN_VOICE, TOLL, I, any_match_without, found, text_of

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
    I,
)
"""A side in the conflict or its media as the source of what the passage reports."""

MONITOR_SOURCE = re.compile(
    r"\b(?:(?:Syrian )?Observatory|SOHR|monitor(?:ing group)?|(?:Rami )?Abdel Rahman|activists?"
    r"|Local Coordination Committees|medics|doctors|civil defen[cs]e|White Helmets|rescue workers"
    r"|(?:hospital|medical) (?:officials?|sources?|workers|staff)|human rights (?:group|network|committee|activists)|"
    r"Syrian Network for Human Rights|SNHR|Violations Documentation Cent(?:er|re))\b",
    I,
)
"""Monitors and NGOs: a toll from one that does not say it verified the figure is unverified (rule 1)."""

UNNAMED_TOLL_SOURCE = re.compile(
    r"\b(?:(?:a|one|the|another|two|several)\s+(?:[\w-]+\s+){0,2}?sources?|sources|witness(?:es)?|residents|locals"
    r"|eyewitness(?:es)?|(?:an?|one)\s+(?:[\w-]+\s+)?(?:official|spokes\w+|officer|commander|doctor|medic|"
    r"activist|resident)|officials|reportedly|(?:were|was|are|is) reported|according to (?:\w+\s+){0,2}?reports)\b",
    I,
)
"""A single or unnamed source behind a toll, or a toll passed on as "reported"."""


MILITARY_LOSS = re.compile(
    r"\b(?:eliminat|neutrali[sz]|liquidat|annihilat)(?:ed|ing)\s+(?:[\w-]+\s+){0,3}?(?:terrorists|militants|fighters"
    r"|soldiers|servicemen|mercenaries|gunmen|members|personnel|insurgents|guerrillas|rebels|troops|commanders|leaders"
    r"|jihadists|nationalists|\d[\d,]*)\b|\b(?:terrorists?|militants?|fighters?|soldiers?|servicemen|mercenar\w+|gunmen"
    r"|personnel|insurgents?|guerrillas?|rebels?|troops)\s+(?:were|was|have been|had been)\s+(?:eliminated"
    r"|neutrali[sz]ed|liquidated|annihilated|wiped out)\b|\bkilled (?:or|and) captured\b|\bcaptured or killed\b"
    r"|\b(?:militants|terrorists|enemy|rebels|guerrillas|insurgents|occupiers|invaders"
    r"|the (?:Ukrainian|Russian) (?:army|side|forces|military))\s+(?:have\s+|has\s+|had\s+)?(?:lost|suffered)\b"
    r"|\b(?:enemy|adversary)(?:'s)? (?:losses|casualties|dead)\b"
    rf"|\b(?:destroy\w*|downed|shot down|knocked out)\b[^.;:]{{0,30}}?\b{NUMBER}\b(?:\W+\w+){{0,3}}?\W+{EQUIPMENT}\b"
    rf"|\b{NUMBER}\b(?:\W+\w+){{0,3}}?\W+{EQUIPMENT}\b[^.;:]{{0,30}}?\b(?:destroyed|downed|shot down)\b",
    I,
)
"""Battlefield loss claims (eliminated fighters, destroyed tanks, "killed or captured"): a side's claim by nature."""

CLAIMED_LOSS = re.compile(
    r"\bclaim(?:s|ed|ing)?\b(?!\s+(?:by\b|(?:the\s+)?(?:responsibility|credit)"
    r"|(?:[\w-]+\s+){0,3}?(?:lives?|life)\b))[^.;]{0,50}?\b(?:kill\w*|wound\w*|captur\w+|destroy\w*|shot down|downed"
    r"|eliminat\w+|losses|casualties|dead|"
    r"surrender\w*|taken prisoner|prisoners)\b",
    I,
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
    I,
)
"""An independent verifier as the source of a toll, or a toll said to be verified (rule 1 exclusion)."""

HISTORICAL_TOLL = re.compile(
    r"\bsince (?:it (?:began|started|erupted)|the (?:war|conflict|uprising|invasion|crisis|fighting) (?:began|started"
    r"|erupted)|the (?:start|beginning|outbreak)|(?:March |early |mid-|late )?(?:19|20)\d\d)\b"
    r"|\b(?:war|conflict|crisis|fighting|violence|uprising|insurgency)\b[^.;]{0,40}?\b(?:has|have|had) (?:so far |now "
    r"|already )?(?:killed|claimed|left)\b|\bin (?:the )?(?:1[5-8]\d\d|19[0-7]\d)s?\b|\bWorld War|Second World"
    r"|Great Patriotic War|Holodomor|"
    r"Holocaust|Nazi occupation|Leningrad|Stalingrad|Chernobyl|\b(?:years|decades|centuries) ago\b",
    I,
)
"""A settled historical or cumulative background toll ("the conflict has killed more than 280,000 since 2011")."""

NO_LOSSES = re.compile(
    r"\b(?:no|without|zero)\s+(?:immediate\s+)?(?:reports?\s+of\s+)?(?:casualties|deaths|fatalities|injuries|losses"
    r"|victims|dead|wounded)\b|\bno(?:body| one) (?:was|were|has been|had been) (?:killed|hurt|injured|wounded)\b"
    r"|\b(?:did not|didn't|does not|do not) (?:result in|cause|leave) (?:any )?(?:casualties|deaths|injuries|victims)\b"
    r"|\bcaused no (?:casualties|deaths|injuries)\b",
    I,
)
"""A report that nobody was hurt: no loss claim at all."""

NEWS_OUTLET_VOICE = re.compile(
    r"(?:\baccording to|\breported by|,? reports?|,? reported)\s+(?:the\s+)?(?:Reuters|AFP|Agence France-Presse|AP"
    r"|Associated Press|BBC|Dawn|Al Jazeera|CNN|The Guardian|Guardian|New York Times|Washington Post|"
    r"Anadolu(?: Agency)?|DPA|EFE|ACAN-EFE|Xinhua|The Independent|NPR)\b",
    I,
)
"""A toll a newspaper reports in its own neutral voice ("..., reports Dawn"): rule 1 exclusion."""


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "party": PARTY_SOURCE})
def ucc_toll_from_party(passage: Any, toll: re.Pattern[str], party: re.Pattern[str]) -> int:
    """A toll attributed to a side, its ministry or its media (SANA, state TV, "the rebels said")."""
    text = text_of(passage)
    return POSITIVE if found(toll, text) and found(party, text) else ABSTAIN


@labelling_function(
    "unverified_casualty_claim", resources={"toll": TOLL, "monitor": MONITOR_SOURCE, "verified": VERIFIED_TOLL_SOURCE}
)
def ucc_toll_from_monitor(
    passage: Any, toll: re.Pattern[str], monitor: re.Pattern[str], verified: re.Pattern[str]
) -> int:
    """A toll from a monitor or NGO ("the Syrian Observatory said") that does not say it verified it."""
    text = text_of(passage)
    if found(toll, text) and found(monitor, text) and not found(verified, text):
        return POSITIVE
    return ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "unnamed": UNNAMED_TOLL_SOURCE})
def ucc_toll_from_unnamed_source(passage: Any, toll: re.Pattern[str], unnamed: re.Pattern[str]) -> int:
    """A toll on the word of a single or unnamed source ("a military source told SANA", "were reported killed")."""
    text = text_of(passage)
    return POSITIVE if found(toll, text) and found(unnamed, text) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "voice": PARTISAN_VOICE})
def ucc_toll_in_partisan_voice(passage: Any, toll: re.Pattern[str], voice: re.Pattern[str]) -> int:
    """An unsourced toll written in a side's voice ("terrorists' rocket shells killed two", "heroes...")."""
    text = text_of(passage)
    return POSITIVE if found(toll, text) and found(voice, text) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"loss": MILITARY_LOSS, "negation": NEGATION})
def ucc_battlefield_loss_claim(passage: Any, loss: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Battlefield losses ("eliminated 40 militants", "destroyed three tanks", "killed or captured")."""
    return POSITIVE if any_match_without(loss, text_of(passage), negation) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"claimed": CLAIMED_LOSS})
def ucc_loss_presented_as_claim(passage: Any, claimed: re.Pattern[str]) -> int:
    """Losses framed as somebody's claim, with or without a number."""
    return POSITIVE if found(claimed, text_of(passage)) else ABSTAIN


@labelling_function(
    "unverified_casualty_claim", resources={"toll": TOLL, "verified": VERIFIED_TOLL_SOURCE, "negation": NEGATION}
)
def ucc_verified_toll(passage: Any, toll: re.Pattern[str], verified: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """A toll from an independent verifier (UN, ICRC, a court) or said to be verified: NEGATIVE."""
    text = text_of(passage)
    if found(toll, text) and any_match_without(verified, text, negation):
        return NEGATIVE
    return ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "historical": HISTORICAL_TOLL})
def ucc_historical_toll(passage: Any, toll: re.Pattern[str], historical: re.Pattern[str]) -> int:
    """A settled historical or cumulative background toll: NEGATIVE."""
    text = text_of(passage)
    return NEGATIVE if found(toll, text) and found(historical, text) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"none": NO_LOSSES})
def ucc_no_losses(passage: Any, none: re.Pattern[str]) -> int:
    """No losses reported ("the shelling caused no casualties"), so there is no loss claim: NEGATIVE."""
    return NEGATIVE if found(none, text_of(passage)) else ABSTAIN


@labelling_function("unverified_casualty_claim", resources={"toll": TOLL, "outlet": NEWS_OUTLET_VOICE})
def ucc_toll_in_news_voice(passage: Any, toll: re.Pattern[str], outlet: re.Pattern[str]) -> int:
    """A toll a news agency reports in its own voice ("according to Reuters"): NEGATIVE."""
    text = text_of(passage)
    return NEGATIVE if found(toll, text) and found(outlet, text) else ABSTAIN


