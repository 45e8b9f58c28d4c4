"""People's accounts and their sessions: the province's admin creates accounts, a person signs in with a username
and a password (``POST /provinces/P/sessions``, the one route that takes no token) and gets a bearer token for the
four services, labelled ``account:<username>``.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel

from registry.adapters import queries
from registry.adapters.accounts import get_account, list_accounts
from registry.application import accounts
from registry.application.unit_of_work import RegistryUnitOfWork
from registry.domain.account import account_stream, session_label, username_of
from registry.domain.commands import (
    ChangePassword,
    CreateAccount,
    CurrentPassword,
    DisableAccount,
    FullName,
    OfficersUnit,
    Password,
    SecretarysBloc,
    SignIn,
    UnlockAccount,
    Username,
)
from registry.entrypoints.answers import HistoryEvent
from thidua_contracts.envelope import Actor
from thidua_contracts.registry import AccountRole
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Identifier, Line
from thidua_shared.context import CommandContext
from thidua_shared.errors import Forbidden, NotFound
from thidua_shared.http import (
    ERROR_RESPONSES,
    ErrorBody,
    Recorded,
    RequestBody,
    actor_of,
    command_context,
    correlation_id,
    principal_dependency,
)
from thidua_shared.runtime import ServiceParts, caller_of, province_router

UsernamePath = Annotated[str, Path(pattern=r"^[a-z0-9._-]{3,40}$", max_length=40,
                                   description="the account's username, e.g. 'lua.dt'")]
SIGN_IN_REFUSALS: dict[int | str, dict[str, Any]] = {
    **{status: answer for status, answer in ERROR_RESPONSES.items() if status != 409},
    401: {"model": ErrorBody, "description": "wrong username or password (one answer for both)"},
    403: {"model": ErrorBody, "description": "the account is disabled"},
    423: {"model": ErrorBody, "description": "the account is locked after 5 wrong passwords in a row: the "
                                             "province's admin unlocks it"},
}


class CreateAccountBody(RequestBody):
    username: Username
    full_name: Line = FullName
    role: AccountRole
    unit_id: Identifier | None = OfficersUnit
    bloc_id: Identifier | None = SecretarysBloc
    password: Password


class ChangePasswordBody(RequestBody):
    current_password: Password | None = CurrentPassword
    new_password: Password


class SignInBody(RequestBody):
    username: Username
    password: Password


class SessionAccount(BaseModel):
    """Who signed in: the account, with its unit's and bloc's names."""

    username: str
    full_name: str
    role: str
    unit_id: str | None
    bloc_id: str | None
    unit_name: str | None
    bloc_name: str | None


class AccountAnswer(SessionAccount):
    """An account as the read model keeps it (never a password or its hash), with its unit's and bloc's names."""

    locked: bool
    disabled: bool
    failures: int
    """Wrong passwords in a row since the last sign-in or unlocking."""
    created_at: str
    last_signed_in_at: str | None


class Session(BaseModel):
    """A signed-in person's bearer token (shown once), for every service of the province, until signed out."""

    token: str
    expires_at: str | None = None
    """None: the token lasts until it is revoked (sign-out, or the account disabled)."""
    account: SessionAccount


def _is_the_account(caller: Principal, username: str) -> bool:
    return username_of(caller.label) == username


