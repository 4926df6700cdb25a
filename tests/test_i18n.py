"""The catalogues: every marked text translated in Finnish and Swedish; dates, times and numbers each language's way."""

from __future__ import annotations

import datetime as dt

import pytest

from auditkit.i18n import DOMAINS, LANGUAGES, language, untranslated, using, wording


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_marked_text_is_translated(lang: str, domain: str) -> None:
    """A text the code marks but a catalogue lacks would reach a Finnish or Swedish reader in English."""
    missing = untranslated(lang, domain)
    assert missing == [], (f"{len(missing)} text(s) of {domain} have no {LANGUAGES[lang].name} translation; run "
                           f"`python -m auditkit.i18n {domain}` and translate them in "
                           f"locale/{lang}/LC_MESSAGES/{domain}.po: {missing[:5]}")


def test_dates_times_and_numbers_in_each_language() -> None:
    moment = dt.datetime(2026, 11, 30, 14, 19, tzinfo=dt.timezone.utc)  # 16.19 in Helsinki (EET)
    fi, sv, en = (wording("messages", code) for code in ("fi", "sv", "en"))
    assert (fi.date("2026-12-01"), sv.date(dt.date(2026, 12, 1)), en.date("2026-12-01")) == \
        ("1.12.2026", "1.12.2026", "1 Dec 2026")
    assert fi.time(moment) == "30.11.2026 klo 16.19 (Suomen aikaa)"
    assert sv.time(moment) == "30.11.2026 kl. 16.19 (finsk tid)"
    assert en.time(moment) == "30 Nov 2026 at 16:19 (Finnish time)"
    assert (fi.number(2.5), sv.number(2.456), en.number(2.5, 1)) == ("2,50", "2,46", "2.5")


def test_the_current_language_and_its_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITKIT_LANG", raising=False)
    assert wording().lang == "fi" and wording().tag == "fi-FI"
    monkeypatch.setenv("AUDITKIT_LANG", "sv_FI")
    assert wording().lang == "sv"
    with using("en"):
        assert wording().lang == "en"
    assert language("SV-fi").tag == "sv-FI"
    with pytest.raises(ValueError, match="choose fi, sv, en"):
        language("de")


def test_a_files_saved_time_is_said_in_finnish_time_with_the_zone() -> None:
    from auditkit.i18n import wording

    words = wording("messages", "fi")
    said = words.moment("2027-01-23T10:00:00Z")
    assert said.startswith("23.1.2027") and "12.00" in said and "2027-01-23" not in said
    assert words.moment("2026-11-30 23:53:11") == words.moment("2026-11-30T23:53:11Z")  # no zone: UTC
    assert words.moment("ei aikaa") == "ei aikaa"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_every_placeholder(lang: str, domain: str) -> None:
    """A translation that drops, renames or adds a {placeholder} would say the wrong thing or fail when
    said (str.format): each translation has exactly its English text's placeholders."""
    import string

    from babel.messages.pofile import read_po

    from auditkit.i18n import catalogue_path

    def fields(text: str) -> set[str]:
        try:
            return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as err:  # an unbalanced brace
            return {f"<unreadable: {err}>"}

    with catalogue_path(lang, domain).open("rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        wanted = set().union(*(fields(i) for i in ids))
        for text in strings:
            if text and fields(text) - wanted | (fields(ids[0]) - fields(text) - {"count"}):
                wrong.append((ids[0][:60], text[:60]))
    assert wrong == [], f"{len(wrong)} translation(s) in {lang}/{domain}.po with other placeholders: {wrong[:5]}"
