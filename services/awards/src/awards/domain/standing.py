"""A unit's standing in a year: the standards the eligibility rules read as facts that thidua does not compute.

The province records the yearly quality rating (xếp loại chất lượng), and attests the other standards (internal
unity, the Party and mass organisations rated excellent, new models, the members' individual titles) with the
document that attests each, so that every verdict says on what it rests.
"""

from __future__ import annotations

from datetime import date

from thidua_contracts.awards import (
    AttestationWithdrawn,
    QualityRating,
    QualityRatingRecorded,
    StandardAttested,
    StandardFact,
)
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Invalid, NotFound


def standing_key(unit_id: str, year: int) -> str:
    return f"{unit_id}/{year}"


def standing_stream(province: str, unit_id: str, year: int) -> str:
    return f"standing:{province}:{unit_id}:{year}"


class UnitStanding(Aggregate):
    def __init__(self, province: str, key: str) -> None:
        unit_id, _, year = key.rpartition("/")
        super().__init__(standing_stream(province, unit_id, int(year)), province)
        self.unit_id, self.year = unit_id, int(year)
        self.rating: QualityRating | None = None
        self.attested: dict[str, str] = {}
        """The attested standards: fact -> the attesting document."""

    @applies(QualityRatingRecorded)
    def _rated(self, event: QualityRatingRecorded) -> None:
        self.rating = event.rating

    @applies(StandardAttested)
    def _attested(self, event: StandardAttested) -> None:
        self.attested[event.fact] = event.ref

    @applies(AttestationWithdrawn)
    def _withdrawn(self, event: AttestationWithdrawn) -> None:
        self.attested.pop(event.fact, None)

    def rate(self, rating: QualityRating, ref: str, on: date, unit_known: bool) -> None:
        """The rating of a year is given after the year has begun; a new rating replaces the earlier one."""
        self._require_unit(unit_known)
        if on.year < self.year:
            raise Invalid("standing.before_year", on=on, year=self.year)
        self.record(QualityRatingRecorded(unit_id=self.unit_id, year=self.year, rating=rating, ref=ref, rated_on=on))

    def attest(self, fact: StandardFact, ref: str, on: date, note: str | None, unit_known: bool) -> None:
        self._require_unit(unit_known)
        if on.year < self.year:
            raise Invalid("standing.before_year", on=on, year=self.year)
        if self.attested.get(fact) == ref:
            raise Conflict("standing.already_attested", unit_id=self.unit_id, year=self.year, fact=fact, ref=ref)
        self.record(StandardAttested(unit_id=self.unit_id, year=self.year, fact=fact, ref=ref, attested_on=on,
                                     note=note))

    def withdraw(self, fact: StandardFact, reason: str, on: date) -> None:
        if fact not in self.attested:
            raise Conflict("standing.not_attested", unit_id=self.unit_id, year=self.year, fact=fact)
        self.record(AttestationWithdrawn(unit_id=self.unit_id, year=self.year, fact=fact, reason=reason,
                                         withdrawn_on=on))

    def _require_unit(self, unit_known: bool) -> None:
        if not unit_known:
            raise NotFound("proposal.unknown_unit", unit_id=self.unit_id)
