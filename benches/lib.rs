//! Benchmarks for `smtp-wire`: the shared, deterministic inputs
//! and the workloads run on them.
//!
//! Every input comes from [`Rng`] with a fixed seed, so each run (criterion,
//! the `ratios` example and the zero-allocation test) sees the same bytes.
//! Each workload returns what it counted so that its caller can assert it;
//! [`ours`] never allocates (given its scratch buffers), which
//! `tests/zero_alloc.rs` checks. The peers' workloads are in `peers.rs`,
//! shared by the criterion bench and the `ratios` example, because the peers
//! are dev-dependencies.

/// The fixed seed of every generator.
pub const SEED: u64 = 0x5eed_5a7f_0000_0006;

/// The read size of the "8 KiB reads" workloads.
pub const READ_SIZE: usize = 8 * 1024;

/// The buffer a server reads into for the "8 KiB reads" workloads: one read
/// plus room for a partial line carried over.
pub const READ_BUF: usize = READ_SIZE + 1024;

/// A xorshift64* generator: small, fast, deterministic.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (zero is replaced, xorshift needs a bit set).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `true` with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One item of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yolanda",
];
const LAST: &[&str] = &[
    "smith", "jones", "garcia", "miller", "davis", "martinez", "lopez", "wilson", "anderson",
    "thomas", "taylor", "moore", "jackson", "martin", "lee", "thompson", "white", "harris",
];
const DOMAINS: &[&str] = &[
    "example.org",
    "example.net",
    "mail.example.com",
    "lists.example.edu",
    "corp.example.co.uk",
    "mx1.relay.example.io",
    "eu-west.mail.example.de",
    "subsidiary.example.fr",
];
const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "had",
    "they",
    "you",
    "were",
    "their",
    "one",
    "all",
    "we",
    "can",
    "her",
    "has",
    "there",
    "been",
    "if",
    "more",
    "when",
    "will",
    "would",
    "who",
    "so",
    "no",
    "meeting",
    "quarterly",
    "report",
    "attached",
    "please",
    "review",
    "regards",
    "schedule",
    "invoice",
    "project",
    "deadline",
    "update",
    "thanks,",
    "Hello",
    "However,",
    "tomorrow.",
    "(draft)",
    "<https://example.org/x>",
];

/// A mailbox such as `olivia.garcia42@mail.example.com`.
fn mailbox(rng: &mut Rng, out: &mut Vec<u8>) {
    out.extend_from_slice(rng.pick(FIRST).as_bytes());
    out.push(b'.');
    out.extend_from_slice(rng.pick(LAST).as_bytes());
    if rng.chance(40) {
        out.extend_from_slice(rng.below(100).to_string().as_bytes());
    }
    out.push(b'@');
    out.extend_from_slice(rng.pick(DOMAINS).as_bytes());
}

/// `MAIL FROM:<...> SIZE=n BODY=8BITMIME RET=HDRS ENVID=...` (parameters vary).
fn mail_from(rng: &mut Rng, out: &mut Vec<u8>) {
    out.extend_from_slice(b"MAIL FROM:<");
    mailbox(rng, out);
    out.extend_from_slice(b"> SIZE=");
    out.extend_from_slice((1000 + rng.below(5_000_000)).to_string().as_bytes());
    out.extend_from_slice(rng.pick(&[&b" BODY=8BITMIME"[..], b" BODY=7BIT", b""]));
    if rng.chance(60) {
        out.extend_from_slice(rng.pick(&[&b" RET=HDRS"[..], b" RET=FULL"]));
        out.extend_from_slice(b" ENVID=");
        out.extend_from_slice(format!("{:016X}", rng.next_u64()).as_bytes());
        out.extend_from_slice(b"+2Bq");
    }
    out.extend_from_slice(b"\r\n");
}

