"""Counts and durations in French words."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal_app.domain.core import tokens
from portal_app.domain.core.tokens import Purpose
from portal_app.domain.core.wording import count_label, duration, plural
from portal_app.domain.uploads.checks import format_size


@pytest.mark.parametrize(
    "count, expected", [(0, "0 dossier"), (1, "1 dossier"), (2, "2 dossiers"), (12, "12 dossiers"), (-1, "-1 dossier")]
)
def test_zero_and_one_are_singular_in_french(count, expected):
    assert count_label(count, "dossier") == expected


def test_irregular_and_several_word_plurals():
    assert count_label(1, "message non lu", "messages non lus") == "1 message non lu"
    assert count_label(3, "message non lu", "messages non lus") == "3 messages non lus"
    assert plural(2, "dossier affiché", "dossiers affichés") == "dossiers affichés"


@pytest.mark.parametrize(
    "length, expected",
    [
        (timedelta(minutes=60), "1 heure"),
        (timedelta(hours=1), "1 heure"),
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=90), "90 minutes"),
        (timedelta(hours=48), "48 heures"),
        (timedelta(days=1), "24 heures"),
        (timedelta(days=7), "7 jours"),
        (timedelta(seconds=60), "1 minute"),
        (timedelta(seconds=45), "45 secondes"),
    ],
)
def test_a_duration_is_said_in_its_largest_exact_unit(length, expected):
    assert duration(length) == expected


def test_mailed_links_say_their_validity_one_way():
    assert tokens.validity(Purpose.PASSWORD_RESET) == "1 heure"
    assert tokens.validity(Purpose.ACTIVATION) == "48 heures"
    assert tokens.validity(Purpose.EMPLOYER_CONFIRMATION) == "7 jours"


def test_sizes_follow_the_same_rule():
    assert [format_size(n) for n in (0, 1, 2)] == ["0 octet", "1 octet", "2 octets"]
