#!/usr/bin/python3
"""bench/thread_parts.py: the parsing of `run --timings` tables and the losses computed from them,
on hand-made tables whose figures are worked out here; then, given a policysim binary, one live
round on the small benchmark (every part of the table read, the process timed).

    /usr/bin/python3 tests/tools/test_thread_parts.py [PATH/TO/policysim]
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import thread_parts as tp  # noqa: E402
from checks import check, near as checks_near  # noqa: E402  (tests/tools/checks.py)

# The shape of PhaseTimings::table (sim/dynamics/phase_timings.cpp): a header, top-level parts two
# spaces in, a phase's parts four.
ONE_THREAD = """timings (wall seconds; 100 quarters, 1 thread; the start of the process not included)
  part                                    seconds   share
  start                                     0.010    5.0%
  b2b_cooperation                           0.160   80.0%
    formation                               0.100   50.0%
    tie update                              0.060   30.0%
  observer                                  0.030   15.0%
    edge lists                              0.020   10.0%
  total                                     0.200  100.0%
"""
TWO_THREADS = ONE_THREAD.replace("1 thread;", "2 threads;").replace("0.010    5.0%", "0.010    8.0%") \
    .replace("0.160   80.0%", "0.090   72.0%").replace("0.100   50.0%", "0.050   40.0%") \
    .replace("0.060   30.0%", "0.040   32.0%").replace("0.030   15.0%", "0.025   20.0%") \
    .replace("0.020   10.0%", "0.010    8.0%").replace("0.200  100.0%", "0.125  100.0%")


def near(x, y):
    return checks_near(x, y, 1e-12)


def main():
    parts = tp.parse_timings(ONE_THREAD)
    check([name for name, _ in parts] == ["start", "b2b_cooperation", "b2b_cooperation/formation",
                                          "b2b_cooperation/tie update", "observer", "observer/edge lists", "total"],
          f"part names and nesting: {parts}")
    check(parts[3] == ("b2b_cooperation/tie update", 0.060), f"a nested part's seconds: {parts[3]}")
    try:
        tp.parse_timings("no table here\n")
        check(False, "a text without a table is refused")
    except ValueError:
        pass

    # Two runs on each side: the medians are the middle of 0.200 and 0.220 (one thread) etc.
    one, many = {}, {}
    for text, into in ((ONE_THREAD, one), (ONE_THREAD.replace("0.200  100.0%", "0.220  100.0%"), one),
                       (TWO_THREADS, many), (TWO_THREADS, many)):
        for name, seconds in tp.parse_timings(text):
            into.setdefault(name, []).append(seconds)
    rows = {row[0]: row for row in tp.losses(one, many, 2)}
    total = rows["total"]
    check(near(total[1], 0.210) and near(total[2], 0.200) and near(total[3], 0.125), f"total's medians: {total}")
    check(near(total[5], 0.210 / 0.125) and near(total[7], 0.210 / 0.125), f"the run's speed-up: {total}")
    update = rows["b2b_cooperation/tie update"]
    # Lost: 0.040 - 0.060 / 2 = 0.010; were it divided perfectly: 0.210 / (0.125 - 0.010).
    check(near(update[6], 0.010), f"the update's loss: {update}")
    check(near(update[7], 0.210 / 0.115), f"the run's speed-up with the update divided: {update}")
    check(near(update[5], 0.060 / 0.040), f"the update's speed-up: {update}")
    start = rows["start"]
    check(near(start[6], 0.005), f"a serial part loses half its time on two threads: {start}")
    text = tp.table(tp.losses(one, many, 2), 2)
    check("  tie update" in text and "x1.83" in text, "the table shows nested parts and the speed-ups:\n" + text)

    if len(sys.argv) > 1:  # one live round on the small benchmark
        done = subprocess.run([sys.executable, str(ROOT / "bench" / "thread_parts.py"), "small", "--rounds", "1",
                               "--policysim", sys.argv[1]], capture_output=True, text=True)
        check(done.returncode == 0, f"the live round exited {done.returncode}: {done.stderr}")
        for part in ("tie update", "formation", "edge lists", "total", tp.PROCESS):
            check(part in done.stdout, f"the live table lacks {part!r}:\n{done.stdout}")
    print("thread_parts: all checks passed")


if __name__ == "__main__":
    main()
