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
            // 21 digits: not `1*20DIGIT` (RFC 1870), so a syntax error.
            b"MAIL FROM:<a@b.example> SIZE=184467440737095516160\r\n",
            ErrorKind::InvalidParameterValue,
            501,
            "5.5.4",
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
        assert_eq!(err.reply().code().get(), code, "{shown:?}");
        assert_eq!(err.reply().enhanced().to_string(), enhanced, "{shown:?}");
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
    assert_eq!(err.reply().enhanced().to_string(), "5.5.6");
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

// ---- grammar edges -----------------------------------------------------------

/// The error a default parse of `line` (CRLF appended) gives, with its reply.
fn refused(config: &CommandConfig, line: &str) -> (ErrorKind, String) {
    let input = format!("{line}\r\n");
    match config.parse(input.as_bytes()) {
        Err(err) => {
            assert_eq!(err.skip(), input.len(), "{line:?}");
            let reply = err.reply();
            (err.kind(), format!("{} {}", reply.code(), reply.enhanced()))
        }
        other => panic!("{line:?} parsed: {other:?}"),
    }
}

fn parsed<'a>(config: &CommandConfig, input: &'a [u8]) -> Command<'a> {
    match config.parse(input) {
        Ok(Status::Complete((command, used))) => {
            assert_eq!(used, input.len(), "{input:?}");
            command
        }
        other => panic!("{:?}: {other:?}", String::from_utf8_lossy(input)),
    }
}

/// RFC 5234 §2.3: quoted ABNF literals match in either case, wherever they
/// are: RRVS action letters (RFC 7293), BY modes, BODY, RET and NOTIFY
/// values, `FROM:`/`TO:`, `<Postmaster>`, `LAST`, `IPv6:`, `SMTPUTF8` of
/// VRFY, `T`/`Z` of dates, the `utf-8` address type and RFC 6533 hex digits.
#[test]
fn quoted_literals_in_either_case() {
    let Command::Rcpt(rcpt) = kat(
        "RCPT TO:<a@b.c> RRVS=2014-04-03T23:01:00Z;c",
        "RCPT TO:<a@b.c> RRVS=2014-04-03T23:01:00Z;C",
    ) else {
        panic!()
    };
    assert_eq!(
        rcpt.params.rrvs.unwrap().action(),
        Some(RrvsAction::Continue)
    );
    let Command::Rcpt(rcpt) = kat(
        "rcpt to:<postmaster> rrvs=2014-04-03t23:01:00z;r notify=never orcpt=UTF-8;a\\x{e9}",
        "RCPT TO:<Postmaster> NOTIFY=NEVER ORCPT=UTF-8;a\\x{e9} RRVS=2014-04-03t23:01:00z;R",
    ) else {
        panic!()
    };
    assert_eq!(rcpt.path, ForwardPath::Postmaster);
    assert_eq!(rcpt.params.rrvs.unwrap().action(), Some(RrvsAction::Reject));
    let orcpt = rcpt.params.orcpt.unwrap();
    assert!(orcpt.is_utf8() && orcpt.is_ascii());
    assert_eq!(orcpt.utf8_address().unwrap().collect::<String>(), "aé");
    kat(
        "mail from:<a@b.example> body=binarymime ret=hdrs by=10;rt holduntil=2030-01-01t00:00:00z",
        "MAIL FROM:<a@b.example> BODY=BINARYMIME RET=HDRS HOLDUNTIL=2030-01-01t00:00:00z BY=10;RT",
    );
    kat("bdat 10 last", "BDAT 10 LAST");
    kat("ehlo [ipv6:::1]", "EHLO [IPv6:::1]");
    kat("vrfy bob smtputf8", "VRFY bob SMTPUTF8");
    // Upper and lower hex digits alike in an RFC 6533 escape.
    kat("RCPT TO:<a@b> ORCPT=utf-8;\\x{Fc}", "");
    // The mode and action letters are still only those letters.
    for bad in [
        "RCPT TO:<a@b.c> RRVS=2014-04-03T23:01:00Z;x",
        "RCPT TO:<a@b.c> RRVS=2014-04-03T23:01:00Z;",
        "RCPT TO:<a@b.c> RRVS=2014-04-03T23:01:00Z;cc",
    ] {
        let (kind, reply) = refused(&CommandConfig::new(), bad);
        assert_eq!(
            (kind, reply.as_str()),
            (ErrorKind::InvalidParameterValue, "501 5.5.4")
        );
    }
}

