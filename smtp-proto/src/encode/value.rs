//! Encoders for the values inside commands and replies: addresses, hosts,
//! parameters, codes and capabilities.
//!
//! Each writes exactly what its `Display` shows, which is also how it appears
//! inside a command line or a reply. They exist so that
//! [`Encode::encoded_len`](crate::Encode::encoded_len) measures any of them
//! without an allocator, and so that a value is written into a buffer the
//! same way a whole command is.

use core::fmt;

use crate::encode::{Sink, WriteTo, put_decimal};
use crate::types::address::{
    AddressLiteral, Domain, ForwardPath, Host, LocalPart, Mailbox, Path, ReversePath,
};
use crate::types::command::Etrn;
use crate::types::ehlo::{Capability, EhloToken, Extension};
use crate::types::param::{By, Mtrk, Notify, Orcpt, Param, Rrvs};
use crate::types::reply::{EnhancedStatusCode, ReplyCode};

/// Lets `Display` impls (IP literals, `NOTIFY` lists) write into a sink.
struct FmtSink<'s, S: ?Sized>(&'s mut S);

impl<S: Sink + ?Sized> fmt::Write for FmtSink<'_, S> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.put(s.as_bytes());
        Ok(())
    }
}

/// Writes a value through its `Display`.
pub(crate) fn put_display<S: Sink + ?Sized>(out: &mut S, value: &dyn fmt::Display) {
    // FmtSink never fails, so neither can this.
    let _ = fmt::write(&mut FmtSink(out), format_args!("{value}"));
}

pub(crate) fn put_host<S: Sink + ?Sized>(out: &mut S, host: &Host<'_>) {
    match host {
        Host::Domain(domain) => out.put(domain.as_str().as_bytes()),
        Host::Literal(literal) => put_display(out, literal),
    }
}

fn put_mailbox<S: Sink + ?Sized>(out: &mut S, mailbox: &Mailbox<'_>) {
    out.put(mailbox.local_part().as_str().as_bytes());
    out.put(b"@");
    put_host(out, &mailbox.host());
}

fn put_path<S: Sink + ?Sized>(out: &mut S, path: &Path<'_>) {
    out.put(b"<");
    if let Some(route) = path.route() {
        out.put(route.as_str().as_bytes());
        out.put(b":");
    }
    put_mailbox(out, &path.mailbox());
    out.put(b">");
}

/// `class.subject.detail`, as it leads a reply's text (RFC 3463 §2).
pub(crate) fn put_enhanced<S: Sink + ?Sized>(out: &mut S, code: EnhancedStatusCode) {
    put_decimal(out, u64::from(code.class()));
    out.put(b".");
    put_decimal(out, u64::from(code.subject()));
    out.put(b".");
    put_decimal(out, u64::from(code.detail()));
}

impl WriteTo for Domain<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        out.put(self.as_str().as_bytes());
    }
}

impl WriteTo for AddressLiteral<'_> {
    /// With its brackets: `[192.0.2.1]`, `[IPv6:2001:db8::1]`.
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        put_display(out, self);
    }
}

impl WriteTo for Host<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        put_host(out, self);
    }
}

impl WriteTo for LocalPart<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        out.put(self.as_str().as_bytes());
    }
}

impl WriteTo for Mailbox<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        put_mailbox(out, self);
    }
}

impl WriteTo for Path<'_> {
    /// With its angle brackets.
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        put_path(out, self);
    }
}

impl WriteTo for ReversePath<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        match self {
            ReversePath::Null => out.put(b"<>"),
            ReversePath::Path(path) => put_path(out, path),
        }
    }
}

impl WriteTo for ForwardPath<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        match self {
            ForwardPath::Postmaster => out.put(b"<Postmaster>"),
            ForwardPath::Path(path) => put_path(out, path),
        }
    }
}

impl WriteTo for ReplyCode {
    /// The three digits.
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        out.put(&self.digits());
    }
}

impl WriteTo for EnhancedStatusCode {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        put_enhanced(out, *self);
    }
}

impl WriteTo for Capability<'_> {
    /// The EHLO line after `250-` or `250 `: keyword and parameters, no CRLF.
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        self.for_each_piece(&mut |piece| out.put(piece.as_bytes()));
    }
}

/// Types whose wire form is their `Display`, with nothing faster to say.
macro_rules! write_through_display {
    ($($ty:ty),* $(,)?) => {$(
        impl WriteTo for $ty {
            fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
                put_display(out, self);
            }
        }
    )*};
}

write_through_display!(
    EhloToken<'_>,
    Extension,
    Param<'_>,
    Notify,
    Orcpt<'_>,
    By,
    Mtrk<'_>,
    Rrvs<'_>,
    Etrn<'_>,
);

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use alloc::string::ToString;

    use crate::encode::Encode;
    use crate::types::address::{ForwardPath, Host, Mailbox, Path, ReversePath};
    use crate::types::ehlo::Capability;
    use crate::types::param::{By, ByMode, Notify, Orcpt, Param};
    use crate::types::reply::{EnhancedStatusCode, ReplyCode};

    /// The wire form of each value is what its `Display` shows, and
    /// `encoded_len` measures it.
    fn same<T: Encode + core::fmt::Display>(value: &T) {
        let text = value.to_string();
        assert_eq!(value.encode_to_vec(), text.as_bytes(), "{text}");
        assert_eq!(value.encoded_len(), text.len(), "{text}");
    }

    #[test]
    fn values_encode_as_they_display() {
        for host in [
            "mx.example",
            "[192.0.2.1]",
            "[IPv6:2001:db8::1]",
            "[x-tag:abc]",
        ] {
            let host = Host::new(host).unwrap();
            same(&host);
            if let Host::Literal(literal) = host {
                same(&literal);
            }
        }
        for mailbox in ["a@b.example", "\"x y\"@b.example", "u@[IPv6:::1]"] {
            let mailbox = Mailbox::new(mailbox).unwrap();
            same(&mailbox);
            same(&mailbox.local_part());
            same(&Path::new(mailbox));
            same(&ReversePath::from(mailbox));
            same(&ForwardPath::from(mailbox));
        }
        same(&ReversePath::Null);
        same(&ForwardPath::Postmaster);
        same(&ReplyCode::OK);
        same(&EnhancedStatusCode::new(5, 7, 1).unwrap());
        same(&Notify::Never);
        same(&Orcpt::new("rfc822", "a+2Bb@c.example").unwrap());
        same(&By::new(120, ByMode::Return, true).unwrap());
        same(&Param::new("X-FOO", Some("bar")).unwrap());
        for capability in ["SIZE 10240000", "AUTH PLAIN LOGIN", "8BITMIME", "X-ODD a b"] {
            same(&Capability::new(capability).unwrap());
        }
    }
}
