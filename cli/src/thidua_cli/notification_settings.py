"""``thidua notifications settings``: who hears what in a province (the province's admin)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from thidua_cli.calling import call

settings_app = typer.Typer(help="Who hears what: the province's TĐKT staff, each bloc's secretariat, the audiences "
                                "of every kind of message, the addresses written to in English.",
                           no_args_is_help=True)

Province = Annotated[str, typer.Option(help="province code, e.g. HNM")]
Token = Annotated[str, typer.Option(envvar="THIDUA_TOKEN")]
Url = Annotated[str | None, typer.Option(help="default: THIDUA_NOTIFICATIONS_URL")]
Lang = Annotated[str, typer.Option(help="vi or en")]


def _path(province: str) -> str:
    return f"/provinces/{province.upper()}/notification-settings"


def _pairs(given: list[str], example: str) -> list[tuple[str, str]]:
    pairs = []
    for item in given:
        key, equals, value = item.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise typer.BadParameter(f"'{item}': write it as {example}")
        pairs.append((key.strip(), value.strip()))
    return pairs


@settings_app.command("show")
def show(province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """The settings in force, the defaults of every kind included."""
    call("notifications", "GET", _path(province), None, token, url, lang)


@settings_app.command("set")
def set_settings(
    province: Province, token: Token,
    staff_email: Annotated[list[str] | None, typer.Option(help="an address of the province's TĐKT staff "
                                                                "(repeat the option for several)")] = None,
    secretariat: Annotated[list[str] | None, typer.Option(
        help="BLOC_ID=ADDRESS, a bloc's secretariat (repeat)")] = None,
    audience: Annotated[list[str] | None, typer.Option(
        help="KIND=AUDIENCE,AUDIENCE: who hears a kind of message, e.g. award_decided=unit,province_staff; "
             "audiences: unit, bloc_chair, bloc_secretariat, province_staff; 'KIND=' alone: nobody "
             "(repeat; the kinds left out keep their defaults)")] = None,
    english: Annotated[list[str] | None, typer.Option(help="an address written to in English (repeat)")] = None,
    url: Url = None, lang: Lang = "vi",
) -> None:
    """Set all the settings at once: they replace those in force (see them first with ``show``)."""
    secretariats: dict[str, list[str]] = {}
    for bloc_id, address in _pairs(secretariat or [], "BLOC_ID=ADDRESS, e.g. khoi-dang=thuky@hanam.gov.vn"):
        secretariats.setdefault(bloc_id, []).append(address)
    audiences: dict[str, list[str]] = {}
    for item in audience or []:
        kind, equals, named = item.partition("=")
        if not equals or not kind.strip():
            raise typer.BadParameter(f"'{item}': write it as KIND=AUDIENCE,AUDIENCE, e.g. award_decided=unit")
        audiences[kind.strip()] = [name.strip() for name in named.split(",") if name.strip()]
    body: dict[str, Any] = {"staff_emails": staff_email or [], "bloc_secretariats": secretariats,
                            "audiences": audiences, "english_addresses": english or []}
    call("notifications", "PUT", _path(province), body, token, url, lang)
