"""Whether a payload schema may stand in for the one published at the same ``schema_version``.

Two kinds of reader hold the published schema to its word: the current model reading events stored at
that version (stored events are never rewritten), and a subscriber validating events with the published
schema. A change is compatible only if both keep working, so these break it:

- a field removed or renamed (stored events carry it, the strict models refuse it; subscribers need it);
- a field that became required, or a new required field without a default (stored events lack it);
- a type changed, narrowed (a stored value no longer fits) or widened (a subscriber refuses the new values),
  ``None`` included; a format or a constraint changed;
- an enum value removed (a stored value) or added (a subscriber refuses it).

Compatible: a new field with a default (subscribers tolerate added fields), a required field given a default
(the models write every field), titles, descriptions and defaults. The schemas are pydantic's: ``$ref`` into
``$defs``, ``anyOf`` for unions and ``Optional``, ``enum``/``const`` for ``Literal``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Schema = Mapping[str, Any]

CONSTRAINTS = ("pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
               "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties")


@dataclass(frozen=True, slots=True)
class Incompatibility:
    """One breaking difference: where (``criteria[].kind``; empty for the whole payload) and what."""

    path: str
    problem: str

    def __str__(self) -> str:
        return f"field {self.path}: {self.problem}" if self.path else self.problem


def incompatibilities(published: Schema, current: Schema) -> list[Incompatibility]:
    """Every breaking difference of ``current`` from ``published`` (empty: ``current`` may replace it)."""
    comparison = _Comparison(published, current)
    comparison.compare(published, current, "")
    return comparison.found


def _resolve(root: Schema, node: Schema) -> Schema:
    """``node`` with its ``$ref`` (into ``root``) followed; a lone ``allOf`` (pydantic's described ``$ref``)
    merged."""
    seen: set[str] = set()
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"cannot follow $ref {ref}")
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
    if len(node.get("allOf", ())) == 1:
        rest = {key: value for key, value in node.items() if key != "allOf"}
        return _resolve(root, {**_resolve(root, node["allOf"][0]), **rest})
    return node


def _branches(root: Schema, node: Schema) -> list[Schema]:
    """The alternatives a value may match: ``anyOf``/``oneOf`` and type lists flattened."""
    node = _resolve(root, node)
    for key in ("anyOf", "oneOf"):
        if key in node:
            return [branch for item in node[key] for branch in _branches(root, item)]
    if isinstance(node.get("type"), list) and "enum" not in node and "const" not in node:
        return [{**node, "type": kind} for kind in node["type"]]
    return [node]


def _values(branches: list[Schema]) -> list[Any]:
    """The enumerated values (``enum``, ``const``) the branches allow."""
    return [value for branch in branches
            for value in (branch["enum"] if "enum" in branch else [branch["const"]] if "const" in branch else [])]


def _kinds(branches: list[Schema]) -> dict[str, Schema]:
    """The branches that are not enumerations, by type and format: ``string``, ``string:date``, ``any``."""
    kinds: dict[str, Schema] = {}
    for branch in branches:
        if "enum" not in branch and "const" not in branch:
            kind = str(branch.get("type", "any")) + (f":{branch['format']}" if "format" in branch else "")
            kinds[kind] = branch
    return kinds


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(type(value), "any")


def _show(values: list[Any]) -> str:
    return ", ".join(sorted(repr(value) for value in values))


def _value_schema(node: Any) -> Schema:
    """The schema of a dictionary's values: ``{}`` (anything) for ``true`` or absent."""
    return node if isinstance(node, Mapping) else {}


class _Comparison:
    """One published schema against the current one, each resolving its own ``$ref``; a pair of ``$ref``
    being compared is not entered again (recursive models)."""

    def __init__(self, published: Schema, current: Schema) -> None:
        self.old_root, self.new_root = published, current
        self.found: list[Incompatibility] = []
        self.entered: set[tuple[str, str]] = set()

    def compare(self, old: Schema, new: Schema, path: str) -> None:
        refs = (str(old.get("$ref")), str(new.get("$ref")))
        if "$ref" in old and "$ref" in new:
            if refs in self.entered:
                return
            self.entered.add(refs)
        old_branches, new_branches = _branches(self.old_root, old), _branches(self.new_root, new)
        old_kinds, new_kinds = _kinds(old_branches), _kinds(new_branches)
        self.compare_types(old_kinds, new_kinds, path)
        self.compare_values(_values(old_branches), old_kinds, _values(new_branches), new_kinds, path)
        for kind in sorted(old_kinds.keys() & new_kinds.keys()):
            self.compare_branch(old_kinds[kind], new_kinds[kind], path)

    def report(self, path: str, problem: str) -> None:
        self.found.append(Incompatibility(path, problem))

    def compare_types(self, old: dict[str, Schema], new: dict[str, Schema], path: str) -> None:
        if "any" in old and "any" in new:
            return
        lost, gained = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
        if lost and gained:
            self.report(path, f"type changed from {' | '.join(sorted(old))} to {' | '.join(sorted(new))}")
        elif lost:
            self.report(path, f"type narrowed: {' | '.join(lost)} no longer accepted")
        elif gained:
            self.report(path, f"type widened: now also {' | '.join(gained)}, which subscribers validating with "
                              "the published schema refuse")

    def compare_values(self, old: list[Any], old_kinds: dict[str, Schema], new: list[Any],
                       new_kinds: dict[str, Schema], path: str) -> None:
        removed = [value for value in old if value not in new and _json_type(value) not in new_kinds]
        added = [value for value in new if value not in old and _json_type(value) not in old_kinds]
        if removed:
            self.report(path, f"enum value {_show(removed)} removed")
        if added:
            self.report(path, f"enum value {_show(added)} added, which subscribers validating with the published "
                              "schema refuse")

    def compare_branch(self, old: Schema, new: Schema, path: str) -> None:
        changed = [name for name in CONSTRAINTS if old.get(name) != new.get(name)]
        if changed:
            self.report(path, "constraint changed: " + ", ".join(
                f"{name} {old.get(name)!r} -> {new.get(name)!r}" for name in changed))
        if "items" in old or "items" in new:
            self.compare(old.get("items", {}), new.get("items", {}), f"{path}[]")
        old_values, new_values = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_values, Mapping) or isinstance(new_values, Mapping):
            self.compare(_value_schema(old_values), _value_schema(new_values), f"{path}{{}}")
        if old.get("type") == "object":
            self.compare_properties(old, new, path)

    def compare_properties(self, old: Schema, new: Schema, path: str) -> None:
        old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        prefix = f"{path}." if path else ""
        for name, schema in old_fields.items():
            if name not in new_fields:
                self.report(prefix + name, "removed (or renamed)")
                continue
            if name in new_required and name not in old_required:
                self.report(prefix + name, "became required: events stored without it no longer read")
            self.compare(schema, new_fields[name], prefix + name)
        for name in sorted(new_fields.keys() - old_fields.keys()):
            if name in new_required:
                self.report(prefix + name, "added as required, without a default: events stored without it no "
                                           "longer read")
