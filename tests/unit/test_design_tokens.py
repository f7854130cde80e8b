"""The design tokens are the one place colours are written: the :root block at the top of
assets/portal.css. A raw colour anywhere else (the rest of the stylesheet, any other stylesheet or
script of assets/, the portal's Python: components, pages, states) fails here, as does a token
used but never declared."""

from __future__ import annotations

import re
from pathlib import Path

from portal_app import demarches

ROOT = Path(__file__).resolve().parents[2]
STYLESHEET = ROOT / "assets" / "portal.css"
RAW_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(")
# The one raw colour Python must write: a <meta name="theme-color"> cannot read a CSS variable.
THEME_COLOUR_FILE = ROOT / "portal_app" / "portal_app.py"


def stylesheet_parts() -> tuple[str, str]:
    text = STYLESHEET.read_text(encoding="utf-8")
    start = text.index(":root {")
    end = text.index("\n}\n", start) + 3
    return text[start:end], text[end:]


def tokens() -> dict[str, str]:
    root, _ = stylesheet_parts()
    return dict(re.findall(r"--([a-z0-9-]+):\s*([^;]+);", root))


def test_the_stylesheet_writes_colours_only_in_its_tokens():
    _, rules = stylesheet_parts()
    found = [line.strip() for line in rules.splitlines() if RAW_COLOUR.search(line)]
    assert found == [], "raw colours outside :root; add a token and use var(--name):\n" + "\n".join(found)


def test_no_other_asset_writes_a_raw_colour():
    # A script setting a style, or a second stylesheet, would bypass the tokens just as well.
    others = [path for path in sorted((ROOT / "assets").rglob("*")) if path.suffix in (".css", ".js")]
    assert STYLESHEET in others
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in others
        if path != STYLESHEET
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_COLOUR.search(line)
    ]
    assert found == [], "raw colours in assets; use var(--token) from assets/portal.css:\n" + "\n".join(found)


DEV_PROVIDER = ROOT / "portal_app" / "fc_provider"


def test_python_writes_no_raw_colour():
    found = []
    for path in sorted((ROOT / "portal_app").rglob("*.py")):
        if DEV_PROVIDER in path.parents:
            continue  # it stands for FranceConnect's own pages, not the portal's design
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("  #", 1)[0] if not line.lstrip().startswith("#") else ""
            if RAW_COLOUR.search(code) and not (path == THEME_COLOUR_FILE and "theme-color" in code):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "raw colours in Python; use a class of assets/portal.css or var(--token):\n" + "\n".join(found)


def test_the_theme_colour_is_the_brand_token():
    meta = re.search(r'"theme-color", content="(#[0-9a-fA-F]+)"', THEME_COLOUR_FILE.read_text(encoding="utf-8"))
    assert meta is not None and meta.group(1).lower() == tokens()["blue"].lower()


def test_every_token_used_is_declared():
    # Tokens, and the few properties a rule sets for its own children (.icon--x sets --icon).
    declared = set(tokens()) | set(re.findall(r"--([a-z0-9-]+):", STYLESHEET.read_text(encoding="utf-8")))
    used = set(re.findall(r"var\(--([a-z0-9-]+)", STYLESHEET.read_text(encoding="utf-8")))
    for path in (ROOT / "portal_app").rglob("*.py"):
        used |= set(re.findall(r"var\(--([a-z0-9-]+)", path.read_text(encoding="utf-8")))
    assert used - declared == set()


def test_every_status_colour_has_its_tag():
    _, rules = stylesheet_parts()
    colours = {status.colour for demarche in demarches.all_demarches() for status in demarche.statuses}
    assert {colour for colour in colours if f".tag--{colour} " not in rules} == set()


def test_the_tokens_cover_colours_spacing_radii_and_type():
    names = set(tokens())
    assert {"blue", "text", "error", "success", "warning"} <= names
    assert {"space-1", "space-4", "radius", "text-sm", "text-base", "text-3xl"} <= names
