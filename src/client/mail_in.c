/* ayuda-mail-in: `ayuda mail-in` for an MTA's pipe, in a program that
 * links nothing but the C library, so that a process per message starts
 * in a fraction of a millisecond. It hands the message to the `ayuda
 * serve` of the data directory over its socket (protocol:
 * util/mailsock_wire.h) and prints and exits as `ayuda mail-in` would. When no
 * server listens there, or for anything but one message on stdin, it runs
 * `ayuda mail-in` itself (the `ayuda` beside this program, else the one
 * on PATH) with the same arguments and the untouched stdin. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "domain/mailin.h"
#include "util/mailsock_wire.h"

#define EX_DATAERR  65
#define EX_TEMPFAIL 75

/* Run `ayuda mail-in ARGS...`: never returns. */
static void run_full(int argc, char **argv)
{
	char self[PATH_MAX], full[PATH_MAX + 8];
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (!args) {
		fputs("ayuda mail-in: " MAILIN_MSG_TEMPFAIL "\n", stderr);
		exit(EX_TEMPFAIL);
	}
	args[0] = "ayuda";
	args[1] = "mail-in";
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(full, sizeof(full), "%s/ayuda", self);
			execv(full, args);
		}
	}
	execvp("ayuda", args);
	fprintf(stderr, "ayuda mail-in: cannot run ayuda: %s\n",
		strerror(errno));
	exit(EX_TEMPFAIL);
}

/* The data directory, as `ayuda mail-in` finds it; NULL when the
 * arguments ask for more than one message on stdin. */
static const char *data_dir(int argc, char **argv)
{
	const char *dir = NULL, *env = getenv("AYUDA_DATA");

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			dir = argv[++i];
		else if (!strncmp(argv[i], "--data=", 7))
			dir = argv[i] + 7;
		else
			return NULL;
	}
	if (dir)
		return dir;
	return env && *env ? env : "./data";
}

/* Read all of stdin into *out (at most AY_MAILSOCK_MAX + 1 bytes). */
static int read_stdin(char **out, size_t *len)
{
	size_t cap = 65536;
	char *p = malloc(cap);

	*len = 0;
	if (!p)
		return -1;
	for (;;) {
		ssize_t n;

		if (*len == cap) {
			char *np = cap > AY_MAILSOCK_MAX ? NULL
							 : realloc(p, cap * 2);

			if (!np) {
				free(p);
				return cap > AY_MAILSOCK_MAX ? 1 : -1;
			}
			p = np;
			cap *= 2;
		}
		n = read(0, p + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(p);
			return -1;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	*out = p;
	return *len > AY_MAILSOCK_MAX ? 1 : 0;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Send the message and print the server's answer; the exit status. */
static int hand_over(int fd)
{
	char head[32], answer[8192], *text = NULL, *raw = NULL;
	size_t len = 0, got = 0;
	int r = read_stdin(&raw, &len), status;

	if (r > 0) {
		fputs("ayuda mail-in: message too large\n", stderr);
		return EX_DATAERR;
	}
	if (r < 0) {
		fputs("ayuda mail-in: cannot read stdin\n", stderr);
		return EX_TEMPFAIL;
	}
	snprintf(head, sizeof(head), "%zu\n", len);
	r = send_all(fd, head, strlen(head)) || send_all(fd, raw, len);
	free(raw);
	while (!r && got < sizeof(answer) - 1) {
		ssize_t n = read(fd, answer + got, sizeof(answer) - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	answer[got] = '\0';
	status = (int)strtol(answer, &text, 10);
	if (r || !got || answer[got - 1] != '\n' || text == answer ||
	    *text != ' ' ||
	    (status != 0 && status != EX_DATAERR && status != EX_TEMPFAIL)) {
		/* The server went away: whether the message was kept is
		 * unknown, so the MTA retries (a copy is recognised). */
		fputs("ayuda mail-in: " MAILIN_MSG_TEMPFAIL "\n", stderr);
		return EX_TEMPFAIL;
	}
	answer[got - 1] = '\0';
	text++;
	if (status)
		fprintf(stderr, "ayuda mail-in: %s\n", text);
	else
		puts(text);
	return status;
}

int main(int argc, char **argv)
{
	const char *dir = data_dir(argc, argv);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, status;

	if (!dir || snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir,
			     AY_MAILSOCK_NAME) >= (int)sizeof(sa.sun_path))
		run_full(argc, argv);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (fd >= 0)
			close(fd);
		run_full(argc, argv);
	}
	status = hand_over(fd);
	close(fd);
	return status;
}