def router(parts: ServiceParts, commands: CommandRunner[RegistryUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]
    Bearer = Annotated[Principal, Depends(principal_dependency(lambda: parts.tokens,
                                                               parts.settings.province_codes))]

    async def _account(province: str, username: str) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await get_account(connection, province, username)
        if found is None:
            raise NotFound("account.not_found", username=username)
        return found

    @api.post("/accounts", status_code=201, tags=["accounts"], response_model=AccountAnswer,
              summary="Create a person's account to sign in with (admin); answers the account")
    async def create_account(province: str, body: CreateAccountBody, caller: Caller) -> dict[str, Any]:
        context = command_context(province, caller, "admin")
        await commands(accounts.create_account, CreateAccount(**body.model_dump()), context)
        return await _account(province, body.username)

    @api.get("/accounts", tags=["accounts"], response_model=list[AccountAnswer],
             summary="The province's accounts (admin, auditor)")
    async def list_province_accounts(province: str, caller: Caller) -> list[dict[str, Any]]:
        caller.require_role("admin", "auditor")
        async with parts.engine.connect() as connection:
            return await list_accounts(connection, province)

    @api.get("/accounts/{username}", tags=["accounts"], response_model=AccountAnswer,
             summary="An account (admin, auditor, or the account's own session)")
    async def get_province_account(province: str, username: UsernamePath, caller: Caller) -> dict[str, Any]:
        if not _is_the_account(caller, username):
            caller.require_role("admin", "auditor")
        return await _account(province, username)

    @api.get("/accounts/{username}/history", tags=["accounts"], response_model=list[HistoryEvent],
             summary="Every event of the account (admin, auditor)")
    async def get_account_history(province: str, username: UsernamePath, caller: Caller) -> list[dict[str, Any]]:
        caller.require_role("admin", "auditor")
        async with parts.engine.connect() as connection:
            found = await queries.history(connection, account_stream(province, username))
        if not found:
            raise NotFound("account.not_found", username=username)
        return found

    @api.post("/accounts/{username}/password", status_code=201, tags=["accounts"],
              summary="Change the password: the person with the current one, or the admin resetting it")
    async def change_account_password(province: str, username: UsernamePath, body: ChangePasswordBody,
                                      caller: Caller) -> Recorded:
        itself = _is_the_account(caller, username)
        if not itself and caller.role != "admin":
            raise Forbidden("account.not_yours", username=username)
        context = CommandContext(province, actor_of(caller), correlation_id())
        command = ChangePassword(username=username, **body.model_dump())
        return await commands(accounts.change_password if itself else accounts.reset_password, command, context)

    @api.post("/accounts/{username}/unlocking", status_code=201, tags=["accounts"],
              summary="Unlock an account locked after wrong passwords (admin)")
    async def unlock_account(province: str, username: UsernamePath, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        return await commands(accounts.unlock_account, UnlockAccount(username=username), context)

    @api.post("/accounts/{username}/disabling", status_code=201, tags=["accounts"],
              summary="Disable an account for good and end its sessions (admin)")
    async def disable_account(province: str, username: UsernamePath, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        answer = await commands(accounts.disable_account, DisableAccount(username=username), context)
        await parts.tokens.revoke_label(province, session_label(username))
        return answer

    @api.delete("/sessions/current", status_code=204, tags=["sessions"],
                summary="Sign out: revoke the token of this request (any role)")
    async def sign_out(province: str, caller: Bearer) -> Response:
        await parts.tokens.revoke(caller.token_id)
        return Response(status_code=204)

    # Sign-in takes no token (it is how a person gets one), and keeps no Idempotency-Key: its answer holds a new
    # secret token, which is never stored; a sign-in sent again simply signs in again.
    open_api = APIRouter(prefix="/provinces/{province}", responses=SIGN_IN_REFUSALS, route_class=APIRoute)

    @open_api.post("/sessions", status_code=201, tags=["sessions"], response_model=Session,
                   summary="Sign in with a username and a password: a bearer token for the four services "
                           "(no token needed)")
    async def sign_in(province: str, body: SignInBody) -> Session:
        if province not in parts.settings.province_codes:
            raise NotFound("province.unknown", province=province, served=", ".join(parts.settings.province_codes))
        async with parts.engine.connect() as connection:
            known = await get_account(connection, province, body.username)
        role = str(known["role"]) if known else "system"
        actor = Actor.model_validate({"id": session_label(body.username), "role": role,
                                      "unit_id": known["unit_id"] if known else None})
        context = CommandContext(province, actor, correlation_id())
        async with commands.open(context) as uow:
            account = await accounts.sign_in(SignIn(**body.model_dump()), context, uow)
        issued = await parts.tokens.issue(province, account.role, session_label(account.username),
                                          account.unit_id, account.bloc_id)
        shown = await _account(province, account.username)
        return Session(token=issued.token, account=SessionAccount(**{
            key: shown[key] for key in SessionAccount.model_fields}))

    both = APIRouter()
    both.include_router(api)
    both.include_router(open_api)
    return both