/// `SIZE = 1*20DIGIT` (RFC 1870 §3): a 21st digit is a syntax error even
/// as a leading zero; a grammatical value past `u64::MAX` is 552.
/// `HOLDFOR = 1*9DIGIT` (RFC 4865 §5), ten digits only with
/// `allow_long_hold_for`; MTRK's timeout stays `1*9DIGIT`.
#[test]
fn digit_limits() {
    let strict = CommandConfig::new();
    for (line, kind, reply) in [
        (
            "MAIL FROM:<a@b> SIZE=000000000000000000001",
            ErrorKind::InvalidParameterValue,
            "501 5.5.4",
        ),
        (
            "MAIL FROM:<a@b> SIZE=184467440737095516150",
            ErrorKind::InvalidParameterValue,
            "501 5.5.4",
        ),
        (
            "MAIL FROM:<a@b> SIZE=18446744073709551616",
            ErrorKind::SizeOutOfRange,
            "552 5.3.4",
        ),
        (
            "MAIL FROM:<a@b> SIZE=99999999999999999999",
            ErrorKind::SizeOutOfRange,
            "552 5.3.4",
        ),
        (
            "MAIL FROM:<a@b> HOLDFOR=1000000000",
            ErrorKind::InvalidParameterValue,
            "501 5.5.4",
        ),
        (
            "MAIL FROM:<a@b> HOLDFOR=0000000001",
            ErrorKind::InvalidParameterValue,
            "501 5.5.4",
        ),
        (
            "MAIL FROM:<a@b> MTRK=QUJD:0000000001",
            ErrorKind::InvalidParameterValue,
            "501 5.5.4",
        ),
    ] {
        let (got, got_reply) = refused(&strict, line);
        assert_eq!((got, got_reply.as_str()), (kind, reply), "{line}");
    }
    kat(
        "MAIL FROM:<a@b> SIZE=00000000000000000001",
        "MAIL FROM:<a@b> SIZE=1",
    );
    kat("MAIL FROM:<a@b> SIZE=18446744073709551615", "");
    kat("MAIL FROM:<a@b> HOLDFOR=999999999", "");
    kat(
        "MAIL FROM:<a@b> HOLDFOR=000000001",
        "MAIL FROM:<a@b> HOLDFOR=1",
    );
    let mut long = CommandConfig::new();
    long.allow_long_hold_for(true);
    let Command::Mail(mail) = parsed(&long, b"MAIL FROM:<a@b> HOLDFOR=4294967295\r\n") else {
        panic!()
    };
    assert_eq!(mail.params.hold_for, Some(u32::MAX));
    for line in [
        "MAIL FROM:<a@b> HOLDFOR=4294967296",
        "MAIL FROM:<a@b> HOLDFOR=00000000001",
        "MAIL FROM:<a@b> MTRK=QUJD:1000000000",
    ] {
        assert_eq!(
            refused(&long, line).0,
            ErrorKind::InvalidParameterValue,
            "{line}"
        );
    }
}

/// RFC 3339 §5.7 field ranges in HOLDUNTIL and RRVS.
#[test]
fn date_fields() {
    let strict = CommandConfig::new();
    for date in [
        "2024-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-00-10T00:00:00Z",
        "2024-01-00T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:60Z",
        "2024-06-30T23:59:61Z",
        "2024-06-30T23:59:60+01:00",
        "2024-01-01T00:00:00+24:00",
        "2024-01-01T00:00:00-00:60",
    ] {
        for line in [
            format!("MAIL FROM:<a@b> HOLDUNTIL={date}"),
            format!("RCPT TO:<a@b> RRVS={date}"),
        ] {
            let (kind, reply) = refused(&strict, &line);
            assert_eq!(
                (kind, reply.as_str()),
                (ErrorKind::InvalidParameterValue, "501 5.5.4")
            );
        }
    }
    for date in [
        "2024-02-29T00:00:00Z",
        "2000-02-29T23:59:59.999-12:59",
        "2016-12-31T23:59:60Z",
        "2016-12-31T15:59:60-08:00",
        "2017-01-01T08:59:60+09:00",
        "2015-06-30T23:59:60.5Z",
    ] {
        kat(&format!("MAIL FROM:<a@b> HOLDUNTIL={date}"), "");
    }
}

