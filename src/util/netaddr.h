/* Client addresses behind reverse proxies: which peer may say who the
 * client is (X-Forwarded-For), and what it says. */
#ifndef AY_NETADDR_H
#define AY_NETADDR_H

#include <stddef.h>

#include "util/ay.h"

/* Whether list is a valid list of addresses and CIDR ranges (IPv4 or
 * IPv6), separated by commas or spaces; an empty list is valid. */
bool net_list_valid(const char *list);
/* Whether ip (text) is in list (as above). */
bool net_in_list(const char *ip, const char *list);
/* The client of a request from peer that carried xff (the X-Forwarded-For
 * values, in order, comma-separated; NULL when none): the peer itself
 * unless it is in trusted; else the right-most address of xff that is not
 * in trusted (stopping at anything that is not an address), as nginx's
 * real_ip_recursive does. Writes at most n bytes into out. */
void net_client_addr(const char *peer, const char *xff, const char *trusted,
		     char *out, size_t n);

#endif
