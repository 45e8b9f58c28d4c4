"""A unit's standing in a year: the quality rating the province gives it and the standards attested as facts."""

from __future__ import annotations

from awards.application.handlers import dated
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.commands import AttestStandard, ImportQualityRatings, RateQuality, WithdrawAttestation
from awards.domain.standing import standing_key
from thidua_shared.context import CommandContext


async def rate_quality(command: RateQuality, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    standing = await uow.standings.get(standing_key(command.unit_id, command.year))
    standing.rate(command.rating, command.ref, dated(command.rated_on, uow),
                  await uow.unit_known(context.province, command.unit_id))
    await uow.save(standing)
    await uow.commit()


async def attest_standard(command: AttestStandard, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    standing = await uow.standings.get(standing_key(command.unit_id, command.year))
    standing.attest(command.fact, command.ref, dated(command.attested_on, uow), command.note,
                    await uow.unit_known(context.province, command.unit_id))
    await uow.save(standing)
    await uow.commit()


async def withdraw_attestation(command: WithdrawAttestation, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    standing = await uow.standings.get(standing_key(command.unit_id, command.year))
    standing.withdraw(command.fact, command.reason, dated(command.withdrawn_on, uow))
    await uow.save(standing)
    await uow.commit()


async def import_quality_ratings(command: ImportQualityRatings, context: CommandContext,
                                 uow: AwardsUnitOfWork) -> None:
    """Every rating of the table in one transaction: all recorded, or none."""
    for each in command.ratings:
        standing = await uow.standings.get(standing_key(each.unit_id, each.year))
        standing.rate(each.rating, each.ref, dated(each.rated_on, uow), await uow.unit_known(context.province,
                                                                                              each.unit_id))
        await uow.save(standing)
    await uow.commit()
