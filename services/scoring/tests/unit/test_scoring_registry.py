"""Issue 11, item 8: scoring refuses a bloc, a year or a unit that the registry does not know, saying what to
fix; it knows them from the registry's events (see ``tests/test_scoring_follows_registry.py``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from scoring_fakes import FakeUnitOfWork
from scoring_steps import (
    TARGETS,
    adjust,
    adopt,
    compute_finals,
    correct,
    cross_assess,
    points,
    publish,
    record_final,
    record_results,
    refusal_of,
    register,
    resolve,
    self_assess,
    verify,
    window,
)

from thidua_shared.errors import Invalid, NotFound

Step = Callable[[FakeUnitOfWork], Awaitable[object]]
EVERY_COMMAND: dict[str, Step] = {
    "adopt": lambda uow: adopt(uow),
    "window": lambda uow: window(uow),
    "targets": lambda uow: register(uow, "a", TARGETS),
    "results": lambda uow: record_results(uow, "a", [{"code": "T1", "attained": True}]),
    "self": lambda uow: self_assess(uow, "a", points(5)),
    "verify": lambda uow: verify(uow, "a"),
    "cross": lambda uow: cross_assess(uow, "a", "b", points(5)),
    "adjust": lambda uow: adjust(uow, "a", "C1", 5),
    "score": lambda uow: record_final(uow, "a", points(5)),
    "finals": lambda uow: compute_finals(uow),
    "ranking": lambda uow: publish(uow),
    "tie": lambda uow: resolve(uow, ["a", "b"]),
    "correction": lambda uow: correct(uow, "typo"),
}


@pytest.mark.parametrize("command", list(EVERY_COMMAND))
async def test_every_command_on_a_bloc_the_registry_does_not_know_is_refused(command: str) -> None:
    uow = FakeUnitOfWork(members={("other", 2025): ["a", "b"]})
    refused = await refusal_of(uow, EVERY_COMMAND[command](uow))
    assert isinstance(refused, NotFound)
    assert (refused.code, refused.params) == ("registry.unknown_bloc", {"bloc_id": "k"})


@pytest.mark.parametrize("command", list(EVERY_COMMAND))
async def test_every_command_on_a_year_in_which_the_bloc_had_no_members_is_refused(command: str) -> None:
    uow = FakeUnitOfWork(members={("k", 2024): ["a", "b"]})
    refused = await refusal_of(uow, EVERY_COMMAND[command](uow))
    assert isinstance(refused, NotFound)
    assert (refused.code, refused.params) == ("registry.unknown_year", {"bloc_id": "k", "year": 2025})


async def test_a_unit_the_registry_does_not_know_is_told_apart_from_one_outside_the_bloc() -> None:
    uow = FakeUnitOfWork()
    await adopt(uow)
    await window(uow)
    unknown = await refusal_of(uow, cross_assess(uow, "a", "nobody", points(5)))
    assert isinstance(unknown, Invalid)
    assert (unknown.code, unknown.params) == ("registry.unknown_unit", {"unit_id": "nobody"})
    assessor = await refusal_of(uow, cross_assess(uow, "nobody", "a", points(5)))
    assert assessor.params == {"unit_id": "nobody"}
    outside = await refusal_of(uow, cross_assess(uow, "a", "z", points(5)))
    assert (outside.code, outside.params) == ("score.not_member", {"unit_id": "z", "bloc_id": "k", "year": 2025})
    for step in (register(uow, "nobody", TARGETS), self_assess(uow, "nobody", points(5)),
                 record_final(uow, "nobody", points(5)), adjust(uow, "nobody", "C1", 5)):
        assert (await refusal_of(uow, step)).code == "registry.unknown_unit"
