//! The envelope commands, [`MailFrom`] and [`RcptTo`], and the flat
//! setters that build them in one expression.

use crate::types::address::{ForwardPath, ReversePath};
use crate::types::command::Command;
use crate::types::param::{
    AuthParam, Body, By, DateTime, MailParams, Mtrk, Notify, Orcpt, Priority, RcptParams, Ret,
    Rrvs, XText,
};

/// `MAIL FROM:<reverse-path> [SP Mail-parameters]` (RFC 5321 §4.1.1.2).
///
/// A path with non-ASCII characters needs `params.smtputf8` (RFC 6531 §3.4):
/// the parser refuses a MAIL line without it ([`ErrorKind::NonAsciiAddress`](crate::ErrorKind::NonAsciiAddress),
/// 553 5.6.7), so a value built without it encodes to a line that does not
/// parse back. [`is_ascii`](MailFrom::is_ascii) tells which paths need it.
///
/// # Examples
///
/// ```
/// use smtp_wire::address::ReversePath;
/// use smtp_wire::command::MailFrom;
/// use smtp_wire::param::MailParams;
///
/// let mail = MailFrom { path: ReversePath::Null, params: MailParams::default() };
/// assert!(mail.path.mailbox().is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailFrom<'a> {
    /// The sender, or `<>`.
    pub path: ReversePath<'a>,
    /// The typed parameters.
    pub params: MailParams<'a>,
}

impl<'a> MailFrom<'a> {
    /// `MAIL FROM:<path>` without parameters, but `SMTPUTF8` when the path
    /// is not ASCII; `path` is a [`Mailbox`](crate::address::Mailbox), a
    /// [`Path`](crate::address::Path) or [`ReversePath::Null`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::{Mailbox, ReversePath};
    /// use smtp_wire::command::MailFrom;
    /// use smtp_wire::{Command, Encode};
    ///
    /// let mail = MailFrom::new(Mailbox::new("alice@example.org")?);
    /// let mut out = [0u8; 64];
    /// let n = Command::from(mail).encode(&mut out).unwrap();
    /// assert_eq!(&out[..n], b"MAIL FROM:<alice@example.org>\r\n");
    /// let bounce = MailFrom::new(ReversePath::Null);
    /// assert_eq!(bounce.path.to_string(), "<>");
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    pub fn new(path: impl Into<ReversePath<'a>>) -> MailFrom<'a> {
        let path = path.into();
        MailFrom {
            path,
            params: MailParams {
                smtputf8: !path.is_ascii(),
                ..MailParams::default()
            },
        }
    }

    /// `true` when the reverse-path is ASCII; a MAIL whose path is not must
    /// carry `SMTPUTF8` (RFC 6531 §3.4).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::Mailbox;
    /// use smtp_wire::command::MailFrom;
    ///
    /// let mail = MailFrom::new(Mailbox::new("jos\u{e9}@example.com")?);
    /// assert!(!mail.is_ascii());
    /// // `new` sets the parameter such a path needs.
    /// assert!(mail.params.smtputf8);
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    pub fn is_ascii(&self) -> bool {
        self.path.is_ascii()
    }

    /// Sets `SIZE=` (RFC 1870): the message size the client declares.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_size(1024);
    /// assert_eq!(mail.params.size, Some(1024));
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_size(mut self, size: u64) -> MailFrom<'a> {
        self.params.size = Some(size);
        self
    }

