#!/usr/bin/env bash
# `make demo`: run the examples with the built tools first on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

echo "# examples/shop-sync: extract | transform | load, twice, incrementally"
"$here/shop-sync/run.sh"
echo
echo "# examples/watermark-state: watermark state across runs of a job"
"$here/watermark-state/run.sh"
