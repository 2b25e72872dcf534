"""The note scrubber: no ID number, phone number or e-mail address survives; ordinary text does."""

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.core.scrubber import REPLACEMENTS, scrub

# The checks are written here independently of the scrubber's own patterns.
SEP = r"[\s.\-\u2013\u2014()]"
TWELVE_DIGITS = re.compile(rf"\d(?:{SEP}{{0,3}}\d){{11}}")
PHONE = re.compile(rf"(?<!\d)(?:0|84)(?:{SEP}{{0,3}}\d){{9}}")
EMAIL = re.compile(r"\w@[\w-]+\.+[\w-]")

VIETNAMESE_LETTERS = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrst"
                      "uùúủũụưừứửữựvxyỳýỷỹỵ")
WORDS = ("bác", "cài", "ứng dụng", "tài khoản", "định danh", "điện thoại", "mật khẩu", "công an",
         "phường", "hồ sơ", "thuế", "bảo hiểm", "hướng dẫn", "quay lại", "tuần sau", "Hà Nội",
         "Nguyễn", "Trần", "đã", "chưa", "được", "không", "nhận", "mã", "OTP", "VNeID", "số")


def leaks(text: str) -> list[str]:
    found = [m.group(0) for m in TWELVE_DIGITS.finditer(text)]
    found += [m.group(0) for m in PHONE.finditer(text)]
    return found + [m.group(0) for m in EMAIL.finditer(text)]


def grouped(digits: str, draw) -> str:
    """``digits`` cut into groups joined by separators, as people write numbers."""
    out, index = [], 0
    while index < len(digits):
        size = draw(st.integers(1, 5))
        out.append(digits[index:index + size])
        index += size
        if index < len(digits):
            out.append(draw(st.sampled_from([" ", ".", "-", " - ", "  ", "\u00a0", ") ", "–"])))
    return "".join(out)


@st.composite
def personal_numbers(draw) -> str:
    kind = draw(st.sampled_from(["id", "mobile", "landline", "+84", "84"]))
    digits = draw(st.text("0123456789", min_size=12, max_size=12))
    number = {"id": digits, "mobile": "0" + digits[:9], "landline": "02" + digits[:9],
              "+84": "84" + digits[:9], "84": "84" + digits[:10]}[kind]
    return ("+" if kind == "+84" else "") + grouped(number, draw)


@st.composite
def emails(draw) -> str:
    local = draw(st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,12}", fullmatch=True))
    domain = draw(st.from_regex(r"[a-z0-9-]{1,10}(\.[a-z]{2,4}){1,2}", fullmatch=True))
    return f"{local}@{domain}"


words = st.sampled_from(WORDS) | st.text(VIETNAMESE_LETTERS, min_size=1, max_size=8)
noise = st.text(st.sampled_from("0123456789 .-()+@_–\n"), max_size=20)
pieces = st.one_of(words, personal_numbers(), emails(), noise, st.text(max_size=10),
                   st.sampled_from([" ", ", ", ". ", ": ", "\n", " (", ") "]))


@settings(max_examples=600, deadline=None)
@given(st.lists(pieces, max_size=14).map("".join))
@example("tổ 5 0912 345 678 gọi lại")
@example("001 234 567 890 1")
@example("5 6 7 0912345678")
@example("1234567 1234567")
@example("x@a.b@c.d 0912345678@gmail.com")
@example("+84 (0) 912 345 678")
def test_nothing_personal_survives_any_text(text):
    scrubbed = scrub(text)
    assert leaks(scrubbed.text) == []
    for kind, original in scrubbed.masked:
        assert kind in REPLACEMENTS and original


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=14).map("".join))
def test_scrubbing_twice_is_scrubbing_once(text):
    once = scrub(text)
    twice = scrub(once.text)
    assert twice.text == once.text and twice.masked == []


@st.composite
def short_numbers(draw) -> str:
    return draw(st.one_of(
        st.integers(0, 9999).map(str),
        st.builds(lambda d, m: f"{d}/{m}", st.integers(1, 31), st.integers(1, 12)),
        st.builds(lambda d, m, y: f"{d}/{m}/{y}", st.integers(1, 31), st.integers(1, 12),
                  st.integers(1990, 2030)),
        st.builds(lambda n: f"{n:,}".replace(",", "."), st.integers(1000, 9_999_999)),
        st.builds(lambda h, m: f"{h}h{m:02d}", st.integers(0, 23), st.integers(0, 59))))


