//! `Arbitrary` impls that build only valid values (feature `arbitrary`).
//!
//! Every string is either borrowed from the fuzzer's input, when it passes the
//! type's validating constructor, or else one of a few valid examples. So a
//! generated value is always valid, and the fuzzer still learns to reach the
//! validators' edges through the borrowed strings.

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::types::address::{
    AddressLiteral, Domain, ForwardPath, Host, LocalPart, Mailbox, Path, ReversePath, SourceRoute,
};
use crate::types::command::{
    AttributeSet, Attributes, Auth, Burl, Command, DomainList, Etrn, InitialResponse, Lookup,
    MailFrom, Mechanism, RcptTo, Text, Unknown,
};
use crate::types::error::ErrorKind;
use crate::types::param::{
    AuthParam, By, ByMode, DateTime, MailParams, Mtrk, Notify, Orcpt, OtherParams, Priority,
    RcptParams, Rrvs, Value, XText,
};

/// A borrowed string that `make` accepts, or one of `examples`.
fn valid<'a, T>(
    u: &mut Unstructured<'a>,
    make: impl Fn(&'a str) -> core::result::Result<T, ErrorKind>,
    examples: &[&'static str],
) -> Result<T> {
    if u.ratio(2, 3)? {
        let text: &'a str = u.arbitrary()?;
        if let Ok(value) = make(text) {
            return Ok(value);
        }
    }
    make(u.choose(examples)?).map_err(|_| arbitrary::Error::IncorrectFormat)
}

impl<'a> Arbitrary<'a> for Domain<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        valid(
            u,
            Domain::new,
            &[
                "example.org",
                "a",
                "xn--bcher-kva.example",
                "bücher.example",
                "1-2.x9",
            ],
        )
    }
}

impl<'a> Arbitrary<'a> for AddressLiteral<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=2)? {
            0 => AddressLiteral::Ipv4(u.arbitrary::<[u8; 4]>()?.into()),
            1 => AddressLiteral::Ipv6(u.arbitrary::<[u16; 8]>()?.into()),
            _ => {
                let tag = valid(
                    u,
                    |t| AddressLiteral::general(t, "x").map(|_| t),
                    &["x-tag", "Tag1"],
                )?;
                valid(u, |c| AddressLiteral::general(tag, c), &["value", "a:b:c"])?
            }
        })
    }
}

impl<'a> Arbitrary<'a> for Host<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(3, 4)? {
            Host::Domain(u.arbitrary()?)
        } else {
            Host::Literal(u.arbitrary()?)
        })
    }
}

impl<'a> Arbitrary<'a> for LocalPart<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        valid(
            u,
            LocalPart::new,
            &[
                "user",
                "first.last+tag",
                "\"john doe\"",
                "\"a\\\"b\"",
                "\"\"",
                "älice",
            ],
        )
    }
}

impl<'a> Arbitrary<'a> for Mailbox<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Mailbox::from_parts(u.arbitrary()?, u.arbitrary()?))
    }
}

impl<'a> Arbitrary<'a> for SourceRoute<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        valid(
            u,
            SourceRoute::new,
            &["@a.example", "@a.example,@b.example"],
        )
    }
}

impl<'a> Arbitrary<'a> for Path<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 8)? {
            Path::with_route(u.arbitrary()?, u.arbitrary()?)
        } else {
            Path::new(u.arbitrary()?)
        })
    }
}

impl<'a> Arbitrary<'a> for ReversePath<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 6)? {
            ReversePath::Null
        } else {
            ReversePath::Path(u.arbitrary()?)
        })
    }
}

impl<'a> Arbitrary<'a> for ForwardPath<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 8)? {
            ForwardPath::Postmaster
        } else {
            ForwardPath::Path(u.arbitrary()?)
        })
    }
}

impl<'a> Arbitrary<'a> for XText<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        valid(
            u,
            XText::new,
            &["QQ314159", "a+2Bb", "+3C+3E", "[UNAVAILABLE]"],
        )
    }
}