/// RFC 6533 §3 `utf-8` ORCPT; other types are ASCII xtext.
#[test]
fn orcpt_utf8_addresses() {
    let strict = CommandConfig::new();
    for address in [
        "utf-8;a\\b",
        "utf-8;a\\x{D800}",
        "utf-8;a\\x{41}",
        "utf-8;a\\x{110000}",
        "utf-8;a\\x{0E9}",
        "utf-8;a\\X{E9}",
        "utf-8;a\\x{85}",
        "utf-8;a\\x{1}",
        "utf-8;a+2Bb",
        "utf-8;a\u{202e}b",
        "rfc822;é@b",
        "rfc822;a+C3@b",
        "rfc822;a+C2+85b",
    ] {
        let line = format!("RCPT TO:<a@b> ORCPT={address}");
        let (kind, reply) = refused(&strict, &line);
        assert_eq!(
            (kind, reply.as_str()),
            (ErrorKind::InvalidParameterValue, "501 5.5.4"),
            "{line}"
        );
    }
    for (address, decoded, ascii) in [
        (
            "utf-8;j\\x{F6}rg@b\\x{FC}cher.example",
            "jörg@bücher.example",
            true,
        ),
        ("utf-8;jörg@bücher.example", "jörg@bücher.example", false),
        (
            "utf-8;a\\x{2B}b\\x{3D}c\\x{5C}d\\x{20}e",
            "a+b=c\\d e",
            true,
        ),
        ("utf-8;\\x{1F600}@\\x{10FFFF}", "\u{1F600}@\u{10FFFF}", true),
    ] {
        let line = format!("RCPT TO:<a@b> ORCPT={address}");
        let Command::Rcpt(rcpt) = kat(&line, "") else {
            panic!()
        };
        let orcpt = rcpt.params.orcpt.unwrap();
        assert_eq!(orcpt.utf8_address().unwrap().collect::<String>(), decoded);
        assert_eq!(
            (orcpt.is_ascii(), rcpt.is_ascii()),
            (ascii, ascii),
            "{line}"
        );
    }
    let Command::Rcpt(rcpt) = kat("RCPT TO:<a@b> ORCPT=rfc822;a+2Bb@c", "") else {
        panic!()
    };
    assert!(rcpt.params.orcpt.unwrap().utf8_address().is_none());
    // Non-ASCII in an rfc822 ORCPT only escaped, as Postfix sends it.
    let Command::Rcpt(rcpt) = kat(
        "RCPT TO:<üsér@example.test> ORCPT=rfc822;+C3+BCs+C3+A9r@example.test",
        "",
    ) else {
        panic!()
    };
    let orcpt = rcpt.params.orcpt.unwrap();
    assert_eq!(orcpt.address().to_decoded_string(), "üsér@example.test");
    assert!(orcpt.is_ascii() && !rcpt.is_ascii());
}

