"""Accounts over the in-memory log and fake password hashes: creating, signing in, locking, passwords."""

from __future__ import annotations

import pytest
from registry_fakes import CONTEXT, FakeUnitOfWork

from registry.application import accounts, handlers
from registry.domain.account import AccountLockedError, session_label, username_of
from registry.domain.commands import (
    ChangePassword,
    CreateAccount,
    DisableAccount,
    EstablishBloc,
    RegisterUnit,
    SignIn,
    UnlockAccount,
)
from thidua_contracts.envelope import Actor
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized, UserError

PASSWORD = "mật khẩu dài đủ"
PERSON = CommandContext("HNM", Actor(id="account:lua.dt", role="unit_officer", unit_id="ubkt"), "corr-2")


def _account(**changes: object) -> CreateAccount:
    fields: dict[str, object] = {"username": "lua.dt", "full_name": "Đinh Thị Lụa", "role": "unit_officer",
                                 "unit_id": "ubkt", "password": PASSWORD}
    return CreateAccount.model_validate({**fields, **changes})


async def _with_account(uow: FakeUnitOfWork) -> None:
    await handlers.register_unit(RegisterUnit(unit_id="ubkt", name="Ủy ban Kiểm tra Tỉnh ủy"), CONTEXT, uow)
    await accounts.create_account(_account(), CONTEXT, uow)


async def _sign_in(uow: FakeUnitOfWork, password: str) -> UserError | None:
    try:
        await accounts.sign_in(SignIn(username="lua.dt", password=password), PERSON, uow.for_(PERSON))
    except UserError as refused:
        return refused
    return None


async def test_an_account_is_created_with_its_hash_kept_apart_and_no_password_in_the_event() -> None:
    uow = FakeUnitOfWork()
    await _with_account(uow)
    created = uow.log[-1]
    assert (created.event_type, created.stream_id) == ("AccountCreated", "account:HNM:lua.dt")
    assert created.payload == {"username": "lua.dt", "full_name": "Đinh Thị Lụa", "role": "unit_officer",
                               "unit_id": "ubkt", "bloc_id": None}
    assert uow.fake_credentials.hashes["lua.dt"] == f"new:{PASSWORD[::-1]}"
    assert PASSWORD not in created.body.decode()


async def test_a_username_is_taken_once() -> None:
    uow = FakeUnitOfWork()
    await _with_account(uow)
    with pytest.raises(Conflict) as taken:
        await accounts.create_account(_account(full_name="Người khác"), CONTEXT, uow)
    assert taken.value.code == "account.exists"


@pytest.mark.parametrize(("changes", "code"), [
    ({"unit_id": None}, "account.unit_required"),
    ({"unit_id": "nowhere"}, "unit.not_found"),
    ({"role": "bloc_secretary", "unit_id": None}, "account.bloc_required"),
    ({"role": "bloc_secretary", "unit_id": None, "bloc_id": "nowhere"}, "bloc.not_found"),
    ({"role": "admin"}, "account.unit_not_for_role"),
    ({"password": "ngắn"}, "account.password_too_short"),
    ({"password": "xin-chao-LUA.DT-2025"}, "account.password_contains_username"),
])
async def test_an_account_breaking_a_rule_is_refused_with_its_code(changes: dict[str, object], code: str) -> None:
    uow = FakeUnitOfWork()
    await handlers.register_unit(RegisterUnit(unit_id="ubkt", name="UBKT"), CONTEXT, uow)
    with pytest.raises(UserError) as refused:
        async with uow:
            await accounts.create_account(_account(**changes), CONTEXT, uow)
    assert refused.value.code == code
    assert [event.event_type for event in uow.log] == ["UnitRegistered"]
    assert uow.fake_credentials.hashes == {}


async def test_a_bloc_secretary_account_names_an_established_bloc() -> None:
    uow = FakeUnitOfWork()
    await handlers.establish_bloc(EstablishBloc(bloc_id="khoi-dang", name="Khối Đảng", kind="khoi",
                                                decision_ref="1"), CONTEXT, uow)
    await accounts.create_account(_account(role="bloc_secretary", unit_id=None, bloc_id="khoi-dang"), CONTEXT, uow)
    assert uow.log[-1].payload["bloc_id"] == "khoi-dang"


