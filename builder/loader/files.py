"""Every file the loader reads from the course: inside the course folder, a plain file, not too big.

A link (symlink) in course/ that points elsewhere (`media/pw.svg -> /etc/passwd`) would publish
that file to every learner, so a path that resolves outside the course folder is refused with the
name the editor sees. Media files must also be what their name says, and an SVG must be a picture
only (builder/loader/svgpolicy.py).
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from functools import lru_cache
from pathlib import Path

from builder.errors import Problems
from builder.loader import svgpolicy

MAX_TEXT = 1024 * 1024          # a page or YAML file: the largest source of the course is 22 kB
MAX_MEDIA = 5 * 1024 * 1024     # an image: packages must stay small enough for phones and LMS upload limits
MEDIA_TYPES = ("png", "jpg", "jpeg", "svg", "webp")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


def inside(path: Path, root: Path) -> bool:
    """True when `path`, with every link followed, is inside `root` (with every link followed)."""
    real = os.path.realpath(path)
    if not os.path.exists(real):          # a dangling link or a loop
        return False
    return real.startswith(_real_root(str(root)))


@lru_cache(maxsize=16)
def _real_root(root: str) -> str:
    # Where the course folder really is, once per process: a loader reads hundreds of files under it.
    return os.path.join(os.path.realpath(root), "")


def read(path: Path, problems: Problems, limit: int, what: str = "file") -> bytes | None:
    """The bytes of a course file, or None after saying why it is refused."""
    root = problems.base
    if root is not None and _under(path, root):
        if path.is_symlink() and not path.exists():
            problems.add(path, 0, "the file is a link to nothing", "replace the link by the file itself")
            return None
        if not inside(path, root):
            problems.add(path, 0, f"the {what} is a link to a file outside the course folder",
                         "copy the file itself into the course folder; files outside it are never published")
            return None
    try:
        st = os.stat(path)
    except OSError as err:
        problems.add(path, 0, f"the {what} cannot be read ({err.strerror})", "check that the file exists and may be read")
        return None
    if not stat.S_ISREG(st.st_mode):
        problems.add(path, 0, f"the {what} is not a plain file", "replace it by a normal file")
        return None
    if st.st_nlink > 1:
        # A hard link is the same file under two names, and the other name may be anywhere on the
        # disk (`ln /etc/passwd media/pw.svg`): nothing in the course folder shows where it came from.
        problems.add(path, 0, f"the {what} is a hard link: the same file also has {st.st_nlink - 1} other "
                     "name(s), perhaps outside the course folder",
                     "replace it by a copy of its own (copy the file, do not link it)")
        return None
    if st.st_size > limit:
        problems.add(path, 0, f"the {what} is {_mb(st.st_size)}, more than the {_mb(limit)} allowed",
                     "split it into smaller files" if what == "file" else "make it smaller (fewer pixels, or JPEG/WebP for photos)")
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as err:
        problems.add(path, 0, f"the {what} cannot be read ({err.strerror})", "check that the file may be read")
        return None
    if len(data) > limit:    # grew since stat()
        problems.add(path, 0, f"the {what} is more than the {_mb(limit)} allowed", "make it smaller")
        return None
    return data


def folder_inside(folder: Path, problems: Problems, line_path: Path, line: int) -> bool:
    """A module or media folder must not lead outside the course (a link to another folder)."""
    root = problems.base
    if root is None or inside(folder, root):
        return True
    problems.add(line_path, line, f"the folder '{folder.name}' is a link to a folder outside the course folder",
                 "move the folder itself into the course folder; files outside it are never published")
    return False


def _under(path: Path, root: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.join(os.path.abspath(root), ""))


_MAGIC = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def published_name(name: str) -> str:
    """The name a media file has in every package: ASCII letters, digits, '.', '-' and '_' only, so no
    format has to encode it (HTML, SCORM manifests, OLX static files, the .mbz's files.xml) and no LMS
    can get it wrong: «Blåbær i skogen.jpg» is published as «blabaer-i-skogen.jpg»."""
    if _SAFE_NAME.match(name):
        return name
    stem, _, ext = name.rpartition(".")
    folded = unicodedata.normalize("NFKD", stem.translate(_FOLD)).encode("ascii", "ignore").decode()
    return (re.sub(r"[^A-Za-z0-9_]+", "-", folded).strip("-").lower() or "bilde") + "." + ext.lower()


def media_problems(name: str, data: bytes) -> list[tuple[int, str, str]]:
    """(line, what is wrong, what to do) for each way `data` is not the picture its name says."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in MEDIA_TYPES:
        return [(0, f"'{name}' is not a picture type the course can use",
                 "save it as PNG, JPEG, WebP or SVG and give it that ending")]
    kinds = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WebP", "svg": "SVG"}
    if ext == "webp":
        ok = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    elif ext == "svg":
        return svgpolicy.problems(data)
    else:
        ok = data.startswith(_MAGIC[ext])
    if not ok:
        return [(0, f"'{name}' is not a {kinds[ext]} image, though its name ends in .{ext}",
                 f"save the picture as {kinds[ext]} again, or give the file the ending of what it is")]
    return []