/// No controls (C0, C1, also from xtext escapes forming UTF-8), line or
/// paragraph separators, bidi controls or zero-width characters in
/// addresses and decoded values.
#[test]
fn hidden_characters_are_refused() {
    let strict = CommandConfig::new();
    let (kind, reply) = refused(&strict, "MAIL FROM:<> ENVID=a+C2+85b");
    assert_eq!(
        (kind, reply.as_str()),
        (ErrorKind::InvalidParameterValue, "501 5.5.4")
    );
    for env in [
        "a+E2+80+A8",
        "a\u{2028}",
        "a+EF+BB+BF",
        "a+C3",
        "a+FF",
        "+E2+80+AE",
    ] {
        let line = format!("MAIL FROM:<> ENVID={env} SMTPUTF8");
        assert_eq!(
            refused(&strict, &line).0,
            ErrorKind::InvalidParameterValue,
            "{line}"
        );
        let line = format!("MAIL FROM:<> AUTH={env}@b SMTPUTF8");
        assert_eq!(
            refused(&strict, &line).0,
            ErrorKind::InvalidParameterValue,
            "{line}"
        );
    }
    kat("MAIL FROM:<> ENVID=a+C3+A9", "");
    for c in [
        '\u{85}', '\u{2028}', '\u{2029}', '\u{202E}', '\u{200B}', '\u{FEFF}', '\u{9F}', '\u{200D}',
    ] {
        let domain = format!("b{c}c.example");
        let (kind, reply) = refused(&strict, &format!("MAIL FROM:<a@{domain}> SMTPUTF8"));
        assert_eq!(
            (kind, reply.as_str()),
            (ErrorKind::InvalidSenderAddress, "501 5.1.7")
        );
        let (kind, reply) = refused(&strict, &format!("RCPT TO:<a@{domain}>"));
        assert_eq!(
            (kind, reply.as_str()),
            (ErrorKind::InvalidRecipientAddress, "501 5.1.3")
        );
        let (kind, reply) = refused(&strict, &format!("RCPT TO:<a{c}b@example.org>"));
        assert_eq!(
            (kind, reply.as_str()),
            (ErrorKind::InvalidRecipientAddress, "501 5.1.3")
        );
        let (kind, reply) = refused(&strict, &format!("EHLO {domain}"));
        assert_eq!(
            (kind, reply.as_str()),
            (ErrorKind::InvalidDomain, "501 5.5.4")
        );
        let (kind, _) = refused(&strict, &format!("RCPT TO:<@{domain}:a@b.example>"));
        assert_eq!(kind, ErrorKind::InvalidRecipientAddress);
        assert!(smtp_wire::address::Domain::new(&domain).is_err());
        assert!(smtp_wire::address::LocalPart::new(&format!("a{c}b")).is_err());
    }
    kat("RCPT TO:<jörg@bücher.example>", "");
}

/// RFC 6531 §3.4: MAIL with a non-ASCII path needs SMTPUTF8 (553 5.6.7);
/// RCPT cannot know, so it parses and says whether it is ASCII.
#[test]
fn utf8_addresses_need_smtputf8() {
    let strict = CommandConfig::new();
    for line in [
        "MAIL FROM:<josé@example.com>",
        "MAIL FROM:<a@bücher.example> SIZE=10",
        "MAIL FROM:<@bücher.example:a@b.example>",
        "MAIL FROM:<\"jö sé\"@example.com>",
    ] {
        let (kind, reply) = refused(&strict, line);
        assert_eq!(
            (kind, reply.as_str()),
            (ErrorKind::NonAsciiAddress, "553 5.6.7"),
            "{line}"
        );
    }
    assert_eq!(
        ErrorKind::NonAsciiAddress.reply().to_string(),
        "553 5.6.7 Non-ASCII address needs SMTPUTF8"
    );
    // A syntax error still comes first.
    assert_eq!(
        refused(&strict, "MAIL FROM:<josé@example.com> SIZE=x").0,
        ErrorKind::InvalidParameterValue
    );
    let Command::Mail(mail) = kat("MAIL FROM:<josé@example.com> SMTPUTF8", "") else {
        panic!()
    };
    assert!(!mail.is_ascii() && !mail.path.is_ascii());
    assert!(!mail.path.mailbox().unwrap().is_ascii());
    let Command::Rcpt(rcpt) = kat("RCPT TO:<josé@example.com>", "") else {
        panic!()
    };
    assert!(!rcpt.is_ascii() && !rcpt.path.is_ascii());
    let Command::Rcpt(rcpt) = kat("RCPT TO:<jose@example.com>", "") else {
        panic!()
    };
    assert!(rcpt.is_ascii() && ForwardPath::Postmaster.is_ascii() && ReversePath::Null.is_ascii());
    // MailFrom::new adds SMTPUTF8 where the path needs it.
    let mail = smtp_wire::command::MailFrom::new(
        smtp_wire::address::Mailbox::new("josé@example.com").unwrap(),
    );
    assert!(mail.params.smtputf8);
    let encoded = Command::from(mail).encode_to_vec();
    assert_eq!(parsed(&strict, &encoded), Command::Mail(mail));
}

