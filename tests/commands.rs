//! Command parsing: known-answer tables (RFC examples and every verb,
//! parameter and address form), prefixes, errors, proptests and the command
//! lines of real client captures.

use proptest::prelude::*;
use smtp_wire::address::{AddressLiteral, ForwardPath, Host, ReversePath};
use smtp_wire::auth::{AuthResponse, InitialResponse};
use smtp_wire::param::{Body, ByMode, Notify, Ret, RrvsAction};
use smtp_wire::{Command, CommandConfig, Encode, ErrorKind, Status};
use smtp_wire_tests::{Event, capture_prefixes, data, naive_reply_codes, walk_client_stream};

/// Parses `line` (CRLF appended), checks it uses the whole line, that every
/// strict prefix is `Partial`, that a pipelined tail is left alone, and that
/// encode → parse gives the same command with `canonical` as its wire form.
fn kat(line: &str, canonical: &str) -> Command<'static> {
    let input: &'static [u8] = Box::leak(format!("{line}\r\n").into_bytes().into_boxed_slice());
    let (command, used) = match Command::parse(input) {
        Ok(Status::Complete(done)) => done,
        other => panic!("{line:?}: {other:?}"),
    };
    assert_eq!(used, input.len(), "{line:?}");
    for end in 0..input.len() {
        assert_eq!(
            Command::parse(&input[..end]),
            Ok(Status::Partial),
            "{line:?} prefix {end}"
        );
    }
    let mut pipelined = input.to_vec();
    pipelined.extend_from_slice(b"RSET\r\nQUIT");
    assert_eq!(
        Command::parse(&pipelined),
        Ok(Status::Complete((command, used))),
        "{line:?}"
    );

    let encoded = command.encode_to_vec();
    let expected = if canonical.is_empty() {
        line
    } else {
        canonical
    };
    assert_eq!(
        String::from_utf8_lossy(&encoded),
        format!("{expected}\r\n"),
        "{line:?}"
    );
    assert_eq!(command.encoded_len(), encoded.len());
    let encoded: &'static [u8] = Box::leak(encoded.into_boxed_slice());
    assert_eq!(
        Command::parse(encoded),
        Ok(Status::Complete((command, encoded.len()))),
        "{line:?}"
    );
    command
}

/// The client lines of RFC 5321 Appendix D (D.1 to D.4).
#[test]
fn rfc5321_appendix_d() {
    for line in [
        "EHLO bar.com",
        "MAIL FROM:<Smith@bar.com>",
        "RCPT TO:<Jones@foo.com>",
        "RCPT TO:<Green@foo.com>",
        "RCPT TO:<Brown@foo.com>",
        "DATA",
        "QUIT",
        "EHLO foo.com",
        "MAIL FROM:<JQP@bar.com>",
        "RCPT TO:<Jones@XYZ.COM>",
        "VRFY Crispin",
        "MAIL FROM:<EAK@foo.com>",
        "RCPT TO:<Admin.MRC@foo.com>",
        "HELO foo.com",
    ] {
        kat(line, "");
    }
    let Command::Rcpt(rcpt) = kat("RCPT TO:<Jones@XYZ.COM>", "") else {
        panic!()
    };
    let mailbox = rcpt.path.mailbox().unwrap();
    assert_eq!(mailbox.local_part().as_str(), "Jones");
    assert_eq!(mailbox.host().to_string(), "XYZ.COM");
}

/// RFC 1870 §6 (SIZE), RFC 3030 §4 (BDAT, BINARYMIME), RFC 3461 §9 (DSN)
/// and RFC 4954 §4-§6 (AUTH) examples.
#[test]
fn rfc_extension_examples() {
    let Command::Mail(mail) = kat("MAIL FROM:<ned@thor.innosoft.com> SIZE=500000", "") else {
        panic!()
    };
    assert_eq!(mail.params.size, Some(500000));

    let Command::Mail(mail) = kat("MAIL FROM:<Sam@Random.com> BODY=BINARYMIME", "") else {
        panic!()
    };
    assert_eq!(mail.params.body, Some(Body::BinaryMime));
    assert_eq!(
        kat("BDAT 86 LAST", ""),
        Command::Bdat {
            size: 86,
            last: true
        }
    );
    assert_eq!(
        kat("BDAT 69", ""),
        Command::Bdat {
            size: 69,
            last: false
        }
    );
    assert_eq!(
        kat("BDAT 100000", ""),
        Command::Bdat {
            size: 100000,
            last: false
        }
    );
    assert_eq!(
        kat("BDAT 0 LAST", ""),
        Command::Bdat {
            size: 0,
            last: true
        }
    );

    let Command::Mail(mail) = kat(
        "MAIL FROM:<Alice@Pure-Heart.ORG> RET=HDRS ENVID=QQ314159",
        "",
    ) else {
        panic!()
    };
    assert_eq!(mail.params.ret, Some(Ret::Headers));
    assert_eq!(mail.params.envid.unwrap().as_str(), "QQ314159");
    for rcpt in [
        "RCPT TO:<Bob@Big-Bucks.COM> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob@Big-Bucks.COM",
        "RCPT TO:<Carol@Ivory.EDU> NOTIFY=FAILURE ORCPT=rfc822;Carol@Ivory.EDU",
        "RCPT TO:<Dana@Ivory.EDU> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Dana@Ivory.EDU",
        "RCPT TO:<Fred@Bed-Rock.COM> NOTIFY=FAILURE ORCPT=rfc822;Fred@Bed-Rock.COM",
        "RCPT TO:<George@Tax-ME.GOV> NOTIFY=FAILURE ORCPT=rfc822;George@Tax-ME.GOV",
    ] {
        let Command::Rcpt(rcpt) = kat(rcpt, "") else {
            panic!()
        };
        assert!(matches!(
            rcpt.params.notify,
            Some(Notify::On { failure: true, .. })
        ));
        assert_eq!(rcpt.params.orcpt.unwrap().addr_type(), "rfc822");
    }

    let Command::Auth(auth) = kat("AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=", "") else {
        panic!()
    };
    assert!(auth.mechanism.is("PLAIN"));
    assert!(
        matches!(auth.initial_response, Some(InitialResponse::Base64(data)) if *data.expose() == "dGVzdAB0ZXN0ADEyMzQ=")
    );
    // The Debug form never shows the credentials.
    assert!(!format!("{auth:?}").contains("dGVzdAB0"));
    kat("AUTH GSSAPI", "");
    kat("AUTH PLAIN", "");
    let Command::Auth(auth) = kat("AUTH PLAIN =", "") else {
        panic!()
    };
    assert_eq!(auth.initial_response, Some(InitialResponse::Empty));
    let Command::Mail(mail) = kat("MAIL FROM:<e=mc2@example.com> AUTH=e+3Dmc2@example.com", "")
    else {
        panic!()
    };
    let auth = mail.params.auth.unwrap();
    assert_eq!(
        auth.xtext().decoded().collect::<Vec<u8>>(),
        b"e=mc2@example.com"
    );
    let config = CommandConfig::new();
    assert!(matches!(
        config.parse_auth_response(b"dGVzdAB0ZXN0ADEyMzQ=\r\n"),
        Ok(Status::Complete((AuthResponse::Data(_), 22)))
    ));
    assert!(matches!(
        config.parse_auth_response(b"\r\n"),
        Ok(Status::Complete((AuthResponse::Data(_), 2)))
    ));
}

