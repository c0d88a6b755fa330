"""The regression gate: compare this run's headline metrics with a saved run and list the drops."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ConfigError
from .curated import HEADLINE


def load_baseline(path: Path) -> dict:
    """A saved report.json (or a baseline written with --save-baseline). Raises ConfigError."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["curated"]["summary"]["by_split"]
    except FileNotFoundError:
        raise ConfigError(f"baseline file {path} does not exist; pass --baseline with a saved report.json") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"baseline file {path} is not a saved eval report with curated results ({type(exc).__name__}: {exc})") from None
    return data


def compare(current: dict, baseline: dict, split: str, margin: float, baseline_path: str = "") -> dict:
    """Headline metrics of `split` side by side; `drops` holds one line per metric that fell by more
    than `margin` (absolute, on a 0-1 scale). A metric missing on either side is not compared."""
    b_cur, c_cur = baseline["curated"], current["curated"]
    if b_cur["setup"]["k"] != c_cur["setup"]["k"]:
        raise ConfigError(
            f"the baseline was scored at k={b_cur['setup']['k']}, this run at k={c_cur['setup']['k']}; "
            f"run with --k {b_cur['setup']['k']} or save a new baseline"
        )
    if split not in b_cur["summary"]["by_split"]:
        raise ConfigError(f"the baseline has no {split!r} results (it has {', '.join(b_cur['summary']['by_split'])}); pass --split")
    before = b_cur["summary"]["by_split"][split]["headline"]
    after = c_cur["summary"]["by_split"][split]["headline"]
    metrics, drops = {}, []
    for name in HEADLINE:
        b, c = before.get(name), after.get(name)
        metrics[name] = {"baseline": b, "current": c}
        if b is not None and c is not None and b - c > margin:
            drops.append(f"{name} dropped from {b:.3f} to {c:.3f} ({c - b:+.3f}; margin {margin})")
    return {"baseline": baseline_path, "split": split, "margin": margin, "metrics": metrics, "drops": drops}


def slim(report: dict) -> dict:
    """The report without per-question records and rankings: what a committed baseline needs."""
    out = {key: value for key, value in report.items() if key not in ("squad", "beir", "gate")}
    if "curated" in out:
        out["curated"] = {k: v for k, v in out["curated"].items() if k != "records"}
    return out
