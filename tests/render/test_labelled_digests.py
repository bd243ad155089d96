"""The labelled course's parts are digested from their sources' digests (labels._derived_digests), so
each build process need not hash the labelled course again; the cache keys made from them must still
change whenever what the formats show changes."""

from __future__ import annotations

from dataclasses import replace

from builder.infra.cache import model_digest
from builder.model import markup
from builder.render.labels import labelled


def _with_box(module, text: str):
    page = replace(module.pages[0], html=markup.box("law", "", f"<p>{text}</p>") + module.pages[0].html)
    return replace(module, pages=(page, *module.pages[1:]))


def test_a_labelled_module_s_digest_follows_its_source_and_its_language(course):
    """If this broke, a SCORM package (keyed by the digest of the labelled course.only(module)) could
    be taken from the build cache after its module's text was edited, or the nynorsk edition's package
    with the bokmål edition's box titles: learners would get last version's text or the other edition's
    words, and a warm build would differ from a clean one."""
    boxed = replace(course, modules=(_with_box(course.modules[0], "Første utgave"), *course.modules[1:]))
    edited = replace(course, modules=(_with_box(course.modules[0], "Andre utgave"), *course.modules[1:]))
    nynorsk = replace(boxed, language="nn")           # the same module objects, labelled in nynorsk

    first, second, third = labelled(boxed), labelled(edited), labelled(nynorsk)
    assert first.modules[0] is not boxed.modules[0], "the box's label makes a new module"
    assert "Lovhjemmel" in first.modules[0].pages[0].html and "Lovheimel" in third.modules[0].pages[0].html
    assert model_digest(first.modules[0]) != model_digest(second.modules[0])
    assert model_digest(first.modules[0]) != model_digest(third.modules[0])
    assert model_digest(first.only(course.modules[0].id)) != model_digest(second.only(course.modules[0].id))
    again = labelled(replace(course, modules=(_with_box(course.modules[0], "Første utgave"), *course.modules[1:])))
    assert again is not first and model_digest(again.modules[0]) == model_digest(first.modules[0]), \
        "the same text labelled again has the same digest, so a warm build finds its packages"
