#!/usr/bin/env bash
# test_audit_logs.sh: exercise Aurora MySQL audit logging and check the records reached S3.
#
# 1. reads the master credentials from Secrets Manager (never from the command line);
# 2. authentication tests: a good login, a bad password for the master user, an unknown user;
# 3. schema changes (CREATE/ALTER/DROP TABLE, CREATE INDEX) and DML on a run-specific database;
# 4. privilege changes: CREATE USER (IAM authentication, so no password is written anywhere),
#    GRANT, REVOKE, DROP USER;
# 5. an OLTP workload with sysbench (oltp_read_write) as a temporary, run-specific user;
# 6. polls the archive bucket's audit-log prefix (AuditLogPipeline writes
#    <prefix><db-instance-id>/audit/audit.log.*) until every expected record is there or the wait
#    runs out, then prints a report. Exit status 3 if expected records are missing.
#
# Every object the run creates carries the run id (lab_<id>, probe_<id>, sb_<id>, nouser_<id>), so
# the check matches this run's records and nothing older.
set -euo pipefail

readonly PROG="${0##*/}"
readonly EXIT_MISSING=3

usage() {
  cat <<EOF
Usage: ${PROG} [options]

Run the audit-log lab against an Aurora MySQL cluster and check that the audit records reached
S3. Parameters come from options or environment variables (in brackets).

Connection and locations:
  --endpoint HOST         Aurora cluster (writer) endpoint [AURORA_LAB_ENDPOINT]
  --port PORT             MySQL port [AURORA_LAB_PORT] (default 3306)
  --secret-arn ARN        Secrets Manager secret with the master username/password
                          [AURORA_LAB_SECRET_ARN]
  --bucket NAME           archive bucket [AURORA_LAB_BUCKET]
  --prefix PREFIX         audit log prefix in the bucket [AURORA_LAB_PREFIX] (default audit-logs/)
  --db-instances LIST     comma-separated DB instance ids whose logs to check, i.e. only
                          <prefix><id>/ [AURORA_LAB_DB_INSTANCES] (default: everything under prefix)
  --region REGION         AWS region, e.g. cn-north-1 [AURORA_LAB_REGION, AWS_REGION]

Run control:
  --run-id ID             id marking this run's objects (default: generated; [a-z0-9]{1,20})
  --since EPOCH           start of the time window, seconds since 1970 (default: now)
  --wait SECONDS          how long to wait for the records to reach S3 [AURORA_LAB_WAIT_SECONDS]
                          (default 1800; the pipeline copies on its own schedule)
  --poll SECONDS          pause between S3 checks (default 60)
  --sysbench-time SECONDS duration of the OLTP run (default 60)
  --sysbench-threads N    sysbench threads (default 2)
  --tables N              sysbench tables (default 2)
  --table-size N          rows per sysbench table (default 10000)
  --skip-workload         do not touch the database: only check the records of an earlier run
                          (needs --run-id and --since)
  --local-dir DIR         check audit log files already in DIR instead of S3 (implies
                          --skip-workload; needs --master-user or --secret-arn)
  --master-user NAME      master user name to look for in failed logins (default: from the secret)
  --report FILE           also write the report to FILE
  --keep-downloads DIR    keep the downloaded audit log files in DIR
  -h, --help              show this help

Exit status: 0 every expected record found; 3 some are missing (the report says which);
2 usage error; 1 any other failure (a login that should fail succeeded, a tool missing, ...).
EOF
}

die_usage() {
  printf '%s: %s\n' "${PROG}" "$1" >&2
  printf "Try '%s --help'.\n" "${PROG}" >&2
  exit 2
}

die() {
  printf '%s: error: %s\n' "${PROG}" "$1" >&2
  exit 1
}

log() { printf '[%s] %s\n' "${PROG}" "$*" >&2; }

need_value() {
  if [[ "$2" -lt 2 ]]; then
    die_usage "option $1 needs a value"
  fi
}

