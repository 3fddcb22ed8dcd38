#!/usr/bin/env bash
# Makes this machine a fresh one for what the tests need beyond npm: stops the test SLURM and
# removes Chromium and SLURM, so that `npm test` has to provision them itself
# (scripts/test/provision.ts runs .ci/setup.d/*.sh), as it does on a machine that never had them.
# CI only: it uninstalls packages.
set -euo pipefail
if [ "${CI:-}" != "true" ]; then echo "fresh-machine.sh: CI only (it uninstalls Chromium and SLURM)"; exit 1; fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
for f in /run/pdask-slurmctld.pid /run/pdask-slurmd-*.pid; do
  [ -f "$f" ] && $SUDO kill "$(cat "$f")" 2>/dev/null || true
done
$SUDO pkill -x slurmd 2>/dev/null || true
$SUDO pkill -x slurmctld 2>/dev/null || true
$SUDO pkill -x munged 2>/dev/null || true
installed=()
for p in chromium slurmctld slurmd slurm-client munge; do
  dpkg -s "$p" >/dev/null 2>&1 && installed+=("$p")
done
if [ ${#installed[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq "${installed[@]}" >/dev/null
fi
if [ -x /usr/bin/chromium ] || command -v sinfo >/dev/null || command -v slurmd >/dev/null; then
  echo "fresh-machine.sh: Chromium or SLURM is still here" >&2
  exit 1
fi
echo "fresh-machine.sh: no Chromium, no SLURM (removed: ${installed[*]:-nothing})"
