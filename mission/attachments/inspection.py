"""What an uploaded file really is, read from its bytes, and whether the portal keeps it.

The allow-list: PDF, JPEG/PNG/WebP images, office documents in their open formats (Word, Excel and
PowerPoint's .docx/.xlsx/.pptx, OpenDocument's .odt/.ods/.odp) and plain UTF-8 text (.txt, .csv). The
type comes from the content; the name's extension must agree with it. Each type is then checked for
what would hurt whoever opens it or the server that unpacks it:

- a PDF must end where its last `%%EOF` says (nothing appended: the classic PDF-and-ZIP polyglot), and
  name no JavaScript, launch action or embedded file (an uncompressed dictionary; names inside
  compressed object streams are not seen);
- an image is decoded and written again: its metadata (GPS position, device, comments) and anything
  after its last frame are gone, and a decompression bomb is refused by its pixel count;
- an office document is a ZIP: no entry path that climbs out (`..`, absolute, a drive), no macros, no
  data before or after the archive, and at most `ATTACHMENT_MAX_UNPACKED_MB` unpacked, counted while
  decompressing (a ZIP's declared sizes can lie), at most 200 to 1 per entry;
- text must be UTF-8 without NUL bytes, and not a web page or SVG in disguise.

Everything here reads bytes and returns a verdict: no model, no storage.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MIB = 1024 * 1024
MAX_ENTRIES = 2000  # entries of an office document's ZIP; a real .docx has dozens
MAX_RATIO = 200  # unpacked ÷ packed per entry; XML compresses 5–50:1, a bomb 1000:1
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; Pillow's own bomb check halts at twice its limit


@dataclass(frozen=True)
class FileType:
    key: str
    label: str | Promise
    media_type: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", _("PDF document"), "application/pdf", ("pdf",))
JPEG = FileType("jpeg", _("JPEG image"), "image/jpeg", ("jpg", "jpeg"))
PNG = FileType("png", _("PNG image"), "image/png", ("png",))
WEBP = FileType("webp", _("WebP image"), "image/webp", ("webp",))
DOCX = FileType(
    "docx", _("Word document"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
)
XLSX = FileType(
    "xlsx", _("Excel workbook"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)
)
PPTX = FileType(
    "pptx",
    _("PowerPoint presentation"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
)
ODT = FileType("odt", _("OpenDocument text"), "application/vnd.oasis.opendocument.text", ("odt",))
ODS = FileType("ods", _("OpenDocument spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet", ("ods",))
ODP = FileType("odp", _("OpenDocument presentation"), "application/vnd.oasis.opendocument.presentation", ("odp",))
TEXT = FileType("text", _("plain text"), "text/plain; charset=utf-8", ("txt", "csv"))

TYPES = (PDF, JPEG, PNG, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, TEXT)
IMAGES = (JPEG, PNG, WEBP)
ACCEPTED_EXTENSIONS = tuple(f".{extension}" for file_type in TYPES for extension in file_type.extensions)

# What an OOXML package holds as its main part, and an OpenDocument's `mimetype` entry.
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
_ODF_TYPES = {t.media_type: t for t in (ODT, ODS, ODP)}
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|SubmitForm|ImportData|XFA)\b")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_MARKUP_START = re.compile(rb"^\s*<(!doctype\s+html|html|script|svg|\?xml|body|iframe)\b", re.IGNORECASE)
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


class FileRefusedError(Exception):
    """The file is not kept; `message` says why, for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Inspected:
    """A file the portal keeps: its type, the name to show, and the bytes to store (an image's bytes
    are the re-encoded ones, without metadata)."""

    file_type: FileType
    name: str
    data: bytes


def max_bytes() -> int:
    return int(settings.ATTACHMENT_MAX_MB * MIB)


