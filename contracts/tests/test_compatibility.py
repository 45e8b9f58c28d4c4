"""The compatibility check over JSON Schema: each kind of breaking change is named, each compatible one passes.

The schemas are small and hand-made, in the forms pydantic writes: ``$ref`` into ``$defs``, ``anyOf`` with
``null`` for ``Optional``, ``enum`` for ``Literal``, ``additionalProperties`` for a ``dict``."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.compatibility import incompatibilities

STRING, INTEGER, NUMBER = {"type": "string"}, {"type": "integer"}, {"type": "number"}
OPTIONAL_STRING = {"anyOf": [STRING, {"type": "null"}], "default": None}
KIND = {"enum": ["khoi", "cum"], "type": "string"}


def payload(properties: dict[str, Any], required: list[str], **more: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": True, "properties": properties, "required": required, **more}


BLOC = payload({"bloc_id": STRING, "name": STRING, "kind": KIND, "decision_ref": OPTIONAL_STRING},
               ["bloc_id", "name", "kind"])


def problems(published: dict[str, Any], current: dict[str, Any]) -> list[str]:
    return [str(change) for change in incompatibilities(published, current)]


def test_the_same_schema_is_compatible() -> None:
    assert problems(BLOC, BLOC) == []


@pytest.mark.parametrize("current", [
    payload({**BLOC["properties"], "decided_on": {"type": "string", "format": "date", "default": None}},
            BLOC["required"]),
    payload({**BLOC["properties"], "members": {"type": "array", "items": STRING}}, BLOC["required"]),
    payload({"decision_ref": OPTIONAL_STRING, "kind": KIND, "name": STRING, "bloc_id": STRING},
            ["kind", "bloc_id", "name"]),
    payload({**BLOC["properties"], "name": {"type": "string", "title": "Tên khối", "description": "tên đầy đủ"}},
            BLOC["required"], description="A bloc is established", title="BlocEstablished"),
    payload({**BLOC["properties"], "name": {"type": "string", "default": "Khối thi đua"}}, ["bloc_id", "kind"]),
], ids=["optional field added", "field with a default added", "fields reordered", "descriptions changed",
        "required field given a default"])
def test_a_compatible_change_passes(current: dict[str, Any]) -> None:
    assert problems(BLOC, current) == []


def test_a_removed_field_is_breaking() -> None:
    without = payload({key: value for key, value in BLOC["properties"].items() if key != "decision_ref"},
                      BLOC["required"])
    assert problems(BLOC, without) == ["field decision_ref: removed (or renamed)"]


def test_a_renamed_field_is_a_removed_one_and_a_new_required_one() -> None:
    renamed = payload({**{key: value for key, value in BLOC["properties"].items() if key != "name"},
                       "full_name": STRING}, ["bloc_id", "full_name", "kind"])
    assert problems(BLOC, renamed) == [
        "field name: removed (or renamed)",
        "field full_name: added as required, without a default: events stored without it no longer read"]


def test_a_new_required_field_is_breaking() -> None:
    current = payload({**BLOC["properties"], "year": INTEGER}, [*BLOC["required"], "year"])
    assert problems(BLOC, current) == [
        "field year: added as required, without a default: events stored without it no longer read"]


def test_an_optional_field_made_required_is_breaking() -> None:
    current = payload({**BLOC["properties"], "decision_ref": STRING}, [*BLOC["required"], "decision_ref"])
    assert problems(BLOC, current) == [
        "field decision_ref: became required: events stored without it no longer read",
        "field decision_ref: type narrowed: null no longer accepted"]


def test_a_changed_type_is_breaking() -> None:
    published = payload({"year": INTEGER}, ["year"])
    assert problems(published, payload({"year": STRING}, ["year"])) == [
        "field year: type changed from integer to string"]
    assert problems(published, payload({"year": NUMBER}, ["year"])) == [
        "field year: type changed from integer to number"]


def test_a_date_that_became_a_datetime_is_a_changed_type() -> None:
    published = payload({"effective_on": {"type": "string", "format": "date"}}, ["effective_on"])
    current = payload({"effective_on": {"type": "string", "format": "date-time"}}, ["effective_on"])
    assert problems(published, current) == ["field effective_on: type changed from string:date to string:date-time"]


def test_a_narrowed_or_widened_type_is_breaking() -> None:
    optional = payload({"parent_unit_id": OPTIONAL_STRING}, [])
    required = payload({"parent_unit_id": STRING}, [])
    assert problems(optional, required) == ["field parent_unit_id: type narrowed: null no longer accepted"]
    assert problems(required, optional) == [
        "field parent_unit_id: type widened: now also null, which subscribers validating with the published "
        "schema refuse"]


def test_a_removed_enum_value_is_breaking_and_an_added_one_too() -> None:
    assert problems(BLOC, payload({**BLOC["properties"], "kind": {"enum": ["khoi"]}}, BLOC["required"])) == [
        "field kind: enum value 'cum' removed"]
    assert problems(BLOC, payload({**BLOC["properties"], "kind": {"enum": ["khoi", "cum", "nhom"]}},
                                  BLOC["required"])) == [
        "field kind: enum value 'nhom' added, which subscribers validating with the published schema refuse"]


def test_a_literal_of_one_value_is_an_enum() -> None:
    published = payload({"channel": {"const": "email"}}, ["channel"])
    assert problems(published, payload({"channel": {"enum": ["email"]}}, ["channel"])) == []
    assert problems(published, payload({"channel": {"const": "webhook"}}, ["channel"])) == [
        "field channel: enum value 'email' removed",
        "field channel: enum value 'webhook' added, which subscribers validating with the published schema refuse"]


def test_an_enum_opened_to_any_string_is_widened_and_a_string_closed_to_an_enum_is_narrowed() -> None:
    free = payload({"kind": STRING}, ["kind"])
    assert problems(BLOC, payload({**BLOC["properties"], "kind": STRING}, BLOC["required"])) == [
        "field kind: type widened: now also string, which subscribers validating with the published schema refuse"]
    assert problems(free, payload({"kind": KIND}, ["kind"])) == ["field kind: type narrowed: string no longer accepted"]


def test_a_changed_constraint_is_breaking() -> None:
    published = payload({"province": {"type": "string", "pattern": "^[A-Z]{2,8}$"}}, ["province"])
    current = payload({"province": {"type": "string", "pattern": "^[A-Z]{3}$"}}, ["province"])
    assert problems(published, current) == [
        "field province: constraint changed: pattern '^[A-Z]{2,8}$' -> '^[A-Z]{3}$'"]


def test_nested_models_are_compared_through_their_refs() -> None:
    def table(criterion: dict[str, Any]) -> dict[str, Any]:
        return payload({"criteria": {"type": "array", "items": {"$ref": "#/$defs/Criterion"}}}, ["criteria"],
                       **{"$defs": {"Criterion": criterion}})

    published = table(payload({"code": STRING, "kind": {"enum": ["base", "bonus", "penalty"]}}, ["code", "kind"]))
    assert problems(published, table(payload({"code": STRING, "kind": {"enum": ["base", "bonus", "penalty"]},
                                             "source": {"enum": ["assessment"], "default": "assessment"}},
                                            ["code", "kind"]))) == []
    without_penalty = table(payload({"code": STRING, "kind": {"enum": ["base", "bonus"]}}, ["code", "kind"]))
    assert problems(published, without_penalty) == ["field criteria[].kind: enum value 'penalty' removed"]


def test_a_ref_on_one_side_and_inline_on_the_other_compare_alike() -> None:
    band = payload({"name": STRING, "min_points": NUMBER}, ["name", "min_points"])
    inline = payload({"band": band}, ["band"])
    referenced = payload({"band": {"$ref": "#/$defs/Band"}}, ["band"], **{"$defs": {"Band": band}})
    assert problems(inline, referenced) == problems(referenced, inline) == []
    changed = payload({"band": {"$ref": "#/$defs/Band"}}, ["band"],
                      **{"$defs": {"Band": payload({"name": STRING, "min_points": INTEGER}, ["name", "min_points"])}})
    assert problems(inline, changed) == ["field band.min_points: type changed from number to integer"]


def test_the_values_of_a_dictionary_are_compared() -> None:
    published = payload({"breakdown": {"type": "object", "additionalProperties": NUMBER}}, ["breakdown"])
    current = payload({"breakdown": {"type": "object", "additionalProperties": STRING}}, ["breakdown"])
    assert problems(published, current) == ["field breakdown{}: type changed from number to string"]


def test_a_recursive_model_is_compared_once() -> None:
    node = payload({"code": STRING, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}, ["code"])
    published = payload({"root": {"$ref": "#/$defs/Node"}}, ["root"], **{"$defs": {"Node": node}})
    assert problems(published, published) == []
    renamed = payload({"name": STRING, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}, ["name"])
    assert problems(published, {**published, "$defs": {"Node": renamed}}) == [
        "field root.code: removed (or renamed)",
        "field root.name: added as required, without a default: events stored without it no longer read"]
