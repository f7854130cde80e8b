"""Validation of an uploaded file: pure Python, no Reflex, no database.

The type is decided by the content (magic bytes, then a full parse), never by the name or the
browser's MIME type. Images come back re-encoded without their metadata; PDFs are parsed in a
resource-limited child process (see pdfs.py) and kept byte for byte.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from portal_app.domain.core.wording import count_label
from portal_app.domain.uploads import pdfs

MIB = 1024 * 1024
MAX_FILE_BYTES = 5 * MIB
# One request of the upload zone carries at most this many files (the dropzone says so too).
MAX_FILES_PER_REQUEST = 5
MAX_NAME_CHARS = 120

KINDS = ("png", "jpeg", "pdf")
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "pdf": ".pdf"}
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "pdf": "application/pdf"}
KIND_LABELS = {"png": "Image PNG", "jpeg": "Photo JPEG", "pdf": "PDF"}

MSG_FORMAT = "Format non accepté : seuls les fichiers PNG, JPEG et PDF sont acceptés."
# The name promises a type the content does not have: usually a damaged or mis-saved file, not a
# deliberately wrong format, so say what to do about that file rather than list the formats.
MSG_NOT_READABLE = {
    "pdf": (
        "Ce fichier n'est pas un PDF lisible : il est peut-être endommagé. "
        "Enregistrez-le à nouveau en PDF puis réessayez."
    ),
    "png": (
        "Ce fichier n'est pas une image PNG lisible : elle est peut-être endommagée. "
        "Enregistrez-la à nouveau en PNG (ou faites une capture d'écran) puis réessayez."
    ),
    "jpeg": (
        "Ce fichier n'est pas une photo JPEG lisible : elle est peut-être endommagée. "
        "Enregistrez-la à nouveau en JPEG (ou faites une capture d'écran) puis réessayez."
    ),
}
_KIND_OF_EXTENSION = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "jpe": "jpeg"}
MSG_EMPTY = "Ce fichier est vide (0 octet) : choisissez le bon fichier."
MSG_PDF_OFFSET = (
    "Ce PDF est mal formé : des données précèdent le début du document. "
    "Enregistrez-le de nouveau (Imprimer > Enregistrer au format PDF) puis réessayez."
)


@dataclass(frozen=True)
class Accepted:
    kind: str
    clean_bytes: bytes
    safe_name: str
    sha256: str
    size: int
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    thumbnail: bytes | None = None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


@dataclass(frozen=True)
class Refused:
    name: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.name} : {self.reason}"


def format_size(size: int) -> str:
    """French units, 1 Mo = 1024 × 1024 octets like the announced limit."""
    if size < 1024:
        return count_label(size, "octet")
    if size < MIB:
        return f"{round(size / 1024)} Ko"
    text = f"{size / MIB:.1f}"
    return (text[:-2] if text.endswith(".0") else text).replace(".", ",") + " Mo"


def too_large_reason(size: int) -> str:
    shown = format_size(size)
    if shown == format_size(MAX_FILE_BYTES):
        # 5 Mo + 1 octet prints as "5,0 Mo": say it plainly instead of a contradiction.
        shown = "un peu plus de 5 Mo"
    return f"Fichier trop volumineux ({shown}) : 5 Mo maximum."


# Control, format (bidi overrides, zero-width), surrogate, private-use and unassigned characters.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_FORBIDDEN_CHARS = re.compile(r'[<>:"/\\|?*]')


def display_name(raw: str, fallback: str = "document") -> str:
    """A name safe to show and to put in a header: no path, no hidden characters, bounded."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if unicodedata.category(ch) in _HIDDEN_CATEGORIES else ch for ch in name)
    name = _FORBIDDEN_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    return name[:MAX_NAME_CHARS].strip(" .") or fallback


def safe_name(raw: str, kind: str) -> str:
    """The display name with the extension of the detected type (a JPEG named .png becomes .jpg)."""
    name = display_name(raw)
    stem, dot, ext = name.rpartition(".")
    if dot and stem and ext.lower() in {"png", "jpg", "jpeg", "jpe", "pdf"}:
        name = stem
    name = name[: MAX_NAME_CHARS - len(EXTENSIONS[kind])].strip(" .") or "document"
    return name + EXTENSIONS[kind]


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


def claimed_kind(name: str) -> str | None:
    """The type the file's name announces (browsers derive the declared MIME type from it too)."""
    stem, dot, ext = display_name(name).rpartition(".")
    return _KIND_OF_EXTENSION.get(ext.lower()) if dot and stem else None


def _other_format_reason(name: str, data: bytes) -> str:
    """Name the format people most often send by mistake, so they know what to change."""
    head = data[:64]
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypheif"):
        return (
            "Format non accepté : les photos HEIC ne sont pas acceptées, seuls les fichiers PNG, JPEG et PDF le sont. "
            "Sur iPhone, choisissez Réglages > Appareil photo > Formats > « Le plus compatible »."
        )
    claimed = claimed_kind(name)
    return MSG_NOT_READABLE[claimed] if claimed else MSG_FORMAT


def inspect_upload(name: str, data: bytes, owner: object = None) -> Accepted | Refused:
    # `owner`, the uploading account, gets one heavy image decode at a time (see images.py).
    shown = display_name(name)
    size = len(data)
    if size == 0:
        return Refused(shown, MSG_EMPTY)
    if size > MAX_FILE_BYTES:
        return Refused(shown, too_large_reason(size))
    kind = sniff(data)
    if kind is None:
        if b"%PDF-" in data[:1024]:
            return Refused(shown, MSG_PDF_OFFSET)
        return Refused(shown, _other_format_reason(name, data))
    if kind == "pdf":
        verdict = pdfs.inspect_pdf(data)
        if not verdict.ok:
            return Refused(shown, verdict.reason)
        clean, extra = data, {"pages": verdict.pages}
    else:
        # Pillow (about 2.5 MiB) comes with the first image an app worker checks, not at its start.
        from portal_app.domain.uploads import images

        try:
            image = images.clean_image(data, kind, owner)
        except images.ImageRefused as refusal:
            return Refused(shown, str(refusal))
        clean = image.data
        extra = {"width": image.width, "height": image.height, "thumbnail": image.thumbnail}
    return Accepted(
        kind=kind,
        clean_bytes=clean,
        safe_name=safe_name(name, kind),
        sha256=hashlib.sha256(clean).hexdigest(),
        size=len(clean),
        **extra,
    )
