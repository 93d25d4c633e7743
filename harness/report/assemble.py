"""Turn the scenarios of a session into a :class:`~harness.report.model.Run`.

Pure functions over plain data, so the aggregation rules (grouping, ordering, claim statuses,
problems worth flagging) are unit-tested without pytest sessions. Everything is sorted, so the
same results always give the same report.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from harness.report.claims import DEFAULT_DOCS_BASE, Catalogue, Claim
from harness.report.model import (
    BEYOND_PAGE_TAG,
    DEFAULT_TARGET,
    ClaimResult,
    FeatureResult,
    Run,
    ScenarioResult,
    StepCatalogueEntry,
    unchecked_pass,
    unreadable,
)
from harness.report.page_expectation import PageExpectation
from harness.report.redaction import redact, redact_value
from harness.report.status import Status, claim_status

__all__ = ["assemble_run", "count_step_usage", "redacted_scenario"]

DEFAULT_TITLE = "DKP module lifecycle conformance"


def assemble_run(
    scenarios: Iterable[ScenarioResult],
    catalogue: Catalogue | None,
    *,
    started_at: str,
    duration: float,
    step_catalogue: Sequence[StepCatalogueEntry] | None = None,
    docs_base: str = DEFAULT_DOCS_BASE,
    environment: dict[str, str] | None = None,
    target: dict[str, str] | None = None,
    selection: dict[str, Any] | None = None,
    redacted: bool = False,
    left_out: Mapping[str, int] | None = None,
) -> Run:
    """Group, order and judge the scenarios; claims come in catalogue order.

    A non-empty ``selection`` (the filters of a partial run) makes the run partial: claims that
    no selected scenario checks are then ``unselected``, not ``uncovered``. ``redacted``: the
    scenarios already went through :func:`redacted_scenario` (the xdist controller redacts each
    one as it arrives, while the workers still run, instead of all of them at the end).
    ``left_out``: per claim, its scenarios the selection deselected (shown for a partial run).
    """
    ordered = sorted((s if redacted else redacted_scenario(s) for s in scenarios), key=_scenario_key)
    features = _features(ordered)
    partial = bool(selection)
    version = (target or {}).get("deckhouse_version")
    claims = _claims(ordered, catalogue, docs_base, partial=partial, version=version, left_out=left_out or {})
    title = DEFAULT_TITLE if catalogue is None else f"{DEFAULT_TITLE}: {catalogue.page.title}"
    return Run(
        title=title,
        page=None if catalogue is None else catalogue.page,
        started_at=started_at,
        duration=duration,
        features=features,
        claims=claims,
        problems=[redact(p) for p in _problems(ordered, catalogue, partial=partial)],
        step_catalogue=(None if step_catalogue is None else count_step_usage(step_catalogue, ordered)),
        environment=dict(environment or {}),
        target={k: redact(str(v)) for k, v in (target or DEFAULT_TARGET).items()},
        partial=partial,
        selection=redact_value(dict(selection or {})),
    )


def redacted_scenario(scenario: ScenarioResult) -> ScenarioResult:
    """A copy with every string redacted; safe for any renderer."""
    return ScenarioResult.from_dict(redact_value(scenario.to_dict()))


def count_step_usage(
    entries: Sequence[StepCatalogueEntry], scenarios: Sequence[ScenarioResult]
) -> list[StepCatalogueEntry]:
    """``used_by`` = the scenarios of this run that used the step's function.

    Where the entry names its ``function`` the run's count replaces whatever count the library
    gave: the report describes this run, and a library's count over every feature file (141 for a
    one-scenario run) is a different number under the same heading. The count is per function, so
    a function declared as both a Given and a When counts its scenarios whichever keyword they used.
    """
    usage: Counter[str] = Counter()
    for scenario in scenarios:
        usage.update({s.function for s in scenario.steps if s.function})
    filled = [e if e.function is None else replace(e, used_by=usage[e.function]) for e in entries]
    return sorted(filled, key=lambda e: (_KIND_ORDER.get(e.kind, 9), e.pattern))


_KIND_ORDER = {"given": 0, "when": 1, "then": 2}


def _scenario_key(scenario: ScenarioResult) -> tuple[str, int, str]:
    return (scenario.feature_uri, scenario.line, scenario.nodeid)


def _features(scenarios: Sequence[ScenarioResult]) -> list[FeatureResult]:
    by_uri: dict[str, list[ScenarioResult]] = defaultdict(list)
    for scenario in scenarios:
        by_uri[scenario.feature_uri].append(scenario)
    features = []
    for uri in sorted(by_uri):
        first = by_uri[uri][0]
        features.append(
            FeatureResult(
                name=first.feature_name or uri,
                uri=uri,
                line=first.feature_line,
                description=first.feature_description,
                tags=first.feature_tags,
                scenarios=by_uri[uri],
            )
        )
    return features


def _claims(
    scenarios: Sequence[ScenarioResult],
    catalogue: Catalogue | None,
    docs_base: str,
    *,
    partial: bool,
    version: str | None = None,
    left_out: Mapping[str, int],
) -> list[ClaimResult]:
    if catalogue is None:
        return []
    checking: dict[str, list[ScenarioResult]] = defaultdict(list)
    for scenario in scenarios:
        for claim_id in scenario.claims:
            checking[claim_id].append(scenario)
    results = []
    for claim in catalogue.claims:
        status = claim_status(
            (_as_checked(claim, s) for s in checking[claim.id] if not unchecked_pass(s)),
            has_deviation_reason=claim.deviation is not None,
            selected=not partial or bool(checking[claim.id]),
            applicable=claim.applies_to(version),
        )
        results.append(
            ClaimResult(
                claim=_redacted_claim(claim),
                status=status,
                scenarios=[s.nodeid for s in checking[claim.id]],
                link=catalogue.page.link(claim.anchor, docs_base),
                deviation_observed=deviation_observed(claim, checking[claim.id]),
                deviation_fixed=deviation_fixed(claim, checking[claim.id]),
                left_out=_left_out(claim.id, status, left_out) if partial else 0,
            )
        )
    return results


def _left_out(claim_id: str, status: Status, left_out: Mapping[str, int]) -> int:
    """The claim's scenarios the selection left out, or 0 for a claim about another Deckhouse
    version: its scenarios in this run only skipped, so "checked only in part" would say it was
    checked at all, beside the line that says it is not applicable."""
    return 0 if status is Status.NOT_APPLICABLE else left_out.get(claim_id, 0)


def deviation_observed(claim: Claim, scenarios: Sequence[ScenarioResult]) -> bool | None:
    """Whether this run saw the deviation the catalogue records for ``claim`` (see ClaimResult).

    A ``@deviation`` scenario checks what DKP does where the page says otherwise. When it fails,
    DKP no longer does what the catalogue records: it may now do what the page says, or a third
    thing. Read as a plain "not met", the recorded deviation stayed in the report as if still true.
    """
    if claim.deviation is None:
        return None
    shown = [s.status for s in scenarios if s.deviation]
    if Status.FAILED in shown:
        return False
    return True if Status.DEVIATION in shown else None


def deviation_fixed(claim: Claim, scenarios: Sequence[ScenarioResult]) -> bool | None:
    """For a claim with a deviation reason: True when a ``@deviation`` scenario of it failed on
    DKP's recorded behaviour and then met the page's expectation (DKP now matches the page), False
    when the page's expectation was checked and not met either, None when it was not checked."""
    if claim.deviation is None:
        return None
    found = {s.page_expectation for s in scenarios if s.deviation and s.status is Status.FAILED}
    if PageExpectation.NOT_MET in found:
        return False
    return True if PageExpectation.MET in found else None


