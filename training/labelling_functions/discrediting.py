"""Labelling functions for ``discrediting``."""
from __future__ import annotations

import re
from typing import Any

from ..labelling import ABSTAIN, NEGATIVE, POSITIVE, labelling_function
from .common import LIES, NEGATION, I, any_match_without, found, none_found, text_of

SO_CALLED = re.compile(r"\b(?:so-called|so called|self-styled|pseudo-\w+)\b", I)
PROPAGANDA = re.compile(
    r"\b(?:propagandists?|propaganda|mouthpieces?|puppets?|puppeteers?|lackeys?|stooges?|henchm[ae]n|vassals?"
    r"|marionettes?|minions|paid (?:agents?|trolls?|bloggers?|actors?)|trolls?|troll factor(?:y|ies)|bot farms?"
    r"|hired pens|fifth column|useful idiots?|agents? of (?:influence|the west|the kremlin|moscow|washington"
    r"|the cia))\b",
    I,
)
"""Propaganda, mouthpieces and puppets: an outlet or actor dismissed as somebody's instrument."""

FAKE_AND_LIES = re.compile(
    r"\b(?:fake news|fakes|fake (?:reports?|stories|information|videos?|photos?|footage|claims?)|liars?|"
    rf"{LIES}|falsehoods?|fabricat\w+|fairy[- ]tales?|hoax(?:es)?|"
    r"staged (?:by|provocation|chemical attack|video|footage|incident|photos?)|(?:was|were|is|are|been) staged"
    r"|stage-managed"
    r"|(?<!against )(?<!countering )(?<!counter )(?<!combating )(?<!combat )(?<!fighting )(?<!tackling )"
    r"(?:disinformation|misinformation)|smear(?:s| campaign)?|slander\w*|libel\w*|hysteria|information war"
    r"|info(?:rmation)? (?:attack|sabotage|special operation)s?)\b",
    I,
)
"""Charges of lying, fakery and staging ("fake news", "spreading lies", "staged by the White Helmets")."""

BAD_MOTIVES = re.compile(
    r"\b(?:provocations?|provocateurs?|provocative (?:lies|statements)|regime loyalists?|hypocri\w+|double standards"
    r"|cynical\w*|cynicism|hidden (?:agenda|motives)|ulterior motives?|(?:in|on) the pay(?:roll)? of|doing the bidding"
    r"|at the behest of|russophob\w*|ukrainophob\w*|feign\w*|sell-?outs?|traitors?|"
    r"treacherous|renegades?)\b",
    I,
)
"""Attacks on motives and loyalty ("a provocation by a former regime loyalist", "Russophobia", "hypocrisy")."""

CREDIBILITY_ATTACK = re.compile(
    r"\b(?:(?:not|no longer|hardly|never) (?:be )?(?:credible|trustworthy|reliable|trusted|objective|independent"
    r"|impartial)|discredit\w*|untrustworthy|unreliable (?:sources?|information|witness\w*|data|reports?|narrators?)"
    r"|(?:lost|loses|losing) (?:all |any )?credibility|notorious for|known for (?:spreading|lying|fabricating)|biased"
    r"|partisan (?:media|outlets?|press)|self-proclaimed experts?|pseudo-?experts?"
    r"|armchair (?:experts?|generals?|analysts?)|(?<!-)(?<!al )(?<!ash )(?<!el )sham|farce|charade"
    r"|mockery)\b",
    I,
)
"""Direct attacks on credibility ("not credible", "biased", "a sham", "a farce")."""

SCARE_QUOTED = re.compile(
    r"[\"“](?:news|experts?|journalists?|journalism|opposition|democracy|democrats?|democratic|elections?|referendum"
    r"|human rights|humanitarian|humanitarians|activists?|moderates?|moderate (?:rebels|opposition)|rebels|peaceful"
    r"|independent|investigation|evidence|civil society|peacekeepers|freedom|free press|revolution|reforms?|liberators?"
    r"|volunteers|victims|chemical attack|president|government|values|partners|friends|civilized world|facts|truth"
    r"|analysts?|observers|protesters|heroes|victory|peace|"
    r"defenders|aid|fact-checkers?)[\"”]",
    I,
)
"""A credibility word in double scare quotes ('the “opposition”', '"news"'); wiki single-quoted titles don't count."""

