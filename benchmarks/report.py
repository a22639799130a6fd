"""The results as Markdown: the times, then each target with its limit, met or not."""

from __future__ import annotations

from typing import Any

TARGETS = {  # ratio or value → (limit, size it applies to or None for every size)
    "full_over_hugo": (1.0, None),
    "full_over_mkdocs": (1 / 20, 2000),
    "full_over_floor": (2.0, None),
    "noop_over_full": (0.05, None),
    "one_step_s": (0.3, 20000),
    "validate_s": (0.5, None),
    "worst_shapes_validate_s": (2.0, None),
    "full_peak_mb": (200.0, 20000),
    # this checkout ÷ the baseline revision (with --baseline)
    "full_over_baseline": (1.6, None),
    "noop_over_baseline": (1.2, None),
    "one_step_over_baseline": (1.2, None),
    "peak_over_baseline": (1.2, None),
}
SERVE_TARGETS = {"served_over_hugo": 2.0}  # edit-to-served, on each source served
SERVERS = {"sobc": "sobc serve", "baseline": "baseline sobc serve", "hugo": "hugo server"}


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target at each size it applies to: the value, the limit, met or not."""
    rows: list[dict[str, Any]] = []
    for name, (limit, only) in TARGETS.items():
        for size, data in results["sizes"].items():
            if only is not None and int(size) != only:
                continue
            if name.endswith("_over_baseline") and "baseline" not in results:
                continue
            once = name in ("validate_s", "worst_shapes_validate_s")  # not per corpus size
            if once and rows and rows[-1]["target"] == name:
                continue
            value = _value(results, name, data)
            row: dict[str, Any] = {"target": name}
            row["steps"] = None if once else int(size)
            row |= {"limit": round(limit, 4), "value": value}
            row["met"] = None if value is None else bool(value <= limit)
            rows.append(row)
    for name, limit in SERVE_TARGETS.items():
        for source, data in results.get("serve", {}).items():
            value = data["ratios"].get(name)
            row = {"target": name, "steps": None, "source": source, "limit": limit}
            row |= {"value": value, "met": None if value is None else bool(value <= limit)}
            rows.append(row)
    return rows


def _value(results: dict[str, Any], name: str, data: dict[str, Any]) -> Any:
    if name == "validate_s":
        return results["validate"]
    if name == "worst_shapes_validate_s":
        return results.get("worst_shapes", {}).get("worst")
    return data["ratios"].get(name)


def table(results: dict[str, Any]) -> str:
    """The results as Markdown: times (min / median) per size, then the targets."""
    lines = [*about_baseline(results), *times(results), "", *validation(results), ""]
    if "serve" in results:
        lines += [*served(results), ""]
    lines += targets(results)
    for size, data in results["sizes"].items():
        lines += [f"\nNote ({int(size):,} steps): {note}" for note in data["notes"]]
    return "\n".join(lines) + "\n"


def about_baseline(results: dict[str, Any]) -> list[str]:
    about = results.get("baseline")
    if about is None:
        return []
    commit = (about["commit"] or "?")[:7]
    lines = [
        f"Baseline: `{about['rev']}` ({commit}), measured side by side with this checkout "
        f"({about['this_checkout']}); a ratio to it is the median of the ratios within each "
        "repetition.",
    ]
    lines += [f"Installed in another version: {p}." for p in about["differing_packages"]]
    return [*lines, ""]


def _seconds(m: dict[str, Any] | None) -> str:
    return f"{m['min_s']:.3f} s / {m['median_s']:.3f} s" if m else "skipped"


def times(results: dict[str, Any]) -> list[str]:
    """Each build measurement's min / median per size, and the peak memory of full builds."""
    sizes = list(results["sizes"])
    head = "| measurement | " + " | ".join(f"{int(s):,} steps: min / median" for s in sizes)
    lines = [head + " |", "|---|" + "---|" * len(sizes)]
    names: list[str] = []
    for data in results["sizes"].values():
        names += [n for n in data["measurements"] if n not in names]
    for name in names:
        cells = [_seconds(data["measurements"].get(name)) for data in results["sizes"].values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for side in ("sobc", "baseline"):
        full = [d["measurements"].get(f"{side} full") for d in results["sizes"].values()]
        if any(full):
            peaks = [f"{m['peak_mb']:.0f} MB" if m else "—" for m in full]
            lines.append(f"| {side} full, peak memory | " + " | ".join(peaks) + " |")
    return lines


def validation(results: dict[str, Any]) -> list[str]:
    lines = [
        f"`sobc validate` of the three programs: {_seconds(results['validate_series'])} "
        "(min / median, fresh process)."
    ]
    if "baseline_validate_series" in results:
        lines[0] = lines[0][:-1] + (
            f"; baseline {_seconds(results['baseline_validate_series'])}, "
            f"this ÷ baseline {results['validate_over_baseline']:.3f}."
        )
    if "worst_shapes" in results:
        shapes = results["worst_shapes"]
        lines.append(
            f"\n`sobc validate` of the example program with the worst known input shapes "
            f"(`benchmarks/worst.py`): {shapes['worst']:.3f} s; without them "
            f"{shapes['plain']:.3f} s (medians, fresh process)."
        )
        if "lint_worst" in shapes:
            lines[-1] += (
                f" `sobc lint` of it with a 300 KB paragraph: {shapes['lint_worst']:.3f} s; "
                f"without {shapes['lint_plain']:.3f} s. The worst ratio, shapes ÷ none: "
                f"{shapes['worst_ratio']:.2f}."
            )
    return lines


def served(results: dict[str, Any]) -> list[str]:
    """Edit-to-served per source: each server's min / median, and the ratios of the medians."""
    runs = results["serve"]
    servers = [s for s in SERVERS if any(s in data["servers"] for data in runs.values())]
    ratios = [r for r in ("hugo", "baseline") if r in servers and "sobc" in servers]
    reps = max(len(s["runs_s"]) for data in runs.values() for s in data["servers"].values())
    lines = [
        f"Edit-to-served: from saving one step's body to the server answering with the changed "
        f"page ({results['serve_edits']} edits per server and repetition, {reps} "
        f"repetition{'s' * (reps != 1)}; min / median of all edits).",
        "",
        "| served | "
        + " | ".join(SERVERS[s] for s in servers)
        + "".join(f" | sobc ÷ {r}" for r in ratios)
        + " |",
        "|---|" + "---|" * (len(servers) + len(ratios)),
    ]
    for source, data in runs.items():
        cells = [_seconds(data["servers"].get(s)) for s in servers]
        found = [data["ratios"].get(f"served_over_{r}") for r in ratios]
        cells += ["—" if ratio is None else f"{ratio:.3f}" for ratio in found]
        lines.append(f"| {source} | " + " | ".join(cells) + " |")
    return lines


def targets(results: dict[str, Any]) -> list[str]:
    lines = ["| target | on | limit | measured | met |", "|---|---|---|---|---|"]
    for row in results["targets"]:
        value = "—" if row["value"] is None else f"{row['value']:.3f}"
        met = {True: "yes", False: "**no**", None: "not measured"}[row["met"]]
        on = row.get("source") or ("—" if row["steps"] is None else f"{row['steps']:,} steps")
        lines.append(f"| {row['target']} | {on} | {row['limit']:g} | {value} | {met} |")
    return lines
