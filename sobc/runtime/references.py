"""Every reference inside a manifest, checked: what `load` verifies after the schema, so that a
runtime never meets an id that names nothing (docs/manifest.md, References).

Works on the manifest's JSON once it holds to `schema/manifest.schema.json` and returns one
line per problem, each naming where the reference stands and what it should name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..kinds.triggers import KEYS, KINDS

_PLURAL = {"module": "modules", "form": "forms", "plan": "activity_plans"}


def _ids(items: Iterable[dict[str, Any]]) -> set[str]:
    return {item["id"] for item in items}


def _twice(where: str, items: list[dict[str, Any]], key: str = "id") -> Iterator[str]:
    seen: set[str] = set()
    for item in items:
        if item[key] in seen:
            yield f"{where}: the id {item[key]!r} is used twice"
        seen.add(item[key])


def _unique(data: dict[str, Any]) -> Iterator[str]:
    """Ids that must be unique: those other parts refer to, and a runtime stores under."""
    for name in ("roles", "tracks", "modules", "forms", "flags", "activity_plans"):
        yield from _twice(name, data[name])
    yield from _twice("module_choices", data["module_choices"])
    for m in data["modules"]:
        yield from _twice(f"modules/{m['id']}/sections", m["sections"])
        steps = [step for s in m["sections"] for step in s["steps"]]
        yield from _twice(f"modules/{m['id']}/steps", steps)
    for f in data["forms"]:
        yield from _twice(f"forms/{f['id']}/questions", f["questions"])


def _missing(where: str, names: Iterable[str], known: set[str], kind: str) -> Iterator[str]:
    for name in names:
        if name not in known:
            yield f"{where}: names the {kind} {name!r}, which the manifest does not have"


def _modules(data: dict[str, Any]) -> Iterator[str]:
    modules, forms, tracks = _ids(data["modules"]), _ids(data["forms"]), _ids(data["tracks"])
    for m in data["modules"]:
        where = f"modules/{m['id']}"
        yield from _missing(f"{where}/tracks", m["tracks"], tracks, "track")
        yield from _missing(f"{where}/next", m["next"], modules, "module")
        yield from _missing(f"{where}/parallel_with", m["parallel_with"], modules, "module")
        yield from _missing(f"{where}/standalone_forms", m["standalone_forms"], forms, "form")
        yield from _next_when(f"{where}/next_when", m, data)
        for s in m["sections"]:
            for step in s["steps"]:
                yield from _missing(f"{where}/{step['id']}/forms", step["forms"], forms, "form")


def _next_when(where: str, module: dict[str, Any], data: dict[str, Any]) -> Iterator[str]:
    """A condition of next is on a module of next, and names a form and a question of it."""
    forms = {f["id"]: f for f in data["forms"]}
    for when in module["next_when"]:
        if when["module"] not in module["next"]:
            yield f"{where}: {when['module']!r} is not a module of next"
        form = forms.get(when["form"])
        if form is None:
            yield from _missing(f"{where}/form", [when["form"]], set(forms), "form")
        else:
            questions = _ids(form["questions"])
            yield from _missing(f"{where}/question", [when["question"]], questions, "question")


def _choices(data: dict[str, Any]) -> Iterator[str]:
    modules = _ids(data["modules"])
    owner: dict[str, str] = {}
    for c in data["module_choices"]:
        options = [o["module"] for o in c["options"]]
        yield from _missing(f"module_choices/{c['id']}", options, modules, "module")
        for module in options:
            if module in owner:
                yield (
                    f"module_choices/{c['id']}: the module {module!r} is already an option "
                    f"of {owner[module]!r}; a module is an option of one choice at most"
                )
            owner.setdefault(module, c["id"])


def _plans(data: dict[str, Any]) -> Iterator[str]:
    forms = _ids(data["forms"])
    for p in data["activity_plans"]:
        yield from _missing(f"activity_plans/{p['id']}/form", [p["form"]], forms, "form")


def _scores(form: dict[str, Any]) -> set[str]:
    """What a form_scored trigger may name in this form: its totals, the questions counted and
    its computed values."""
    scoring = form["scoring"] or {"totals": []}
    counted = {q for t in scoring["totals"] for q in t["questions"]}
    return _ids(scoring["totals"]) | counted | _ids(form["computed"])


def _flags(data: dict[str, Any]) -> Iterator[str]:
    known = {kind: _ids(data[plural]) for kind, plural in _PLURAL.items()}
    forms = {f["id"]: f for f in data["forms"]}
    for flag in data["flags"]:
        trigger, where = flag["trigger"], f"flags/{flag['id']}/trigger"
        for key in KINDS[trigger["type"]].references:
            kind = KEYS[key].refers_to
            if kind is not None and trigger[key] is not None:
                yield from _missing(f"{where}/{key}", [trigger[key]], known[kind], kind)
        score, form = trigger["score"], forms.get(trigger["form"] or "")
        if score is not None and form is not None and score not in _scores(form):
            yield (
                f"{where}/score: {score!r} is neither a total of the form {form['id']!r}, "
                "a question one of its totals counts nor a computed value"
            )
        question = trigger["question"]
        if question is not None and form is not None:
            yield from _missing(
                f"{where}/question", [question], _ids(form["questions"]), "question"
            )


def _tree_names(tree: dict[str, Any]) -> Iterator[str]:
    if "name" in tree:
        yield tree["name"]
    for arg in tree.get("args", ()):
        yield from _tree_names(arg)


def _computed(form: dict[str, Any]) -> Iterator[str]:
    """A computed value reads the form's questions and the values computed before it."""
    known = {q["id"] for q in form["questions"]}
    for value in form["computed"]:
        where = f"forms/{form['id']}/computed/{value['id']}/tree"
        yield from _missing(where, list(_tree_names(value["tree"])), known, "question or value")
        known.add(value["id"])


