"""Bounded image decoding (issue 12): the pixel caps, JPEG draft decoding, refusals before any
pixel is allocated, one heavy decode per user and a process-wide budget. Every image is built
here; the decodes are held on an event, never timed."""

from __future__ import annotations

import asyncio
import io
import logging
import struct
import threading
import time
import zlib

import pytest
from PIL import Image, ImageFile

from portal_app.domain.uploads import decoding, images, pipeline
from portal_app.domain.uploads.checks import Accepted, Refused, inspect_upload
from portal_app.domain.uploads.images import MAX_PIXELS

MIB = 1024 * 1024


def _save(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def _with_size(data: bytes, width: int, height: int) -> bytes:
    """The same file declaring another size: a PNG's IHDR (CRC fixed) or a JPEG's SOF."""
    if data.startswith(b"\x89PNG"):
        body = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
        return data[:12] + body + struct.pack(">I", zlib.crc32(body)) + data[33:]
    sof = max(data.find(b"\xff\xc0"), data.find(b"\xff\xc2"))
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


@pytest.fixture
def no_pixel_decoded(monkeypatch):
    def refuse_to_load(self):
        raise AssertionError("pixels decoded for an image that should be refused from its header")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_load)


def test_a_png_above_the_cap_is_refused_with_the_limit_in_plain_words():
    # 20 MP in 1-bit black and white: a few kilobytes, accepted under the old 40 MP cap.
    refused = inspect_upload("scan.png", _save(Image.new("1", (5000, 4000)), "PNG"))
    assert isinstance(refused, Refused)
    assert refused.reason.startswith("Image trop grande (5000 × 4000 pixels) : 16 millions de pixels au maximum.")
    accepted = inspect_upload("scan.png", _save(Image.new("1", (4000, 4000)), "PNG"))
    assert isinstance(accepted, Accepted) and (accepted.width, accepted.height) == (4000, 4000)


def test_a_big_jpeg_is_read_at_a_reduced_scale_upright_and_without_exif():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to display
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 24.0)  # GPS latitude
    # A 54 MP photo (a phone's high-resolution mode), grey to keep the test light.
    photo = _save(Image.new("L", (9000, 6000), 180), "JPEG", quality=80, exif=exif.tobytes())
    accepted = inspect_upload("photo.jpg", photo)
    assert isinstance(accepted, Accepted), accepted
    # Decoded at 1/2 scale (4500 x 3000), then turned upright.
    assert (accepted.width, accepted.height) == (3000, 4500)
    assert accepted.width * accepted.height <= MAX_PIXELS
    with Image.open(io.BytesIO(accepted.clean_bytes)) as stored:
        assert stored.size == (3000, 4500)
        assert "exif" not in stored.info and len(stored.getexif()) == 0


@pytest.mark.parametrize(
    ("case", "name", "factory", "limit"),
    [
        ("png, 20 MP declared", "a.png", lambda: _with_size(_save(Image.new("1", (8, 8)), "PNG"), 5000, 4000), 16),
        ("png bomb", "a.png", lambda: _with_size(_save(Image.new("1", (8, 8)), "PNG"), 100_000, 100_000), 16),
        (
            "progressive jpeg, 20 MP declared",
            "a.jpg",
            lambda: _with_size(_save(Image.new("RGB", (16, 16)), "JPEG", progressive=True), 5000, 4000),
            16,
        ),
        (
            "jpeg, 144 MP declared",
            "a.jpg",
            lambda: _with_size(_save(Image.new("RGB", (16, 16)), "JPEG"), 12000, 12000),
            120,
        ),
        ("jpeg bomb", "a.jpg", lambda: _with_size(_save(Image.new("RGB", (16, 16)), "JPEG"), 65000, 65000), 120),
    ],
)
def test_a_huge_declared_size_in_a_tiny_file_is_refused_before_any_pixel(no_pixel_decoded, case, name, factory, limit):
    data = factory()
    assert len(data) < 2000, case
    refused = inspect_upload(name, data)
    assert isinstance(refused, Refused), case
    assert f"{limit} millions de pixels au maximum" in refused.reason, (case, refused.reason)


class HeldLoads:
    """Replaces Pillow's load: each decode waits for `release`; counts how many run at once."""

    def __init__(self, monkeypatch):
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.running = self.peak = 0
        self.order: list[tuple[int, int]] = []
        real_load = ImageFile.ImageFile.load

        def held_load(image):
            with self.lock:
                self.order.append(image.size)
                self.running += 1
                self.peak = max(self.peak, self.running)
            try:
                assert self.release.wait(30), "the test never released the decodes"
                return real_load(image)
            finally:
                with self.lock:
                    self.running -= 1

        monkeypatch.setattr(ImageFile.ImageFile, "load", held_load)


def _wait_until(condition, what: str) -> None:
    # Waits for a state, asserts nothing about time; the bound only stops a hung test.
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


def _queued(caplog) -> int:
    return sum("queued" in record.getMessage() for record in caplog.records)


