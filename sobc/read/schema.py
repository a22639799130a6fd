"""JSON Schema validation of parsed files, with every error mapped back to file:line:col.

Two validators, one verdict: jsonschema-rs (native, ~70× faster) answers "is this file valid?";
only a file it rejects goes through Python's `jsonschema`, whose errors carry what the messages
need, and whose verdict is the one that counts. The native one is given patterns rewritten to
Python's idea of whitespace, so it never accepts what `jsonschema` would refuse.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ..diagnostics import Diagnostic, JsonPath, make
from ..kinds.bounds import BOUNDS
from ..resources import schema_dir
from .source import Document

if TYPE_CHECKING:  # imported late: a valid file never needs them, and start-up counts
    import jsonschema
    from referencing import Registry

Kind = Literal["program", "module", "form", "site"]
SCHEMA_FILES = ("common", "program", "module", "form", "site", "manifest")
# Ids become file and folder names: none may be a name Windows keeps for a device.
ID_PATTERN = "^(?!(con|prn|aux|nul|com[1-9]|lpt[1-9])$)[a-z0-9][a-z0-9-]*$"
_PATTERN_HINTS = {b.schema["pattern"]: b.hint for b in BOUNDS if "pattern" in b.schema}
# Each schema's $id: a name, not an address (.invalid never resolves). Relative $refs
# ("common.schema.json#/$defs/id") resolve against it here and against the file's own location in
# an editor, which finds the same files.
BASE_URI = "https://sobc.invalid/schema/"


class _Checker(Protocol):
    def is_valid(self, instance: Any) -> bool: ...


@cache
def _contents() -> dict[str, Any]:
    """Every schema file's JSON by file name."""
    found = {}
    for name in SCHEMA_FILES:
        path = schema_dir() / f"{name}.schema.json"
        if path.exists():
            found[path.name] = json.loads(path.read_text(encoding="utf-8"))
    return found


@cache
def registry() -> Registry[Any]:
    """All schemas under their $id, so that relative $refs resolve as in an editor."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = [
        (BASE_URI + name, Resource.from_contents(contents, default_specification=DRAFT202012))
        for name, contents in _contents().items()
    ]
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> jsonschema.protocols.Validator:
    """Python's validator for a kind of file, with `pattern` read as JSON Schema means it."""
    import jsonschema

    schema = registry().contents(f"{BASE_URI}{kind}.schema.json")
    base = jsonschema.validators.validator_for(schema)
    extended: type[jsonschema.protocols.Validator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        base, {"pattern": _pattern_keyword}
    )
    return extended(schema, registry=registry())