def safe_name(name: str) -> str:
    """The name to show and to offer in a download: the last part of whatever path the browser sent,
    without control or path characters, at most 120 characters with its extension kept."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(c for c in base if unicodedata.category(c) != "Cf")  # no right-to-left overrides
    base = re.sub(r"\s+", " ", _UNSAFE_NAME.sub("_", base)).strip()
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extension = extension.strip()[:10].lower()
    stem = stem.strip(" .")[: 120 - len(extension) - 1] or "file"
    return f"{stem}.{extension}" if extension else stem


def extension_of(name: str) -> str:
    _stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def inspect(name: str, source: IO[bytes], *, size: int) -> Inspected:
    """The verdict on an upload of `size` bytes: `Inspected`, or `FileRefusedError` with the reason."""
    limit = max_bytes()
    if size > limit:
        raise FileRefusedError(str(too_large_message()))
    data = source.read(limit + 1)
    if len(data) > limit:
        raise FileRefusedError(str(too_large_message()))
    if not data:
        raise FileRefusedError(str(_("The file is empty.")))
    shown = safe_name(name)
    file_type = _detect(data)
    extension = extension_of(shown)
    if extension not in file_type.extensions:
        raise FileRefusedError(
            str(
                _(
                    "The file's contents are a %(type)s, but its name ends in “%(extension)s”. "
                    "Rename it to end in .%(expected)s."
                )
                % {
                    "type": file_type.label,
                    "extension": f".{extension}" if extension else "",
                    "expected": file_type.extensions[0],
                }
            )
        )
    if file_type is PDF:
        _check_pdf(data)
    elif file_type in IMAGES:
        data = _reencoded_image(data, file_type)
    elif file_type is TEXT:
        _check_text(data)
    else:
        _check_package(data)
    return Inspected(file_type=file_type, name=shown, data=data)


def too_large_message() -> str:
    return str(
        _("The file is larger than %(limit)s MB, the most the portal keeps.") % {"limit": settings.ATTACHMENT_MAX_MB}
    )


def _detect(data: bytes) -> FileType:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _package_type(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FileRefusedError(
            str(
                _(
                    "Older Office files (.doc, .xls, .ppt) can carry macros. "
                    "Save it as .docx, .xlsx or .pptx, or as a PDF."
                )
            )
        )
    if _looks_like_text(data):
        return TEXT
    raise FileRefusedError(
        str(
            _(
                "This kind of file is not accepted. "
                "Upload a PDF, an image (JPEG, PNG, WebP), an office document or plain text."
            )
        )
    )


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- PDF ------------------------------------------------------------------------------------------------
def _check_pdf(data: bytes) -> None:
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise FileRefusedError(str(_("The PDF is incomplete: it has no end marker.")))
    if data[end + 5 :].strip(b"\r\n\t \x00") or b"PK\x05\x06" in data:  # the end record of a ZIP inside
        raise FileRefusedError(str(_("The PDF has other data appended after its end. Save or print it to a new PDF.")))
    # A name may spell a letter as #xx ("/J#61vaScript"): read the names as the reader will.
    if _PDF_ACTIVE.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)):
        raise FileRefusedError(
            str(_("The PDF holds scripts, launch actions or embedded files. Print it to a new PDF."))
        )


# --- Images ---------------------------------------------------------------------------------------------
def _reencoded_image(data: bytes, file_type: FileType) -> bytes:
    """The picture alone: decoded, turned as its camera said, and written again without metadata."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise FileRefusedError(
                        str(_("The image has too many pixels (%(w)s × %(h)s).") % {"w": width, "h": height})
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except FileRefusedError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise FileRefusedError(str(_("The image cannot be read: it is damaged or not really an image."))) from error
    upright.info = {}  # comments, ICC profiles, text chunks: Pillow would write them again
    out = io.BytesIO()
    if file_type is JPEG:
        upright.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
    elif file_type is PNG:
        upright.save(out, "PNG", optimize=True)  # no pnginfo: text chunks and EXIF stay behind
    else:
        upright.save(out, "WEBP", quality=90)
    return out.getvalue()


