"""What `scaffold verify` says of a step that passed: the test step's coverage figure."""

from toolkit._verify import coverage_note

REPORT = """\
Name                         Stmts   Miss  Cover   Missing
----------------------------------------------------------
tasks/manage.py                 71      9    87%   101-110
----------------------------------------------------------
TOTAL                         1344     64    95%

Required test coverage of 90.0% reached. Total coverage: 95.24%
147 passed, 3 deselected in 19.27s
"""


def test_the_total_of_coverage_reports_is_the_note() -> None:
    assert coverage_note(REPORT) == "coverage 95%"
    with_precision = REPORT.replace("   95%", "   95.24%")
    assert coverage_note(with_precision) == "coverage 95.24%"


def test_a_run_without_coverage_has_no_note() -> None:
    assert coverage_note("147 passed in 3.2s\n") == ""
    # A test's own output that merely mentions a total is no report.
    assert coverage_note("TOTAL of 3 items\n") == ""


def test_c8s_summary_of_lines_is_the_note() -> None:
    summary = (
        "=============================== Coverage summary ===============================\n"
        "Statements   : 96.06% ( 2859/2976 )\n"
        "Branches     : 88.4% ( 427/483 )\n"
        "Lines        : 96.06% ( 2859/2976 )\n"
    )
    assert coverage_note(summary) == "coverage 96.06%"
