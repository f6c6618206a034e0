"""The registry of official channels: harvesting what releases state (with the release as the
source) through `flask channels harvest`, listing it with `flask channels`, and the store's rules;
on a fresh data dir with the two releases of tests/channels.py."""

from __future__ import annotations

import pytest

from archive.channels import ChannelInput
from archive.editorial import EditorialError
from tests.channels import now, rows, store, with_two_releases
from tests.staff import editorial


@pytest.fixture
def site(app):
    """The app with two releases archived and indexed; their ids by slug in config."""
    return with_two_releases(app)


# Harvest --------------------------------------------------------------------------------------


def test_harvesting_records_what_a_release_states_with_the_release_as_source(site):
    result = site.test_cli_runner().invoke(args=["channels", "harvest"])
    assert result.exit_code == 0, result.output
    assert "2 release(s) read" in result.output and "4 added" in result.output
    found = rows(site)
    stated = site.config["RELEASES"]["pengaduan-jukir"]
    phone = found[("phone", "+6282131939177")]
    assert phone.owner == "Dinas Perhubungan" and phone.added_by == "harvest"
    assert phone.source_release_id == stated
    assert phone.source_url.endswith("/pengaduan-jukir/")
    assert "nomor pengaduan 0821-3193-9177" in phone.note
    assert found[("instagram", "dishubmalangkota")].source_release_id == stated
    assert found[("web", "dishub.malangkota.go.id")].owner == "Dinas Perhubungan"
    assert found[("web", "parkir.dishub.malangkota.go.id")].source_release_id == stated
    # a number a release calls fake and an account it does not call official are never taken
    assert ("phone", "+6281299998888") not in found
    assert ("whatsapp", "+6281299998888") not in found
    assert ("instagram", "infoparkirmalang") not in found
    listing = site.test_cli_runner().invoke(args=["channels"])
    assert "phone     082131939177  Dinas Perhubungan" in listing.output


def test_a_second_harvest_adds_nothing_and_leaves_staff_changes_alone(site):
    runner = site.test_cli_runner()
    runner.invoke(args=["channels", "harvest"])
    phone = rows(site)[("phone", "+6282131939177")]
    store(site).set_active(phone.id, False, actor="sari", at=now())
    store(site).update(
        phone.id,
        ChannelInput("phone", "0821-3193-9177", "Dishub Kota Malang (UPT Parkir)"),
        actor="sari",
        at=now(),
    )
    again = runner.invoke(args=["channels", "harvest"])
    assert "0 added, 4 already in the registry" in again.output
    kept = rows(site)[("phone", "+6282131939177")]
    assert not kept.active and kept.owner == "Dishub Kota Malang (UPT Parkir)"
    actions = [e.action for e in editorial(site).list_audit(limit=50)[1]]
    assert actions.count("channels.harvest") == 1  # the empty second run changed nothing
    assert "channel.deactivate" in actions and "channel.edit" in actions


def test_the_store_refuses_invalid_and_duplicate_channels(site):
    channels = store(site)
    channels.add(ChannelInput("whatsapp", "0812-1111-2222", "Diskominfo"), actor="t", at=now())
    with pytest.raises(EditorialError) as duplicate:
        channels.add(ChannelInput("whatsapp", "+62 812 1111 2222", "Lain"), actor="t", at=now())
    assert "sudah ada di daftar kanal" in str(duplicate.value)
    with pytest.raises(EditorialError):
        channels.add(ChannelInput("web", "bukan alamat", "Diskominfo"), actor="t", at=now())
    with pytest.raises(EditorialError):
        channels.add(ChannelInput("phone", "112", ""), actor="t", at=now())
    assert len(channels.list_channels()) == 1
