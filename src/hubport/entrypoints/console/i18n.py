"""The console's languages: gettext catalogs read with Babel, one Jinja environment each.

The English text is the message id; ``locale/zh/LC_MESSAGES/hubport.po`` holds the
Chinese, with the domain words of the site's glossary (班列, 运抵报告, 转关, 落地账单 …).
"""

from __future__ import annotations

import io
import secrets
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

from hubport.domain.access import LANGUAGES
from hubport.entrypoints.console import words

HERE = Path(__file__).parent
LOCALE_DIR = HERE / "locale"
TEMPLATE_DIR = HERE / "templates"
DOMAIN = "hubport"


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The translations of ``language`` (English: the message ids themselves)."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    path = catalog_path(language)
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@cache
def environment(language: str) -> Environment:
    """The templates, rendering in ``language``."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(("html",)),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    found = translations(language)
    env.install_gettext_translations(found, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        word=lambda group, key: _word(found, group, key),
        language=language,
        languages=LANGUAGES,
        nonce=lambda: secrets.token_hex(8),
        # a site's or port's name in this language, where its site file gives one
        named=lambda place: place.names.get(language, place.name),
    )
    return env


def _word(found: NullTranslations, group: str, key: Any) -> str:
    """A status, state or code of the platform in the page's language."""
    text = words.GROUPS[group].get(str(key))
    return str(key) if text is None else found.gettext(text)


def render(language: str, template: str, **context: Any) -> str:
    return environment(language).get_template(template).render(**context)


__all__ = ["LOCALE_DIR", "TEMPLATE_DIR", "catalog_path", "environment", "render", "translations"]
