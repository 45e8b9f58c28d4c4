"""A province's settings of who hears what: an aggregate of its own, so that each change is an event."""

from __future__ import annotations

from notifications.domain.commands import ChangeNotificationSettings
from notifications.domain.recipients import AUDIENCES, DEFAULT_AUDIENCES, KINDS, NotificationSettings
from thidua_contracts.notifications import NotificationSettingsChanged
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Invalid


def settings_stream(province: str) -> str:
    return f"notification-settings:{province}"


def settings_of(event: NotificationSettingsChanged) -> NotificationSettings:
    """The settings an event states; kinds it leaves out (or did not know yet) keep their defaults, and an
    audience this code does not know is ignored."""
    audiences = dict(DEFAULT_AUDIENCES)
    for kind in KINDS:
        if kind in event.audiences:
            audiences[kind] = tuple(a for a in AUDIENCES if a in event.audiences[kind])
    return NotificationSettings(
        staff_emails=tuple(event.staff_emails),
        bloc_secretariats={bloc_id: tuple(addresses) for bloc_id, addresses in event.bloc_secretariats.items()},
        audiences=audiences,
        english_addresses=frozenset(address.lower() for address in event.english_addresses))


class ProvinceNotificationSettings(Aggregate):
    def __init__(self, province: str) -> None:
        super().__init__(settings_stream(province), province)
        self.settings = NotificationSettings()
        self._last: NotificationSettingsChanged | None = None

    @applies(NotificationSettingsChanged)
    def _changed(self, event: NotificationSettingsChanged) -> None:
        self.settings = settings_of(event)
        self._last = event

    def change(self, command: ChangeNotificationSettings) -> None:
        """Replace the settings by those given; refused when they change nothing."""
        audiences = {kind: list(dict.fromkeys(command.audiences.get(kind, DEFAULT_AUDIENCES[kind])))
                     for kind in KINDS}
        changed = NotificationSettingsChanged(
            staff_emails=list(dict.fromkeys(command.staff_emails)),
            bloc_secretariats={bloc: list(dict.fromkeys(addresses))
                               for bloc, addresses in sorted(command.bloc_secretariats.items())},
            audiences=audiences, english_addresses=list(dict.fromkeys(command.english_addresses)))
        if changed == self._last or (self._last is None and settings_of(changed) == NotificationSettings()):
            raise Invalid("notification_settings.unchanged", province=self.province)
        self.record(changed)
