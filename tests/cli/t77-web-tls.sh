#!/usr/bin/env bash
# t77-web-tls: qes serve over https (--tls-cert/--tls-key, libmicrohttpd with
# GnuTLS), the warning for plain http off loopback, --secure-cookie refused
# without TLS or a trusted proxy, and X-Forwarded-For believed only from the
# --trusted-proxy address (seen in the failed-login records, which the login
# rate limits count per address).
source "$(dirname "$0")/lib.sh"
for tool in curl openssl sqlite3; do
	if ! command -v $tool >/dev/null; then skip "$tool is not installed"; exit 0; fi
done
cd "$TMP"
R=$TMP/r.qes
check "init" "$QES" init "$R"
check "user" sh -c "echo 'tls-password-1' | '$QES' user add '$R' ann --role owner --initials AB"
check "a self-signed certificate" openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem \
	-out cert.pem -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
# start NAME SCHEME OPTIONS...: qes serve on a free loopback port; sets PORT.
start() {
	local name=$1 scheme=$2; shift 2
	"$QES" serve "$R" --listen 127.0.0.1:0 "$@" >"$name.out" 2>"$name.err" &
	PIDS+=($!)
	PORT=
	for _ in $(seq 100); do
		PORT=$(sed -n "s|.*$scheme://127\.0\.0\.1:\([0-9]*\)/.*|\1|p" "$name.out" 2>/dev/null)
		[ -n "$PORT" ] && curl -sfk "$scheme://127.0.0.1:$PORT/healthz" >/dev/null && return 0
		PORT=
		sleep 0.1
	done
	return 1
}

if start tls https --tls-cert cert.pem --tls-key key.pem; then
	ok "qes serve --tls-cert --tls-key says https"
	T=https://127.0.0.1:$PORT
	check_eq "/healthz over TLS (curl -k)" "$(curl -sk "$T/healthz")" ok
	check_eq "the certificate is the one given" "$(curl -s --cacert cert.pem "$T/healthz")" ok
	check_eq "/api without a session: 401" "$(curl -sk -o /dev/null -w '%{http_code}' "$T/api/screen/next")" 401
	hdr=$(curl -sk -D - -o /dev/null -H 'Content-Type: application/json' \
		-d '{"name":"ann","password":"tls-password-1"}' "$T/api/login")
	check_contains "login over https: 200" "$hdr" " 200"
	check_contains "the session cookie is Secure under TLS" "$hdr" "; Secure"
	check_eq "plain http to the TLS port gets no answer" "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" 000
	check_eq "no clear-text warning on loopback" "$(grep -c 'in the clear' tls.err)" 0
else
	not_ok "qes serve --tls-cert --tls-key says https" "$(cat tls.out tls.err)"
fi

check_fails "--tls-cert without --tls-key: usage" 2 "$QES" serve "$R" --listen 127.0.0.1:0 --tls-cert cert.pem
check_fails "a missing certificate: exit 4" 4 "$QES" serve "$R" --listen 127.0.0.1:0 --tls-cert nothere.pem --tls-key key.pem
echo "not a certificate" >junk.pem
check_fails "a file that is not PEM: exit 3" 3 "$QES" serve "$R" --listen 127.0.0.1:0 --tls-cert junk.pem --tls-key key.pem
check_fails "a key that does not go with the certificate: exit 3" 3 "$QES" serve "$R" --listen 127.0.0.1:0 --tls-cert cert.pem --tls-key cert.pem
out=$("$QES" serve "$R" --listen 127.0.0.1:0 --secure-cookie 2>&1); rc=$?
check_eq "--secure-cookie without TLS is refused (usage)" "$rc" 2
check_contains "and says why" "$out" "without TLS"
check_fails "--trusted-proxy must be a numeric address" 2 "$QES" serve "$R" --listen 127.0.0.1:0 --trusted-proxy proxy.example

# plain http on every address: the warning (port 0, stopped at once)
"$QES" serve "$R" --listen 0.0.0.0:0 >any.out 2>any.err &
p=$!
for _ in $(seq 50); do grep -q serving any.out 2>/dev/null && break; sleep 0.1; done
kill "$p"; wait "$p" 2>/dev/null
check_contains "plain http off loopback: the server says passwords travel in the clear" "$(cat any.err)" "passwords and session cookies travel in the clear"

# X-Forwarded-For: believed from the trusted proxy only
fail_login() {  # URL: one failed login claiming to come from 203.0.113.7
	curl -s -o /dev/null -H 'X-Forwarded-For: 198.51.100.1, 203.0.113.7' -H 'Content-Type: application/json' \
		-d '{"name":"ann","password":"wrong-password"}' "$1/api/login"
}
if start proxied http --trusted-proxy 127.0.0.1 --secure-cookie; then
	ok "--secure-cookie with --trusted-proxy starts (TLS at the proxy)"
	fail_login "http://127.0.0.1:$PORT"
	check_eq "from the trusted proxy, the last X-Forwarded-For address is the client" \
		"$(sqlite3 "$R" 'SELECT ip FROM web_login_failures ORDER BY id DESC LIMIT 1')" 203.0.113.7
	kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null
else
	not_ok "--secure-cookie with --trusted-proxy starts" "$(cat proxied.out proxied.err)"
fi
if start other http --trusted-proxy 192.0.2.1; then
	fail_login "http://127.0.0.1:$PORT"
	check_eq "from any other address, X-Forwarded-For is ignored" \
		"$(sqlite3 "$R" 'SELECT ip FROM web_login_failures ORDER BY id DESC LIMIT 1')" 127.0.0.1
else
	not_ok "serve with another trusted proxy" "$(cat other.out other.err)"
fi
if start none http; then
	fail_login "http://127.0.0.1:$PORT"
	check_eq "without --trusted-proxy, X-Forwarded-For is ignored" \
		"$(sqlite3 "$R" 'SELECT ip FROM web_login_failures ORDER BY id DESC LIMIT 1')" 127.0.0.1
else
	not_ok "serve without a proxy" "$(cat none.out none.err)"
fi