@st.composite
def ordinary_vietnamese(draw) -> str:
    """Sentences of words, punctuation and short numbers, where a number is always followed by
    a word (as in "tổ 5", "2 lần", "ngày 12/3 lúc 9h30")."""
    tokens = []
    for _ in range(draw(st.integers(1, 12))):
        tokens.append(draw(words))
        if draw(st.booleans()):
            tokens.append(draw(short_numbers()))
            tokens.append(draw(words))
        tokens.append(draw(st.sampled_from([" ", ", ", ". ", "! ", "? ", ": ", " - ", "… "])))
    return "".join(tokens)


@settings(max_examples=400, deadline=None)
@given(ordinary_vietnamese())
@example("Bác ở tổ 5, đã đến 2 lần, hẹn ngày 12/3 lúc 9h30. Lệ phí 500.000 đồng.")
def test_ordinary_vietnamese_is_left_as_it_was(text):
    scrubbed = scrub(text)
    assert scrubbed.text == text
    assert scrubbed.masked == []


@pytest.mark.parametrize("text, expected, kinds", [
    ("SĐT 0912 345 678, tổ 5", "SĐT [số điện thoại], tổ 5", ["phone"]),
    ("gọi +84 912.345.678", "gọi [số điện thoại]", ["phone"]),
    ("bàn (024) 3826 1234", "bàn [số điện thoại]", ["phone"]),
    ("CCCD 001234567890", "CCCD [số định danh]", ["id_number"]),
    ("CCCD 001.234.567.890.", "CCCD [số định danh].", ["id_number"]),
    ("tổ 5 0912345678", "tổ 5 [số điện thoại]", ["phone"]),
    ("0912345678 0987654321", "[số điện thoại] [số điện thoại]", ["phone", "phone"]),
    ("email Lan.Nguyen+ks@gmail.com.vn nhé", "email [email] nhé", ["email"]),
])
def test_known_cases_are_masked_as_expected(text, expected, kinds):
    scrubbed = scrub(text)
    assert scrubbed.text == expected
    assert [kind for kind, _ in scrubbed.masked] == kinds


def test_the_volunteer_sees_what_was_masked():
    scrubbed = scrub("Con gái: 0912 345 678, email lan@example.vn")
    assert ("phone", "0912 345 678") in scrubbed.masked
    assert ("email", "lan@example.vn") in scrubbed.masked


def test_a_long_word_before_an_at_sign_is_handled_in_linear_time():
    scrubbed = scrub("a" * 50_000 + "@")
    assert scrubbed.masked == []


# The shapes a security review found getting through (old 9-digit IDs, bank accounts, phone
# numbers with other separators, e-mails written to dodge a filter), each generated and put
# between ordinary words: the result must be exactly the words around the replacement.
WIDE_JOINS = ["/", "_", ",", "·", "•", "~", " / ", " · ", "\u200b", "\u200c", "\u2060",
              "    ", "      ", "\u00a0\u00a0\u00a0\u00a0"]
ID_WORDS = ["CMND", "CMND số", "số CMND:", "CMT", "chứng minh nhân dân", "Chứng minh thư số",
            "so cmnd"]
BANK_WORDS = ["STK", "STK:", "số TK", "Số tài khoản:", "so tai khoan", "tài khoản ngân hàng",
              "TK ngân hàng", "account number"]
AT_FORMS = ["@", "＠", " @ ", "(at)", " (at) ", "[at]", " [at] ", "{at}", " at "]
DOT_FORMS = {"@": [".", " . ", "．", "(dot)", " [dot] "], "word": [".", "(dot)", " dot "]}
plain_words = st.lists(st.sampled_from([w for w in WORDS if w != "tài khoản"]),  # names a kind
                       min_size=1, max_size=4).map(" ".join)


def joined(digits: str, join: str, draw) -> str:
    """``digits`` cut into groups of 2 to 4 joined by ``join``."""
    out, index = [], 0
    while index < len(digits):
        size = draw(st.integers(2, 4))
        out.append(digits[index:index + size])
        index += size
    return join.join(out)


