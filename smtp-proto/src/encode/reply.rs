//! Reply encoders: [`Reply`], [`EhloReply`] and [`ErrorReply`].
//!
//! Each line is `code`, `-` (more lines follow) or SP (last line), the text,
//! and CRLF (RFC 5321 §4.2.1). The last line always has its SP, even with
//! empty text (`334 \r\n`, as RFC 4954 §4 shows it). Texts were validated when
//! the values were built, so nothing here can emit an extra line.

use crate::encode::{Sink, WriteTo, put_decimal};
use crate::types::ehlo::{Capability, EhloReply};
use crate::types::error::ErrorReply;
use crate::types::reply::{EnhancedStatusCode, Reply, ReplyLine};

impl WriteTo for ReplyLine<'_> {
    /// `code sep text CRLF`, the canonical form of one line.
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        out.put(&self.code().digits());
        out.put(if self.is_last() { b" " } else { b"-" });
        if let (false, Some(esc)) = (self.enhanced_in_text(), self.enhanced()) {
            write_enhanced(out, esc);
            if !self.text().is_empty() {
                out.put(b" ");
            }
        }
        out.put(self.text().as_bytes());
        out.put(b"\r\n");
    }
}

/// Writes `class.subject.detail`.
fn write_enhanced<S: Sink + ?Sized>(out: &mut S, esc: EnhancedStatusCode) {
    put_decimal(out, u64::from(esc.class()));
    out.put(b".");
    put_decimal(out, u64::from(esc.subject()));
    out.put(b".");
    put_decimal(out, u64::from(esc.detail()));
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

/// One capability line's text and its CRLF.
#[inline]
fn write_capability<S: Sink + ?Sized>(out: &mut S, capability: &Capability<'_>) {
    let (keyword, number, params) = capability.parts();
    match (capability.extension(), number, params) {
        (Some(extension), None, None) => out.put(extension.keyword_line().as_bytes()),
        (Some(extension), Some(n), None) => {
            out.put(extension.keyword_space().as_bytes());
            put_decimal_crlf(out, n);
        }
        (_, number, params) => {
            out.put(keyword.as_bytes());
            if let Some(n) = number {
                out.put(b" ");
                put_decimal(out, n);
            }
            if let Some(params) = params {
                out.put(b" ");
                out.put(params.as_bytes());
            }
            out.put(b"\r\n");
        }
    }
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
        out.put(&self.code.digits());
        out.put(b" ");
        write_enhanced(out, self.enhanced);
        out.put(b" ");
        out.put(self.text.as_bytes());
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
        assert_eq!(parsed.code(), reply.code);
        assert_eq!(parsed.enhanced_code(), Some(reply.enhanced));
        assert_eq!(parsed.first_line().message(), reply.text);
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
