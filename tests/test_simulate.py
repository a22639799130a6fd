"""`sobc simulate` and the reference engine's parts: the issue's done-when through the command
line (PLUS started on 1 March 2026 at 10:00 raises plus-snart-slut at 09:00 on 29 May), both
formats, refusals of a timeline, and the clock across summer time."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobc.cli import main
from sobc.package.build import build
from sobc.runtime.clock import at, read_instant, written
from sobc.runtime.result import SIMULATION_VERSION
from sobc.runtime.timeline import TimelineError, read_timeline

from .conftest import EXAMPLE, PROGRAMS

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def plus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plus")
    assert build([PROGRAMS / "plus"], out).ok
    return out / "plus"


def _timeline(folder: Path, data: object) -> Path:
    path = folder / "timeline.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


START = {"timeline_version": 1, "start": "2026-03-01T10:00", "events": []}


def test_plus_raises_its_end_flag_the_day_before_day_90(plus: Path, tmp_path: Path) -> None:
    args = ["simulate", str(plus), str(_timeline(tmp_path, START)), "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert output["simulation_version"] == SIMULATION_VERSION
    ending = [f for f in output["flags"] if f["flag"] == "plus-snart-slut"]
    assert [(f["at"], f["recipient"]) for f in ending] == [("2026-05-29T09:00+02:00", "clinician")]
    assert output["end"] == {"at": "2026-05-30T09:00+02:00", "by": "end_date"}
    assert [d["day"] for d in output["days"]] == list(range(91))


def test_the_text_format_says_the_same(plus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["simulate", str(plus), str(_timeline(tmp_path, START))])
    assert result.exit_code == 0
    assert "2026-05-29T09:00+02:00  flag plus-snart-slut (program_ends) to the clinician" in (
        result.output
    )
    assert "days 0–90 (2026-03-01 – 2026-05-30): no module" in result.output


@pytest.mark.parametrize(
    ("timeline", "says"),
    [
        ({**START, "timeline_version": 2}, "timeline_version must be 1"),
        ({**START, "events": [{"at": "2026-03-02T10:00", "type": "dance"}]}, "events[0]"),
        (
            {**START, "events": [{"at": "2026-02-02T10:00", "type": "activity"}]},
            "before the program's start",
        ),
        (
            {**START, "events": [{"at": "2026-03-02T10:00", "type": "module_started"}]},
            "module_started needs module",
        ),
        (
            {**START, "events": [{"at": "2026-03-02T10:00", "type": "activity", "x": 1}]},
            "activity takes no x",
        ),
    ],
)
def test_a_timeline_that_cannot_be_read_says_why(timeline: dict[str, object], says: str) -> None:
    with pytest.raises(TimelineError, match=says.replace("[", r"\[").replace("]", r"\]")):
        read_timeline(timeline)


def test_unknown_ids_and_unreadable_files_exit_2(plus: Path, tmp_path: Path) -> None:
    event = {"at": "2026-03-02T10:00", "type": "form_submitted", "form": "nej"}
    path = _timeline(tmp_path, {**START, "events": [event]})
    result = CliRunner().invoke(main, ["simulate", str(plus), str(path)])
    assert result.exit_code == 2
    assert "the program has no form 'nej'" in result.output
    path.write_text("{", encoding="utf-8")
    assert CliRunner().invoke(main, ["simulate", str(plus), str(path)]).exit_code == 2
    missing = CliRunner().invoke(main, ["simulate", str(tmp_path / "nothing"), str(path)])
    assert missing.exit_code == 2


@pytest.mark.parametrize(
    ("day", "clock", "instant"),
    [
        (date(2026, 3, 29), time(2, 30), "2026-03-29T03:00+02:00"),  # in the spring gap
        (date(2026, 3, 29), time(3, 0), "2026-03-29T03:00+02:00"),
        (date(2026, 3, 29), time(1, 59), "2026-03-29T01:59+01:00"),
        (date(2026, 10, 25), time(2, 30), "2026-10-25T02:30+02:00"),  # twice: the first
        (date(2026, 10, 25), time(3, 0), "2026-10-25T03:00+01:00"),
        (date(2026, 5, 29), time(9, 0), "2026-05-29T09:00+02:00"),
    ],
)
def test_a_time_of_day_across_summer_time(day: date, clock: time, instant: str) -> None:
    assert written(at(day, clock)) == instant
    assert written(read_instant(f"{day}T{clock:%H:%M}")) == instant


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example")
    assert build([EXAMPLE], out).ok
    return out / "example"


def _weekly(answers: list[dict[str, object]]) -> dict[str, object]:
    events = [
        {
            "at": f"2026-03-{1 + 7 * week:02}T11:00",
            "type": "form_submitted",
            "form": "mabra",
            "answers": a,
        }
        for week, a in enumerate(answers)
    ]
    return {
        "timeline_version": 1,
        "start": "2026-03-01T10:00",
        "until": "2026-03-31",
        "events": events,
    }


FOUR_WEEKS = [
    {"orolig": "jamt", "sover": 3, "glad": "aldrig"},  # 9
    {"orolig": "ofta", "sover": 2, "glad": "ibland"},  # 6
    {"orolig": "ibland", "sover": 1, "glad": "ofta"},  # 3
    {"orolig": "aldrig", "sover": 0, "glad": "jamt", "kommentar": "Bättre"},  # 0
]


def _marks(svg: ET.Element, kind: str) -> list[ET.Element]:
    """The drawn items of Vega's mark group of a kind (symbol: the points; rect: the bands)."""
    groups = [g for g in svg.iter(f"{SVG}g") if f"mark-{kind} " in g.get("class", "") + " "]
    return [item for g in groups for item in g]