WORD_MENTION = re.compile(
    r"\b(?:words?|terms?|slogans?|written|inscriptions?|titled|entitled|named)\W+(?:[\w-]+\W+){0,2}$", I
)
"""A quoted word that is mentioned rather than used ('the word "freedom"')."""

ROUTINE_DESIGNATION = re.compile(
    r"\b(?:terrorists?|terrorist (?:groups?|organi[sz]ations?|gangs?)|(?:Kyiv|Kiev|Damascus|Assad|Syrian) regime|"
    r"regime forces|militants|jihadists|extremists|takfiri\w*|insurgents|separatists|occupiers|invaders)\b",
    I,
)
ROLE_DESCRIPTION = re.compile(
    r"\b(?:former|deputy|ex-|acting|retired|first deputy|vice) ?(?:deputy )?(?:minister|official|ambassador|"
    r"commander|head|president|prime minister|chief|director|governor|mayor|spokes\w+|general|member)\b",
    I,
)
_DISCREDITING_CUES = (SO_CALLED, PROPAGANDA, FAKE_AND_LIES, BAD_MOTIVES, CREDIBILITY_ATTACK, SCARE_QUOTED)


@labelling_function("discrediting", resources={"so_called": SO_CALLED})
def disc_so_called(passage: Any, so_called: re.Pattern[str]) -> int:
    """Doubt cast on the target's very name: "so-called", "self-styled", "pseudo-" (rule 3)."""
    return POSITIVE if found(so_called, text_of(passage)) else ABSTAIN


@labelling_function("discrediting", resources={"propaganda": PROPAGANDA})
def disc_propaganda_or_puppet(passage: Any, propaganda: re.Pattern[str]) -> int:
    """Propaganda, mouthpieces, puppets, trolls."""
    return POSITIVE if found(propaganda, text_of(passage)) else ABSTAIN


@labelling_function("discrediting", resources={"fakes": FAKE_AND_LIES, "negation": NEGATION})
def disc_fakes_and_lies(passage: Any, fakes: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Accusations of fakes, lies, staging or disinformation."""
    return POSITIVE if any_match_without(fakes, text_of(passage), negation) else ABSTAIN


@labelling_function("discrediting", resources={"motives": BAD_MOTIVES})
def disc_bad_motives(passage: Any, motives: re.Pattern[str]) -> int:
    """Attacks on motives or loyalty: "a provocation", "regime loyalist", "Russophobia", "hypocrisy"."""
    return POSITIVE if found(motives, text_of(passage)) else ABSTAIN


@labelling_function("discrediting", resources={"credibility": CREDIBILITY_ATTACK})
def disc_credibility_attack(passage: Any, credibility: re.Pattern[str]) -> int:
    """Direct attacks on credibility: "not credible", "biased", "a sham"."""
    return POSITIVE if found(credibility, text_of(passage)) else ABSTAIN


@labelling_function("discrediting", resources={"scare": SCARE_QUOTED, "mention": WORD_MENTION})
def disc_scare_quotes(passage: Any, scare: re.Pattern[str], mention: re.Pattern[str]) -> int:
    """A credibility word in scare quotes: 'the “opposition”', '"experts"' (not 'the word "peace"')."""
    text = text_of(passage)
    return POSITIVE if any_match_without(scare, text, mention) else ABSTAIN


@labelling_function(
    "discrediting", resources={"routine": ROUTINE_DESIGNATION, "role": ROLE_DESCRIPTION, "cues": _DISCREDITING_CUES}
)
def disc_routine_designation_only(
    passage: Any, routine: re.Pattern[str], role: re.Pattern[str], cues: tuple[re.Pattern[str], ...]
) -> int:
    """A routine designation ("terrorists", "Kyiv regime") or a role ("a former deputy minister") alone: NEGATIVE."""
    text = text_of(passage)
    if (found(routine, text) or found(role, text)) and none_found(cues, text):
        return NEGATIVE
    return ABSTAIN