impl<'a> Arbitrary<'a> for AuthParam<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        valid(
            u,
            AuthParam::new,
            &["<>", "e+3Dmc2@example.com", "user@example.org"],
        )
    }
}

impl<'a> Arbitrary<'a> for Orcpt<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let addr_type = valid(
            u,
            |t| Orcpt::new(t, "x").map(|_| t),
            &["rfc822", "utf-8", "UTF-8"],
        )?;
        // The examples valid for the type: ASCII xtext, or RFC 6533's form.
        let examples: &[&'static str] = if addr_type.eq_ignore_ascii_case("utf-8") {
            &[
                "bob@example.org",
                "j\\x{F6}rg@b\\x{fc}cher.example",
                "jörg@bücher.example",
                "a\\x{2B}b@example.org",
            ]
        } else {
            &["bob@example.org", "a+2Bb@example.org"]
        };
        valid(u, |a| Orcpt::new(addr_type, a), examples)
    }
}

impl<'a> Arbitrary<'a> for Priority {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Priority::new(u.int_in_range(-9..=9)?).map_err(|_| arbitrary::Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for DateTime<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        valid(
            u,
            DateTime::new,
            &["2030-01-01T00:00:00Z", "2014-04-03T23:01:00.5+02:00"],
        )
    }
}

impl<'a> Arbitrary<'a> for By {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mode: ByMode = u.arbitrary()?;
        let time = match mode {
            ByMode::Return => u.int_in_range(1..=999_999_999)?,
            ByMode::Notify => u.int_in_range(-999_999_999..=999_999_999)?,
        };
        By::new(time, mode, u.arbitrary()?).map_err(|_| arbitrary::Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Mtrk<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let timeout = if u.arbitrary()? {
            Some(u.int_in_range(0..=999_999_999)?)
        } else {
            None
        };
        valid(u, |c| Mtrk::new(c, timeout), &["QUJD", "c2VjcmV0"])
    }
}

impl<'a> Arbitrary<'a> for Rrvs<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Rrvs::new(u.arbitrary()?, u.arbitrary()?))
    }
}

impl<'a> Arbitrary<'a> for Value<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        valid(u, Value::new, &["org.example:ADV", "<12345@claremont.edu>"])
    }
}

impl<'a> Arbitrary<'a> for Notify {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if u.ratio(1, 4)? {
            return Ok(Notify::Never);
        }
        let (success, failure, delay) = u.arbitrary()?;
        Ok(Notify::on(success, failure, delay).unwrap_or(Notify::Never))
    }
}

impl<'a> Arbitrary<'a> for OtherParams<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        valid(u, OtherParams::new, &["", "", "XVERP", "X-TAG=abc X2"])
    }
}

/// Each optional field is present with probability 1/4, so typical values
/// carry a few parameters.
fn maybe<'a, T: Arbitrary<'a>>(u: &mut Unstructured<'a>) -> Result<Option<T>> {
    Ok(if u.ratio(1, 4)? {
        Some(u.arbitrary()?)
    } else {
        None
    })
}

impl<'a> Arbitrary<'a> for MailParams<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(MailParams {
            size: maybe(u)?,
            body: maybe(u)?,
            smtputf8: u.ratio(1, 4)?,
            ret: maybe(u)?,
            envid: maybe(u)?,
            auth: maybe(u)?,
            mt_priority: maybe(u)?,
            hold_for: maybe(u)?,
            hold_until: maybe(u)?,
            by: maybe(u)?,
            require_tls: u.ratio(1, 4)?,
            mtrk: maybe(u)?,
            solicit: maybe(u)?,
            transid: maybe(u)?,
            conperm: u.ratio(1, 4)?,
            others: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for RcptParams<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(RcptParams {
            notify: maybe(u)?,
            orcpt: maybe(u)?,
            rrvs: maybe(u)?,
            conneg: u.ratio(1, 4)?,
            others: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for Text<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        valid(u, Text::new, &["DATA", "ignored argument", "bob", "üser"])
    }
}

impl<'a> Arbitrary<'a> for Lookup<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let smtputf8 = u.arbitrary()?;
        valid(
            u,
            |t| Lookup::new(Text::new(t)?, smtputf8),
            &["postmaster", "<bob@example.org>", "Crispin"],
        )
    }
}

