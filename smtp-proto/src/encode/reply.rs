//! Reply encoders: [`Reply`], [`EhloReply`] and [`ErrorReply`].
//!
//! Each line is `code`, `-` (more lines follow) or SP (last line), the text,
//! and CRLF (RFC 5321 §4.2.1). The last line always has its SP, even with
//! empty text (`334 \r\n`, as RFC 4954 §4 shows it). Texts were validated when
//! the values were built, so nothing here can emit an extra line.

use crate::encode::value::put_enhanced;
use crate::encode::{Sink, WriteTo, put_decimal};
use crate::types::ehlo::{Capability, EhloReply};
use crate::types::error::ErrorReply;
use crate::types::reply::{Reply, ReplyLine};

impl WriteTo for ReplyLine<'_> {
    /// `code sep text CRLF`, the canonical form of one line.
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        out.put(&self.code().digits());
        out.put(if self.is_last() { b" " } else { b"-" });
        if let (false, Some(esc)) = (self.enhanced_in_text(), self.enhanced()) {
            put_enhanced(out, esc);
            if !self.text().is_empty() {
                out.put(b" ");
            }
        }
        out.put(self.text().as_bytes());
        out.put(b"\r\n");
    }
}

impl WriteTo for Reply<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        for line in self.lines() {
            line.write_to(out);
        }
    }
}

impl WriteTo for EhloReply<'_> {
    /// Two writes for most lines: `250-` (or `250 `) and the keyword with its
    /// CRLF from a static table; numbers are written with their CRLF in one
    /// piece. No `core::fmt`, no closures.
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        let Some((domain, greeting, capabilities)) = self.built_parts() else {
            if let Some(reply) = self.reply() {
                reply.write_to(out);
            }
            return;
        };
        out.put(if capabilities.is_empty() {
            b"250 "
        } else {
            b"250-"
        });
        out.put(domain.as_str().as_bytes());
        if let Some(greeting) = greeting {
            out.put(b" ");
            out.put(greeting.as_bytes());
        }
        out.put(b"\r\n");
        let last = capabilities.len().wrapping_sub(1);
        for (i, capability) in capabilities.iter().enumerate() {
            out.put(if i == last { b"250 " } else { b"250-" });
            write_capability(out, capability);
        }
    }
}

/// One capability line's text and its CRLF. Each known keyword is a
/// constant here, so that every write has a length known at compile time
/// (a few moves, no `memcpy` call); the unit test below checks each line
/// against [`Capability`]'s `Display`, which spells keywords through
/// [`Capability::keyword`].
#[inline]
fn write_capability<S: Sink + ?Sized>(out: &mut S, capability: &Capability<'_>) {
    match capability {
        Capability::EightBitMime => out.put(b"8BITMIME\r\n"),
        Capability::Pipelining => out.put(b"PIPELINING\r\n"),
        Capability::Chunking => out.put(b"CHUNKING\r\n"),
        Capability::BinaryMime => out.put(b"BINARYMIME\r\n"),
        Capability::StartTls => out.put(b"STARTTLS\r\n"),
        Capability::Dsn => out.put(b"DSN\r\n"),
        Capability::SmtpUtf8 => out.put(b"SMTPUTF8\r\n"),
        Capability::EnhancedStatusCodes => out.put(b"ENHANCEDSTATUSCODES\r\n"),
        Capability::RequireTls => out.put(b"REQUIRETLS\r\n"),
        Capability::Etrn => out.put(b"ETRN\r\n"),
        Capability::Atrn => out.put(b"ATRN\r\n"),
        Capability::Vrfy => out.put(b"VRFY\r\n"),
        Capability::Expn => out.put(b"EXPN\r\n"),
        Capability::Help => out.put(b"HELP\r\n"),
        Capability::Mtrk => out.put(b"MTRK\r\n"),
        Capability::ConPerm => out.put(b"CONPERM\r\n"),
        Capability::ConNeg => out.put(b"CONNEG\r\n"),
        Capability::Rrvs => out.put(b"RRVS\r\n"),
        Capability::Checkpoint => out.put(b"CHECKPOINT\r\n"),
        Capability::Size(None) => out.put(b"SIZE\r\n"),
        Capability::Size(Some(n)) => {
            out.put(b"SIZE ");
            put_decimal_crlf(out, *n);
        }
        Capability::DeliverBy(None) => out.put(b"DELIVERBY\r\n"),
        Capability::DeliverBy(Some(n)) => {
            out.put(b"DELIVERBY ");
            put_decimal_crlf(out, *n);
        }
        Capability::Auth(mechanisms) => with_params(out, b"AUTH", mechanisms.params().as_str()),
        Capability::Limits(limits) => with_params(out, b"LIMITS", limits.params().as_str()),
        Capability::Burl(params) => with_params(out, b"BURL", params.as_str()),
        Capability::Xclient(params) => with_params(out, b"XCLIENT", params.as_str()),
        Capability::Xforward(params) => with_params(out, b"XFORWARD", params.as_str()),
        Capability::MtPriority(token) => {
            with_params(out, b"MT-PRIORITY", token.map_or("", |t| t.as_str()))
        }
        Capability::NoSoliciting(token) => {
            with_params(out, b"NO-SOLICITING", token.map_or("", |t| t.as_str()))
        }
        Capability::FutureRelease {
            max_interval,
            max_date_time,
        } => {
            out.put(b"FUTURERELEASE ");
            put_decimal(out, *max_interval);
            out.put(b" ");
            out.put(max_date_time.as_str().as_bytes());
            out.put(b"\r\n");
        }
        Capability::Other { keyword, params } => {
            with_params(out, keyword.as_str().as_bytes(), params.as_str())
        }
    }
}

