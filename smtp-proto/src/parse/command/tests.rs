//! The parser against its oracle (the parser before the one-pass path, in
//! `oracle.rs`): on realistic lines, on every prefix of them, and on
//! a few hundred thousand deterministic mutations of them, under strict,
//! lenient and tight configurations, the results must be identical: the same
//! `Ok`/`Err`, command (compared with `==` and by its `Debug` text, which
//! also shows the raw parameter text), bytes used, error kind, skip and
//! `needs_resync`.

extern crate std;

use std::format;
use std::vec::Vec;

use super::{CommandConfig, eq_ci, known_param, oracle};
use crate::types::param::KnownParam;

/// Realistic lines and the rare forms, each ending in CRLF.
pub(crate) const SEEDS: &[&[u8]] = &[
    b"RCPT TO:<bob@example.com>\r\n",
    b"rcpt to:<alice.smith@mail.example-corp.com>\r\n",
    b"RCPT TO:<carol+news@example.org> NOTIFY=SUCCESS,FAILURE\r\n",
    b"RCPT TO:<dave@ex.co> NOTIFY=NEVER ORCPT=rfc822;dave@ex.co\r\n",
    b"RCPT TO:<erin@example.net> ORCPT=rfc822;erin+2Bx@example.net\r\n",
    b"RCPT TO:<Postmaster>\r\n",
    b"RCPT TO:<postmaster@example.org>\r\n",
    b"RCPT TO:<a@b> RRVS=2030-01-01T00:00:00Z;C CONNEG\r\n",
    b"RCPT TO:<x@y.z> X-FOO=bar XVERP\r\n",
    b"MAIL FROM:<alice@example.com>\r\n",
    b"MAIL FROM:<alice.smith@example.co.uk> SIZE=12345\r\n",
    b"MAIL FROM:<bob@mx.example.io> SIZE=200000 BODY=8BITMIME\r\n",
    b"MAIL FROM:<info@example.org> SIZE=999 RET=HDRS ENVID=0A1B2C3D\r\n",
    b"MAIL FROM:<> SIZE=1024\r\n",
    b"MAIL FROM:<>\r\n",
    b"mail from:<a@b> body=7bit ret=full smtputf8 requiretls\r\n",
    b"MAIL FROM:<a@b> AUTH=<> MT-PRIORITY=-3 HOLDFOR=60 BY=120;R\r\n",
    b"MAIL FROM:<a@b> HOLDUNTIL=2030-01-01T00:00:00Z MTRK=abc:10 SOLICIT=org.x TRANSID=<t@x> CONPERM\r\n",
    b"MAIL FROM:<a@b> AUTH=e+3Dmc2@example.com BODY=BINARYMIME\r\n",
    b"MAIL FROM:<\"a b\"@example.org>\r\n",
    b"MAIL FROM:<a@[192.0.2.1]>\r\n",
    b"MAIL FROM:<a@[IPv6:2001:db8::1]>\r\n",
    b"MAIL FROM:<@relay.example,@b.example:a@example.org>\r\n",
    b"MAIL FROM:<j\xc3\xb6rg@b\xc3\xbccher.example> SMTPUTF8\r\n",
    b"MAIL FROM: <a@b.example>\r\n",
    b"EHLO mail.example.com\r\n",
    b"ehlo localhost\r\n",
    b"HELO [192.0.2.25]\r\n",
    b"LHLO lmtp.example\r\n",
    b"EHLO [IPv6:::1]\r\n",
    b"DATA\r\n",
    b"RSET\r\n",
    b"QUIT\r\n",
    b"NOOP\r\n",
    b"NOOP hello there\r\n",
    b"HELP\r\n",
    b"HELP MAIL\r\n",
    b"VRFY bob SMTPUTF8\r\n",
    b"EXPN staff\r\n",
    b"STARTTLS\r\n",
    b"BDAT 1000\r\n",
    b"BDAT 0 LAST\r\n",
    b"bdat 18446744073709551615 last\r\n",
    b"BDAT 18446744073709551616\r\n",
    b"AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAHB3MTIz\r\n",
    b"AUTH PLAIN =\r\n",
    b"AUTH LOGIN\r\n",
    b"AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM\r\n",
    b"AUTH PLAIN dGVzdA==\r\n",
    b"ETRN @example.org\r\n",
    b"ETRN #queue\r\n",
    b"ATRN example.org,example.net\r\n",
    b"BURL imap://user@host/INBOX;UIDVALIDITY=1/;UID=2;urlauth=x LAST\r\n",
    b"XCLIENT NAME=spike.example ADDR=192.0.2.1\r\n",
    b"XFORWARD HELO=x.example\r\n",
    b"X-UNKNOWN some args\r\n",
    b"RCPT TO:<bob@example.com> \r\n",
    b"DATA \r\n",
    // The grammar edges: literals in either case, digit limits, dates,
    // RFC 6533 addresses, hidden characters, SMTPUTF8, trailing EHLO text,
    // unknown parameters.
    b"RCPT TO:<a@b.c> RRVS=2014-04-03T23:01:00Z;c\r\n",
    b"RCPT TO:<a@b.c> RRVS=2014-04-03t23:01:00z;r\r\n",
    b"MAIL FROM:<a@b> SIZE=000000000000000000001\r\n",
    b"MAIL FROM:<a@b> SIZE=99999999999999999999\r\n",
    b"MAIL FROM:<a@b> HOLDFOR=4294967295\r\n",
    b"MAIL FROM:<a@b> HOLDFOR=999999999 MTRK=QUJD:0999999999\r\n",
    b"MAIL FROM:<a@b> HOLDUNTIL=2024-02-30T00:00:00Z\r\n",
    b"MAIL FROM:<a@b> HOLDUNTIL=1990-12-31T15:59:60-08:00\r\n",
    b"RCPT TO:<a@b> ORCPT=utf-8;j\\x{F6}rg@b\\x{fc}cher.example\r\n",
    b"RCPT TO:<a@b> ORCPT=UTF-8;a\\x{D800} ORCPT=rfc822;\xc3\xa9@b\r\n",
    b"MAIL FROM:<> ENVID=a+C2+85b\r\n",
    b"RCPT TO:<a@b\xe2\x80\xae.example>\r\n",
    b"MAIL FROM:<jos\xc3\xa9@example.com>\r\n",
    b"EHLO client.example (my laptop)\r\n",
    b"HELO [192.0.2.1]  x\r\n",
    b"RCPT TO:<b@example.net> FOO=bar\r\n",
];

