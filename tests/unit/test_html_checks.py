import pytest

from tests.support.html import assert_valid_html

GOOD = (
    '<!DOCTYPE html><html lang="en"><head><title>T</title></head>'
    '<body><p id="a">x</p></body></html>'
)


def test_a_valid_page_passes():
    assert_valid_html(GOOD)


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (GOOD.replace("<p id", "<div><p id"), "invalid HTML"),
        (GOOD.replace("</p>", "</p></span>"), "invalid HTML"),
        (GOOD.replace('<p id="a">x</p>', '<p id="a">x</p><p id="a">y</p>'), "duplicate ids"),
        (GOOD.replace(' lang="en"', ""), "no lang"),
        (GOOD.replace("<title>T</title>", ""), "no <title>"),
        (GOOD.replace("<!DOCTYPE html>", ""), "invalid HTML"),
    ],
)
def test_broken_pages_fail_with_a_reason(page, message):
    with pytest.raises(AssertionError, match=message):
        assert_valid_html(page)
