"""Every string marked for translation has Welsh (the Welsh Language Standards).

No database and no compiled .mo: the messages are extracted from the source with
babel.cfg, as `pybabel extract` does, and compared with the Welsh catalogue. To fix a
failure, follow the workflow at the top of babel.cfg (extract, update, translate).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "babel.cfg"
WELSH_PO = ROOT / "app" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
FIX = "Fix: see the workflow in babel.cfg (pybabel extract, update --ignore-obsolete)."

# One %-format conversion, as Python's % operator reads it (named or positional, or %%).
_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)


def _extract(root: Path) -> Catalog:
    """The messages under `root`, extracted with babel.cfg's mapping and options."""
    with MAPPING.open(encoding="utf-8") as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, str(MAPPING))

    def only_app(dirpath: str) -> bool:  # and, as pybabel, no .hidden or _private folders
        relative = Path(os.path.relpath(dirpath, root))
        hidden = any(part.startswith((".", "_")) for part in relative.parts)
        return relative.parts[:1] in ((), ("app",)) and not hidden

    catalog = Catalog(locale=None)
    found = extract_from_dir(str(root), method_map, options_map, directory_filter=only_app)
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


@pytest.fixture(scope="module")
def source() -> Catalog:
    return _extract(ROOT)


@pytest.fixture(scope="module")
def welsh() -> Catalog:
    with WELSH_PO.open("rb") as fileobj:
        return read_po(fileobj, locale="cy")


def _messages(catalog: Catalog) -> Iterable[Message]:
    return (message for message in catalog if message.id)


def _key(message: Message) -> tuple[object, str | None]:
    return (message.id, message.context)


def _describe(message: Message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    where = ", ".join(f"{filename}:{lineno}" for filename, lineno in message.locations)
    context = f" [context {message.context!r}]" if message.context else ""
    return f"{msgid!r}{context}" + (f" ({where})" if where else "")


def _placeholders(text: str) -> tuple[Counter[str], bool]:
    """The %-conversions in `text`, and whether it has a stray % that is none."""
    found = Counter(
        f"%({match['name']}){match['conv']}" if match["name"] is not None else match[0]
        for match in _PLACEHOLDER.finditer(text)
    )
    return found, "%" in _PLACEHOLDER.sub("", text)


def _forms(message: Message) -> list[str]:
    string = message.string
    return (
        [str(form or "") for form in string]
        if isinstance(string, (tuple, list))
        else [str(string or "")]
    )


def _placeholder_problem(message: Message) -> str | None:
    msgids = [message.id] if isinstance(message.id, str) else list(message.id)
    expected = [_placeholders(msgid)[0] for msgid in msgids]
    allowed = sum(expected, Counter())
    for form in _forms(message):
        if not form:
            continue  # missing Welsh is reported by test_every_source_string_has_welsh
        found, stray = _placeholders(form)
        if stray:
            return f"stray % in {form!r} (write %% for a literal percent sign)"
        # Singular: exactly the msgid's. Plural: a form may leave out the count.
        fits = found == expected[0] if len(msgids) == 1 else not found - allowed
        if not fits:
            return f"{sorted(found.elements())} in {form!r}, msgid has {sorted(allowed)}"
    return None


def test_mapping_extracts_lazy_gettext_and_keyword_arguments(tmp_path):
    """babel.cfg's keywords reach the extractors (they need Babel 2.17 or later)."""
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "errors.py").write_text(
        'from flask_babel import lazy_gettext as _l\nTITLE = _l("Page not found")\n'
    )
    (tmp_path / "app" / "templates" / "page.html").write_text(
        '<p>{{ _("Phone: %(phone)s", phone=brand.phone) }}</p>\n'
    )
    extracted = _extract(tmp_path)
    assert {message.id for message in _messages(extracted)} == {
        "Page not found",
        "Phone: %(phone)s",
    }
    phone = extracted.get("Phone: %(phone)s")
    assert phone is not None
    assert phone.python_format


def test_source_has_strings_to_translate(source):
    assert len(list(_messages(source))) > 0, "nothing extracted: check babel.cfg's patterns"


def test_catalogue_is_welsh(welsh):
    assert welsh.locale is not None
    assert str(welsh.locale) == "cy"
    welsh_plurals = get_plural("cy")
    assert (welsh.num_plurals, welsh.plural_expr) == (
        welsh_plurals.num_plurals,
        welsh_plurals.plural_expr,
    )
    assert "Welsh-language officer" in welsh.header_comment


def test_every_source_string_has_welsh(source, welsh):
    problems = []
    for message in _messages(source):
        found = welsh.get(message.id, message.context)
        if found is None:
            problems.append(f"missing: {_describe(message)}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {_describe(message)}")
        elif not all(_forms(found)) or len(_forms(found)) != (
            welsh.num_plurals if found.pluralizable else 1
        ):
            problems.append(f"no Welsh: {_describe(message)}")
    assert not problems, (
        f"{len(problems)} string(s) without Welsh in {WELSH_PO.relative_to(ROOT)}:\n  "
        + "\n  ".join(problems)
        + f"\n{FIX}"
    )


def test_placeholders_match_the_msgid(welsh):
    problems = []
    for message in _messages(welsh):
        problem = _placeholder_problem(message)
        if problem:
            problems.append(f"{_describe(message)}: {problem}")
    assert not problems, "placeholders differ from the msgid:\n  " + "\n  ".join(problems)


def test_no_obsolete_entries(welsh):
    obsolete = [_describe(message) for message in welsh.obsolete.values()]
    assert not obsolete, (
        f"{len(obsolete)} obsolete (#~) entr(y/ies) in {WELSH_PO.relative_to(ROOT)}:\n  "
        + "\n  ".join(obsolete)
        + f"\n{FIX}"
    )


def test_no_entries_for_strings_no_longer_in_the_source(source, welsh):
    in_source = {_key(message) for message in _messages(source)}
    stale = [_describe(message) for message in _messages(welsh) if _key(message) not in in_source]
    assert not stale, (
        f"{len(stale)} entr(y/ies) in {WELSH_PO.relative_to(ROOT)} no longer in the source:\n  "
        + "\n  ".join(stale)
        + f"\n{FIX}"
    )
