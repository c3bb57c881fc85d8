"""Labelling functions for the eight framing labels, one module per label (taxonomy v1, ``shared/taxonomy.md``).

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

from ..labelling import LabellingFunction
from .anonymous_source import (
    anon_condition_of_anonymity,
    anon_named_source,
    anon_people_familiar,
    anon_unnamed_group,
    anon_unnamed_official,
    anon_unnamed_person,
    anon_unnamed_sources,
)
from .collapse_narrative import (
    coll_abstract_collapse,
    coll_crumbling_front,
    coll_demoralised,
    coll_desertion_or_flight,
    coll_encirclement,
    coll_forces_surrender,
    coll_orderly_retreat_or_civilians,
    coll_predicted_end,
)
from .discrediting import (
    disc_bad_motives,
    disc_credibility_attack,
    disc_fakes_and_lies,
    disc_propaganda_or_puppet,
    disc_routine_designation_only,
    disc_scare_quotes,
    disc_so_called,
)
from .emotional_appeal import (
    emo_cruelty_wording,
    emo_dramatised_scene,
    emo_exclamation_with_intensifier,
    emo_genocide_as_slogan,
    emo_legal_term,
    emo_loaded_lexicon,
    emo_neutral_harm_report,
)
from .official_denial import (
    deny_declined_to_comment,
    deny_dismissed_as_fake,
    deny_disowns_act,
    deny_official_denies_claim,
    deny_other_sense_or_negated,
    deny_private_disagreement,
    deny_silence_is_not_denial,
)
from .social_media_sourcing import (
    smed_blogger_or_channel,
    smed_broadcaster_footage,
    smed_circulating_footage,
    smed_platform_as_topic,
    smed_platform_channel,
    smed_posted_on_platform,
    smed_video_shows,
)
from .unverified_casualty_claim import (
    ucc_battlefield_loss_claim,
    ucc_historical_toll,
    ucc_loss_presented_as_claim,
    ucc_no_losses,
    ucc_toll_from_monitor,
    ucc_toll_from_party,
    ucc_toll_from_unnamed_source,
    ucc_toll_in_news_voice,
    ucc_toll_in_partisan_voice,
    ucc_verified_toll,
)
from .verification_gap import (
    vgap_authenticity_unknown,
    vgap_confirmed_or_other_sense,
    vgap_could_not_verify,
    vgap_if_true,
    vgap_no_evidence,
    vgap_plain_attribution,
    vgap_unconfirmed_claim,
    vgap_yet_to_be_confirmed,
)

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