/// `keyword`, then SP and `params` unless they are empty, then CRLF.
#[inline]
fn with_params<S: Sink + ?Sized>(out: &mut S, keyword: &[u8], params: &str) {
    out.put(keyword);
    if !params.is_empty() {
        out.put(b" ");
        out.put(params.as_bytes());
    }
    out.put(b"\r\n");
}

/// `n` in decimal and CRLF, in one write.
#[inline]
fn put_decimal_crlf<S: Sink + ?Sized>(out: &mut S, mut n: u64) {
    let mut buf = [0u8; 22];
    buf[20] = b'\r';
    buf[21] = b'\n';
    let mut start = 20;
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.put(&buf[start..]);
}

impl WriteTo for ErrorReply {
    /// `501 5.5.4 text\r\n`: the reply a server sends for a parse error.
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        out.put(&self.code().digits());
        out.put(b" ");
        put_enhanced(out, self.enhanced());
        out.put(b" ");
        out.put(self.text().as_bytes());
        out.put(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use crate::encode::Encode;
    use crate::types::error::ErrorKind;
    use crate::types::reply::Reply;
    use crate::types::status::Status;

    #[test]
    fn error_reply() {
        let reply = ErrorKind::InvalidSyntax.reply();
        let mut buf = [0u8; 64];
        let n = reply.encode(&mut buf).unwrap();
        assert_eq!(
            &buf[..n],
            b"501 5.5.4 Syntax error in parameters or arguments\r\n"
        );
        let Ok(Status::Complete((parsed, used))) = Reply::parse(&buf[..n]) else {
            panic!()
        };
        assert_eq!(used, n);
        assert_eq!(parsed.code(), reply.code());
        assert_eq!(parsed.enhanced_code(), Some(reply.enhanced()));
        assert_eq!(parsed.first_line().message(), reply.text());
    }

    #[test]
    #[cfg(feature = "alloc")]
    fn capability_lines_match_display() {
        use crate::types::ehlo::{Capability, EhloParams, EhloToken, Limits, Mechanisms};
        let token = EhloToken::new("MIXER").unwrap();
        let params = EhloParams::new("NAME ADDR").unwrap();
        let empty = EhloParams::EMPTY;
        let mut caps = alloc::vec![
            Capability::Size(None),
            Capability::Size(Some(0)),
            Capability::Size(Some(u64::MAX)),
            Capability::DeliverBy(None),
            Capability::DeliverBy(Some(240)),
            Capability::Auth(Mechanisms::new("PLAIN LOGIN").unwrap()),
            Capability::Auth(Mechanisms::new("").unwrap()),
            Capability::Limits(Limits::new("RCPTMAX=5").unwrap()),
            Capability::Burl(params),
            Capability::Burl(empty),
            Capability::Xclient(params),
            Capability::Xforward(empty),
            Capability::MtPriority(None),
            Capability::MtPriority(Some(token)),
            Capability::NoSoliciting(None),
            Capability::NoSoliciting(Some(token)),
            Capability::FutureRelease {
                max_interval: 604800,
                max_date_time: EhloToken::new("2026-12-01T00:00:00Z").unwrap(),
            },
            Capability::Other {
                keyword: EhloToken::new("X-EXPS").unwrap(),
                params,
            },
            Capability::Other {
                keyword: EhloToken::new("X-EXPS").unwrap(),
                params: empty,
            },
        ];
        for extension in crate::types::ehlo::Extension::ALL {
            if let Ok(cap) = Capability::new(extension.keyword()) {
                caps.push(cap);
            }
        }
        for cap in &caps {
            let mut line = alloc::vec::Vec::new();
            super::write_capability(&mut line, cap);
            assert_eq!(line, alloc::format!("{cap}\r\n").into_bytes(), "{cap:?}");
        }
    }

    #[test]
    fn small_buffer() {
        let reply = ErrorKind::LineTooLong.reply();
        let mut buf = [0u8; 8];
        assert_eq!(
            reply.encode(&mut buf).unwrap_err().needed,
            reply.encoded_len()
        );
    }
}
