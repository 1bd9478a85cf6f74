"""What the portal accepts as a file on a record, read from the bytes: the allow-list, and the hostile
uploads (wrong extension, polyglots, oversized, ZIP bombs, path traversal, macros, active PDFs)."""

import io

import pytest
from PIL import Image

from mission.attachments.inspection import FileRefusedError, inspect, safe_name
from tests.attachments import samples


def check(name: str, data: bytes):
    return inspect(name, io.BytesIO(data), size=len(data))


def refused(name: str, data: bytes) -> str:
    with pytest.raises(FileRefusedError) as caught:
        check(name, data)
    return caught.value.message


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("minutes.pdf", samples.pdf(), "pdf"),
        ("photo.JPG", samples.jpeg_with_gps(), "jpeg"),
        ("scan.png", samples.png(), "png"),
        ("judgment.docx", samples.docx(), "docx"),
        ("sign-in.xlsx", samples.xlsx(), "xlsx"),
        ("notes.odt", samples.odt(), "odt"),
        ("notes.txt", "Seanca u shty: mungon përkthyesi.\n".encode(), "text"),
        ("schedule.csv", b"court,date\nBC-PZ,2026-12-01\n", "text"),
    ],
)
def test_each_accepted_type_is_kept_with_its_type_read_from_the_content(name, data, key):
    assert check(name, data).file_type.key == key


def test_a_photo_loses_its_position_and_device_and_keeps_its_picture_upright():
    kept = check("photo.jpg", samples.jpeg_with_gps(size=(40, 30), orientation=6)).data
    assert b"CanaryCam" not in kept
    assert b"Model-X-Canary" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        exif = image.getexif()
        assert dict(exif) == {}
        assert exif.get_ifd(0x8825) == {}
        assert image.size == (30, 40)  # turned as the camera said, since the tag that said so is gone


def test_anything_appended_to_an_image_is_not_kept():
    payload = samples.zipped({"payload.html": b"<script>alert(1)</script>"})
    kept = check("photo.jpg", samples.jpeg_with_gps() + payload).data
    assert b"PK\x03\x04" not in kept
    assert b"<script>" not in kept


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("minutes.jpg", samples.pdf(), "contents are a PDF document, but its name ends in “.jpg”"),
        ("photo.pdf", samples.png(), "Rename it to end in .png"),
        ("judgment", samples.pdf(), "its name ends in “”"),
        ("report.exe.txt", b"MZ\x90\x00\x03\x00\x00\x00", "not accepted"),
        ("anim.gif", samples.gif(), "not accepted"),
        ("old.doc", samples.OLE_DOC, "Older Office files"),
        ("archive.zip", samples.zipped({"a.txt": b"a"}), "not an office document"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_or_not_on_the_list_is_refused(name, data, says):
    assert says in refused(name, data)


def test_a_pdf_with_a_zip_appended_is_refused_as_a_polyglot():
    polyglot = samples.pdf(samples.zipped({"evil.js": b"alert(1)"}))
    assert "appended" in refused("judgment.pdf", polyglot)


def test_a_pdf_that_runs_a_script_is_refused():
    assert "scripts" in refused("judgment.pdf", samples.pdf_with_script())


def test_a_pdf_without_its_end_is_refused():
    assert "incomplete" in refused("judgment.pdf", samples.PDF.replace(b"%%EOF", b""))


@pytest.mark.parametrize("start", [b"<!DOCTYPE html><script>", b"  <svg onload=alert(1)>", b"\xef\xbb\xbf<html>"])
def test_a_web_page_or_svg_named_as_text_is_refused(start):
    assert "web page" in refused("notes.txt", start + b"</html>")


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.ATTACHMENT_MAX_MB = 0.01
    data = samples.pdf(b"%" + b"x" * 20_000 + b"\n%%EOF\n")
    assert "larger than 0.01 MB" in refused("big.pdf", data)
    # A size the browser under-reported changes nothing: the bytes are counted too.
    with pytest.raises(FileRefusedError):
        inspect("big.pdf", io.BytesIO(data), size=10)


def test_a_zip_bomb_is_refused_while_unpacking(settings):
    assert "ZIP bomb" in refused("minutes.docx", samples.zip_bomb(megabytes=10))


def test_an_office_document_may_not_unpack_past_the_budget(settings):
    settings.ATTACHMENT_MAX_UNPACKED_MB = 0.001  # a kilobyte: the parts of any real document pass it
    assert "ZIP bomb" in refused("judgment.docx", samples.docx({"word/styles.xml": b"<s/>" * 1000}))


def test_a_part_whose_path_climbs_out_of_the_document_is_refused():
    assert "outside itself" in refused("judgment.docx", samples.traversal_docx())


def test_a_document_with_macros_is_refused():
    assert "macros" in refused("judgment.docx", samples.macro_docx())


def test_data_around_a_document_is_refused():
    assert "not accepted" in refused("judgment.docx", b"junk" + samples.docx())
    assert "appended after its end" in refused("judgment.docx", samples.docx() + b"<script>alert(1)</script>")


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded():
    assert "too many pixels" in refused("huge.png", samples.png(size=(9000, 9000)))


def test_a_damaged_image_is_refused():
    assert "cannot be read" in refused("photo.png", samples.png()[:40])


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\monitor\\Desktop\\Aktgjykimi.PDF", "Aktgjykimi.pdf"),
        ("a<b>:c|d?.txt", "a_b_c_d_.txt"),
        ("\x00\x1f.pdf", "_.pdf"),
        ("....pdf", "file.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("Procesverbali i seancës.docx", "Procesverbali i seancës.docx"),
    ],
)
def test_names_lose_their_path_and_unsafe_characters(given, kept):
    assert safe_name(given) == kept


