#!/bin/sh
# Run the SMTP and IMAP tests (tests/unit/test_mail_net.c) against real
# servers on loopback: Dovecot (IMAP, plain, STARTTLS and imaps with a
# self-signed certificate) and aiosmtpd (SMTP, plain and STARTTLS).
#
# Usage: tests/mail/run_net_tests.sh BUILD_DIR/test_mail_net
# Needs: root (Dovecot drops privileges to the mail user), dovecot-imapd,
# python3-aiosmtpd (/usr/bin/python3), openssl. Exit 77 when missing.
set -eu

bin=${1:?usage: $0 path/to/test_mail_net}
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3

command -v dovecot >/dev/null 2>&1 || { echo "skip: no dovecot"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "skip: no openssl"; exit 77; }
$py -c 'import aiosmtpd' 2>/dev/null || { echo "skip: no aiosmtpd"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: dovecot test needs root"; exit 77; }

d=$(mktemp -d /tmp/ay-mailnet.XXXXXX)
chmod 755 "$d"
dpid= spid=
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	for p in $spid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	if [ "${AY_KEEP:-}" ]; then echo "kept $d"; else rm -rf "$d"; fi
	true
}
trap cleanup EXIT INT TERM

ports=$($py -c '
import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
for s in ss: s.close()')
set -- $ports
imap_port=$1 imaps_port=$2 smtp_port=$3 smtps_port=$4

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$d/key.pem" -out "$d/cert.pem" >/dev/null 2>&1

# Dovecot: one user "test" with password "secret", maildir under $d.
mailuser=mail
id "$mailuser" >/dev/null 2>&1 || mailuser=nobody
uid=$(id -u "$mailuser") gid=$(id -g "$mailuser")
mkdir -p "$d/mail/test/new" "$d/mail/test/cur" "$d/mail/test/tmp" "$d/run" \
	"$d/state"
chown -R "$uid:$gid" "$d/mail"
echo "test:{PLAIN}secret::::::" > "$d/passwd"
cat > "$d/dovecot.conf" <<CONF
instance_name = ay-mailnet-$$
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$d/cert.pem
ssl_key = <$d/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$d/mail/%u
first_valid_uid = $uid
first_valid_gid = $gid
passdb {
  driver = passwd-file
  args = scheme=PLAIN $d/passwd
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$d/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $imaps_port
    ssl = yes
  }
}
CONF
dovecot -F -c "$d/dovecot.conf" > "$d/dovecot.out" 2>&1 &
dpid=$!

mkdir -p "$d/smtp" "$d/smtps"
$py "$here/smtpd.py" "$d/smtp" "$smtp_port" > "$d/smtpd.out" 2>&1 &
spid=$!
$py "$here/smtpd.py" "$d/smtps" "$smtps_port" "$d/cert.pem" "$d/key.pem" \
	> "$d/smtpsd.out" 2>&1 &
spid="$spid $!"

# Wait for the servers.
i=0
until $py -c "
import socket,sys
for p in ($imap_port,$imaps_port):
    socket.create_connection(('127.0.0.1',p),1).close()
" 2>/dev/null && [ -e "$d/smtp/ready" ] && [ -e "$d/smtps/ready" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		echo "servers did not start"; cat "$d"/*.out "$d/dovecot.log" 2>/dev/null
		exit 1
	fi
	sleep 0.1
done

AY_NET_DIR=$d AY_IMAP_PORT=$imap_port AY_IMAPS_PORT=$imaps_port \
AY_SMTP_PORT=$smtp_port AY_SMTPS_PORT=$smtps_port "$bin" || {
	rc=$?
	echo "--- dovecot.log"; tail -30 "$d/dovecot.log" 2>/dev/null
	echo "--- smtpd"; cat "$d/smtpd.out" "$d/smtpsd.out" 2>/dev/null
	exit $rc
}
