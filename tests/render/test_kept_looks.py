"""What a build keeps in its cache of the pages' look: what each page uses of Designsystemet
(designsystem.UsageTable) and the front page's rules of kurs.css (front_style). No build here: each
test asks the functions a build asks, with a cache of its own, twice."""

from __future__ import annotations

import pytest

from builder.infra import cache
from builder.render import designsystem, front_style


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KULTURSKOLE_CACHE", str(tmp_path / "cache"))
    front_style._selected.cache_clear()
    front_style._asked.cache_clear()
    yield tmp_path / "cache"
    front_style._selected.cache_clear()
    front_style._asked.cache_clear()


CARD = b'<div class="ds-card" data-color="accent">Kort</div>'
ALERT = b'<div class="ds-alert" data-color="danger">Varsel</div>'


def test_a_page_s_usage_is_kept_by_its_bytes_and_an_edited_page_is_scanned_again(own_cache, monkeypatch):
    """If this broke, a page edited to use a new component (a card becomes an alert) would keep the
    stylesheets of its old text after a warm build: the alert unstyled for learners, and a warm build
    that differs from a clean one."""
    first = designsystem.UsageTable("web kurs nb m1")
    card = first.usage(CARD)
    first.save()
    assert "ds-card" in card

    scanned = []
    real = designsystem.usage
    monkeypatch.setattr(designsystem, "usage", lambda text: scanned.append(text) or real(text))
    second = designsystem.UsageTable("web kurs nb m1")
    assert second.usage(CARD) == card and scanned == []          # kept: not scanned again
    alert = second.usage(ALERT)                                   # the same site, a page's new text
    assert scanned == [ALERT] and "ds-alert" in alert and "ds-card" not in alert
    assert "data-color=danger" in alert
    second.save()

    third = designsystem.UsageTable("web kurs nb m1")      # the card page is gone from the site
    third.usage(ALERT)
    third.save()
    assert scanned == [ALERT]
    designsystem.UsageTable("web kurs nb m1").usage(CARD)
    assert scanned == [ALERT, CARD], "the table holds the texts of the last build only, so it never grows"


def test_a_broken_usage_table_is_made_again(own_cache):
    """If this broke, a damaged cache entry would stop every later build with a pickle error (or be
    trusted), instead of being made again."""
    table = designsystem.UsageTable("web kurs nb m1")
    cache.put_blob("usage", table._key, b"not a pickle", replace=True)
    again = designsystem.UsageTable("web kurs nb m1")
    assert "ds-alert" in again.usage(ALERT)


CSS_A = ".hero{color:red}.module-card{color:blue}"
CSS_B = ".hero{color:green}.module-card{color:blue}"


def test_the_front_page_rules_are_kept_by_kurs_css_and_the_words(own_cache):
    """If this broke, a warm build after an edit of kurs.css (or of the front page's classes) would
    inline the front page's old rules: the front page styled as before the edit, unlike a clean build."""
    hero = frozenset({"w:hero"})
    assert front_style._selected(CSS_A, hero) == ".hero{color:red}"
    front_style._selected.cache_clear()              # a new build process: only the build cache remains
    assert front_style._selected(CSS_B, hero) == ".hero{color:green}"
    front_style._selected.cache_clear()
    assert front_style._selected(CSS_A, frozenset({"w:module-card"})) == ".module-card{color:blue}"
    assert front_style._asked(CSS_A) == frozenset({"w:hero", "w:module-card"})
    front_style._asked.cache_clear()
    assert front_style._asked(".banner{color:red}") == frozenset({"w:banner"})
