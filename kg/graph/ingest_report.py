"""What the ingest of CSL snapshots found: rows, problems, unknown columns, changes."""

import json
from dataclasses import dataclass, field

from kg.sources.csl_read import Problem


@dataclass
class IngestReport:
    snapshots: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    rows_by_list: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    changes: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self) -> str:
        body = {
            "snapshots": self.snapshots,
            "rows": self.rows,
            "rows_by_list": self.rows_by_list,
            "unknown_columns": self.unknown_columns,
            "changes": self.changes,
            "problems": [
                {"file": p.file, "row": p.row, "reason": p.reason} for p in sorted(self.problems)
            ],
        }
        return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
