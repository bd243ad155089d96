"""The build cache: outputs kept by a digest of exactly what they are made from, so a build
re-makes only what changed and takes the rest as it was.

Where: $KULTURSKOLE_CACHE, else $XDG_CACHE_HOME/kulturskole, else ~/.cache/kulturskole (course/
README.md names it; deleting it is always safe). `kulturskole build --no-cache` neither reads nor
writes it. After each build, entries none of the last KEEP_BUILDS builds used are deleted (`prune`).

What a key is made of (`key()`): the toolkit (every file of the builder package, its templates,
the learner assets and Designsystemet files it links to, the Python version and the versions of
the distributions it requires, transitively; not every installed one), SOURCE_DATE_EPOCH (archives carry it), and the inputs of the one output:
  * a format's whole output: its name, --module and a digest of the whole course model (every
    field of every frozen dataclass, media bytes included; `model_digest`), or, for a format that
    shows no page text (`Format.page_texts` False: the guide, the packs, the calendar), of
    everything of the course but the pages' texts (builder/render/site.py outline_digest);
  * the Moodle room kit (the packs' PDFs as Moodle resources): the same outline digest;
  * a PDF: the HTML WeasyPrint lays out (images are inlined in it);
  * a checked package zip: the name and bytes of every file in it;
  * an archive's deflated pieces (builder/infra/packaging.py): their bytes and zlib's version; a
    zip's table of deflated members: its label, its members' names and zlib's version (each member
    in it is taken only for the bytes it was made from; the newest table replaces the one before);
  * a site's stylesheets (builder/render/designsystem.py): Designsystemet's installed versions, what
    its pages and scripts use (components, colour roles, tokens, and of their words only those a
    Designsystemet rule names: `designsystem.named_words()`, itself kept by those versions), the
    course colour and our own stylesheet's text;
  * a manifest's pass of the official XSDs (builder/formats/scorm/xsd.py): its bytes and the XSDs' release;
  * a site's table of pages (builder/render/site.py PageMemo): the edition and everything of the
    course but the pages' texts (titles, reading order, study times, quizzes, glossary, timeline,
    media); each page in it is taken only for the digest of its own text (a module's print page: the
    module's), and the newest table replaces the one before;
  * the Moodle badge's pictures: the course colour.
  * an OLX chapter (builder/formats/olx/export.py): its module, and everything of the course but the
    pages' texts (builder/render/site.py outline_digest);
So a page edit changes the course digest (every format that shows page texts is rebuilt), but only that page and
its module's print page are rendered again, a PDF whose HTML does not contain the page is taken from
the cache and WeasyPrint is not even imported, and a package whose files did not change is neither
zipped nor checked again.

Why it stays correct:
  * an entry is written under a temporary name and renamed into place in one step, so a reader
    sees a whole entry or none, and concurrent builds that make the same entry both succeed;
  * every file of an entry is stored with its SHA-256 and checked when read: a broken or changed
    entry is deleted and rebuilt, never used (a format's files are hard links to the files it
    put in dist/, which no build changes in place: a file changed through dist/ fails the check);
  * a model holding a value whose text is not stable (`<object at 0x…>`) is not cached at all.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import pickle
import re
import shutil
import sys
from enum import Enum
from functools import lru_cache
from pathlib import Path, PurePath

from builder.infra import files
from builder.infra.installed import metadata_folders, normalised

VERSION = "1"
_DISABLED = False


def disable() -> None:
    """--no-cache: nothing is read from or written to the cache in this process (and its workers)."""
    global _DISABLED
    _DISABLED = True


def root() -> Path | None:
    if _DISABLED or os.environ.get("KULTURSKOLE_NO_CACHE"):
        return None
    chosen = os.environ.get("KULTURSKOLE_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kulturskole"


@lru_cache(maxsize=1)
def toolkit_digest() -> str:
    """Everything of the toolkit an output can depend on, read once per process."""
    from builder.infra.digests import Digests, NotPlain
    from builder.infra.paths import PACKAGE
    h = hashlib.sha256(f"{VERSION}\n{sys.version}\n".encode())
    # Its 212 files (2.5 MB) are read again only when their stat() changed (builder/infra/digests.py).
    digests, top = Digests(str(PACKAGE)), len(str(PACKAGE)) + 1
    for folder, dirs, names in os.walk(PACKAGE, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            h.update(path[top:].encode() + b"\0")
            try:
                h.update(bytes.fromhex(digests.sha256(path)))
            except NotPlain:
                with open(path, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
    digests.save()
    h.update(_distributions().encode())
    return h.hexdigest()


OWN = "kulturskole-kurs"                   # setup.cfg's name: the distribution whose requirements a build uses
_REQUIRES = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?[^;]*(?:;(.*))?")
_EXTRA = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")


def _distributions() -> str:
    """The distributions a build can use, by their metadata folders' names (name-version.dist-info) and
    entry points: ours and every one that registers a format (builder/formats/__init__.py), and what
    they require, transitively (extras only when a requirement asks for them; markers otherwise taken
    as true, so a dependency is never left out). Not every installed one: installing a profiler or a
    test tool made every build cold. Listing the folders takes a millisecond, importlib.metadata
    reading every METADATA file a second; here only the ~25 needed are read, up to their first blank
    line. The entry points count because the formats a build makes by default are the registered
    ones, and an editable install's registrations change without a new version."""
    found = metadata_folders()                  # normalised name → its metadata folder, the first on sys.path
    points = {}
    for name, folder in found.items():
        try:
            with open(os.path.join(folder, "entry_points.txt"), "rb") as f:
                points[name] = f.read()
        except OSError:
            points[name] = b""
    wanted = [(OWN, ())] + [(name, ()) for name, text in points.items() if b"[kulturskole.formats]" in text]
    used: set[str] = set()
    while wanted:
        name, extras = wanted.pop()
        if name not in found or (name in used and not extras):
            continue
        used.add(name)
        for requirement, asked, marker in _requirements(found[name]):
            needs = _EXTRA.search(marker or "")
            if needs is None or needs.group(1) in extras:
                wanted.append((normalised(requirement), tuple(e.strip() for e in (asked or "").split(",") if e.strip())))
    # Our own by its name alone: its code is in the digest already, and `python -m builder` in the
    # repository finds the setuptools egg-info there first, `kulturskole` the installed dist-info.
    return "\n".join(f"{name if name == OWN else os.path.basename(found[name])} {hashlib.sha256(points[name]).hexdigest()}"
                     for name in sorted(used))