def test_simulate_draws_each_chart_with_its_points_and_bands(example: Path, tmp_path: Path) -> None:
    timeline = _timeline(tmp_path, _weekly(FOUR_WEEKS))
    args = ["simulate", str(example), str(timeline), "--charts", str(tmp_path / "charts"), "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    drawn = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert drawn == ["mabra-summa.svg", "somnkoll-somn.svg"]  # one file per chart
    svg = ET.parse(tmp_path / "charts" / "mabra-summa.svg").getroot()
    assert len(_marks(svg, "symbol")) == 4  # one point per weekly submission
    assert len(_marks(svg, "rect")) == 3  # Inga, Lindriga and Tydliga besvär, shaded
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"Inga besvär (0–2)", "Lindriga besvär (3–5)", "Tydliga besvär (6–9)"} <= set(texts)
    assert svg.get("role") == "img" and svg.findtext(f"{SVG}title") == "Måbra-skalan över tid"
    assert "Tydliga besvär 6–9" in (svg.findtext(f"{SVG}desc") or "")


def test_a_submission_without_a_total_is_no_point(example: Path, tmp_path: Path) -> None:
    answers = [*FOUR_WEEKS[:3], {"orolig": "aldrig"}]  # two unanswered: prorate gives none
    timeline = _timeline(tmp_path, _weekly(answers))
    args = ["simulate", str(example), str(timeline), "--charts", str(tmp_path / "c"), "-q"]
    assert CliRunner().invoke(main, args).exit_code == 0
    svg = ET.parse(tmp_path / "c" / "mabra-summa.svg").getroot()
    assert len(_marks(svg, "symbol")) == 3


def test_charts_are_not_drawn_without_the_option(example: Path, tmp_path: Path) -> None:
    timeline = _timeline(tmp_path, _weekly(FOUR_WEEKS))
    result = CliRunner().invoke(main, ["simulate", str(example), str(timeline), "-q"])
    assert result.exit_code == 0 and not any(tmp_path.glob("*.svg"))


def test_the_json_output_holds_each_chart_s_points(example: Path, tmp_path: Path) -> None:
    timeline = _timeline(tmp_path, _weekly(FOUR_WEEKS))
    result = CliRunner().invoke(main, ["simulate", str(example), str(timeline), "--format", "json"])
    assert result.exit_code == 0, result.output
    charts = json.loads(result.output)["charts"]
    assert [(c["form"], c["total"]) for c in charts] == [("mabra", "summa"), ("somnkoll", "somn")]
    chart = charts[0]
    assert [(p["value"], p["band"]) for p in chart["points"]] == [
        (9, "Tydliga besvär"),
        (6, "Tydliga besvär"),
        (3, "Lindriga besvär"),
        (0, "Inga besvär"),
    ]
    assert chart["points"][0]["at"] == "2026-03-01T11:00+01:00"