need_uint() {
  # $1 option name, $2 value, $3 minimum
  if [[ ! "$2" =~ ^[0-9]+$ ]] || ((10#$2 < $3)); then
    die_usage "$1 '$2' must be a whole number >= $3"
  fi
}

random_hex() {
  # $1 number of bytes
  od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

ENDPOINT="${AURORA_LAB_ENDPOINT:-}"
PORT="${AURORA_LAB_PORT:-3306}"
SECRET_ARN="${AURORA_LAB_SECRET_ARN:-}"
BUCKET="${AURORA_LAB_BUCKET:-}"
PREFIX="${AURORA_LAB_PREFIX:-audit-logs/}"
DB_INSTANCES="${AURORA_LAB_DB_INSTANCES:-}"
REGION="${AURORA_LAB_REGION:-${AWS_REGION:-}}"
RUN_ID=""
SINCE=""
WAIT_SECONDS="${AURORA_LAB_WAIT_SECONDS:-1800}"
POLL_SECONDS=60
SB_TIME=60
SB_THREADS=2
SB_TABLES=2
SB_TABLE_SIZE=10000
SKIP_WORKLOAD=0
LOCAL_DIR=""
MASTER_USER=""
REPORT_FILE=""
KEEP_DIR=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --endpoint) need_value "$1" "$#"; ENDPOINT="$2"; shift 2 ;;
    --port) need_value "$1" "$#"; PORT="$2"; shift 2 ;;
    --secret-arn) need_value "$1" "$#"; SECRET_ARN="$2"; shift 2 ;;
    --bucket) need_value "$1" "$#"; BUCKET="$2"; shift 2 ;;
    --prefix) need_value "$1" "$#"; PREFIX="$2"; shift 2 ;;
    --db-instances) need_value "$1" "$#"; DB_INSTANCES="$2"; shift 2 ;;
    --region) need_value "$1" "$#"; REGION="$2"; shift 2 ;;
    --run-id) need_value "$1" "$#"; RUN_ID="$2"; shift 2 ;;
    --since) need_value "$1" "$#"; SINCE="$2"; shift 2 ;;
    --wait) need_value "$1" "$#"; WAIT_SECONDS="$2"; shift 2 ;;
    --poll) need_value "$1" "$#"; POLL_SECONDS="$2"; shift 2 ;;
    --sysbench-time) need_value "$1" "$#"; SB_TIME="$2"; shift 2 ;;
    --sysbench-threads) need_value "$1" "$#"; SB_THREADS="$2"; shift 2 ;;
    --tables) need_value "$1" "$#"; SB_TABLES="$2"; shift 2 ;;
    --table-size) need_value "$1" "$#"; SB_TABLE_SIZE="$2"; shift 2 ;;
    --skip-workload) SKIP_WORKLOAD=1; shift ;;
    --local-dir) need_value "$1" "$#"; LOCAL_DIR="$2"; SKIP_WORKLOAD=1; shift 2 ;;
    --master-user) need_value "$1" "$#"; MASTER_USER="$2"; shift 2 ;;
    --report) need_value "$1" "$#"; REPORT_FILE="$2"; shift 2 ;;
    --keep-downloads) need_value "$1" "$#"; KEEP_DIR="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die_usage "unknown option: $1" ;;
  esac
done

