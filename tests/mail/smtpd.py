#!/usr/bin/python3
"""Test SMTP server (aiosmtpd) for tests/mail/run_net_tests.sh.

Usage: smtpd.py DIR PORT [CERT KEY]
Stores each accepted message as DIR/N.eml (bytes as received) and its
envelope as DIR/N.env ("MAIL FROM\\nRCPT...\\n"). Recipients starting with
"reject" get 550, with "tempfail" get 451; while DIR/reject-all exists,
every recipient gets 554 (a relay that refuses us). A message to a recipient
starting with "hold" is held before its answer (DIR/held-N names the
message's recipients) until DIR/release exists: a test kills the sender
meanwhile, and a message whose client went away is not stored (as an MTA
that never answered DATA). With CERT and KEY, offers
STARTTLS. Writes DIR/ready when listening; stops on SIGTERM.
"""
import asyncio
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, d):
        self.d = d
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if os.path.exists(os.path.join(self.d, "reject-all")):
            return "554 5.7.1 relay access denied"
        if address.startswith("reject"):
            return "550 5.1.1 no such user here"
        if address.startswith("tempfail"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(r.startswith("hold") for r in envelope.rcpt_tos):
            if not os.path.exists(os.path.join(self.d, "release")):
                self.held = getattr(self, "held", 0) + 1
                with open(os.path.join(self.d, "held-%d" % self.held), "w") as f:
                    f.write("\n".join(envelope.rcpt_tos) + "\n")
            while not os.path.exists(os.path.join(self.d, "release")):
                if server.transport is None or server.transport.is_closing():
                    return "421 4.3.0 client gone"
                await asyncio.sleep(0.05)
            if server.transport is None or server.transport.is_closing():
                return "421 4.3.0 client gone"
        self.n += 1
        base = os.path.join(self.d, str(self.n))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".env", "w") as f:
            f.write(envelope.mail_from + "\n")
            for r in envelope.rcpt_tos:
                f.write(r + "\n")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Message accepted"


def main():
    d, port = sys.argv[1], int(sys.argv[2])
    kw = {}
    if len(sys.argv) > 4:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        kw["tls_context"] = ctx
    c = Controller(Handler(d), hostname="127.0.0.1", port=port, **kw)
    c.start()
    open(os.path.join(d, "ready"), "w").close()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    done.wait()
    c.stop()


if __name__ == "__main__":
    main()