    /// Sets `BODY=` (RFC 6152, RFC 3030).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_body(Body::EightBitMime);
    /// assert_eq!(mail.params.body, Some(Body::EightBitMime));
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_body(mut self, body: Body) -> MailFrom<'a> {
        self.params.body = Some(body);
        self
    }

    /// Sets `RET=` (RFC 3461): how much of the message a DSN returns.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_ret(Ret::Headers);
    /// assert_eq!(mail.params.ret, Some(Ret::Headers));
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_ret(mut self, ret: Ret) -> MailFrom<'a> {
        self.params.ret = Some(ret);
        self
    }

    /// Sets `ENVID=` (RFC 3461): the envelope identifier DSNs carry.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_envid(XText::new("QQ314159")?);
    /// assert_eq!(mail.params.envid.unwrap().as_str(), "QQ314159");
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_envid(mut self, envid: XText<'a>) -> MailFrom<'a> {
        self.params.envid = Some(envid);
        self
    }

    /// Sets `AUTH=` (RFC 4954 §5): the submitter's identity, or `<>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_auth(AuthParam::new("<>")?);
    /// assert!(mail.params.auth.unwrap().is_unknown());
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_auth(mut self, auth: AuthParam<'a>) -> MailFrom<'a> {
        self.params.auth = Some(auth);
        self
    }

    /// Sets `MT-PRIORITY=` (RFC 6710).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_mt_priority(Priority::new(3)?);
    /// assert_eq!(mail.params.mt_priority.unwrap().get(), 3);
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_mt_priority(mut self, mt_priority: Priority) -> MailFrom<'a> {
        self.params.mt_priority = Some(mt_priority);
        self
    }

    /// Sets `HOLDFOR=` (RFC 4865): seconds to hold the message.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_hold_for(3600);
    /// assert_eq!(mail.params.hold_for, Some(3600));
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_hold_for(mut self, hold_for: u32) -> MailFrom<'a> {
        self.params.hold_for = Some(hold_for);
        self
    }

    /// Sets `HOLDUNTIL=` (RFC 4865).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_hold_until(DateTime::new("2026-12-24T18:00:00Z")?);
    /// assert_eq!(mail.params.hold_until.unwrap().as_str(), "2026-12-24T18:00:00Z");
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_hold_until(mut self, hold_until: DateTime<'a>) -> MailFrom<'a> {
        self.params.hold_until = Some(hold_until);
        self
    }

    /// Sets `BY=` (RFC 2852): the deliver-by time.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_by(By::new(120, ByMode::Return, false)?);
    /// assert_eq!(mail.params.by.unwrap().time(), 120);
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_by(mut self, by: By) -> MailFrom<'a> {
        self.params.by = Some(by);
        self
    }

    /// Sets `MTRK=` (RFC 3885): message tracking.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_mtrk(Mtrk::new("YWJj", Some(3600))?);
    /// assert_eq!(mail.params.mtrk.unwrap().timeout(), Some(3600));
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_mtrk(mut self, mtrk: Mtrk<'a>) -> MailFrom<'a> {
        self.params.mtrk = Some(mtrk);
        self
    }

    /// Sets `SMTPUTF8` (RFC 6531): the message and its addresses may be UTF-8.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_smtputf8();
    /// assert!(mail.params.smtputf8);
    /// ```
    #[must_use]
    pub const fn with_smtputf8(mut self) -> MailFrom<'a> {
        self.params.smtputf8 = true;
        self
    }

    /// Sets `REQUIRETLS` (RFC 8689): relay the message only over TLS.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_require_tls();
    /// assert!(mail.params.require_tls);
    /// ```
    #[must_use]
    pub const fn with_require_tls(mut self) -> MailFrom<'a> {
        self.params.require_tls = true;
        self
    }

    /// Sets `CONPERM` (RFC 4141): content conversion is permitted.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    ///
    /// let mail = MailFrom::new(ReversePath::Null).with_conperm();
    /// assert!(mail.params.conperm);
    /// ```
    #[must_use]
    pub const fn with_conperm(mut self) -> MailFrom<'a> {
        self.params.conperm = true;
        self
    }
}

impl<'a> From<MailFrom<'a>> for Command<'a> {
    fn from(mail: MailFrom<'a>) -> Command<'a> {
        Command::Mail(mail)
    }
}

/// `RCPT TO:<forward-path> [SP Rcpt-parameters]` (RFC 5321 §4.1.1.3).
///
/// # Examples
///
/// ```
/// use smtp_wire::address::ForwardPath;
/// use smtp_wire::command::RcptTo;
/// use smtp_wire::param::RcptParams;
///
/// let rcpt = RcptTo { path: ForwardPath::Postmaster, params: RcptParams::default() };
/// assert!(rcpt.path.mailbox().is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RcptTo<'a> {
    /// The recipient, or `<Postmaster>`.
    pub path: ForwardPath<'a>,
    /// The typed parameters.
    pub params: RcptParams<'a>,
}

