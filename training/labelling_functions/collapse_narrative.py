"""Labelling functions for ``collapse_narrative``."""
from __future__ import annotations

import re
from typing import Any

from ..labelling import ABSTAIN, NEGATIVE, POSITIVE, labelling_function
from .common import NEGATION, I, any_match_without, found, none_found, text_of

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
    I,
)
"""Surrender as something happening (not offered, demanded or hypothetical): "are beginning to surrender"."""
SIDE = re.compile(rf"\b{_SIDE}\b", I)
SURRENDER_NOT_COLLAPSE = re.compile(
    r"\bsurrender(?:ed|ing|s)? (?:to (?:the )?(?:police|authorities|justice|court)"
    r"|(?:(?:its|their|his|her|the|our) )?(?:[\w-]+ ){0,3}?(?:passports?|documents|territory|sovereignty|independence"
    r"|interests|values|weapons|cache|arsenal|stockpiles?|claims?|rights|control|positions? in (?:talks|negotiations)))"
    r"|\bsurrender-or-starve\b|\b(?:call(?:s|ed|ing)? on|urge[ds]?|urging|appeal(?:ed)? to) (?:\w+\s+){0,4}?to "
    r"(?:surrender|lay down)|\bwill never surrender\b|\bnot (?:going to )?surrender\b|\bno surrender\b",
    I,
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
    I,
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
    I,
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
    I,
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
    I,
)
"""Broken morale and refusal to fight ("the soldiers are no longer fighting", "the army is demoralized")."""

END_PREDICTED = re.compile(
    r"\b(?:herald|spell|mean|mark|signal)\w* the (?:end|defeat|collapse) of (?:the )?(?:[\w'’-]+\s+){0,2}?(?:Ukraine"
    r"|Russia|army|regime|forces|resistance|state|military|Kyiv|Kiev|FMLN|ISIS|militants|rebels)\b"
    r"|\b(?:on the (?:brink|verge|edge) of|close to|near) (?:military |total |complete )?(?:collapse|defeat"
    r"|surrender)\b|\b(?:days|hours) are numbered\b"
    rf"|\b{_SIDE}\s+(?:[\w-]+\s+){{0,2}}?(?:will|would|could|is about to|are about to|is going to|are going to) "
    r"(?:soon )?(?:collapse|crumble|fall apart|disintegrate|capitulate)\b",
    I,
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
    I,
)
"""The collapse of abstractions or buildings (rule 6 exclusion)."""

ORDERLY_RETREAT = re.compile(
    r"\b(?:tactical|orderly|planned|organi[sz]ed|strategic|temporary|partial) (?:retreat|withdrawal|regroup\w*"
    r"|redeployment|pullback|repositioning)\b|\bwithdr[ae]w\w* to (?:more )?(?:favou?rable|prepared|new|reserve|"
    r"better|defensive) (?:positions|lines)\b|\bregroup(?:ed|ing)?\b|\bpull(?:ed)? back to\b",
    I,
)
"""An ordinary tactical retreat or withdrawal."""

CIVILIAN_FLIGHT = re.compile(
    r"\b(?:civilians|residents|families|people|refugees|children|women|inhabitants|villagers|displaced|population"
    r"|citizens|thousands|hundreds|millions|tens of thousands)\s+(?:[\w'’-]+\s+){0,3}?(?:fled|flee|fleeing|have fled"
    r"|had fled|were forced to flee)\b"
    r"|\b(?:fled|fleeing) (?:their|the) (?:homes?|country|city|town|village|violence|fighting|war|bombing)\b",
    I,
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
    text = text_of(passage)
    if any_match_without(surrender, text, negation) and found(side, text) and not found(not_collapse, text):
        return POSITIVE
    return ABSTAIN


@labelling_function("collapse_narrative", resources={"flight": DESERTION_FLIGHT, "negation": NEGATION})
def coll_desertion_or_flight(passage: Any, flight: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Desertion, abandoned positions, flight in panic."""
    return POSITIVE if any_match_without(flight, text_of(passage), negation) else ABSTAIN


@labelling_function("collapse_narrative", resources={"encircled": ENCIRCLEMENT, "negation": NEGATION})
def coll_encirclement(passage: Any, encircled: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """Forces encircled, trapped, or trying to escape the encirclement."""
    return POSITIVE if any_match_without(encircled, text_of(passage), negation) else ABSTAIN


@labelling_function(
    "collapse_narrative", resources={"crumbling": CRUMBLING, "abstract": ABSTRACT_COLLAPSE, "negation": NEGATION}
)
def coll_crumbling_front(
    passage: Any, crumbling: re.Pattern[str], abstract: re.Pattern[str], negation: re.Pattern[str]
) -> int:
    """A crumbling front, collapsing army, state or regime (not an economy or a truce)."""
    text = text_of(passage)
    return POSITIVE if any_match_without(crumbling, text, negation) and not found(abstract, text) else ABSTAIN


@labelling_function("collapse_narrative", resources={"demoralised": DEMORALISED})
def coll_demoralised(passage: Any, demoralised: re.Pattern[str]) -> int:
    """Broken morale, refusal to fight, a hopeless position."""
    return POSITIVE if found(demoralised, text_of(passage)) else ABSTAIN


@labelling_function("collapse_narrative", resources={"predicted": END_PREDICTED, "negation": NEGATION})
def coll_predicted_end(passage: Any, predicted: re.Pattern[str], negation: re.Pattern[str]) -> int:
    """A predicted collapse or defeat of a side (rule 6)."""
    return POSITIVE if any_match_without(predicted, text_of(passage), negation) else ABSTAIN


_COLLAPSE_CUES = (SURRENDER, DESERTION_FLIGHT, ENCIRCLEMENT, CRUMBLING, DEMORALISED, END_PREDICTED)


@labelling_function(
    "collapse_narrative",
    resources={"abstract": ABSTRACT_COLLAPSE, "cues": (DESERTION_FLIGHT, ENCIRCLEMENT, DEMORALISED, END_PREDICTED)},
)
def coll_abstract_collapse(passage: Any, abstract: re.Pattern[str], cues: tuple[re.Pattern[str], ...]) -> int:
    """The collapse of an economy, a truce or a building: NEGATIVE (rule 6)."""
    text = text_of(passage)
    return NEGATIVE if found(abstract, text) and none_found(cues, text) else ABSTAIN


@labelling_function(
    "collapse_narrative", resources={"orderly": ORDERLY_RETREAT, "civilian": CIVILIAN_FLIGHT, "cues": _COLLAPSE_CUES}
)
def coll_orderly_retreat_or_civilians(
    passage: Any, orderly: re.Pattern[str], civilian: re.Pattern[str], cues: tuple[re.Pattern[str], ...]
) -> int:
    """A tactical retreat or civilians fleeing, with no collapse wording: NEGATIVE."""
    text = text_of(passage)
    if (found(orderly, text) or found(civilian, text)) and none_found(cues, text):
        return NEGATIVE
    return ABSTAIN


