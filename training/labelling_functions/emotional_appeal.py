"""Labelling functions for ``emotional_appeal``."""
from __future__ import annotations

import re
from typing import Any

from ..labelling import ABSTAIN, NEGATIVE, POSITIVE, labelling_function
from .common import PARTISAN_VOICE, TOLL, I, found, none_found, text_of

EMOTIVE_LEXICON = re.compile(
    r"\b(?:martyrs?|martyrdom|martyred|bloodthirsty|blood-thirsty|monstrous|monsters?|barbaric|barbarians?|barbarity"
    r"|savage\w*|beasts?|bestial|butcher(?:s|ed|ing)?|inhuman(?:e)?|heinous|diabolical|satanic|evil|bloodbath"
    r"|blood bath|carnage|slaughter\w*|hellish|nightmar\w+|cannibal\w*|vile|despicable|sadistic|ghoulish|fiends?"
    r"|bloody (?:regime|dictator|massacre|crimes?)|rivers of blood|blood on (?:their|his|its|her|your) hands|heroes"
    r"|heroic|heroism|shameful|disgraceful|abhorrent|unspeakable|horrific|horrendous|horrifying|terrifying|appalling"
    r"|sickening|outrageous|atrocious|catastrophic|"
    r"apocalyptic|immeasurable|unimaginable|innocent (?:children|blood|victims|lives))\b",
    I,
)
"""Loaded words that dramatise rather than report ("martyrs", "bloodthirsty", "monstrous", "catastrophic")."""

GENOCIDE_WORDS = re.compile(r"\b(?:genocid\w*|massacre[sd]?|atrocit(?:y|ies)|exterminat\w+|ethnic cleansing)\b", I)
LEGAL_OR_HISTORICAL = re.compile(
    r"\b(?:genocide convention|convention on (?:the )?(?:prevention|punishment)|court|tribunal|(?-i:ICC|ICJ)"
    r"|prosecutors?|indict\w*|commission of inquiry|recogni[sz]\w* (?:[\w-]+ ){0,3}?(?:as )?(?:an? )?genocide"
    r"|genocide recognition|commemorat\w*|memorial|anniversary|remembrance|Holodomor|Holocaust|Armenian|Rwanda\w*|"
    r"Srebrenica|crimes against humanity|war crimes)\b",
    I,
)
"""Legal or commemorative settings where "genocide" or "atrocities" are terms, not slogans."""

EXCLAMATION = re.compile(r"!")
INTENSIFIER = re.compile(
    r"\b(?:never|terrible|horrible|shame|shameful|heroes|enough|stop|forever|eternal|killed|dead|blood|"
    r"bloody|hell|evil|murder\w*|enemy|occupiers?|terror\w*|monsters?|criminals?|victims?|pain|tears|glory)\b",
    I,
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
    I,
)
"""Dramatised scenes and urgency ("his voice trembling", "the stakes are immeasurable", "to the last bullet")."""

CRUELTY = re.compile(
    r"\b(?:mercilessly|merciless|ruthless(?:ly)?|in cold blood|cold-blooded(?:ly)?|vicious(?:ly)?|wanton(?:ly)?"
    r"|callous(?:ly)?|cruel(?:ly|ty)?|sadistic(?:ally)?|brutally|tortured to death|"
    r"shot dead in front of|murderous|murderers)\b",
    I,
)
"""Cruelty wording that turns a report of harm into an indictment."""


@labelling_function("emotional_appeal", resources={"lexicon": EMOTIVE_LEXICON})
def emo_loaded_lexicon(passage: Any, lexicon: re.Pattern[str]) -> int:
    """Loaded words, quoted or not (rule 5): "martyrs", "bloodthirsty", "the losses are catastrophic"."""
    return POSITIVE if found(lexicon, text_of(passage)) else ABSTAIN


@labelling_function("emotional_appeal", resources={"genocide": GENOCIDE_WORDS, "legal": LEGAL_OR_HISTORICAL})
def emo_genocide_as_slogan(passage: Any, genocide: re.Pattern[str], legal: re.Pattern[str]) -> int:
    """Words like "genocide", "massacre", "atrocities" outside a legal or commemorative setting: a slogan."""
    text = text_of(passage)
    return POSITIVE if found(genocide, text) and not found(legal, text) else ABSTAIN


@labelling_function("emotional_appeal", resources={"bang": EXCLAMATION, "intensifier": INTENSIFIER})
def emo_exclamation_with_intensifier(passage: Any, bang: re.Pattern[str], intensifier: re.Pattern[str]) -> int:
    """An exclamation carrying an intensifier or a charged word ("Now - 220 children killed!")."""
    text = text_of(passage)
    return POSITIVE if found(bang, text) and found(intensifier, text) else ABSTAIN


@labelling_function("emotional_appeal", resources={"dramatised": DRAMATISED})
def emo_dramatised_scene(passage: Any, dramatised: re.Pattern[str]) -> int:
    """Dramatised scenes and calls to urgency ("voice trembling", "fighting to the last bullet")."""
    return POSITIVE if found(dramatised, text_of(passage)) else ABSTAIN


@labelling_function("emotional_appeal", resources={"cruelty": CRUELTY})
def emo_cruelty_wording(passage: Any, cruelty: re.Pattern[str]) -> int:
    """Harm told with cruelty wording ("mercilessly massacred", "murdered in cold blood")."""
    return POSITIVE if found(cruelty, text_of(passage)) else ABSTAIN


@labelling_function(
    "emotional_appeal",
    resources={
        "toll": TOLL,
        "cues": (EMOTIVE_LEXICON, GENOCIDE_WORDS, DRAMATISED, CRUELTY, EXCLAMATION, PARTISAN_VOICE),
    },
)
def emo_neutral_harm_report(passage: Any, toll: re.Pattern[str], cues: tuple[re.Pattern[str], ...]) -> int:
    """A plain report of harm ("three people were killed") with no charged wording: NEGATIVE."""
    text = text_of(passage)
    return NEGATIVE if found(toll, text) and none_found(cues, text) else ABSTAIN


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
    text = text_of(passage)
    return NEGATIVE if found(genocide, text) and found(legal, text) and none_found(cues, text) else ABSTAIN


