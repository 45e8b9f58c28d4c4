"""The events that record a past act name the field that dates it; their envelopes' occurred_at follows it."""

from __future__ import annotations

import typing
from datetime import date

from thidua_contracts import EVENT_MODELS
from thidua_contracts.awards import AwardDecided, HonoringVoteOpened
from thidua_contracts.base import start_of_day


def test_every_act_date_names_a_date_field_of_its_event() -> None:
    dated = {name: model.act_date for name, model in EVENT_MODELS.items() if model.act_date is not None}
    for name, field in dated.items():
        model = EVENT_MODELS[name]
        hints = typing.get_type_hints(model)
        assert field in model.model_fields, f"{name}.act_date names {field}, which it does not have"
        assert date in (hints[field], *typing.get_args(hints[field])), f"{name}.{field} is not a date"
    assert {"AwardDecided", "AwardProposed", "CouncilVoteRecorded", "ChairElected", "UnitsMerged"} <= set(dated)


def test_a_decision_occurred_on_its_day_and_an_undated_event_on_none() -> None:
    decided = AwardDecided(proposal_id="p", unit_id="van-phong", award_code="GOV_FLAG", decision_no="500/QĐ-TTg",
                           decided_on=date(2024, 5, 10), authority="Thủ tướng Chính phủ", rule_version="VN-98-2023")

    assert decided.occurred_on() == date(2024, 5, 10)
    assert start_of_day(date(2024, 5, 10)).isoformat() == "2024-05-10T00:00:00+07:00"
    assert HonoringVoteOpened.act_date is None or HonoringVoteOpened.act_date in HonoringVoteOpened.model_fields