#[test]
fn every_verb_in_mixed_case() {
    let table = [
        ("helo relay.example", "HELO relay.example"),
        ("EhLo [192.0.2.1]", "EHLO [192.0.2.1]"),
        ("lhlo lmtp.example", "LHLO lmtp.example"),
        ("mAiL FrOm:<a@b.example>", "MAIL FROM:<a@b.example>"),
        ("rcpt to:<a@b.example>", "RCPT TO:<a@b.example>"),
        ("data", "DATA"),
        ("bdat 5 last", "BDAT 5 LAST"),
        ("rset", "RSET"),
        ("vrfy bob SMTPUTF8", "VRFY bob SMTPUTF8"),
        ("expn staff", "EXPN staff"),
        ("help", "HELP"),
        ("help DATA", "HELP DATA"),
        ("noop", "NOOP"),
        ("noop ignored argument", "NOOP ignored argument"),
        ("quit", "QUIT"),
        ("starttls", "STARTTLS"),
        ("auth login", "AUTH login"),
        ("etrn example.test", "ETRN example.test"),
        ("etrn @example.test", "ETRN @example.test"),
        ("etrn #deferred", "ETRN #deferred"),
        ("atrn", "ATRN"),
        ("atrn a.example,b.example", "ATRN a.example,b.example"),
        (
            "burl imap://joe@example.com/Drafts;UIDVALIDITY=385759045/;UID=20 last",
            "BURL imap://joe@example.com/Drafts;UIDVALIDITY=385759045/;UID=20 LAST",
        ),
        (
            "xclient NAME=spike.porcupine.org ADDR=168.100.189.2",
            "XCLIENT NAME=spike.porcupine.org ADDR=168.100.189.2",
        ),
        (
            "xclient ADDR=[UNAVAILABLE] LOGIN=[TEMPUNAVAIL]",
            "XCLIENT ADDR=[UNAVAILABLE] LOGIN=[TEMPUNAVAIL]",
        ),
        (
            "XFORWARD NAME=spike.porcupine.org ADDR=168.100.189.2 PROTO=ESMTP",
            "",
        ),
        (
            "XFORWARD HELO=spike.porcupine.org IDENT=abc SOURCE=REMOTE",
            "",
        ),
    ];
    for (line, canonical) in table {
        kat(line, canonical);
    }
    // Trailing white space is tolerated (RFC 5321 §4.1.1).
    kat("QUIT  \t", "QUIT");
    kat("NOOP x ", "NOOP x");
}

#[test]
fn unknown_verbs_keep_their_arguments() {
    let Command::Unknown(unknown) = kat("XEXPS some args", "") else {
        panic!()
    };
    assert_eq!(
        (unknown.verb(), unknown.args()),
        ("XEXPS", Some(&b"some args"[..]))
    );
    let Command::Unknown(unknown) = kat("turn", "") else {
        panic!()
    };
    assert_eq!((unknown.verb(), unknown.args()), ("turn", None));
    kat("SEND FROM:<a@b.example>", "");
    // Arguments of an unknown verb need not be UTF-8.
    let Status::Complete((Command::Unknown(u), _)) = Command::parse(b"XFOO \xff\xfe\r\n").unwrap()
    else {
        panic!()
    };
    assert_eq!(u.args(), Some(&b"\xff\xfe"[..]));
}