/// `RCPT TO:<...> NOTIFY=... ORCPT=rfc822;...` (parameters vary).
fn rcpt_to(rng: &mut Rng, out: &mut Vec<u8>) {
    out.extend_from_slice(b"RCPT TO:<");
    let start = out.len();
    mailbox(rng, out);
    let address = out[start..].to_vec();
    out.push(b'>');
    if rng.chance(70) {
        out.extend_from_slice(rng.pick(&[
            &b" NOTIFY=SUCCESS,FAILURE"[..],
            b" NOTIFY=FAILURE,DELAY",
            b" NOTIFY=NEVER",
        ]));
        out.extend_from_slice(b" ORCPT=rfc822;");
        out.extend_from_slice(&address);
    }
    out.extend_from_slice(b"\r\n");
}

/// What a stream of command lines holds, for assertions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommandMix {
    /// Command lines in all.
    pub commands: usize,
    /// Of which `BDAT` (which smtp-codec does not know).
    pub bdat: usize,
}

/// The pipelined client stream of every pipelined-command workload: about
/// `target` bytes of command lines that look like real traffic, where short
/// lines dominate (see `README.md` for the mix). Message bodies are left out:
/// the body decoders have their own workloads.
///
/// Each session: `EHLO` (3% with an address literal), `AUTH PLAIN` with a
/// canonical base64 initial response in a quarter of them, one transaction
/// (sometimes two or three, with `RSET` between some), and `QUIT`. A
/// transaction: `MAIL FROM:<...>` with 0 to 3 parameters (`SIZE` in 70%,
/// `BODY=8BITMIME` in 35%, `RET`+`ENVID` in 8%; `<>` in 8%), one to four
/// `RCPT TO:<...>` (`NOTIFY` in 12%, `ORCPT` in 6%), then `DATA` (70%) or
/// `BDAT` chunks ending in `BDAT n LAST`; a `NOOP` sometimes.
pub fn pipeline(target: usize) -> (Vec<u8>, CommandMix) {
    let mut rng = Rng::new(SEED);
    let mut out = Vec::with_capacity(target + 4096);
    let mut mix = CommandMix::default();
    while out.len() < target {
        session(&mut rng, &mut out, &mut mix);
    }
    (out, mix)
}

const LOCALS: &[&str] = &[
    "info", "sales", "support", "noreply", "billing", "admin", "hr", "jobs", "news", "team",
];
const SHORT_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "ex.co",
    "corp.example",
    "example.co.uk",
    "mx.example.io",
    "students.example.edu",
    "mail.example-corp.com",
];
const CLIENTS: &[&str] = &[
    "mail.example.com",
    "mx1.example.org",
    "smtp.example.net",
    "localhost",
    "out-12.relay.example.io",
    "laptop",
];

/// A short, common address: `bob@example.com`, `alice.smith@ex.co`,
/// `info@mail.example.com`, `carol+news@example.org`.
fn short_mailbox(rng: &mut Rng, out: &mut Vec<u8>) {
    match rng.below(10) {
        0..=2 => out.extend_from_slice(rng.pick(FIRST).as_bytes()),
        3..=5 => {
            out.extend_from_slice(rng.pick(FIRST).as_bytes());
            out.push(b'.');
            out.extend_from_slice(rng.pick(LAST).as_bytes());
        }
        6..=7 => out.extend_from_slice(rng.pick(LOCALS).as_bytes()),
        8 => {
            out.extend_from_slice(rng.pick(FIRST).as_bytes());
            out.extend_from_slice(rng.below(100).to_string().as_bytes());
        }
        _ => {
            out.extend_from_slice(rng.pick(FIRST).as_bytes());
            out.push(b'+');
            out.extend_from_slice(rng.pick(LOCALS).as_bytes());
        }
    }
    out.push(b'@');
    out.extend_from_slice(rng.pick(SHORT_DOMAINS).as_bytes());
}

/// The canonical base64 of `\0user\0password` (RFC 4616), by hand: no
/// dependency for the benches' inputs.
fn base64(bytes: &[u8], out: &mut Vec<u8>) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
}

