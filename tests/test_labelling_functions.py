"""The labelling functions on real-looking sentences: positives per label and near misses that must not fire."""
from collections import Counter

import numpy as np
import pytest

from framewatch.data.taxonomy import LABELS, load_taxonomy
from framewatch.training.labelling import Example, apply_lfs, weak_labels
from framewatch.training.labelling_functions import LABELLING_FUNCTIONS, common


def weak(text: str, context: str = "") -> set[str]:
    """The labels majority vote gives one sentence."""
    labels = weak_labels(apply_lfs(LABELLING_FUNCTIONS, [Example(text, context)]), LABELLING_FUNCTIONS)[0]
    return {LABELS[k] for k in np.nonzero(labels)[0]}


POSITIVES = {
    "unverified_casualty_claim": [
        "The Defence Ministry said its forces had destroyed 12 Ukrainian tanks and killed more than 200 soldiers.",
        "At least 25 civilians were killed in terrorist rocket attacks on Aleppo, SANA reported.",
        "A military source told SANA that army units eliminated dozens of ISIS terrorists near Deir Ezzor.",
        "The Syrian Observatory for Human Rights said 40 rebels were killed in the clashes.",
        "Militants lost more than 300 fighters in the battle, the rebels said.",
        "Our heroes liberated the village and killed 40 occupiers.",
        "THE ARMY SAID 40 GUERRILLAS WERE KILLED IN THE CLASH.",
    ],
    "anonymous_source": [
        "A source who spoke on condition of anonymity said the convoy was hit twice.",
        "People familiar with the talks said no agreement was reached.",
        "Media reports say the minister is about to resign.",
        "Most experts believe the offensive has stalled.",
        "A senior official told Reuters the strike was planned weeks ago.",
        "A spokeswoman for the ministry said the report was under review.",
        "Informed sources said the commander had been replaced.",
    ],
    "official_denial": [
        "The Kremlin denied any involvement in the attack.",
        "The army rejected the allegations as baseless.",
        "Peskov declined to comment on the reports.",
        "The ministry refused to confirm the number of casualties.",
        "Russia denies the regime has used chemical weapons.",
        "The ministry said it had nothing to do with the explosion.",
    ],
    "social_media_sourcing": [
        "Pushilin wrote on Telegram that Ukrainian units were abandoning their positions.",
        "A video posted on social media shows soldiers raising a white flag.",
        "Footage circulating online appears to show the bridge on fire.",
        "According to a Telegram channel close to the Wagner group, the village has fallen.",
        "In a video message, the commander called for reinforcements.",
        "A blogger reported heavy losses among the attacking units.",
    ],
    "verification_gap": [
        "The claims could not be independently verified.",
        "Reuters was unable to confirm the reports.",
        "The authenticity of the video could not be established.",
        "There were unconfirmed reports of chlorine gas in the area.",
        "He offered no evidence to support the claim.",
        "The ministry has yet to confirm the figures.",
    ],
    "emotional_appeal": [
        "The bloodthirsty occupiers have turned the city into a graveyard!",
        "They will never forgive the barbaric shelling of their homes.",
        "The regime is committing genocide against our people.",
        "Her voice trembling, she described how her children were buried under the rubble.",
        "We will fight to the last bullet.",
        "The martyrs of Aleppo will not be forgotten.",
    ],
    "collapse_narrative": [
        "Ukrainian soldiers are surrendering en masse near Bakhmut.",
        "The soldiers are no longer fighting; they are trying to escape the encirclement.",
        "The army is demoralized and its front line is crumbling.",
        "Hundreds of conscripts deserted their units last week.",
        "The defeat at Izium could herald the end of the Russian army as a fighting force.",
        "The rebels abandoned their positions and fled in panic.",
    ],
    "discrediting": [
        "The so-called experts on Western television have been wrong from the start.",
        "This is nothing but propaganda from a Kremlin mouthpiece.",
        "The puppet government in Kyiv does what Washington tells it.",
        "Western media are spreading fake news about the referendum.",
        "The attack was a provocation staged by the White Helmets.",
        "The “opposition” is funded from abroad.",
    ],
}

