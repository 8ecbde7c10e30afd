#!/usr/bin/env bash
# Runs a test program under a fresh Xvfb screen, or skips (77) without xvfb-run.
# Usage: xvfb_run.sh PROGRAM [ARGS...]
set -u
. "$(dirname "$0")/lib.sh"
skip_unless xvfb-run xvfb
exec timeout 120 xvfb-run -a -s "$XVFB_SCREEN" "$@"
