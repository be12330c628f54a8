#!/usr/bin/env bash
# setup_ec2.sh: prepare the AuroraLab client (Amazon Linux 2023, arm64).
#
# Installs the MySQL-compatible client, jq, the AWS CLI (normally preinstalled on AL2023) and the
# CloudWatch agent, starts the agent with the configuration LogArchive keeps in SSM Parameter
# Store, records the lab's settings for login shells, and optionally builds sysbench.
#
# MySQL client choice: AL2023 has no `mysql` package (AL2 had MariaDB 5.5 as `mysql`). We install
# `mariadb105` (MariaDB 10.5 client, provides both `mariadb` and `mysql` commands) from AL2023's own
# repositories: those are served from S3, so the client installs through the VPC's S3 gateway
# endpoint without a NAT gateway, and the packages are signed by Amazon. The MySQL community
# repository (repo.mysql.com) would need internet egress and a third-party GPG key. The MariaDB 10.5
# client speaks to Aurora MySQL 3 (MySQL 8.0) with mysql_native_password, Aurora's default.
#
# Everything is a parameter (argument or environment variable), nothing is hard-coded.
set -euo pipefail

readonly PROG="${0##*/}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR

usage() {
  cat <<EOF
Usage: ${PROG} [options]

Prepare an Amazon Linux 2023 client for the Aurora MySQL audit-log lab. Run as root
(the instance's user data does).

Options (environment variable in brackets):
  --region REGION             AWS region, e.g. cn-north-1 [AURORA_LAB_REGION, AWS_REGION] (required)
  --cw-agent-config PARAM     SSM parameter holding the CloudWatch agent configuration
                              [AURORA_LAB_CW_AGENT_CONFIG_PARAM]; without it the agent is
                              installed but not started
  --endpoint HOST             Aurora cluster (writer) endpoint [AURORA_LAB_ENDPOINT]
  --reader-endpoint HOST      Aurora reader endpoint [AURORA_LAB_READER_ENDPOINT]
  --secret-arn ARN            Secrets Manager ARN of the master password [AURORA_LAB_SECRET_ARN]
  --bucket NAME               archive bucket holding the audit logs [AURORA_LAB_BUCKET]
  --prefix PREFIX             audit log prefix in the bucket [AURORA_LAB_PREFIX] (default audit-logs/)
  --db-instances LIST         comma-separated DB instance ids of the cluster [AURORA_LAB_DB_INSTANCES]
  --profile-file PATH         where the lab settings are written for login shells
                              [AURORA_LAB_PROFILE_FILE] (default /etc/profile.d/aurora-lab.sh)
  --with-sysbench             also run setup_sysbench.sh (found beside this script)
  --dry-run                   print the commands instead of running them
  -h, --help                  show this help

Exit status: 0 on success, 2 on a usage error, 1 on any other failure.
EOF
}

die_usage() {
  printf '%s: %s\n' "${PROG}" "$1" >&2
  printf "Try '%s --help'.\n" "${PROG}" >&2
  exit 2
}

log() { printf '[%s] %s\n' "${PROG}" "$*" >&2; }

DRY_RUN=0
run() {
  if [[ "${DRY_RUN}" -eq 1 ]]; then
    printf '+ %s\n' "$*"
  else
    "$@"
  fi
}

need_value() {
  # $1 option name, $2 number of remaining arguments (including the option)
  if [[ "$2" -lt 2 ]]; then
    die_usage "option $1 needs a value"
  fi
}

REGION="${AURORA_LAB_REGION:-${AWS_REGION:-}}"
CW_AGENT_CONFIG="${AURORA_LAB_CW_AGENT_CONFIG_PARAM:-}"
ENDPOINT="${AURORA_LAB_ENDPOINT:-}"
READER_ENDPOINT="${AURORA_LAB_READER_ENDPOINT:-}"
SECRET_ARN="${AURORA_LAB_SECRET_ARN:-}"
BUCKET="${AURORA_LAB_BUCKET:-}"
PREFIX="${AURORA_LAB_PREFIX:-audit-logs/}"
DB_INSTANCES="${AURORA_LAB_DB_INSTANCES:-}"
PROFILE_FILE="${AURORA_LAB_PROFILE_FILE:-/etc/profile.d/aurora-lab.sh}"
WITH_SYSBENCH=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --region) need_value "$1" "$#"; REGION="$2"; shift 2 ;;
    --cw-agent-config) need_value "$1" "$#"; CW_AGENT_CONFIG="$2"; shift 2 ;;
    --endpoint) need_value "$1" "$#"; ENDPOINT="$2"; shift 2 ;;
    --reader-endpoint) need_value "$1" "$#"; READER_ENDPOINT="$2"; shift 2 ;;
    --secret-arn) need_value "$1" "$#"; SECRET_ARN="$2"; shift 2 ;;
    --bucket) need_value "$1" "$#"; BUCKET="$2"; shift 2 ;;
    --prefix) need_value "$1" "$#"; PREFIX="$2"; shift 2 ;;
    --db-instances) need_value "$1" "$#"; DB_INSTANCES="$2"; shift 2 ;;
    --profile-file) need_value "$1" "$#"; PROFILE_FILE="$2"; shift 2 ;;
    --with-sysbench) WITH_SYSBENCH=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die_usage "unknown option: $1" ;;
  esac
