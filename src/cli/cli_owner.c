/* Who may write into the data directory: its owner only. A file that root
 * (or anyone else) creates there is one the service cannot write later. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/log.h"
#include "util/path.h"

const char *cli_data_dir(int argc, char **argv)
{
	const char *env = getenv("AYUDA_DATA");

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], "--data=", 7))
			return argv[i] + 7;
	}
	return env && *env ? env : "./data";
}

void cli_id_name(bool group, unsigned long id, char *out, size_t n)
{
	struct passwd *pw = group ? NULL : getpwuid((uid_t)id);
	struct group *gr = group ? getgrgid((gid_t)id) : NULL;
	const char *name = pw ? pw->pw_name : gr ? gr->gr_name : NULL;

	if (name)
		snprintf(out, n, "%s", name);
	else
		snprintf(out, n, "%lu", id);
}

/* The command line again, quoted for a shell where needed. */
static void print_argv(FILE *f, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		fputs(i ? " " : "", f);
		if (*a && !a[strcspn(a, " \t\n'\"\\$`!*?[]{}()<>|&;#~")]) {
			fputs(a, f);
			continue;
		}
		fputc('\'', f);
		for (; *a; a++)
			fputs(*a == '\'' ? "'\\''" : (char[]){*a, 0}, f);
		fputc('\'', f);
	}
}

int cli_owner_check(const char *verb, int argc, char **argv)
{
	static const char *const parts[] = {"", "ayuda.db", "raw",
					    "attachments"};
	const char *dir = cli_data_dir(argc, argv);
	bool mta = !strcmp(verb, "mail-in") && !isatty(2);
	char owner[64], group[64], me[64], path[4096];
	struct stat top, sb;

	if (stat(dir, &top))
		return 0; /* not made yet: init makes it ours */
	cli_id_name(false, top.st_uid, owner, sizeof(owner));
	cli_id_name(true, top.st_gid, group, sizeof(group));
	cli_id_name(false, geteuid(), me, sizeof(me));
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++) {
		char who[64];

		if (ay_path(path, sizeof(path), "%s%s%s", dir,
			    *parts[i] ? "/" : "", parts[i]) ||
		    stat(path, &sb))
			continue;
		if (sb.st_uid == top.st_uid && top.st_uid == geteuid())
			continue;
		cli_id_name(false, sb.st_uid, who, sizeof(who));
		if (mta) {
			/* An MTA shows stderr to the sender: the details and
			 * the fix go to the log. */
			log_to_syslog("ayuda-mail-in");
			log_error("data directory of another user",
				  "path=\"%s\" owner=\"%s\" user=\"%s\" "
				  "fix=\"chown -R %s:%s %s\"",
				  path, who, me, owner, group, dir);
			fputs("ayuda mail-in: " CLI_MSG_TEMPFAIL "\n", stderr);
			return 75; /* EX_TEMPFAIL: the MTA retries */
		}
		if (sb.st_uid != top.st_uid) {
			fprintf(stderr,
				"ayuda: '%s' pertenece a '%s', no a '%s', "
				"dueño de '%s'; el servicio no podrá "
				"escribirlo.\nArréglelo con:\n  chown -R %s:%s "
				"%s\n",
				path, who, owner, dir, owner, group, dir);
			return 77; /* EX_NOPERM */
		}
		fprintf(stderr,
			"ayuda: '%s' pertenece a '%s' y este comando se "
			"ejecuta "
			"como '%s': lo que escriba ahí no podrá escribirlo "
			"'%s' después.\nEjecútelo como el dueño:\n  runuser -u "
			"%s -- ",
			dir, owner, me, owner, owner);
		print_argv(stderr, argc, argv);
		fprintf(stderr,
			"\no, si '%s' debe ser el dueño de todo:\n  chown -R "
			"%s: %s\n",
			me, me, dir);
		return 77;
	}
	return 0;
}