impl<'a> RcptTo<'a> {
    /// `RCPT TO:<path>` without parameters; `path` is a
    /// [`Mailbox`](crate::address::Mailbox), a [`Path`](crate::address::Path)
    /// or [`ForwardPath::Postmaster`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::Mailbox;
    /// use smtp_wire::command::RcptTo;
    /// use smtp_wire::{Command, Encode};
    ///
    /// let rcpt = RcptTo::new(Mailbox::new("bob@example.net")?);
    /// let mut out = [0u8; 64];
    /// let n = Command::from(rcpt).encode(&mut out).unwrap();
    /// assert_eq!(&out[..n], b"RCPT TO:<bob@example.net>\r\n");
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    pub fn new(path: impl Into<ForwardPath<'a>>) -> RcptTo<'a> {
        RcptTo {
            path: path.into(),
            params: RcptParams::default(),
        }
    }

    /// `true` when the forward-path and the `ORCPT` parameter are ASCII.
    /// The parser cannot see whether the transaction's MAIL had `SMTPUTF8`;
    /// a server whose MAIL did not refuses a RCPT for which this is `false`
    /// with [`ErrorKind::NonAsciiAddress`](crate::ErrorKind::NonAsciiAddress) (553 5.6.7, RFC 6531 §3.4,
    /// RFC 6533 §3).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::command::Command;
    /// use smtp_wire::{ErrorKind, Status};
    ///
    /// let Ok(Status::Complete((Command::Rcpt(rcpt), _))) =
    ///     Command::parse("RCPT TO:<jos\u{e9}@example.com>\r\n".as_bytes())
    /// else {
    ///     panic!()
    /// };
    /// let smtputf8 = false; // as the transaction's MAIL said
    /// if !rcpt.is_ascii() && !smtputf8 {
    ///     let reply = ErrorKind::NonAsciiAddress.reply();
    ///     assert_eq!(reply.to_string(), "553 5.6.7 Non-ASCII address needs SMTPUTF8");
    /// }
    /// # assert!(!rcpt.is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        self.path.is_ascii() && self.params.orcpt.is_none_or(|orcpt| orcpt.is_ascii())
    }

    /// Sets `NOTIFY=` (RFC 3461): when to send a DSN.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let rcpt = RcptTo::new(smtp_wire::address::Mailbox::new("b@example.net")?).with_notify(Notify::Never);
    /// assert_eq!(rcpt.params.notify, Some(Notify::Never));
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_notify(mut self, notify: Notify) -> RcptTo<'a> {
        self.params.notify = Some(notify);
        self
    }

    /// Sets `ORCPT=` (RFC 3461): the original recipient.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let rcpt = RcptTo::new(smtp_wire::address::Mailbox::new("b@example.net")?).with_orcpt(Orcpt::new("rfc822", "b@example.net")?);
    /// assert_eq!(rcpt.params.orcpt.unwrap().address().as_str(), "b@example.net");
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_orcpt(mut self, orcpt: Orcpt<'a>) -> RcptTo<'a> {
        self.params.orcpt = Some(orcpt);
        self
    }

    /// Sets `RRVS=` (RFC 7293): the recipient's mailbox must be older than this.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    /// use smtp_wire::param::*;
    ///
    /// let rcpt = RcptTo::new(smtp_wire::address::Mailbox::new("b@example.net")?).with_rrvs(Rrvs::new(DateTime::new("2014-04-03T23:01:00Z")?, None));
    /// assert_eq!(rcpt.params.rrvs.unwrap().time().as_str(), "2014-04-03T23:01:00Z");
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    #[must_use]
    pub const fn with_rrvs(mut self, rrvs: Rrvs<'a>) -> RcptTo<'a> {
        self.params.rrvs = Some(rrvs);
        self
    }

    /// Sets `CONNEG` (RFC 4141): content negotiation for this recipient.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::ReversePath;
    /// use smtp_wire::command::{MailFrom, RcptTo};
    ///
    /// let rcpt = RcptTo::new(smtp_wire::address::Mailbox::new("b@example.net").unwrap()).with_conneg();
    /// assert!(rcpt.params.conneg);
    /// ```
    #[must_use]
    pub const fn with_conneg(mut self) -> RcptTo<'a> {
        self.params.conneg = true;
        self
    }
}

impl<'a> From<RcptTo<'a>> for Command<'a> {
    fn from(rcpt: RcptTo<'a>) -> Command<'a> {
        Command::Rcpt(rcpt)
    }
}
