"""Generate a synthetic course of N modules for the benchmark: each module 5 Markdown pages of
about 450 words and a 5-question multiple-choice quiz, the shape the issue's peers were measured on."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = ("kulturskolen kommunen barn unge samarbeid skole barnehage politikere administrasjon planer "
         "budsjett medvirkning fellesskap musikk dans teater visuell kunst utvikling tjenester ansvar "
         "roller mål arbeid lokal region samling hjemmeoppgave refleksjon dialog gruppe innbyggere").split()


def paragraph(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def page(rng, title: str) -> str:
    parts = [f"---\ntitle: {title}\n---\n"]
    for i in range(5):
        parts.append(f"## Del {i + 1}\n\n{paragraph(rng, 45)} **{rng.choice(WORDS)}** {paragraph(rng, 40)}\n")
    parts.append("- " + "\n- ".join(paragraph(rng, 5) for _ in range(3)) + "\n")
    return "\n".join(parts)


def generate(target: Path, modules: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (target / "modules").mkdir(parents=True, exist_ok=True)
    ids = [f"modul-{i:04d}" for i in range(1, modules + 1)]
    (target / "course.yml").write_text(
        "id: benchmark\ntitle: Benchmark\nlanguage: nb\nversion: 1.0.0\nmastery_score: 80\n"
        "competence_goals:\n  - id: k1\n    title: Mål\n"
        "modules:\n" + "".join(f"  - {m}\n" for m in ids), encoding="utf-8")
    (target / "timeline.yml").write_text(
        "election_period: 2027-2031\ngatherings:\n  - id: s1\n    title: Én\n    week: 0\n"
        "  - id: s2\n    title: To\n    week: 20\n", encoding="utf-8")
    for m in ids:
        folder = target / "modules" / m
        folder.mkdir()
        (folder / "module.yml").write_text(f"title: {m}\nsummary: En modul.\n", encoding="utf-8")
        for p in range(1, 6):
            (folder / f"{p:02d}-side-{p}.md").write_text(page(rng, f"Side {p}"), encoding="utf-8")
        questions = []
        for q in range(1, 6):
            options = "".join(
                f"      - text: Svar {o}\n        explanation: {paragraph(rng, 8)}\n" + ("        correct: true\n" if o == 1 else "")
                for o in range(1, 5))
            questions.append(f"  - id: {m}-q{q}\n    type: single\n    goals: [k1]\n    reference: Rammeverket\n"
                             f"    text: {paragraph(rng, 10)}\n    options:\n{options}")
        (folder / "quiz.yml").write_text("title: Quiz\nquestions:\n" + "".join(questions), encoding="utf-8")
    return target


if __name__ == "__main__":
    import sys
    generate(Path(sys.argv[1]), int(sys.argv[2]))
