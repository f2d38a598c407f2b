#!/usr/bin/env bash
# Runs the NlbTools runbook Update-ListenerIdleTimeout.ps1 from cron, one run at a time, with a dated log.
#
# Install (as root):
#   install -d /opt/nlb-runbooks /var/log/nlbtools
#   install -m 0755 nlb-idle-timeout.sh ../Update-ListenerIdleTimeout.ps1 /opt/nlb-runbooks/
#   install -m 0644 nlb-idle-timeout.cron /etc/cron.d/nlb-idle-timeout
#   pwsh -c 'Install-PSResource NlbTools -Scope AllUsers'      # or from your internal feed
#
# Credentials: the runbook uses the profile in NLB_PROFILE (from ~/.aliyun/config.json or
# ~/.alibabacloud/credentials of the cron user). Leave NLB_PROFILE empty to use the default chain,
# e.g. the RAM role of the ECS instance, so no key is stored on the machine at all.
set -euo pipefail

NLB_PROFILE="${NLB_PROFILE:-}"
NLB_REGION="${NLB_REGION:-cn-hangzhou}"
NLB_IDLE_TIMEOUT="${NLB_IDLE_TIMEOUT:-300}"
LOG_DIR="${LOG_DIR:-/var/log/nlbtools}"
# The runbook installed next to this script (see Install), else the repository layout (examples/).
here="$(dirname "$(readlink -f "$0")")"
RUNBOOK="${NLB_RUNBOOK:-$here/Update-ListenerIdleTimeout.ps1}"
[[ -f "$RUNBOOK" ]] || RUNBOOK="$here/../Update-ListenerIdleTimeout.ps1"

mkdir -p "$LOG_DIR"
log="$LOG_DIR/idle-timeout-$(date +%F).log"

# cron may start the next run while a slow one is still waiting for jobs: skip instead of overlapping.
exec 9>"/tmp/nlb-idle-timeout.lock"
if ! flock -n 9; then
    echo "$(date -Is) previous run still in progress, skipping" >>"$log"
    exit 0
fi

args=(-RegionId "$NLB_REGION" -IdleTimeout "$NLB_IDLE_TIMEOUT")
if [[ -n "$NLB_PROFILE" ]]; then args+=(-Profile "$NLB_PROFILE"); fi

echo "$(date -Is) start ${args[*]}" >>"$log"
status=0
# -NonInteractive: never wait for a prompt that nobody will answer. The runbook exits 1 when a listener was not updated.
pwsh -NoProfile -NonInteractive -File "$RUNBOOK" "${args[@]}" >>"$log" 2>&1 || status=$?
echo "$(date -Is) end, exit code $status" >>"$log"
exit "$status"
