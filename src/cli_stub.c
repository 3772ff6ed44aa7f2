/* Verbs whose modules have not landed yet. */
#include <stdio.h>

#include "cli.h"

static int not_yet(const char *verb)
{
	fprintf(stderr, "ayuda: '%s' is not available in this build yet\n",
		verb);
	return 2;
}

int cli_mail_in(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return not_yet("mail-in");
}

int cli_fetch_mail(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return not_yet("fetch-mail");
}

int cli_send_mail(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return not_yet("send-mail");
}
