#!/usr/bin/env python3
"""Builds the fuzz seed corpora from tests/data/captures and RFC examples.

Seeds are generated, never committed: run this before `cargo fuzz run`.
Each target gets corpus/<target>/ with one file per seed.
"""
import hashlib
import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
CAPTURES = HERE.parent / "tests" / "data" / "captures"

RFC_COMMANDS = [
    b"EHLO bar.com\r\n",
    b"MAIL FROM:<Smith@bar.com>\r\n",
    b"RCPT TO:<Jones@foo.com>\r\n",
    b"MAIL FROM:<ned@thor.innosoft.com> SIZE=500000\r\n",
    b"MAIL FROM:<Sam@Random.com> BODY=BINARYMIME\r\n",
    b"BDAT 86 LAST\r\n",
    b"MAIL FROM:<Alice@Pure-Heart.ORG> RET=HDRS ENVID=QQ314159\r\n",
    b"RCPT TO:<Bob@Big-Bucks.COM> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob@Big-Bucks.COM\r\n",
    b"AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=\r\n",
    b"MAIL FROM:<e=mc2@example.com> AUTH=e+3Dmc2@example.com\r\n",
    b"RCPT TO:<u@[IPv6:2001:db8::1]>\r\n",
    b"MAIL FROM:<@a.example,@b.example:\"john doe\"@[192.0.2.1]>\r\n",
    b"XCLIENT NAME=spike.porcupine.org ADDR=168.100.189.2\r\n",
]


def write(target, data):
    folder = HERE / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def lines(data):
    return [line + b"\n" for line in data.split(b"\n") if line]


def replies(data):
    """Naive reply splitter: a reply ends at a line whose 4th byte is not '-'."""
    out, current = [], b""
    for line in lines(data):
        current += line
        if len(line) < 4 or line[3:4] != b"-":
            out.append(current)
            current = b""
    return out


TARGETS = [
    "parse_command", "parse_reply", "parse_ehlo", "roundtrip_command",
    "roundtrip_reply", "decode_data", "decode_bdat", "session_stream",
    "client_session",
]

# session_stream's input: flags (u16, little-endian: require HELO, forbid
# early input), the default size limit, 8 recipients, 30 errors, no splits
# and no answers (accept everything; a zero byte ends each list), then the
# client stream, which takes the rest as it is.
SESSION_HEADER = b"\x06\x00\x00\x00\x07\x1d\x00\x00"


def main():
    # Every target gets a corpus folder, seeded or not: libFuzzer refuses a
    # folder that does not exist.
    for target in TARGETS:
        (HERE / "corpus" / target).mkdir(parents=True, exist_ok=True)
    count = 0
    for seed in RFC_COMMANDS:
        write("parse_command", seed)
        count += 1
    for c2s in sorted(CAPTURES.glob("*/*.c2s")):
        data = c2s.read_bytes()
        write("session_stream", SESSION_HEADER + data)
        for line in lines(data)[:64]:
            write("parse_command", line[:2048])
        count += 1
        # Bodies after DATA, for the DATA decoder; chunks after BDAT.
        for match in re.finditer(rb"DATA\r\n", data):
            body = data[match.end():]
            end = body.find(b"\r\n.\r\n")
            if end >= 0:
                write("decode_data", body[: end + 5 + 16])
        for match in re.finditer(rb"BDAT (\d+)( LAST)?\r\n", data):
            size = int(match.group(1))
            write("decode_bdat", data[match.end(): match.end() + size + 16])
    for transcript in sorted((HERE.parent / "tests" / "data" / "rfc").glob("*.txt")):
        client = b""
        for line in transcript.read_bytes().splitlines():
            line = line.strip()
            if line.startswith(b"C:"):
                text = line[2:]
                client += (text[1:] if text.startswith(b" ") else text) + b"\r\n"
        write("session_stream", SESSION_HEADER + client)
        count += 1
    for s2c in sorted(CAPTURES.glob("*/*.s2c")):
        for reply in replies(s2c.read_bytes()):
            write("parse_reply", reply)
            if reply.startswith(b"250-") or reply.startswith(b"220"):
                write("parse_ehlo", reply)
            count += 1
    print(f"seeded corpus/ from {count} inputs")


if __name__ == "__main__":
    main()