NEAR_MISSES = {
    "unverified_casualty_claim": [
        "The UN human rights office said it had verified 1,200 civilian deaths since the invasion began.",
        "More than 280,000 people have been killed since the conflict began in 2011.",
        "The Second World War killed millions of people in Europe.",
        "The shelling caused no casualties.",
        "Heavy fighting continued around the town on Tuesday.",
    ],
    "anonymous_source": [
        "Defence Minister Oleksii Reznikov said the shipment had arrived.",
        "The Defence Ministry said the shipment had arrived on Monday.",
        "Reportedly, the shipment has arrived.",
        "President Zelenskyy said the counteroffensive would continue.",
    ],
    "official_denial": [
        "There was no immediate comment from the ministry.",
        "The ministry could not be reached for comment.",
        "Her neighbour denied the rumours about the family.",
        "The court denied him bail.",
        "The parliament rejected the proposal to raise taxes.",
        "The government did not deny the reports.",
    ],
    "social_media_sourcing": [
        "State television broadcast footage of the minister visiting the front.",
        "Footage aired by state TV showed the minister visiting troops.",
        "The government blocked access to Facebook and Twitter last week.",
        "Social media companies face new rules on political advertising.",
    ],
    "verification_gap": [
        "The minister confirmed his commitment to the reform programme.",
        "The president confirmed that the talks would continue next week.",
        "The deaths were confirmed by the hospital.",
        "He said the talks had gone well.",
    ],
    "emotional_appeal": [
        "Three people were killed and five injured in the shelling, officials said.",
        "The court will rule on the genocide case next year.",
        "The city council approved the new budget on Monday.",
    ],
    "collapse_narrative": [
        "The troops carried out a tactical retreat to prepared positions.",
        "Government forces captured the town on Sunday after heavy fighting.",
        "The collapse of the Western economic order is inevitable.",
        "The ceasefire collapsed within hours.",
        "Thousands of civilians fled their homes as the fighting intensified.",
        "We will never surrender.",
        "The militants were urged to lay down their arms.",
    ],
    "discrediting": [
        "Terrorists shelled the neighbourhood overnight.",
        "Vitaly Dainega, a former deputy minister of defence, called for a withdrawal.",
        "The Kyiv regime announced a new mobilisation wave.",
        "The village lies 20 kilometres north of the city.",
    ],
}


@pytest.mark.parametrize(("label", "text"), [(label, text) for label, texts in POSITIVES.items() for text in texts])
def test_positive_sentences_get_the_label(label, text):
    assert label in weak(text)


@pytest.mark.parametrize(("label", "text"), [(label, text) for label, texts in NEAR_MISSES.items() for text in texts])
def test_near_misses_do_not_get_the_label(label, text):
    assert label not in weak(text)


@pytest.mark.parametrize("example", load_taxonomy().worked_examples, ids=lambda e: e.text[:40])
def test_worked_examples_from_the_taxonomy(example):
    assert weak(example.text) == set(example.labels)


def test_pronoun_speaker_is_resolved_from_context():
    text = "'This is not true,' he said."
    assert "official_denial" in weak(text, context="Kremlin spokesman Dmitry Peskov was asked about the footage.")
    assert "official_denial" not in weak(text, context="A local shopkeeper was asked about the footage.")


def test_every_label_has_at_least_six_lfs_and_names_are_unique():
    names = [lf.name for lf in LABELLING_FUNCTIONS]
    assert len(set(names)) == len(names)
    per_label = Counter(lf.label for lf in LABELLING_FUNCTIONS)
    assert set(per_label) == set(LABELS)
    assert min(per_label.values()) >= 6


def test_lfs_are_grouped_in_taxonomy_order_and_take_their_cues_as_resources():
    order = [LABELS.index(lf.label) for lf in LABELLING_FUNCTIONS]
    assert order == sorted(order)
    assert all(lf.resources for lf in LABELLING_FUNCTIONS)


def test_memoised_search_follows_re_ignorecase_on_unusual_case_folding():
    # "kılled" (dotless i) matches "killed" under re.IGNORECASE but not after str.casefold(): a substring gate
    # built on casefold made the LFs miss it
    text = "The army said 20 militants were kılled in the clashes."
    assert common.TOLL.search(text) is not None
    assert common.found(common.TOLL, text)
    assert "unverified_casualty_claim" in weak(text)