/// One client session of [`pipeline`].
fn session(rng: &mut Rng, out: &mut Vec<u8>, mix: &mut CommandMix) {
    let mut line = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(bytes);
        mix.commands += 1;
    };
    if rng.chance(3) {
        line(
            out,
            format!("EHLO [192.0.2.{}]\r\n", rng.below(255)).as_bytes(),
        );
    } else {
        line(out, format!("EHLO {}\r\n", rng.pick(CLIENTS)).as_bytes());
    }
    if rng.chance(25) {
        let mut credentials = vec![0];
        short_mailbox(rng, &mut credentials);
        credentials.push(0);
        credentials.extend_from_slice(format!("pw{:x}", rng.next_u64() >> 40).as_bytes());
        let mut auth = b"AUTH PLAIN ".to_vec();
        base64(&credentials, &mut auth);
        auth.extend_from_slice(b"\r\n");
        line(out, &auth);
    }
    let transactions = match rng.below(20) {
        0..=9 => 1,
        10..=14 => 2,
        15..=17 => 3,
        _ => 5,
    };
    for t in 0..transactions {
        if t > 0 && rng.chance(30) {
            line(out, b"RSET\r\n");
        }
        let mut mail = b"MAIL FROM:<".to_vec();
        if !rng.chance(8) {
            short_mailbox(rng, &mut mail);
        }
        mail.push(b'>');
        if rng.chance(70) {
            mail.extend_from_slice(format!(" SIZE={}", 300 + rng.below(200_000)).as_bytes());
        }
        if rng.chance(8) {
            mail.extend_from_slice(rng.pick(&[&b" RET=HDRS"[..], b" RET=FULL"]));
            mail.extend_from_slice(format!(" ENVID={:08X}", rng.next_u64() >> 32).as_bytes());
        } else if rng.chance(35) {
            mail.extend_from_slice(b" BODY=8BITMIME");
        }
        mail.extend_from_slice(b"\r\n");
        line(out, &mail);
        let recipients = match rng.below(20) {
            0..=5 => 1,
            6..=10 => 2,
            11..=15 => 3,
            16..=17 => 5,
            _ => 8,
        };
        for _ in 0..recipients {
            let mut rcpt = b"RCPT TO:<".to_vec();
            let start = rcpt.len();
            short_mailbox(rng, &mut rcpt);
            let address = rcpt[start..].to_vec();
            rcpt.push(b'>');
            if rng.chance(12) {
                rcpt.extend_from_slice(rng.pick(&[
                    &b" NOTIFY=SUCCESS,FAILURE"[..],
                    b" NOTIFY=FAILURE,DELAY",
                    b" NOTIFY=NEVER",
                ]));
            }
            if rng.chance(6) {
                rcpt.extend_from_slice(b" ORCPT=rfc822;");
                // xtext (RFC 3461 §4): "+" is escaped.
                for &b in &address {
                    match b {
                        b'+' => rcpt.extend_from_slice(b"+2B"),
                        _ => rcpt.push(b),
                    }
                }
            }
            rcpt.extend_from_slice(b"\r\n");
            line(out, &rcpt);
        }
        if rng.chance(70) {
            line(out, b"DATA\r\n");
        } else {
            for _ in 0..rng.below(2) {
                line(
                    out,
                    format!("BDAT {}\r\n", 1000 + rng.below(64_000)).as_bytes(),
                );
                mix.bdat += 1;
            }
            line(
                out,
                format!("BDAT {} LAST\r\n", rng.below(64_000)).as_bytes(),
            );
            mix.bdat += 1;
        }
        if rng.chance(10) {
            line(out, b"NOOP\r\n");
        }
    }
    line(out, b"QUIT\r\n");
}

