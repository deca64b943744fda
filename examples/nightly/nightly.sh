#!/bin/sh
# One nightly soak, the same in GitHub Actions, a Kubernetes CronJob or by hand:
#   examples/nightly/nightly.sh <profile> <duration> [more `loadctl run` options]
# Runs the soak scenario, records it in baselines/<profile>/soak.history.jsonl (which also judges
# drift within the run), writes the Markdown summary (and appends it to $GITHUB_STEP_SUMMARY when
# set) and the charted history page into the run folder. Run it from the project folder (the one
# with profiles/ and baselines/). Exit: 0 pass · 1 SLA breach, regression, drift or a recent change
# point · 2 configuration · 3 runtime failure · 130 interrupted — the worst of the run and history.
set -u
profile="${1:?usage: nightly.sh <profile> <duration> [loadctl run options]}"
duration="${2:?usage: nightly.sh <profile> <duration> [loadctl run options]}"
shift 2
here="$(cd "$(dirname "$0")" && pwd)"
loadctl="${LOADCTL:-node $here/../../bin/loadctl.js}"
out="${LOADCTL_NIGHTLY_OUT:-reports/nightly-$(date -u +%Y%m%dT%H%M%SZ)}"

$loadctl run soak --target "$profile" --duration "$duration" --out "$out" --progress plain "$@"
run=$?
if [ ! -f "$out/result.json" ]; then
  echo "nightly: the run wrote no result.json (loadctl exit $run)" >&2
  exit "$run"
fi

$loadctl history soak --target "$profile" --add "$out" --markdown --html "$out/history.html" >"$out/history.md"
hist=$?
cat "$out/history.md"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$out/report.md" "$out/history.md" >>"$GITHUB_STEP_SUMMARY" 2>/dev/null || cat "$out/history.md" >>"$GITHUB_STEP_SUMMARY"
fi

# A tool failure (2, 3, 130) outranks a finding (1).
for code in "$run" "$hist"; do
  case "$code" in 0 | 1) ;; *) exit "$code" ;; esac
done
[ "$run" -eq 0 ] && [ "$hist" -eq 0 ] && exit 0
exit 1
