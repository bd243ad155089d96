"""The learner-facing interface texts, one catalogue per language in assets/i18n/<lang>.json.

Every catalogue must have the keys of the bokmål one, so another edition is a translation job."""

from __future__ import annotations

import json
from functools import lru_cache

from builder.infra.paths import ASSETS
from builder.infra import typography

CATALOGUES = ASSETS / "i18n"
LANGUAGES = tuple(sorted(p.stem for p in CATALOGUES.glob("*.json")))


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, str]:
    """The texts with Norwegian typography («{mastery} %» keeps its sign on the number's line)."""
    texts = json.loads((CATALOGUES / f"{language}.json").read_text(encoding="utf-8"))
    return {key: typography.text(value) for key, value in texts.items()}


def missing_keys(language: str) -> list[str]:
    """Keys that the bokmål catalogue has and `language` lacks."""
    return sorted(set(catalogue("nb")) - set(catalogue(language)))
