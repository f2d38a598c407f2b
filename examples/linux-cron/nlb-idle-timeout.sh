#!/usr/bin/env bash
# Runs the NlbTools runbook Update-ListenerIdleTimeout.ps1 from cron, one run at a time, with a dated log.
#
# Install (as root), for the unprivileged job user nlbops:
#   install -d -m 0755 /opt/nlb-runbooks
#   install -d -o nlbops -g nlbops -m 0750 /var/log/nlbtools     # the log directory belongs to the job's user
#   install -m 0755 nlb-idle-timeout.sh ../Update-ListenerIdleTimeout.ps1 /opt/nlb-runbooks/
#   install -m 0644 nlb-idle-timeout.cron /etc/cron.d/nlb-idle-timeout
#   pwsh -c 'Install-PSResource NlbTools -Scope AllUsers'      # or from your internal feed
#
# Credentials: the runbook uses the profile in NLB_PROFILE (from ~/.aliyun/config.json or
# ~/.alibabacloud/credentials of the cron user). Leave NLB_PROFILE empty to use the default chain,
# e.g. the RAM role of the ECS instance, so no key is stored on the machine at all.
#
# The lock and the log live in directories only the job's user can write: the lock in NLB_STATE_DIR
# (default $XDG_RUNTIME_DIR/nlbtools, else ~/.local/state/nlbtools, created 0700), the log in LOG_DIR.
# A directory owned by someone else, or writable by group or others, stops the run with exit code 3:
# in /tmp anyone could pre-create the lock and silently stop every run, or plant a log symlink.
set -euo pipefail

NLB_PROFILE="${NLB_PROFILE:-}"
NLB_REGION="${NLB_REGION:-cn-hangzhou}"
NLB_IDLE_TIMEOUT="${NLB_IDLE_TIMEOUT:-300}"
LOG_DIR="${LOG_DIR:-/var/log/nlbtools}"
if [[ -n "${XDG_RUNTIME_DIR:-}" ]]; then default_state="$XDG_RUNTIME_DIR/nlbtools"; else default_state="$HOME/.local/state/nlbtools"; fi
NLB_STATE_DIR="${NLB_STATE_DIR:-$default_state}"
# The runbook installed next to this script (see Install), else the repository layout (examples/).
here="$(dirname "$(readlink -f "$0")")"
RUNBOOK="${NLB_RUNBOOK:-$here/Update-ListenerIdleTimeout.ps1}"
[[ -f "$RUNBOOK" ]] || RUNBOOK="$here/../Update-ListenerIdleTimeout.ps1"

# Creates DIR (0700) if missing, then insists that it is a real directory owned by this user and writable by
# nobody else. Prints why not on stderr (cron mails it) and exits 3.
require_private_dir() {
    local dir="$1" purpose="$2" me owner mode
    me="$(id -u)"
    if [[ ! -e "$dir" ]]; then mkdir -p -m 0700 -- "$dir"; fi
    if [[ -L "$dir" || ! -d "$dir" ]]; then
        echo "nlb-idle-timeout: the $purpose directory $dir is not a directory (or is a symlink); not running." >&2
        exit 3
    fi
    owner="$(stat -c %u -- "$dir")"
    mode="$(stat -c %a -- "$dir")"
    if [[ "$owner" != "$me" ]]; then
        echo "nlb-idle-timeout: the $purpose directory $dir belongs to uid $owner, not to $(id -un) (uid $me); not running. It must belong to the job's user." >&2
        exit 3
    fi
    if (( (8#$mode & 8#022) != 0 )); then
        echo "nlb-idle-timeout: the $purpose directory $dir is writable by group or others (mode $mode); not running. Fix: chmod go-w $dir" >&2
        exit 3
    fi
}

require_private_dir "$NLB_STATE_DIR" lock
require_private_dir "$LOG_DIR" log
log="$LOG_DIR/idle-timeout-$(date +%F).log"

# cron may start the next run while a slow one is still waiting for jobs: skip instead of overlapping.
# Only this user can create files in NLB_STATE_DIR, so only its own earlier run can hold the lock.
exec 9>>"$NLB_STATE_DIR/nlb-idle-timeout.lock"
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