def _requirements(folder: str):
    """(name, extras, marker) of each requirement in a metadata folder: METADATA's Requires-Dist lines,
    or an egg-info's requires.txt (its `[extra]` and `[:marker]` sections)."""
    try:
        with open(os.path.join(folder, "METADATA"), encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.strip():
                    return                      # the headers end here; the description follows
                if line.startswith("Requires-Dist:"):
                    yield _REQUIRES.match(line[len("Requires-Dist:"):].strip()).groups()
        return
    except OSError:
        pass
    try:
        with open(os.path.join(folder, "requires.txt"), encoding="utf-8") as f:
            section = ""
            for line in f:
                line = line.strip()
                if line.startswith("["):
                    section = line[1:-1].split(":")[0]
                elif line:
                    name, asked, marker = _REQUIRES.match(line).groups()
                    yield name, asked, f'extra == "{section}"' if section else marker
    except OSError:
        pass


class Unstable(Exception):
    """A value whose text changes from run to run: it cannot be part of a key."""


def model_digest(value) -> str:
    h = hashlib.sha256()
    _feed(h, value)
    return h.hexdigest()


# id(object) → (object, digest) of frozen dataclasses digested in this process: a build digests the
# same modules again for each package it keys (scorm/package.py: a module's package is keyed by
# the digest of `course.only(module)`, which holds the other modules that define glossary terms).
# The entry holds the object, so its id is not reused while it is there.
_DIGESTS: dict[int, tuple[object, bytes]] = {}


def _dataclass_digest(value) -> bytes:
    known = _DIGESTS.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    h = hashlib.sha256(f"<{type(value).__qualname__}".encode())
    for f in dataclasses.fields(value):
        h.update(f.name.encode() + b"=")
        _feed(h, getattr(value, f.name))
    digest = h.digest()
    if value.__dataclass_params__.frozen:
        if len(_DIGESTS) > 100_000:         # a preview runs for hours: forget old models
            _DIGESTS.clear()
        _DIGESTS[id(value)] = (value, digest)
    return digest


def kept_digest(value) -> bytes | None:
    """The digest of a frozen dataclass, to keep beside a copy of it (the loader's memo pickles
    parts of the model); None for anything else."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and value.__dataclass_params__.frozen:
        return _dataclass_digest(value)
    return None


def remember_digest(value, digest: bytes) -> None:
    """`value` is a copy of a frozen dataclass whose `kept_digest` was `digest`: the model digest of
    a course of such parts need not walk them again (the whole real course: 0.09 s idle)."""
    _DIGESTS[id(value)] = (value, digest)


def _feed(h, value) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(b"d" + _dataclass_digest(value))
    elif isinstance(value, bytes):
        h.update(b"b%d:" % len(value) + value)
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data) + data)
    elif isinstance(value, (tuple, list, frozenset, set)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        h.update(f"{type(value).__name__}{len(items)}[".encode())
        for item in items:
            _feed(h, item)
        h.update(b"]")
    elif isinstance(value, dict):
        h.update(f"dict{len(value)}{{".encode())
        for k in sorted(value, key=repr):
            _feed(h, k)
            _feed(h, value[k])
        h.update(b"}")
    elif value is None or isinstance(value, (bool, int, float, Enum, datetime.date, datetime.time,
                                             datetime.timedelta, PurePath)):
        h.update(f"{type(value).__name__}:{value!r};".encode())
    else:
        text = repr(value)
        if " at 0x" in text:
            raise Unstable(type(value).__qualname__)
        h.update(f"{type(value).__qualname__}:{text};".encode())


def key(kind: str, *parts) -> str:
    h = hashlib.sha256(f"{kind}\n{toolkit_digest()}\n{os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    for part in parts:
        h.update(hashlib.sha256(part if isinstance(part, bytes) else str(part).encode()).digest())
    return h.hexdigest()


def _entry(kind: str, k: str) -> Path | None:
    base = root()
    return None if base is None else base / f"v{VERSION}" / kind / k[:2] / k


def get_tree(kind: str, k: str, target: Path) -> dict[str, str] | None:
    """Copy the cached folder `k` to `target` (which must not exist) and return its listing (path →
    SHA-256, every file checked against it on the way); None when the cache has no whole, intact
    entry for it (a broken one is deleted)."""
    entry = _entry(kind, k)
    if entry is None or not entry.is_dir():
        return None
    try:
        listing = json.loads((entry / ".files.json").read_text(encoding="utf-8"))
        target.mkdir(parents=True)
        for rel, digest in listing.items():
            data = files.read_checked(entry / rel, digest)
            if data is None:
                raise ValueError(f"{rel} does not match its digest")
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            files.linked(entry / rel, target / rel, data)
        used(entry)
        return listing
    except (OSError, ValueError):
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(entry, ignore_errors=True)
        return None


def put_tree(kind: str, k: str, folder: Path) -> dict[str, str] | None:
    """Keep a copy of `folder` under `k` and return its listing (path → SHA-256), which the caller
    may keep instead of hashing the same files again; None (and nothing kept) when the entry is
    there already or the cache cannot be written."""
    entry = _entry(kind, k)
    if entry is None or entry.exists():
        if entry is not None:
            used(entry)
        return None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with files.written(entry, folder=True) as tmp:
            listing = {}
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                rel = path.relative_to(folder).as_posix()
                data = path.read_bytes()
                listing[rel] = files.sha256(data)
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                files.linked(path, tmp / rel, data)
            (tmp / ".files.json").write_text(json.dumps(listing), encoding="utf-8")
        return listing
    except OSError:
        return None


def holds(kind: str) -> bool:
    """Whether the build cache has any entry of `kind`: False without a cache or with an empty one,
    when a build makes everything of that kind itself."""
    base = root()
    if base is None:
        return False
    try:
        with os.scandir(base / f"v{VERSION}" / kind) as entries:
            return any(entries)
    except OSError:
        return False


def get_blob(kind: str, k: str) -> bytes | None:
    entry = _entry(kind, k)
    if entry is None:
        return None
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    data = files.unsealed(raw)
    if data is None:
        entry.unlink(missing_ok=True)
        return None
    used(entry)
    return data


def put_blob(kind: str, k: str, data: bytes, *, replace: bool = False) -> None:
    """Keep `data` under `k`; an entry already there is kept as it is, unless `replace` (a table
    of what was made, builder/infra/packaging.py, that the newest build's table replaces)."""
    entry = _entry(kind, k)
    if entry is None or (entry.exists() and not replace):
        if entry is not None:
            used(entry)
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with files.written(entry) as tmp:
            tmp.write_bytes(files.sealed(data))
    except OSError:
        return


def table(kind: str, k: str | None) -> dict:
    """The table (a dict) kept under `k` by put_table: {} when there is none, no cache (`k` None) or
    one this toolkit cannot read. A table is a lookup of what a build made, one entry per part, each
    naming the digest of what it was made from: the caller takes an entry only when that digest is
    its part's, so a stale table costs making the part again, never a wrong byte (a site's pages,
    builder/render/site.py; a zip's deflated members, builder/infra/packaging.py)."""
    found = get_blob(kind, k) if k is not None else None
    try:
        return pickle.loads(found) if found is not None else {}
    except Exception:           # another toolkit's classes, or garbage: made again, and replaced
        return {}


def put_table(kind: str, k: str | None, value: dict) -> None:
    """Keep `value` as the table under `k`, in place of the one there (the newest build's is kept)."""
    if k is not None:
        put_blob(kind, k, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), replace=True)


def key_or_none(make) -> str | None:
    """make() (a key, or a digest one is made of) when a build cache is in use and what it digests has
    a stable text; None otherwise, and the output is then made and not kept."""
    if root() is None:
        return None
    try:
        return make()
    except Unstable:
        return None


def kept(kind: str, k: str | None, make, *, pickled: bool = False):
    """make(), or what it made before under the key `k` in the build cache (None: no cache, make it).
    Bytes are kept as they are; with `pickled` any value is kept pickled, and an entry this toolkit
    cannot unpickle is made again and replaced. The one «take it by its digest, else make it and put
    it» of the build's small outputs (deflated archive pieces, stylesheets, OLX chapters, …)."""
    if k is None:
        return make()
    found = get_blob(kind, k)
    if found is not None:
        if not pickled:
            return found
        try:
            return pickle.loads(found)
        except Exception:       # written by another toolkit's classes: make it again, in its place
            entry = _entry(kind, k)
            if entry is not None:
                entry.unlink(missing_ok=True)
    value = make()
    put_blob(kind, k, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) if pickled else value)
    return value


