"""How long patient data may be kept: the one number the retention check (SOBC309) and the
manifest schema's `retention.max_days` both take."""

from __future__ import annotations

LEGAL_MAX_RETENTION_DAYS = 730  # two years (docs/authoring.md, Retention)
