#!/bin/bash
# The README's "Delivering with Postfix" steps, run against a real Postfix
# from Debian's package: its own config, queue and data directories under a
# temporary directory, listening on free loopback ports. The Postfix
# commands and ayuda.conf lines are read from README.md (the blocks marked
# <!-- postfix-test: NAME -->), so the README cannot drift from what works.
#
# usage: postfix_test.sh AYUDA_BIN README.md
# Needs root (Postfix's own start-up, a system user for the pipe); exits 77
# (skipped) otherwise.
set -euo pipefail

BIN=$1
README=$2
U=ayudatest # the pipe's user: the README's "ayuda"
PATH=$PATH:/usr/sbin:/sbin

# The README, the systemd unit and the pipe agree on the data's owner.
owner=$(sed -n 's/^User=//p' "$(dirname "$README")/contrib/ayuda.service")
grep -q "^install -d -o $owner -g $owner .*/var/lib/ayuda$" "$README" ||
	{ echo "FAIL: README's data directory is not owned by '$owner'" >&2; exit 1; }
awk '/<!-- postfix-test: inbound -->/,/^postfix reload/' "$README" |
	grep -q "user=$owner argv=" ||
	{ echo "FAIL: README's pipe does not run as '$owner'" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
	echo "skip: needs root"
	exit 77
fi
if ! command -v postfix >/dev/null; then
	echo "FAIL: Postfix is not installed (scripts/deps.sh installs it)" >&2
	exit 1
fi
id -u "$U" >/dev/null 2>&1 ||
	useradd --system --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin "$U"

T=$(mktemp -d /tmp/ayuda-postfix-XXXXXX)
chmod 0755 "$T"
PF="postfix -c $T/etc"

cleanup() {
	local pid
	if [ -f "$T/queue/pid/master.pid" ]; then
		pid=$(tr -d ' ' <"$T/queue/pid/master.pid")
		$PF stop >/dev/null 2>&1 || true
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "FAIL: $*" >&2
	echo "--- Postfix log" >&2
	tail -n 40 "$T/maillog" >&2 2>/dev/null || true
	exit 1
}

# Wait up to 30 s for a command to succeed.
wait_for() {
	local what=$1
	shift
	for _ in $(seq 300); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	fail "timed out waiting for $what"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The code of a block of README.md marked <!-- postfix-test: NAME -->.
readme_block() {
	awk -v name="$1" '
		$0 == "<!-- postfix-test: " name " -->" { want = 1; next }
		want && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }
	' "$README"
}

# The README's paths and names, for this test's instance.
localize() {
	sed -e "s#/etc/postfix#$T/etc#g" \
		-e "s#^postconf #postconf -c $T/etc #" \
		-e "s#^postmap #postmap -c $T/etc #" \
		-e "s#^postfix #postfix -c $T/etc #" \
		-e "s#/usr/local/bin/ayuda#$T/bin/ayuda#g" \
		-e "s#/var/lib/ayuda#$T/data#g" \
		-e "s#user=ayuda#user=$U#g" \
		-e "s#smtp://127.0.0.1:25#smtp://127.0.0.1:$PORT_LOCAL#g"
}

# SMTP from a client: prints the server's answer to RCPT or DATA.
smtp_send() { # PORT FROM TO FILE
	python3 - "$@" <<'PY'
import smtplib, sys
port, frm, to, path = sys.argv[1:5]
s = smtplib.SMTP("127.0.0.1", int(port), timeout=30)
s.ehlo("client.example.net")
s.mail(frm)
code, msg = s.rcpt(to)
if code >= 300:
    print(code, msg.decode(errors="replace"))
else:
    code, msg = s.data(open(path, "rb").read())
    print(code, msg.decode(errors="replace"))
s.quit()
PY
}

# As the pipe's user: root would leave root-owned -wal and -shm files.
sql() {
	runuser -u "$U" -- sqlite3 "$T/data/ayuda.db" "$1"
}

sql_is() { # QUERY VALUE
	[ "$(sql "$1")" = "$2" ]
}

PORT_NET=$(free_port)   # plays port 25 as the internet sees it
PORT_LOCAL=$(free_port) # plays port 25 as ayuda on the server sees it
mkdir -p "$T/etc" "$T/bin" "$T/sink" "$T/queue"
install -d -o postfix -m 0700 "$T/lib"
chown "$U" "$T/sink"

# The data directory, as "Installing on a server" makes it.
install -m 0755 "$BIN" "$T/bin/ayuda"
install -d -o "$U" -g "$U" -m 0750 "$T/data"
runuser -u "$U" -- "$T/bin/ayuda" init --data "$T/data" >/dev/null 2>&1

# Postfix as Debian's "Internet Site" leaves it (main.cf.debian and the
# postinst's answers), on loopback ports and this test's directories.
cat >"$T/etc/main.cf" <<CF
$(grep -v '^#' /usr/share/postfix/main.cf.debian)
myhostname = mx.example.com
mydestination = \$myhostname, localhost
relayhost =
mynetworks = 127.0.0.0/8
mailbox_size_limit = 0
recipient_delimiter = +
inet_interfaces = loopback-only
inet_protocols = ipv4
alias_maps =
alias_database =
queue_directory = $T/queue
data_directory = $T/lib
meta_directory = /etc/postfix
maillog_file = $T/maillog
maillog_file_prefixes = $T
smtputf8_enable = yes
CF
# The first listener plays the Internet's view (no relaying, no headers
# added for the client); the second, ayuda's outbound mail from the same
# machine.
cat >"$T/etc/master.cf" <<CF
127.0.0.1:$PORT_NET inet n - n - - smtpd
  -o smtpd_relay_restrictions=defer_unauth_destination
  -o local_header_rewrite_clients=
127.0.0.1:$PORT_LOCAL inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
sink      unix  -       n       n       -       -       pipe
  flags=F user=$U argv=$T/sink.sh \${queue_id}
CF
printf '#!/bin/sh\ncat > %s/sink/"$1".eml\n' "$T" >"$T/sink.sh"
chmod 0755 "$T/sink.sh"
$PF start >"$T/start.out" 2>&1 || fail "Postfix did not start: $(cat "$T/start.out")"
wait_for "Postfix on 127.0.0.1:$PORT_NET" python3 -c \
	"import socket; socket.create_connection(('127.0.0.1', $PORT_NET), 1)"

# The README's steps, as an administrator runs them.
readme_block inbound | localize >"$T/inbound.sh"
grep -q relay_domains "$T/inbound.sh" || fail "no 'inbound' block in README.md"
bash -euo pipefail "$T/inbound.sh" >"$T/inbound.out" 2>&1 ||
	fail "README inbound steps failed: $(cat "$T/inbound.out")"
readme_block ayuda.conf | localize >>"$T/data/ayuda.conf"
grep -q support_address "$T/data/ayuda.conf" || fail "no 'ayuda.conf' block"
# Mail for the senders (example.net) lands in files, as sink.sh writes.
echo "example.net sink:" >>"$T/etc/transport"
postmap -c "$T/etc" "$T/etc/transport"
$PF reload >/dev/null 2>&1
echo "ok - README's inbound steps and ayuda.conf applied"

msg() { # FILE SUBJECT [EXTRA-HEADER]
	{
		printf 'From: Ana <ana@example.net>\r\nTo: soporte@example.com\r\n'
		printf 'Subject: %s\r\nMessage-ID: <%s@example.net>\r\n' "$2" "$RANDOM$RANDOM"
		[ -z "${3:-}" ] || printf '%s\r\n' "$3"
		printf '\r\nNo puedo exportar.\r\n'
	} >"$1"
}

# 1. A mail from the Internet becomes a ticket.
msg "$T/m1.eml" "Exportar contactos"
r=$(smtp_send "$PORT_NET" ana@example.net soporte@example.com "$T/m1.eml")
[[ $r == 250* ]] || fail "the support address was refused: $r"
wait_for "a ticket from the mail" sql_is "SELECT COUNT(*) FROM tickets WHERE subject = 'Exportar contactos'" 1
echo "ok - a mail to the support address becomes a ticket"

# 2. Unknown addresses of the domain and other domains are refused at once.
r=$(smtp_send "$PORT_NET" ana@example.net nadie@example.com "$T/m1.eml")
[[ $r == 550* ]] || fail "an unknown recipient was not refused: $r"
r=$(smtp_send "$PORT_NET" ana@example.net alguien@example.org "$T/m1.eml")
[[ $r == 454* || $r == 554* ]] || fail "Postfix relays for anyone: $r"
echo "ok - unknown recipients and other domains are refused in the SMTP dialogue"

# 3. What the README promises fits: an 8 MiB PDF.
python3 - "$T/big.eml" <<'PY'
import base64, os, sys
pdf = b"%PDF-1.4\n" + os.urandom(8 << 20)
b64 = base64.encodebytes(pdf).replace(b"\n", b"\r\n")
open(sys.argv[1], "wb").write(
    b"From: ana@example.net\r\nTo: soporte@example.com\r\nSubject: Factura grande\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    b"--b\r\nContent-Type: text/plain\r\n\r\nAdjunto.\r\n--b\r\n"
    b"Content-Type: application/pdf; name=f.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    + b64 + b"--b--\r\n")
PY
r=$(smtp_send "$PORT_NET" ana@example.net soporte@example.com "$T/big.eml")
[[ $r == 250* ]] || fail "an 8 MiB attachment was refused: $r"
wait_for "the 8 MiB attachment" sql_is "SELECT COUNT(*) FROM attachments WHERE size > 8000000" 1
echo "ok - an 8 MiB PDF arrives"

# 4. A message that can never be accepted bounces with a short reason.
printf 'To: soporte@example.com\r\nSubject: sin remitente\r\n\r\nx\r\n' >"$T/bad.eml"
r=$(smtp_send "$PORT_NET" ana@example.net soporte@example.com "$T/bad.eml")
[[ $r == 250* ]] || fail "the message was refused in SMTP: $r"
wait_for "the bounce" grep -l "sin remitente" -r "$T/sink"
bounce=$(grep -l "sin remitente" -r "$T/sink")
grep -q "no sender address" "$bounce" || fail "the bounce gives no reason: $(cat "$bounce")"
for leak in "level=" "sql" "ts=" "$T/data"; do
	! grep -q -- "$leak" "$bounce" || fail "the bounce shows '$leak'"
done
echo "ok - a refused message bounces to its sender with a short human reason"

# 5. An unavailable store defers; the mail arrives once the store is back.
chmod 0440 "$T/data/ayuda.db"
msg "$T/m2.eml" "Mientras tanto"
r=$(smtp_send "$PORT_NET" ana@example.net soporte@example.com "$T/m2.eml")
[[ $r == 250* ]] || fail "refused while the store is down: $r"
wait_for "the deferral" sh -c "postqueue -c $T/etc -p | grep -q 'Command output'"
queue=$(postqueue -c "$T/etc" -p)
grep -q "se reintentará" <<<"$queue" || fail "the deferral gives no human reason: $queue"
for leak in "level=" "sql" "BEGIN" "readonly" "$T/data"; do
	! grep -q -- "$leak" <<<"$queue" || fail "the deferral shows '$leak': $queue"
done
chmod 0640 "$T/data"/ayuda.db*
postqueue -c "$T/etc" -f
wait_for "the deferred mail" sql_is "SELECT COUNT(*) FROM tickets WHERE subject = 'Mientras tanto'" 1
wait_for "an empty queue" sh -c "postqueue -c $T/etc -p | grep -q 'Mail queue is empty'"
echo "ok - an unavailable store defers, and the mail arrives after a flush"

# 6. Answers leave through the same Postfix (ayuda.conf from the README).
runuser -u "$U" -- "$T/bin/ayuda" send-mail --once --data "$T/data" >/dev/null 2>&1 ||
	fail "send-mail failed"
wait_for "the acknowledgement" grep -q -r "Ticket#1\]" "$T/sink"
echo "ok - the acknowledgement reaches the sender through Postfix"

# 7. ayuda doctor approves this Postfix, and finds each mistake made on
# purpose (the other checks are in tests/api/doctor.test.mjs).
doctor_postfix() {
	MAIL_CONFIG="$T/etc" "$T/bin/ayuda" doctor --data "$T/data" |
		grep -E '^[A-Z-]+ +postfix: |^ok +postfix: ' || true
}
out=$(doctor_postfix)
grep -q "^ok .*postfix: el servicio «ayuda» entrega en $T/data como $U" <<<"$out" ||
	fail "doctor does not see the pipe: $out"
! grep -q "^FALLA" <<<"$out" || fail "doctor faults the README's Postfix: $out"
mistake() { # WHAT BREAK RESTORE EXPECTED
	eval "$2"
	out=$(doctor_postfix)
	eval "$3"
	grep -q "^FALLA  postfix: .*$4" <<<"$out" || fail "doctor misses $1: $out"
	echo "ok - doctor finds $1"
}
PC="postconf -c $T/etc -e"
mistake "Postfix's default message size" \
	"$PC 'message_size_limit = 10240000'" "$PC 'message_size_limit = 52428800'" \
	"message_size_limit = 10240000 rechaza mensajes"
mistake "the support domain missing from relay_domains" \
	"$PC 'relay_domains ='" "$PC 'relay_domains = example.com'" \
	"example.com no está en relay_domains"
mistake "the support domain in mydestination" \
	"$PC 'mydestination = \$myhostname, localhost, example.com'" \
	"$PC 'mydestination = \$myhostname, localhost'" \
	"example.com está en mydestination"
mistake "no route to the pipe" \
	"$PC 'transport_maps ='" "$PC 'transport_maps = hash:$T/etc/transport'" \
	"transport_maps no lleva soporte@example.com al servicio «ayuda»"
mistake "a pipe that runs as another user" \
	"sed -i 's/user=$U /user=nobody /' $T/etc/master.cf" \
	"sed -i 's/user=nobody /user=$U /' $T/etc/master.cf" \
	"corre como «nobody», pero $T/data es de $U"
