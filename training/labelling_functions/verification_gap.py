"""Labelling functions for ``verification_gap``."""
from __future__ import annotations

import re
from typing import Any

from ..labelling import ABSTAIN, NEGATIVE, POSITIVE, labelling_function
from .common import ATTRIBUTION, NEGATION, I, any_match_without, found, none_found, text_of

_VERIFY = r"(?:verif\w*|confirm\w*|corroborat\w*|authenticat\w*|substantiat\w*|ascertain\w*)"
NOT_VERIFIED = re.compile(
    r"\b(?:could ?(?:not|n[’']t)|cannot|can ?n[’']t|(?:was|were|is|are) unable to|impossible to|not possible to"
    r"|no way to|(?:has|have|had|was|were|is|are) ?(?:not|n[’']t))\s+(?:be\s+|been\s+|yet\s+|immediately\s+|"
    rf"independently\s+|yet been\s+|officially\s+)*{_VERIFY}",
    I,
)
"""Could not be (independently) verified / has not been confirmed."""

IF_TRUE = re.compile(
    r"\bif (?:true|confirmed|verified|accurate|correct|substantiated|genuine|authentic)\b"
    r"|\bif (?:the |these |those |such )?(?:reports?|claims?|allegations?|accounts?|figures?) (?:are|is|prove[sn]?"
    r"|turn out) "
    r"(?:to be )?(?:true|confirmed|accurate|correct)\b",
    I,
)
YET_TO_BE = re.compile(
    rf"\b(?:yet|still) to (?:be )?(?:independently |officially )?{_VERIFY}|\bnot yet (?:been )?(?:independently "
    rf"|officially )?{_VERIFY}"
    r"|\bremains? (?:unconfirmed|unverified|uncorroborated|unclear whether|unclear if)\b"
    rf"|\b(?:awaiting|pending|without|no|lack of|absence of) (?:independent |official |any )?(?:{_VERIFY}"
    rf"|corroboration)\b",
    I,
)
UNCONFIRMED_WORD = re.compile(
    r"\b(?:unconfirmed|unverified|uncorroborated|unsubstantiated|unproven|unverifiable)\b",
    I,
)
NO_EVIDENCE = re.compile(
    r"\b(?:no|lack of|absence of|little|scant|nor any|not (?:a )?(?:shred|single piece) of|not any)\s+(?:hard |solid "
    r"|credible |concrete |corroborating |direct |independent |definitive |real |clear |conclusive )*(?:evidence"
    r"|proof)\b|\b(?:provided|offered|presented|gave|produced|cited|showed) no (?:evidence|proof)\b"
    r"|\b(?:claim\w*|alleg\w*|accus\w*|said|assert\w*|insist\w*)\b[^.;]{0,60}?\bwithout (?:providing |offering |giving "
    r"|presenting |citing |any )*(?:evidence|proof)\b"
    r"|\babsence of (?:corroborating|independent) (?:footage|evidence|verification|confirmation)\b",
    I,
)
AUTHENTICITY_UNKNOWN = re.compile(
    r"\b(?:authenticity|veracity|accuracy|provenance|reliability) of (?:the |these |this "
    r"|that )?(?:[\w-]+\s+){0,2}?(?:videos?|footage|images?|photos?|pictures?|documents?|recordings?|claims?|reports?"
    r"|letters?|audio|accounts?|information|statements?|figures?)\b[^.;]{0,30}?\b(?:could not|cannot|can ?n[’']t"
    r"|has not|have not|was not|were not|is unclear|remains? unclear|is not known)\b"
    r"|\b(?:could not|cannot|can ?n[’']t|unable to) (?:immediately |independently )?(?:determine|establish|ascertain"
    r"|check) "
    r"(?:whether|if|the (?:authenticity|veracity|accuracy))\b",
    I,
)
CONFIRM_OTHER_SENSE = re.compile(
    r"\b(?:re)?confirm\w*\s+(?:his|her|its|their|our|my|the|a|full|continued|unwavering"
    r"|strong)?\s*(?:[\w-]+\s+)?(?:commitment|support|readiness|intention|position|willingness|solidarity|appointment"
    r"|participation|attendance|invitation|status|agreement|interest|resolve|determination|stance|dates?|visit|meeting"
    r"|plans?|partnership|course|adherence|loyalty|friendship)\b"
    r"|\b(?:was|were|has been|have been|had been) (?:independently |officially )?(?:confirmed|verified) by\b",
    I,
)
"""Confirmation in other senses ("confirmed its support") or a claim that WAS confirmed: not a gap."""