/// `EHLO host text`: refused by default, accepted with
/// `allow_hello_trailing_text`, the text available apart.
#[test]
fn hello_trailing_text() {
    let strict = CommandConfig::new();
    let (kind, reply) = refused(&strict, "EHLO client.example (my laptop)");
    assert_eq!(
        (kind, reply.as_str()),
        (ErrorKind::InvalidDomain, "501 5.5.4")
    );
    assert_eq!(
        strict.hello_trailing_text(b"EHLO client.example (my laptop)\r\n"),
        None
    );
    let mut lenient = CommandConfig::new();
    lenient.allow_hello_trailing_text(true);
    for (line, verb, host, text) in [
        (
            "EHLO client.example (my laptop)",
            "EHLO",
            "client.example",
            Some("(my laptop)"),
        ),
        (
            "helo [192.0.2.1]   Outlook  16  ",
            "HELO",
            "[192.0.2.1]",
            Some("Outlook  16"),
        ),
        ("LHLO lmtp.example ü", "LHLO", "lmtp.example", Some("ü")),
        ("EHLO client.example", "EHLO", "client.example", None),
    ] {
        let input = format!("{line}\r\n");
        let command = parsed(&lenient, input.as_bytes());
        let (Command::Ehlo(got) | Command::Helo(got) | Command::Lhlo(got)) = command else {
            panic!("{command:?}")
        };
        assert_eq!((command.verb(), got.to_string().as_str()), (verb, host));
        assert_eq!(
            lenient
                .hello_trailing_text(input.as_bytes())
                .map(|t| t.as_str()),
            text,
            "{line}"
        );
        // The text is never encoded: the command round-trips without it.
        let encoded = command.encode_to_vec();
        assert_eq!(encoded, format!("{verb} {host}\r\n").into_bytes());
        assert_eq!(parsed(&lenient, &encoded), command);
        assert_eq!(parsed(&strict, &encoded), command);
    }
    assert!(matches!(
        lenient.parse(b"EHLO client.example (my laptop)\r\n"),
        Ok(Status::Complete((Command::Ehlo(Host::Domain(_)), 33)))
    ));
    for (line, kind) in [
        ("EHLO bad_host (x)", ErrorKind::InvalidDomain),
        ("EHLO a.example x\u{85}", ErrorKind::InvalidSyntax),
        ("EHLO a.example \tx", ErrorKind::InvalidSyntax),
    ] {
        assert_eq!(refused(&lenient, line).0, kind, "{line}");
    }
    assert_eq!(lenient.hello_trailing_text(b"NOOP x\r\n"), None);
    assert_eq!(lenient.hello_trailing_text(b"EHLO a.example x"), None);
}

/// Unknown MAIL/RCPT parameters: kept in `others` by default, `555 5.5.4`
/// with `refuse_unknown_params`.
#[test]
fn unknown_parameters() {
    let strict = CommandConfig::new();
    let Command::Rcpt(rcpt) = parsed(&strict, b"RCPT TO:<b@example.net> FOO=bar\r\n") else {
        panic!()
    };
    let others: Vec<String> = rcpt.params.others.iter().map(|p| p.to_string()).collect();
    assert_eq!(others, ["FOO=bar"]);
    let mut refusing = CommandConfig::new();
    refusing.refuse_unknown_params(true);
    for line in [
        "RCPT TO:<b@example.net> FOO=bar",
        "RCPT TO:<b@example.net> NOTIFY=NEVER XVERP",
        "MAIL FROM:<a@example.org> SIZE=10 X-TAG=1",
        "MAIL FROM:<> FOO",
    ] {
        let (kind, reply) = refused(&refusing, line);
        assert_eq!(
            (kind, reply.as_str()),
            (ErrorKind::UnsupportedParameter, "555 5.5.4"),
            "{line}"
        );
    }
    // A malformed parameter is still a syntax error, and typed ones pass.
    assert_eq!(
        refused(&refusing, "RCPT TO:<b@example.net> -X=1").0,
        ErrorKind::InvalidParameter
    );
    parsed(
        &refusing,
        b"MAIL FROM:<a@example.org> SIZE=10 BODY=8BITMIME SMTPUTF8 RET=FULL\r\n",
    );
    parsed(
        &refusing,
        b"RCPT TO:<b@example.net> NOTIFY=NEVER ORCPT=rfc822;b@example.net\r\n",
    );
}