def _as_checked(claim: Claim, scenario: ScenarioResult) -> Status:
    """The scenario's status as it counts for ``claim``: a ``@deviation`` scenario that failed on
    DKP's recorded behaviour and met the page's expectation shows that the claim now holds as the
    page says, for the claims whose deviation it demonstrates (those with a reason); for its other
    claims, which it checks as documented, it failed."""
    fixed = scenario.deviation and scenario.page_expectation == PageExpectation.MET
    if fixed and scenario.status is Status.FAILED and claim.deviation is not None:
        return Status.PASSED
    return scenario.status


def _redacted_claim(claim: Claim) -> Claim:
    deviation = None if claim.deviation is None else redact(claim.deviation)
    return replace(claim, claim=redact(claim.claim), deviation=deviation)


def _problems(
    scenarios: Sequence[ScenarioResult], catalogue: Catalogue | None, *, partial: bool = False
) -> list[str]:
    """Things a reader should know that are not failures: untraced scenarios, unexplained deviations."""
    problems = [] if partial or catalogue is None else _undemonstrated(scenarios, catalogue)
    problems += [] if catalogue is None else _unobserved(scenarios, catalogue)
    for scenario in scenarios:
        if unreadable(scenario):
            problems.append(_unreadable_problem(scenario))
            continue
        where = f"{scenario.feature_uri}:{scenario.line} '{scenario.name}'"
        beyond = BEYOND_PAGE_TAG in scenario.tags
        if beyond and scenario.claims:
            tags = ", ".join(f"@claim:{c}" for c in scenario.claims)
            problems.append(
                f"{where} is tagged @{BEYOND_PAGE_TAG} and {tags}: a scenario beyond the page counts "
                f"for no claim; drop @{BEYOND_PAGE_TAG}, or the claim tag"
            )
        elif not scenario.claims and not beyond:
            problems.append(
                f"{where} has no @claim tag, so no documented claim counts it (tag it "
                f"@{BEYOND_PAGE_TAG} if it checks DKP behaviour the page does not describe)"
            )
        elif unchecked_pass(scenario) and scenario.claims:
            tags = ", ".join(f"@claim:{c}" for c in scenario.claims)
            problems.append(
                f"{where} is tagged {tags} but ran no Then step: it checked nothing, so it does not "
                "count for the claim (add a Then step that checks what the claim says)"
            )
        elif unchecked_pass(scenario):
            problems.append(
                f"{where} is tagged @{BEYOND_PAGE_TAG} but ran no Then step: it checked nothing "
                "(add a Then step that checks the behaviour it is about)"
            )
        if scenario.xfail is not None:
            problems.append(_xfail_problem(where, scenario))
        if len(set(scenario.attempts)) > 1:
            problems.append(
                f"{where} ran {len(scenario.attempts)} times with different results "
                f"({', '.join(scenario.attempts)}): the report shows the worst; find out why it is flaky"
            )
        if scenario.deviation and catalogue is not None:
            explained = [c for c in scenario.claims if (x := catalogue.get(c)) and x.deviation]
            if not explained:
                problems.append(
                    f"{where} is tagged @deviation but none of its claims has a deviation note "
                    "in the claims catalogue; add one that explains the page-vs-DKP difference"
                )
    return sorted(set(problems), key=natural_key)


