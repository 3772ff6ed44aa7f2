#!/bin/sh
# Install every Debian package ayuda needs to build, test and benchmark.
# A quick no-op when everything is present. Needs root (or sudo) to install.
set -eu

PKGS="build-essential cmake pkg-config clang clang-format libclang-rt-14-dev
libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev libgmime-3.0-dev
libcurl4-openssl-dev libmagic-dev libsodium-dev libicu-dev libinih-dev
libcmocka-dev gettext wrk curl nodejs openssl
python3 python3-aiosmtpd dovecot-imapd
brotli libbrotli-dev zlib1g-dev chromium postfix
libmd4c-dev libstemmer-dev postgresql postgresql-client libpq-dev"
# make bench and bench-large compare GET with nginx serving a static file.
[ "${1:-}" = "--bench" ] && PKGS="$PKGS nginx"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
# nodejs may come from elsewhere (nodesource); accept any node >= 18.
if command -v node >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed 's/ nodejs//')
fi
[ -z "$(echo "$missing" | tr -d ' ')" ] && exit 0

echo "deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Postfix is for tests/postfix, which runs an instance of its own: a new
# one stays unconfigured ("No configuration") and stopped.
case " $missing " in
*" postfix "*)
	echo "postfix postfix/main_mailer_type select No configuration" |
		$SUDO debconf-set-selections
	;;
esac
$SUDO apt-get update -qq >/dev/null 2>&1 || $SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Debian starts these daemons on install; the tests run their own on loopback.
# A Postfix configured for mail (main.cf: README, "Delivering with Postfix")
# is the server's own: leave it running.
# An nginx that was there already (a reverse proxy in front of ayuda) is
# the server's own too: only one installed just now for make bench stops.
for svc in dovecot postfix nginx; do
	if [ "$svc" = postfix ] && [ -e /etc/postfix/main.cf ]; then
		continue
	fi
	case "$svc: $missing " in
	"nginx:"*" nginx "*) ;;
	nginx:*) continue ;;
	esac
	if command -v systemctl >/dev/null 2>&1; then
		$SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
	fi
	$SUDO service "$svc" stop >/dev/null 2>&1 || true
done