// ---- grammar proptests -----------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm), and back: the calendar reference.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The code points refused in addresses and decoded values.
fn hidden(c: char) -> bool {
    let c = c as u32;
    c < 0x20
        || (0x7F..=0x9F).contains(&c)
        || [0xAD, 0x61C, 0x180E, 0xFEFF].contains(&c)
        || (0x200B..=0x200F).contains(&c)
        || (0x2028..=0x202E).contains(&c)
        || (0x2060..=0x206F).contains(&c)
        || (0xFFF9..=0xFFFB).contains(&c)
        || (0xE0000..=0xE007F).contains(&c)
}

/// One piece of an RFC 6533 address: a raw character, or an escape of a
/// code point in either case, perhaps with leading zeros.
fn utf8_addr_piece() -> impl Strategy<Value = String> {
    let code = prop_oneof![
        0u32..0x80,
        0x80u32..0x800,
        0xD7F0u32..0xE010,
        0x1F000u32..0x1F700,
        0x10FFF0u32..0x110010,
        prop::sample::select(vec![
            0x85u32, 0x2028, 0x202E, 0x200B, 0xFEFF, 0x20, 0x2B, 0x3D, 0x5C, 0x7F, 0x41
        ]),
    ];
    prop_oneof![
        any::<char>().prop_map(String::from),
        "[!-*,-<>-\\[\\]-~]{1,3}",
        (code, any::<bool>(), 0usize..2).prop_map(|(c, upper, zeros)| {
            let hex = if upper {
                format!("{c:X}")
            } else {
                format!("{c:x}")
            };
            format!("\\x{{{}{hex}}}", "0".repeat(zeros))
        }),
        Just("\\y".to_string()),
        Just("+".to_string()),
    ]
}

