"""What notifications' command handlers work with: the repositories of the provinces' notification settings and of
the webhook subscriptions, and the delivery queue."""

from __future__ import annotations

from typing import Protocol

from notifications.domain.settings import ProvinceNotificationSettings
from notifications.domain.subscriptions import Subscription
from thidua_shared.context import CommandContext
from thidua_shared.repository import AggregateUnitOfWork, Repository
from thidua_shared.unit_of_work import UnitOfWork


class DeliveryQueue(Protocol):
    async def requeue(self, province: str, subscription_id: str, from_position: int) -> int:
        """Take the subscription's deliveries from the position on back into the queue; how many."""


class NotificationsUnitOfWork(AggregateUnitOfWork):
    def __init__(self, inner: UnitOfWork, context: CommandContext, queue: DeliveryQueue | None = None) -> None:
        super().__init__(inner, context)
        self.settings: Repository[ProvinceNotificationSettings] = self.repository(ProvinceNotificationSettings)
        self.subscriptions: Repository[Subscription] = self.repository(
            lambda subscription_id: Subscription(context.province, subscription_id))
        self._queue = queue

    @property
    def queue(self) -> DeliveryQueue:
        if self._queue is None:
            raise RuntimeError("this unit of work has no delivery queue")
        return self._queue
