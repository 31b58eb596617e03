//! What a [`ServerSession`](super::ServerSession) reports: [`ServerEvent`],
//! [`ChunkEnd`], [`MessageEnd`] and the [`Transaction`] state.

use crate::decode::DataEnd;
use crate::types::command::Command;
use crate::types::command::auth::AuthResponse;
use crate::types::error::{Error, ErrorKind, ErrorReply};

/// What a [`ServerSession`](crate::session::ServerSession) found in the client's input.
///
/// | event | reply |
/// |---|---|
/// | [`Command`](ServerEvent::Command) | yours: send one, then [`ServerSession::reply_sent`](crate::session::ServerSession::reply_sent) |
/// | [`AuthResponse`](ServerEvent::AuthResponse) | yours, as for a command (334, 235, 535...) |
/// | [`Bdat`](ServerEvent::Bdat), [`Body`](ServerEvent::Body), [`BodyRejected`](ServerEvent::BodyRejected) | none yet |
/// | [`ChunkEnd`](ServerEvent::ChunkEnd) | yours (250, or a refusal) |
/// | [`MessageEnd`](ServerEvent::MessageEnd) | yours: [`MessageEnd::replies`] of them (LMTP: one per accepted recipient) |
/// | [`Error`](ServerEvent::Error) | [`Error::reply`]: send it; nothing else to do |
/// | [`Reply`](ServerEvent::Reply) | the session's: send it; nothing else to do |
/// | [`Close`](ServerEvent::Close) | the session's: send it, then close the connection |
/// | [`TlsHandoff`](ServerEvent::TlsHandoff) | none: start the TLS handshake |
/// | [`Closed`](ServerEvent::Closed) | none: close the connection |
/// | [`ReplyOwed`](ServerEvent::ReplyOwed) | a bug in the caller: the last event's reply was never reported |
///
/// # Examples
///
/// ```
/// use smtp_wire::session::{ServerEvent, ServerSession};
/// use smtp_wire::reply::ReplyCode;
/// use smtp_wire::Command;
///
/// let mut session = ServerSession::new(Default::default());
/// session.reply_sent(ReplyCode::SERVICE_READY); // the greeting
/// let (event, used) = session.decode(b"NOOP\r\n");
/// assert_eq!(event, Some(ServerEvent::Command(Command::Noop(None))));
/// assert_eq!(used, 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerEvent<'a> {
    /// A command for the server to answer. Sequence rules, limits and
    /// parameters have been checked; what is left is policy (accept this
    /// sender? this recipient?).
    Command(Command<'a>),
    /// The client's answer to a 334 challenge (RFC 4954 §4): base64 data.
    /// (A `*` cancel is answered by the session with 501.)
    AuthResponse(AuthResponse<'a>),
    /// A BDAT command (RFC 3030 §2) whose chunk will be read: its octets
    /// follow as [`Body`](ServerEvent::Body) pieces, then
    /// [`ChunkEnd`](ServerEvent::ChunkEnd) or, with LAST,
    /// [`MessageEnd`](ServerEvent::MessageEnd); answer those, not this. (A
    /// refused chunk comes with no event: it is drained, and the refusal is
    /// a [`Reply`](ServerEvent::Reply) at its end.)
    Bdat {
        /// The chunk size in octets.
        size: u64,
        /// `LAST`: the chunk ends the message.
        last: bool,
    },
    /// A piece of message content, a slice of the input: DATA content with
    /// the dot-stuffing removed, or BDAT chunk octets. The message is the
    /// concatenation of the pieces.
    Body(&'a [u8]),
    /// The message will be refused at its end (it passed the size limit,
    /// or broke a [`ContentPolicy::Reject`](crate::body::ContentPolicy)
    /// rule): discard what was stored. No more [`Body`](ServerEvent::Body)
    /// pieces follow; the rest of the content is drained, and the refusal
    /// to send comes as a [`Reply`](ServerEvent::Reply) at the end.
    ///
    /// The kind is the rule found broken first. When the content breaks
    /// several, which one is found first can depend on how it was cut into
    /// reads; the reply at the end follows a fixed precedence (size, bare
    /// LF, bare CR, NUL, long line) and is the same however it was read.
    BodyRejected(ErrorKind),
    /// A BDAT chunk without LAST was read whole.
    ChunkEnd(ChunkEnd),
    /// The message is complete (the end of DATA content, or of the BDAT
    /// LAST chunk).
    MessageEnd(MessageEnd),
    /// Input the parser or the DATA decoder rejected (a syntax error, a bare
    /// LF, an over-long line...): send [`Error::reply`], nothing else to do.
    /// At the end of DATA content it takes the place of
    /// [`MessageEnd`](ServerEvent::MessageEnd): the message is refused.
    Error(Error),
    /// The session refused a command by a protocol rule (sequence, a
    /// parameter, a limit, an extension not offered): send this reply.
    Reply(ErrorReply),
    /// Send this reply and close the connection: too many errors (421),
    /// input sent before a reply the client had to wait for (554 5.5.0), a
    /// BDAT line whose size cannot be read (521).
    Close(ErrorReply),
    /// The `220` answering STARTTLS was sent: start the TLS handshake now.
    /// The bytes are what the client sent after the STARTTLS line before the
    /// handshake: plaintext anyone on the path may have injected, so they
    /// are **discarded**, never decoded (RFC 3207 §4.2, CVE-2011-0411). The
    /// session starts over (RFC 3207 §4.2: the client must send EHLO again).
    TlsHandoff(&'a [u8]),
    /// The session is over (the reply to QUIT, a 421, or a
    /// [`Close`](ServerEvent::Close) was sent): close the connection.
    Closed,
    /// Nothing was decoded: the reply to the last event was never reported
    /// with [`ServerSession::reply_sent`](crate::session::ServerSession::reply_sent).
    ReplyOwed,
}

/// A BDAT chunk that was read whole; see [`ServerEvent::ChunkEnd`].
///
/// # Examples
///
/// ```
/// use smtp_wire::session::{ServerEvent, ServerSession};
/// let session = ServerSession::new(Default::default());
/// assert_eq!(session.transaction().recipients(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChunkEnd {
    pub(super) size: u64,
    pub(super) total: u64,
}

impl ChunkEnd {
    /// The chunk's size in octets.
    ///
    /// # Examples
    ///
    /// ```
    /// # use smtp_wire::session::{ServerEvent, ServerSession};
    /// # use smtp_wire::reply::ReplyCode;
    /// # let mut s = ServerSession::new(Default::default());
    /// # s.reply_sent(ReplyCode::SERVICE_READY);
    /// # for line in [&b"EHLO c.example\r\n"[..], b"MAIL FROM:<a@b.example>\r\n", b"RCPT TO:<c@d.example>\r\n"] {
    /// #     s.decode(line);
    /// #     s.reply_sent(ReplyCode::OK);
    /// # }
    /// let input = b"BDAT 2\r\nhi";
    /// let (Some(ServerEvent::Bdat { size: 2, last: false }), n) = s.decode(input) else { panic!() };
    /// let (Some(ServerEvent::Body(b"hi")), m) = s.decode(&input[n..]) else { panic!() };
    /// let (Some(ServerEvent::ChunkEnd(end)), _) = s.decode(&input[n + m..]) else { panic!() };
    /// assert_eq!((end.size(), end.total()), (2, 2));
    /// ```
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// The size of the message so far, every chunk counted.
    ///
    /// # Examples
    ///
    /// See [`size`](ChunkEnd::size).
    pub const fn total(&self) -> u64 {
        self.total
    }
}

/// The end of a message; see [`ServerEvent::MessageEnd`].
///
/// # Examples
///
/// ```
/// # use smtp_wire::session::{ServerEvent, ServerSession};
/// # use smtp_wire::reply::ReplyCode;
/// # let mut s = ServerSession::new(Default::default());
/// # s.reply_sent(ReplyCode::SERVICE_READY);
/// # for line in [&b"EHLO c.example\r\n"[..], b"MAIL FROM:<a@b.example>\r\n", b"RCPT TO:<c@d.example>\r\n"] {
/// #     s.decode(line);
/// #     s.reply_sent(ReplyCode::OK);
/// # }
/// s.decode(b"DATA\r\n");
/// s.reply_sent(ReplyCode::START_MAIL_INPUT);
/// let (Some(ServerEvent::Body(b"Hi\r\n")), n) = s.decode(b"Hi\r\n.\r\n") else { panic!() };
/// let (Some(ServerEvent::MessageEnd(end)), _) = s.decode(b".\r\n") else { panic!() };
/// assert_eq!((end.size(), end.replies()), (4, 1));
/// assert!(end.data().is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageEnd {
    pub(super) size: u64,
    pub(super) replies: usize,
    pub(super) data: Option<DataEnd>,
}

impl MessageEnd {
    /// The message size in octets (RFC 1870 counting).
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// How many replies the server owes: 1 for SMTP, one per accepted
    /// recipient, in RCPT order, for LMTP (RFC 2033 §4.2).
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn replies(&self) -> usize {
        self.replies
    }

    /// For a DATA message, the decoder's summary (content issues noted
    /// under [`ContentPolicy::Note`](crate::body::ContentPolicy)); `None`
    /// for BDAT.
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn data(&self) -> Option<DataEnd> {
        self.data
    }
}

/// The state of the current mail transaction, for the server's decisions.
///
/// # Examples
///
/// ```
/// use smtp_wire::session::ServerSession;
/// let session = ServerSession::new(Default::default());
/// assert!(!session.transaction().is_open());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Transaction {
    pub(super) open: bool,
    pub(super) smtputf8: bool,
    pub(super) binary: bool,
    pub(super) recipients: usize,
    pub(super) chunks: usize,
    pub(super) failed: bool,
    pub(super) size: u64,
}

impl Transaction {
    /// `true` between an accepted MAIL and the end of the transaction.
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn is_open(&self) -> bool {
        self.open
    }

    /// The recipients accepted so far.
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn recipients(&self) -> usize {
        self.recipients
    }

    /// `SMTPUTF8` was on MAIL (RFC 6531).
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn smtputf8(&self) -> bool {
        self.smtputf8
    }

    /// `true` after a refused BDAT chunk: the message can no longer be
    /// accepted, and further chunks are refused until RSET (RFC 3030 §2).
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn is_failed(&self) -> bool {
        self.failed
    }

    /// BDAT chunks accepted so far in this transaction.
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn chunks(&self) -> usize {
        self.chunks
    }
}
