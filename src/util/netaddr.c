/* Client addresses behind reverse proxies (see netaddr.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/netaddr.h"

/* An address as 16 bytes (IPv4 as IPv4-mapped IPv6) and its prefix. */
struct net {
	unsigned char a[16];
	int bits;
};

static bool parse_ip(const char *s, size_t len, struct net *out)
{
	char tmp[64];
	unsigned char v4[4];

	if (len == 0 || len >= sizeof(tmp))
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, v4) == 1) {
		memset(out->a, 0, 10);
		out->a[10] = out->a[11] = 0xff;
		memcpy(out->a + 12, v4, 4);
		out->bits = 128;
		return true;
	}
	if (inet_pton(AF_INET6, tmp, out->a) == 1) {
		out->bits = 128;
		return true;
	}
	return false;
}

static bool is_v4(const struct net *n)
{
	static const unsigned char pre[12] = {0, 0, 0, 0, 0,	0,
					      0, 0, 0, 0, 0xff, 0xff};

	return !memcmp(n->a, pre, sizeof(pre));
}

/* "ADDR" or "ADDR/BITS" (len bytes of s). */
static bool parse_net(const char *s, size_t len, struct net *out)
{
	const char *slash = memchr(s, '/', len);
	long bits;
	char *end;
	char num[8];
	size_t nl;

	if (!slash)
		return parse_ip(s, len, out);
	if (!parse_ip(s, (size_t)(slash - s), out))
		return false;
	nl = len - (size_t)(slash - s) - 1;
	if (nl == 0 || nl >= sizeof(num))
		return false;
	memcpy(num, slash + 1, nl);
	num[nl] = '\0';
	bits = strtol(num, &end, 10);
	if (*end || bits < 0 || bits > (is_v4(out) ? 32 : 128))
		return false;
	out->bits = (int)bits + (is_v4(out) ? 96 : 0);
	return true;
}

static bool net_has(const struct net *n, const struct net *ip)
{
	int full = n->bits / 8, rest = n->bits % 8;

	if (memcmp(n->a, ip->a, (size_t)full))
		return false;
	if (!rest)
		return true;
	return ((n->a[full] ^ ip->a[full]) & (0xff << (8 - rest))) == 0;
}

/* Call fn on each item of a comma or space separated list; stops and
 * returns false when fn does. */
static bool each_item(const char *list,
		      bool (*fn)(const char *, size_t, void *), void *arg)
{
	const char *p = list ? list : "";

	while (*p) {
		size_t n;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n && !fn(p, n, arg))
			return false;
		p += n;
	}
	return true;
}

static bool item_valid(const char *s, size_t n, void *arg)
{
	struct net net;

	(void)arg;
	return parse_net(s, n, &net);
}

bool net_list_valid(const char *list)
{
	return each_item(list, item_valid, NULL);
}

/* each_item callback: false (stop) when the network holds the address. */
static bool item_misses(const char *s, size_t n, void *arg)
{
	struct net net;

	return !parse_net(s, n, &net) || !net_has(&net, arg);
}

static bool in_list(const struct net *ip, const char *list)
{
	return !each_item(list, item_misses, (void *)ip);
}

bool net_in_list(const char *ip, const char *list)
{
	struct net a;

	return ip && parse_ip(ip, strlen(ip), &a) && in_list(&a, list);
}

/* Write the address (s, len) into out, trimmed. */
static void put(const char *s, size_t len, char *out, size_t n)
{
	snprintf(out, n, "%.*s", (int)len, s);
}

void net_client_addr(const char *peer, const char *xff, const char *trusted,
		     char *out, size_t n)
{
	const char *p, *q;
	struct net a;

	put(peer, strlen(peer), out, n);
	if (!xff || !trusted || !*trusted || !net_in_list(peer, trusted))
		return;
	/* From the right: each hop was appended by the proxy after it. */
	for (p = xff + strlen(xff);; p = q - 1) {
		const char *s;
		size_t len;

		for (q = p; q > xff && q[-1] != ','; q--)
			;
		for (s = q; s < p && isspace((unsigned char)*s); s++)
			;
		for (len = (size_t)(p - s);
		     len && isspace((unsigned char)s[len - 1]); len--)
			;
		if (!parse_ip(s, len, &a))
			return; /* not an address: keep the last good hop */
		put(s, len, out, n);
		if (!in_list(&a, trusted) || q == xff)
			return;
	}
}
