"""Output formats: each one a plugin registered in the entry-point group `kulturskole.formats`.

A format is a class with
  * `name`: what `--format NAME` picks and the folder `dist/<name>/` it writes;
  * `description`: one line for `kulturskole build --help`;
  * `__init__(course, options)` and `build(out)`: writes its files into the folder `out`, reading
    only the Course model, never the course sources;
  * optionally `claims(path) -> bool` and `check(path) -> list[Problem]`: `kulturskole check FILE`
    asks every format whether FILE is its own and lets the ones that claim it judge it.
`Format` below is that protocol with its defaults; subclass it.

The built-in formats are registered in setup.cfg exactly as a third party registers its own:

    [options.entry_points]
    kulturskole.formats =
        moodle = my_package.moodle:MoodleFormat

so a new format is a folder under builder/formats/ (or a package of its own) and one line there.
A format's module is imported only when it is used (`load`): a build imports the formats it builds.
The build command runs formats into a temporary folder and moves the results into dist/ only
when every format succeeded.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from builder.infra.installed import metadata_folders

if TYPE_CHECKING:     # not imported at run time: an unchanged build needs neither (builder/infra/unchanged.py)
    from builder.infra.store import Store
    from builder.model import Course

GROUP = "kulturskole.formats"


@dataclass(frozen=True)
class Options:
    module: str | None = None                 # build only this module
    whole_course: bool = False                # SCORM: only the whole-course package, no package per module
    progress: Callable[[str], None] = field(default=lambda message: None)   # shown on a terminal only
    notice: Callable[[str], None] = field(default=lambda message: None)     # shown in every output
    # What several formats of one build need, made once in it (builder/infra/store.py); None
    # when a format is built on its own, outside build().
    store: Store | None = None


class Format:
    name = ""
    description = ""
    # Most formats own a folder, dist/<name>/. A format whose output people open directly (the
    # calendar, the PDFs) names its files here instead; they go straight into dist/.
    files: tuple[str, ...] = ()
    # Laying out PDFs takes most of a whole build; such formats start first, so the quick ones
    # fill the other cores meanwhile instead of leaving one core with the slowest job at the end.
    slow = False
    # Whether the output shows the module pages' texts (their HTML and word counts). One that does
    # not (the guide, the packs, the calendar) is kept in the build cache by the course's outline,
    # everything but those texts (builder/render/site.py outline_digest), so after a page edit it
    # comes from the cache instead of being built again (tests/infra/test_page_texts.py checks it).
    page_texts = True

    def __init__(self, course: Course, options: Options):
        from builder.render.labels import labelled
        self.course = labelled(course)      # the model's markers in the edition's words
        self.options = options

    @classmethod
    def source_problems(cls, course: Course, options: Options) -> list:
        """Problems this format would meet, named at the source file and line, found without
        writing anything: `kulturskole check` runs these for every format, and `build` before it starts."""
        return []

    @classmethod
    def notices(cls, course: Course, options: Options) -> list[str]:
        """What the editor must hear whenever this format is built (a missing date that leaves a
        file out), said before the build starts and whether or not its output comes from the cache."""
        return []

    def build(self, out: Path) -> None:
        raise NotImplementedError

    # Formats that can judge a file also define:
    #   @staticmethod
    #   def claims(path: Path) -> bool: ...        is this file one of mine? (cheap: a look at its name and index)
    #   @staticmethod
    #   def check(path: Path) -> list[Problem]: ...  every problem of the file; [] when it is fine


class FormatsBroken(Exception):
    """A registered format cannot be used; the message says which and what to do."""


def _origin(ep) -> str:
    return f"'{ep.name} = {ep.value}'" + (f" of {ep.dist.name}" if ep.dist else "")


def _broken(problems: list[str]) -> FormatsBroken:
    return FormatsBroken("; ".join(problems) + " — fix or uninstall the package that registers it (for the "
                         "built-in formats: run `pip install -e .` again)")


class _Distribution:
    """What a message needs of a distribution: its name (METADATA's Name, read only when asked)."""

    def __init__(self, folder: str):
        self.folder = folder

    @property
    def name(self) -> str:
        for headers in ("METADATA", "PKG-INFO"):        # a .dist-info's, an .egg-info's
            try:
                with open(os.path.join(self.folder, headers), encoding="utf-8", errors="replace") as f:
                    for line in f:
                        if line.startswith("Name:"):
                            return line[len("Name:"):].strip()
                        if not line.strip():
                            break
            except OSError:
                pass
        return os.path.basename(self.folder).rsplit(".", 1)[0].split("-")[0]


@dataclass(frozen=True)
class _EntryPoint:
    """A registered format as importlib.metadata's EntryPoint has it (name, value, dist, load())."""
    name: str
    value: str
    dist: _Distribution

    def load(self):
        module, _, attrs = self.value.partition(":")
        found = importlib.import_module(module.strip())
        for attr in filter(None, attrs.strip().split(".")):
            found = getattr(found, attr)
        return found


def _registered() -> list[_EntryPoint]:
    """The entry points of GROUP, read as importlib.metadata.entry_points(group=GROUP) reads them: the
    entry_points.txt of each installed distribution's metadata folder (builder/infra/installed.py)."""
    found = []
    for folder in metadata_folders().values():
        try:
            with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as f:
                text = f.read()
        except OSError:
            continue
        section = None
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
            elif section == GROUP and "=" in line and not line.startswith(("#", ";")):
                key, _, value = line.partition("=")
                found.append(_EntryPoint(key.strip(), value.strip(), _Distribution(folder)))
    return found


@lru_cache(maxsize=1)
def _entry_points() -> dict:
    """Every registered format's entry point by name, sorted by name, none of them imported."""
    found: dict = {}
    broken = []
    for ep in _registered():
        if ep.name in found:
            broken.append(f"two formats are called '{ep.name}': {_origin(found[ep.name])} and {_origin(ep)}")
            continue
        found[ep.name] = ep
    if broken:
        raise _broken(broken)
    if not found:
        raise FormatsBroken(f"no output formats are registered (entry-point group {GROUP}) — install the builder "
                            "with `pip install -e .` (again, after pulling a change to setup.cfg)")
    return dict(sorted(found.items()))


def names() -> list[str]:
    """The registered formats' names, sorted, without importing any of them."""
    return list(_entry_points())


_LOADED: dict[tuple[str, str], type[Format] | str] = {}     # (name, target) → the class, or why it cannot be used


def load(*wanted: str) -> dict[str, type[Format]]:
    """The formats named, imported now and not before, as Sphinx and nbconvert load theirs: a build
    imports the formats it builds, `build --help` and `check` every one (`registry`). Importing all
    nine was 0.9 s of a 2.6 s one-format build's profile under load. FormatsBroken names every one
    of `wanted` that cannot be used."""
    points = _entry_points()
    found, broken = {}, []
    for name in wanted:
        ep = points[name]
        key = (ep.name, ep.value)
        if key not in _LOADED:
            _LOADED[key] = _load(ep)
        cls = _LOADED[key]
        if isinstance(cls, str):
            broken.append(cls)
        else:
            found[name] = cls
    if broken:
        raise _broken(broken)
    return found


def _load(ep) -> type[Format] | str:
    try:
        cls = ep.load()
    except Exception as err:   # a plugin's import error must name the plugin, not crash the build anonymously
        return f"the format {_origin(ep)} cannot be loaded: {type(err).__name__}: {err}"
    missing = [a for a in ("name", "description", "build") if not getattr(cls, a, None)]
    if missing or cls.name != ep.name:
        why = f"it has no {', '.join(missing)}" if missing else f"its name is '{cls.name}'"
        return f"the format {_origin(ep)} is not a format: {why}"
    return cls


def registry() -> dict[str, type[Format]]:
    """Every registered format by name, sorted by name, imported; FormatsBroken when one cannot be used."""
    return load(*names())


def forget() -> None:
    """Look for registered formats again (a test that installs a plugin on sys.path)."""
    _entry_points.cache_clear()
    _LOADED.clear()