done

if [[ -z "${REGION}" ]]; then
  die_usage "--region (or AURORA_LAB_REGION / AWS_REGION) is required"
fi
if [[ ! "${REGION}" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]]; then
  die_usage "--region '${REGION}' is not a region name such as cn-north-1"
fi
if [[ -n "${CW_AGENT_CONFIG}" && ! "${CW_AGENT_CONFIG}" =~ ^[A-Za-z0-9_./-]+$ ]]; then
  die_usage "--cw-agent-config '${CW_AGENT_CONFIG}' is not an SSM parameter name"
fi
if [[ -n "${DB_INSTANCES}" && ! "${DB_INSTANCES}" =~ ^[A-Za-z][A-Za-z0-9-]*(,[A-Za-z][A-Za-z0-9-]*)*$ ]]; then
  die_usage "--db-instances '${DB_INSTANCES}' is not a comma-separated list of DB instance identifiers"
fi
if [[ -n "${PREFIX}" && "${PREFIX}" != */ ]]; then
  PREFIX="${PREFIX}/"
fi

if [[ "${DRY_RUN}" -eq 0 ]]; then
  if [[ "$(id -u)" -ne 0 ]]; then
    printf '%s: must run as root (or use --dry-run)\n' "${PROG}" >&2
    exit 1
  fi
  if [[ -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    os_id="$(. /etc/os-release && printf '%s:%s' "${ID:-}" "${VERSION_ID:-}")"
    if [[ "${os_id}" != "amzn:2023" ]]; then
      log "warning: expected Amazon Linux 2023, found '${os_id}'; continuing"
    fi
  fi
fi

log "installing the MariaDB 10.5 client (mysql command), jq and the CloudWatch agent"
run dnf install -y mariadb105 jq amazon-cloudwatch-agent
if ! command -v aws >/dev/null 2>&1; then
  run dnf install -y awscli-2
fi

if [[ -n "${CW_AGENT_CONFIG}" ]]; then
  log "starting the CloudWatch agent with ssm:${CW_AGENT_CONFIG}"
  run env AWS_REGION="${REGION}" /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl \
    -a fetch-config -m ec2 -s -c "ssm:${CW_AGENT_CONFIG}"
else
  log "no --cw-agent-config given: the CloudWatch agent is installed but not started"
fi

emit_setting() {
  # $1 variable suffix, $2 value; empty values are left out
  if [[ -n "$2" ]]; then
    printf 'export AURORA_LAB_%s=%q\n' "$1" "$2"
  fi
}

write_profile() {
  printf '# Written by %s: settings for the Aurora audit-log lab scripts.\n' "${PROG}"
  emit_setting REGION "${REGION}"
  emit_setting ENDPOINT "${ENDPOINT}"
  emit_setting READER_ENDPOINT "${READER_ENDPOINT}"
  emit_setting SECRET_ARN "${SECRET_ARN}"
  emit_setting BUCKET "${BUCKET}"
  emit_setting PREFIX "${PREFIX}"
  emit_setting DB_INSTANCES "${DB_INSTANCES}"
  printf 'export AWS_REGION=%q\n' "${REGION}"
  # shellcheck disable=SC2016 # ${PATH} is expanded by the login shell that reads the file
  printf 'export PATH=%q:"${PATH}"\n' "${SCRIPT_DIR}"
}

log "writing the lab settings to ${PROFILE_FILE}"
if [[ "${DRY_RUN}" -eq 1 ]]; then
  write_profile
else
  umask 022
  write_profile >"${PROFILE_FILE}"
fi

if [[ "${WITH_SYSBENCH}" -eq 1 ]]; then
  if [[ "${DRY_RUN}" -eq 1 ]]; then
    "${SCRIPT_DIR}/setup_sysbench.sh" --dry-run
  else
    "${SCRIPT_DIR}/setup_sysbench.sh"
  fi
fi

log "done"
