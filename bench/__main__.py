"""Run every benchmark of this package."""

from bench import draft_autosave

if __name__ == "__main__":
    raise SystemExit(draft_autosave.main())