/// The pipelined stream of the first benchmarks (issue #6), kept for
/// comparison: long, parameter-heavy lines (about 75 bytes on average), which
/// flatter a parser with a high cost per line. Sessions of `EHLO`, one to
/// three transactions (`MAIL FROM` with SIZE/BODY/RET/ENVID, one to six
/// `RCPT TO` with NOTIFY/ORCPT, then `DATA` or `BDAT n LAST`, sometimes
/// `RSET` or `NOOP`), and `QUIT`.
pub fn pipeline_params(target: usize) -> (Vec<u8>, CommandMix) {
    let mut rng = Rng::new(SEED);
    let mut out = Vec::with_capacity(target + 4096);
    let mut mix = CommandMix::default();
    let line = |out: &mut Vec<u8>, bytes: &[u8], mix: &mut CommandMix| {
        out.extend_from_slice(bytes);
        mix.commands += 1;
    };
    while out.len() < target {
        let client = format!("EHLO {}\r\n", rng.pick(DOMAINS));
        line(&mut out, client.as_bytes(), &mut mix);
        for _ in 0..1 + rng.below(3) {
            mail_from(&mut rng, &mut out);
            mix.commands += 1;
            for _ in 0..1 + rng.below(6) {
                rcpt_to(&mut rng, &mut out);
                mix.commands += 1;
            }
            if rng.chance(50) {
                line(&mut out, b"DATA\r\n", &mut mix);
            } else {
                let bdat = format!("BDAT {} LAST\r\n", 500 + rng.below(100_000));
                line(&mut out, bdat.as_bytes(), &mut mix);
                mix.bdat += 1;
            }
            if rng.chance(20) {
                line(&mut out, b"RSET\r\n", &mut mix);
            }
            if rng.chance(10) {
                line(&mut out, b"NOOP\r\n", &mut mix);
            }
        }
        line(&mut out, b"QUIT\r\n", &mut mix);
    }
    (out, mix)
}

/// The realistic pipelined stream of the command benchmarks: about 500 KB.
pub fn pipeline_500k() -> (Vec<u8>, CommandMix) {
    pipeline(500_000)
}

/// [`pipeline_params`] of about 500 KB.
pub fn pipeline_params_500k() -> (Vec<u8>, CommandMix) {
    pipeline_params(500_000)
}

/// One `MAIL FROM` with SIZE, BODY, RET and ENVID, then one `RCPT TO` with
/// NOTIFY and ORCPT.
pub const MAIL_RCPT: &[u8] = b"MAIL FROM:<olivia.garcia42@mail.example.com> SIZE=2548921 BODY=8BITMIME RET=HDRS ENVID=QQ314159+2Bx\r\nRCPT TO:<bob.jones@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob.jones@example.net\r\n";

const SINGLE_REPLIES: &[&str] = &[
    "250 2.1.0 Ok\r\n",
    "250 2.1.5 Ok\r\n",
    "354 End data with <CR><LF>.<CR><LF>\r\n",
    "250 2.0.0 Ok: queued as 4F2XB12C34\r\n",
    "221 2.0.0 Bye\r\n",
    "220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n",
    "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table\r\n",
    "451 4.7.1 Service unavailable - try again later\r\n",
    "250 2.0.0 Reset state\r\n",
    "452 4.5.3 Too many recipients\r\n",
];

/// A stream of single-line replies of about `target` bytes; returns the
/// stream and the number of replies.
pub fn reply_stream(target: usize) -> (Vec<u8>, usize) {
    let mut rng = Rng::new(SEED ^ 1);
    let mut out = Vec::with_capacity(target + 128);
    let mut count = 0;
    while out.len() < target {
        out.extend_from_slice(rng.pick(SINGLE_REPLIES).as_bytes());
        count += 1;
    }
    (out, count)
}

/// A 12-line EHLO reply, the kind Postfix and Exim send.
pub const EHLO_REPLY: &[u8] = b"250-mx.example.org Hello client.example.net [192.0.2.25]\r\n\
250-PIPELINING\r\n\
250-SIZE 35882577\r\n\
250-ETRN\r\n\
250-STARTTLS\r\n\
250-AUTH PLAIN LOGIN\r\n\
250-ENHANCEDSTATUSCODES\r\n\
250-8BITMIME\r\n\
250-DSN\r\n\
250-SMTPUTF8\r\n\
250-CHUNKING\r\n\
250 BINARYMIME\r\n";

/// The capabilities in [`EHLO_REPLY`].
pub const EHLO_CAPABILITIES: usize = 11;

/// The extensions of [`EHLO_REPLY`], as [`ours::ehlo_summary`] reads them.
pub fn ehlo_extensions() -> smtp_wire::ehlo::Extensions {
    use smtp_wire::ehlo::Extension;
    [
        Extension::Pipelining,
        Extension::Size,
        Extension::Etrn,
        Extension::StartTls,
        Extension::Auth,
        Extension::EnhancedStatusCodes,
        Extension::EightBitMime,
        Extension::Dsn,
        Extension::SmtpUtf8,
        Extension::Chunking,
        Extension::BinaryMime,
    ]
    .into_iter()
    .collect()
}

