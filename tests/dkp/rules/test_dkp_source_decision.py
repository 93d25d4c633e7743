"""Truth tables for the source controller's decision (harness.dkp.rules.source, docs/dkp-behaviour.md §2).

``decide_sync`` gets a snapshot and returns the writes in order; nothing here starts an API server
or a registry. Each row is the rule it checks; era-dependent rows run for the page's era
(``eras.DEFAULT_VERSION``) and today's (``eras.LATEST``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness import eras
from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.dkp.rules import messages
from harness.dkp.rules import source as rules
from harness.dkp.rules.source import (
    ChannelImage,
    CreateModule,
    DeleteModule,
    DeletionSnapshot,
    EnsureReleases,
    InitModuleStatus,
    ListedModule,
    Log,
    MarkRegistryChanged,
    ModuleState,
    PatchSource,
    SetFinalizers,
    SourceSettings,
    SourceSnapshot,
    StartDownload,
    UpdateModule,
)

NOW = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)
STAMP = "2024-12-16T09:00:00Z"
DIGEST = "sha256:" + "a" * 64
OLD_DIGEST = "sha256:" + "b" * 64
PAGE, LATEST = eras.behaviours_for(eras.DEFAULT_VERSION), eras.behaviours_for(eras.LATEST)
ERAS = pytest.mark.parametrize("behaviours", [PAGE, LATEST], ids=["page-era", "latest"])


def settings(behaviours: frozenset[eras.Behaviour] = PAGE) -> SourceSettings:
    return SourceSettings(behaviours=behaviours)


def enabled_here(name: str = "demo", phase: str = "Available", source: str = "example") -> ModuleState:
    """A Module the config controller enabled from ``source``."""
    return ModuleState(
        name,
        source=source,
        available_sources=("example",),
        release_channel="Stable",
        phase=phase,
        enabled_by_config="True",
        enabled_by_manager="True",
    )


def listed(module: ModuleState | None = None, **fields: object) -> ListedModule:
    base: dict[str, object] = {
        "name": "demo",
        "policy_name": "",
        "channel": "Stable",
        "module": module,
        "image": ChannelImage("v1.2.0", DIGEST),
    }
    base.update(fields)
    return ListedModule(**base)  # type: ignore[arg-type]


def scan(
    *modules: ListedModule, behaviours: frozenset[eras.Behaviour] = PAGE, **fields: object
) -> SourceSnapshot:
    base: dict[str, object] = {
        "name": "example",
        "now": NOW,
        "settings": settings(behaviours),
        "checksum": "c1",
        "stored_checksum": "c1",
        "tags": tuple(m.name for m in modules),
        "modules": modules,
    }
    base.update(fields)
    return SourceSnapshot(**base)  # type: ignore[arg-type]


def kinds_of(plan: rules.SyncPlan) -> list[str]:
    return [type(a).__name__ for a in plan.actions if not isinstance(a, Log)]


# -- the order of the sync ------------------------------------------------------------------------


def test_an_unusable_auth_config_is_the_message_and_nothing_is_listed() -> None:
    plan = rules.decide_sync(scan(listed(), auth_error="bad dockerCfg", stored_checksum=None))
    assert plan.actions[0] == PatchSource(
        {"status": {"message": "read auth config: bad dockerCfg", "syncTime": STAMP}}
    )
    assert kinds_of(plan) == ["PatchSource"]
    assert (plan.requeue_after, plan.scan) == (None, False)


def test_a_first_sync_stores_the_checksum_and_looks_again_at_once() -> None:
    plan = rules.decide_sync(scan(listed(), stored_checksum=None, deployed_releases=("demo-v1.0.0",)))
    assert plan.actions == (
        PatchSource({"metadata": {"annotations": {ann.REGISTRY_SPEC_CHECKSUM: "c1"}}}, status=False),
    )
    assert (plan.requeue_after, plan.scan) == (timedelta(0), False)


def test_a_changed_registry_marks_the_deployed_releases_before_storing_the_checksum() -> None:
    plan = rules.decide_sync(scan(listed(), stored_checksum="c0", deployed_releases=("a-v1.0.0", "b-v2.0.0")))
    assert plan.actions[:2] == (
        MarkRegistryChanged("a-v1.0.0", STAMP),
        MarkRegistryChanged("b-v2.0.0", STAMP),
    )
    assert kinds_of(plan)[2:] == ["PatchSource"]


def test_an_unreachable_registry_is_the_message_and_the_scan_waits_its_interval() -> None:
    plan = rules.decide_sync(scan(listing_error="dial tcp 127.0.0.1:1: connection refused"))
    assert plan.actions[-1] == PatchSource(
        {"status": {"message": "dial tcp 127.0.0.1:1: connection refused", "syncTime": STAMP}}
    )
    assert plan.actions[0] == Log(
        "error",
        "failed to list tags for the module source",
        {"source": "example", "error": "dial tcp 127.0.0.1:1: connection refused"},
    )
    assert (plan.requeue_after, plan.scan) == (timedelta(minutes=3), False)


def test_forbidden_tag_names_are_logged_and_not_listed() -> None:
    plan = rules.decide_sync(scan(listed(enabled_here()), tags=("demo", "modules", "Bad_Name")))
    warnings = [a for a in plan.actions if isinstance(a, Log) and a.level == "warning"]
    assert [w.fields["name"] for w in warnings] == ["Bad_Name", "modules"]
    assert [e["name"] for e in plan.entries] == ["demo"]


def test_only_the_first_1500_tags_are_scanned() -> None:
    tags = tuple(f"m{i:04d}" for i in range(1501))
    assert rules.scanned_names(tags) == sorted(tags[:1500])


# -- one module -----------------------------------------------------------------------------------


def test_a_new_module_is_created_available_with_its_channel() -> None:
    plan = rules.decide_sync(scan(listed(None)))
    assert plan.actions[:3] == (
        CreateModule("demo", {"availableSources": ["example"], "releaseChannel": "Stable"}),
        Log("info", "module created", {"name": "demo", "source": "example"}),
        InitModuleStatus("demo"),
    )
    assert plan.entries == ({"name": "demo", "checksum": DIGEST, "version": "v1.2.0"},)
    assert plan.scan and plan.requeue_after == timedelta(minutes=3)


def test_an_existing_module_gets_this_source_appended_and_the_channel() -> None:
    other = ModuleState("demo", available_sources=("other",), release_channel="Alpha", phase="Available")
    plan = rules.decide_sync(scan(listed(other)))
    assert kinds_of(plan) == ["UpdateModule"]
    assert plan.actions[0] == UpdateModule(
        "demo", {"availableSources": ["other", "example"], "releaseChannel": "Stable"}
    )


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        pytest.param(
            enabled_here(), ["StartDownload", "EnsureReleases"], id="enabled-here-available→download+ensure"
        ),
        pytest.param(enabled_here(phase="Ready"), ["EnsureReleases"], id="enabled-here-ready→ensure-only"),
        pytest.param(
            enabled_here(phase="Conflict"), ["StartDownload", "EnsureReleases"], id="conflict→download"
        ),
        pytest.param(enabled_here(source="other"), [], id="owned-by-another-source→nothing"),
        pytest.param(
            ModuleState("demo", "example", ("example",), "Stable", None, "Available", "False", "False"),
            [],
            id="disabled-by-config→nothing",
        ),
        pytest.param(
            ModuleState("demo", "", ("example",), "Stable", None, "Available", None, "False"),
            [],
            id="no-config-in-page-era→nothing",
        ),
    ],
)
def test_which_modules_get_releases_in_the_page_era(module: ModuleState, expected: list[str]) -> None:
    plan = rules.decide_sync(scan(listed(module)))
    assert kinds_of(plan) == expected
    assert plan.entries[0]["checksum"] == DIGEST  # the entry records the channel either way


@pytest.mark.parametrize(
    ("previous", "release_exists", "ensure"),
    [
        pytest.param(DIGEST, True, False, id="same-digest-release-exists→nothing"),
        pytest.param(DIGEST, False, True, id="same-digest-release-gone→ensure"),
        pytest.param(OLD_DIGEST, True, True, id="channel-moved→ensure"),
        pytest.param(None, True, True, id="never-recorded→ensure"),
    ],
)
@ERAS
def test_the_channel_digest_decides_for_an_enabled_module(
    previous: str | None, release_exists: bool, ensure: bool, behaviours: frozenset[eras.Behaviour]
) -> None:
    entry = {"name": "demo", "version": "v1.0.0"} | ({"checksum": previous} if previous else {})
    snap = scan(
        listed(enabled_here(phase="Ready"), release_exists=release_exists),
        behaviours=behaviours,
        status={"modules": [entry]},
    )
    plan = rules.decide_sync(snap)
    assert ("EnsureReleases" in kinds_of(plan)) is ensure


def test_ensuring_carries_the_entry_a_failure_builds_on() -> None:
    snap = scan(
        listed(enabled_here(), policy_name="mup"), status={"modules": [{"name": "demo", "version": "v1.0.0"}]}
    )
    ensure = next(a for a in rules.decide_sync(snap).actions if isinstance(a, EnsureReleases))
    assert ensure == EnsureReleases(
        "demo", "mup", "Stable", "v1.2.0", {"name": "demo", "version": "v1.0.0", "policy": "mup"}
    )
    failed = rules.release_failed(ensure.entry, ensure.version, "no tags", PAGE)
    assert failed == {"name": "demo", "version": "v1.2.0", "policy": "mup", "pullError": "no tags"}
    assert "checksum" not in failed  # the next scan fetches again


def test_an_overridden_module_is_marked_and_not_read() -> None:
    plan = rules.decide_sync(scan(listed(enabled_here(phase="Ready"), overridden=True, image=None)))
    assert plan.entries == ({"name": "demo", "overridden": True},)
    assert kinds_of(plan) == []


@pytest.mark.parametrize(
    ("module", "is_metadata", "shown"),
    [
        pytest.param(
            enabled_here(), False, "fetch image error: MANIFEST_UNKNOWN", id="enabled-here→prefixed"
        ),
        pytest.param(enabled_here(), True, "MANIFEST_UNKNOWN", id="metadata-error→as-is"),
        pytest.param(enabled_here(source="other"), False, None, id="enabled-elsewhere→hidden"),
        pytest.param(None, False, None, id="new-module→hidden"),
    ],
)
@ERAS
def test_a_channel_image_error_is_shown_only_for_modules_enabled_here(
    module: ModuleState | None, is_metadata: bool, shown: str | None, behaviours: frozenset[eras.Behaviour]
) -> None:
    broken = listed(module, image=None, fetch_error="MANIFEST_UNKNOWN", fetch_error_is_metadata=is_metadata)
    plan = rules.decide_sync(scan(broken, behaviours=behaviours))
    entry = plan.entries[0]
    key, other = ("error", "pullError") if behaviours == LATEST else ("pullError", "error")
    if shown and not is_metadata and behaviours == LATEST:
        shown = "get image info: " + shown  # v1.73 and later wrap the fetch once more
    assert entry.get(key) == shown and other not in entry
    assert entry["version"] == "unknown"
    assert "EnsureReleases" not in kinds_of(plan)
    status, had_errors = rules.scan_status(plan.entries, NOW, behaviours)
    assert had_errors is (shown is not None)
    empty = None if behaviours == LATEST else ""  # v1.78 leaves an empty message out (None: delete)
    assert status["message"] == (messages.SOURCE_SOME_ERRORS if shown else empty)


def test_the_status_replaces_the_module_list_and_counts_it() -> None:
    entries = [{"name": "a", "version": "v1.0.0"}, {"name": "b", "version": "v2.0.0"}]
    status, had_errors = rules.scan_status(entries, NOW, PAGE)
    assert status == {
        "phase": "Active",
        "modules": entries,
        "modulesCount": 2,
        "message": "",
        "syncTime": STAMP,
    }
    assert not had_errors


def test_from_v1_78_a_clean_scan_leaves_the_empty_message_out() -> None:
    """``message`` gained ``omitempty`` (golden ModuleSources of the release suite at 049a95cf)."""
    status, _ = rules.scan_status([{"name": "a", "version": "v1.0.0"}], NOW, LATEST)
    assert status["message"] is None


def test_a_status_that_only_moved_its_sync_time_is_a_heartbeat() -> None:
    before = {"phase": "Active", "modulesCount": 1, "syncTime": "2024-12-16T08:57:00Z"}
    assert rules.heartbeat_only(before, {**before, "syncTime": STAMP})
    assert not rules.heartbeat_only(before, {**before, "modulesCount": 2})


# -- modules the registry no longer lists (§2.2) -------------------------------------------------


@pytest.mark.parametrize(
    ("gone", "expected"),
    [
        pytest.param(
            ModuleState("demo", available_sources=("example", "other")),
            [UpdateModule("demo", {"availableSources": ["other"]})],
            id="two-sources→loses-this-one",
        ),
        pytest.param(
            ModuleState("demo", available_sources=("example",), enabled_by_manager="False"),
            [DeleteModule("demo"), Log("info", "module deleted: no source offers it", {"name": "demo"})],
            id="only-this-source-disabled→deleted",
        ),
        pytest.param(
            ModuleState("demo", available_sources=("example",), enabled_by_manager="True"),
            [UpdateModule("demo", {"availableSources": []})],
            id="only-this-source-enabled→kept-without-source",
        ),
        pytest.param(
            ModuleState("demo", available_sources=("other",)), [], id="another-source-only→untouched"
        ),
        pytest.param(
            ModuleState("demo", enabled_by_manager=None),
            [DeleteModule("demo"), Log("info", "module deleted: no source offers it", {"name": "demo"})],
            id="no-source-disabled→deleted",
        ),
        pytest.param("demo", [], id="no-module→nothing"),
    ],
)
def test_a_module_gone_from_the_listing(gone: ModuleState | str, expected: list[object]) -> None:
    assert rules.decide_clean("example", gone) == expected
    plan = rules.decide_sync(scan(gone=(gone,), tags=()))
    assert list(plan.actions) == expected and plan.entries == ()


# -- era rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "page_era", "latest"),
    [
        pytest.param("", timedelta(minutes=3), timedelta(minutes=3), id="unset→default"),
        pytest.param("10m", timedelta(minutes=3), timedelta(minutes=10), id="10m→used-from-v1.75"),
        pytest.param("1h30m", timedelta(minutes=3), timedelta(minutes=90), id="1h30m→used-from-v1.75"),
    ],
)
def test_scan_interval_by_era(text: str, page_era: timedelta, latest: timedelta) -> None:
    for behaviours, expected in ((PAGE, page_era), (LATEST, latest)):
        assert (
            rules.decide_sync(scan(listed(None), behaviours=behaviours, scan_interval=text)).requeue_after
            == expected
        )


def test_an_invalid_scan_interval_falls_back_with_a_warning_from_v1_75() -> None:
    interval, warnings = rules.scan_interval(scan(behaviours=LATEST, scan_interval="ten minutes"))
    assert interval == timedelta(minutes=3)
    assert warnings == (Log("warning", "invalid scanInterval, using the default", {"source": "example"}),)
    assert rules.scan_interval(scan(behaviours=PAGE, scan_interval="ten minutes")) == (
        timedelta(minutes=3),
        (),
    )


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=10), "10m0s"),
        (timedelta(hours=6, minutes=30), "6h30m0s"),
        (timedelta(seconds=45), "45s"),
        (timedelta(hours=1), "1h0m0s"),
        (timedelta(0), "0s"),
    ],
)
def test_go_duration(delta: timedelta, text: str) -> None:
    assert rules.go_duration(delta) == text


@ERAS
def test_the_first_write_stores_scan_interval_as_go_prints_it_from_v1_75(
    behaviours: frozenset[eras.Behaviour],
) -> None:
    plan = rules.decide_sync(scan(behaviours=behaviours, stored_checksum=None, scan_interval="10m"))
    patch = plan.actions[-1]
    assert isinstance(patch, PatchSource) and not patch.status
    expected = {"scanInterval": "10m0s"} if behaviours == LATEST else None
    assert patch.patch.get("spec") == expected


BUNDLED = {"editions": {"_default": {"available": True, "enabledInBundles": ["Default"]}}}


@ERAS
def test_a_module_enabled_by_the_bundle_gets_its_release_and_source_from_v1_75(
    behaviours: frozenset[eras.Behaviour],
) -> None:
    module = ModuleState("demo", available_sources=("example",), release_channel="Stable", phase="Available")
    snap = scan(listed(module, image=ChannelImage("v1.2.0", DIGEST, BUNDLED)), behaviours=behaviours)
    plan = rules.decide_sync(snap)
    if behaviours == PAGE:
        assert kinds_of(plan) == []
        return
    assert list(plan.actions) == [
        UpdateModule("demo", {"accessibility": BUNDLED}),
        UpdateModule("demo", {"source": "example"}),
        StartDownload("demo"),
        EnsureReleases("demo", "", "Stable", "v1.2.0", {"name": "demo"}),
    ]


# -- deletion (§2.3) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("snap", "expected", "requeue"),
    [
        pytest.param(
            DeletionSnapshot(
                "example", finalizers=(fin.RELEASE_EXISTS, fin.MODULE_EXISTS), has_deployed_releases=True
            ),
            [
                PatchSource({"status": {"phase": "Terminating"}}),
                PatchSource({"status": {"message": messages.SOURCE_HAS_DEPLOYED_RELEASES}}),
            ],
            timedelta(seconds=5),
            id="deployed-release→refused-retry-5s",
        ),
        pytest.param(
            DeletionSnapshot(
                "example",
                phase="Terminating",
                finalizers=(fin.RELEASE_EXISTS, fin.MODULE_EXISTS),
                force=True,
                has_deployed_releases=True,
            ),
            [SetFinalizers((fin.MODULE_EXISTS,)), SetFinalizers(())],
            None,
            id="forced→finalizers-dropped-modules-kept",
        ),
        pytest.param(
            DeletionSnapshot(
                "example",
                phase="Terminating",
                finalizers=(fin.MODULE_EXISTS,),
                listed=(ModuleState("demo", available_sources=("example", "other")),),
            ),
            [UpdateModule("demo", {"availableSources": ["other"]}), SetFinalizers(())],
            None,
            id="no-release→modules-cleaned-then-finalizer",
        ),
    ],
)
def test_deletion(snap: DeletionSnapshot, expected: list[object], requeue: timedelta | None) -> None:
    plan = rules.decide_delete(snap)
    assert list(plan.actions) == expected
    assert plan.requeue_after == requeue


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10m", timedelta(minutes=10)), ("1h30m", timedelta(minutes=90)), ("45s", timedelta(seconds=45))],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert rules.parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "10", "ten minutes", "3d", "5m junk"])
def test_parse_duration_refuses_what_go_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        rules.parse_duration(text)


@ERAS
def test_a_later_scan_interval_change_is_stored_as_go_prints_it_from_v1_75(
    behaviours: frozenset[eras.Behaviour],
) -> None:
    plan = rules.decide_sync(scan(listed(None), behaviours=behaviours, scan_interval="5m"))
    patches = [a for a in plan.actions if isinstance(a, PatchSource) and not a.status]
    expected = [PatchSource({"spec": {"scanInterval": "5m0s"}}, status=False)] if behaviours == LATEST else []
    assert patches == expected
    assert plan.scan  # the scan goes on