/// The reference for one piece: its decoded character, or `None` when it
/// is not valid in a `utf-8-addr-unitext`.
fn utf8_addr_reference(piece: &str) -> Option<Vec<char>> {
    if let Some(hex) = piece.strip_prefix("\\x{").and_then(|p| p.strip_suffix('}')) {
        let value = u32::from_str_radix(hex, 16).ok()?;
        let c = char::from_u32(value)?;
        // Canonical: no leading zero but in 01 to 09; two digits at least.
        let canonical = !hex.is_empty()
            && hex.len() >= 2
            && (!hex.starts_with('0') || (hex.len() == 2 && (1..=9).contains(&value)));
        let needs_escape = !c.is_ascii_graphic() || matches!(c, '+' | '=' | '\\');
        return (canonical && needs_escape && !hidden(c)).then(|| vec![c]);
    }
    piece
        .chars()
        .map(|c| {
            let ok = if c.is_ascii() {
                c.is_ascii_graphic() && !matches!(c, '+' | '=' | '\\')
            } else {
                !hidden(c)
            };
            ok.then_some(c)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// SIZE: up to 20 digits (leading zeros count) is a value or 552 past
    /// u64::MAX; 21 and more is 501.
    #[test]
    fn size_digit_limit(digits in "[0-9]{1,24}", zeros in 0usize..6) {
        let value = format!("{}{digits}", "0".repeat(zeros));
        let input = format!("MAIL FROM:<a@b> SIZE={value}\r\n");
        let result = Command::parse(input.as_bytes());
        match (value.len() <= 20, value.parse::<u64>()) {
            (true, Ok(n)) => {
                let Ok(Status::Complete((Command::Mail(mail), _))) = result else { panic!("{input}") };
                prop_assert_eq!(mail.params.size, Some(n));
            }
            (true, Err(_)) => prop_assert_eq!(result.unwrap_err().kind(), ErrorKind::SizeOutOfRange),
            (false, _) => prop_assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidParameterValue),
        }
    }

    /// HOLDFOR: 1*9DIGIT, or ten digits within u32 with the option.
    #[test]
    fn hold_for_digit_limit(digits in "[0-9]{1,12}", long in any::<bool>()) {
        let mut config = CommandConfig::new();
        config.allow_long_hold_for(long);
        let input = format!("MAIL FROM:<a@b> HOLDFOR={digits}\r\n");
        let max = if long { 10 } else { 9 };
        let expected = (digits.len() <= max).then(|| digits.parse::<u32>().ok()).flatten();
        match config.parse(input.as_bytes()) {
            Ok(Status::Complete((Command::Mail(mail), _))) => prop_assert_eq!(mail.params.hold_for, expected),
            Err(err) => {
                prop_assert_eq!(expected, None);
                prop_assert_eq!(err.kind(), ErrorKind::InvalidParameterValue);
            }
            other => panic!("{other:?}"),
        }
    }

    /// HOLDUNTIL against a calendar computed another way: any field values,
    /// accepted exactly when the date exists, the time is in range and a
    /// second of 60 is 23:59:60 UTC on the last day of a month.
    #[test]
    fn holduntil_calendar(
        year in 0i64..10000, month in 0i64..14, day in 0i64..33,
        hour in 0i64..26, minute in 0i64..62, second in prop_oneof![0i64..62, Just(60i64)],
        offset in prop_oneof![Just(None), (any::<bool>(), 0i64..25, 0i64..61).prop_map(Some)],
        lower in any::<bool>(),
    ) {
        let (t, z) = if lower { ('t', 'z') } else { ('T', 'Z') };
        let zone = match offset {
            None => z.to_string(),
            Some((east, h, m)) => format!("{}{h:02}:{m:02}", if east { '+' } else { '-' }),
        };
        let text = format!("{year:04}-{month:02}-{day:02}{t}{hour:02}:{minute:02}:{second:02}{zone}");
        let exists = (1..=12).contains(&month) && (1..=31).contains(&day)
            && civil_from_days(days_from_civil(year, month, day)) == (year, month, day);
        let offset_minutes = match offset {
            None => Some(0),
            Some((east, h, m)) if h <= 23 && m <= 59 => Some(if east { h * 60 + m } else { -(h * 60 + m) }),
            Some(_) => None,
        };
        let valid = exists && hour <= 23 && minute <= 59 && second <= 60 && offset_minutes.is_some_and(|offset| {
            second < 60 || {
                let utc = days_from_civil(year, month, day) * 1440 + hour * 60 + minute - offset;
                utc.rem_euclid(1440) == 1439 && civil_from_days(utc.div_euclid(1440) + 1).2 == 1
            }
        });
        prop_assert_eq!(smtp_wire::param::DateTime::new(&text).is_ok(), valid, "{}", text);
        let input = format!("MAIL FROM:<a@b> HOLDUNTIL={text}\r\n");
        prop_assert_eq!(Command::parse(input.as_bytes()).is_ok(), valid);
    }

    /// `ORCPT=utf-8;...` against a reference reading of RFC 6533 §3, and
    /// the characters it decodes to.
    #[test]
    fn orcpt_utf8_grammar(pieces in prop::collection::vec(utf8_addr_piece(), 1..6)) {
        let address: String = pieces.concat();
        let expected: Option<Vec<char>> = pieces.iter().map(|p| utf8_addr_reference(p)).collect::<Option<Vec<_>>>().map(|v| v.concat());
        // A raw backslash may join the next piece into an escape; keep the
        // cases where the pieces read alone.
        prop_assume!(!pieces.iter().any(|p| p.ends_with('\\')));
        let orcpt = smtp_wire::param::Orcpt::new("utf-8", &address);
        match expected {
            Some(chars) => {
                let orcpt = orcpt.map_err(|e| TestCaseError::fail(format!("{address:?}: {e}")))?;
                prop_assert_eq!(orcpt.utf8_address().unwrap().collect::<Vec<char>>(), chars);
                prop_assert_eq!(orcpt.is_ascii(), address.is_ascii());
                let input = format!("RCPT TO:<a@b> ORCPT=utf-8;{address}\r\n");
                let Ok(Status::Complete((Command::Rcpt(rcpt), _))) = Command::parse(input.as_bytes()) else { panic!("{input:?}") };
                prop_assert_eq!(rcpt.params.orcpt, Some(orcpt));
            }
            None => prop_assert!(orcpt.is_err(), "{:?}", address),
        }
        // The same address as rfc822 is ASCII xtext, or refused.
        if !address.is_ascii() {
            prop_assert!(smtp_wire::param::Orcpt::new("rfc822", &address).is_err());
        }
    }

    /// A character inside a U-label, a local part and an ENVID (raw and
    /// escaped octet by octet): refused exactly when hidden.
    #[test]
    fn hidden_characters(c in prop_oneof![
        any::<char>(),
        (0u32..0x100).prop_map(|n| char::from_u32(n).unwrap()),
        (0x2000u32..0x2070).prop_map(|n| char::from_u32(n).unwrap()),
        (0xE0000u32..0xE0080).prop_map(|n| char::from_u32(n).unwrap()),
        prop::sample::select(vec!['\u{AD}', '\u{61C}', '\u{180E}', '\u{FEFF}', '\u{FFF9}', '\u{FFFB}', '\u{FFFC}']),
    ]) {
        prop_assume!(!c.is_ascii());
        let domain = format!("a{c}b.example");
        prop_assert_eq!(smtp_wire::address::Domain::new(&domain).is_ok(), !hidden(c));
        let local = format!("a{c}b");
        prop_assert_eq!(smtp_wire::address::LocalPart::new(&local).is_ok(), !hidden(c));
        let input = format!("RCPT TO:<{local}@{domain}>\r\n");
        prop_assert_eq!(Command::parse(input.as_bytes()).is_ok(), !hidden(c));
        let escaped: String = c.to_string().bytes().map(|b| format!("+{b:02X}")).collect();
        for envid in [format!("x{escaped}"), format!("x{c}")] {
            prop_assert_eq!(smtp_wire::param::XText::new(&envid).is_ok(), !hidden(c), "{}", envid);
        }
    }
}

/// The flat setters build, in one expression each, the MAIL and RCPT that
/// Postfix sent in a captured DSN session; they encode to those lines
/// (canonical parameter order aside) and parse back equal.
#[test]
fn flat_setters_build_captured_commands() {
    use smtp_wire::address::Mailbox;
    use smtp_wire::command::{MailFrom, RcptTo};
    use smtp_wire::param::{Body, Notify, Orcpt, Ret, XText};

    let capture = smtp_wire_tests::data("captures/postfix/client.kitchen-dsn.1.c2s");
    let lines: Vec<&[u8]> = capture.split_inclusive(|&b| b == b'\n').collect();
    let captured = |verb: &[u8]| -> Command<'_> {
        let line = lines.iter().find(|l| l.starts_with(verb)).unwrap();
        let Ok(Status::Complete((command, _))) = Command::parse(line) else {
            panic!()
        };
        command
    };
    let mail = MailFrom::new(Mailbox::new("alice@peer.test").unwrap())
        .with_size(1603)
        .with_body(Body::EightBitMime)
        .with_envid(XText::new("QQ314159").unwrap())
        .with_ret(Ret::Headers);
    assert_eq!(Command::from(mail), captured(b"MAIL"));
    let rcpt = RcptTo::new(Mailbox::new("carol@example.net").unwrap())
        .with_orcpt(Orcpt::new("rfc822", "carol@example.net").unwrap())
        .with_notify(Notify::on(true, true, false).unwrap());
    assert_eq!(Command::from(rcpt), captured(b"RCPT"));
    for command in [Command::from(mail), Command::from(rcpt)] {
        let wire = command.encode_to_vec();
        assert_eq!(
            Command::parse(&wire),
            Ok(Status::Complete((command, wire.len())))
        );
    }
}