/// A message of realistic text of at least `target` bytes: a header block,
/// then lines of 0 to 78 columns; `dot_percent` of the body lines start with
/// a dot. Returns the message content (unstuffed, ending in CRLF) and its
/// DATA wire form (dot-stuffed, with the terminating `.` CRLF).
pub fn message(target: usize, dot_percent: usize) -> (Vec<u8>, Vec<u8>) {
    let mut rng = Rng::new(SEED ^ 2 ^ dot_percent as u64);
    let mut content = Vec::with_capacity(target + 128);
    let mut wire = Vec::with_capacity(target + target / 8 + 128);
    let headers = "Received: from client.example.net (client.example.net [192.0.2.25])\r\n\
        \tby mx.example.org (Postfix) with ESMTPS id 4F2XB12C34\r\n\
        \tfor <bob.jones@example.net>; Tue, 14 May 2024 09:12:55 +0000 (UTC)\r\n\
        From: Olivia Garcia <olivia.garcia42@mail.example.com>\r\n\
        To: Bob Jones <bob.jones@example.net>\r\n\
        Subject: Quarterly report draft, please review\r\n\
        Date: Tue, 14 May 2024 11:12:50 +0200\r\n\
        Message-ID: <20240514091250.4F2XB12C34@mail.example.com>\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\
        Content-Transfer-Encoding: 8bit\r\n\r\n";
    content.extend_from_slice(headers.as_bytes());
    wire.extend_from_slice(headers.as_bytes());
    let mut line = String::with_capacity(96);
    while content.len() < target {
        line.clear();
        if rng.chance(dot_percent) {
            line.push('.');
        }
        let width = if rng.chance(8) { 0 } else { 20 + rng.below(59) };
        while line.len() < width {
            if !line.is_empty() && !line.ends_with('.') {
                line.push(' ');
            }
            line.push_str(rng.pick(WORDS));
        }
        line.truncate(78);
        line.push_str("\r\n");
        content.extend_from_slice(line.as_bytes());
        if line.starts_with('.') {
            wire.push(b'.');
        }
        wire.extend_from_slice(line.as_bytes());
    }
    wire.extend_from_slice(b".\r\n");
    (content, wire)
}

/// The DATA workloads' size.
pub const MESSAGE_SIZE: usize = 1 << 20;

/// A BDAT transfer: `total` bytes of message in chunks of `chunk` bytes,
/// each after its `BDAT <n>` line, the last one `BDAT <n> LAST`. Returns the
/// wire bytes and the content length.
pub fn bdat_stream(total: usize, chunk: usize) -> (Vec<u8>, usize) {
    let (content, _) = message(total, 1);
    let content = &content[..total];
    let mut wire = Vec::with_capacity(total + 64 * (total / chunk + 1));
    let mut chunks = content.chunks(chunk).peekable();
    while let Some(piece) = chunks.next() {
        let last = if chunks.peek().is_none() { " LAST" } else { "" };
        wire.extend_from_slice(format!("BDAT {}{last}\r\n", piece.len()).as_bytes());
        wire.extend_from_slice(piece);
    }
    (wire, total)
}

/// The BDAT workload: 1 MiB in 64 KiB chunks.
pub fn bdat_1mib() -> (Vec<u8>, usize) {
    bdat_stream(1 << 20, 64 << 10)
}

/// Feeds `src` to `parse` the way a server reads a socket: `READ_SIZE` bytes
/// at a time into `scratch` (at least [`READ_BUF`] long), keeping the
/// unconsumed tail in front of the next read. `parse` gets the buffered bytes
/// and returns how many it consumed (whole items only). Returns the bytes
/// left unconsumed at the end.
pub fn feed_reads(src: &[u8], scratch: &mut [u8], mut parse: impl FnMut(&[u8]) -> usize) -> usize {
    let mut filled = 0;
    let mut src = src;
    loop {
        let n = READ_SIZE.min(scratch.len() - filled).min(src.len());
        if n == 0 {
            return filled;
        }
        scratch[filled..filled + n].copy_from_slice(&src[..n]);
        src = &src[n..];
        filled += n;
        let used = parse(&scratch[..filled]);
        scratch.copy_within(used..filled, 0);
        filled -= used;
    }
}

