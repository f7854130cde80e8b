"""The dashboard's filters live in its URL: read back as they were written, anything else
falls back to showing everything."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from portal_app.states.my_dossiers import Filters


def test_plain_url_shows_everything():
    assert Filters.from_query({}) == Filters("toutes", "", False)
    assert Filters().url() == "/demarches"


def test_filters_round_trip_through_the_url():
    filters = Filters("en_cours", "PTP-2026 000042", True)
    url = filters.url()
    assert url == "/demarches?statut=en_cours&q=PTP-2026+000042&tri=ancien"
    assert Filters.from_query(dict(parse_qsl(urlsplit(url).query))) == filters


def test_unknown_or_oversized_values_are_not_trusted():
    filters = Filters.from_query({"statut": "<script>", "q": "  x  " + "y" * 200, "tri": "n'importe"})
    assert (
        filters.statut == "toutes"
        and len(filters.q) == 100
        and filters.q.startswith("x y")
        and not filters.oldest_first
    )
