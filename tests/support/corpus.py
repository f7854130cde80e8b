"""Files for upload tests, made on the fly: valid ones and a hostile corpus (no binary fixtures).

Each function returns bytes; HOSTILE maps a case name to (file name, bytes factory, expected
reason fragment) for the tests that expect a refusal.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import lru_cache

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

MIB = 1024 * 1024


# ---------------------------------------------------------------- images


def png(width: int = 64, height: int = 48, color=(0, 0, 145)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "secret comment")
    info.add_text("Author", "Camille Martin")
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (10, 20, 30, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 24.0)
    gps[3] = "E"
    gps[4] = (2.0, 21.0, 7.0)
    return exif


def jpeg(width: int = 64, height: int = 48, color=(200, 30, 30), *, gps: bool = False, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), color)
    options = {"quality": quality}
    if gps:
        options["exif"] = _gps_exif().tobytes()
        options["comment"] = b"taken at home"
    image.save(out, "JPEG", **options)
    return out.getvalue()


@lru_cache(maxsize=1)
def photo_12mp() -> bytes:
    """A 4000 x 3000 photo-like JPEG (gradient plus grain), about 3 MB: the benchmark's photo."""
    gradient = Image.linear_gradient("L").resize((4000, 3000))
    noise = Image.effect_noise((4000, 3000), 24)
    red = Image.blend(gradient, noise, 0.3)
    green = Image.blend(gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise, 0.3)
    blue = Image.blend(gradient.transpose(Image.Transpose.FLIP_TOP_BOTTOM), noise, 0.3)
    out = io.BytesIO()
    Image.merge("RGB", (red, green, blue)).save(out, "JPEG", quality=85, exif=_gps_exif().tobytes())
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(out, "WEBP")
    return out.getvalue()


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>fetch('/x?c='+document.cookie)</script></body></html>"


def png_zip_polyglot() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.html", html())
    return png() + archive.getvalue()


def truncated_png() -> bytes:
    data = png(200, 200)
    return data[: len(data) // 2]


@lru_cache(maxsize=1)
def png_bomb(side: int = 30000) -> bytes:
    """A valid 1-bit 30000 x 30000 PNG of about 100 KB: 900 million pixels once decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# ---------------------------------------------------------------- PDF


def _writer(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf(pages: int = 1) -> bytes:
    return _bytes(_writer(pages))


def encrypted_pdf() -> bytes:
    writer = _writer()
    writer.encrypt(user_password="secret", owner_password="owner")
    return _bytes(writer)


def javascript_pdf() -> bytes:
    """A document-level script in the /Names /JavaScript tree, as Acrobat writes them."""
    writer = _writer()
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Action"),
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
    )
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), action])})
    names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    writer._root_object[NameObject("/Names")] = writer._add_object(names)
    return _bytes(writer)


def embedded_file_pdf() -> bytes:
    writer = _writer()
    writer.add_attachment("facture.exe", b"MZ\x90\x00 not really an executable")
    return _bytes(writer)


def launch_pdf() -> bytes:
    writer = _writer()
    action = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("calc.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _bytes(writer)


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand, objects numbered from 1, with a classic cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


_PAGES = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def hidden_javascript_pdf() -> bytes:
    """/JavaScript spelled /J#61vaScript and /JS as #4AS: a raw byte search misses it, a parser does not."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            *_PAGES,
            b"<< /Type /Action /S /J#61vaScript /#4AS (app.alert\\(1\\)) >>",
        ]
    )


def memory_hungry_pdf(arrays: int = 36) -> bytes:
    """4.5 MB of arrays (each under pypdf's own 100 000-element cap): over two million Python
    objects once parsed, a few hundred MB."""
    refs = b" ".join(b"%d 0 R" % (4 + index) for index in range(arrays))
    bodies = [b"[" + b"0 " * 62_000 + b"]" for _ in range(arrays)]
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R /Foo [" + refs + b"] >>", *_PAGES, *bodies])


def pdf_header_not_at_start() -> bytes:
    return b"GARBAGE" * 10 + b"\n" + pdf()


@lru_cache(maxsize=1)
def pdf_5mb() -> bytes:
    """A one-page scan-like PDF just under 5 MB (a noisy image inside): the benchmark's PDF."""
    noise = Image.effect_noise((2250, 2250), 60).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "PDF", resolution=150, quality=95)
    data = out.getvalue()
    assert 3 * MIB < len(data) <= 5 * MIB, len(data)
    return data


# ---------------------------------------------------------------- sizes


def exactly(size: int, head: bytes = b"%PDF-1.4\n") -> bytes:
    return head + b"0" * (size - len(head))


HOSTILE = {
    # case: (file name as sent, factory, fragment of the French reason)
    "png_zip_polyglot": ("photo.png", png_zip_polyglot, "données cachées après la fin de l'image"),
    "html_named_pdf": ("releve.pdf", html, "Ce fichier n'est pas un PDF lisible : il est peut-être endommagé."),
    "html_named_png": ("capture.PNG", html, "Ce fichier n'est pas une image PNG lisible"),
    "gif_named_jpg": ("photo.jpg", gif, "Ce fichier n'est pas une photo JPEG lisible"),
    "html_without_extension": ("releve", html, "Format non accepté"),
    "svg": ("logo.svg", svg, "Format non accepté"),
    "gif": ("anim.gif", gif, "Format non accepté"),
    "webp": ("photo.webp", webp, "Format non accepté"),
    "too_large": (
        "gros.pdf",
        lambda: exactly(5 * MIB + 1),
        "Fichier trop volumineux (un peu plus de 5 Mo) : 5 Mo maximum",
    ),
    "empty": ("vide.pdf", lambda: b"", "Ce fichier est vide"),
    "truncated_png": ("coupe.png", truncated_png, "endommagée ou incomplète"),
    "png_bomb": ("bombe.png", png_bomb, "Image trop grande"),
    "encrypted_pdf": ("protege.pdf", encrypted_pdf, "protégé par un mot de passe"),
    "javascript_pdf": ("script.pdf", javascript_pdf, "contient du code"),
    "hidden_javascript_pdf": ("cache.pdf", hidden_javascript_pdf, "contient du code"),
    "embedded_file_pdf": ("joint.pdf", embedded_file_pdf, "contient des fichiers joints"),
    "launch_pdf": ("lance.pdf", launch_pdf, "lance un programme"),
    "pdf_header_offset": ("decale.pdf", pdf_header_not_at_start, "des données précèdent le début"),
}