#[test]
fn address_forms() {
    let table = [
        // Null reverse-path and the bare postmaster.
        ("MAIL FROM:<>", ""),
        ("RCPT TO:<postmaster>", "RCPT TO:<Postmaster>"),
        ("RCPT TO:<PostMaster>", "RCPT TO:<Postmaster>"),
        ("RCPT TO:<Postmaster@example.org>", ""),
        // Source routes are kept and the mailbox is exposed.
        ("MAIL FROM:<@a.example,@b.example:user@c.example>", ""),
        ("RCPT TO:<@hop.example:joe@d.example>", ""),
        // Dot-strings with every atext special.
        ("MAIL FROM:<first.last+tag@example.org>", ""),
        ("MAIL FROM:<!#$%&'*+-/=?^_`{|}~@example.org>", ""),
        // Quoted strings, with spaces, escapes, '@' and '>' inside.
        ("MAIL FROM:<\"john doe\"@example.org>", ""),
        ("MAIL FROM:<\"a\\\"b\\\\c\"@example.org>", ""),
        ("RCPT TO:<\"odd@>\"@example.org>", ""),
        ("RCPT TO:<\"\"@example.org>", ""),
        // Address literals: IPv4, every RFC 5321 IPv6 form, general.
        ("RCPT TO:<u@[192.0.2.1]>", ""),
        ("RCPT TO:<u@[010.000.002.001]>", "RCPT TO:<u@[10.0.2.1]>"),
        (
            "RCPT TO:<u@[IPv6:2001:db8:0:0:1:0:0:1]>",
            "RCPT TO:<u@[IPv6:2001:db8::1:0:0:1]>",
        ),
        ("RCPT TO:<u@[ipv6:::1]>", "RCPT TO:<u@[IPv6:::1]>"),
        ("RCPT TO:<u@[IPv6:fe80::]>", ""),
        (
            "RCPT TO:<u@[IPv6:1:2:3:4:5:6:192.0.2.1]>",
            "RCPT TO:<u@[IPv6:1:2:3:4:5:6:c000:201]>",
        ),
        ("RCPT TO:<u@[IPv6:::ffff:192.0.2.1]>", ""),
        ("RCPT TO:<u@[x-tag:anything:goes]>", ""),
        ("EHLO [IPv6:::1]", ""),
        // U-labels in EHLO (RFC 6531 §3.7.1 wants A-labels; see Host::is_ascii).
        ("EHLO bücher.example", ""),
        // SMTPUTF8 (RFC 6531) local parts and domains.
        ("MAIL FROM:<älice@bücher.example> SMTPUTF8", ""),
        ("RCPT TO:<\"ü s\"@example.org>", ""),
    ];
    for (line, canonical) in table {
        kat(line, canonical);
    }
    let Command::Mail(mail) = kat("MAIL FROM:<@a.example,@b.example:user@c.example>", "") else {
        panic!()
    };
    let ReversePath::Path(path) = mail.path else {
        panic!()
    };
    assert_eq!(path.mailbox().to_string(), "user@c.example");
    assert_eq!(path.route().unwrap().domains().count(), 2);
    let Command::Rcpt(rcpt) = kat("RCPT TO:<postmaster>", "RCPT TO:<Postmaster>") else {
        panic!()
    };
    assert_eq!(rcpt.path, ForwardPath::Postmaster);
    let Command::Rcpt(rcpt) = kat("RCPT TO:<\"a\\\"b\"@example.org>", "") else {
        panic!()
    };
    assert_eq!(
        rcpt.path.mailbox().unwrap().local_part().to_unquoted(),
        "a\"b"
    );
    let Command::Ehlo(Host::Literal(AddressLiteral::Ipv6(addr))) = kat("EHLO [IPv6:::1]", "")
    else {
        panic!()
    };
    assert!(addr.is_loopback());
    let Command::Mail(mail) = kat("MAIL FROM:<älice@bücher.example> SMTPUTF8", "") else {
        panic!()
    };
    assert!(mail.params.smtputf8 && !mail.path.mailbox().unwrap().is_ascii());
}

#[test]
fn every_parameter() {
    let line = "MAIL FROM:<a@b.example> SIZE=1000 BODY=8BITMIME SMTPUTF8 RET=FULL ENVID=abc+2Bdef AUTH=<> \
                MT-PRIORITY=-3 HOLDFOR=600 HOLDUNTIL=2030-01-01T00:00:00Z BY=120;RT REQUIRETLS MTRK=QUJD:3600 \
                SOLICIT=org.example:ADV TRANSID=<12345@claremont.edu> CONPERM XVERP X-TAG=v";
    let Command::Mail(mail) = kat(line, "") else {
        panic!()
    };
    let p = mail.params;
    assert_eq!(p.size, Some(1000));
    assert_eq!(p.body, Some(Body::EightBitMime));
    assert!(p.smtputf8 && p.require_tls && p.conperm);
    assert_eq!(p.ret, Some(Ret::Full));
    assert_eq!(p.envid.unwrap().to_decoded_string(), "abc+def");
    assert!(p.auth.unwrap().is_unknown());
    assert_eq!(p.mt_priority.unwrap().get(), -3);
    assert_eq!(p.hold_for, Some(600));
    assert_eq!(p.hold_until.unwrap().as_str(), "2030-01-01T00:00:00Z");
    let by = p.by.unwrap();
    assert_eq!(
        (by.time(), by.mode(), by.trace()),
        (120, ByMode::Return, true)
    );
    assert_eq!(p.mtrk.unwrap().timeout(), Some(3600));
    assert_eq!(p.solicit.unwrap().as_str(), "org.example:ADV");
    assert_eq!(p.transid.unwrap().as_str(), "<12345@claremont.edu>");
    let others: Vec<String> = p.others.iter().map(|param| param.to_string()).collect();
    assert_eq!(others, ["XVERP", "X-TAG=v"]);

    // Lower-case keywords and values; canonical order on output.
    kat(
        "MAIL FROM:<a@b.example> body=7bit size=5 mt-priority=+2 by=-60;n",
        "MAIL FROM:<a@b.example> SIZE=5 BODY=7BIT MT-PRIORITY=2 BY=-60;N",
    );
    let Command::Rcpt(rcpt) = kat(
        "RCPT TO:<a@b.example> NOTIFY=NEVER ORCPT=utf-8;b@c.example RRVS=2014-04-03T23:01:00Z;C CONNEG X-Y",
        "",
    ) else {
        panic!()
    };
    assert_eq!(rcpt.params.notify, Some(Notify::Never));
    assert_eq!(
        rcpt.params.rrvs.unwrap().action(),
        Some(RrvsAction::Continue)
    );
    assert!(rcpt.params.conneg);
    kat(
        "RCPT TO:<a@b.example> notify=delay,success",
        "RCPT TO:<a@b.example> NOTIFY=SUCCESS,DELAY",
    );
}