/// The ceilings: how fast the bytes can be looked at or copied at all.
pub mod ceiling {
    /// Counts `\n` with `memchr::memchr_iter`: the floor of any line parser.
    pub fn count_lf(buf: &[u8]) -> usize {
        memchr::memchr_iter(b'\n', buf).count()
    }

    /// Copies `buf` into `out` (as long) with `copy_from_slice`.
    pub fn copy(buf: &[u8], out: &mut [u8]) -> usize {
        out.copy_from_slice(buf);
        out.len()
    }
}

/// The capabilities of `EHLO_REPLY`, built.
pub fn ehlo_capabilities(
    mechs: smtp_wire::ehlo::Mechanisms<'_>,
) -> [smtp_wire::ehlo::Capability<'_>; 11] {
    use smtp_wire::ehlo::Capability;
    [
        Capability::Pipelining,
        Capability::Size(Some(35882577)),
        Capability::Etrn,
        Capability::StartTls,
        Capability::Auth(mechs),
        Capability::EnhancedStatusCodes,
        Capability::EightBitMime,
        Capability::Dsn,
        Capability::SmtpUtf8,
        Capability::Chunking,
        Capability::BinaryMime,
    ]
}

/// Our workloads. None of them allocates.
pub mod ours {
    use smtp_wire::body::{ContentPolicy, DataBody, DataEvent};
    use smtp_wire::ehlo::{Capability, EhloReply};
    use smtp_wire::{BdatDecoder, Command, DataConfig, DataDecoder, Encode, Reply, Status};

    /// Parses every command of `buf`; returns (commands, BDAT commands) and
    /// the bytes consumed. Panics on an error.
    pub fn commands(buf: &[u8]) -> (super::CommandMix, usize) {
        let mut mix = super::CommandMix::default();
        let mut pos = 0;
        while let Status::Complete((command, used)) =
            Command::parse(&buf[pos..]).expect("valid command")
        {
            mix.commands += 1;
            mix.bdat += usize::from(matches!(command, Command::Bdat { .. }));
            pos += used;
        }
        (mix, pos)
    }

    /// [`commands`] over 8 KiB reads into `scratch`.
    pub fn commands_reads(buf: &[u8], scratch: &mut [u8]) -> super::CommandMix {
        let mut mix = super::CommandMix::default();
        let left = super::feed_reads(buf, scratch, |bytes| {
            let (found, used) = commands(bytes);
            mix.commands += found.commands;
            mix.bdat += found.bdat;
            used
        });
        assert_eq!(left, 0);
        mix
    }

    /// Parses a MAIL and a RCPT; returns the SIZE and the ORCPT's length.
    pub fn mail_rcpt(buf: &[u8]) -> (u64, usize) {
        let Ok(Status::Complete((Command::Mail(mail), used))) = Command::parse(buf) else {
            panic!("MAIL");
        };
        let Ok(Status::Complete((Command::Rcpt(rcpt), _))) = Command::parse(&buf[used..]) else {
            panic!("RCPT");
        };
        let size = mail.params.size.unwrap_or(0);
        let orcpt = rcpt.params.orcpt.map_or(0, |o| o.address().as_str().len());
        (size, orcpt)
    }

    /// Parses every reply of `buf`; returns how many there were and the sum
    /// of their codes.
    pub fn replies(buf: &[u8]) -> (usize, u64) {
        let (mut count, mut codes, mut pos) = (0, 0, 0);
        while pos < buf.len() {
            let Ok(Status::Complete((reply, used))) = Reply::parse(&buf[pos..]) else {
                panic!("reply at {pos}");
            };
            count += 1;
            codes += u64::from(reply.code().get());
            pos += used;
        }
        (count, codes)
    }