VERIFICATION_WORDING = re.compile(
    r"\b(?:verif\w*|confirm\w*|corroborat\w*|authentic\w*|evidence|proof|unconfirmed|unverified|if true|"
    r"substantiat\w*|veracity|ascertain\w*)\b",
    I,
)


@labelling_function("verification_gap", resources={"not_verified": NOT_VERIFIED})
def vgap_could_not_verify(passage: Any, not_verified: re.Pattern[str]) -> int:
    """A claim said to be unverifiable or unconfirmed ("could not be independently verified")."""
    return POSITIVE if found(not_verified, text_of(passage)) else ABSTAIN


@labelling_function("verification_gap", resources={"if_true": IF_TRUE})
def vgap_if_true(passage: Any, if_true: re.Pattern[str]) -> int:
    """A claim held open with "if true" or "if confirmed"."""
    return POSITIVE if found(if_true, text_of(passage)) else ABSTAIN


@labelling_function("verification_gap", resources={"yet_to_be": YET_TO_BE})
def vgap_yet_to_be_confirmed(passage: Any, yet_to_be: re.Pattern[str]) -> int:
    """Confirmation still pending ("yet to be confirmed", "remains unverified", "without confirmation")."""
    return POSITIVE if found(yet_to_be, text_of(passage)) else ABSTAIN


@labelling_function("verification_gap", resources={"unconfirmed": UNCONFIRMED_WORD, "negation": NEGATION})
def vgap_unconfirmed_claim(passage: Any, unconfirmed: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Claims called unconfirmed or unverified ("unconfirmed reports"), unless negated."""
    return POSITIVE if any_match_without(unconfirmed, text_of(passage), negation) else ABSTAIN


@labelling_function("verification_gap", resources={"no_evidence": NO_EVIDENCE})
def vgap_no_evidence(passage: Any, no_evidence: re.Pattern[str]) -> int:
    """Missing evidence ("no evidence", "without providing evidence", "absence of corroborating footage")."""
    return POSITIVE if found(no_evidence, text_of(passage)) else ABSTAIN


@labelling_function("verification_gap", resources={"authenticity": AUTHENTICITY_UNKNOWN})
def vgap_authenticity_unknown(passage: Any, authenticity: re.Pattern[str]) -> int:
    """Unknown authenticity ("the authenticity of the video could not be established")."""
    return POSITIVE if found(authenticity, text_of(passage)) else ABSTAIN


@labelling_function(
    "verification_gap",
    resources={
        "other_sense": CONFIRM_OTHER_SENSE,
        "gaps": (NOT_VERIFIED, IF_TRUE, YET_TO_BE, UNCONFIRMED_WORD, NO_EVIDENCE, AUTHENTICITY_UNKNOWN),
    },
)
def vgap_confirmed_or_other_sense(passage: Any, other_sense: re.Pattern[str], gaps: tuple[re.Pattern[str], ...]) -> int:
    """Confirmation that is no gap ("confirmed its support", "was confirmed by the UN"): NEGATIVE."""
    text = text_of(passage)
    return NEGATIVE if found(other_sense, text) and none_found(gaps, text) else ABSTAIN


@labelling_function("verification_gap", resources={"attribution": ATTRIBUTION, "wording": VERIFICATION_WORDING})
def vgap_plain_attribution(passage: Any, attribution: re.Pattern[str], wording: re.Pattern[str]) -> int:
    """Ordinary attribution ("he said") with no word about verification: NEGATIVE."""
    text = text_of(passage)
    return NEGATIVE if found(attribution, text) and not found(wording, text) else ABSTAIN