#[test]
fn errors_carry_replies() {
    let table: &[(&[u8], ErrorKind, u16, &str)] = &[
        (
            b"MAIL FROM:<a@b.example> SIZE=184467440737095516160\r\n",
            ErrorKind::SizeOutOfRange,
            552,
            "5.3.4",
        ),
        (
            b"MAIL FROM:<a@b.example> SIZE=18446744073709551616\r\n",
            ErrorKind::SizeOutOfRange,
            552,
            "5.3.4",
        ),
        (
            b"MAIL FROM:<a@b.example> SIZE=12a\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example> SIZE=\xef\xbc\x91\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example> SIZE=1 SIZE=2\r\n",
            ErrorKind::DuplicateParameter,
            501,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example> BODY=9BIT\r\n",
            ErrorKind::UnsupportedParameterValue,
            504,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example> SMTPUTF8=yes\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example> NOTIFY=NEVER\r\n",
            ErrorKind::UnsupportedParameter,
            555,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example> AUTH=Raven+0AReyes@example.org\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example> BY=0;R\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example> MT-PRIORITY=10\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example> =x\r\n",
            ErrorKind::InvalidParameter,
            501,
            "5.5.4",
        ),
        (
            b"MAIL FROM:<a@b.example>  SIZE=1\r\n",
            ErrorKind::InvalidParameter,
            501,
            "5.5.4",
        ),
        (
            b"RCPT TO:<a@b.example> NOTIFY=NEVER,SUCCESS\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"RCPT TO:<a@b.example> NOTIFY=SUCCESS,SUCCESS\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"RCPT TO:<a@b.example> ORCPT=rfc822;a+2b\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"RCPT TO:<a@b.example> SIZE=1\r\n",
            ErrorKind::UnsupportedParameter,
            555,
            "5.5.4",
        ),
        // CVE-2020-7247: not atext, and no domain.
        (
            b"MAIL FROM:<;sleep 66;>\r\n",
            ErrorKind::InvalidSenderAddress,
            501,
            "5.1.7",
        ),
        (
            b"MAIL FROM:a@b.example\r\n",
            ErrorKind::InvalidSenderAddress,
            501,
            "5.1.7",
        ),
        (
            b"MAIL FROM:<a@b.example\r\n",
            ErrorKind::InvalidSenderAddress,
            501,
            "5.1.7",
        ),
        (
            b"MAIL FROM:<a@b_c.example>\r\n",
            ErrorKind::InvalidSenderAddress,
            501,
            "5.1.7",
        ),
        (
            b"MAIL TO:<a@b.example>\r\n",
            ErrorKind::InvalidSyntax,
            501,
            "5.5.4",
        ),
        (
            b"RCPT TO:<>\r\n",
            ErrorKind::InvalidRecipientAddress,
            501,
            "5.1.3",
        ),
        (
            b"RCPT TO:<a..b@example.org>\r\n",
            ErrorKind::InvalidRecipientAddress,
            501,
            "5.1.3",
        ),
        (
            b"RCPT TO:<u@[IPv6:1:2:3:4:5:6:7::]>\r\n",
            ErrorKind::InvalidRecipientAddress,
            501,
            "5.1.3",
        ),
        (
            b"RCPT TO:<u@[256.1.1.1]>\r\n",
            ErrorKind::InvalidRecipientAddress,
            501,
            "5.1.3",
        ),
        (
            b"RCPT TO: <a@b.example>\r\n",
            ErrorKind::InvalidSyntax,
            501,
            "5.5.4",
        ),
        (b"EHLO\r\n", ErrorKind::MissingArgument, 501, "5.5.4"),
        (b"EHLO bad_host\r\n", ErrorKind::InvalidDomain, 501, "5.5.4"),
        (
            b"EHLO [IPv6:1::2::3]\r\n",
            ErrorKind::InvalidDomain,
            501,
            "5.5.4",
        ),
        (b"DATA x\r\n", ErrorKind::UnexpectedArgument, 501, "5.5.4"),
        (
            b"STARTTLS now\r\n",
            ErrorKind::UnexpectedArgument,
            501,
            "5.5.4",
        ),
        (b"BDAT\r\n", ErrorKind::MissingArgument, 501, "5.5.4"),
        (b"BDAT abc\r\n", ErrorKind::InvalidSyntax, 501, "5.5.4"),
        (
            b"BDAT 4 LAST FOO\r\n",
            ErrorKind::InvalidSyntax,
            501,
            "5.5.4",
        ),
        (b"BDAT -1\r\n", ErrorKind::InvalidSyntax, 501, "5.5.4"),
        (
            b"BDAT 99999999999999999999\r\n",
            ErrorKind::SizeOutOfRange,
            552,
            "5.3.4",
        ),
        // CVE-2018-6789: base64 of length 4n+3.
        (
            b"AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ\r\n",
            ErrorKind::InvalidBase64,
            501,
            "5.5.2",
        ),
        (b"AUTH BAD/MECH\r\n", ErrorKind::InvalidSyntax, 501, "5.5.4"),
        (
            b"XCLIENT LOGIN\r\n",
            ErrorKind::InvalidParameter,
            501,
            "5.5.4",
        ),
        (
            b"XFORWARD LOGIN=x\r\n",
            ErrorKind::InvalidParameter,
            501,
            "5.5.4",
        ),
        (
            b"XCLIENT NAME=a+0Ab\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
        ),
        (
            b"ETRN #two words\r\n",
            ErrorKind::InvalidSyntax,
            501,
            "5.5.4",
        ),
        (b"\r\n", ErrorKind::InvalidCommand, 500, "5.5.2"),
        (b" NOOP\r\n", ErrorKind::InvalidCommand, 500, "5.5.2"),
        (b"1234\r\n", ErrorKind::InvalidCommand, 500, "5.5.2"),
        (b"M\xc3\xa4IL\r\n", ErrorKind::InvalidCommand, 500, "5.5.2"),
        (b"NOOP \xff\r\n", ErrorKind::InvalidCharacter, 500, "5.5.2"),
        (b"NOOP\nQUIT\r\n", ErrorKind::BareLf, 500, "5.5.2"),
        (b"NO\rOP\r\n", ErrorKind::BareCr, 500, "5.5.2"),
        (b"NO\0OP\r\n", ErrorKind::Nul, 500, "5.5.2"),
    ];
    for &(input, kind, code, enhanced) in table {
        let err = Command::parse(input).unwrap_err();
        let shown = String::from_utf8_lossy(input);
        assert_eq!(err.kind(), kind, "{shown:?}");
        assert_eq!(err.reply().code.get(), code, "{shown:?}");
        assert_eq!(err.reply().enhanced.to_string(), enhanced, "{shown:?}");
        // The whole line is skipped, up to and including its LF.
        let lf = input.iter().position(|&b| b == b'\n').unwrap();
        assert_eq!(err.skip(), lf + 1, "{shown:?}");
        assert!(!err.needs_resync());
    }
}

