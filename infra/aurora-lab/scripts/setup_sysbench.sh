#!/usr/bin/env bash
# setup_sysbench.sh: install sysbench on the AuroraLab client (Amazon Linux 2023, arm64).
#
# AL2023 ships no sysbench package and has no EPEL, so unless `dnf install sysbench` succeeds (a
# repository you added may carry it) sysbench is built from its source tarball against the
# MariaDB 10.5 client library (`mariadb105-devel`, which provides mysql_config). The tarball comes
# from --source: an https:// URL (needs internet egress: set auroraLab.natGateway) or an s3:// URI
# (works through the VPC's S3 gateway endpoint; stage the tarball there first). Give --sha256 to
# verify it.
set -euo pipefail

readonly PROG="${0##*/}"

usage() {
  cat <<EOF
Usage: ${PROG} [options]

Install sysbench (for the lab's OLTP workload). Run as root.

Options (environment variable in brackets):
  --source URL       sysbench source tarball, https:// or s3:// [SYSBENCH_SOURCE]
                     (default https://github.com/akopytov/sysbench/archive/refs/tags/1.0.20.tar.gz)
  --sha256 HEX       expected SHA-256 of the tarball [SYSBENCH_SHA256] (recommended)
  --region REGION    region for an s3:// source [AURORA_LAB_REGION, AWS_REGION]
  --prefix DIR       installation prefix [SYSBENCH_PREFIX] (default /usr/local)
  --force            build even if sysbench is already installed
  --dry-run          print the commands instead of running them
  -h, --help         show this help

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
  if [[ "$2" -lt 2 ]]; then
    die_usage "option $1 needs a value"
  fi
}

SOURCE="${SYSBENCH_SOURCE:-https://github.com/akopytov/sysbench/archive/refs/tags/1.0.20.tar.gz}"
SHA256="${SYSBENCH_SHA256:-}"
REGION="${AURORA_LAB_REGION:-${AWS_REGION:-}}"
INSTALL_PREFIX="${SYSBENCH_PREFIX:-/usr/local}"
FORCE=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --source) need_value "$1" "$#"; SOURCE="$2"; shift 2 ;;
    --sha256) need_value "$1" "$#"; SHA256="$2"; shift 2 ;;
    --region) need_value "$1" "$#"; REGION="$2"; shift 2 ;;
    --prefix) need_value "$1" "$#"; INSTALL_PREFIX="$2"; shift 2 ;;
    --force) FORCE=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die_usage "unknown option: $1" ;;
  esac
done

case "${SOURCE}" in
  https://*) ;;
  s3://*)
    if [[ -z "${REGION}" ]]; then
      die_usage "an s3:// --source needs --region (or AURORA_LAB_REGION / AWS_REGION)"
    fi
    ;;
  *) die_usage "--source '${SOURCE}' must be an https:// URL or an s3:// URI" ;;
esac
if [[ -n "${SHA256}" && ! "${SHA256}" =~ ^[0-9a-fA-F]{64}$ ]]; then
  die_usage "--sha256 '${SHA256}' is not 64 hexadecimal digits"
fi
if [[ "${INSTALL_PREFIX}" != /* ]]; then
  die_usage "--prefix '${INSTALL_PREFIX}' must be an absolute path"
fi

if [[ "${DRY_RUN}" -eq 0 && "$(id -u)" -ne 0 ]]; then
  printf '%s: must run as root (or use --dry-run)\n' "${PROG}" >&2
  exit 1
fi

if [[ "${FORCE}" -eq 0 ]] && command -v sysbench >/dev/null 2>&1; then
  log "sysbench already installed: $(sysbench --version)"
  exit 0
fi

if [[ "${FORCE}" -eq 0 && "${DRY_RUN}" -eq 0 ]] && dnf install -y sysbench >/dev/null 2>&1; then
  log "installed sysbench from a dnf repository: $(sysbench --version)"
  exit 0
fi

log "building sysbench from ${SOURCE}"
run dnf install -y gcc make automake autoconf libtool pkgconf-pkg-config openssl-devel \
  mariadb105-devel tar gzip

WORK_DIR="$(mktemp -d)"
cleanup() { rm -rf "${WORK_DIR}"; }
trap cleanup EXIT
TARBALL="${WORK_DIR}/sysbench.tar.gz"

case "${SOURCE}" in
  https://*) run curl --fail --silent --show-error --location --proto '=https' -o "${TARBALL}" "${SOURCE}" ;;
  s3://*) run aws s3 cp --region "${REGION}" --only-show-errors "${SOURCE}" "${TARBALL}" ;;
esac

if [[ -n "${SHA256}" ]]; then
  if [[ "${DRY_RUN}" -eq 1 ]]; then
    printf '+ sha256sum --check (%s)\n' "${SHA256}"
  else
    printf '%s  %s\n' "${SHA256,,}" "${TARBALL}" | sha256sum --check --status || {
      printf '%s: SHA-256 of %s does not match %s\n' "${PROG}" "${SOURCE}" "${SHA256}" >&2
      exit 1
    }
  fi
else
  log "warning: no --sha256 given, the tarball is not verified"
fi

SRC_DIR="${WORK_DIR}/src"
run mkdir -p "${SRC_DIR}"
run tar -xzf "${TARBALL}" -C "${SRC_DIR}" --strip-components=1
JOBS="$(nproc 2>/dev/null || printf '1')"
if [[ "${DRY_RUN}" -eq 1 ]]; then
  printf '+ (cd %s && ./autogen.sh && ./configure --prefix=%s --with-mysql --without-pgsql && make -j%s && make install)\n' \
    "${SRC_DIR}" "${INSTALL_PREFIX}" "${JOBS}"
else
  (
    cd "${SRC_DIR}"
    ./autogen.sh
    ./configure --prefix="${INSTALL_PREFIX}" --with-mysql --without-pgsql
    make -j"${JOBS}"
    make install
  )
  log "installed $("${INSTALL_PREFIX}/bin/sysbench" --version)"
fi
