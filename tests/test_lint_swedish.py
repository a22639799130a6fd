"""The linter's Swedish: sentences and words, LIX against a hand count, the Luhn check of
personal identity numbers, durations, and prose with its Markdown blanked."""

from __future__ import annotations

import pytest

from sobc.lint.personal import identity_number, identity_numbers, luhn
from sobc.lint.swedish import lix, sentences, words
from sobc.lint.texts import prose
from sobc.lint.workload import duration_minutes


def split(text: str) -> list[str]:
    return [s.text for s in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ät t.ex. frukt. Det är bra.", ["Ät t.ex. frukt.", "Det är bra."]),
        ("Du kan bl.a. gå. Sedan vilar du.", ["Du kan bl.a. gå.", "Sedan vilar du."]),
        ("Det vill säga d.v.s. Anna kommer.", ["Det vill säga d.v.s. Anna kommer."]),
        ("Ta 1.5 tabletter. Vila sedan.", ["Ta 1.5 tabletter.", "Vila sedan."]),
        ("Gå 10 000 steg. Det räcker.", ["Gå 10 000 steg.", "Det räcker."]),
        ("Jag vet inte … kanske. Eller...", ["Jag vet inte … kanske.", "Eller..."]),
        ("Vänta... Nu!", ["Vänta...", "Nu!"]),
        ("Vänta… Nu?", ["Vänta…", "Nu?"]),
        ("Frukt, bröd m.m. Sedan går vi.", ["Frukt, bröd m.m.", "Sedan går vi."]),
        ("Ring 1177. Det går bra.", ["Ring 1177.", "Det går bra."]),
        ('Hon sa "Bra!" Sedan gick hon.', ['Hon sa "Bra!"', "Sedan gick hon."]),
        ("Utan punkt", ["Utan punkt"]),
        ("Klockan är 10.30 nu. Kom.", ["Klockan är 10.30 nu.", "Kom."]),
        ("– ", []),
    ],
)
def test_sentences_end_where_a_reader_sees_an_end(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_words_keep_abbreviations_numbers_and_compounds_whole() -> None:
    found = [w.text for w in words("Ät t.ex. 1,5 dl och 10 000 steg per KBT-behandling, bl.a.")]
    assert found == [
        "Ät",
        "t.ex.",
        "1,5",
        "dl",
        "och",
        "10 000",
        "steg",
        "per",
        "KBT-behandling",
        "bl.a.",
    ]


def test_a_long_word_has_more_than_six_letters() -> None:
    assert [w.long for w in words("hjälper hjälpa 1234567 t.o.m. KBT-behandling")] == [
        True,
        False,
        False,
        False,
        True,
    ]


def test_lix_of_a_hand_counted_text() -> None:
    # 10 words, 2 sentences, 3 long (Sjukgymnasten, övningar, hjälper): 10/2 + 100·3/10 = 35
    score = lix(sentences("Jag har ont i knäet. Sjukgymnasten visade övningar som hjälper."))
    assert (score.words, score.sentences, score.long_words) == (10, 2, 3)
    assert score.value == pytest.approx(35.0)


def test_lix_of_nothing_is_zero() -> None:
    assert lix([]).value == 0.0


def test_prose_blanks_markup_and_keeps_positions() -> None:
    content = "Läs **mer** på [1177](https://www.1177.se) och `kod` här"
    words_only = prose(content)
    assert len(words_only) == len(content)
    assert words_only.split() == ["Läs", "mer", "på", "1177", "och", "här"]
    assert words_only.index("1177") == content.index("1177")


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("1212121212", True), ("1212121213", False), ("8112189876", True), ("7010632391", True)],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn(digits) is valid


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("19121212-1212", "personnummer"),
        ("191212121212", "personnummer"),
        ("121212-1212", "personnummer"),
        ("1212121212", "personnummer"),
        ("121212+1212", "personnummer"),
        ("701063-2391", "samordningsnummer"),
        ("197010632391", "samordningsnummer"),
        ("121212-1213", None),  # fails Luhn
        ("121312-1212", None),  # month 13
        ("0701234567", None),  # a phone number that fails the date or the check
    ],
)
def test_identity_numbers(text: str, kind: str | None) -> None:
    found = [k for _, _, k in identity_numbers(f"Nummer {text} här")]
    assert found == ([kind] if kind else [])


def test_day_decides_the_kind() -> None:
    assert identity_number("121212", "1212") == "personnummer"
    assert identity_number("701063", "2391") == "samordningsnummer"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("5 minuter", 5.0),
        ("cirka 1 timme", 60.0),
        ("1 timme och 30 minuter", 90.0),
        ("3:30", 3.5),
        ("1:02:00", 62.0),
        ("90 sekunder", 1.5),
        ("2,5 min", 2.5),
        ("en stund", None),
    ],
)
def test_durations(text: str, minutes: float | None) -> None:
    assert duration_minutes(text) == (pytest.approx(minutes) if minutes is not None else None)
