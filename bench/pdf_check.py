"""PDF check benchmark: `.venv/bin/python -m bench.pdf_check [--runs N]`.

The check parses every object written in the file (pdf_scan.py), so its cost grows with the
number of objects, not the bytes: the case to watch is a 5 MB PDF of many text pages full of
links (here 700 pages, 4 200 link annotations, uncompressed as some office suites write them),
checked the way uploads are, child process start included. The child runs at nice 10, so on a
busy machine its wall time stretches: its CPU time is the figure to compare.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from functools import lru_cache

from fpdf import FPDF

from portal_app.domain.uploads import pdfs

MIB = 1024 * 1024


@lru_cache(maxsize=1)
def many_pages(pages: int = 700) -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)
    pdf.set_font("Helvetica", size=9)
    for page in range(pages):
        pdf.add_page()
        for line in range(60):
            target = f"https://www.example.fr/page-{page}/{line}" if line % 10 == 0 else ""
            pdf.cell(0, 4, f"Ligne {line} de la page {page} : bulletin, attestation, relevé", link=target)
            pdf.ln()
    return bytes(pdf.output())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args(argv).runs
    data = many_pages()
    timings, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        verdict = pdfs.inspect_pdf(data)
        timings.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        assert verdict.ok and verdict.pages == 700, verdict
    ordered = sorted(timings)
    print(
        f"check a {len(data) / MIB:.1f} MB PDF of 700 pages with 4 200 links: "
        f"median {statistics.median(timings) * 1000:.0f} ms, p95 {ordered[round(0.95 * (runs - 1))] * 1000:.0f} ms, "
        f"child CPU median {statistics.median(cpu) * 1000:.0f} ms ({runs} runs)"
    )


if __name__ == "__main__":
    main()
