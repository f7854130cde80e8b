"""What makes a PDF unsafe to hand to an agent: active content and data hidden around it.

Loaded by pdf_worker.py inside its limited child process (standalone: pypdf only, nothing of the
portal). pdf_worker.verdict applies its rules to what `physical_objects` finds here.

A reader does not only open what the cross-reference table lists: a damaged table is rebuilt by
searching the whole file for `N G obj`, and object streams are unpacked. So every object present
in the file is checked, whether listed or not, reachable or not: each `obj` keyword of the raw
bytes and each object of every object stream found that way (pypdf's copy when its table points
at that very place, so nothing is parsed twice).
Values that decide what an action does (/S, /Type, /Subtype, /URI, /N, /OpenAction) are resolved
through indirect references to every definition of that number. Names are compared once decoded
(`/J#61vaScript` is `/JavaScript`), and a name scan of the raw text backs up the parser.
"""

from __future__ import annotations

import io
import re

# Found anywhere, as a key or as a value: nothing legitimate in an office document uses them.
NAME_REASONS = {
    "/JavaScript": "javascript",
    "/JS": "javascript",
    "/ECMAScript": "javascript",
    "/XFA": "javascript",
    "/Launch": "launch",
    "/GoToR": "launch",
    "/GoToE": "launch",
    "/SubmitForm": "submit",
    "/ImportData": "submit",
    "/EmbeddedFile": "embedded",
    "/EmbeddedFiles": "embedded",
    "/EF": "embedded",
    "/FileAttachment": "embedded",
    "/RichMedia": "active",
    "/RichMediaExecute": "active",
    "/RichMediaContent": "active",
    "/Rendition": "active",
    "/GoTo3DView": "active",
    "/AA": "automatic",
}
NAME_KEYS = frozenset(NAME_REASONS)
_RAW_REASONS = {name[1:].encode(): reason for name, reason in NAME_REASONS.items()}
# Only as the kind of an action or an annotation (/S, /Type, /Subtype): elsewhere they are ordinary.
KIND_REASONS = {**NAME_REASONS, "/Movie": "active", "/Sound": "active", "/3D": "active"}
KIND_KEYS = ("/S", "/Type", "/Subtype")
SAFE_SCHEMES = {"http", "https", "mailto"}
# The four page turns every reader offers; other named actions run menu commands.
SAFE_NAMED = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
WHITESPACE = b"\x00\t\n\x0c\r "

# About 10 s of parsing: a file with more is refused at once rather than at the CPU limit.
MAX_OBJECTS = 100_000
MAX_NODES = 4_000_000
MAX_DEPTH = 64
MAX_CHAIN = 16
# The raw text of an object is scanned up to its `endobj` or `stream`, within RAW_REGION; an `obj`
# with neither that close is most likely bytes of an image that happen to spell it: only its first
# UNENDED_REGION bytes are scanned, so such noise cannot refuse a scan by chance.
RAW_REGION = 64 * 1024
UNENDED_REGION = 4 * 1024

