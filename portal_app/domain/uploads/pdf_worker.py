"""Check one PDF read from stdin and print a one-line JSON verdict. Run by pdfs.py only.

A hostile PDF can make a parser loop or allocate without end, so this runs in its own process,
with limits set here before pypdf is even imported. Standalone on purpose: started with
`python -I`, it imports nothing of the portal, only its sibling pdf_scan.py (by file path).

The rules, applied to every object written in the file (see pdf_scan.py for how they are found):
no script, no action that launches, opens another file, submits or imports data, no multimedia,
no attached file, no additional actions, an /OpenAction that only shows a page, links only to
http(s) and mailto, nothing after the last %%EOF and no ZIP directory inside.
"""

import importlib.util
import json
import os
import resource
import sys
from pathlib import Path


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    # Checking is background work: the server answering pages comes first on a busy CPU.
    os.nice(10)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # It has nothing to write but its verdict on stdout.
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _load_scan():
    spec = importlib.util.spec_from_file_location("pdf_scan", Path(__file__).with_name("pdf_scan.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scan = _load_scan()


def _resolver(table: dict, reader):
    """Every definition a reader might use for a value: all those written under its number.
    Each number is resolved once; a chain longer than MAX_CHAIN (a loop) is too complex."""
    from pypdf.generic import IndirectObject

    known: dict = {}

    def resolve(value, depth: int = 0) -> list:
        if not isinstance(value, IndirectObject):
            return [value]
        if value.idnum in known:
            return known[value.idnum]
        if depth > scan.MAX_CHAIN:
            raise scan.TooComplex
        candidates = table.get(value.idnum)
        if candidates is None:
            # Not found by the raw scan (its header did not read as two numbers): ask pypdf.
            try:
                candidates = [reader.get_object(value)]
            except (RecursionError, MemoryError):
                raise scan.TooComplex from None
            except Exception:
                candidates = []
        found: list = []
        for candidate in candidates:
            found += resolve(candidate, depth + 1)
            if len(found) > 256:
                raise scan.TooComplex
        known[value.idnum] = found
        return found

    return resolve


def _only_shows_a_page(value, resolve) -> bool:
    """An /OpenAction runs unasked: a destination, or /GoTo actions chained by /Next only."""
    from pypdf.generic import ArrayObject, DictionaryObject

    pending, seen = [value], set()
    while pending:
        for action in resolve(pending.pop()):
            if not isinstance(action, DictionaryObject) or id(action) in seen:
                continue
            seen.add(id(action))
            if len(seen) > scan.MAX_CHAIN or any(kind != "/GoTo" for kind in resolve(action.get("/S"))):
                return False
            for following in resolve(action.get("/Next")) if "/Next" in action else ():
                pending.extend(following if isinstance(following, ArrayObject) else [following])
    return True


def _dict_problem(item, resolve) -> str | None:
    from pypdf.generic import ByteStringObject, IndirectObject, TextStringObject

    named = scan.NAME_KEYS.intersection(item)
    if named:
        return scan.NAME_REASONS[named.pop()]
    actions = ()
    for key in scan.KIND_KEYS:
        value = item.get(key)
        if value is None:
            continue
        kinds = resolve(value) if isinstance(value, IndirectObject) else (value,)
        for kind in kinds:
            if isinstance(kind, str) and kind in scan.KIND_REASONS:
                return scan.KIND_REASONS[kind]
        if key == "/S":
            actions = kinds
    if "/URI" in item:
        for target in resolve(item["/URI"]):
            if isinstance(target, (TextStringObject, ByteStringObject)):
                if not (scan.uri_is_safe(target.original_bytes) and scan.uri_is_safe(str(target))):
                    return "link"
            elif "/URI" in actions:
                return "link"
    if "/Thread" in actions and "/F" in item:
        # An article thread in another file: opens that file.
        return "launch"
    if "/Named" in actions and any(name not in scan.SAFE_NAMED for name in resolve(item.get("/N"))):
        return "active"
    if "/OpenAction" in item and not _only_shows_a_page(item["/OpenAction"], resolve):
        return "automatic"
    return None


def _walk(root, resolve, budget: list) -> str | None:
    """Every dictionary inside root, its references resolved only where they decide an action."""
    from pypdf.generic import ArrayObject, DictionaryObject

    stack = [(root, 0)]
    while stack:
        item, depth = stack.pop()
        budget[0] -= 1
        if budget[0] < 0 or depth > scan.MAX_DEPTH:
            raise scan.TooComplex
        if isinstance(item, DictionaryObject):
            problem = _dict_problem(item, resolve)
            if problem:
                return problem
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, ArrayObject):
            stack.extend((value, depth + 1) for value in item)
    return None


def verdict(data: bytes) -> dict:
    import io
    import logging

    logging.disable(logging.CRITICAL)
    from pypdf import PdfReader

    try:
        hidden = scan.hidden_data(data)
        if hidden:
            return {"verdict": hidden}
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return {"verdict": "encrypted"}
        pages = len(reader.pages)
        if pages < 1:
            return {"verdict": "no_pages"}
        found, problem = scan.physical_objects(data, reader)
        if problem:
            return {"verdict": problem}
        found.append((None, reader.trailer))
        table: dict = {}
        for number, obj in found:
            table.setdefault(number, []).append(obj)
        resolve, budget = _resolver(table, reader), [scan.MAX_NODES]
        for _number, obj in found:
            problem = _walk(obj, resolve, budget)
            if problem:
                return {"verdict": problem}
        return {"verdict": "ok", "pages": pages}
    except (scan.TooComplex, MemoryError, RecursionError):
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
