"""Names the OLX edition gives to things the web edition does not need (sequential titles...).

The learner-facing strings of the course's language come from builder.infra.strings (assets/i18n);
these few are OLX-only and fall back to bokmål for a language without its own entry."""

from __future__ import annotations

from builder.infra import strings

_OLX = {
    "nb": {
        "reading": "Lesestoff",
        "question": "Spørsmål {n}",
        "about_modules": "Moduler",
        "about_dates": "Samlinger",
        "about_when": "Tid",
        "no_dates": "Datoene for samlingene settes når kurset settes opp.",
        "minutes_total": "Anslått tid for nettdelen: {n} minutter.",
        "homework_intro": "Om oppgaven",
        "handouts": "Kilder",
        "pass_mark": "Du må ha minst {mastery} prosent riktige svar for å bestå.",
    },
    "nn": {
        "reading": "Lesestoff",
        "question": "Spørsmål {n}",
        "about_modules": "Modular",
        "about_dates": "Samlingar",
        "about_when": "Tid",
        "no_dates": "Datoane for samlingane blir sette når kurset blir sett opp.",
        "minutes_total": "Rekna tid for nettdelen: {n} minutt.",
        "homework_intro": "Om oppgåva",
        "handouts": "Kjelder",
        "pass_mark": "Du må ha minst {mastery} prosent rette svar for å bestå.",
    },
}


def labels(language: str) -> dict[str, str]:
    ui = dict(strings.catalogue(language if language in strings.LANGUAGES else "nb"))
    ui.update(_OLX.get(language, _OLX["nb"]))
    return ui