/// Bytes that hit the branches of the grammar.
const INTERESTING: &[u8] =
    b"\r\n\0 \t<>@.:\"[]=+-,;\\_aAzZ09#~\x7f\x80\xc3\xa9\xbc\xff\xe2\x82\xf0{}xCcRr\x85\xc2";

/// The configurations compared: strict defaults, lenient, and limits tight
/// enough for the seeds to hit them.
fn configs() -> Vec<CommandConfig> {
    let mut lenient = CommandConfig::new();
    lenient.allow_bare_lf(true).allow_space_after_colon(true);
    let mut tight = CommandConfig::new();
    tight
        .max_line_len(40)
        .max_auth_line_len(48)
        .max_local_part_len(5)
        .max_domain_len(11)
        .max_path_len(18);
    let mut small_auth = CommandConfig::new();
    small_auth
        .max_line_len(30)
        .max_auth_line_len(10)
        .allow_bare_lf(true);
    let mut options = CommandConfig::new();
    options
        .allow_hello_trailing_text(true)
        .allow_long_hold_for(true)
        .refuse_unknown_params(true);
    std::vec![CommandConfig::new(), lenient, tight, small_auth, options]
}

/// Asserts that the parser and the oracle agree on `input`.
pub(crate) fn agree(config: &CommandConfig, input: &[u8]) {
    let new = config.parse(input);
    let old = oracle::parse(config, input);
    assert_eq!(
        new,
        old,
        "{config:?}\n{:?}",
        std::string::String::from_utf8_lossy(input)
    );
    assert_eq!(
        format!("{new:?}"),
        format!("{old:?}"),
        "{:?}",
        std::string::String::from_utf8_lossy(input)
    );
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One to four random edits of `line`.
fn mutate(rng: &mut Rng, line: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let len = line.len();
        let at = rng.below(len + 1);
        let byte = INTERESTING[rng.below(INTERESTING.len())];
        match rng.below(9) {
            0 | 1 if at < len => line[at] = byte,
            2 | 3 => line.insert(at, byte),
            4 if at < len => {
                line.remove(at);
            }
            5 => line.truncate(at),
            6 if at < len => line[at] ^= 0x20,
            7 => {
                let other = SEEDS[rng.below(SEEDS.len())];
                line.extend_from_slice(other);
            }
            _ => {
                // Repeat a run: long labels, long lines, repeated params.
                let from = rng.below(len + 1);
                let to = (from + rng.below(80)).min(len);
                let run = line[from..to].to_vec();
                for _ in 0..1 + rng.below(8) {
                    line.splice(from..from, run.iter().copied());
                }
            }
        }
    }
}

#[test]
fn seeds_and_their_prefixes_agree() {
    for config in &configs() {
        for seed in SEEDS {
            for end in 0..=seed.len() {
                agree(config, &seed[..end]);
            }
            let mut pipelined = seed.to_vec();
            pipelined.extend_from_slice(b"QUIT\r\n");
            agree(config, &pipelined);
            // LF alone, CR alone, NUL and trailing blanks at the end.
            for tail in [&b"\n"[..], b"\r", b"\rX\n", b"\0\r\n", b" \t\r\n", b"\n\n"] {
                let mut line = seed[..seed.len() - 2].to_vec();
                line.extend_from_slice(tail);
                agree(config, &line);
            }
        }
    }
}