#[test]
fn line_limits_and_resync() {
    // 510 octets + CRLF = 512 is fine; one more is not.
    let ok = format!("NOOP {}\r\n", "x".repeat(505));
    assert_eq!(ok.len(), 512);
    assert!(Command::parse(ok.as_bytes()).unwrap().is_complete());
    let long = format!("NOOP {}\r\nQUIT\r\n", "x".repeat(506));
    let err = Command::parse(long.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LineTooLong);
    assert_eq!(err.reply().to_string(), "500 5.5.2 Line too long");
    // The tail of the long line is never read as a command.
    assert_eq!(&long.as_bytes()[err.skip()..], b"QUIT\r\n");

    // A long line that arrives in pieces: error at the limit, then resync.
    let first = format!("NOOP {}", "y".repeat(600));
    let err = Command::parse(first.as_bytes()).unwrap_err();
    assert!(err.needs_resync());
    assert_eq!(err.skip(), first.len());
    let second = b"yyyy\r\nMAIL FROM:<evil@example.org>\r\n";
    let Status::Complete(n) = smtp_wire::command::skip_line(second) else {
        panic!()
    };
    assert!(matches!(
        Command::parse(&second[n..]),
        Ok(Status::Complete((Command::Mail(_), _)))
    ));

    // AUTH lines get the larger AUTH limit (RFC 4954 §4), and 500 5.5.6 past it.
    let auth = format!("AUTH PLAIN {}\r\n", "QUFB".repeat(1000));
    assert!(Command::parse(auth.as_bytes()).unwrap().is_complete());
    let auth = format!("AUTH PLAIN {}\r\n", "QUFB".repeat(4000));
    let err = Command::parse(auth.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AuthLineTooLong);
    assert_eq!(err.reply().enhanced.to_string(), "5.5.6");
    let err = CommandConfig::new()
        .parse_auth_response(format!("{}\r\n", "QUFB".repeat(4000)).as_bytes())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AuthLineTooLong);

    // The path limits of RFC 5321 §4.5.3.1, and raising them.
    let local65 = format!("MAIL FROM:<{}@example.org>\r\n", "a".repeat(65));
    assert_eq!(
        Command::parse(local65.as_bytes()).unwrap_err().kind(),
        ErrorKind::PathTooLong
    );
    let mut config = CommandConfig::new();
    config.max_local_part_len(100);
    assert!(config.parse(local65.as_bytes()).unwrap().is_complete());
    let long_path = format!(
        "RCPT TO:<a@{}.example>\r\n",
        vec!["b".repeat(60); 5].join(".")
    );
    assert_eq!(
        Command::parse(long_path.as_bytes()).unwrap_err().kind(),
        ErrorKind::PathTooLong
    );
    let mut config = CommandConfig::new();
    config.max_line_len(64);
    assert_eq!(
        config.parse(&local65.as_bytes()[..70]).unwrap_err().kind(),
        ErrorKind::LineTooLong
    );
}

#[test]
fn leniency_is_opt_in() {
    let mut config = CommandConfig::new();
    config.allow_bare_lf(true).allow_space_after_colon(true);
    let stream = b"EHLO a.example\nMAIL FROM: <a@b.example>\nRCPT TO: <c@d.example>\r\n";
    let events = walk_client_stream(&config, stream, &[]);
    assert_eq!(events.len(), 3);
    assert!(
        events
            .iter()
            .all(|event| matches!(event, Event::Command(_)))
    );
    // Bare CR and NUL stay errors even then.
    assert_eq!(
        config.parse(b"NO\rOP\n").unwrap_err().kind(),
        ErrorKind::BareCr
    );
    assert_eq!(
        config.parse(b"NO\0OP\n").unwrap_err().kind(),
        ErrorKind::Nul
    );
}

