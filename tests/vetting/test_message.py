"""Reading a message: which part is its text, and headers as their sender wrote them."""

from __future__ import annotations

import pytest

from prospect.errors import InputError
from prospect.vetting.message import read_message

HTML = ("<html><body><p>Your subscription is auto renewed today for $483.75.</p>"
        "<p>If you don't want to continue, please call us at <b>(805)-203-8709</b>.</p>"
        "</body></html>")


def _multipart(plain: str) -> bytes:
    return ("From: Billing <billing@renewals.example>\nSubject: Sale receipt\n"
            "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\n"
            f"--b1\nContent-Type: text/html; charset=utf-8\n\n{HTML}\n"
            f"--b1\nContent-Type: text/plain\n\n{plain}\n--b1--\n").encode()


def test_an_empty_plain_part_beside_the_html_is_a_stub_and_the_html_is_read() -> None:
    # A phishing kit's trick: filters that read the plain part read nothing.
    msg = read_message(_multipart(""), "stub.eml")
    assert "call us at" in msg.body and "(805)-203-8709" in msg.body


def test_a_plain_part_with_text_is_the_message() -> None:
    msg = read_message(_multipart("Your order ships on Monday. Thank you for shopping with us."),
                       "plain.eml")
    assert msg.body.strip() == "Your order ships on Monday. Thank you for shopping with us."


def test_a_header_in_raw_utf8_reads_as_its_characters() -> None:
    raw = "From: a@b.example\nSubject: Request for Completion – Transaction 33\n\nhello\n"
    assert read_message(raw.encode("utf-8"), "raw.eml").subject == \
        "Request for Completion – Transaction 33"
    latin = "From: a@b.example\nSubject: Caf\xe9 order\n\nhello\n".encode("latin-1")
    assert read_message(latin, "latin.eml").subject == "Café order"


def test_a_plain_text_in_a_chinese_or_latin_code_page_is_read_in_it() -> None:
    # A message saved as text by Notepad or an older mail program: GBK, windows-1252.
    chinese = "您好，我公司需要大量采购贵司的产品，请先支付保证金到以下账户，收到后立即签合同。"
    assert read_message(chinese.encode("gbk"), "inquiry.txt").body == chinese
    latin = "Sehr geehrte Damen und Herren, wir möchten Ihre Waren für unseren Großhandel kaufen."
    assert read_message(latin.encode("cp1252"), "anfrage.txt").body == latin


@pytest.mark.parametrize(("data", "says"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4, "Outlook"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF"),
    (b"PK\x03\x04" + bytes(range(256)) * 4, "zip"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a message"),
], ids=["msg", "pdf", "zip", "png"])
def test_a_file_that_is_no_message_is_refused_with_what_it_is(data: bytes, says: str) -> None:
    # Read as text, its bytes gave red flags of their own (a D for a picture).
    with pytest.raises(InputError, match=says):
        read_message(data, "file")