impl<'a> Arbitrary<'a> for Auth<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mechanism = valid(
            u,
            Mechanism::new,
            &["PLAIN", "LOGIN", "SCRAM-SHA-256", "cram-md5"],
        )?;
        let initial_response = match u.int_in_range(0..=2)? {
            0 => None,
            1 => Some(InitialResponse::Empty),
            _ => Some(valid(
                u,
                InitialResponse::base64,
                &["AGFsaWNlAHNlY3JldA==", "dGVzdA=="],
            )?),
        };
        Ok(Auth {
            mechanism,
            initial_response,
        })
    }
}

impl<'a> Arbitrary<'a> for Etrn<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=2)? {
            0 => Etrn::Domain(u.arbitrary()?),
            1 => Etrn::Subdomains(u.arbitrary()?),
            _ => valid(u, Etrn::queue, &["deferred", "q1"])?,
        })
    }
}

impl<'a> Arbitrary<'a> for Command<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=20)? {
            0 => Command::Helo(u.arbitrary()?),
            1 => Command::Ehlo(u.arbitrary()?),
            2 => Command::Lhlo(u.arbitrary()?),
            3 => {
                let path: ReversePath<'a> = u.arbitrary()?;
                let mut params: MailParams<'a> = u.arbitrary()?;
                // RFC 6531 §3.4: a non-ASCII path only with SMTPUTF8, which
                // the parser enforces.
                params.smtputf8 |= !path.is_ascii();
                Command::Mail(MailFrom { path, params })
            }
            4 => Command::Rcpt(RcptTo {
                path: u.arbitrary()?,
                params: u.arbitrary()?,
            }),
            5 => Command::Data,
            6 => Command::Bdat {
                size: u.arbitrary()?,
                last: u.arbitrary()?,
            },
            7 => Command::Rset,
            8 => Command::Vrfy(u.arbitrary()?),
            9 => Command::Expn(u.arbitrary()?),
            10 => Command::Help(u.arbitrary()?),
            11 => Command::Noop(u.arbitrary()?),
            12 => Command::Quit,
            13 => Command::StartTls,
            14 => Command::Auth(u.arbitrary()?),
            15 => Command::Etrn(u.arbitrary()?),
            16 => Command::Atrn(if u.arbitrary()? {
                Some(valid(
                    u,
                    DomainList::new,
                    &["a.example", "a.example,b.example"],
                )?)
            } else {
                None
            }),
            17 => Command::Burl(valid(
                u,
                |url| Burl::new(url, false),
                &["imap://joe@example.com/Drafts;UID=20", "imap://a/b"],
            )?),
            18 => Command::Xclient(valid(
                u,
                |list| Attributes::new(AttributeSet::Xclient, list),
                &[
                    "NAME=spike.porcupine.org ADDR=168.100.189.2",
                    "LOGIN=[UNAVAILABLE]",
                ],
            )?),
            19 => Command::Xforward(valid(
                u,
                |list| Attributes::new(AttributeSet::Xforward, list),
                &["NAME=a.example IDENT=x", "SOURCE=REMOTE"],
            )?),
            _ => {
                let args: Option<&'a [u8]> = u.arbitrary()?;
                valid(
                    u,
                    |verb| Unknown::new(verb, args),
                    &["XEXPS", "TURN", "X-1"],
                )
                .or_else(|_| {
                    Unknown::new("XFOO", None).map_err(|_| arbitrary::Error::IncorrectFormat)
                })
                .map(Command::Unknown)?
            }
        })
    }
}