async def test_the_fifth_wrong_password_in_a_row_locks_the_account_even_for_the_right_one() -> None:
    uow = FakeUnitOfWork()
    await _with_account(uow)
    for attempt in range(1, 5):
        refused = await _sign_in(uow, "sai mật khẩu rồi")
        assert isinstance(refused, Unauthorized), attempt
        assert refused.code == "account.bad_credentials", attempt
    fifth = await _sign_in(uow, "sai mật khẩu rồi")
    assert isinstance(fifth, AccountLockedError), "the fifth says at once that the account is now locked"
    assert (fifth.code, fifth.params["failures"]) == ("account.locked_now", 5)
    assert [(event.event_type, event.payload.get("failures")) for event in uow.log[-6:]] == [
        ("AccountSignInFailed", 1), ("AccountSignInFailed", 2), ("AccountSignInFailed", 3),
        ("AccountSignInFailed", 4), ("AccountSignInFailed", 5), ("AccountLocked", 5)]
    assert uow.log[-1].actor == {"id": "account:lua.dt", "role": "unit_officer", "unit_id": "ubkt"}
    locked = await _sign_in(uow, PASSWORD)
    assert isinstance(locked, AccountLockedError)
    assert locked.status == 423
    await accounts.unlock_account(UnlockAccount(username="lua.dt"), CONTEXT, uow)
    assert await _sign_in(uow, PASSWORD) is None
    assert uow.log[-1].event_type == "AccountSignedIn"


async def test_a_sign_in_starts_the_count_of_failures_again() -> None:
    uow = FakeUnitOfWork()
    await _with_account(uow)
    for _ in range(4):
        await _sign_in(uow, "sai mật khẩu rồi")
    assert await _sign_in(uow, PASSWORD) is None
    await _sign_in(uow, "sai mật khẩu rồi")
    assert uow.log[-1].payload == {"username": "lua.dt", "failures": 1}


async def test_an_unknown_username_is_refused_as_a_wrong_password_and_records_nothing() -> None:
    uow = FakeUnitOfWork()
    refused = await _sign_in(uow, PASSWORD)
    assert isinstance(refused, Unauthorized)
    assert refused.code == "account.bad_credentials"
    assert uow.log == []


async def test_a_disabled_account_never_signs_in_and_unlocking_needs_a_locked_one() -> None:
    uow = FakeUnitOfWork()
    await _with_account(uow)
    with pytest.raises(Conflict) as not_locked:
        await accounts.unlock_account(UnlockAccount(username="lua.dt"), CONTEXT, uow)
    assert not_locked.value.code == "account.not_locked"
    await accounts.disable_account(DisableAccount(username="lua.dt"), CONTEXT, uow)
    refused = await _sign_in(uow, PASSWORD)
    assert isinstance(refused, Forbidden)
    assert refused.code == "account.disabled"
    with pytest.raises(Conflict):
        await accounts.disable_account(DisableAccount(username="lua.dt"), CONTEXT, uow)


async def test_a_person_changes_their_password_with_the_current_one() -> None:
    uow = FakeUnitOfWork()
    await _with_account(uow)
    change = ChangePassword(username="lua.dt", current_password="không phải nó", new_password="mật khẩu mới dài")
    with pytest.raises(UserError) as wrong:
        await accounts.change_password(change, PERSON, uow.for_(PERSON))
    assert (wrong.value.status, wrong.value.code, wrong.value.params) == (
        400, "account.wrong_current_password", {"field": "current_password"})
    await accounts.change_password(change.model_copy(update={"current_password": PASSWORD}), PERSON,
                                   uow.for_(PERSON))
    assert uow.log[-1].payload == {"username": "lua.dt", "reset_by_admin": False}
    assert await _sign_in(uow, PASSWORD) is not None
    assert await _sign_in(uow, "mật khẩu mới dài") is None


async def test_an_admin_resets_a_password_without_the_current_one() -> None:
    uow = FakeUnitOfWork()
    await _with_account(uow)
    await accounts.reset_password(ChangePassword(username="lua.dt", new_password="đặt lại cho Lụa"), CONTEXT, uow)
    assert uow.log[-1].payload == {"username": "lua.dt", "reset_by_admin": True}
    with pytest.raises(NotFound):
        await accounts.reset_password(ChangePassword(username="nobody", new_password="đặt lại cho ai"), CONTEXT, uow)
    with pytest.raises(Invalid) as short:
        await accounts.reset_password(ChangePassword(username="lua.dt", new_password="ngắn"), CONTEXT, uow)
    assert short.value.params["field"] == "new_password"
    with pytest.raises(Invalid) as without:
        await accounts.change_password(ChangePassword(username="lua.dt", new_password="mật khẩu mới dài"), PERSON,
                                       uow.for_(PERSON))
    assert without.value.params == {"field": "current_password"}


async def test_a_hash_of_older_parameters_is_made_again_at_sign_in() -> None:
    uow = FakeUnitOfWork()
    await _with_account(uow)
    uow.fake_credentials.hashes["lua.dt"] = f"old:{PASSWORD[::-1]}"
    assert await _sign_in(uow, PASSWORD) is None
    assert uow.fake_credentials.hashes["lua.dt"] == f"new:{PASSWORD[::-1]}"


def test_a_session_token_is_known_by_its_label() -> None:
    assert session_label("lua.dt") == "account:lua.dt"
    assert username_of("account:lua.dt") == "lua.dt"
    assert username_of("Sở Nội vụ") is None
    assert username_of("account:Not A Name") is None
