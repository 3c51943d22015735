"""The pure rules for what participants type, and the CSV cells (no database)."""

from __future__ import annotations

import pytest

from registrations import cleaning, spreadsheet
from registrations.cleaning import QuestionRule
from registrations.errors import RegistrationsError

pytestmark = pytest.mark.pure

QUESTIONS = [
    QuestionRule(
        key="role", kind="choice", required=True, choices=("chair", "member"), text="Role"
    ),
    QuestionRule(key="first-time", kind="yes_no", text="First time?"),
    QuestionRule(key="topics", kind="text", text="Topics"),
]


def refusal(function, *args, **kwargs) -> tuple[str | None, str]:
    with pytest.raises(RegistrationsError) as caught:
        function(*args, **kwargs)
    return caught.value.field, caught.value.message


def test_clean_line_trims_and_keeps_script_tags_as_text():
    assert cleaning.clean_line("  <script>alert(1)</script> ", field="name", max_length=50) == (
        "<script>alert(1)</script>"
    )


@pytest.mark.parametrize("value", ["Ann\x00", "Ann\nBee", "Ann\tBee", "Ann\x1b[31m", "\u202eAnn"])
def test_clean_line_refuses_control_characters(value):
    assert refusal(cleaning.clean_line, value, field="name", max_length=50) == (
        "name",
        "Remove the control characters (line breaks, tabs or direction marks).",
    )


def test_clean_line_refuses_oversized_text():
    assert refusal(cleaning.clean_line, "x" * 201, field="name", max_length=200) == (
        "name",
        "Use at most 200 characters.",
    )


def test_normalise_email_lowercases_the_address():
    assert cleaning.normalise_email(" Ada.Lovelace@Example.ORG ") == "ada.lovelace@example.org"


@pytest.mark.parametrize("value", ["", "not-an-email", "a@b", "x" * 250 + "@example.org"])
def test_normalise_email_refuses_bad_addresses(value):
    assert refusal(cleaning.normalise_email, value)[0] == "email"


def test_clean_country_uppercases_a_known_code():
    assert [cleaning.clean_country(code) for code in ("ke", "BR", "")] == ["KE", "BR", ""]


def test_clean_country_refuses_unknown_codes():
    assert refusal(cleaning.clean_country, "XX") == (
        "country",
        "Use a two-letter ISO 3166-1 country code, such as KE, BR or FR.",
    )


def test_clean_timezone_suggests_the_country_zone_when_none_given():
    assert [
        cleaning.clean_timezone("", country="KE"),
        cleaning.clean_timezone("", country="US"),
        cleaning.clean_timezone("", country=""),
        cleaning.clean_timezone("Asia/Tokyo", country="KE"),
    ] == ["Africa/Nairobi", "America/New_York", "", "Asia/Tokyo"]


def test_clean_timezone_refuses_fixed_offsets():
    field, message = refusal(cleaning.clean_timezone, "UTC+3", country="")
    assert (field, message.startswith("“UTC+3” is a fixed offset")) == ("timezone", True)


def test_clean_language_accepts_supported_codes_case_insensitively():
    supported = ("en", "fr", "zh-hans")
    assert [
        cleaning.clean_language("zh-Hans", supported=supported, default="en"),
        cleaning.clean_language("", supported=supported, default="en"),
    ] == ["zh-hans", "en"]
    assert refusal(cleaning.clean_language, "pt", supported=supported, default="en") == (
        "language",
        "Language must be one of: en, fr, zh-hans.",
    )


def test_clean_answers_keeps_valid_answers_and_drops_empty_optional_ones():
    assert cleaning.clean_answers(
        QUESTIONS, {"role": "chair", "first-time": False, "topics": "  "}
    ) == {"role": "chair", "first-time": False}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "Please answer “Role”."),
        ({"role": "boss"}, "For “Role” choose one of: chair, member."),
        ({"role": "chair", "first-time": "yes"}, "Answer “First time?” with true or false."),
        ({"role": "chair", "topics": ["a"]}, "Answer “Topics” with text."),
        (
            {"role": "chair", "topics": "x" * 2001},
            "Keep the answer to “Topics” to at most 2000 characters.",
        ),
        (
            {"role": "chair", "topics": "a\x00b"},
            "Remove the control characters from the answer to “Topics”.",
        ),
        ({"role": "chair", "colour": "red"}, "Unknown question: colour."),
        ({"role": "chair", "<script>": "x"}, "Unknown question."),
        ([], "Send the answers as an object keyed by question."),
    ],
)
def test_clean_answers_refuses_what_does_not_fit(answers, message):
    assert refusal(cleaning.clean_answers, QUESTIONS, answers) == ("answers", message)


def test_clean_answers_keeps_line_breaks_in_text():
    assert cleaning.clean_answers(QUESTIONS, {"role": "member", "topics": "a\nb"}) == {
        "role": "member",
        "topics": "a\nb",
    }


def test_new_token_has_256_bits_and_differs_each_time():
    tokens = {cleaning.new_token() for _ in range(5)}
    assert (len(tokens), {len(token) for token in tokens}) == (5, {43})


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+31 20", "'+31 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (True, "yes"),
        (None, ""),
        (3, "3"),
    ],
)
def test_neutralise_cell_prefixes_formula_starts(value, cell):
    assert spreadsheet.neutralise_cell(value) == cell


def test_build_csv_has_bom_crlf_and_quotes():
    assert spreadsheet.build_csv(["name", "=x"], [["Ann, B", "é"], ['say "hi"', None]]) == (
        '\ufeffname,\'=x\r\n"Ann, B",é\r\n"say ""hi""",\r\n'
    )
