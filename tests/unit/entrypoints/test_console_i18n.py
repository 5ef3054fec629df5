"""The console's words: every text is a message of the catalogs, every message has its
Chinese, and every status the platform can show has its words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from hubport.domain.access import LANGUAGES, ROLES
from hubport.domain.container import CustomsStatus
from hubport.domain.customs import DeclarationState
from hubport.domain.records import ContainerState
from hubport.entrypoints.console import words
from hubport.entrypoints.console.i18n import HERE, TEMPLATE_DIR, catalog_path, render, translations
from hubport.services.queries_console import ALARM_EVENTS

ROOT = Path(__file__).resolve().parents[3]
#: Text a template may show as it is: the brand, the languages' own names, units and
#: symbols, and the placeholder number of the hold form (ISO 6346's example).
VERBATIM = {
    "hubport",
    "English",
    "中文",
    "TEU",
    "m",
    "m²",
    "m³",
    "CNY",
    "t",
    "h",
    "kg",
    "km",
    "min",
    "p90",
    "CO₂",
}


def extracted() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(HERE), method_map, options, keywords={"_": None, "gettext": None, "N_": None}
        )
        if isinstance(message, str)
    }


def catalog(language: str) -> dict[str, str]:
    with catalog_path(language).open("rb") as po:
        return {str(m.id): str(m.string) for m in read_po(po) if m.id}


def test_every_message_of_the_console_is_in_the_chinese_catalog_and_translated() -> None:
    messages, chinese = extracted(), catalog("zh")
    assert len(messages) > 100
    assert messages - set(chinese) == set(), "missing in zh: run pybabel extract and translate"
    assert set(chinese) - messages == set(), "stale entries in zh"
    assert [m for m, text in chinese.items() if not text.strip()] == []


def _bare_text(source: str) -> list[str]:
    """The words of a template outside Jinja and markup: text that would not be translated."""
    source = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>", " ", source, flags=re.S)
    source = re.sub(r"&[a-z]+;", " ", source)
    return [w for w in re.findall(r"[^\W\d_]+[^\s·→–/()|,:%]*", source) if w not in VERBATIM]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATE_DIR.rglob("*.html")))
def test_no_template_shows_text_that_is_not_a_catalog_message(template: str) -> None:
    path = next(TEMPLATE_DIR.rglob(template))
    assert _bare_text(path.read_text()) == []


def test_attribute_texts_are_translated_too() -> None:
    """Titles, placeholders and labels in attributes go through the catalog as well."""
    for path in TEMPLATE_DIR.rglob("*.html"):
        for name, value in re.findall(r'\b(title|aria-label|alt)="([^"]*)"', path.read_text()):
            assert "{{" in value or not re.search(r"[A-Za-z]{3,}", value), (path.name, name)


def test_every_state_the_platform_shows_has_its_words() -> None:
    groups = words.GROUPS
    assert {s.value for s in ContainerState} <= set(groups["box_state"])
    assert {s.value for s in CustomsStatus} <= set(groups["customs"])
    assert {s.value for s in DeclarationState} | {"undeclared"} <= set(groups["declaration"])
    assert set(ROLES) <= set(groups["role"])
    assert set(ALARM_EVENTS) <= set(groups["alarm"])
    codes = {"not_found", "forbidden", "customs_refused", "invalid_request", "unauthorised"}
    assert codes <= set(groups["error"])


def test_a_page_renders_in_each_language_with_its_domain_words() -> None:
    assert set(LANGUAGES) == {"en", "zh"}
    zh = translations("zh")
    assert zh.gettext("Landed-cost bill") == "落地账单"
    assert zh.gettext("Arrival reports") == "运抵报告"
    assert zh.gettext("transit") == "转关"
    assert translations("en").gettext("Landed-cost bill") == "Landed-cost bill"
    english = render("en", "login.html", error="unauthorised", path="/console/login")
    chinese = render("zh", "login.html", error="unauthorised", path="/console/login")
    assert "Log in with a valid token." in english
    assert "请使用有效令牌登录。" in chinese and "Log in with a valid token." not in chinese


def test_the_babel_configuration_extracts_the_same_messages() -> None:
    """``babel.cfg`` (what a translator runs) covers the same files as this test."""
    config = (ROOT / "babel.cfg").read_text()
    assert "src/hubport/entrypoints/console/**.py" in config
    assert "src/hubport/entrypoints/console/templates/**.html" in config


def test_the_check_for_bare_text_finds_it() -> None:
    assert _bare_text('<p title="x">Hello {{ _("World") }} <b>there</b></p>') == ["Hello", "there"]
    assert _bare_text("<td>{{ box.number }} · 12 t</td><script>let a = 1;</script>") == []