# ---- validation: every problem names the option, the value and what is allowed ----
need_uint --port "${PORT}" 1
need_uint --wait "${WAIT_SECONDS}" 0
need_uint --poll "${POLL_SECONDS}" 1
need_uint --sysbench-time "${SB_TIME}" 1
need_uint --sysbench-threads "${SB_THREADS}" 1
need_uint --tables "${SB_TABLES}" 1
need_uint --table-size "${SB_TABLE_SIZE}" 1
if ((10#${PORT} > 65535)); then
  die_usage "--port '${PORT}' must be at most 65535"
fi
if [[ -n "${RUN_ID}" && ! "${RUN_ID}" =~ ^[a-z0-9]{1,20}$ ]]; then
  die_usage "--run-id '${RUN_ID}' must be 1-20 lower-case letters or digits"
fi
if [[ -n "${SINCE}" ]]; then
  need_uint --since "${SINCE}" 0
fi
if [[ -n "${PREFIX}" && "${PREFIX}" != */ ]]; then
  PREFIX="${PREFIX}/"
fi
LIST_PREFIXES=()
if [[ -n "${DB_INSTANCES}" ]]; then
  IFS=',' read -r -a db_instance_list <<<"${DB_INSTANCES}"
  for db_instance in "${db_instance_list[@]}"; do
    if [[ ! "${db_instance}" =~ ^[A-Za-z][A-Za-z0-9-]{0,62}$ ]]; then
      die_usage "--db-instances '${DB_INSTANCES}': '${db_instance}' is not a DB instance identifier"
    fi
    LIST_PREFIXES+=("${PREFIX}${db_instance}/")
  done
else
  LIST_PREFIXES=("${PREFIX}")
fi
if [[ -n "${MASTER_USER}" && ! "${MASTER_USER}" =~ ^[A-Za-z0-9_]{1,32}$ ]]; then
  die_usage "--master-user '${MASTER_USER}' must be 1-32 letters, digits or underscores"
fi
if [[ "${SKIP_WORKLOAD}" -eq 1 ]]; then
  [[ -n "${RUN_ID}" ]] || die_usage "--skip-workload/--local-dir need --run-id (the run to check)"
  [[ -n "${SINCE}" ]] || die_usage "--skip-workload/--local-dir need --since (when that run started)"
else
  [[ -n "${ENDPOINT}" ]] || die_usage "--endpoint (or AURORA_LAB_ENDPOINT) is required"
  [[ "${ENDPOINT}" =~ ^[A-Za-z0-9.-]+$ ]] || die_usage "--endpoint '${ENDPOINT}' is not a host name"
  [[ -n "${SECRET_ARN}" ]] || die_usage "--secret-arn (or AURORA_LAB_SECRET_ARN) is required"
fi
if [[ -n "${SECRET_ARN}" && ! "${SECRET_ARN}" =~ ^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$ ]]; then
  die_usage "--secret-arn '${SECRET_ARN}' is not a Secrets Manager secret ARN"
fi
if [[ -n "${LOCAL_DIR}" ]]; then
  [[ -d "${LOCAL_DIR}" ]] || die_usage "--local-dir '${LOCAL_DIR}' is not a directory"
  if [[ -z "${MASTER_USER}" && -z "${SECRET_ARN}" ]]; then
    die_usage "--local-dir needs --master-user or --secret-arn"
  fi
else
  [[ -n "${BUCKET}" ]] || die_usage "--bucket (or AURORA_LAB_BUCKET) is required"
  [[ "${BUCKET}" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die_usage "--bucket '${BUCKET}' is not an S3 bucket name"
fi
if [[ -n "${SECRET_ARN}" || -z "${LOCAL_DIR}" ]]; then
  [[ -n "${REGION}" ]] || die_usage "--region (or AURORA_LAB_REGION / AWS_REGION) is required"
fi
if [[ -n "${REGION}" && ! "${REGION}" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]]; then
  die_usage "--region '${REGION}' is not a region name such as cn-north-1"
fi

# ---- tools ----
require_tool() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"
}
require_tool awk "install gawk"
if [[ -n "${SECRET_ARN}" || -z "${LOCAL_DIR}" ]]; then
  require_tool aws "install awscli-2"
  require_tool jq "install jq"
fi
MYSQL_BIN=""
MYSQL_TLS=()
if [[ "${SKIP_WORKLOAD}" -eq 0 ]]; then
  MYSQL_BIN="$(command -v mysql || command -v mariadb || true)"
  [[ -n "${MYSQL_BIN}" ]] || die "no mysql or mariadb client on PATH (run setup_ec2.sh)"
  require_tool sysbench "run setup_sysbench.sh"
  if "${MYSQL_BIN}" --version 2>/dev/null | grep -qi mariadb; then
    MYSQL_TLS=(--ssl)
  else
    MYSQL_TLS=(--ssl-mode=REQUIRED)
  fi
fi

WORK_DIR="$(mktemp -d)"
chmod 700 "${WORK_DIR}"
DB_CREATED=0
USERS_CREATED=()

[[ -n "${RUN_ID}" ]] || RUN_ID="r$(date -u +%y%m%d%H%M%S)$(random_hex 2)"
[[ -n "${SINCE}" ]] || SINCE="$(date -u +%s)"
readonly LAB_DB="lab_${RUN_ID}"
readonly PROBE_USER="probe_${RUN_ID}"
readonly SB_USER="sb_${RUN_ID}"
readonly UNKNOWN_USER="nouser_${RUN_ID}"
readonly GOOD_MARKER="auditlab:${RUN_ID}:good-login"

# ---- secrets and option files (passwords never appear on a command line) ----
write_option_file() {
  # $1 file, $2 user, $3 password
  local escaped="${3//\\/\\\\}"
  escaped="${escaped//\"/\\\"}"
  (
    umask 077
    printf '[client]\nuser="%s"\npassword="%s"\n' "$2" "${escaped}" >"$1"
  )
}

MASTER_PASSWORD=""
if [[ -n "${SECRET_ARN}" ]]; then
  log "reading the master credentials from Secrets Manager (${REGION})"
  secret_json="$(aws secretsmanager get-secret-value --region "${REGION}" --secret-id "${SECRET_ARN}" \
    --query SecretString --output text)" || die "could not read secret ${SECRET_ARN}"
  secret_user="$(jq -r '.username // empty' <<<"${secret_json}")" || die "secret ${SECRET_ARN} is not JSON"
  MASTER_PASSWORD="$(jq -r '.password // empty' <<<"${secret_json}")"
  unset secret_json
  [[ -n "${secret_user}" ]] || die "secret ${SECRET_ARN} has no username"
  [[ -n "${MASTER_USER}" ]] || MASTER_USER="${secret_user}"
fi

cleanup() {
  local status=$?
  if [[ "${SKIP_WORKLOAD}" -eq 0 && -f "${WORK_DIR}/master.cnf" ]]; then
    local user
    for user in "${USERS_CREATED[@]}"; do
      mysql_quiet "DROP USER IF EXISTS '${user}'@'%'" || true
    done
    if [[ "${DB_CREATED}" -eq 1 ]]; then
      mysql_quiet "DROP DATABASE IF EXISTS ${LAB_DB}" || true
    fi
  fi
  rm -rf "${WORK_DIR}"
  exit "${status}"
}
trap cleanup EXIT

mysql_as() {
  # $1 option file, $2 SQL; output: tab-separated rows
  "${MYSQL_BIN}" --defaults-extra-file="$1" --host="${ENDPOINT}" --port="${PORT}" --protocol=TCP \
    "${MYSQL_TLS[@]}" --connect-timeout=10 --batch --skip-column-names -e "$2"
}

mysql_master() { mysql_as "${WORK_DIR}/master.cnf" "$1"; }

mysql_quiet() { mysql_master "$1" >/dev/null 2>&1; }

expect_denied() {
  # $1 label, $2 option file: the login must fail with an access-denied error
  local out
  if out="$(mysql_as "$2" "SELECT 'auditlab:${RUN_ID}:must-not-run'" 2>&1)"; then
    die "$1: the login succeeded but must be refused"
  fi
  if [[ "${out}" != *"Access denied"* && "${out}" != *"1045"* ]]; then
    die "$1: the login failed for another reason than access denied: ${out}"
  fi
  log "$1: refused as expected"
}

run_workload() {
  [[ -n "${MASTER_PASSWORD}" ]] || die "secret ${SECRET_ARN} has no password"
  write_option_file "${WORK_DIR}/master.cnf" "${MASTER_USER}" "${MASTER_PASSWORD}"

  log "run ${RUN_ID}: authentication tests against ${ENDPOINT}:${PORT}"
  local reply
  reply="$(mysql_master "SELECT '${GOOD_MARKER}'")" || die "good login: the master user could not log in"
  [[ "${reply}" == "${GOOD_MARKER}" ]] || die "good login: unexpected reply '${reply}'"
  log "good login: accepted"
  write_option_file "${WORK_DIR}/bad-password.cnf" "${MASTER_USER}" "wrong-$(random_hex 12)"
  expect_denied "bad password for ${MASTER_USER}" "${WORK_DIR}/bad-password.cnf"
  write_option_file "${WORK_DIR}/unknown-user.cnf" "${UNKNOWN_USER}" "$(random_hex 12)"
  expect_denied "unknown user ${UNKNOWN_USER}" "${WORK_DIR}/unknown-user.cnf"

  log "schema changes and DML in ${LAB_DB}"
  mysql_master "CREATE DATABASE ${LAB_DB}" || die "could not create database ${LAB_DB}"
  DB_CREATED=1
  mysql_master "CREATE TABLE ${LAB_DB}.audit_probe (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(128) NOT NULL);
ALTER TABLE ${LAB_DB}.audit_probe ADD COLUMN run_id VARCHAR(32) NULL;
CREATE INDEX idx_audit_probe_note ON ${LAB_DB}.audit_probe (note);
INSERT INTO ${LAB_DB}.audit_probe (note, run_id) VALUES ('auditlab:${RUN_ID}:dml', '${RUN_ID}');
UPDATE ${LAB_DB}.audit_probe SET note = CONCAT(note, ':updated') WHERE run_id = '${RUN_ID}';
SELECT COUNT(*) FROM ${LAB_DB}.audit_probe WHERE run_id = '${RUN_ID}';
DELETE FROM ${LAB_DB}.audit_probe WHERE run_id = '${RUN_ID}';
DROP TABLE ${LAB_DB}.audit_probe" >/dev/null || die "schema changes failed"

  log "privilege changes for ${PROBE_USER}"
  USERS_CREATED+=("${PROBE_USER}")
  mysql_master "CREATE USER '${PROBE_USER}'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';
GRANT SELECT, INSERT ON ${LAB_DB}.* TO '${PROBE_USER}'@'%';
REVOKE INSERT ON ${LAB_DB}.* FROM '${PROBE_USER}'@'%';
SHOW GRANTS FOR '${PROBE_USER}'@'%';
DROP USER '${PROBE_USER}'@'%'" >/dev/null || die "privilege changes failed"

  log "OLTP workload: sysbench oltp_read_write as ${SB_USER}, ${SB_THREADS} threads, ${SB_TIME}s"
  local sb_password
  sb_password="$(random_hex 16)"
  USERS_CREATED+=("${SB_USER}")
  mysql_master "CREATE USER '${SB_USER}'@'%' IDENTIFIED BY '${sb_password}';
GRANT ALL PRIVILEGES ON ${LAB_DB}.* TO '${SB_USER}'@'%'" || die "could not create the workload user"
  local sb_args=(oltp_read_write --db-driver=mysql --mysql-host="${ENDPOINT}" --mysql-port="${PORT}"
    --mysql-user="${SB_USER}" --mysql-password="${sb_password}" --mysql-db="${LAB_DB}"
    --tables="${SB_TABLES}" --table-size="${SB_TABLE_SIZE}" --threads="${SB_THREADS}"
    --time="${SB_TIME}" --report-interval=10)
  sysbench "${sb_args[@]}" prepare >"${WORK_DIR}/sysbench-prepare.log" 2>&1 ||
    die "sysbench prepare failed: $(tail -n 5 "${WORK_DIR}/sysbench-prepare.log")"
  sysbench "${sb_args[@]}" run >"${WORK_DIR}/sysbench-run.log" 2>&1 ||
    die "sysbench run failed: $(tail -n 5 "${WORK_DIR}/sysbench-run.log")"
  grep -E 'transactions:|queries:' "${WORK_DIR}/sysbench-run.log" >&2 || true
  sysbench "${sb_args[@]}" cleanup >/dev/null 2>&1 || log "warning: sysbench cleanup failed"

  mysql_master "DROP USER '${SB_USER}'@'%'; DROP DATABASE ${LAB_DB}" || die "could not clean up"
  USERS_CREATED=()
  DB_CREATED=0
  log "workload done"
}

# ---- S3 ----
DOWNLOAD_DIR="${KEEP_DIR:-${WORK_DIR}/downloads}"
mkdir -p "${DOWNLOAD_DIR}"
SINCE_ISO="$(date -u -d "@${SINCE}" +%Y-%m-%dT%H:%M:%S)"

fetch_from_s3() {
  # Downloads every object under the prefix written since the run started (audit files grow and
  # are rewritten, so each pass fetches them again). Prints the number of files.
  local listing count=0 key local_name list_prefix
  for list_prefix in "${LIST_PREFIXES[@]}"; do
    listing="$(aws s3api list-objects-v2 --region "${REGION}" --bucket "${BUCKET}" --prefix "${list_prefix}" \
      --output json)" || die "could not list s3://${BUCKET}/${list_prefix}"
    while IFS= read -r key; do
      [[ -n "${key}" ]] || continue
      local_name="${key//\//__}"
      aws s3 cp --region "${REGION}" --only-show-errors "s3://${BUCKET}/${key}" \
        "${DOWNLOAD_DIR}/${local_name}" >&2 || die "could not download s3://${BUCKET}/${key}"
      count=$((count + 1))
    done < <(jq -r --arg since "${SINCE_ISO}" \
      '(.Contents // [])[] | select(.LastModified >= $since) | select(.Key | endswith("/") | not) | .Key' \
      <<<"${listing}")
  done
  printf '%s\n' "${count}"
}

# ---- analysis ----
# Aurora MySQL audit records: timestamp (microseconds),serverhost,username,host,connectionid,
# queryid,operation,database,object,retcode[,...]; the object (SQL text) is quoted and may hold
# commas, so only the first eight fields are split.
readonly EXPECTATIONS="good_login|CONNECT by the master user on the connection that ran the good-login query
failed_login_bad_password|FAILED_CONNECT for the master user (bad password) since the run started
failed_login_unknown_user|FAILED_CONNECT for ${UNKNOWN_USER}
ddl_create_table|QUERY CREATE TABLE ${LAB_DB}.audit_probe
ddl_alter_table|QUERY ALTER TABLE ${LAB_DB}.audit_probe
ddl_create_index|QUERY CREATE INDEX on ${LAB_DB}.audit_probe
ddl_drop_table|QUERY DROP TABLE ${LAB_DB}.audit_probe
dml_insert|QUERY INSERT INTO ${LAB_DB}.audit_probe
table_write|TABLE event WRITE in ${LAB_DB}
table_read|TABLE event READ in ${LAB_DB}
dcl_create_user|QUERY CREATE USER ${PROBE_USER}
dcl_grant|QUERY GRANT ... TO ${PROBE_USER}
dcl_revoke|QUERY REVOKE ... FROM ${PROBE_USER}
dcl_drop_user|QUERY DROP USER ${PROBE_USER}
workload_connect|CONNECT by the sysbench user ${SB_USER}
workload_queries|QUERY records by the sysbench user ${SB_USER}"

analyse() {
  # $1 directory of audit log files; prints "name count" for every expectation
  local files=()
  local f
  while IFS= read -r -d '' f; do files+=("${f}"); done < <(find "$1" -type f -print0)
  {
    local file
    for file in "${files[@]}"; do
      case "${file}" in
        *.gz) gzip -dc -- "${file}" || true ;;
        *) cat -- "${file}" ;;
      esac
    done
  } | awk -F',' -v rid="${RUN_ID}" -v master="${MASTER_USER}" -v since_us="${SINCE}000000" \
    -v db="lab_${RUN_ID}" -v probe="probe_${RUN_ID}" -v sb="sb_${RUN_ID}" \
    -v unknown="nouser_${RUN_ID}" -v marker="auditlab:${RUN_ID}:good-login" '
    function unq(s) { gsub(/^[ \047"]+|[ \047"]+$/, "", s); return s }
    function has(s) { return index(low, s) > 0 }
    NF >= 8 {
      ts = $1 + 0; host = unq($2); user = unq($3); conn = unq($5); op = toupper(unq($7)); dbn = unq($8)
      low = tolower($0)
      key = host SUBSEP conn
      if (op == "CONNECT") { connected[key] = user; if (user == sb) n["workload_connect"]++ }
      if (op == "FAILED_CONNECT") {
        if (user == unknown) n["failed_login_unknown_user"]++
        if (user == master && ts >= since_us) n["failed_login_bad_password"]++
      }
      if (op == "QUERY") {
        if (index($0, marker) > 0) marked[key] = 1
        if (user == sb) n["workload_queries"]++
        if (has("create table") && has(db ".audit_probe")) n["ddl_create_table"]++
        if (has("alter table") && has(db ".audit_probe")) n["ddl_alter_table"]++
        if (has("create index") && has(db ".audit_probe")) n["ddl_create_index"]++
        if (has("drop table") && has(db ".audit_probe")) n["ddl_drop_table"]++
        if (has("insert into") && has(db ".audit_probe")) n["dml_insert"]++
        if (has("create user") && has(probe)) n["dcl_create_user"]++
        if (has("grant ") && !has("show grants") && has(probe)) n["dcl_grant"]++
        if (has("revoke ") && has(probe)) n["dcl_revoke"]++
        if (has("drop user") && has(probe)) n["dcl_drop_user"]++
      }
      if (op == "WRITE" && dbn == db) n["table_write"]++
      if (op == "READ" && dbn == db) n["table_read"]++
      if (index($0, rid) > 0) n["_lines_with_run_id"]++
    }
    END {
      for (k in marked) if ((k in connected) && connected[k] == master) n["good_login"]++
      split("good_login failed_login_bad_password failed_login_unknown_user ddl_create_table ddl_alter_table ddl_create_index ddl_drop_table dml_insert table_write table_read dcl_create_user dcl_grant dcl_revoke dcl_drop_user workload_connect workload_queries _lines_with_run_id", names, " ")
      for (i = 1; i in names; i++) printf "%s %d\n", names[i], n[names[i]] + 0
    }'
  printf '_files %d\n' "${#files[@]}"
}

count_of() {
  # $1 counts file, $2 name
  awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$1"
}

missing_count() {
  # $1 counts file: how many expectations have no record
  local missing=0 name
  while IFS='|' read -r name _; do
    if [[ "$(count_of "$1" "${name}")" -eq 0 ]]; then
      missing=$((missing + 1))
    fi
  done <<<"${EXPECTATIONS}"
  printf '%s\n' "${missing}"
}

print_report() {
  # $1 counts file, $2 source description
  local name description count status met=0 total=0
  printf 'Aurora MySQL audit-log check\n'
  printf '  run id:   %s\n' "${RUN_ID}"
  printf '  since:    %sZ (%s)\n' "${SINCE_ISO}" "${SINCE}"
  printf '  source:   %s\n' "$2"
  printf '  files:    %s   lines naming the run: %s\n' "$(count_of "$1" _files)" \
    "$(count_of "$1" _lines_with_run_id)"
  printf '  %-9s %-26s %7s  %s\n' "STATUS" "EXPECTATION" "RECORDS" "WHAT"
  while IFS='|' read -r name description; do
    count="$(count_of "$1" "${name}")"
    total=$((total + 1))
    if [[ "${count}" -gt 0 ]]; then
      status="ok"
      met=$((met + 1))
    else
      status="MISSING"
    fi
    printf '  %-9s %-26s %7s  %s\n' "${status}" "${name}" "${count}" "${description}"
  done <<<"${EXPECTATIONS}"
  if [[ "${met}" -eq "${total}" ]]; then
    printf 'Result: PASS, %d of %d expected record kinds found\n' "${met}" "${total}"
  else
    printf 'Result: FAIL, %d of %d expected record kinds missing\n' "$((total - met))" "${total}"
  fi
}

# ---- main ----
if [[ "${SKIP_WORKLOAD}" -eq 0 ]]; then
  run_workload
fi

COUNTS="${WORK_DIR}/counts"
if [[ -n "${LOCAL_DIR}" ]]; then
  SOURCE_DESC="local directory ${LOCAL_DIR}"
  analyse "${LOCAL_DIR}" >"${COUNTS}"
else
  SOURCE_DESC=""
  for list_prefix in "${LIST_PREFIXES[@]}"; do
    SOURCE_DESC+="s3://${BUCKET}/${list_prefix} "
  done
  SOURCE_DESC+="(${REGION})"
  deadline=$(($(date -u +%s) + 10#${WAIT_SECONDS}))
  while :; do
    fetched="$(fetch_from_s3)"
    analyse "${DOWNLOAD_DIR}" >"${COUNTS}"
    missing="$(missing_count "${COUNTS}")"
    if [[ "${missing}" -eq 0 ]]; then
      break
    fi
    now="$(date -u +%s)"
    if ((now >= deadline)); then
      break
    fi
    log "${fetched} file(s) checked, ${missing} expected record kind(s) not in S3 yet; next check in ${POLL_SECONDS}s"
    sleep "${POLL_SECONDS}"
  done
fi

report="$(print_report "${COUNTS}" "${SOURCE_DESC}")"
printf '%s\n' "${report}"
if [[ -n "${REPORT_FILE}" ]]; then
  printf '%s\n' "${report}" >"${REPORT_FILE}"
fi
if [[ "$(missing_count "${COUNTS}")" -ne 0 ]]; then
  exit "${EXIT_MISSING}"
fi
