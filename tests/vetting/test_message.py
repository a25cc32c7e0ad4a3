"""Reading a message: which part is its text, and headers as their sender wrote them."""

from __future__ import annotations

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
