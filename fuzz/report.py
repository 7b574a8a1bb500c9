"""The fuzz ledger per target (fuzz/run.sh --report, make fuzz-report).

Cumulative executions and seconds over every run kept in ledger.tsv (one
line per run, fuzz/run.sh), the corpus size, and findings: every file ever
left in crashes/<target>, "open" while no file with the same bytes sits
under tests/regressions/ (where a fixed crasher is kept and replayed).
Executions count only runs against the prefix named in the last column;
the report says which prefixes (library versions) the totals span.
"""
import csv
import hashlib
import json
import pathlib
import sys

ledger, keep, regressions = (pathlib.Path(a) for a in sys.argv[1:4])
if not ledger.exists():
    sys.exit(f"no fuzz ledger yet ({ledger}): run fuzz/run.sh first")


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


fixed = {digest(p) for p in regressions.rglob("*") if p.is_file()}
rows = {}
with ledger.open() as f:
    for r in csv.DictReader(f, delimiter="\t"):
        t = rows.setdefault(r["target"], {"runs": 0, "execs": 0, "secs": 0, "prefixes": set()})
        t["runs"] += 1
        t["execs"] += int(r["executions"] or 0)
        t["secs"] += int(r["seconds"] or 0)
        t["prefixes"].add(r["prefix"])

# Every decoder's row, run or not: the per-decoder goal is read off this table.
for fmt in ("jpeg", "png", "webp", "gif", "avif", "tiff"):
    rows.setdefault(f"fuzz_decode_{fmt}", {"runs": 0, "execs": 0, "secs": 0, "prefixes": set()})

print(f"ledger: {ledger}")
head = f"{'target':<18} {'runs':>4} {'executions':>12} {'hours':>6} {'exec/s':>7} {'corpus':>7} {'findings':>8} {'open':>4}"
print(head)
print("-" * len(head))
prefixes = set()
for name in sorted(rows):
    t = rows[name]
    prefixes |= t["prefixes"]
    corpus = keep / "corpus" / name
    crashes = keep / "crashes" / name
    found = [p for p in crashes.iterdir() if p.is_file()] if crashes.is_dir() else []
    still_open = [p for p in found if digest(p) not in fixed]
    rate = t["execs"] / t["secs"] if t["secs"] else 0
    ncorpus = sum(1 for _ in corpus.iterdir()) if corpus.is_dir() else 0
    print(f"{name:<18} {t['runs']:>4} {t['execs']:>12,} {t['secs'] / 3600:>6.2f} {rate:>7.0f} {ncorpus:>7} "
          f"{len(found):>8} {len(still_open):>4}")
    for p in still_open:
        print(f"    open: {p}")
print(f"prefixes: {', '.join(sorted(prefixes))}")
for prefix in sorted(prefixes):
    versions = keep.parent / prefix / "versions.json"
    if versions.exists():
        v = json.loads(versions.read_text())
        print(f"  {prefix}: " + ", ".join(f"{k} {x['upstream'] if isinstance(x, dict) else x}" for k, x in v.items()))
