//! Every input a fuzz target found a bug with, as a named test.

use smtp_wire::address::ReversePath;
use smtp_wire::command::MailFrom;
use smtp_wire::param::{MailParams, XText};
use smtp_wire::{Command, CommandConfig, Encode, Status};

/// roundtrip_command: an empty ENVID was buildable (`XText::new("")` was
/// accepted, as RFC 3461's `xtext` allows) but `ENVID=` is not an
/// `esmtp-value`, so the encoded line did not parse back.
#[test]
fn empty_xtext_is_refused() {
    assert!(XText::new("").is_err());
    let params = MailParams {
        envid: XText::new("QQ314159").ok(),
        ..MailParams::default()
    };
    let command = Command::Mail(MailFrom {
        path: ReversePath::Null,
        params,
    });
    let encoded = command.encode_to_vec();
    assert_eq!(
        CommandConfig::new().parse(&encoded),
        Ok(Status::Complete((command, encoded.len())))
    );
    assert!(Command::parse(b"MAIL FROM:<> ENVID=\r\n").is_err());
}

/// roundtrip_command: `Orcpt::new("3DE=", ..)` was accepted (`=` is atext),
/// but `ORCPT=3DE=;...` is not an `esmtp-value`.
#[test]
fn orcpt_type_without_equals() {
    assert!(smtp_wire::param::Orcpt::new("3DE=", "bob@example.org").is_err());
    assert!(smtp_wire::param::Orcpt::new("rfc822", "bob@example.org").is_ok());
    // The same holds for MTRK's base64 certifier: no padding.
    assert!(smtp_wire::param::Mtrk::new("QUI=", None).is_err());
    assert!(smtp_wire::param::Mtrk::new("QUJD", None).is_ok());
}

/// decode_data: with both a NUL and a bare LF in a rejected body, the kind
/// reported depended on where the reads split the input. It now follows a
/// fixed precedence: bare LF before NUL.
#[test]
fn data_rejection_does_not_depend_on_splits() {
    use smtp_wire::body::DataEvent;
    use smtp_wire::{DataDecoder, ErrorKind};
    let body = b"\x00\r\nline\nmore\r\n.\r\n";
    for split in 0..body.len() {
        let mut decoder = DataDecoder::new();
        let mut consumed = 0;
        let mut kind = None;
        for end in [split, body.len()] {
            while consumed < end {
                match decoder.decode(&body[consumed..end]) {
                    Ok(Status::Complete((DataEvent::Payload(_), used))) => consumed += used,
                    Ok(Status::Complete((DataEvent::End(_), _))) => panic!("a rejected body ended"),
                    Ok(Status::Partial) => break,
                    Err(err) => {
                        kind = Some(err.kind());
                        consumed += err.skip();
                    }
                }
            }
        }
        assert_eq!(kind, Some(ErrorKind::BareLfInData), "split at {split}");
        assert_eq!(consumed, body.len());
    }
}

/// roundtrip_command: a general address literal may contain `>` (`dcontent`
/// = %d33-90 / %d94-126), and the path was cut at that `>`.
#[test]
fn address_literal_containing_angle_bracket() {
    let line = b"MAIL FROM:<\"a\\\"b\"@[aste:>]> SIZE=1\r\n";
    let Ok(Status::Complete((Command::Mail(mail), used))) = Command::parse(line) else {
        panic!("{:?}", Command::parse(line));
    };
    assert_eq!(used, line.len());
    assert_eq!(mail.params.size, Some(1));
    assert_eq!(mail.path.mailbox().unwrap().host().to_string(), "[aste:>]");
    assert!(
        Command::parse(b"RCPT TO:<u@[x:a>b]>\r\n")
            .unwrap()
            .is_complete()
    );
    assert!(Command::parse(b"RCPT TO:<u@[x:ab>\r\n").is_err());
}

/// parse_command (harness): `::0.2.2.00` is a valid RFC 5321 IPv6 literal,
/// since `Snum = 1*3DIGIT` allows leading zeros, though `core::net` refuses
/// them. The harness now allows exactly that difference; the parser keeps
/// RFC 5321's grammar and reads the numbers as decimal.
#[test]
fn ipv6_literal_with_leading_zero_in_ipv4_part() {
    let Ok(Status::Complete((Command::Rcpt(rcpt), _))) =
        Command::parse(b"RCPT TO:<u@[IPv6:::0.2.2.00]>\r\n")
    else {
        panic!()
    };
    let host = rcpt.path.mailbox().unwrap().host();
    let expected = std::net::Ipv6Addr::from([0, 0, 0, 0, 0, 0, 0x0002, 0x0200]);
    assert_eq!(
        host,
        smtp_wire::address::Host::Literal(smtp_wire::address::AddressLiteral::Ipv6(expected))
    );
    // And it is written back in RFC 5952 form, which parses to the same value.
    assert_eq!(host.to_string(), "[IPv6:::2:200]");
}
