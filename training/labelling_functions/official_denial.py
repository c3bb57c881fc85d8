"""Labelling functions for ``official_denial``."""
from __future__ import annotations

import re
from typing import Any

from ..labelling import ABSTAIN, NEGATIVE, POSITIVE, labelling_function
from .common import (
    ATTRIBUTION,
    LIES,
    NEGATION,
    OFFICIAL_ACTOR,
    PRONOUN_SUBJECT,
    I,
    any_match_without,
    fold,
    found,
    none_found,
    text_of,
)

DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying)\b(?!\s+(?:\w+\s+)?(?:permission|access|entry|visas?|entrance|passage|bail"
    r"|the right|rights|them|him|her|us|me|people|citizens|refugees|residents|the ability|food|aid|medical|treatment"
    r"|service|services|justice|the opportunity|a chance)\b)|\b(?:rejected|rejects|reject|rejecting|dismissed|dismisses"
    r"|dismissing|refuted|refutes|refute|disputed|disputes|repudiated|disavowed)\s+(?:[\w'’-]+\s+){0,4}?(?:allegations?"
    r"|accusations?|claims?|charges?|reports?|assertions?|suggestions?|rumou?rs|speculation|insinuations?|findings"
    r"|the (?:idea|notion|accusation|claim|"
    r"report|allegation))\b|\b(?:rejected|dismissed|dismisses|rejects) (?:them|it|this|these|those) as\b",
    I,
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
    I,
)
"""Refusing to confirm or comment (rule 8: "declined to comment", "kept mum")."""

DISMISSIVE_VERDICT = re.compile(
    rf"[\"“‘']\s*(?:pure |sheer |complete |total |utter |absolute )?(?:speculation|nonsense|{LIES}|lie|fake|fakes|"
    r"fake news|fabrications?|absurd\w*|baseless|groundless|unfounded|not true|untrue|rubbish|slander|a hoax|hoax"
    r"|fiction|fairy tales?|a lie)\b|\b(?:called|calling|described|describing|termed|labell?ed|branded"
    r"|dismissed\s+(?:[\w'’-]+\s+){0,3}?as"
    r"|rejected\s+(?:[\w'’-]+\s+){0,3}?as)\s+(?:[\w'’“\"‘-]+\s+){0,3}?[\"“‘']?(?:speculation|nonsense|lies|fake"
    r"|fabricat\w+|absurd|baseless|groundless|unfounded|untrue|false|rubbish|slander|hoax|fiction|provocation"
    r"|propaganda|disinformation)|\b(?:baseless|groundless|unfounded|fabricated|absurd) (?:allegations?|accusations?"
    r"|claims?|reports?|information|rumou?rs|speculation)\b"
    r"|\bthere is no truth\b|\b(?:is|are|was) (?:simply |absolutely |completely )?(?:not true|untrue|a lie|a fake)\b",
    I,
)
"""A claim dismissed as speculation, fake or baseless."""

DISOWNED = re.compile(
    r"\b(?:ha(?:d|s|ve) nothing to do with|bears? no responsibility|no (?:involvement|connection|link|role) (?:in|with"
    r"|to)|(?:was|were|is|are) not (?:involved|responsible)|(?:did|has|have|had) (?:not|n[’']t) (?:carry out"
    r"|carried out|conduct|conducted|order|ordered|target|targeted|strike|bomb|bombed|attack|attacked|use|used|fire"
    r"|fired)|does not and has not|never (?:used|targeted|attacked|bombed|"
    r"carried out|ordered))\b|\b(?:was|were|is|are) not behind (?:the|a|an|this|these|that|those|it)\b(?! scenes)",
    I,
)
"""Disowning an act ("had nothing to do with", "did not target civilians")."""

SILENCE = re.compile(
    r"\bno immediate (?:comment|response|reaction|word|confirmation)\b|\b(?:could|can) ?(?:not"
    r"|n[’']t) (?:immediately )?be reached\b|\b(?:did|does|has|have|had) ?(?:not"
    r"|n[’']t) (?:yet )?(?:immediately )?(?:respond|reply|return|answer|comment)\w*\b"
    r"|\b(?:was|were) (?:not )?(?:immediately )?(?:un)?available for comment\b"
    r"|\bno official (?:reaction|comment|response)\b|\bno response (?:from|to)\b",
    I,
)
"""Silence ("no immediate comment", "could not be reached"), which rule 8 says is not denial."""

PRIVATE_DISSENTER = re.compile(
    r"\b(?:residents?|activists?|relatives?|witness(?:es)?|neighbou?rs?|famil(?:y|ies)|parents?|wife|husband|mother"
    r"|father|brother|sister|son|daughter|lawyers?|attorneys?|critics|analysts?|experts?|commentators?|pundits?"
    r"|bloggers?|journalists?|historians?|scholars?|scientists?|economists?|fans|villagers|locals"
    r"|(?:a|the) (?:man|woman|student|teacher|farmer|shopkeeper|owner|company|firm|actor|singer|author|writer|"
    r"player|director))\b(?:\s+[\w'’-]+){0,4}?\s+(?:denied|denies|dismissed|rejected|disputed|refuted)\b",
    I,
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
    I,
)
"""Denial words in other senses: "denied access", "rejected the proposal", "dismissed the governor"."""

NEGATED_DENIAL = re.compile(
    r"\b(?:did|does|do|has|have|had|would|could|will)\s*(?:not|n[’']t)\s+(?:\w+\s+)?(?:deny|denied|reject|rejected|"
    r"dismiss|dismissed|refute|dispute)\b|\bnever (?:denied|rejected|disputed)\b|\bnot (?:denying|rejecting)\b",
    I,
)
"""A denial that did not happen ("did not deny the reports")."""


def _official_actor(passage: Any, text: str, actor: re.Pattern[str], pronoun: re.Pattern[str]) -> bool:
    """An official actor in the passage, or a pronoun speaker whom the previous sentence shows to be one."""
    if found(actor, text):
        return True
    return bool(passage.context) and found(pronoun, text) and actor.search(fold(passage.context)) is not None


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
    text = text_of(passage)
    if found(other_sense, text) or not any_match_without(denial, text, negation):
        return ABSTAIN
    return POSITIVE if _official_actor(passage, text, actor, pronoun) else ABSTAIN


@labelling_function(
    "official_denial", resources={"decline": DECLINE, "actor": OFFICIAL_ACTOR, "pronoun": PRONOUN_SUBJECT}
)
def deny_declined_to_comment(
    passage: Any, decline: re.Pattern[str], actor: re.Pattern[str], pronoun: re.Pattern[str]
) -> int:
    """An official actor declining to comment or to confirm (rule 8)."""
    text = text_of(passage)
    return POSITIVE if found(decline, text) and _official_actor(passage, text, actor, pronoun) else ABSTAIN


@labelling_function(
    "official_denial", resources={"verdict": DISMISSIVE_VERDICT, "actor": OFFICIAL_ACTOR, "pronoun": PRONOUN_SUBJECT}
)
def deny_dismissed_as_fake(
    passage: Any, verdict: re.Pattern[str], actor: re.Pattern[str], pronoun: re.Pattern[str]
) -> int:
    """An official actor calling a claim speculation, fake or baseless."""
    text = text_of(passage)
    return POSITIVE if found(verdict, text) and _official_actor(passage, text, actor, pronoun) else ABSTAIN


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
    text = text_of(passage)
    if found(disowned, text) and found(attribution, text) and _official_actor(passage, text, actor, pronoun):
        return POSITIVE
    return ABSTAIN


@labelling_function(
    "official_denial", resources={"silence": SILENCE, "refusals": (DENIAL, DECLINE, DISMISSIVE_VERDICT)}
)
def deny_silence_is_not_denial(passage: Any, silence: re.Pattern[str], refusals: tuple[re.Pattern[str], ...]) -> int:
    """Silence ("no immediate comment", "could not be reached") with no refusal wording: NEGATIVE (rule 8)."""
    text = text_of(passage)
    return NEGATIVE if found(silence, text) and none_found(refusals, text) else ABSTAIN


@labelling_function("official_denial", resources={"dissenter": PRIVATE_DISSENTER, "actor": OFFICIAL_ACTOR})
def deny_private_disagreement(passage: Any, dissenter: re.Pattern[str], actor: re.Pattern[str]) -> int:
    """A private person or pundit denying, with no official actor in sight: NEGATIVE (rule 7)."""
    text = text_of(passage)
    return NEGATIVE if found(dissenter, text) and not found(actor, text) else ABSTAIN


@labelling_function("official_denial", resources={"other_sense": OTHER_SENSE_DENIAL, "negated": NEGATED_DENIAL})
def deny_other_sense_or_negated(passage: Any, other_sense: re.Pattern[str], negated: re.Pattern[str]) -> int:
    """Denial words in another sense ("denied access", "rejected the proposal") or negated: NEGATIVE."""
    text = text_of(passage)
    return NEGATIVE if found(other_sense, text) or found(negated, text) else ABSTAIN