def _xfail_problem(where: str, scenario: ScenarioResult) -> str:
    """A pytest xfail mark on a scenario: the report takes no failure as expected."""
    reason = f" ({scenario.xfail})" if scenario.xfail else ""
    outcome = "passed (xpass)" if scenario.status in (Status.PASSED, Status.DEVIATION) else "did not pass"
    return (
        f"{where} is marked xfail{reason} and {outcome}: the report counts it as what its steps did; "
        "drop the mark (a known page-vs-DKP difference is @deviation with its reason in the claims catalogue)"
    )


def natural_key(text: str) -> tuple[str | int, ...]:
    """``text`` with its runs of digits read as numbers, so ``x.feature:9`` sorts before
    ``x.feature:26``: sorted as plain text, "Needs attention" listed a file's lines 26, 3, 36, 50,
    9. ``re.split`` with a group alternates text and digits from a text part on, so two keys
    compare text with text and number with number at every place."""
    return tuple(int(part) if index % 2 else part for index, part in enumerate(re.split(r"(\d+)", text)))


def _unreadable_problem(scenario: ScenarioResult) -> str:
    """A feature file that is not valid Gherkin: where, why, and what the run therefore lacks."""
    message = scenario.error.message if scenario.error else scenario.name
    one_line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    return (
        f"{one_line} (none of the scenarios of {scenario.feature_uri} ran, so the claims they check "
        "are not counted; fix the file and run it again)"
    )


def _unobserved(scenarios: Sequence[ScenarioResult], catalogue: Catalogue) -> list[str]:
    """Claims whose recorded deviation a failed ``@deviation`` scenario did not observe, told apart
    by what the page's expectation (when the scenario writes it) showed."""
    problems = []
    for scenario in scenarios:
        if not scenario.deviation or scenario.status is not Status.FAILED:
            continue
        for claim_id in scenario.claims:
            claim = catalogue.get(claim_id)
            if claim is not None and claim.deviation is not None:
                where = f"{scenario.feature_uri}:{scenario.line} '{scenario.name}'"
                problems.append(f"claim {claim_id}: {_unobserved_words(scenario.page_expectation, where)}")
    return problems


def _unobserved_words(page: str | None, where: str) -> str:
    if page == PageExpectation.MET:
        return (
            f"DKP now matches the page: this deviation is fixed: its @deviation scenario {where} did "
            "not observe what the claims catalogue records, and its 'the page says:' steps passed; "
            "drop the claim's deviation reason and @deviation, and make the page's steps the "
            "scenario's Then steps (the scenario fails until then)"
        )
    if page == PageExpectation.NOT_MET:
        return (
            f"deviation not observed: neither DKP's known behaviour nor the page's: its @deviation "
            f"scenario {where} met neither what the claims catalogue records nor its 'the page says:' "
            "steps; compare the failed steps with DKP's behaviour, then fix the scenario or the reason"
        )
    unchecked = " (its 'the page says:' steps could not be checked)" if page == PageExpectation.ERROR else ""
    return (
        f"the known deviation the claims catalogue records was not observed: its @deviation scenario "
        f"{where} did not pass, so DKP no longer does what the catalogue says (it may now do what the "
        f"page says, or something else){unchecked}; compare the failed step with the page, then fix "
        "the scenario, or drop @deviation and the reason (write the page's expectation as "
        "'But the page says: …' steps to have the report tell the two apart)"
    )


def _undemonstrated(scenarios: Sequence[ScenarioResult], catalogue: Catalogue) -> list[str]:
    """Claims whose catalogue entry gives a deviation reason that no ``@deviation`` scenario shows."""
    shown = {c for s in scenarios if s.deviation for c in s.claims}
    return [
        f"claim {claim.id} has a deviation reason in the claims catalogue but no scenario tagged "
        "@deviation checks it; tag the scenario that shows the difference, or drop the reason"
        for claim in catalogue.claims
        if claim.deviation is not None and claim.id not in shown
    ]
