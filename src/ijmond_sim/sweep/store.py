"""A sweep's files on disk: written atomically with a checksum, read back only when whole and unchanged.

Each job's results file and the sweep's plan are one header line and a JSON body::

    {"format": "ijmond-sim", "version": 1, "bytes": 20135, "sha256": "9f2c..."}
    {"kind": "job results", "status": "complete", "scenario": {...}, "runs": [...], ...}

The header gives the body's length and SHA-256, so a truncated file (a job
killed while writing on a file system without atomic rename, a full disk) or
a changed one (a bad copy, an edit) is detected and reported, never read as
data. The file is written to a temporary name in the same folder and then
renamed, so readers see either the old file or the whole new one. Each
process has temporary names of its own (host, process id and a random tag), so
two processes never touch each other's; one left by a killed process is
removed by the next write on the same host.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import socket
from pathlib import Path
from typing import Any

FORMAT = "ijmond-sim"
VERSION = 1
FILENAME = "results.json"


class CorruptResults(ValueError):
    """A results file that is not whole and unchanged.

    Args:
        path: the file.
        reason: what is wrong with it, in words.
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}")


def _plain(value: Any) -> Any:
    """NaN as null: JSON has no NaN, and R, jq and browsers reject the token Python would write."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def encode(body: dict[str, Any]) -> bytes:
    """The bytes of a results file holding ``body``: header line, then the body as JSON."""
    data = json.dumps(_plain(body), allow_nan=False, ensure_ascii=False).encode()
    header = {"format": FORMAT, "version": VERSION, "bytes": len(data),
              "sha256": hashlib.sha256(data).hexdigest()}
    return json.dumps(header).encode() + b"\n" + data


def _host() -> str:
    return socket.gethostname().partition(".")[0]


def process_tag() -> str:
    """A name part unique to this process: host, process id and a random tag."""
    return f"{_host()}.{os.getpid()}.{secrets.token_hex(4)}"


def abandoned(tagged: str) -> bool:
    """Whether the name part ``tagged`` (starting with a :func:`process_tag`) is of a process that has ended.

    Only a process on this host can be known to have ended; any other counts as alive.
    """
    host, _, rest = tagged.partition(".")
    pid = rest.partition(".")[0]
    if host != _host() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (``fsync`` of the folder)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_bytes(path: Path, data: bytes, sync: bool = True) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, synced, then renamed.

    The temporary file's name is this process's own (:func:`process_tag`), so two
    writers never share one; temporary files of processes that have ended are removed.
    A write that fails (a full disk, a file size limit) leaves the earlier file, or none.

    Args:
        path: the file.
        data: its bytes.
        sync: wait until the file and its folder entry are on disk (``fsync``, a few ms each). A
            writer of many files may leave it off and call ``os.sync()`` once after the last: the
            rename is atomic either way.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name}."
    for stale in path.parent.glob(f"{prefix}*.tmp"):
        if abandoned(stale.name.removeprefix(prefix)):
            stale.unlink(missing_ok=True)
    temporary = path.with_name(f"{prefix}{process_tag()}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            if sync:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    if sync:
        sync_folder(path.parent)


def write(path: Path, body: dict[str, Any], sync: bool = True) -> None:
    """Write ``body`` to the results file ``path`` atomically (:func:`write_bytes`).

    Args:
        path: the results file.
        body: JSON-able data (floats may be NaN; they are stored as null).
        sync: as in :func:`write_bytes`; a file cut short by a power cut is detected on
            reading by its header, never read as data.
    """
    write_bytes(path, encode(body), sync)


def decode(raw: bytes, path: Path) -> dict[str, Any]:
    """The body of a results file's bytes, after checking header, length and checksum.

    Args:
        raw: the file's bytes.
        path: where they came from, for the error.

    Returns:
        The body.

    Raises:
        CorruptResults: naming what is wrong.
    """
    first, newline, data = raw.partition(b"\n")
    try:
        header = json.loads(first)
    except (json.JSONDecodeError, UnicodeDecodeError):
        header = None
    if not newline or not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CorruptResults(path, f"not an {FORMAT} file (its first line is not the header)")
    if header.get("version") != VERSION:
        raise CorruptResults(path, f"format version {header.get('version')!r}; this program reads {VERSION}")
    if len(data) != header.get("bytes"):
        raise CorruptResults(path, f"truncated or extended: {len(data)} bytes of data, "
                                   f"the header says {header.get('bytes')}")
    if hashlib.sha256(data).hexdigest() != header.get("sha256"):
        raise CorruptResults(path, "checksum mismatch: the data changed after it was written")
    try:
        body = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:  # only if it was written that way
        raise CorruptResults(path, f"unreadable JSON body ({error})") from None
    if not isinstance(body, dict):
        raise CorruptResults(path, "the body is not a JSON object")
    return body


def read(path: Path) -> dict[str, Any]:
    """The body of the results file at ``path``, verified.

    Raises:
        FileNotFoundError: if there is no such file.
        CorruptResults: if it is not whole and unchanged.
    """
    return decode(Path(path).read_bytes(), Path(path))
