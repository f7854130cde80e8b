"""PDFs written by hand, byte by byte, for the active-content and polyglot tests.

    document(catalog=b"/OpenAction 5 0 R", extra=[b"<< /S /Launch /F (calc.exe) >>"])

gives a one-page PDF whose objects are 1 catalogue, 2 page tree, 3 page, 4 its content, then
`extra` numbered from 5, with a classic cross-reference table (objects in `unlisted` are written
but left out of it, those in `free` are marked free), its trailer and %%EOF. `update()` appends an
incremental update as editors do. Nothing here validates: hostile files are the point.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
CONTENT = b"BT /F1 24 Tf 72 720 Td (Bonjour) Tj ET"


def _xref(offsets: dict[int, int], free: set[int]) -> bytes:
    """One subsection per object, so an object can be absent from the table altogether."""
    out = [b"xref\n0 1\n0000000000 65535 f \n"]
    for number in sorted(offsets):
        kind = b"f" if number in free else b"n"
        out.append(b"%d 1\n%010d 00000 %s \n" % (number, 0 if number in free else offsets[number], kind))
    return b"".join(out)


def _body(out: io.BytesIO, objects: dict[int, bytes]) -> dict[int, int]:
    offsets = {}
    for number, body in objects.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    return offsets


def raw(objects: dict[int, bytes], *, unlisted=(), free=(), copies=(), root: int = 1, trailer: bytes = b"") -> bytes:
    """`copies`: more (number, body) definitions, written after the others and never listed."""
    out = io.BytesIO()
    out.write(HEADER)
    offsets = _body(out, objects)
    for number, body in copies:
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    listed = {number: offset for number, offset in offsets.items() if number not in set(unlisted)}
    start = out.tell()
    out.write(_xref(listed, set(free)))
    size = max(objects) + 1
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, trailer, start))
    return out.getvalue()


def stream(content: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), dictionary) + content + b"\nendstream"


def document(*, catalog: bytes = b"", page: bytes = b"", extra=(), unlisted=(), free=(), copies=()) -> bytes:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + page + b" >>",
        4: stream(CONTENT),
    }
    objects.update({5 + index: body for index, body in enumerate(extra)})
    return raw(objects, unlisted=unlisted, free=free, copies=copies)


def link(action: bytes) -> bytes:
    """A page whose only annotation is a link running `action` (a dictionary or a reference)."""
    return b"/Annots [<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /Border [0 0 0] /A " + action + b" >>]"


def update(base: bytes, objects: dict[int, bytes]) -> bytes:
    """An incremental update: new versions of `objects` appended after base's %%EOF."""
    previous = int(re.findall(rb"startxref\s+(\d+)", base)[-1])
    out = io.BytesIO(base)
    out.seek(0, io.SEEK_END)
    offsets = _body(out, objects)
    start = out.tell()
    out.write(_xref(offsets, set()))
    size = max(max(objects), *map(int, re.findall(rb"/Size (\d+)", base))) + 1
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, previous, start))
    return out.getvalue()


def object_stream(objects: dict[int, bytes]) -> bytes:
    """A compressed object stream holding `objects` (its body, to be numbered by the caller)."""
    offsets, parts, at = [], [], 0
    for number, body in objects.items():
        offsets.append(b"%d %d" % (number, at))
        parts.append(body + b"\n")
        at += len(body) + 1
    header = b" ".join(offsets) + b"\n"
    packed = zlib.compress(header + b"".join(parts))
    return stream(packed, b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode " % (len(objects), len(header)))


def zip_archive() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.html", b"<script>alert(document.cookie)</script>")
    return archive.getvalue()


def zip_inside() -> bytes:
    """A ZIP stored in a stream whose end record's comment runs over the PDF's own end: unzip
    finds the archive although nothing follows %%EOF."""
    archive = bytearray(zip_archive())
    body = document(extra=[stream(bytes(archive))])
    tail = len(body) - (body.index(bytes(archive)) + len(archive))
    # The end record's comment length is its last two bytes (empty comment in a fresh archive).
    archive[-2:] = tail.to_bytes(2, "little")
    return document(extra=[stream(bytes(archive))])