# Pruning: the cache keeps what the last KEEP_BUILDS builds used and nothing else. Every edit adds
# entries (the real course: +12 MB per one-page edit of the bokmål edition, measured 19:00; most of
# it each format's whole output), so without this the folder grows for as long as an editor works;
# with it, it holds about one build plus ten edits (~0.2 GB for bokmål, twice that with nynorsk).
# An entry is marked used by its modification time (`used`, one utime() per hit: ~500 in a warm
# build after an edit, a few ms); each build notes when it started (`now`) and afterwards (`prune`)
# deletes every entry not used since the oldest of the last KEEP_BUILDS builds started. So a warm
# build finds everything the build before it used, and a build of another course, a --module build
# or a one-format build in between takes one place of ten. It is safe against concurrent builds,
# because no reader trusts an entry it has not checked: an entry deleted while another build reads
# it is a miss (that build makes it again), and a temporary file deleted before its rename makes
# that put fail quietly. The scan costs ~10 ms (1,500 entries, load 15); no build reads it.
KEEP_BUILDS = 10
_BUILDS = "builds"          # v<VERSION>/builds: when the last KEEP_BUILDS builds started (sealed JSON)


def used(entry) -> None:
    """Mark the cache entry `entry` (a file or folder) used now, so pruning keeps it."""
    try:
        os.utime(entry)
    except OSError:
        pass


