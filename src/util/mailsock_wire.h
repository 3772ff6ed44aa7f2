/* The local socket through which `ayuda-mail-in` hands a message to a
 * running `ayuda serve` (jobs/mailsock.c, client/mail_in.c). Constants
 * only: the client includes this and nothing else of ayuda.
 *
 * The socket is DATA_DIR/mail-in.sock (mode 0600, like the database).
 * The client sends the length of the message in decimal and a newline,
 * then the message (at most AY_MAILSOCK_MAX bytes: a longer one is refused
 * by the client itself); a connection that ends before the last byte
 * delivers nothing. The server delivers it, and only after the commit
 * answers one line,
 * "STATUS TEXT\n": STATUS is the exit status of `ayuda mail-in` (0, 65,
 * 75), TEXT what it prints (the JSON line on stdout for 0, else the
 * reason on stderr). No answer means nothing is known: the client exits
 * 75 and the MTA retries (a message delivered twice is recognised by its
 * Message-ID). */
#ifndef AY_MAILSOCK_WIRE_H
#define AY_MAILSOCK_WIRE_H

#define AY_MAILSOCK_NAME "mail-in.sock"
#define AY_MAILSOCK_MAX	 ((size_t)50 << 20) /* = MAIL_MAX_RAW */

#endif
