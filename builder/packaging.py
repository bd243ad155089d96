"""Byte-identical archives: sorted entries, fixed timestamps and permissions.

The timestamp is SOURCE_DATE_EPOCH when set (reproducible-builds.org), else a fixed date, so
the same sources always give the same archive and its checksum can be compared across builds."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import time
import zipfile
from pathlib import Path
from typing import Mapping

DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z


def epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else DEFAULT_EPOCH


def files_of(folder: Path) -> list[Path]:
    return sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())


def write_zip(folder: Path, target: Path) -> None:
    """Zip the contents of `folder` (not the folder itself) with forward-slash names."""
    write_zip_files({p.relative_to(folder).as_posix(): p.read_bytes() for p in files_of(folder)}, target)


def write_zip_files(files: Mapping[str, bytes], target: Path) -> None:
    """Zip `files` (posix path → bytes), entries sorted by name."""
    stamp = time.gmtime(max(epoch(), 315532800))[:6]  # zip cannot store dates before 1980
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name], compresslevel=9)


def write_targz(folder: Path, target: Path, root: str) -> None:
    """A .tar.gz whose entries all sit under `root/`, with no owner names and fixed times."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs = sorted({p.relative_to(folder).parent.as_posix() for p in files_of(folder)} - {"."})
        names = [root] + [f"{root}/{d}" for d in _with_parents(dirs)]
        for name in names:
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, epoch()
            tar.addfile(info)
        for path in files_of(folder):
            data = path.read_bytes()
            info = tarfile.TarInfo(f"{root}/{path.relative_to(folder).as_posix()}")
            info.size, info.mode, info.mtime = len(data), 0o644, epoch()
            tar.addfile(info, io.BytesIO(data))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=epoch()) as gz:
        gz.write(buf.getvalue())


def _with_parents(dirs: list[str]) -> list[str]:
    out = set()
    for d in dirs:
        parts = d.split("/")
        out.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return sorted(out)
