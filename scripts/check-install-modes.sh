#!/usr/bin/env bash
# The bundled table must ship with every kind of install. Build an sdist and a wheel (the wheel is built
# from the sdist, so a file missing from the sdist shows up here), install each into a fresh venv, and
# run the tool from an unrelated folder; the editable install is the project's own .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m build --sdist --wheel --outdir "$work/dist" . >/dev/null
probe() {
  local label=$1 bin=$2
  local out
  out=$(cd "$work" && KETINTERACT_HOME="$work/home-$label" "$bin" check naloxone ketamine --json)
  echo "$out" | .venv/bin/python -c 'import json,sys; d=json.load(sys.stdin); assert d["pairs"][0]["status"]=="found", d' \
    || { echo "install mode $label: bundled table not found" >&2; exit 1; }
  echo "  $label: ok"
}
for kind in whl tar.gz; do
  python3 -m venv "$work/venv-$kind"
  "$work/venv-$kind/bin/pip" install -q "$work"/dist/*."$kind"
  probe "$kind" "$work/venv-$kind/bin/ketinteract"
done
probe editable "$PWD/.venv/bin/ketinteract"