/// The real clients' streams (Postfix, Exim, swaks, smtplib) parse with no
/// error and nothing left over.
#[test]
fn real_client_captures_parse() {
    let config = CommandConfig::new();
    let mut commands = 0;
    let mut checked = 0;
    for prefix in capture_prefixes() {
        if prefix.contains("/server.") {
            continue; // scripted sessions with deliberate errors: see below
        }
        let stream = data(&format!("captures/{prefix}.c2s"));
        let replies = naive_reply_codes(&data(&format!("captures/{prefix}.s2c")));
        for event in walk_client_stream(&config, &stream, &replies) {
            match event {
                Event::Command(_) => commands += 1,
                Event::Error(err, line) => {
                    panic!("{prefix}: {err} on {:?}", String::from_utf8_lossy(&line))
                }
                Event::Incomplete(rest) => {
                    panic!("{prefix}: left over {:?}", String::from_utf8_lossy(&rest))
                }
                _ => {}
            }
        }
        checked += 1;
    }
    assert!(
        checked >= 20 && commands >= 150,
        "{checked} captures, {commands} commands"
    );
}

/// Postfix's scripted sessions: every error is one of the lines the script
/// got wrong on purpose, and nothing else fails.
#[test]
fn scripted_sessions_fail_only_where_meant_to() {
    let config = CommandConfig::new();
    let expected: &[(&str, &[(ErrorKind, &str)])] = &[
        ("server.auth", &[(ErrorKind::InvalidCommand, "*")]),
        (
            "server.bare-lf",
            &[
                (ErrorKind::BareLf, "EHLO client.peer.test"),
                (ErrorKind::BareLf, "NOOP"),
            ],
        ),
        (
            "server.bdat-errors",
            &[
                (ErrorKind::InvalidSyntax, "BDAT 4 LAST FOO"),
                (ErrorKind::InvalidSyntax, "BDAT abc"),
            ],
        ),
        (
            "server.command-errors",
            &[
                (ErrorKind::MissingArgument, "HELO"),
                (ErrorKind::MissingArgument, "EHLO"),
                (ErrorKind::InvalidSenderAddress, "MAIL FROM:alice@peer.test"),
                (
                    ErrorKind::InvalidSenderAddress,
                    "MAIL FROM:<alice@peer.test",
                ),
                (ErrorKind::InvalidRecipientAddress, "RCPT TO:"),
                (ErrorKind::InvalidRecipientAddress, "RCPT TO:<>"),
                (ErrorKind::InvalidSyntax, "RCPT TO: <carol@example.net>"),
                (ErrorKind::LineTooLong, "NOOP xxxx"),
                (ErrorKind::LineTooLong, "NOOP yyyy"),
                (ErrorKind::Nul, "NO\0OP"),
            ],
        ),
        (
            "server.dsn-utf8-size",
            &[(
                ErrorKind::InvalidParameterValue,
                "RCPT TO:<dave@example.test> NOTIFY=BOGUS",
            )],
        ),
        (
            "server.session-basics",
            &[(ErrorKind::MissingArgument, "VRFY")],
        ),
    ];
    for prefix in capture_prefixes()
        .into_iter()
        .filter(|p| p.starts_with("postfix/server."))
    {
        let stream = data(&format!("captures/{prefix}.c2s"));
        let replies = naive_reply_codes(&data(&format!("captures/{prefix}.s2c")));
        let errors: Vec<(ErrorKind, String)> = walk_client_stream(&config, &stream, &replies)
            .into_iter()
            .filter_map(|event| match event {
                Event::Error(err, line) => {
                    Some((err.kind(), String::from_utf8_lossy(&line).into_owned()))
                }
                Event::Incomplete(rest) => {
                    panic!("{prefix}: left over {:?}", String::from_utf8_lossy(&rest))
                }
                _ => None,
            })
            .collect();
        let name = prefix.trim_start_matches("postfix/");
        let want = expected
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[][..], |(_, want)| want);
        assert_eq!(errors.len(), want.len(), "{prefix}: {errors:?}");
        for ((kind, line), (want_kind, want_start)) in errors.iter().zip(want) {
            assert_eq!(kind, want_kind, "{prefix}: {line:?}");
            assert!(line.starts_with(want_start), "{prefix}: {line:?}");
        }
    }
}

// ---- proptests -------------------------------------------------------------

fn domain() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?", 1..4)
        .prop_map(|labels| labels.join("."))
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => domain(),
        1 => any::<[u8; 4]>().prop_map(|ip| format!("[{}]", std::net::Ipv4Addr::from(ip))),
        1 => any::<[u16; 8]>().prop_map(|ip| format!("[IPv6:{}]", std::net::Ipv6Addr::from(ip))),
        1 => (0u16..3).prop_map(|n| format!("[IPv6:::{n}]")),
    ]
}

fn local_part() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec("[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,6}", 1..3).prop_map(|atoms| atoms.join(".")),
        1 => "[ a-zA-Z0-9@<>.,:;]{0,8}".prop_map(|s| format!("\"{s}\"")),
        1 => "[a-z]{1,4}".prop_map(|s| format!("\"{s}\\\"{s}\\\\\"")),
    ]
}

fn mailbox() -> impl Strategy<Value = String> {
    (local_part(), host()).prop_map(|(l, h)| format!("{l}@{h}"))
}

fn xtext() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof!["[!-*,-<>-~]", "\\+[0-9A-F][0-9A-F]"], 1..6)
        .prop_map(|parts| parts.concat())
        .prop_filter("decoded controls are refused", |x| {
            smtp_wire::param::XText::new(x).is_ok()
        })
}

