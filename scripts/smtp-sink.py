#!/usr/bin/env python3
"""A local SMTP sink for the delivery tests (aiosmtpd; `scripts/install-deps.sh` installs it).

    scripts/smtp-sink.py DIR [--user U --password P]

Listens on 127.0.0.1 on a free port and prints `listening PORT` once ready. Each message received is saved as
DIR/NNN.eml (the raw DATA bytes, exactly as received after SMTP dot-unstuffing) with DIR/NNN.json beside it (the
envelope: mail_from, rcpt_tos, the login used). With --user/--password, AUTH (PLAIN/LOGIN) is offered without TLS
and required. Exits when its standard input closes, so a sink never outlives the test that started it.
"""
import argparse
import asyncio
import json
import logging
import os
import sys
import threading
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%03d" % self.count)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "login": login}, f)
        os.rename(base + ".tmp", base + ".eml")  # the .eml appears whole, after its .json
        return "250 OK saved"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == args.user and auth_data.password.decode() == args.password)
        # handled=False: aiosmtpd then answers 535 itself (with the default, a refused login gets no reply at all).
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def factory():
        if args.user:
            return SMTP(Sink.instance, hostname="sink.test", auth_require_tls=False, auth_required=True,
                        authenticator=authenticator)
        return SMTP(Sink.instance, hostname="sink.test")

    Sink.instance = Sink(args.folder)
    # AUTH without TLS is the point here (a local test sink); aiosmtpd warns about it on every connection.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    async def serve():
        server = await asyncio.get_running_loop().create_server(factory, host="127.0.0.1", port=0)
        print("listening %d" % server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    def exit_when_stdin_closes():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(serve())


if __name__ == "__main__":
    main()