# --- Found by review (each failed before its fix) -------------------------------------------------------
def test_a_huge_mimetype_entry_is_not_read_whole():
    bomb = samples.zipped({"mimetype": b"application/vnd.oasis.opendocument.text" + b" " * (60 * 1024 * 1024)})
    assert len(bomb) < 200_000
    refused("notes.odt", bomb)  # refused, without unpacking 60 MB to read the type


def test_a_damaged_zip_entry_is_refused_not_a_crash():
    import zipfile

    whole = samples.zipped({"mimetype": b"application/vnd.oasis.opendocument.text"}, compression=zipfile.ZIP_STORED)
    damaged = whole.replace(b"application/vnd", b"Application/vnd", 1)  # the bytes no longer match their CRC
    assert "damaged" in refused("notes.odt", damaged)


def test_pdf_names_spelt_with_hex_escapes_are_read_as_the_reader_reads_them():
    disguised = samples.PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>")
    assert "scripts" in refused("judgment.pdf", disguised)


def test_a_zip_hidden_after_a_pdf_behind_an_eof_comment_is_refused():
    import io as _io
    import zipfile

    out = _io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.html", b"<script>alert(1)</script>")
        archive.comment = b"%%EOF"
    assert "appended" in refused("judgment.pdf", samples.PDF + out.getvalue())


def test_macros_under_other_names_are_refused():
    odt_script = samples.zipped(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<x/>",
            "Scripts/python/evil.py": b"import os",
        }
    )
    assert "macros" in refused("notes.odt", odt_script)
    declared = samples.CONTENT_TYPES.replace(
        b"/>", b'><Override PartName="/word/x.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
    )
    docx_vba = samples.zipped({"[Content_Types].xml": declared, "word/document.xml": b"<x/>", "word/x.bin": b"VBA"})
    assert "macros" in refused("minutes.docx", docx_vba)


def test_a_jpeg_comment_is_not_kept():
    from PIL import Image as _Image

    out = io.BytesIO()
    _Image.new("RGB", (8, 8), "red").save(out, "JPEG", comment=b"SECRET comment")
    assert b"SECRET" in out.getvalue()
    assert b"SECRET" not in check("photo.jpg", out.getvalue()).data


def test_right_to_left_overrides_are_taken_out_of_names():
    assert safe_name("invoice\u202etxt.pdf") == "invoicetxt.pdf"
