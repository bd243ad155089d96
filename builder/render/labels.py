"""The model's language-neutral markers labelled in the edition's language.

The loader leaves the words of the interface out of the model (builder/model/markup.py): a box
carries its kind, a true/false option only its id, an untitled day of a gathering its number.
`labelled(course)` is the course as an edition shows it, with the labels from the interface texts
of the course's language (assets/i18n/). Every renderer starts from it, so a format never sees a
marker; labelling twice changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import fields, is_dataclass, replace

from builder.model import Course, Question, ScriptDay, markup
from builder.infra import strings


# id(course) → (course, its labelled course); the labelled course maps to itself. A course is
# frozen, so one object always labels the same; the entry holds the object, so its id is not reused.
# Measured 13:20 (cProfile of a warm build after a page edit, every format, one core): labelled()
# ran 126 times (each format, each printed document) and walked 509,090 values: 13.2 s of 54.5 s.
_LABELLED: dict[int, tuple[Course, Course]] = {}


def labelled(course: Course) -> Course:
    known = _LABELLED.get(id(course))
    if known is not None and known[0] is course:
        return known[1]
    done = labelled_part(course, course.language)
    _derived_digests(course, done, course.language)
    if len(_LABELLED) > 16:       # a preview rebuilds for hours: keep the latest courses only
        _LABELLED.clear()
    _LABELLED[id(course)] = (course, done)
    _LABELLED[id(done)] = (done, done)
    return done


def _derived_digests(source: Course, done: Course, language: str) -> None:
    """Give the labelled course's new parts (the course, each changed module, …) the model digest
    `labelled:<language>:` + their source's, so the cache keys of every format (a SCORM package is
    keyed by the digest of `course.only(module)`) need not hash the labelled course again: the
    loader's memo knows the source's digests. Labelling is a function of the part, the language and
    the toolkit's interface texts (in every key), so equal digests still mean equal parts. Hashing
    the labelled course was done once in each worker process and by the preview for each save."""
    from builder.infra import cache
    tag = f"labelled:{language}:".encode()

    def derive(old, new) -> None:
        if new is old:
            return
        if isinstance(new, tuple) and isinstance(old, tuple) and len(new) == len(old):
            for a, b in zip(old, new):
                derive(a, b)
            return
        digest = cache.kept_digest(old)
        if digest is not None and type(new) is type(old):        # so `new` is a frozen dataclass too
            cache.remember_digest(new, hashlib.sha256(tag + digest).digest())

    try:
        for f in fields(source):
            derive(getattr(source, f.name), getattr(done, f.name))
        derive(source, done)
    except cache.Unstable:      # such a course is not cached at all (cache.key_or_none)
        pass


def labelled_part(value, language: str):
    """Any part of a course's model (a module, the timeline, …) labelled as labelled() labels it
    inside the course: labelling is part by part, so a caller may label only the parts that changed."""
    ui = strings.catalogue(language)
    boxes = {kind: ui[f"box_{kind}"] for kind in markup.BOX_KINDS}
    return _walk(value, boxes, ui)


def _walk(value, boxes: dict, ui: dict):
    if isinstance(value, str):
        return markup.label_boxes(value, boxes)
    if isinstance(value, tuple):
        out = tuple(_walk(v, boxes, ui) for v in value)
        return value if all(a is b for a, b in zip(out, value)) else out
    if isinstance(value, dict):
        out = {k: _walk(v, boxes, ui) for k, v in value.items()}
        return value if all(out[k] is value[k] for k in value) else out
    if isinstance(value, Question) and value.type == "truefalse":
        value = replace(value, options=tuple(o if o.html else replace(o, html=ui[markup.TRUE_FALSE_LABELS[o.id]])
                                             for o in value.options))
    if isinstance(value, ScriptDay) and not value.title:
        value = replace(value, title=ui["script_day"].format(n=value.number))
    if is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for f in fields(value):
            old = getattr(value, f.name)
            if isinstance(old, (bytes, int, float, bool)) or old is None:
                continue
            new = _walk(old, boxes, ui)
            if new is not old:
                changed[f.name] = new
        return replace(value, **changed) if changed else value
    return value
