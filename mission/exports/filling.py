"""Cells that the database cannot write into COPY's output (names are encrypted at rest, see
`mission.encryption`): COPY writes a placeholder instead, and Python swaps each for its cell as the
output streams to the file."""

import io
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

START, END = b"\x01", b"\x02"  # control characters no stored text holds, around a placeholder


class Filling:
    """The cells of one column that Python fills in: the database writes `placeholder()`, a marker
    with a random nonce and the row's `key` (a lookup of an integer, "case_id"); `cells()` are the
    texts of `pairs()` (key, text), written as CSV: quoted where COPY and Python's csv quote
    (delimiter, quote, line breaks)."""

    def __init__(self, key: str, pairs: Callable[[], Iterable[tuple[int, str]]]) -> None:
        self.key, self._pairs = key, pairs
        self.nonce = secrets.token_hex(8).encode()
        self.pattern = re.compile(re.escape(START + self.nonce) + rb"(\d+)" + re.escape(END))

    def placeholder(self) -> Concat:
        marker = (START + self.nonce).decode()
        return Concat(Value(marker), Cast(self.key, CharField()), Value(END.decode()), output_field=CharField())

    def cells(self) -> dict[bytes, bytes]:
        """Each key's cell, by the key as the placeholder writes it."""
        return {str(key).encode(): _csv_cell(text).encode() for key, text in self._pairs()}


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


class Filled(io.RawIOBase):
    """Where COPY writes: each placeholder of `fillings` swapped for its cell (a key with no cell
    leaves the cell empty), then on to `raw`. COPY writes a row at a time: put an `io.BufferedWriter`
    in front, so that this and `raw` see large chunks. A placeholder cut by a chunk's end waits for
    the next chunk. With no fillings, the bytes pass as they are."""

    def __init__(self, raw: IO[bytes], fillings: Sequence[Filling] = ()) -> None:
        super().__init__()
        self.raw, self.pending = raw, b""
        self.fills = [(filling.pattern, _replacer(filling.cells())) for filling in fillings]

    def writable(self) -> bool:
        return True

    def write(self, data: "ReadableBuffer") -> int:
        if not self.fills:
            self.raw.write(data)
            return memoryview(data).nbytes
        text = self.pending + bytes(data)
        start = text.rfind(START)
        if start != -1 and text.find(END, start) == -1:
            text, self.pending = text[:start], text[start:]
        else:
            self.pending = b""
        for pattern, replace in self.fills:
            text = pattern.sub(replace, text)
        self.raw.write(text)
        return memoryview(data).nbytes

    def close(self) -> None:
        """Writes what waited for a placeholder's end that never came, as it came; `raw` stays open."""
        if self.pending:
            self.raw.write(self.pending)
            self.pending = b""
        super().close()


def _replacer(cells: dict[bytes, bytes]) -> Callable[[re.Match[bytes]], bytes]:
    """A placeholder's match → its key's cell, or nothing."""
    cell = cells.get

    def replace(match: re.Match[bytes]) -> bytes:
        return cell(match.group(1), b"")

    return replace