def _form(form: dict[str, Any]) -> Iterator[str]:
    yield from _computed(form)
    where = f"forms/{form['id']}"
    questions = [q["id"] for q in form["questions"]]
    for index, q in enumerate(form["questions"]):
        cond = q["enable_when"]
        if cond is not None and cond["question"] not in questions[:index]:
            yield (
                f"{where}/{q['id']}/enable_when: names {cond['question']!r}, which is not a "
                "question before it in the form"
            )
    if form["scoring"] is not None:
        scoring = form["scoring"]
        for total in scoring["totals"]:
            yield from _missing(
                f"{where}/scoring/{total['id']}", total["questions"], set(questions), "question"
            )
        yield from _missing(
            f"{where}/scoring/reverse", scoring["reverse"], set(questions), "question"
        )


def _roles(data: dict[str, Any]) -> Iterator[str]:
    role = data["retention"]["responsible_role"]
    if role is not None:
        yield from _missing("retention/responsible_role", [role], _ids(data["roles"]), "role")


def elements(data: dict[str, Any]) -> set[tuple[str, tuple[str, ...]]]:
    """Every element a rename may name: (kind, its id path), as `renames` writes them."""
    found: set[tuple[str, tuple[str, ...]]] = set()
    for m in data["modules"]:
        found.add(("module", (m["id"],)))
        for s in m["sections"]:
            found.add(("section", (m["id"], s["id"])))
            found.update(("step", (m["id"], step["id"])) for step in s["steps"])
    for f in data["forms"]:
        found.add(("form", (f["id"],)))
        for q in f["questions"]:
            found.add(("question", (f["id"], q["id"])))
            found.update(("option", (f["id"], q["id"], o["value"])) for o in q["options"])
            for c in q["columns"]:
                found.add(("column", (f["id"], q["id"], c["id"])))
                found.update(
                    ("option", (f["id"], q["id"], c["id"], o["value"])) for o in c["options"]
                )
    for kind, name in (("track", "tracks"), ("flag", "flags"), ("activity_plan", "activity_plans")):
        found.update((kind, (item["id"],)) for item in data[name])
    return found


def _renames(data: dict[str, Any]) -> Iterator[str]:
    renames = data.get("renames", [])
    known = elements(data) if renames else set()
    for index, r in enumerate(renames):
        if (r["kind"], tuple(r["path"])) not in known:
            path = "/".join(r["path"])
            yield f"renames/{index}: there is no {r['kind']} {path!r} to have been renamed"


def _charts(data: dict[str, Any]) -> Iterator[str]:
    forms = {f["id"]: f for f in data["forms"]}
    for index, c in enumerate(data.get("charts", [])):
        form = forms.get(c["form"])
        if form is None:
            yield from _missing(f"charts/{index}/form", [c["form"]], set(forms), "form")
            continue
        totals = {t["id"] for t in (form["scoring"] or {"totals": []})["totals"]}
        yield from _missing(f"charts/{index}/total", [c["total"]], totals, "total")


def reference_problems(data: dict[str, Any]) -> list[str]:
    """Every reference of a schema-valid manifest that names nothing, and every id used twice."""
    problems: list[str] = []
    for check in (_unique, _modules, _choices, _plans, _flags, _roles, _renames, _charts):
        problems.extend(check(data))
    for form in data["forms"]:
        problems.extend(_form(form))
    return problems
