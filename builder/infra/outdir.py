"""The output folder (dist/) replaced as a whole, in one atomic step, by one build at a time.

A build writes the complete new dist/ into a staging folder beside it (`.dist.building-*`, on the
same file system), then exchanges the two folders with one `renameat2(RENAME_EXCHANGE)` call: at
every moment `dist/` is either the previous build or the new one, whole, even when the build is
killed (kill -9, power cut) half-way. The old tree ends up in the staging folder and is deleted;
staging folders left by a killed build are deleted by the next build. `dist/` stays a plain folder,
so every documented path (dist/web/, dist/scorm12/…) is unchanged.

An exclusive lock (`flock` on `.dist.lock` beside the folder, released by the kernel when the
process dies) makes a second build into the same folder wait for the first.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2():
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:          # a C library without renameat2 (glibc < 2.28, musl < 1.2.?)
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn


_EXCHANGE = _renameat2()


def exchange(a: Path, b: Path) -> None:
    """Swap the two folders `a` and `b` atomically (both must exist)."""
    if _EXCHANGE is not None:
        if _EXCHANGE(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        err = ctypes.get_errno()
        if err not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(err, os.strerror(err), str(b))
    # A file system without RENAME_EXCHANGE: two renames, with a moment in between in which `b` is
    # missing (never mixed). The next build finds the new tree in the staging folder either way.
    aside = a.with_name(a.name + ".old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def staging_prefix(out: Path) -> str:
    return f".{out.name}.building-"


def lock_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.lock")


@contextmanager
def exclusive(out: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock of `out` for the duration; wait (saying so) while another build holds it."""
    path = lock_path(out)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            say(f"another build (process {holder}) is writing into {out}; waiting for it to finish ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def remove_stale(out: Path) -> None:
    """Delete staging folders of builds that were killed (only called while holding the lock)."""
    prefix = staging_prefix(out)
    for entry in out.parent.iterdir():
        if entry.name.startswith(prefix) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def new_staging(out: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=staging_prefix(out), dir=out.parent))


def same_mode_and_owner(old: Path, new: Path) -> None:
    """Give the new tree the permissions and owner of the folder it replaces: a private (0700)
    dist/ stays private, and one owned by the web server's user stays its."""
    try:
        st = os.stat(old)
    except FileNotFoundError:
        return
    os.chmod(new, stat.S_IMODE(st.st_mode))
    if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(new, st.st_uid, st.st_gid)
        except PermissionError:         # only root may give a folder away; then it stays the builder's
            pass


def carry_over(old: Path, new: Path, replaced: set[str]) -> None:
    """Put everything of the previous `old` folder that this build does not replace into `new`,
    as hard links (no copying of bytes; files in dist/ are replaced, never changed in place)."""
    if not old.is_dir():
        return
    for entry in old.iterdir():
        if entry.name in replaced or entry.name.startswith((".building-", ".old-")):   # leftovers of older builders
            continue
        target = new / entry.name
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, target, follow_symlinks=False)


def _link_or_copy(src, dst, *, follow_symlinks=True):
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return dst
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst
