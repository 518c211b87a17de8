"""The pure helpers of bench/bench_services.py (the bench itself is run by hand)."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "bench" / "bench_services.py"
_SPEC = importlib.util.spec_from_file_location("bench_services", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
bench = importlib.util.module_from_spec(_SPEC)
sys.modules["bench_services"] = bench  # its dataclasses look their module up
_SPEC.loader.exec_module(bench)

WRK_OUTPUT = """\
Running 3s test @ http://127.0.0.1:41234/tasks?limit=50
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    55.10ms   40.20ms 265.00ms   80.00%
    Req/Sec   120.00     30.00   200.00     70.00%
  Latency Distribution
     50%   55.10ms
     75%   70.00ms
     90%  120.00ms
     99%  265.00ms
  713 requests in 3.01s, 5.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    236.88
Transfer/sec:      1.69MB
"""


def test_parse_wrk_reads_the_figures() -> None:
    figures = bench.parse_wrk(WRK_OUTPUT)
    assert figures["requests"] == 713
    assert figures["rps"] == pytest.approx(236.88)
    assert figures["p50"] == pytest.approx(0.0551)
    assert figures["p99"] == pytest.approx(0.265)
    assert figures["errors"] == 3
    assert figures["non_2xx"] == 4


def test_parse_wrk_refuses_output_without_figures() -> None:
    with pytest.raises(ValueError, match="rps"):
        bench.parse_wrk(WRK_OUTPUT.replace("Requests/sec:    236.88", ""))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("812.00us", 812e-6), ("3.21ms", 3.21e-3), ("1.02s", 1.02), ("1.50m", 90.0)],
)
def test_parse_duration_units(text: str, seconds: float) -> None:
    assert bench.parse_duration(text) == pytest.approx(seconds)


def test_parse_duration_refuses_other_text() -> None:
    with pytest.raises(ValueError):
        bench.parse_duration("fast")


def test_rotated_starts_each_round_with_the_next_service() -> None:
    names = ["reference", "fastapi", "flask"]
    assert [bench.rotated(names, turn)[0] for turn in range(4)] == [
        "reference", "fastapi", "flask", "reference",
    ]  # fmt: skip
    assert sorted(bench.rotated(names, 2)) == sorted(names)
    assert bench.rotated([], 3) == []


def test_summarize_takes_medians_and_cpu_over_every_request() -> None:
    keys = ("requests", "rps", "p50", "p99", "cpu", "errors", "non_2xx")
    samples = [
        dict(zip(keys, (100, 10, 0.01, 0.1, 0.5, 0, 1), strict=True)),
        dict(zip(keys, (300, 30, 0.03, 0.3, 1.5, 2, 0), strict=True)),
        dict(zip(keys, (200, 20, 0.02, 0.2, 1.0, 0, 0), strict=True)),
    ]
    summary = bench.summarize(samples)
    assert summary["rps"] == 20
    assert summary["p50"] == 0.02
    assert summary["p99"] == 0.2
    assert summary["cpu_ms"] == pytest.approx(5.0)  # 3 s over 600 requests
    assert summary["failed"] == 3


def test_ratio_of_nothing_is_not_a_number() -> None:
    assert bench.ratio(3, 2) == 1.5
    assert math.isnan(bench.ratio(3, 0))


def test_seed_sql_copies_the_row_with_fresh_keys() -> None:
    columns = {
        "id": "integer",
        "title": "character varying",
        "owner_id": "integer",
        "created_at": "timestamp with time zone",
    }
    sql = bench.seed_sql("tasks", columns, 999)
    assert sql == (
        'INSERT INTO "tasks" ("title", "owner_id", "created_at") '
        "SELECT 'task ' || g, \"owner_id\", created_at - g * interval '1 second' "
        'FROM "tasks", generate_series(1, 999) AS g'
    )
    assert "gen_random_uuid()" in bench.seed_sql("item", {"id": "uuid", "title": "text"}, 1)


def test_patch_reference_spells_newer_syntax_for_this_python(tmp_path: Path) -> None:
    backend = tmp_path / "backend"
    (backend / "app" / "api").mkdir(parents=True)
    (backend / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.99,<4.0"\n')
    (backend / "app" / "main.py").write_text('app.frontend("/", directory=FRONTEND_DIR)\n')
    (backend / "app" / "api" / "deps.py").write_text(
        "try:\n    x()\nexcept InvalidTokenError, ValidationError:\n    pass\n"
    )
    (backend / "app" / "models.py").write_text(
        'class User:\n    items: list[Item] = Relationship(back_populates="owner")\n'
    )
    notes = bench.patch_reference(backend)
    assert "requires-python" in notes[0]
    assert "3.99" not in (backend / "pyproject.toml").read_text()
    assert (backend / "app" / "frontend").is_dir()
    if sys.version_info < (3, 14):
        deps = (backend / "app" / "api" / "deps.py").read_text()
        assert "except (InvalidTokenError, ValidationError):" in deps
        assert 'list["Item"] = Relationship' in (backend / "app" / "models.py").read_text()
        assert len(notes) == 4
    assert bench.patch_reference(backend) == []  # a patched copy is left alone


def test_a_soak_trend_compares_the_first_third_with_the_last() -> None:
    # Warm-up readings rise and settle; the trend is the settled level, first to last.
    flat = bench.rss_trend([80.0, 100.0, 101.0, 100.0, 99.0, 100.0, 100.0, 101.0, 100.0])
    assert flat["first_mb"] == 100.0 and flat["last_mb"] == 100.0
    assert flat["growth_pct"] == 0.0
    leaking = bench.rss_trend([100.0, 104.0, 108.0, 112.0, 116.0, 120.0])
    assert leaking["first_mb"] == 102.0 and leaking["last_mb"] == 118.0
    assert leaking["growth_pct"] == pytest.approx(15.686, abs=0.001)
