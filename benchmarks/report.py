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
    "full_peak_mb": (200.0, 20000),
}


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target at each size it applies to: the value, the limit, met or not."""
    rows = []
    for name, (limit, only) in TARGETS.items():
        for size, data in results["sizes"].items():
            if only is not None and int(size) != only:
                continue
            value = results["validate"] if name == "validate_s" else data["ratios"].get(name)
            if name == "validate_s" and rows and rows[-1]["target"] == name:
                continue
            row = {"target": name, "steps": None if name == "validate_s" else int(size)}
            row |= {"limit": round(limit, 4), "value": value}
            row["met"] = None if value is None else bool(value <= limit)
            rows.append(row)
    return rows


def table(results: dict[str, Any]) -> str:
    """The results as Markdown: times (min / median) per size, then the targets."""
    sizes = list(results["sizes"])
    head = "| measurement | " + " | ".join(f"{int(s):,} steps: min / median" for s in sizes)
    lines = [head + " |", "|---|" + "---|" * len(sizes)]
    names: list[str] = []
    for data in results["sizes"].values():
        names += [n for n in data["measurements"] if n not in names]
    for name in names:
        cells = []
        for data in results["sizes"].values():
            m = data["measurements"].get(name)
            cells.append(f"{m['min_s']:.3f} s / {m['median_s']:.3f} s" if m else "skipped")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    peaks = [
        f"{d['measurements']['sobc full']['peak_mb']:.0f} MB" for d in results["sizes"].values()
    ]
    lines.append("| sobc full, peak memory | " + " | ".join(peaks) + " |")
    v = results["validate_series"]
    lines += [
        "",
        f"`sobc validate` of the three programs: {v['min_s']:.3f} s / {v['median_s']:.3f} s "
        "(min / median, fresh process).",
        "",
    ]
    lines += ["| target | steps | limit | measured | met |", "|---|---|---|---|---|"]
    for row in results["targets"]:
        value = "—" if row["value"] is None else f"{row['value']:.3f}"
        met = {True: "yes", False: "**no**", None: "not measured"}[row["met"]]
        steps = "—" if row["steps"] is None else f"{row['steps']:,}"
        lines.append(f"| {row['target']} | {steps} | {row['limit']:g} | {value} | {met} |")
    for size, data in results["sizes"].items():
        lines += [f"\nNote ({int(size):,} steps): {note}" for note in data["notes"]]
    return "\n".join(lines) + "\n"
