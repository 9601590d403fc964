#!/usr/bin/env bash
# Executes every notebook in this folder headless against RUN_DIR (a run directory or a folder of iter-* runs).
# Executed copies go to OUT_DIR (default: a new temp folder), never into the repository. Exits 1 if any fails.
# Needs Debian's: apt-get install -y jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib
set -u
usage() { echo "usage: notebooks/run-all.sh RUN_DIR [OUT_DIR]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
here="$(cd "$(dirname "$0")" && pwd)"
run_dir="$1"
[ -d "$run_dir" ] || { echo "run-all: RUN_DIR '$run_dir' is not a directory" >&2; exit 2; }
run_dir="$(cd "$run_dir" && pwd)"
out_dir="${2:-$(mktemp -d "${TMPDIR:-/tmp}/assay-notebooks.XXXXXX")}"
mkdir -p "$out_dir" && out_dir="$(cd "$out_dir" && pwd)"
if ! command -v jupyter >/dev/null 2>&1 || ! jupyter nbconvert --version >/dev/null 2>&1; then
  echo "run-all: jupyter nbconvert not found; install with:" >&2
  echo "  apt-get install -y jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib" >&2
  exit 3
fi
export ASSAY_RUN_DIR="$run_dir"
export MPLBACKEND=Agg
failed=0
for nb in "$here"/*.ipynb; do
  name="$(basename "$nb")"
  start=$(date +%s)
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=python3 \
       --ExecutePreprocessor.timeout=300 --output-dir "$out_dir" "$nb" >"$out_dir/${name%.ipynb}.log" 2>&1; then
    echo "ok     $name ($(( $(date +%s) - start )) s)"
  else
    echo "FAILED $name: see $out_dir/${name%.ipynb}.log" >&2
    tail -n 25 "$out_dir/${name%.ipynb}.log" >&2
    failed=1
  fi
done
echo "executed notebooks in $out_dir"
exit $failed
