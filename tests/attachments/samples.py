"""Files to upload: well-formed ones of each accepted type, and hostile ones."""

import io
import zipfile

from PIL import ExifTags, Image

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(extra: bytes = b"") -> bytes:
    return PDF + extra


def pdf_with_script() -> bytes:
    return PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>")


def jpeg_with_gps(size: tuple[int, int] = (40, 30), orientation: int = 1) -> bytes:
    """A photo as a phone leaves it: the camera's make and model, where it was taken, how it is turned."""
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "CanaryCam"
    exif[ExifTags.Base.Model] = "Model-X-Canary"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (42.0, 12.0, 5.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (20.0, 44.0, 1.25),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(size: tuple[int, int] = (20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "PNG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


def zipped(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    entries = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document>Minutes</w:document>"}
    return zipped({**entries, **(extra or {})})


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.create_sheet("schedule")
    sheet.append(["court", "date"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>")
    return out.getvalue()


def zip_bomb(megabytes: int = 40) -> bytes:
    """A .docx whose one part unpacks to `megabytes` of zeros from a few tens of kilobytes."""
    return docx({"word/media/fill.xml": b"\0" * (megabytes * 1024 * 1024)})


def traversal_docx() -> bytes:
    return zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<x/>", "../../evil.sh": b"rm -rf /"})


def macro_docx() -> bytes:
    return docx({"word/vbaProject.bin": b"Attribute VB_Name"})


OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
