"""Small browser calls of the draft pages (see assets/draft_autosave.js for the rest).

The values typed are kept in localStorage under PENDING_PREFIX + dossier id until the
server confirms it saved them; reading them back must work before that script has loaded,
so it is written out here in full.
"""

from __future__ import annotations

import json

PENDING_PREFIX = "portail-brouillon-"


def read_pending(dossier_id: int) -> str:
    key = json.dumps(f"{PENDING_PREFIX}{dossier_id}")
    return f"(() => {{ try {{ return JSON.parse(localStorage.getItem({key}) || '{{}}'); }} catch (e) {{ return {{}}; }} }})()"


def confirm_saved(dossier_id: int, values: dict) -> str:
    """Forget the pending values the server now holds (unless typed over since). Written out
    in full too: a replay right after the page loaded may come before the script."""
    key = json.dumps(f"{PENDING_PREFIX}{dossier_id}")
    done = json.dumps(values)
    return (
        f"(() => {{ const done = {done}; if (window.portailDraft) return window.portailDraft.saved({dossier_id}, done); "
        f"try {{ const p = JSON.parse(localStorage.getItem({key}) || '{{}}'); "
        "for (const [k, v] of Object.entries(done)) { if (k in p && JSON.stringify(p[k]) === JSON.stringify(v)) delete p[k]; } "
        f"if (Object.keys(p).length) localStorage.setItem({key}, JSON.stringify(p)); else localStorage.removeItem({key}); "
        "} catch (e) {} })()"
    )


def drop_pending(dossier_id: int) -> str:
    return f"try {{ localStorage.removeItem({json.dumps(f'{PENDING_PREFIX}{dossier_id}')}); }} catch (e) {{}}"


def after_render(*, focus_heading: bool, url: str | None = None) -> str:
    """Once React has drawn a step: URL in step with it, counters, focus (the title follows
    DraftState.page_title)."""
    parts = []
    if url:
        parts.append(f"window.history.replaceState(window.history.state, '', {json.dumps(url)});")
    mode = "heading" if focus_heading else "restore"
    parts.append(f"setTimeout(() => window.portailDraft && window.portailDraft.afterRender({json.dumps(mode)}), 50);")
    return " ".join(parts)