    /// Parses an EHLO reply; with `walk`, reads every capability too and
    /// returns how many there are (else the line count less one) and the SIZE.
    pub fn ehlo(buf: &[u8], walk: bool) -> (usize, u64) {
        let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else {
            panic!("EHLO reply");
        };
        let ehlo = EhloReply::from_reply(reply).expect("250 reply");
        if !walk {
            return (reply.line_count() - 1, 0);
        }
        let mut size = 0;
        let mut count = 0;
        for capability in ehlo.capabilities() {
            count += 1;
            if let Capability::Size(Some(n)) = capability {
                size = n;
            }
        }
        (count, size)
    }

    /// Parses an EHLO reply and reads its [`EhloSummary`](smtp_wire::ehlo::EhloSummary)
    /// (extensions, SIZE, AUTH, LIMITS) in one pass; returns the extension
    /// set and the SIZE.
    pub fn ehlo_summary(buf: &[u8]) -> (smtp_wire::ehlo::Extensions, u64) {
        let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else {
            panic!("EHLO reply");
        };
        let summary = EhloReply::from_reply(reply).expect("250 reply").summary();
        (summary.extensions, summary.size.unwrap_or(0))
    }

    /// Decodes DATA content with the strict default decoder; returns the
    /// content length.
    pub fn data(wire: &[u8]) -> usize {
        data_with(wire, |_| {})
    }

    /// [`data`], handing each payload slice to `sink`.
    pub fn data_with(wire: &[u8], sink: impl FnMut(&[u8])) -> usize {
        data_decoded(DataDecoder::new(), wire, sink)
    }

    /// [`data`] with every content policy `Accept` (bare CR/LF, NUL and long
    /// lines kept as data; the end still only at `<CRLF>.<CRLF>`).
    pub fn data_accepting(wire: &[u8]) -> usize {
        let mut config = DataConfig::new();
        config.all_policies(ContentPolicy::Accept);
        data_decoded(config.decoder(), wire, |_| {})
    }

    fn data_decoded(mut decoder: DataDecoder, wire: &[u8], mut sink: impl FnMut(&[u8])) -> usize {
        let mut pos = 0;
        let mut len = 0;
        loop {
            match decoder.decode(&wire[pos..]) {
                Ok(Status::Complete((DataEvent::Payload(data), used))) => {
                    len += data.len();
                    sink(data);
                    pos += used;
                }
                Ok(Status::Complete((DataEvent::End(end), used))) => {
                    assert_eq!(end.size(), len as u64);
                    assert_eq!(pos + used, wire.len());
                    return len;
                }
                other => panic!("DATA at {pos}: {other:?}"),
            }
        }
    }

    /// Parses the BDAT commands and takes each chunk with a `BdatDecoder`;
    /// returns the content length. Asserts that each chunk is a slice of
    /// `wire` (zero-copy).
    pub fn bdat(wire: &[u8]) -> usize {
        let mut pos = 0;
        let mut len = 0;
        loop {
            let Ok(Status::Complete((Command::Bdat { size, last }, used))) =
                Command::parse(&wire[pos..])
            else {
                panic!("BDAT at {pos}");
            };
            pos += used;
            let mut chunk = BdatDecoder::new(size);
            let (data, used) = chunk.decode(&wire[pos..]);
            assert!(chunk.is_done() && core::ptr::eq(data.as_ptr(), wire[pos..].as_ptr()));
            len += data.len();
            pos += used;
            if last {
                assert_eq!(pos, wire.len());
                return len;
            }
        }
    }

    /// Encodes `commands` one after the other into `out`; returns the length.
    pub fn encode_commands(commands: &[Command<'_>], out: &mut [u8]) -> usize {
        let mut pos = 0;
        for command in commands {
            pos += command.encode(&mut out[pos..]).expect("room");
        }
        pos
    }

    /// Encodes `reply` into `out`; returns the length.
    pub fn encode_reply(reply: &impl Encode, out: &mut [u8]) -> usize {
        reply.encode(out).expect("room")
    }

    /// Dot-stuffs `content` with [`DataBody`] into `out`; returns the length.
    pub fn dot_stuff(content: &[u8], out: &mut [u8]) -> usize {
        DataBody::new(content)
            .expect("CRLF text")
            .encode(out)
            .expect("room")
    }
}
