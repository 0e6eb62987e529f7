#!/usr/bin/python3
"""A real local SMTP server for the mail tests (Debian's python3-aiosmtpd): every message it
accepts is written to FOLDER as N.eml (written to N.eml.tmp, then renamed, so a reader never
sees half a message); a recipient whose address starts with "refuse" is answered 550, as a
relay that refuses would. Prints "ready" once listening.

Usage: smtp_sink.py PORT FOLDER"""
import os
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refuse"):
            return "550 5.7.1 refused by the test relay"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        path = os.path.join(self.folder, f"{time.time_ns()}-{self.n}.eml")
        with open(path + ".tmp", "wb") as f:
            f.write(f"X-Envelope-To: {','.join(envelope.rcpt_tos)}\r\n".encode())
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # until the test closes our stdin (or is gone)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