fn mail_param() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| format!("SIZE={n}")),
        prop::sample::select(vec![
            "BODY=7BIT",
            "BODY=8BITMIME",
            "BODY=BINARYMIME",
            "SMTPUTF8",
            "REQUIRETLS",
            "CONPERM",
            "RET=FULL",
            "RET=HDRS",
            "AUTH=<>"
        ])
        .prop_map(String::from),
        xtext().prop_map(|x| format!("ENVID={x}")),
        (-9i8..=9).prop_map(|n| format!("MT-PRIORITY={n}")),
        (0u32..999_999_999).prop_map(|n| format!("HOLDFOR={n}")),
        (1i32..999_999_999, any::<bool>())
            .prop_map(|(n, t)| format!("BY={n};R{}", if t { "T" } else { "" })),
        "X[A-Z0-9-]{1,6}(=[!-<>-~]{1,6})?",
    ]
}

fn rcpt_param() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "NOTIFY=NEVER",
            "NOTIFY=SUCCESS",
            "NOTIFY=FAILURE,DELAY",
            "NOTIFY=SUCCESS,FAILURE,DELAY",
            "CONNEG"
        ])
        .prop_map(String::from),
        xtext().prop_map(|x| format!("ORCPT=rfc822;{x}")),
        "X[A-Z0-9-]{1,6}(=[!-<>-~]{1,6})?",
    ]
}

/// Distinct keywords, since most parameters may appear only once.
fn dedup(params: Vec<String>) -> String {
    let mut seen = std::collections::HashSet::new();
    params
        .into_iter()
        .filter(|p| seen.insert(p.split('=').next().unwrap().to_ascii_uppercase()))
        .map(|p| format!(" {p}"))
        .collect()
}

fn command_line() -> impl Strategy<Value = String> {
    prop_oneof![
        host().prop_map(|h| format!("EHLO {h}")),
        domain().prop_map(|h| format!("HELO {h}")),
        (
            prop_oneof![
                Just("<>".to_string()),
                mailbox().prop_map(|m| format!("<{m}>"))
            ],
            prop::collection::vec(mail_param(), 0..5)
        )
            .prop_map(|(path, params)| format!("MAIL FROM:{path}{}", dedup(params))),
        (mailbox(), prop::collection::vec(rcpt_param(), 0..4))
            .prop_map(|(m, params)| format!("RCPT TO:<{m}>{}", dedup(params))),
        (any::<u64>(), any::<bool>())
            .prop_map(|(n, last)| format!("BDAT {n}{}", if last { " LAST" } else { "" })),
        prop::sample::select(vec![
            "DATA",
            "RSET",
            "QUIT",
            "STARTTLS",
            "NOOP",
            "HELP",
            "AUTH LOGIN",
            "AUTH PLAIN =",
            "ATRN"
        ])
        .prop_map(String::from),
        "[a-z]{1,8}( [a-z]{1,8}){0,2}".prop_map(|t| format!("VRFY {t}")),
        "[A-Za-z0-9+/]{4}{1,5}".prop_map(|b| format!("AUTH PLAIN {b}")),
        "X[A-Z]{2,6}( [ -~]{0,10}[!-~])?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// parse(encode(x)) == x, consuming exactly the encoded length; appending
    /// bytes changes nothing.
    #[test]
    fn encode_parse_roundtrip(line in command_line(), tail in prop::collection::vec(any::<u8>(), 0..20)) {
        let input = format!("{line}\r\n");
        let (command, used) = match Command::parse(input.as_bytes()) {
            Ok(Status::Complete(done)) => done,
            other => return Err(TestCaseError::fail(format!("{line:?}: {other:?}"))),
        };
        prop_assert_eq!(used, input.len());
        let encoded = command.encode_to_vec();
        prop_assert_eq!(Command::parse(&encoded), Ok(Status::Complete((command, encoded.len()))));
        let mut longer = input.clone().into_bytes();
        longer.extend_from_slice(&tail);
        prop_assert_eq!(Command::parse(&longer), Ok(Status::Complete((command, used))));
    }

    /// Any split of a pipelined stream parses to the same sequence.
    #[test]
    fn any_split_same_sequence(lines in prop::collection::vec(command_line(), 1..8), cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6)) {
        let stream: Vec<u8> = lines.iter().flat_map(|l| format!("{l}\r\n").into_bytes()).collect();
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(stream.len() + 1)).collect();
        points.push(stream.len());
        points.sort_unstable();
        // Feed the stream through a buffer that receives it in pieces.
        let mut buffer = Vec::new();
        let mut parsed = Vec::new();
        let mut fed = 0;
        for point in points {
            buffer.extend_from_slice(&stream[fed..point]);
            fed = point;
            while let Status::Complete((command, used)) = Command::parse(&buffer).map_err(|e| TestCaseError::fail(e.to_string()))? {
                parsed.push(command.encode_to_vec());
                buffer.drain(..used);
            }
        }
        prop_assert!(buffer.is_empty());
        let whole: Vec<Vec<u8>> = lines.iter().map(|line| {
            let input = format!("{line}\r\n");
            let Ok(Status::Complete((command, _))) = Command::parse(input.as_bytes()) else { panic!("{line:?}") };
            command.encode_to_vec()
        }).collect();
        prop_assert_eq!(parsed, whole);
    }

    /// Arbitrary bytes never panic, and a result always fits the input.
    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        match Command::parse(&bytes) {
            Ok(Status::Complete((_, used))) => prop_assert!(used <= bytes.len() && bytes[..used].ends_with(b"\r\n")),
            Ok(Status::Partial) => prop_assert!(bytes.len() < 512),
            Err(err) => prop_assert!(err.skip() <= bytes.len()),
        }
    }
}

