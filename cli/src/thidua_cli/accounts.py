"""``thidua accounts``: people's accounts in the registry (the province's admin): create, list, unlock, passwords.

A password is never an option of the command line (other users of the machine see it): it is asked for, hidden,
or read from ``THIDUA_ACCOUNT_PASSWORD`` (and ``THIDUA_ACCOUNT_CURRENT_PASSWORD``) by a script.
"""

from __future__ import annotations

import asyncio
import os
from typing import Annotated, Any

import typer

from thidua_cli.audit_logs import local_time
from thidua_cli.client import Api, ServiceError

accounts_app = typer.Typer(help="People's accounts to sign in with (the province's admin).", no_args_is_help=True)

Province = Annotated[str, typer.Option(help="province code, e.g. HNM")]
Token = Annotated[str, typer.Option(envvar="THIDUA_TOKEN")]
Url = Annotated[str | None, typer.Option(help="default: THIDUA_REGISTRY_URL")]
Lang = Annotated[str, typer.Option(help="vi or en")]
Username = Annotated[str, typer.Argument(help="the account's username, e.g. lua.dt")]

ROLE_NAMES = {
    "admin": ("Quản trị viên", "administrator"),
    "bloc_secretary": ("Thư ký khối", "bloc secretary"),
    "unit_officer": ("Cán bộ đơn vị", "unit officer"),
    "auditor": ("Kiểm toán viên", "auditor"),
}
WORDS = {
    "active": ("đang dùng", "active"), "locked": ("bị khóa", "locked"), "disabled": ("vô hiệu", "disabled"),
    "never": ("chưa đăng nhập", "never signed in"), "created": ("tạo ngày", "created"),
    "signed_in": ("đăng nhập lần cuối", "last signed in"), "failures": ("lần sai liên tiếp", "wrong in a row"),
    "none": ("Chưa có tài khoản nào.", "No accounts yet."), "unlocked": ("Đã mở khóa tài khoản", "Unlocked"),
    "changed": ("Đã đổi mật khẩu của tài khoản", "Changed the password of"),
    "created_account": ("Đã tạo tài khoản", "Created the account"),
}


def _word(key: str, lang: str) -> str:
    vi, en = WORDS[key]
    return en if lang == "en" else vi


def _request(method: str, path: str, body: dict[str, Any] | None, token: str, url: str | None, lang: str) -> Any:
    base = url or os.environ.get("THIDUA_REGISTRY_URL")
    if not base:
        raise typer.BadParameter("give --url or set THIDUA_REGISTRY_URL")

    async def send() -> Any:
        api = Api(base, token, lang)
        try:
            return await api.call(method, path, body)
        finally:
            await api.close()

    try:
        return asyncio.run(send())
    except ServiceError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error


def _password(variable: str, prompt: str, confirm: bool) -> str:
    given = os.environ.get(variable)
    return given if given else str(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def describe(account: dict[str, Any], lang: str) -> str:
    """One account as people read it: names rather than ids, dates dd/mm/yyyy in Viet Nam's time, its state."""
    vi, en = ROLE_NAMES.get(str(account["role"]), (str(account["role"]),) * 2)
    role = en if lang == "en" else vi
    for_whom = account.get("unit_name") or account.get("unit_id") or account.get("bloc_name") or account.get("bloc_id")
    state = "disabled" if account["disabled"] else "locked" if account["locked"] else "active"
    last = account.get("last_signed_in_at")
    parts = [f"{account['username']}  {account['full_name']}  {role}" + (f" — {for_whom}" if for_whom else ""),
             f"    {_word(state, lang)}; {_word('created', lang)} {local_time(account['created_at'])[:10]}; "
             + (f"{_word('signed_in', lang)} {local_time(last)}" if last else _word("never", lang))
             + (f"; {_word('failures', lang)}: {account['failures']}" if account["failures"] else "")]
    return "\n".join(parts)


def _path(province: str, *rest: str) -> str:
    return "/".join([f"/provinces/{province.upper()}/accounts", *rest])


@accounts_app.command("create")
def create(username: Username, province: Province, token: Token,
           full_name: Annotated[str, typer.Option(help="the person's full name, e.g. 'Đinh Thị Lụa'")],
           role: Annotated[str, typer.Option(help="admin, bloc_secretary, unit_officer or auditor")],
           unit: Annotated[str | None, typer.Option(help="the unit of a unit_officer (its id)")] = None,
           bloc: Annotated[str | None, typer.Option(help="the bloc of a bloc_secretary (its id)")] = None,
           url: Url = None, lang: Lang = "vi") -> None:
    """Create an account; its password (at least 10 characters, not holding the username) is asked for."""
    password = _password("THIDUA_ACCOUNT_PASSWORD", "Mật khẩu / Password", confirm=True)
    body = {"username": username, "full_name": full_name, "role": role, "unit_id": unit, "bloc_id": bloc,
            "password": password}
    account = _request("POST", _path(province), body, token, url, lang)
    typer.echo(f"{_word('created_account', lang)}:\n{describe(account, lang)}")


@accounts_app.command("list")
def list_accounts(province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """The province's accounts, their role, unit or bloc by name, and state."""
    accounts = _request("GET", _path(province), None, token, url, lang)
    typer.echo("\n".join(describe(account, lang) for account in accounts) if accounts else _word("none", lang))


@accounts_app.command("unlock")
def unlock(username: Username, province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """Unlock an account locked after five wrong passwords in a row."""
    _request("POST", _path(province, username, "unlocking"), None, token, url, lang)
    typer.echo(f"{_word('unlocked', lang)} {username}.")


@accounts_app.command("password")
def password(username: Username, province: Province, token: Token,
             own: Annotated[bool, typer.Option("--own", help="change your own password (asks the current one); "
                                                             "without it, the admin resets the account's")] = False,
             url: Url = None, lang: Lang = "vi") -> None:
    """Set a new password: the admin resets another account's, or (``--own``) a person changes their own."""
    body: dict[str, Any] = {}
    if own:
        body["current_password"] = _password("THIDUA_ACCOUNT_CURRENT_PASSWORD",
                                             "Mật khẩu hiện tại / Current password", confirm=False)
    body["new_password"] = _password("THIDUA_ACCOUNT_PASSWORD", "Mật khẩu mới / New password", confirm=True)
    _request("POST", _path(province, username, "password"), body, token, url, lang)
    typer.echo(f"{_word('changed', lang)} {username}.")
