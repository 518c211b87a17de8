"""Zip and gzipped tar archives of a project, handed out in chunks as they are written."""

from __future__ import annotations

import gzip
import io
import os
import stat
import tarfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .._render import RenderedProject

#: Bytes gathered before a chunk is handed out (fewer, larger writes to the socket).
CHUNK_SIZE = 64 * 1024
#: zlib's level for both formats. With :data:`STORE_BELOW`, a zip of task-api costs
#: 28% fewer instructions than at zlib's default 6, for 86 KB instead of 76 KB: at
#: these sizes the time is what a download waits for (docs/benchmarks.md).
COMPRESS_LEVEL = 1
#: Files smaller than this are stored as they are in a zip: each compressed member
#: costs a fresh zlib stream (about 256 KB set up), which a few hundred bytes do not repay.
STORE_BELOW = 1024
_FILE_MODES = {False: 0o644, True: 0o755}
_FOLDER_MODE = 0o755
_MSDOS_DIRECTORY = 0x10
_UNIX = 3  # ZipInfo.create_system: the external attributes hold Unix modes


@dataclass(frozen=True, slots=True)
class Entry:
    """One member of an archive, below its top folder.

    Attributes:
        path: Its relative POSIX path.
        content: The file's bytes; ``None`` for a folder.
        executable: Whether the file keeps its executable bits.
    """

    path: str
    content: bytes | None
    executable: bool = False

    @property
    def mode(self) -> int:
        """The permission bits to record."""
        return _FOLDER_MODE if self.content is None else _FILE_MODES[self.executable]


def project_entries(project: RenderedProject) -> list[Entry]:
    """Return the folders and files of a rendered project, each folder before its files."""
    entries: list[Entry] = []
    seen: set[PurePosixPath] = set()
    for path, file in project.files.items():
        for parent in reversed(path.parents[:-1]):
            if parent not in seen:
                seen.add(parent)
                entries.append(Entry(str(parent), None))
        entries.append(Entry(str(path), file.content, file.executable))
    return entries


def folder_entries(root: Path) -> list[Entry]:
    """Read a written project (``.git`` included) into entries, empty folders too.

    Raises:
        ValueError: The folder holds something that is neither a file nor a folder.
    """
    entries: list[Entry] = []
    top = os.fspath(root)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        below = os.path.relpath(dirpath, top)
        if below != ".":
            entries.append(Entry(PurePosixPath(*below.split(os.sep)).as_posix(), None))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                raise ValueError(f"{path} is not a regular file")
            relative = os.path.relpath(path, top).replace(os.sep, "/")
            with open(path, "rb") as handle:
                content = handle.read()
            entries.append(Entry(relative, content, bool(info.st_mode & stat.S_IXUSR)))
    return entries


def member_name(top: str, path: str) -> str:
    """Return ``top/path`` (``top`` for an empty path), refusing names that leave ``top``.

    The guard against zip-slip: whatever builds the entries, no member of an archive
    may be absolute or climb out of its top folder.

    Raises:
        ValueError: ``top`` is not one plain folder name, or ``path`` is absolute or
            climbs out with ``..``.
    """
    if not top or top in {".", ".."} or "/" in top or "\\" in top:
        raise ValueError(f"unsafe top folder {top!r}")
    if path == "":
        return top
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or any(p in {"", ".", ".."} for p in parts):
        raise ValueError(f"unsafe member {path!r}")
    return f"{top}/{path}"


class _Chunks(io.RawIOBase):
    """A write-only, non-seekable file that keeps what is written until it is taken."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._taken = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        # zipfile writes each header field apart: keep this as cheap as it can be.
        self._buffer += data
        return len(data)

    def tell(self) -> int:
        # zipfile needs the offset of each member; seeking it may not (data descriptors).
        return self._taken + len(self._buffer)

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def take(self) -> bytes:
        data = bytes(self._buffer)
        self._taken += len(data)
        self._buffer.clear()
        return data


def _with_top(entries: Sequence[Entry]) -> Iterator[Entry]:
    """The top folder itself first (its mode recorded too), then the entries."""
    yield Entry("", None)
    yield from entries


def zip_chunks(top: str, entries: Sequence[Entry]) -> Iterator[bytes]:
    """Write a zip archive of ``entries`` under the folder ``top``, chunk by chunk.

    The Unix modes go into each member's external attributes, so ``unzip`` keeps the
    executable bits.
    """
    sink = _Chunks()
    stamp = time.localtime()[:6]
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for entry in _with_top(entries):
            name = member_name(top, entry.path)
            if entry.content is None:
                info = zipfile.ZipInfo(name + "/", stamp)
                info.external_attr = ((stat.S_IFDIR | entry.mode) << 16) | _MSDOS_DIRECTORY
                info.create_system = _UNIX
                archive.writestr(info, b"")
            else:
                info = zipfile.ZipInfo(name, stamp)
                info.external_attr = (stat.S_IFREG | entry.mode) << 16
                info.create_system = _UNIX
                small = len(entry.content) < STORE_BELOW
                info.compress_type = zipfile.ZIP_STORED if small else zipfile.ZIP_DEFLATED
                archive.writestr(info, entry.content, compresslevel=COMPRESS_LEVEL)
            if sink.pending >= CHUNK_SIZE:
                yield sink.take()
    yield sink.take()


def tgz_chunks(top: str, entries: Sequence[Entry]) -> Iterator[bytes]:
    """Write a gzipped tar archive of ``entries`` under the folder ``top``, chunk by chunk."""
    sink = _Chunks()
    now = int(time.time())
    # gzip by hand around a plain tar stream: tarfile's "w|gz" takes no compression
    # level before Python 3.12.
    with (
        gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=COMPRESS_LEVEL, mtime=now) as packed,
        tarfile.open(fileobj=packed, mode="w|", format=tarfile.PAX_FORMAT) as archive,
    ):
        for entry in _with_top(entries):
            info = tarfile.TarInfo(member_name(top, entry.path))
            info.mtime = now
            info.mode = entry.mode
            if entry.content is None:
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            else:
                info.size = len(entry.content)
                archive.addfile(info, io.BytesIO(entry.content))
            if sink.pending >= CHUNK_SIZE:
                yield sink.take()
    yield sink.take()


#: Each format: how its chunks are made, and its media type.
FORMATS: dict[str, tuple[Callable[[str, Sequence[Entry]], Iterator[bytes]], str]] = {
    "zip": (zip_chunks, "application/zip"),
    "tgz": (tgz_chunks, "application/gzip"),
}
