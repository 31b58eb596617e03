"""Live client for tests/codec.rs: sends mail to tokio-sink from several
threads at once, over smtplib (DATA) and a raw socket (pipelined BDAT),
and writes every message it sent to OUT_DIR for a byte-for-byte comparison.

Standard library only. Usage: live_client.py PORT OUT_DIR THREADS PER_THREAD
"""

import os
import random
import smtplib
import socket
import sys
import threading

HOST = "127.0.0.1"
TIMEOUT = 20


def message(tag, rng):
    """A CRLF-only message with lines that need dot-stuffing and 8-bit text."""
    lines = [
        b"From: <sender@client.example>",
        b"To: <rcpt@sink.example>",
        b"Subject: live test " + tag.encode(),
        b"Message-ID: <" + tag.encode() + b"@client.example>",
        b"",
        b"tag " + tag.encode(),
        b".",
        b"..",
        b".leading dot",
        b"caf\xc3\xa9 8-bit line",
        b"",
    ]
    for _ in range(rng.randrange(1, 200)):
        n = rng.randrange(0, 120)
        line = bytes(rng.choice(b"abcdefghij .,;-_0123456789") for _ in range(n))
        if rng.random() < 0.1:
            line = b"." + line
        lines.append(line)
    if rng.random() < 0.2:
        # A large message, streamed in pieces by the codec.
        lines.extend([b"x" * 998] * rng.randrange(100, 400))
    return b"\r\n".join(lines) + b"\r\n"


def read_reply(f):
    """One whole reply: (code, [lines])."""
    lines = []
    while True:
        line = f.readline()
        if not line.endswith(b"\r\n"):
            raise RuntimeError("connection closed mid-reply: %r" % line)
        lines.append(line)
        if line[3:4] != b"-":
            return int(line[:3]), lines


def send_bdat(msg, rng):
    """MAIL, RCPT and every BDAT chunk pipelined in one write."""
    sock = socket.create_connection((HOST, PORT), timeout=TIMEOUT)
    f = sock.makefile("rb")
    assert read_reply(f)[0] == 220
    sock.sendall(b"EHLO client.example\r\n")
    code, lines = read_reply(f)
    assert code == 250 and any(b"CHUNKING" in l for l in lines), lines
    out = [b"MAIL FROM:<sender@client.example> BODY=BINARYMIME\r\n", b"RCPT TO:<rcpt@sink.example>\r\n"]
    chunks = []
    pos = 0
    while pos < len(msg):
        n = rng.randrange(1, 5000)
        chunks.append(msg[pos:pos + n])
        pos += n
    if rng.random() < 0.3:
        chunks.append(b"")  # BDAT 0 LAST ends the message
    for i, chunk in enumerate(chunks):
        last = b" LAST" if i == len(chunks) - 1 else b""
        out.append(b"BDAT %d%s\r\n" % (len(chunk), last) + chunk)
    sock.sendall(b"".join(out))
    for _ in range(2 + len(chunks)):
        code, lines = read_reply(f)
        assert code == 250, lines
    sock.sendall(b"QUIT\r\n")
    assert read_reply(f)[0] == 221
    sock.close()


def worker(tid, per_thread, out_dir, errors):
    rng = random.Random(tid)
    try:
        for i in range(per_thread):
            tag = "t%d-m%d" % (tid, i)
            msg = message(tag, rng)
            if rng.random() < 0.5:
                # BDAT content is binary-safe: add octets DATA could not carry.
                msg += b"binary \x00 \r\n.\r\nQUIT\r\n\r\n"
                send_bdat(msg, rng)
            else:
                with smtplib.SMTP(HOST, PORT, timeout=TIMEOUT) as smtp:
                    smtp.ehlo("client.example")
                    assert smtp.has_extn("pipelining")
                    smtp.sendmail("sender@client.example", ["rcpt@sink.example"], msg)
            with open(os.path.join(out_dir, tag + ".eml"), "wb") as out:
                out.write(msg)
    except Exception as err:  # reported by the main thread
        errors.append("%s: %r" % (tid, err))


if __name__ == "__main__":
    PORT = int(sys.argv[1])
    out_dir = sys.argv[2]
    threads, per_thread = int(sys.argv[3]), int(sys.argv[4])
    errors = []
    pool = [threading.Thread(target=worker, args=(t, per_thread, out_dir, errors)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(120)
    if errors or any(t.is_alive() for t in pool):
        print("\n".join(errors) or "timed out", file=sys.stderr)
        sys.exit(1)
    print("sent %d messages" % (threads * per_thread))
