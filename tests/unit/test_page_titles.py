from portal_app.components.titles import page_title


def test_most_specific_words_first_site_last():
    assert page_title("Dossier PTP-2026-000001") == "Dossier PTP-2026-000001 — Portail"
    assert page_title("Dossier PTP-2026-000001", "Back office") == "Dossier PTP-2026-000001 — Back office — Portail"


def test_errors_are_said_first_and_empty_parts_dropped():
    assert page_title("Se connecter", error=True) == "Erreur : Se connecter — Portail"
    assert page_title("Dossier en brouillon", "") == "Dossier en brouillon — Portail"
