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