/// The shapes the one-pass path takes, at the edges where it hands over to
/// the framed path: the line limit counted exactly (also for AUTH), a
/// trailing space, lenient line ends and colons, `<Postmaster>` and `<>`,
/// letters in either case, and fields that end on either side of an
/// eight-byte word. (The in-crate tests compare both paths with the old
/// parser on every input; these pin the answers.)
#[test]
fn one_pass_edges() {
    fn ok<'a>(config: &CommandConfig, line: &'a [u8]) -> (Command<'a>, usize) {
        match config.parse(line) {
            Ok(Status::Complete((command, used))) => (command, used),
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(line)),
        }
    }
    let err = |config: &CommandConfig, line: &[u8]| match config.parse(line) {
        Err(err) => (err.kind(), err.skip(), err.needs_resync()),
        other => panic!("{:?}: {other:?}", String::from_utf8_lossy(line)),
    };
    let strict = CommandConfig::new();

    // A RCPT line of exactly 512 bytes with CRLF, then one byte more.
    let mut line = b"RCPT TO:<a@".to_vec();
    while line.len() < 509 {
        // Labels of nine letters: a label has at most 63.
        line.push(if line.len().is_multiple_of(10) {
            b'.'
        } else {
            b'b'
        });
    }
    line.extend_from_slice(b">\r\n");
    assert_eq!(line.len(), 512);
    let mut long = strict;
    long.max_domain_len(1000).max_path_len(1000);
    assert!(matches!(ok(&long, &line), (Command::Rcpt(_), 512)));
    line.insert(12, b'b');
    assert_eq!(err(&long, &line), (ErrorKind::LineTooLong, 513, false));
    // The domain limit is exact too.
    let mut domain = strict;
    domain.max_domain_len(11);
    assert!(ok(&domain, b"RCPT TO:<a@example.org>\r\n").1 == 25);
    assert_eq!(
        err(&domain, b"RCPT TO:<a@example.orgx>\r\n").0,
        ErrorKind::PathTooLong
    );

    // AUTH lines may pass 512 bytes, up to the AUTH limit.
    let mut auth = b"AUTH PLAIN ".to_vec();
    auth.resize(11 + 600, b'A');
    auth.extend_from_slice(b"\r\n");
    assert!(matches!(ok(&strict, &auth), (Command::Auth(_), 613)));
    let mut small = strict;
    small.max_auth_line_len(600);
    assert_eq!(err(&small, &auth), (ErrorKind::AuthLineTooLong, 613, false));

    // Trailing blanks are trimmed (RFC 5321 §4.1.1), bare LF is refused
    // unless allowed, a space after the colon only where allowed.
    assert!(matches!(
        ok(&strict, b"RCPT TO:<b@example.org> \r\n"),
        (Command::Rcpt(_), 26)
    ));
    assert!(matches!(ok(&strict, b"DATA\t\r\n"), (Command::Data, 7)));
    assert_eq!(
        err(&strict, b"QUIT\nNOOP\r\n"),
        (ErrorKind::BareLf, 5, false)
    );
    let mut lenient = strict;
    lenient.allow_bare_lf(true).allow_space_after_colon(true);
    assert!(matches!(
        ok(&lenient, b"QUIT\nNOOP\r\n"),
        (Command::Quit, 5)
    ));
    assert!(matches!(
        ok(&lenient, b"mail from: <a@b.example> size=10\n"),
        (Command::Mail(_), 33)
    ));
    assert_eq!(
        err(&strict, b"MAIL FROM: <a@b.example>\r\n").0,
        ErrorKind::InvalidSyntax
    );
    assert_eq!(err(&strict, b"RCPT TO:<a@b>\rX\r\n").0, ErrorKind::BareCr);
    assert_eq!(err(&strict, b"RCPT TO:<a@b>\0\r\n").0, ErrorKind::Nul);
    // A line without its LF is never judged.
    assert_eq!(strict.parse(b"RCPT TO:<a@b>\r"), Ok(Status::Partial));

    let (command, _) = ok(&strict, b"rcpt to:<POSTMASTER>\r\n");
    assert!(matches!(command, Command::Rcpt(r) if r.path == ForwardPath::Postmaster));
    let (command, _) = ok(&strict, b"MAIL FROM:<> BODY=8bitmime\r\n");
    assert!(matches!(command, Command::Mail(m)
        if m.path == ReversePath::Null && m.params.body == Some(Body::EightBitMime)));
    assert_eq!(
        err(&strict, b"RCPT TO:<>\r\n").0,
        ErrorKind::InvalidRecipientAddress
    );

    // Local parts and labels of every length around a word of eight bytes.
    for local in 1..20 {
        for label in 1..20 {
            let text = format!(
                "RCPT TO:<{}.x+y@{}.example-{}.org> NOTIFY=never\r\n",
                "l".repeat(local),
                "d".repeat(label),
                "9".repeat(label)
            );
            let (command, used) = ok(&strict, text.as_bytes());
            assert_eq!(used, text.len());
            let Command::Rcpt(rcpt) = command else {
                panic!("{text}")
            };
            let mailbox = rcpt.path.mailbox().expect("mailbox");
            assert_eq!(mailbox.local_part().as_str().len(), local + 4);
            assert_eq!(rcpt.params.notify, Some(Notify::Never));
            // A hyphen at the end of any label is refused.
            let bad = text.replace(".org>", "-.org>");
            assert_eq!(
                err(&strict, bad.as_bytes()).0,
                ErrorKind::InvalidRecipientAddress
            );
        }
    }
}
