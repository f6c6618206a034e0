"""The sources file: the shipped one loads, bad entries are named, schedules follow intervals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ingest.schedule import Schedule
from ingest.sources import SourcesError, default_sources_path, load_sources, parse_duration


def test_shipped_sources_file_is_valid_and_covers_the_city_sites():
    sources = load_sources(default_sources_path())
    hosts = {s.host for s in sources}
    assert "malangkota.go.id" in hosts
    assert sum(h.endswith(".malangkota.go.id") for h in hosts) >= 8
    assert all(s.opd for s in sources)
    assert {s.kind for s in sources} >= {"wordpress", "html"}
    html_sources = [s for s in sources if s.kind == "html"]
    assert all(s.selectors.item for s in html_sources)


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ('id = "a"\nkind = "wordpress"\nurl = "https://x.malangkota.go.id/"', "opd"),
        ('id = "a"\nkind = "ftp"\nurl = "https://x/"\nopd = "X"', "kind"),
        ('id = "a"\nkind = "feed"\nurl = "file:///etc/passwd"\nopd = "X"', "url"),
        ('id = "A B"\nkind = "feed"\nurl = "https://x/"\nopd = "X"', "id"),
        ('id = "a"\nkind = "feed"\nurl = "https://x/"\nopd = "X"\ninterval = "often"', "duration"),
        ('id = "a"\nkind = "html"\nurl = "https://x/"\nopd = "X"', "selectors.item"),
        ('id = "a"\nkind = "feed"\nurl = "https://x/"\nopd = "X"\ncolour = "red"', "colour"),
    ],
)
def test_bad_entries_are_reported_with_the_key(tmp_path, entry, named):
    path = tmp_path / "sources.toml"
    path.write_text("[[source]]\n" + entry + "\n", encoding="utf-8")
    with pytest.raises(SourcesError) as error:
        load_sources(path)
    assert named in str(error.value)
    assert "source #1" in str(error.value)


def test_duplicate_ids_and_broken_toml_are_refused(tmp_path):
    path = tmp_path / "sources.toml"
    one = '[[source]]\nid = "a"\nkind = "feed"\nurl = "https://x/"\nopd = "X"\n'
    path.write_text(one + one, encoding="utf-8")
    with pytest.raises(SourcesError, match="duplicate id"):
        load_sources(path)
    path.write_text("[[source]\nid=", encoding="utf-8")
    with pytest.raises(SourcesError, match="not valid TOML"):
        load_sources(path)
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "missing.toml")


def test_defaults_apply_and_durations_parse(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[defaults]\ninterval = "2h"\n'
        '[[source]]\nid = "a"\nkind = "feed"\nurl = "https://a.malangkota.go.id/feed/"\nopd = "A"\n'
        '[[source]]\nid = "b"\nkind = "feed"\nurl = "https://b.malangkota.go.id/feed/"\nopd = "B"\n'
        'interval = "15m"\ncategory = "Berita"\n',
        encoding="utf-8",
    )
    a, b = load_sources(path)
    assert (a.interval, b.interval) == (7200, 900)
    assert b.categories == ("Berita",)
    assert parse_duration("1d") == 86400 and parse_duration(30) == 30
    with pytest.raises(ValueError):
        parse_duration("0m")


def test_schedule_runs_each_source_at_its_own_interval(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nid = "fast"\nkind = "feed"\nurl = "https://a.malangkota.go.id/feed/"\n'
        'opd = "A"\ninterval = "15m"\n'
        '[[source]]\nid = "slow"\nkind = "feed"\nurl = "https://b.malangkota.go.id/feed/"\n'
        'opd = "B"\ninterval = "1h"\n',
        encoding="utf-8",
    )
    schedule = Schedule(load_sources(path))
    start = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    assert [s.id for s in schedule.due(start)] == ["fast", "slow"]
    for source in schedule.due(start):
        schedule.done(source.id, start)
    assert schedule.due(start + timedelta(minutes=10)) == []
    assert schedule.seconds_until_next(start + timedelta(minutes=10)) == 300
    assert [s.id for s in schedule.due(start + timedelta(minutes=15))] == ["fast"]
    assert [s.id for s in schedule.due(start + timedelta(hours=1))] == ["fast", "slow"]