_OBJ = re.compile(rb"(?<![A-Za-z])obj(?![A-Za-z])")
_NUMBERS_BEFORE = re.compile(rb"(?<![0-9])(\d{1,10})[\x00\t\n\x0c\r ]++(\d{1,5})[\x00\t\n\x0c\r ]*+$")
_REGION_END = re.compile(rb"(?<![A-Za-z])(?:endobj|stream)(?![A-Za-z])")
# Some writers repeat the marker: `startxref 123 %%EOF %%EOF`.
_STARTXREF_TAIL = re.compile(rb"[\x00\t\n\x0c\r ]++\d{1,20}[\x00\t\n\x0c\r ]*+(?:%%EOF[\x00\t\n\x0c\r ]*+)*+")
_TRAILER = re.compile(rb"trailer[\x00\t\n\x0c\r ]*+(?=<<)")
_RAW_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*+)")
_PLAIN_STRING = re.compile(rb"\(([^()\\]{0,256})\)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_MAIL_ATTACH = re.compile(r"[?&](?:attach|attachment)=")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


class TooComplex(Exception):
    pass


# ---------------------------------------------------------------- bytes around the document


def hidden_data(data: bytes) -> str | None:
    """Data after the last %%EOF, or a ZIP archive whose directory sits inside the document."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        return "unreadable"
    # Scanners and mail gateways pad with line ends, spaces or NUL bytes: nothing can hide in those.
    if data[end + 5 :].strip(WHITESPACE):
        return "hidden"
    # A second %%EOF written after a page or an archive must not make it look like the end.
    startxref = data.rfind(b"startxref", 0, end)
    if startxref >= 0 and not _STARTXREF_TAIL.fullmatch(data, startxref + 9, end):
        return "hidden"
    # A ZIP reader looks for its end record in the last 64 KB and may find one inside a stream.
    tail_start = max(0, len(data) - 65_557 - 64)
    at = data.find(b"PK\x05\x06", tail_start)
    while at >= 0:
        if _zip_directory_before(data, at):
            return "hidden"
        at = data.find(b"PK\x05\x06", at + 1)
    return None


def _zip_directory_before(data: bytes, at: int) -> bool:
    """Whether the ZIP end record at `at` leads to a central directory (or a ZIP64 one), found by
    its declared offset or, as unzip does for a prefixed archive, right before the record."""
    size = int.from_bytes(data[at + 12 : at + 16], "little")
    offset = int.from_bytes(data[at + 16 : at + 20], "little")
    starts = [data[offset : offset + 4]] + ([data[at - size : at - size + 4]] if size <= at else [])
    if data[at - 20 : at - 16] == b"PK\x06\x07":
        zip64 = int.from_bytes(data[at - 12 : at - 4], "little")
        starts += [data[zip64 : zip64 + 4], data[max(0, at - 76) : max(0, at - 72)]]
    return b"PK\x01\x02" in starts or b"PK\x06\x06" in starts


# ---------------------------------------------------------------- name scan of the raw text


def _decode_name(raw: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw) if b"#" in raw else raw


def _literal_string(text: bytes, start: int, limit: int = 256) -> bytes:
    """The start of the literal string opening at text[start] == '(' (escapes decoded): enough
    for a scheme; a target whose scheme lies further is refused for having none."""
    plain = _PLAIN_STRING.match(text, start)
    if plain:
        return plain[1]
    out, depth, i = bytearray(), 1, start + 1
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    while i < len(text) and depth and len(out) < limit:
        char = text[i : i + 1]
        if char == b"\\":
            octal = re.match(rb"[0-7]{1,3}", text[i + 1 : i + 4])
            if octal:
                out.append(int(octal[0], 8) & 0xFF)
                i += 1 + len(octal[0])
                continue
            nxt = text[i + 1 : i + 2]
            out += escapes.get(nxt, b"" if nxt in b"\r\n" else nxt)
            i += 2
            continue
        depth += {b"(": 1, b")": -1}.get(char, 0)
        if depth:
            out += char
        i += 1
    return bytes(out)


def _string_after(text: bytes, at: int) -> bytes | None:
    """The string value right after a name ending at `at`, if there is one."""
    while at < len(text) and text[at] in WHITESPACE:
        at += 1
    if text[at : at + 1] == b"(":
        return _literal_string(text, at)
    if text[at : at + 1] == b"<" and text[at + 1 : at + 2] != b"<":
        close = text.find(b">", at)
        digits = re.sub(rb"[^0-9A-Fa-f]", b"", text[at + 1 : close if close > 0 else at + 4096])
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    return None


def scan_names(text: bytes) -> str | None:
    """Dangerous names and /URI targets in raw PDF syntax, whatever parses it."""
    for match in _RAW_NAME.finditer(text):
        name = _decode_name(match[1])
        if name in _RAW_REASONS:
            return _RAW_REASONS[name]
        if name == b"URI":
            target = _string_after(text, match.end())
            if target is not None and not uri_is_safe(target):
                return "link"
    return None


def _uri_text(target: bytes) -> str:
    """A string as readers show it: UTF-16 or UTF-8 after a byte order mark, else byte per byte."""
    for bom, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8")):
        if target.startswith(bom):
            return target[len(bom) :].decode(codec, "replace")
    return target.decode("latin-1")


def uri_is_safe(target: bytes | str) -> bool:
    text = _uri_text(target) if isinstance(target, bytes) else target
    # Browsers drop tabs and line ends anywhere and controls or spaces around a URL.
    text = re.sub(r"[\t\n\r]", "", text).strip("".join(map(chr, range(33)))).lower()
    scheme = _SCHEME.match(text)
    if not scheme or scheme[1] not in SAFE_SCHEMES:
        return False
    # Some mail clients attach the local file a mailto link names.
    return not (scheme[1] == "mailto" and _MAIL_ATTACH.search(text))


# ---------------------------------------------------------------- every object in the file


def _read_at(data: bytes, start: int, reader):
    from pypdf.generic import read_object

    stream = io.BytesIO(data)
    stream.seek(start)
    while stream.read(1) in (b" ", b"\t", b"\n", b"\r", b"\x0c", b"\x00"):
        pass
    stream.seek(-1, 1)
    return read_object(stream, reader)


def _parse(data: bytes, start: int, reader):
    """The object starting at `start`, or None when it does not parse (its text was scanned)."""
    try:
        return _read_at(data, start, reader)
    except (RecursionError, MemoryError):
        raise TooComplex from None
    except Exception:
        return None


def _listed(reader, numbers):
    """pypdf's own copy when its table points at this very header: parsed once, and cached."""
    from pypdf.generic import IndirectObject

    number, generation = int(numbers[1]), int(numbers[2])
    if reader.xref.get(generation, {}).get(number) != numbers.start() or number in reader.xref_objStm:
        return None
    try:
        return reader.get_object(IndirectObject(number, generation, reader))
    except (RecursionError, MemoryError):
        raise TooComplex from None
    except Exception:
        return None


def _object_stream(stream, reader, found: list, problems: list) -> None:
    try:
        content = stream.get_data()
        count, first = int(stream["/N"]), int(stream["/First"])
    except (RecursionError, MemoryError):
        raise TooComplex from None
    except Exception:
        # A reader that can unpack it would find objects this check cannot see.
        problems.append("unreadable")
        return
    problems.append(scan_names(content))
    header = content[:first].split()
    for index in range(0, min(2 * count, len(header) - 1), 2):
        try:
            number, offset = int(header[index]), int(header[index + 1])
        except ValueError:
            return
        obj = _parse(content, first + offset, reader)
        if obj is not None:
            found.append((number, obj))
        if len(found) > MAX_OBJECTS:
            raise TooComplex


def physical_objects(data: bytes, reader) -> tuple[list, str | None]:
    """(number or None, object) for each object written in the file, and a raw-scan problem."""
    from pypdf.generic import StreamObject

    if len(_OBJ.findall(data)) > MAX_OBJECTS:
        raise TooComplex
    found: list = []
    problems: list = []
    for match in _OBJ.finditer(data):
        window = max(0, match.start() - 40)
        numbers = _NUMBERS_BEFORE.search(data, window, match.start())
        region_end = _REGION_END.search(data, match.end(), match.end() + RAW_REGION)
        problems.append(
            scan_names(data[match.end() : region_end.start() if region_end else match.end() + UNENDED_REGION])
        )
        number = int(numbers[1]) if numbers else None
        obj = _listed(reader, numbers) if numbers else None
        if obj is None:
            obj = _parse(data, match.end(), reader)
        if obj is not None:
            found.append((number, obj))
    for match in _TRAILER.finditer(data):
        obj = _parse(data, match.end(), reader)
        if obj is not None:
            found.append((None, obj))
    for _number, obj in list(found):
        if isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm":
            _object_stream(obj, reader, found, problems)
    return found, next((problem for problem in problems if problem), None)
