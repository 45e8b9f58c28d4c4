"""Account use cases: create, sign in, change a password, unlock, disable.

A password's hash is kept (``uow.credentials``) in the transaction of the event that sets it, so an account never
has an event without its hash, or a hash without its event. Commands on one account run one after the other
(its lock): two sign-ins at once count their failures one by one.
"""

from __future__ import annotations

from registry.application.unit_of_work import RegistryUnitOfWork
from registry.domain.account import MAX_FAILURES, Account, AccountLockedError, account_stream, check_password
from registry.domain.commands import ChangePassword, CreateAccount, DisableAccount, SignIn, UnlockAccount
from thidua_shared.context import CommandContext
from thidua_shared.errors import Invalid, Unauthorized, UserError


class WrongCurrentPassword(UserError):
    """The person's current password is not the one given (400, naming ``current_password``)."""

    status = 400


async def _locked(uow: RegistryUnitOfWork, username: str) -> Account:
    await uow.lock(account_stream(uow.context.province, username))
    return await uow.accounts.get(username)


async def create_account(command: CreateAccount, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    check_password(command.username, command.password)
    account = await _locked(uow, command.username)
    unit = None if command.unit_id is None else await uow.units.get(command.unit_id)
    bloc = None if command.bloc_id is None else await uow.blocs.get(command.bloc_id)
    account.create(command.full_name, command.role, unit, bloc)
    await uow.credentials.keep(command.username, await uow.passwords.hash(command.password))
    await uow.save(account)
    await uow.commit()


async def change_password(command: ChangePassword, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    """By the person, who gives the current password."""
    check_password(command.username, command.new_password, "new_password")
    account = await _locked(uow, command.username)
    account.require_found()
    if command.current_password is None:
        raise Invalid("account.current_password_required", field="current_password")
    stored = await uow.credentials.hash_of(command.username)
    if stored is None or not await uow.passwords.verify(stored, command.current_password):
        raise WrongCurrentPassword("account.wrong_current_password", field="current_password")
    await _new_password(uow, account, command.new_password, reset_by_admin=False)


async def reset_password(command: ChangePassword, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    """By the province's admin, for another account: no current password (one given is not looked at)."""
    check_password(command.username, command.new_password, "new_password")
    account = await _locked(uow, command.username)
    await _new_password(uow, account, command.new_password, reset_by_admin=True)


async def _new_password(uow: RegistryUnitOfWork, account: Account, password: str, reset_by_admin: bool) -> None:
    account.change_password(reset_by_admin)
    await uow.credentials.keep(account.username, await uow.passwords.hash(password))
    await uow.save(account)
    await uow.commit()


async def sign_in(command: SignIn, context: CommandContext, uow: RegistryUnitOfWork) -> Account:
    """The account signed in to, its sign-in recorded. A wrong password is recorded (the fifth in a row locks
    the account) and committed before it is refused (401, the same answer as for an unknown username); a locked
    or disabled account is refused whatever the password, recording nothing. A hash made with older argon2
    parameters is made again from the password just checked."""
    account = await _locked(uow, command.username)
    stored = await uow.credentials.hash_of(command.username) if account.exists else None
    if stored is None:
        await uow.passwords.spend_a_verification(command.password)
        raise Unauthorized("account.bad_credentials")
    account.require_usable()
    if not await uow.passwords.verify(stored, command.password):
        account.fail_sign_in()
        await uow.save(account)
        await uow.commit()
        if account.locked:  # the person is told at once, not at their next try
            raise AccountLockedError("account.locked_now", username=command.username, failures=MAX_FAILURES)
        raise Unauthorized("account.bad_credentials")
    account.sign_in()
    if uow.passwords.needs_rehash(stored):
        await uow.credentials.keep(command.username, await uow.passwords.hash(command.password))
    await uow.save(account)
    await uow.commit()
    return account


async def unlock_account(command: UnlockAccount, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    account = await _locked(uow, command.username)
    account.unlock()
    await uow.save(account)
    await uow.commit()


async def disable_account(command: DisableAccount, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    """The account no longer signs in; the route revokes its sessions once this is committed."""
    account = await _locked(uow, command.username)
    account.disable()
    await uow.save(account)
    await uow.commit()
