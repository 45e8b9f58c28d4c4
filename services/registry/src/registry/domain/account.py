"""A person's account (tài khoản): who signs in to the province's console, in which role, for which unit or bloc.

Its password is never in an event: the application keeps the hash apart, beside the event that sets it. Five
wrong passwords in a row lock the account until the province's admin unlocks it; a disabled account never signs
in again.
"""

from __future__ import annotations

import re
from typing import get_args

from registry.domain.bloc import Bloc
from registry.domain.unit import Unit
from thidua_contracts.registry import (
    AccountCreated,
    AccountDisabled,
    AccountLocked,
    AccountPasswordChanged,
    AccountRole,
    AccountSignedIn,
    AccountSignInFailed,
    AccountUnlocked,
)
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Forbidden, Invalid, NotFound, UserError
from thidua_shared.text import clean_line

ACCOUNT_ROLES: tuple[str, ...] = get_args(AccountRole)
USERNAME = re.compile(r"[a-z0-9._-]{3,40}")
"""Lowercase letters, digits, dot, dash and underscore, 3 to 40 of them (e.g. ``lua.dt``)."""
MAX_FAILURES = 5
"""Wrong passwords in a row that lock the account."""
PASSWORD_MIN_LENGTH = 10
SESSION_LABEL_PREFIX = "account:"


class AccountLockedError(UserError):
    """The account is locked (HTTP 423 Locked): only the province's admin unlocks it."""

    status = 423


def account_stream(province: str, username: str) -> str:
    return f"account:{province}:{username}"


def session_label(username: str) -> str:
    """The label of the tokens a sign-in issues: ``account:<username>``, by which a token's account is known."""
    return f"{SESSION_LABEL_PREFIX}{username}"


def username_of(label: str) -> str | None:
    """The account a token was issued to at sign-in (None: a token of ``thidua token``)."""
    if not label.startswith(SESSION_LABEL_PREFIX):
        return None
    username = label.removeprefix(SESSION_LABEL_PREFIX)
    return username if USERNAME.fullmatch(username) else None


def check_password(username: str, password: str, field: str = "password") -> None:
    """The password rule: at least ten characters, and not containing the username (in any case)."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise Invalid("account.password_too_short", field=field, minimum=PASSWORD_MIN_LENGTH)
    if username.lower() in password.lower():
        raise Invalid("account.password_contains_username", field=field, username=username)


class Account(Aggregate):
    def __init__(self, province: str, username: str) -> None:
        super().__init__(account_stream(province, username), province)
        self.username = username
        self.full_name = ""
        self.role = ""
        self.unit_id: str | None = None
        self.bloc_id: str | None = None
        self.failures = 0
        self.locked = False
        self.disabled = False

    @applies(AccountCreated)
    def _created(self, event: AccountCreated) -> None:
        self.full_name, self.role = event.full_name, event.role
        self.unit_id, self.bloc_id = event.unit_id, event.bloc_id

    @applies(AccountPasswordChanged)
    def _password_changed(self, event: AccountPasswordChanged) -> None:
        """The account's state is unchanged: the new hash is kept beside the log, never in it."""

    @applies(AccountSignInFailed)
    def _sign_in_failed(self, event: AccountSignInFailed) -> None:
        self.failures = event.failures

    @applies(AccountLocked)
    def _locked(self, event: AccountLocked) -> None:
        self.locked = True

    @applies(AccountSignedIn)
    def _signed_in(self, event: AccountSignedIn) -> None:
        self.failures = 0

    @applies(AccountUnlocked)
    def _unlocked(self, event: AccountUnlocked) -> None:
        self.locked, self.failures = False, 0

    @applies(AccountDisabled)
    def _disabled(self, event: AccountDisabled) -> None:
        self.disabled = True

    def create(self, full_name: str, role: AccountRole, unit: Unit | None, bloc: Bloc | None) -> None:
        """A new account: a unit officer's for a registered unit, a bloc secretary's for an established bloc,
        and no unit or bloc for the other roles (their tokens act for the whole province)."""
        if not USERNAME.fullmatch(self.username):
            raise Invalid("account.bad_username", username=self.username)
        if self.exists:
            raise Conflict("account.exists", username=self.username)
        if role not in ACCOUNT_ROLES:
            raise Invalid("account.bad_role", role=role, roles=", ".join(ACCOUNT_ROLES))
        full_name = clean_line(full_name, "full_name")
        if not full_name:
            raise Invalid("account.full_name_required")
        if role == "unit_officer":
            if unit is None:
                raise Invalid("account.unit_required")
            if not unit.exists:
                raise NotFound("unit.not_found", unit_id=unit.unit_id)
            if unit.dissolved_on is not None:
                raise Conflict("unit.ended", unit_id=unit.unit_id, day=unit.dissolved_on.isoformat())
        elif unit is not None:
            raise Invalid("account.unit_not_for_role", role=role)
        if role == "bloc_secretary":
            if bloc is None:
                raise Invalid("account.bloc_required")
            if not bloc.exists:
                raise NotFound("bloc.not_found", bloc_id=bloc.bloc_id)
        elif bloc is not None:
            raise Invalid("account.bloc_not_for_role", role=role)
        self.record(AccountCreated(username=self.username, full_name=full_name, role=role,
                                   unit_id=unit.unit_id if unit else None, bloc_id=bloc.bloc_id if bloc else None))

    def require_found(self) -> None:
        if not self.exists:
            raise NotFound("account.not_found", username=self.username)

    def require_usable(self) -> None:
        """A disabled account (403) or a locked one (423) is refused, whatever password it is given."""
        if self.disabled:
            raise Forbidden("account.disabled", username=self.username)
        if self.locked:
            raise AccountLockedError("account.locked", username=self.username)

    def change_password(self, reset_by_admin: bool) -> None:
        """The hash changes beside this event (the application keeps it); the password is never recorded."""
        self.require_found()
        if self.disabled:
            raise Conflict("account.disabled_for_good", username=self.username)
        self.record(AccountPasswordChanged(username=self.username, reset_by_admin=reset_by_admin))

    def fail_sign_in(self) -> None:
        """A wrong password: counted, and the fifth in a row locks the account."""
        failures = self.failures + 1
        self.record(AccountSignInFailed(username=self.username, failures=failures))
        if failures >= MAX_FAILURES:
            self.record(AccountLocked(username=self.username, failures=failures))

    def sign_in(self) -> None:
        self.require_usable()
        self.record(AccountSignedIn(username=self.username))

    def unlock(self) -> None:
        self.require_found()
        if not self.locked:
            raise Conflict("account.not_locked", username=self.username)
        self.record(AccountUnlocked(username=self.username))

    def disable(self) -> None:
        self.require_found()
        if self.disabled:
            raise Conflict("account.already_disabled", username=self.username)
        self.record(AccountDisabled(username=self.username))
