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
        # assignment types and their short labels: Open edX shows them on the learner's Progress page
        "type_final_test": "Sluttest", "type_self_test": "Egentest", "type_homework": "Hjemmeoppgave",
        "label_final_test": "Slutt", "label_self_test": "Egen", "label_homework": "Hjem",
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
        "type_final_test": "Sluttest", "type_self_test": "Eigentest", "type_homework": "Heimeoppgåve",
        "label_final_test": "Slutt", "label_self_test": "Eigen", "label_homework": "Heim",
    },
}


def labels(language: str) -> dict[str, str]:
    ui = dict(strings.catalogue(language if language in strings.LANGUAGES else "nb"))
    ui.update(_OLX.get(language, _OLX["nb"]))
    return ui
