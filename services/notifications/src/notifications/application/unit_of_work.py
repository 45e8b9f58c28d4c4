"""What notifications' command handlers work with: the repository of the provinces' notification settings."""

from __future__ import annotations

from notifications.domain.settings import ProvinceNotificationSettings
from thidua_shared.context import CommandContext
from thidua_shared.repository import AggregateUnitOfWork, Repository
from thidua_shared.unit_of_work import UnitOfWork


class NotificationsUnitOfWork(AggregateUnitOfWork):
    def __init__(self, inner: UnitOfWork, context: CommandContext) -> None:
        super().__init__(inner, context)
        self.settings: Repository[ProvinceNotificationSettings] = self.repository(ProvinceNotificationSettings)