@st.composite
def found_shapes(draw) -> tuple[str, str, str]:
    """(the shape as written, what stays of it, its kind)."""
    shape = draw(st.sampled_from(["old_id_word", "old_id_zero", "old_id_plain", "bank_word",
                                  "bank_plain", "phone_wide", "phone_0084", "email"]))
    nine = draw(st.text("0123456789", min_size=9, max_size=9))
    if shape == "old_id_word":
        word = draw(st.sampled_from(ID_WORDS))
        return f"{word} {grouped(nine, draw)}", f"{word} ", "id_number"
    if shape == "old_id_zero":
        return grouped("0" + nine[1:], draw), "", "id_number"
    if shape == "old_id_plain":
        return "1" + nine[1:], "", "id_number"
    if shape == "bank_word":
        word = draw(st.sampled_from(BANK_WORDS))
        account = draw(st.text("0123456789", min_size=6, max_size=16))
        return f"{word} {grouped(account, draw)}", f"{word} ", "bank_account"
    if shape == "bank_plain":
        size = draw(st.sampled_from([10, 11, 13, 14, 15, 16]))  # 12 digits: a CCCD
        return "1" + draw(st.text("0123456789", min_size=size - 1, max_size=size - 1)), "", \
            "bank_account"
    if shape in ("phone_wide", "phone_0084"):
        number = draw(st.sampled_from(["0", "84", "0084"])) + nine if shape == "phone_0084" \
            else "0" + nine
        lead = "+" if number.startswith("84") and draw(st.booleans()) else ""
        return lead + joined(number, draw(st.sampled_from(WIDE_JOINS)), draw), "", "phone"
    at = draw(st.sampled_from(AT_FORMS))
    dots = DOT_FORMS["word" if "at" in at else "@"]
    local = draw(st.from_regex(r"[a-z][a-z0-9._]{1,12}[a-z0-9]", fullmatch=True))
    labels = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,8}[a-z0-9]", fullmatch=True),
                           min_size=1, max_size=2))
    tld = draw(st.from_regex(r"[a-z]{2,4}", fullmatch=True))
    domain = "".join(label + draw(st.sampled_from(dots)) for label in labels) + tld
    return f"{local}{at}{domain}", "", "email"


@settings(max_examples=500, deadline=None)
@given(plain_words, found_shapes(), plain_words)
@example("Bác Lan", ("CMND 123456789", "CMND ", "id_number"), "nhé")
@example("Bác Lan", ("012.345.678", "", "id_number"), "nhé")
@example("chuyển", ("STK 1012345678", "STK ", "bank_account"), "nhé")
@example("gọi", ("0912/345/678", "", "phone"), "nhé")
@example("gọi", ("0912\u200b345\u200b678", "", "phone"), "nhé")
@example("gọi", ("0084 912 345 678", "", "phone"), "nhé")
@example("gửi", ("lan(at)gmail.com", "", "email"), "nhé")
@example("gửi", ("lan @ gmail . com", "", "email"), "nhé")
@example("gửi", ("lan＠gmail.com", "", "email"), "nhé")
def test_every_shape_the_review_found_is_masked(before, found, after):
    shape, kept, kind = found
    scrubbed = scrub(f"{before} {shape} {after}")
    assert scrubbed.text == f"{before} {kept}{REPLACEMENTS[kind]} {after}"
    assert [masked.kind for masked in scrubbed.masked] == [kind]


@st.composite
def everyday_numbers(draw) -> str:
    """Dates, prices, times and addresses as written in notes."""
    day, month = draw(st.integers(1, 28)), draw(st.integers(1, 12))
    year = draw(st.integers(1990, 2030))
    return draw(st.sampled_from([
        f"{day:02d}/{month:02d}/{year}", f"{day}/{month}/{year}",
        f"{day:02d}/{month:02d}/{year}, {month:02d}/{day:02d}/{year}",
        f"{day:02d}.{month:02d}.{year}", f"{day:02d}-{month:02d}-{year}",
        f"{draw(st.integers(1, 999_999_999)):,}".replace(",", ".") + " đồng",
        f"{draw(st.integers(1, 999))}.000đ",
        f"số {draw(st.integers(1, 300))} ngõ {draw(st.integers(1, 300))}/{day}/{month}",
        f"nhà {day}/{month} ngách {draw(st.integers(1, 99))}",
        f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
        f"{draw(st.integers(0, 23))}h{draw(st.integers(0, 59)):02d}",
        f"{draw(st.integers(0, 23))} giờ {draw(st.integers(0, 59))} phút",
        f"tổ {day}, phường {month}", f"tạo tài khoản {day} lần",
        f"từ {draw(st.integers(7, 11))}h đến {draw(st.integers(12, 17))}h"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(plain_words, everyday_numbers()), min_size=1, max_size=5))
@example([("Hẹn bác", "12/03/2024, 03/12/2024")])
@example([("Lệ phí", "123.456.789 đồng")])
@example([("Nhà bác ở", "số 12 ngõ 34/56/7")])
@example([("đến lúc", "08:30")])
def test_dates_prices_times_and_addresses_are_left_alone(parts):
    text = ". ".join(f"{words} {numbers}" for words, numbers in parts) + "."
    scrubbed = scrub(text)
    assert scrubbed.text == text and scrubbed.masked == []


def test_an_english_at_without_an_address_is_left_alone():
    for text in ("meet at home. Then call", "at 9h30 at the ward office", "lan at nhà văn hóa"):
        assert scrub(text).text == text
