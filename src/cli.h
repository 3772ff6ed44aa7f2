/* CLI verbs implemented outside main.c. Each returns the exit status. */
#ifndef AY_CLI_H
#define AY_CLI_H

int cli_sla(int argc, char **argv);
int cli_calendar(int argc, char **argv);
int cli_mail_in(int argc, char **argv);
int cli_fetch_mail(int argc, char **argv);
int cli_send_mail(int argc, char **argv);

#endif
