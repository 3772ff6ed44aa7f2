/* The command-line verbs implemented outside main.c (src/cli/). Each
 * returns the exit status. */
#ifndef AY_CLI_H
#define AY_CLI_H

#include <stdio.h>
#include <sys/types.h>

#include "domain/mailin.h"
#include "sla/bizcal.h"

/* Looks up a calendar by name for the CLI. Borrowed: the calendar must stay
 * valid until sla_cli_due() returns. NULL when there is no such calendar. */
typedef const struct sla_calendar *(*sla_lookup_fn)(const char *name,
						    void *arg);

/* `ayuda sla due`: argv[0] is the verb ("due"), options follow:
 *   --start ISO8601 --minutes N [--clock business|calendar] [--calendar NAME]
 *   --batch [--clock C] [--calendar NAME]   lines "START MINUTES [CLOCK
 *           [CALENDAR]]" on stdin, one answer (or "error: reason") a line
 *   --help
 * Options also take the form --opt=value. Prints the due instant in the
 * calendar's zone. Returns the exit status: 0 ok, 1 an answer failed (bad
 * batch line, unknown calendar, out of range), 2 usage error. */
int sla_cli_due(int argc, char **argv,
		const struct sla_calendar *(*lookup)(const char *name,
						     void *arg),
		void *arg);
/* sla_cli_due() on explicit streams (for tests; cli_due.c). */
int sla_cli_due_io(int argc, char **argv, sla_lookup_fn lookup, void *arg,
		   FILE *in, FILE *out, FILE *errf);

/* What `mail-in` tells the MTA when it should retry (domain/mailin.h). */
#define CLI_MSG_TEMPFAIL MAILIN_MSG_TEMPFAIL

/* The data directory of a command line (argv[0] is the program): --data
 * DIR, else $AYUDA_DATA, else ./data. Borrowed from argv or environ. */
const char *cli_data_dir(int argc, char **argv);
/* The name of a user (or, with group, a group), or its number when it has
 * none. */
void cli_id_name(bool group, unsigned long id, char *out, size_t n);
/* 0 when this process may write into the data directory of the command
 * line: it does not exist yet, or it, its database, raw/ and attachments/
 * belong to the user running us. Otherwise prints the command that fixes
 * it and returns the exit status: 77 (EX_NOPERM), or 75 for `mail-in`
 * under an MTA, which then retries, with the details in the log. */
int cli_owner_check(const char *verb, int argc, char **argv);

/* `ayuda doctor` (cli_doctor.c). */
int cli_doctor(int argc, char **argv);
int cli_sla(int argc, char **argv);
int cli_calendar(int argc, char **argv);
int cli_mail_in(int argc, char **argv);
int cli_fetch_mail(int argc, char **argv);
int cli_send_mail(int argc, char **argv);
/* `ayuda backup DEST` and `ayuda blobs gc` (cli_backup.c). */
int cli_backup(int argc, char **argv);
int cli_blobs(int argc, char **argv);
/* `ayuda migrate --to postgresql://...` (cli_migrate.c). */
int cli_migrate(int argc, char **argv);
/* `ayuda reports rebuild` (cli_reports.c). */
int cli_reports(int argc, char **argv);

#endif
