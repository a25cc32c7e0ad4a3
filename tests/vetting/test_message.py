"""Reading a message: which part is its text, and headers as their sender wrote them."""

from __future__ import annotations

import io

import pytest

from prospect.errors import InputError
from prospect.vetting.message import read_message, read_outlook

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
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4, "Outlook message.*damaged"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF"),
    (b"PK\x03\x04" + bytes(range(256)) * 4, "zip"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a message"),
], ids=["msg", "pdf", "zip", "png"])
def test_a_file_that_is_no_message_is_refused_with_what_it_is(data: bytes, says: str) -> None:
    # Read as text, its bytes gave red flags of their own (a D for a picture).
    with pytest.raises(InputError, match=says):
        read_message(data, "file")


class _Compound:
    """An Outlook .msg file's streams as olefile gives them ([MS-OXMSG]: a property a stream,
    "__substg1.0_" + its tag + its type, 001F for UTF-16 text)."""

    def __init__(self, streams: dict[str, str]) -> None:
        self.streams = {name: text.encode("utf-16-le") for name, text in streams.items()}

    def exists(self, name: str) -> bool:
        return name in self.streams

    def openstream(self, name: str) -> io.BytesIO:
        return io.BytesIO(self.streams[name])

    def listdir(self) -> list[list[str]]:
        return [name.split("/") for name in self.streams]


def test_an_outlook_message_is_read_with_its_headers_body_and_attachments() -> None:
    headers = ("Received: from mail.example.net\r\nFrom: \"Global Trade Ltd\" "
               "<buyer@gmail.com>\r\nReply-To: pay@tradeglobal-invoices.com\r\nSubject: Urgent "
               "order\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n"
               "\tboundary=\"b1\"\r\n\r\n")  # as Outlook keeps them, with the blank line
    msg = read_outlook(_Compound({
        "__substg1.0_007D001F": headers,
        "__substg1.0_0037001F": "Urgent order",
        "__substg1.0_1000001F": "Dear sir, we need 40 containers at once. Pay the fee first.",
        "__substg1.0_0C1A001F": "Global Trade Ltd",
        "__substg1.0_5D01001F": "buyer@gmail.com",
        "__attach_version1.0_#00000000/__substg1.0_3707001F": "invoice.pdf.exe",
    }), "order.msg")
    assert msg.headers and msg.subject == "Urgent order" and msg.source == "order.msg"
    assert msg.from_addr == "buyer@gmail.com" and msg.reply_to == ("pay@tradeglobal-invoices.com",)
    assert msg.body.startswith("Dear sir, we need 40 containers"), msg.body
    assert msg.attachments == ("invoice.pdf.exe",)
    # A draft or a saved sent item has no internet headers: its properties say who and what.
    draft = read_outlook(_Compound({
        "__substg1.0_0037001F": "询价", "__substg1.0_1000001F": "您好，请报价。",
        "__substg1.0_0C1A001F": "王先生", "__substg1.0_0C1F001F": "wang@example.cn"}), "d.msg")
    assert (draft.subject, draft.body, draft.from_name, draft.from_addr, draft.headers) == (
        "询价", "您好，请报价。", "王先生", "wang@example.cn", False)