# --- Text -----------------------------------------------------------------------------------------------
def _check_text(data: bytes) -> None:
    if _MARKUP_START.match(data.removeprefix(b"\xef\xbb\xbf")[:512]):
        raise FileRefusedError(str(_("The file is a web page or a vector image, not plain text.")))


# --- Office documents (ZIP packages) --------------------------------------------------------------------
def _package_type(data: bytes) -> FileType:
    archive = _open_zip(data)
    names = set(archive.namelist())
    if "mimetype" in names:
        try:  # read 128 bytes at most: the entry is checked like the others only later
            with archive.open("mimetype") as entry:
                declared = entry.read(128).decode("ascii", "replace").strip()
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
            raise FileRefusedError(str(_("The document is damaged: its ZIP structure cannot be read."))) from error
        if declared in _ODF_TYPES:
            return _ODF_TYPES[declared]
    if "[Content_Types].xml" in names:
        for part, file_type in _OOXML_PARTS:
            if part in names:
                return file_type
    raise FileRefusedError(str(_("The file is a ZIP archive, not an office document. Archives are not accepted.")))


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, RuntimeError) as error:
        raise FileRefusedError(str(_("The document is damaged: its ZIP structure cannot be read."))) from error


def _check_package(data: bytes) -> None:
    archive = _open_zip(data)
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise FileRefusedError(str(_("The document holds too many parts.")))
    _check_bounds(data, archive, entries)
    budget = int(settings.ATTACHMENT_MAX_UNPACKED_MB * MIB)
    for entry in entries:
        name = entry.filename
        if name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
            raise FileRefusedError(
                str(_("The document names a part outside itself (“%(name)s”).") % {"name": safe_name(name)})
            )
        lowered = name.lower()
        if "vbaproject" in lowered or "vbadata" in lowered or lowered.startswith(("basic/", "scripts/")):
            raise FileRefusedError(
                str(_("The document contains macros. Save it without macros (.docx, .xlsx, .pptx)."))
            )
        budget = _unpack_within(archive, entry, budget)
    _check_declared_types(archive)


_MACRO_TYPES = (b"vbaproject", b"macroenabled", b"activex", b"vnd.ms-office.vba")


def _check_declared_types(archive: zipfile.ZipFile) -> None:
    """An OOXML package says what its parts are: a VBA project or an ActiveX control under any name."""
    if "[Content_Types].xml" not in archive.namelist():
        return
    with archive.open("[Content_Types].xml") as entry:
        declared = entry.read(1024 * 1024).lower()
    if any(kind in declared for kind in _MACRO_TYPES):
        raise FileRefusedError(str(_("The document contains macros. Save it without macros (.docx, .xlsx, .pptx).")))


def _check_bounds(data: bytes, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """The archive fills the file: it starts at byte 0 and its end record, with its comment, is last."""
    if entries and min(entry.header_offset for entry in entries) != 0:
        raise FileRefusedError(str(_("The document has other data before its contents.")))
    tail = len(archive.comment) + 22
    if data[-tail : -tail + 4] != b"PK\x05\x06":
        raise FileRefusedError(str(_("The document has other data appended after its end.")))


def _unpack_within(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> int:
    """Decompress one entry, counting: refuses it past the budget left or past MAX_RATIO to its packed
    size. Returns the budget left."""
    allowed = min(budget, max(entry.compress_size, 1) * MAX_RATIO + 64 * 1024)
    unpacked = 0
    try:
        with archive.open(entry) as member:
            while chunk := member.read(64 * 1024):
                unpacked += len(chunk)
                if unpacked > allowed:
                    raise FileRefusedError(str(_("The document unpacks to far more than its size (a ZIP bomb).")))
    except FileRefusedError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
        raise FileRefusedError(str(_("The document is damaged: its ZIP structure cannot be read."))) from error
    return budget - unpacked
