"""What the ingest of CSL snapshots found: rows, problems, unknown columns, changes.

Rows are named by file and record number (the CSV header is record 1), not by line.
"""

import json
from dataclasses import dataclass, field

from kg.sources.csl_read import Problem


@dataclass(kw_only=True)
class IngestReport:
    snapshots: list[str] = field(default_factory=list)
    complete: dict[str, bool] = field(default_factory=dict)  # partial ones give no removals
    rows: dict[str, int] = field(default_factory=dict)
    rows_by_list: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    changes: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def removals(self) -> int:
        return sum(counts.get("Removal", 0) for counts in self.changes.values())

    def to_json(self) -> str:
        body = {
            "snapshots": self.snapshots,
            "complete": self.complete,
            "rows": self.rows,
            "rows_by_list": self.rows_by_list,
            "unknown_columns": self.unknown_columns,
            "changes": self.changes,
            "removals": self.removals,
            "problems": [
                {"file": p.file, "row": p.row, "reason": p.reason} for p in sorted(self.problems)
            ],
        }
        return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
