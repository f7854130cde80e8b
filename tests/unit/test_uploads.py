"""The validation pipeline against a hostile corpus generated here (no binary fixtures)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from portal_app.domain.uploads import pdfs
from portal_app.domain.uploads.checks import (
    MAX_FILE_BYTES,
    Accepted,
    Refused,
    display_name,
    format_size,
    inspect_upload,
    safe_name,
    too_large_reason,
)
from tests.support import corpus


@pytest.mark.parametrize("case", sorted(corpus.HOSTILE))
def test_hostile_file_is_refused_with_its_reason(case):
    name, factory, reason = corpus.HOSTILE[case]
    result = inspect_upload(name, factory())
    assert isinstance(result, Refused), case
    assert reason in result.reason
    # The message names the file, then says why.
    assert result.message.startswith(display_name(name) + " : ")


@pytest.mark.parametrize(
    "name, factory, kind",
    [
        ("scan.pdf", corpus.pdf, "pdf"),
        ("trois-pages.pdf", lambda: corpus.pdf(3), "pdf"),
        ("capture.png", corpus.png, "png"),
        ("transparent.png", corpus.png_with_text, "png"),
        ("photo.jpg", corpus.jpeg, "jpeg"),
    ],
)
def test_valid_files_are_accepted(name, factory, kind):
    result = inspect_upload(name, factory())
    assert isinstance(result, Accepted)
    assert result.kind == kind
    assert result.safe_name == name
    assert result.size == len(result.clean_bytes)


def test_exactly_5_mb_is_accepted_and_one_byte_more_is_not():
    # A PDF padded with NUL bytes after %%EOF, as scanners do: still a valid PDF of exactly 5 MB.
    base = corpus.pdf()
    exact = base + b"\n" + b"\x00" * (MAX_FILE_BYTES - len(base) - 1)
    assert len(exact) == 5 * 1024 * 1024
    assert isinstance(inspect_upload("exact.pdf", exact), Accepted)
    refused = inspect_upload("exact.pdf", exact + b"\x00")
    assert isinstance(refused, Refused)
    assert refused.reason == "Fichier trop volumineux (un peu plus de 5 Mo) : 5 Mo maximum."


def test_too_large_message_gives_the_size_in_french():
    assert too_large_reason(int(7.2 * 1024 * 1024)) == "Fichier trop volumineux (7,2 Mo) : 5 Mo maximum."
    assert format_size(0) == "0 octet"
    assert format_size(2048) == "2 Ko"


def test_jpeg_named_png_is_accepted_as_jpeg_with_the_right_extension():
    result = inspect_upload("photo.png", corpus.jpeg())
    assert isinstance(result, Accepted)
    assert (result.kind, result.safe_name, result.content_type) == ("jpeg", "photo.jpg", "image/jpeg")


def test_jpeg_with_gps_comes_back_clean_and_upright():
    original = corpus.jpeg(64, 48, gps=True)
    with Image.open(io.BytesIO(original)) as before:
        assert 0x8825 in before.getexif()  # the corpus really carries GPS
        assert before.info.get("comment") == b"taken at home"
    result = inspect_upload("maison.jpg", original)
    assert isinstance(result, Accepted)
    with Image.open(io.BytesIO(result.clean_bytes)) as after:
        assert "exif" not in after.info
        assert "comment" not in after.info
        assert len(after.getexif()) == 0
        # Orientation 6 was applied to the pixels, then dropped.
        assert after.size == (48, 64)
    assert b"PhoneMaker" not in result.clean_bytes
    assert result.thumbnail and result.thumbnail.startswith(b"\xff\xd8")


def test_png_text_chunks_are_removed():
    result = inspect_upload("capture.png", corpus.png_with_text())
    assert isinstance(result, Accepted)
    assert b"secret comment" not in result.clean_bytes
    assert b"tEXt" not in result.clean_bytes
    with Image.open(io.BytesIO(result.clean_bytes)) as after:
        assert after.mode == "RGBA"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("fac\x00tu\x1bre\r\n.pdf", "fac tu re.pdf"),
        ("facture\u202efdp.exe.pdf", "facture fdp.exe.pdf"),
        ("<script>.pdf", "_script_.pdf"),
        ("...", "document.pdf"),
        ("", "document.pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_names_are_sanitised(raw, expected):
    assert safe_name(raw, "pdf") == expected


def test_hostile_name_does_not_reach_the_message():
    result = inspect_upload("../../etc/\x1b[31mpasswd.pdf", corpus.html())
    assert isinstance(result, Refused)
    assert result.name == "[31mpasswd.pdf"
    assert "\x1b" not in result.message and "/" not in result.name


def test_pdf_parse_is_bounded_in_time():
    # The child is stopped by its wall limit: the verdict says so (no duration is asserted, so a
    # loaded machine cannot fail this).
    verdict = pdfs.inspect_pdf(corpus.pdf(), wall=0.05)
    assert not verdict.ok and "trop complexe" in verdict.reason


def test_pdf_parse_is_bounded_in_memory():
    # The same limit that lets an ordinary PDF through stops one that swells once parsed.
    assert pdfs.inspect_pdf(corpus.pdf(), memory=128 * 1024 * 1024).ok
    verdict = pdfs.inspect_pdf(corpus.memory_hungry_pdf(), memory=128 * 1024 * 1024)
    assert not verdict.ok and "trop complexe" in verdict.reason


def test_pdf_page_count_is_kept():
    result = inspect_upload("trois.pdf", corpus.pdf(3))
    assert isinstance(result, Accepted) and result.pages == 3


@pytest.mark.parametrize(
    "name, expected",
    [
        (
            "releve.pdf",
            "Ce fichier n'est pas un PDF lisible : il est peut-être endommagé. Enregistrez-le à nouveau en PDF puis réessayez.",
        ),
        ("RELEVE.PDF", "Ce fichier n'est pas un PDF lisible"),
        ("scan.png", "Ce fichier n'est pas une image PNG lisible : elle est peut-être endommagée."),
        ("photo.jpeg", "Ce fichier n'est pas une photo JPEG lisible"),
        ("photo.jpg", "Ce fichier n'est pas une photo JPEG lisible"),
        ("releve.docx", "Format non accepté : seuls les fichiers PNG, JPEG et PDF sont acceptés."),
        (".pdf", "Format non accepté"),
    ],
)
def test_a_name_promising_an_accepted_type_says_the_file_is_not_readable(name, expected):
    result = inspect_upload(name, b"PK\x03\x04 not what the name says")
    assert isinstance(result, Refused)
    assert result.reason.startswith(expected)


def test_heic_renamed_jpg_still_gets_the_iphone_advice():
    heic = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64
    assert "HEIC" in inspect_upload("IMG_0001.jpg", heic).reason