def _pattern_keyword(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterable[jsonschema.ValidationError]:
    """`pattern` as JSON Schema (ECMA-262) has it: its `$` is the end of the text. Python's `$`
    also matches before a final line break, which let "valkommen\\n" pass as an id."""
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not matches(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def matches(pattern: str, text: str) -> bool:
    """Whether `text` matches a schema's `pattern` as JSON Schema means it."""
    return _ecma(pattern).search(text) is not None


_SPACE = "\\s\\ufeff"  # whitespace as both validators read `\\s`


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    """A schema pattern for Python's `re`: each `$` that is an anchor becomes `\\Z`, and `\\s`
    also counts U+FEFF as whitespace, as ECMA-262 and the native validator do."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            if pair == "\\s":
                out.append(_SPACE if in_class else f"[{_SPACE}]")
            elif pair == "\\S" and not in_class:
                out.append(f"[^{_SPACE}]")
            else:
                out.append(pair)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class and out[-1] not in ("[", "[^"):
            in_class = False
        out.append("\\Z" if ch == "$" and not in_class else ch)
        i += 1
    return re.compile("".join(out))


# Python's `\s` (str patterns) also counts U+001C–U+001F as whitespace; Rust's does not.
_PY_SPACE = "\\s\\x1c-\\x1f"


def python_pattern(pattern: str) -> str:
    """A regex for jsonschema-rs that matches whitespace exactly as Python's `re` does."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            if pair == "\\s":
                out.append(_PY_SPACE if in_class else f"[{_PY_SPACE}]")
            elif pair == "\\S":
                if in_class:  # no way to subtract inside a class: keep the Python validator
                    raise ValueError(f"cannot translate {pattern!r}")
                out.append(f"[^{_PY_SPACE}]")
            else:
                out.append(pair)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class and out[-1] not in ("[", "[^"):
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def _native_schema(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: python_pattern(v) if k == "pattern" and isinstance(v, str) else _native_schema(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_native_schema(v) for v in value]
    return value


@cache
def _native() -> tuple[dict[str, Any], Any] | None:
    """Every schema with Rust-style patterns, and their registry: made once for all kinds."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - an optional speed-up
        return None
    try:
        native = {BASE_URI + name: _native_schema(c) for name, c in _contents().items()}
    except ValueError:
        return None
    return native, jsonschema_rs.Registry(list(native.items()))


@cache
def fast_validator(kind: str) -> _Checker | None:
    """The native validator for a kind of file, or None where jsonschema-rs is missing."""
    made = _native()
    if made is None:
        return None
    import jsonschema_rs

    native, registry = made
    uri = f"{BASE_URI}{kind}.schema.json"
    checker: _Checker = jsonschema_rs.validator_for(native[uri], registry=registry, base_uri=uri)
    return checker


def validate(doc: Document, kind: Kind) -> list[Diagnostic]:
    """Every schema problem in the document, in source order."""
    fast = fast_validator(kind)
    if fast is not None and fast.is_valid(doc.data):
        return []
    errors = validator(kind).iter_errors(doc.data)
    found = [d for error in errors for d in _diagnose(error, doc, kind)]
    unique = {(d.code, d.location, d.message): d for d in found}
    return sorted(unique.values(), key=Diagnostic.sort_key)


def _diagnose(error: jsonschema.ValidationError, doc: Document, kind: str) -> Iterable[Diagnostic]:
    path: JsonPath = tuple(error.absolute_path)
    where = _describe(path, kind)
    keyword = error.validator
    instance = error.instance
    rule: Any = error.validator_value

    def at(p: JsonPath, *, on_key: bool = False, **ctx: Any) -> Diagnostic:
        loc = doc.location(p, key=on_key)
        return make(code, loc, source_line=doc.source_line(loc.line), **ctx)

    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        code = "SOBC101"
        allowed = sorted(_allowed_keys(error.schema))
        for i, name in enumerate(_named_in(error.message, instance)):
            yield at(
                (*path, name),
                on_key=True,
                key=name,
                where=where,
                suggestion=_suggest(name, allowed, close=i < SUGGESTIONS),
            )
    elif keyword == "required" and isinstance(instance, dict):
        code = "SOBC102"
        for name in rule:
            if name not in instance and repr(name) in error.message:
                yield at(path, on_key=bool(path), key=name, where=where)
    elif keyword is None or error.schema is False:
        code = "SOBC107"
        for key_path in _false_schema_paths(doc, path, instance):
            hint = _not_applicable_hint(doc, key_path, kind, list(error.absolute_schema_path))
            yield at(key_path, on_key=True, key=key_path[-1], suggestion=hint)
    elif keyword == "type":
        code = "SOBC103"
        yield at(path, what=where, **_type_context(error.validator_value, instance))
    elif keyword in ("enum", "const"):
        code = "SOBC104"
        options = rule if keyword == "enum" else [rule]
        yield at(path, value=_short(instance), suggestion=_choices_hint(instance, options))
    elif keyword == "pattern":
        code = "SOBC105"
        yield at(path, value=_short(instance), **_pattern_context(error, where))
    elif keyword == "uniqueItems":
        code = "SOBC108"
        yield at(path, what=where)
    elif keyword in _RANGE:
        code = "SOBC106"
        yield at(path, what=where, problem=_RANGE[keyword].format(error.validator_value))
    else:
        code = "SOBC100"
        yield at(path, message=f"{where}: {error.message}")


def _type_context(expected_types: Any, instance: Any) -> dict[str, Any]:
    expected = _expected(expected_types)
    suggestion = ""
    if "text" in expected and isinstance(instance, (int, float, bool)):
        suggestion = "put the value in quotes to make it text"
    return {"expected": expected, "found": _kind_of(instance), "suggestion": suggestion}


def _choices_hint(instance: Any, options: list[Any]) -> str:
    choices = ", ".join(str(o) for o in options)
    close = difflib.get_close_matches(str(instance), [str(o) for o in options], n=1)
    return (f"did you mean '{close[0]}'? " if close else "") + f"allowed: {choices}"


def _pattern_context(error: jsonschema.ValidationError, where: str) -> dict[str, Any]:
    """What a value that does not match its pattern is, and how to write one."""
    if error.validator_value == ID_PATTERN:
        hint = (
            "ids use lowercase letters a–z, digits and hyphens, like 'del-1', and are not "
            "a name Windows keeps for a device (con, prn, aux, nul, com1–9, lpt1–9)"
        )
        return {"what": "id", "suggestion": hint}
    schema = error.schema if isinstance(error.schema, dict) else {}
    # how to write a bound's kind, else what the pattern asks for, in words
    hint = _PATTERN_HINTS.get(str(error.validator_value)) or schema.get("description", "")
    return {"what": _field_title(error.schema, where), "suggestion": hint}


# A Python string literal, as jsonschema writes each key it names in a message.
_LITERAL = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")


def _named_in(message: str, keys: Iterable[Any]) -> list[Any]:
    """The keys a message names (as `repr`), in their order. The message is read once: asking
    it about each key in turn cost 80 s for 150,000 unknown keys."""
    named = {m.group() for m in _LITERAL.finditer(message)}
    return [k for k in keys if repr(k) in (named if isinstance(k, str) else message)]


_RANGE = {
    "minItems": "needs at least {} item(s)",
    "maxItems": "may have at most {} item(s)",
    "minLength": "must have at least {} character(s)",
    "maxLength": "may have at most {} characters",
    "minimum": "must be at least {}",
    "maximum": "may be at most {}",
    "exclusiveMinimum": "must be more than {}",
    "exclusiveMaximum": "must be less than {}",
    "minProperties": "needs at least {} keys",
    "maxProperties": "may have at most {} keys (for enable_when: question and one of equals or in)",
}


def _allowed_keys(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    keys = set(schema.get("properties", {}))
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("common.schema.json#/$defs/"):
        defs = registry().contents(BASE_URI + "common.schema.json").get("$defs", {})
        target = defs.get(ref.rsplit("/", 1)[-1])
        if isinstance(target, dict):
            keys |= set(target.get("properties", {}))
    elif isinstance(ref, str) and ref.startswith("#/$defs/"):
        for name in ("form.schema.json", "module.schema.json", "program.schema.json"):
            defs = registry().contents(BASE_URI + name).get("$defs", {})
            target = defs.get(ref.rsplit("/", 1)[-1])
            if isinstance(target, dict) and "properties" in target:
                keys |= set(target["properties"])
                break
    return keys


# Unknown keys of one mapping that get a "did you mean"; the rest get the allowed keys (a file
# of 150,000 unknown keys spent 20 s looking for close ones).
SUGGESTIONS = 100


def _suggest(name: str, allowed: list[str], *, close: bool = True) -> str:
    found = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6) if close else []
    if found:
        return f"did you mean '{found[0]}'?"
    return f"allowed keys: {', '.join(allowed)}" if allowed else ""


def _false_schema_paths(doc: Document, path: JsonPath, instance: Any) -> list[JsonPath]:
    """Where a `false` subschema matched: jsonschema reports the parent, so find the key."""
    parent: Any = doc.data
    for part in path:
        parent = parent[part]
    if not isinstance(parent, dict):
        return [path]
    same = [k for k, v in parent.items() if v is instance]
    return [(*path, k) for k in same] or [path]


def _not_applicable_hint(doc: Document, path: JsonPath, kind: str, schema_path: list[Any]) -> str:
    parent: Any = doc.data
    for part in path[:-1]:
        parent = parent[part]
    if isinstance(parent, dict):
        for selector in ("type", "every"):
            if selector in parent:
                value = parent[selector]
                own = _own_keys(kind, schema_path, selector, value)
                if own is None:
                    return f"it is not used with {selector}: {value}"
                keys = (
                    f"whose own keys are: {', '.join(own)}"
                    if own
                    else "which has no keys of its own"
                )
                return f"it is not used with {selector}: {value}, {keys}"
    return ""


def _own_keys(kind: str, schema_path: list[Any], selector: str, value: Any) -> list[str] | None:
    """The keys that apply only to some values of `selector` (say a trigger's `type`) and do
    apply to `value`, read from the if/then rules whose `then` barred a key; None when the
    rules are not of that shape."""
    if "allOf" not in schema_path:
        return None
    cut = len(schema_path) - 1 - schema_path[::-1].index("allOf")
    container = _subschema(kind, schema_path[:cut])
    if not isinstance(container, dict) or not isinstance(container.get("allOf"), list):
        return None
    specific: set[str] = set()
    barred: set[str] = set()
    for rule in container["allOf"]:
        condition = rule.get("if", {}).get("properties", {}).get(selector, {})
        values = condition.get("enum", [condition["const"]] if "const" in condition else [])
        then = rule.get("then", {}).get("properties", {})
        off = {k for k, v in then.items() if v is False}
        specific |= off
        if value in values:
            barred |= off
    return [k for k in container.get("properties", {}) if k in specific and k not in barred]


def _subschema(kind: str, schema_path: list[Any]) -> Any:
    """The schema at a validation error's schema path (whose steps through `$ref` are left
    out: a `$ref` is followed where the next step is not in the node itself)."""
    resolver = registry().resolver(f"{BASE_URI}{kind}.schema.json")
    node: Any = registry().contents(f"{BASE_URI}{kind}.schema.json")
    for part in [*schema_path, None]:  # None: follow a `$ref` at the end too
        while isinstance(node, dict) and part not in node and isinstance(node.get("$ref"), str):
            resolved = resolver.lookup(node["$ref"])
            node, resolver = resolved.contents, resolved.resolver
        if part is None:
            break
        found = isinstance(node, dict) and part in node
        found |= isinstance(node, list) and isinstance(part, int) and part < len(node)
        if not found:
            return None
        node = node[part]
    return node


def _expected(types: Any) -> str:
    names = {
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "array": "a list",
        "object": "a mapping",
        "null": "empty",
    }
    listed = types if isinstance(types, list) else [types]
    return " or ".join(names.get(str(t), str(t)) for t in listed)


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_title(schema: Any, fallback: str) -> str:
    if isinstance(schema, dict) and isinstance(schema.get("title"), str):
        return str(schema["title"]).lower()
    return fallback


def _describe(path: JsonPath, kind: str) -> str:
    """A reader's name for a place: 'sections[0].steps[2].media' → 'media of step 3'."""
    if not path:
        return f"the {kind} file"
    parts = [p for p in path if isinstance(p, str)]
    last = parts[-1] if parts else kind
    if isinstance(path[-1], int):
        return f"item {path[-1] + 1} of '{last}'"
    return f"'{last}'"
