"""Parse one PDF read from stdin and print a one-line JSON verdict. Run by pdfs.py only.

A hostile PDF can make a parser loop or allocate without end, so this runs in its own process,
with limits set here before pypdf is even imported. Standalone on purpose: started with
`python -I`, it imports nothing of the portal.
"""

import json
import os
import resource
import sys


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    # Checking is background work: the server answering pages comes first on a busy CPU.
    os.nice(10)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # It has nothing to write but its verdict on stdout.
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


ACTION_TYPES = {"/JavaScript": "javascript", "/Launch": "launch", "/RichMedia": "javascript", "/ImportData": "launch"}
SCRIPT_KEYS = {"/JavaScript", "/JS", "/XFA", "/RichMedia"}
EMBED_KEYS = {"/EmbeddedFiles", "/EF", "/EmbeddedFile"}
EMBED_TYPES = {"/EmbeddedFile", "/FileAttachment"}


def _problem_of(obj) -> str | None:
    """What is wrong with one dictionary, looking at its own keys only."""
    keys = set(obj.keys())
    if keys & SCRIPT_KEYS:
        return "javascript"
    if keys & EMBED_KEYS:
        return "embedded"
    for key in ("/S", "/Type", "/Subtype"):
        value = obj.get(key)
        if value is None or not isinstance(value, str):
            continue
        if key == "/S" and value in ACTION_TYPES:
            return ACTION_TYPES[value]
        if value in EMBED_TYPES:
            return "embedded"
        if value == "/Launch":
            return "launch"
    return None


def _walk(root, budget: list) -> str | None:
    """Every dictionary directly inside root (indirect objects are walked on their own)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack = [root]
    while stack:
        budget[0] -= 1
        if budget[0] < 0:
            return "complex"
        item = stack.pop()
        if isinstance(item, IndirectObject):
            continue
        if isinstance(item, DictionaryObject):
            problem = _problem_of(item)
            if problem:
                return problem
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def verdict(data: bytes) -> dict:
    import io
    import logging

    logging.disable(logging.CRITICAL)
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return {"verdict": "encrypted"}
        pages = len(reader.pages)
        if pages < 1:
            return {"verdict": "no_pages"}
        budget = [2_000_000]
        problem = _walk(reader.trailer, budget)
        # Every object the cross-reference tables know, including those inside object streams.
        ids = {(num, gen) for gen, table in reader.xref.items() for num in table}
        ids |= {(num, 0) for num in reader.xref_objStm}
        for num, gen in sorted(ids):
            if problem:
                break
            obj = reader.get_object(IndirectObject(num, gen, reader))
            if obj is not None:
                problem = _walk(obj, budget)
        if problem:
            return {"verdict": problem}
        return {"verdict": "ok", "pages": pages}
    except MemoryError:
        return {"verdict": "complex"}
    except RecursionError:
        return {"verdict": "complex"}
    except Exception:
        return {"verdict": "unreadable"}


def main() -> None:
    memory, cpu = int(sys.argv[1]), int(sys.argv[2])
    _limit(memory, cpu)
    data = sys.stdin.buffer.read()
    result = verdict(data)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