def _burst(owners: list[str], data: bytes) -> tuple[threading.Thread, list]:
    """ingest() one copy of `data` per owner at once, on an event loop in another thread."""
    outcomes: list = []

    async def burst():
        return await asyncio.gather(
            *(pipeline.ingest(owner, f"{owner}.png", io.BytesIO(data), len(data)) for owner in owners)
        )

    thread = threading.Thread(target=lambda: outcomes.extend(asyncio.run(burst())))
    thread.start()
    return thread, outcomes


# 3000 x 3000 RGB: 36 MB once decoded, a heavy decode.
HEAVY_PNG = _save(Image.new("RGB", (3000, 3000), (20, 90, 160)), "PNG")


def test_one_user_never_runs_two_heavy_decodes_at_once(monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger=decoding.__name__)
    loads = HeldLoads(monkeypatch)
    thread, outcomes = _burst(["alice", "alice"], HEAVY_PNG)
    try:
        _wait_until(lambda: loads.running == 2 or (loads.running == 1 and _queued(caplog) == 1), "second decode")
        assert loads.peak == 1, "the same user's second image was decoded while the first one was"
    finally:
        loads.release.set()
        thread.join()
    assert loads.peak == 1
    assert [type(outcome) for outcome in outcomes] == [Accepted, Accepted]


def test_a_burst_from_many_users_stays_within_the_decode_budget(monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger=decoding.__name__)
    # Room for two of these images at once (36 MB each), not three.
    monkeypatch.setattr(decoding.GATE, "budget", 80 * MIB)
    loads = HeldLoads(monkeypatch)
    thread, outcomes = _burst([f"user{i}" for i in range(6)], HEAVY_PNG)
    try:
        # The pool has WORKERS threads: two decode, the others wait at the gate.
        _wait_until(
            lambda: loads.running > 2 or (loads.running == 2 and _queued(caplog) == pipeline.WORKERS - 2),
            "the decodes that fit, the others queued",
        )
        assert loads.peak == 2
    finally:
        loads.release.set()
        thread.join()
    assert loads.peak == 2
    assert [type(outcome) for outcome in outcomes] == [Accepted] * 6


def test_small_images_do_not_overtake_a_big_one_waiting_for_the_budget(monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger=decoding.__name__)
    monkeypatch.setattr(decoding.GATE, "budget", 80 * MIB)
    loads = HeldLoads(monkeypatch)
    big = _save(Image.new("RGB", (2500, 6000), (20, 90, 160)), "PNG")  # 60 MB decoded
    small = _save(Image.new("RGB", (1000, 1000), (20, 90, 160)), "PNG")  # 4 MB decoded
    threads = [
        threading.Thread(target=images.clean_image, args=(data, "png", owner))
        for data, owner in ((HEAVY_PNG, "alice"), (big, "bob"), (small, "carol"))
    ]
    try:
        threads[0].start()
        _wait_until(lambda: loads.running == 1, "alice's decode")
        threads[1].start()
        _wait_until(lambda: _queued(caplog) == 1, "bob's big image waiting for the budget")
        threads[2].start()
        # Carol's 4 MB would fit beside Alice's 36 MB, but Bob came first.
        _wait_until(lambda: loads.running == 2 or _queued(caplog) == 2, "carol's image")
        assert loads.running == 1, "a small image overtook the big one waiting for its turn"
    finally:
        loads.release.set()
        for thread in threads:
            if thread.ident:
                thread.join()
    # Then Bob and Carol fit together (Pillow calls load again once the pixels are there).
    first_loads = list(dict.fromkeys(loads.order))
    assert first_loads[0] == (3000, 3000) and sorted(first_loads[1:]) == [(1000, 1000), (2500, 6000)]


def test_a_decode_that_waits_too_long_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr(decoding, "QUEUE_SECONDS", 0.05)
    loads = HeldLoads(monkeypatch)
    thread, outcomes = _burst(["alice"], HEAVY_PNG)
    try:
        _wait_until(lambda: loads.running == 1, "first decode")
        refused = inspect_upload("second.png", HEAVY_PNG, "alice")
    finally:
        loads.release.set()
        thread.join()
    assert isinstance(refused, Refused) and refused.reason == decoding.MSG_BUSY
    assert isinstance(outcomes[0], Accepted)


def _mpo(*extra: bytes) -> bytes:
    """A phone-style JPEG with a declared secondary picture (MPO), then `extra` bytes."""
    primary = Image.new("RGB", (640, 480), (200, 100, 50))
    return _save(primary, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48))]) + b"".join(extra)


def test_a_phone_jpeg_with_a_declared_secondary_picture_is_accepted_and_nothing_after_it():
    accepted = inspect_upload("IMG_0001.jpg", _mpo())
    assert isinstance(accepted, Accepted) and (accepted.width, accepted.height) == (640, 480)
    with Image.open(io.BytesIO(accepted.clean_bytes)) as stored:
        assert stored.format == "JPEG"  # re-encoded: the secondary picture is not kept
    refused = inspect_upload("IMG_0002.jpg", _mpo(b"PK\x03\x04 hidden archive"))
    assert isinstance(refused, Refused) and "données cachées" in refused.reason
