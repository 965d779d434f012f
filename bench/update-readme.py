"""Writes bench/run's table and plots into README.org's Benchmarks block, between its markers.

Usage: python3 bench/update-readme.py README.org TABLE  (TABLE: bench/run's Markdown output)
"""
import re
import sys

BEGIN = "# bench:begin (written by bench/run; edit bench/run, not this block)\n"
END = "# bench:end\n"

readme_path, table = sys.argv[1], sys.argv[2]
lines = table.strip().splitlines()
run_line = next(line for line in lines if re.match(r"^\d{4}-\d\d-\d\d ", line))
rows = [line for line in lines if line.startswith("|")]
block = (
    BEGIN
    + "Latest full run: " + run_line + ".\n\n"
    + "#+begin_example\n" + "\n".join(rows) + "\n#+end_example\n\n"
    + "[[file:bench/latency-cdf.svg]]\n\n"
    + "[[file:bench/drain.svg]]\n\n"
    + "[[file:bench/single-shot-cpu.svg]]\n"
    + END
)
with open(readme_path, encoding="utf-8") as f:
    readme = f.read()
start = readme.index(BEGIN)
end = readme.index(END, start) + len(END)
with open(readme_path, "w", encoding="utf-8") as f:
    f.write(readme[:start] + block + readme[end:])
