import pytest

from framewatch.data.text import fold_case, is_shouting, model_text, split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


def test_offsets_slice_the_original(seed_text):
    sentences = split_sentences(seed_text)
    assert len(sentences) > 20
    for s in sentences:
        assert seed_text[s.start:s.end] == s.text
        assert s.text == s.text.strip()


def test_seed_worked_example_is_one_sentence(seed_text):
    expected = ("\u2018The losses are catastrophic,\u2019 Pushilin wrote, citing \u2018hundreds of Ukrainian soldiers "
                "killed or captured.\u2019")
    assert expected in texts(seed_text)


@pytest.mark.parametrize("text, expected", [
    ("Lt. Col. John Smith of the U.S. Army spoke. He left.", ["Lt. Col. John Smith of the U.S. Army spoke.", "He left."]),
    ("Gen. Gerasimov arrived at 3 p.m. on Monday. Talks began.", None),
    ("Prices rose 3.5 percent on Friday. Analysts were surprised.", ["Prices rose 3.5 percent on Friday.", "Analysts were surprised."]),
    ('"We will not retreat." The commander said so.', ['"We will not retreat."', "The commander said so."]),
    ("Syria attack symptoms consistent with nerve agent use\nVictims were treated.",
     ["Syria attack symptoms consistent with nerve agent use", "Victims were treated."]),
])
def test_edge_cases(text, expected):
    result = texts(text)
    if expected is None:
        assert result[0].startswith("Gen. Gerasimov arrived") and len(result) == 2
    else:
        assert result == expected


def test_upper_case_text_splits_like_mixed_case_and_keeps_offsets():
    text = "THE U.S. ARMY SAID GEN. SMITH LEFT. HE SAID 3.5 MEN DIED."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["THE U.S. ARMY SAID GEN. SMITH LEFT.", "HE SAID 3.5 MEN DIED."]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_case_folding_keeps_length():
    text = "İSTANBUL AND THE U.S. ARMY"
    assert len(fold_case(text)) == len(text)
    assert is_shouting(text) and not is_shouting("The U.S. Army said so.")
    assert model_text("THE ARMY SAID") == "the army said"
    assert model_text("The Army said") == "The Army said"


def test_empty_and_blank_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


def test_lone_surrogates_keep_offsets_and_do_not_crash():
    import framewatch

    text = "Officials said \ud800 nothing. The army denied it."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Officials said \ud800 nothing.", "The army denied it."]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert framewatch.load("lexical").score_document(text).n_sentences == 2