#[test]
fn mutated_lines_agree() {
    let configs = configs();
    let mut rng = Rng(0x5eed_0000_c0de_0001);
    let mut line = Vec::new();
    for _ in 0..200_000 {
        line.clear();
        line.extend_from_slice(SEEDS[rng.below(SEEDS.len())]);
        mutate(&mut rng, &mut line);
        for config in &configs {
            agree(config, &line);
        }
    }
}

#[test]
fn random_bytes_agree() {
    let configs = configs();
    let mut rng = Rng(0x5eed_0000_c0de_0002);
    let mut line = Vec::new();
    for _ in 0..50_000 {
        line.clear();
        // A known verb, then random interesting bytes.
        let verbs: &[&[u8]] = &[
            b"RCPT TO:<",
            b"MAIL FROM:<",
            b"EHLO ",
            b"BDAT ",
            b"AUTH ",
            b"DATA",
            b"NOOP",
        ];
        line.extend_from_slice(verbs[rng.below(verbs.len())]);
        for _ in 0..rng.below(40) {
            line.push(INTERESTING[rng.below(INTERESTING.len())]);
        }
        for config in &configs {
            agree(config, &line);
        }
    }
}

/// Lines at and around each limit, built from the long-field shapes.
#[test]
fn limits_agree() {
    let configs = configs();
    for n in 0..600 {
        let long = |c: u8| core::iter::repeat_n(c, n).collect::<Vec<u8>>();
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut rcpt = b"RCPT TO:<".to_vec();
        rcpt.extend(long(b'a'));
        rcpt.extend_from_slice(b"@example.org>\r\n");
        lines.push(rcpt);
        let mut rcpt = b"RCPT TO:<a@".to_vec();
        rcpt.extend(long(b'b'));
        rcpt.extend_from_slice(b".org>\r\n");
        lines.push(rcpt);
        let mut ehlo = b"EHLO ".to_vec();
        ehlo.extend(long(b'c'));
        ehlo.extend_from_slice(b"\r\n");
        lines.push(ehlo);
        let mut auth = b"AUTH PLAIN ".to_vec();
        auth.extend(long(b'Q').iter().take(n / 4 * 4));
        auth.extend_from_slice(b"\r\n");
        lines.push(auth);
        let mut mail = b"MAIL FROM:<a@b> X=".to_vec();
        mail.extend(long(b'v'));
        mail.extend_from_slice(b"\r\n");
        lines.push(mail);
        for line in &lines {
            for config in &configs {
                agree(config, line);
                agree(config, &line[..line.len() - 2]);
            }
        }
    }
}

/// The parser's keyword lookup agrees with `KnownParam::find`, and `eq_ci`
/// with `eq_ignore_ascii_case`, on every typed keyword in several cases and
/// on near misses (a byte changed, including to one that differs only in
/// bit 0x20, which must not match a digit or `-`).
#[test]
fn keyword_lookup_agrees_with_known_param_find() {
    const NAMES: [&str; 19] = [
        "SIZE",
        "BODY",
        "SMTPUTF8",
        "RET",
        "ENVID",
        "AUTH",
        "MT-PRIORITY",
        "HOLDFOR",
        "HOLDUNTIL",
        "BY",
        "REQUIRETLS",
        "MTRK",
        "SOLICIT",
        "TRANSID",
        "CONPERM",
        "NOTIFY",
        "ORCPT",
        "RRVS",
        "CONNEG",
    ];
    for name in NAMES {
        let lower = name.to_ascii_lowercase();
        let mixed: std::string::String = name
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect();
        for variant in [name, lower.as_str(), mixed.as_str()] {
            assert_eq!(
                known_param(variant.as_bytes()),
                KnownParam::find(variant),
                "{variant}"
            );
            assert!(known_param(variant.as_bytes()).is_some(), "{variant}");
        }
        let bytes = name.as_bytes();
        for at in 0..bytes.len() {
            for delta in [0x20u8, 0x01, 0x10, 0x40, 0x80] {
                let mut near = bytes.to_vec();
                near[at] ^= delta;
                let found = core::str::from_utf8(&near).ok().and_then(KnownParam::find);
                assert_eq!(known_param(&near), found, "{near:?}");
                assert_eq!(
                    eq_ci(&near, bytes),
                    near.eq_ignore_ascii_case(bytes),
                    "{near:?}"
                );
            }
        }
    }
    for lit in [
        &b"8BITMIME"[..],
        b"7BIT",
        b"BINARYMIME",
        b"NEVER",
        b"SUCCESS",
        b"last",
        b" from:",
    ] {
        for b in 0..=255u8 {
            for at in 0..lit.len() {
                let mut s = lit.to_vec();
                s[at] = b;
                assert_eq!(eq_ci(&s, lit), s.eq_ignore_ascii_case(lit), "{s:?}");
            }
        }
    }
}