def now() -> int | None:
    """Now by the clock of the cache's file system (the one entries' modification times are
    written by), for `prune`; None when there is no cache."""
    base = root()
    if base is None:
        return None
    try:
        top = base / f"v{VERSION}"
        top.mkdir(parents=True, exist_ok=True)
        from builder.infra.digests import clock
        return clock(str(top))
    except OSError:
        return None


def prune(started: int | None) -> None:
    """After a build that began at `started` (`now()`): note it among the last builds and delete
    every entry none of the last KEEP_BUILDS builds used. Each entry is v<VERSION>/<kind>/<xx>/<name>."""
    base = root()
    if base is None or started is None:
        return
    top = base / f"v{VERSION}"
    builds = top / _BUILDS
    try:
        starts = json.loads(files.unsealed(builds.read_bytes()) or b"[]")
    except (OSError, ValueError):        # the first build, or a damaged file: counting starts again
        starts = []
    try:
        starts = sorted({s for s in starts if isinstance(s, int)} | {started})[-KEEP_BUILDS:]
        with files.written(builds) as tmp:
            tmp.write_bytes(files.sealed(json.dumps(starts).encode()))
    except (OSError, ValueError):
        return
    if len(starts) < KEEP_BUILDS:
        return
    oldest = starts[0]
    for kind in _folders(top):
        for prefix in _folders(kind.path):
            for entry in _entries(prefix.path):
                try:
                    if entry.stat(follow_symlinks=False).st_mtime_ns >= oldest:
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path, ignore_errors=True)
                    else:
                        os.unlink(entry.path)
                except OSError:
                    continue
            try:
                os.rmdir(prefix.path)        # only when empty; a put meanwhile makes it again
            except OSError:
                pass


def _entries(path) -> list:
    """What is in `path`; nothing when `path` is gone: a build pruning at the same time may have
    removed it after this one listed it (two builds into one --out failed so, with
    FileNotFoundError for a v1/page/<xx> folder, after dist/ was in place)."""
    try:
        with os.scandir(path) as found:
            return list(found)
    except OSError:
        return []


def _folders(path) -> list:
    return [entry for entry in _entries(path) if entry.is_dir(follow_symlinks=False)]
