"""Retention (gallring): patient data never kept beyond the legal limit, and a program no
longer than its data is kept."""

from __future__ import annotations

from ..kinds.retention import LEGAL_MAX_RETENTION_DAYS
from ..model.program import Program
from .reporter import Reporter


def retention(program: Program, report: Reporter) -> None:
    keep = program.retention
    if keep.max_days > LEGAL_MAX_RETENTION_DAYS:
        report("SOBC309", program.ref, "retention", "max_days", days=keep.max_days)
    if keep.maintenance_days > keep.max_days:
        report(
            "SOBC313",
            program.ref,
            "retention",
            "maintenance_days",
            what="retention",
            problem=f"maintenance_days {keep.maintenance_days} exceeds max_days {keep.max_days}",
        )
    length = program.recommended_length_days
    if length is not None and length > keep.max_days:
        days = f"{keep.max_days} day" + ("" if keep.max_days == 1 else "s")
        report("SOBC319", program.ref, "recommended_length_days", length=length, days=days)
