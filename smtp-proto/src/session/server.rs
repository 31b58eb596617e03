//! [`ServerSession`]: the server side of an SMTP or LMTP session.

use crate::decode::{BdatDecoder, DataConfig, DataDecoder, DataEnd, DataEvent, MessageSize};
use crate::parse::command::CommandConfig;
use crate::parse::line::skip_line;
use crate::types::command::auth::AuthResponse;
use crate::types::command::{Command, MailFrom, RcptTo};
use crate::types::ehlo::{Extension, Extensions};
use crate::types::error::{ErrorKind, ErrorReply};
use crate::types::param::{Body, MailParams, RcptParams};
use crate::types::reply::{EnhancedStatusCode, ReplyCode};
use crate::types::status::Status;

/// Limits, extensions and policies of a [`ServerSession`], set at run time.
///
/// The defaults: SMTP (not LMTP), the extensions PIPELINING, SIZE, 8BITMIME,
/// SMTPUTF8, ENHANCEDSTATUSCODES and CHUNKING advertised, messages of at
/// most 10,240,000 octets (Postfix's default `message_size_limit`), 100
/// recipients per transaction (RFC 5321 §4.5.3.1.8), 20 errors per
/// connection, HELO or EHLO required before MAIL, unknown MAIL and RCPT
/// parameters refused (555), and a client that sends more after a command
/// that must end a pipelined group, before the reply, disconnected.
///
/// # Examples
///
/// ```
/// use smtp_wire::ehlo::{Extension, Extensions};
/// use smtp_wire::session::ServerConfig;
///
/// let mut config = ServerConfig::new();
/// config
///     .extensions(ServerConfig::new().advertised().with(Extension::Dsn))
///     .max_message_size(35_882_577)
///     .max_recipients(50)
///     .supported_params(&["XVERP"]);
/// assert!(config.advertised().contains(Extension::Dsn));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerConfig {
    commands: CommandConfig,
    data: DataConfig,
    extensions: Extensions,
    max_message_size: u64,
    max_recipients: usize,
    max_errors: usize,
    require_hello: bool,
    lmtp: bool,
    tls: bool,
    forbid_early_input: bool,
    supported_params: &'static [&'static str],
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig::new()
    }
}

impl ServerConfig {
    /// The defaults (see the type's documentation).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ServerConfig;
    /// assert_eq!(ServerConfig::new().max_message_size_limit(), 10_240_000);
    /// ```
    pub const fn new() -> ServerConfig {
        ServerConfig {
            commands: CommandConfig::new(),
            data: DataConfig::new(),
            extensions: Extensions::new()
                .with(Extension::Pipelining)
                .with(Extension::Size)
                .with(Extension::EightBitMime)
                .with(Extension::SmtpUtf8)
                .with(Extension::EnhancedStatusCodes)
                .with(Extension::Chunking),
            max_message_size: 10_240_000,
            max_recipients: 100,
            max_errors: 20,
            require_hello: true,
            lmtp: false,
            tls: false,
            forbid_early_input: true,
            supported_params: &[],
        }
    }

    /// The defaults for an LMTP server (RFC 2033): LHLO instead of HELO and
    /// EHLO, and one reply per accepted recipient after the message.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::session::ServerConfig::lmtp().is_lmtp());
    /// ```
    pub const fn lmtp() -> ServerConfig {
        let mut config = ServerConfig::new();
        config.lmtp = true;
        config
    }

    /// `true` for an LMTP server.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!smtp_wire::session::ServerConfig::new().is_lmtp());
    /// ```
    pub const fn is_lmtp(&self) -> bool {
        self.lmtp
    }

    /// How command lines are parsed (limits and leniency).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::CommandConfig;
    /// use smtp_wire::session::ServerConfig;
    /// let mut commands = CommandConfig::new();
    /// commands.max_line_len(1036); // RFC 3461 §5.4 for DSN servers
    /// let mut config = ServerConfig::new();
    /// config.commands(commands);
    /// ```
    pub fn commands(&mut self, commands: CommandConfig) -> &mut Self {
        self.commands = commands;
        self
    }

    /// How DATA content is checked (bare CR/LF, NUL, long lines). Its size
    /// limit is replaced by [`max_message_size`](ServerConfig::max_message_size).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::ContentPolicy;
    /// use smtp_wire::DataConfig;
    /// use smtp_wire::session::ServerConfig;
    /// let mut data = DataConfig::new();
    /// data.bare_lf(ContentPolicy::Note);
    /// let mut config = ServerConfig::new();
    /// config.data(data);
    /// ```
    pub fn data(&mut self, data: DataConfig) -> &mut Self {
        self.data = data;
        self
    }

    /// The extensions the server advertises in its EHLO reply. Commands and
    /// parameters of extensions not in the set are refused (BDAT without
    /// CHUNKING, `SMTPUTF8` without SMTPUTF8, DSN parameters without DSN...).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Extension, Extensions};
    /// use smtp_wire::session::ServerConfig;
    /// let mut config = ServerConfig::new();
    /// config.extensions(Extensions::new().with(Extension::Pipelining));
    /// assert!(!config.advertised().contains(Extension::Chunking));
    /// ```
    pub fn extensions(&mut self, extensions: Extensions) -> &mut Self {
        self.extensions = extensions;
        self
    }

    /// The extensions the server advertises.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::Extension;
    /// use smtp_wire::session::ServerConfig;
    /// assert!(ServerConfig::new().advertised().contains(Extension::Pipelining));
    /// ```
    pub const fn advertised(&self) -> Extensions {
        self.extensions
    }

    /// The largest message accepted, in octets (RFC 1870 counting); the
    /// value to advertise with SIZE. A larger `SIZE=` on MAIL is refused
    /// (552), and a body or chunk that grows past it is refused as soon as
    /// it crosses it and drained to its end, never buffered.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ServerConfig::new();
    /// config.max_message_size(32 << 20);
    /// ```
    pub fn max_message_size(&mut self, octets: u64) -> &mut Self {
        self.max_message_size = octets;
        self
    }

    /// The message size limit; see
    /// [`max_message_size`](ServerConfig::max_message_size).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::session::ServerConfig::new().max_message_size_limit(), 10_240_000);
    /// ```
    pub const fn max_message_size_limit(&self) -> u64 {
        self.max_message_size
    }

    /// The most recipients one transaction may have; more get `452 4.5.3`
    /// (RFC 5321 §4.5.3.1.10). Values below 1 are raised to 1.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ServerConfig::new();
    /// config.max_recipients(1000);
    /// ```
    pub fn max_recipients(&mut self, recipients: usize) -> &mut Self {
        self.max_recipients = recipients.max(1);
        self
    }

    /// The most errors (syntax errors, bad sequences, refused parameters,
    /// and replies of 500 to 504 and 555 the server sends) one connection
    /// may make; the next one is answered `421 4.7.0` and the session
    /// closes. Values below 1 are raised to 1.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ServerConfig::new();
    /// config.max_errors(10);
    /// ```
    pub fn max_errors(&mut self, errors: usize) -> &mut Self {
        self.max_errors = errors.max(1);
        self
    }

    /// Refuse MAIL before HELO, EHLO or LHLO (`503 5.5.1`), as RFC 5321
    /// §4.1.4 lets a server do. On by default.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ServerConfig::new();
    /// config.require_hello(false);
    /// ```
    pub fn require_hello(&mut self, require: bool) -> &mut Self {
        self.require_hello = require;
        self
    }

    /// The connection is already encrypted (implicit TLS, RFC 8314):
    /// STARTTLS is refused.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ServerConfig::new();
    /// config.tls(true);
    /// ```
    pub fn tls(&mut self, active: bool) -> &mut Self {
        self.tls = active;
        self
    }

    /// Disconnect a client that sends more input after a command that must
    /// end a pipelined group (DATA, STARTTLS, AUTH without an initial
    /// response, EHLO, NOOP, QUIT...; see
    /// [`Command::must_end_pipeline_group`]) before the server has answered
    /// it: [`ServerEvent::Close`] with `554 5.5.0`. On by default, as
    /// Postfix's `smtpd_forbid_unauth_pipelining` since 3.9.
    ///
    /// # Background
    ///
    /// RFC 2920 §3.1 lets a client pipeline only where the meaning of what
    /// follows does not depend on the reply. Bytes sent after DATA before
    /// the 354 are message content to the client but commands to a server
    /// that refused DATA: a message made of them would be stored (SMTP
    /// smuggling's cousin). With this off, the bytes are read as commands.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ServerConfig::new();
    /// config.forbid_early_input(false);
    /// ```
    pub fn forbid_early_input(&mut self, forbid: bool) -> &mut Self {
        self.forbid_early_input = forbid;
        self
    }

    /// MAIL and RCPT parameters the server supports beyond the typed ones
    /// (matched case-insensitively, e.g. `XVERP`); any other unknown
    /// parameter is refused with `555 5.5.4` (RFC 5321 §4.1.1.11).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ServerConfig::new();
    /// config.supported_params(&["XVERP", "X-TAG"]);
    /// ```
    pub fn supported_params(&mut self, keywords: &'static [&'static str]) -> &mut Self {
        self.supported_params = keywords;
        self
    }
}

/// The replies the session sends on its own, for protocol rules that need
/// no decision.
mod replies {
    use super::*;

    const fn r(code: ReplyCode, enhanced: EnhancedStatusCode, text: &'static str) -> ErrorReply {
        ErrorReply {
            code,
            enhanced,
            text,
        }
    }

    pub(super) const NO_HELLO: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Send HELO or EHLO first",
    );
    pub(super) const NO_LHLO: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Send LHLO first",
    );
    pub(super) const NESTED_MAIL: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Nested MAIL command",
    );
    pub(super) const NO_MAIL: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Need MAIL command",
    );
    pub(super) const NO_RECIPIENTS: ErrorReply = r(
        ReplyCode::TRANSACTION_FAILED,
        EnhancedStatusCode::INVALID_COMMAND,
        "No valid recipients",
    );
    pub(super) const DATA_AFTER_BDAT: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "DATA after BDAT in the same transaction",
    );
    pub(super) const BINARYMIME_DATA: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "BODY=BINARYMIME needs BDAT",
    );
    pub(super) const AFTER_FAILED_CHUNK: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Chunk discarded after an earlier error; send RSET",
    );
    pub(super) const TOO_MANY_RECIPIENTS: ErrorReply = r(
        ReplyCode::INSUFFICIENT_STORAGE,
        EnhancedStatusCode::TEMP_TOO_MANY_RECIPIENTS,
        "Too many recipients",
    );
    pub(super) const NON_ASCII: ErrorReply = r(
        ReplyCode::MAILBOX_NAME_NOT_ALLOWED,
        EnhancedStatusCode::NON_ASCII_ADDRESS,
        "Non-ASCII address needs SMTPUTF8",
    );
    pub(super) const NOT_IMPLEMENTED: ErrorReply = r(
        ReplyCode::NOT_IMPLEMENTED,
        EnhancedStatusCode::INVALID_COMMAND,
        "Command not implemented",
    );
    pub(super) const NOT_LMTP: ErrorReply = r(
        ReplyCode::SYNTAX_ERROR,
        EnhancedStatusCode::INVALID_COMMAND,
        "This is LMTP: use LHLO",
    );
    pub(super) const TLS_ACTIVE: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "TLS already active",
    );
    pub(super) const AUTHENTICATED: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Already authenticated",
    );
    pub(super) const AUTH_IN_TRANSACTION: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "AUTH not allowed during a mail transaction",
    );
    pub(super) const NO_SERVICE: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "No SMTP service here",
    );
    pub(super) const SYNC: ErrorReply = r(
        ReplyCode::TRANSACTION_FAILED,
        EnhancedStatusCode::PROTOCOL_ERROR,
        "Error: SMTP protocol synchronization",
    );
    pub(super) const TOO_MANY_ERRORS: ErrorReply = r(
        ReplyCode::SERVICE_NOT_AVAILABLE,
        EnhancedStatusCode::TEMP_SECURITY,
        "Too many errors, closing connection",
    );
    pub(super) const BDAT_SYNTAX: ErrorReply = r(
        ReplyCode::DOES_NOT_ACCEPT_MAIL,
        EnhancedStatusCode::INVALID_ARGUMENTS,
        "Syntax: BDAT count [LAST]",
    );
}

/// What a [`ServerSession`] found in the client's input.
///
/// | event | reply |
/// |---|---|
/// | [`Command`](ServerEvent::Command) | yours: send one, then [`ServerSession::reply_sent`] |
/// | [`AuthResponse`](ServerEvent::AuthResponse) | yours, as for a command (334, 235, 535...) |
/// | [`Body`](ServerEvent::Body), [`BodyRejected`](ServerEvent::BodyRejected) | none yet |
/// | [`ChunkEnd`](ServerEvent::ChunkEnd) | yours (250, or a refusal) |
/// | [`MessageEnd`](ServerEvent::MessageEnd) | yours: [`MessageEnd::replies`] of them (LMTP: one per accepted recipient) |
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
    /// A piece of message content, a slice of the input: DATA content with
    /// the dot-stuffing removed, or BDAT chunk octets. The message is the
    /// concatenation of the pieces.
    Body(&'a [u8]),
    /// The message will be refused with this error at its end (it passed
    /// the size limit, or broke a [`ContentPolicy::Reject`](crate::body::ContentPolicy)
    /// rule): discard what was stored. No more [`Body`](ServerEvent::Body)
    /// pieces follow; the rest of the content is drained.
    BodyRejected(ErrorKind),
    /// A BDAT chunk without LAST was read whole.
    ChunkEnd(ChunkEnd),
    /// The message is complete (the end of DATA content, or of the BDAT
    /// LAST chunk).
    MessageEnd(MessageEnd),
    /// The session refused the input by a protocol rule (syntax, sequence,
    /// a parameter, a limit): send this reply.
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
    /// with [`ServerSession::reply_sent`].
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
    size: u64,
    total: u64,
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
    /// let (Some(ServerEvent::Body(_)), n) = s.decode(b"BDAT 2\r\nhi") else { panic!() };
    /// let (Some(ServerEvent::ChunkEnd(end)), _) = s.decode(b"") else { panic!() };
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
    size: u64,
    replies: usize,
    data: Option<DataEnd>,
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
    open: bool,
    smtputf8: bool,
    binary: bool,
    recipients: usize,
    chunks: usize,
    failed: bool,
    size: u64,
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

    /// BDAT chunks accepted so far in this transaction.
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn chunks(&self) -> usize {
        self.chunks
    }
}

/// What the next reply answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Nothing,
    Greeting,
    Hello { extended: bool },
    Mail { smtputf8: bool, binary: bool },
    Rcpt,
    Data,
    Auth,
    StartTls,
    Quit,
    Rset,
    Xclient,
    Other,
    Chunk,
    Message { replies: usize },
}

/// What the next input bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Input {
    Commands,
    /// Discarding the rest of a line that was refused before its end.
    Resync,
    AuthResponse,
    Data {
        decoder: DataDecoder,
        rejected: bool,
    },
    Bdat {
        chunk: BdatDecoder,
        size: u64,
        last: bool,
        /// The reply for a refused chunk, sent once it has been drained.
        refusal: Option<ErrorReply>,
    },
    /// Repeating a refusal for every LMTP recipient.
    Refusals {
        reply: ErrorReply,
        left: usize,
    },
    TlsHandoff,
    Closed,
}

/// The server side of an SMTP or LMTP session, sans I/O: it owns the input
/// mode, the command sequence, the limits and the pipelining rules, and
/// leaves every policy decision and all I/O to the caller.
///
/// # The loop
///
/// 1. Send the greeting (220) and report it with
///    [`reply_sent`](ServerSession::reply_sent).
/// 2. Read bytes; call [`decode`](ServerSession::decode) with **everything
///    not yet consumed**. It returns an event (or `None`: read more) and the
///    bytes it used, which the caller drops from the front of its buffer.
/// 3. Answer the events that need it ([`ServerEvent`] has the table) and
///    report each reply's code with `reply_sent`, before decoding more.
///    Replies may be queued and written together when `decode` needs more
///    input, which is how a pipelined group gets one answer (RFC 2920).
///
/// The session holds no input: a DATA body or BDAT chunk is handed out as
/// it arrives, a refused or oversized one is drained as it arrives, and the
/// tail of an over-long line is discarded as it arrives. It never allocates.
///
/// # What the session decides
///
/// The input mode (DATA content only after a 354 was sent; a BDAT chunk
/// right after its line; one AUTH response after a 334; nothing after the
/// 220 to STARTTLS), the RFC 5321 sequence (503), the recipient limit
/// (452), the message size (552), extensions and parameters that were not
/// advertised or are unknown (555), non-ASCII addresses without SMTPUTF8
/// (553 5.6.7), the error limit (421) and pipelining synchronisation (554).
/// Everything else (who may send, to whom, what to do with the message) is
/// the caller's.
///
/// # Examples
///
/// ```
/// use smtp_wire::session::{ServerEvent, ServerSession};
/// use smtp_wire::reply::ReplyCode;
/// use smtp_wire::Command;
///
/// let mut session = ServerSession::new(Default::default());
/// session.reply_sent(ReplyCode::SERVICE_READY);
/// let (Some(ServerEvent::Command(Command::Ehlo(_))), _) = session.decode(b"EHLO client.example\r\n")
/// else {
///     panic!()
/// };
/// session.reply_sent(ReplyCode::OK);
/// // A pipelined group (RFC 2920): DATA ends it.
/// let mut rest: &[u8] = b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n";
/// let mut answers = Vec::new();
/// while let (Some(event), used) = session.decode(rest) {
///     rest = &rest[used..];
///     let ServerEvent::Command(command) = event else { panic!("{event:?}") };
///     let code = match command {
///         Command::Data => ReplyCode::START_MAIL_INPUT,
///         _ => ReplyCode::OK,
///     };
///     session.reply_sent(code);
///     answers.push(code.get());
/// }
/// assert_eq!(answers, [250, 250, 354]);
/// // DATA mode: content, then the end of the message.
/// let (Some(ServerEvent::Body(body)), used) = session.decode(b"Hi\r\n.\r\n") else { panic!() };
/// assert_eq!((body, used), (&b"Hi\r\n"[..], 4));
/// let (Some(ServerEvent::MessageEnd(end)), 3) = session.decode(b".\r\n") else { panic!() };
/// assert_eq!(end.size(), 4);
/// ```
#[derive(Debug, Clone)]
pub struct ServerSession {
    config: ServerConfig,
    input: Input,
    pending: Pending,
    greeted: bool,
    extended: bool,
    refused_greeting: bool,
    tls: bool,
    authenticated: bool,
    errors: usize,
    close_next: bool,
    transaction: Transaction,
    size: MessageSize,
}

impl ServerSession {
    /// A session at the start of a connection: the greeting is owed.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::{ServerConfig, ServerEvent, ServerSession};
    /// let mut session = ServerSession::new(ServerConfig::new());
    /// assert_eq!(session.decode(b"EHLO x\r\n"), (Some(ServerEvent::ReplyOwed), 0));
    /// ```
    pub const fn new(config: ServerConfig) -> ServerSession {
        ServerSession {
            config,
            input: Input::Commands,
            pending: Pending::Greeting,
            greeted: false,
            extended: false,
            refused_greeting: false,
            tls: config.tls,
            authenticated: false,
            errors: 0,
            close_next: false,
            transaction: Transaction {
                open: false,
                smtputf8: false,
                binary: false,
                recipients: 0,
                chunks: 0,
                failed: false,
                size: 0,
            },
            size: MessageSize::new(Some(config.max_message_size)),
        }
    }

    /// The configuration.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::{ServerConfig, ServerSession};
    /// assert_eq!(ServerSession::new(ServerConfig::new()).config(), &ServerConfig::new());
    /// ```
    pub const fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// The current mail transaction.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ServerSession;
    /// assert_eq!(ServerSession::new(Default::default()).transaction().recipients(), 0);
    /// ```
    pub const fn transaction(&self) -> &Transaction {
        &self.transaction
    }

    /// `true` once a 235 answered AUTH.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!smtp_wire::session::ServerSession::new(Default::default()).is_authenticated());
    /// ```
    pub const fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// `true` when the connection is encrypted (after the STARTTLS hand-off,
    /// or configured so).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!smtp_wire::session::ServerSession::new(Default::default()).is_tls());
    /// ```
    pub const fn is_tls(&self) -> bool {
        self.tls
    }

    /// The errors counted so far (see [`ServerConfig::max_errors`]).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::session::ServerSession::new(Default::default()).errors(), 0);
    /// ```
    pub const fn errors(&self) -> usize {
        self.errors
    }

    /// `true` once the session is over: nothing more will be decoded.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!smtp_wire::session::ServerSession::new(Default::default()).is_closed());
    /// ```
    pub const fn is_closed(&self) -> bool {
        matches!(self.input, Input::Closed)
    }

    /// Reports that a reply with `code` was sent (queued for sending is
    /// enough): the greeting, the answer to a [`ServerEvent::Command`],
    /// [`ServerEvent::AuthResponse`], [`ServerEvent::ChunkEnd`] or
    /// [`ServerEvent::MessageEnd`] (one call per reply for LMTP). The
    /// session's own replies ([`ServerEvent::Reply`],
    /// [`ServerEvent::Close`]) need no report.
    ///
    /// The code decides what happens next: 354 to DATA starts the content,
    /// 334 to AUTH reads an AUTH response, 220 to STARTTLS ends the
    /// plaintext phase, 2xx to MAIL opens a transaction, 2xx to RCPT
    /// counts a recipient, 221 to QUIT and any 421 end the session; 500 to
    /// 504 and 555 count as errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::{ServerEvent, ServerSession};
    /// use smtp_wire::reply::ReplyCode;
    ///
    /// let mut session = ServerSession::new(Default::default());
    /// session.reply_sent(ReplyCode::SERVICE_READY);
    /// session.decode(b"QUIT\r\n");
    /// session.reply_sent(ReplyCode::SERVICE_CLOSING);
    /// assert_eq!(session.decode(b""), (Some(ServerEvent::Closed), 0));
    /// ```
    pub fn reply_sent(&mut self, code: ReplyCode) {
        let n = code.get();
        let positive = n < 400;
        if matches!(n, 500..=504 | 555) {
            self.count_error();
        }
        if n == 421 {
            self.input = Input::Closed;
            self.pending = Pending::Nothing;
            return;
        }
        let pending = core::mem::replace(&mut self.pending, Pending::Nothing);
        match pending {
            Pending::Nothing | Pending::Other => {}
            Pending::Greeting => {
                // RFC 5321 §3.1: after a 554 greeting, wait for QUIT and
                // answer everything else with 503.
                self.refused_greeting = !positive;
            }
            Pending::Hello { extended } => {
                if positive {
                    self.greeted = true;
                    self.extended = extended;
                    // RFC 5321 §4.1.4: EHLO resets the state like RSET.
                    self.reset_transaction();
                }
            }
            Pending::Mail { smtputf8, binary } => {
                if positive {
                    self.transaction = Transaction {
                        open: true,
                        smtputf8,
                        binary,
                        ..Transaction::default()
                    };
                    self.size = MessageSize::new(Some(self.config.max_message_size));
                }
            }
            Pending::Rcpt => {
                if positive {
                    self.transaction.recipients += 1;
                }
            }
            Pending::Data => {
                if n == 354 {
                    let mut data = self.config.data;
                    data.max_message_size(Some(self.config.max_message_size));
                    self.input = Input::Data {
                        decoder: data.decoder(),
                        rejected: false,
                    };
                }
            }
            Pending::Auth => match n {
                334 => self.input = Input::AuthResponse,
                235 => self.authenticated = true,
                _ => {}
            },
            Pending::StartTls => {
                if n == 220 {
                    self.input = Input::TlsHandoff;
                }
            }
            Pending::Quit => {
                if n == 221 {
                    self.input = Input::Closed;
                }
            }
            Pending::Rset => self.reset_transaction(),
            Pending::Xclient => {
                // XCLIENT success starts the session over (Postfix
                // XCLIENT_README): the client sends EHLO again.
                if n == 220 {
                    self.greeted = false;
                    self.extended = false;
                    self.reset_transaction();
                }
            }
            Pending::Chunk => {
                if positive {
                    self.transaction.chunks += 1;
                } else {
                    // RFC 3030 §2: after a refused chunk the transaction has
                    // failed; further chunks are discarded until RSET.
                    self.transaction.failed = true;
                }
            }
            Pending::Message { replies } => {
                if replies > 1 {
                    self.pending = Pending::Message {
                        replies: replies - 1,
                    };
                } else {
                    self.reset_transaction();
                }
            }
        }
    }

    /// Decodes the next event from the front of `input`, which must hold
    /// every byte received and not yet consumed.
    ///
    /// Returns the event, or `None` when more input is needed, and how many
    /// bytes to drop from the front of the buffer (also when the event is
    /// `None`: the tail of a refused line or a drained chunk is consumed as
    /// it arrives). Never fails and never panics; see [`ServerEvent`] for
    /// what to do with each event.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::{ServerEvent, ServerSession};
    /// use smtp_wire::reply::ReplyCode;
    ///
    /// let mut session = ServerSession::new(Default::default());
    /// session.reply_sent(ReplyCode::SERVICE_READY);
    /// // MAIL before EHLO: the session answers it.
    /// let (Some(ServerEvent::Reply(reply)), used) = session.decode(b"MAIL FROM:<>\r\n") else {
    ///     panic!()
    /// };
    /// assert_eq!((reply.code.get(), used), (503, 14));
    /// // A partial line: read more.
    /// assert_eq!(session.decode(b"EHLO clie"), (None, 0));
    /// ```
    pub fn decode<'a>(&mut self, input: &'a [u8]) -> (Option<ServerEvent<'a>>, usize) {
        let mut used = 0;
        loop {
            let rest = input.get(used..).unwrap_or_default();
            let (event, n) = self.step(rest);
            used += n;
            match event {
                Step::Event(event) => return (Some(event), used),
                Step::More => return (None, used),
                Step::Continue => {}
            }
        }
    }

    /// One step of [`decode`](ServerSession::decode).
    fn step<'a>(&mut self, input: &'a [u8]) -> (Step<'a>, usize) {
        if self.pending != Pending::Nothing {
            return (Step::Event(ServerEvent::ReplyOwed), 0);
        }
        if self.close_next {
            self.close_next = false;
            return self.close(replies::TOO_MANY_ERRORS, 0);
        }
        match &mut self.input {
            Input::Closed => (Step::Event(ServerEvent::Closed), 0),
            Input::TlsHandoff => {
                self.start_over();
                self.tls = true;
                (Step::Event(ServerEvent::TlsHandoff(input)), input.len())
            }
            Input::Refusals { reply, left } => {
                let reply = *reply;
                *left -= 1;
                if *left == 0 {
                    self.input = Input::Commands;
                }
                (Step::Event(ServerEvent::Reply(reply)), 0)
            }
            Input::Resync => match skip_line(input) {
                Status::Complete(n) => {
                    self.input = Input::Commands;
                    (Step::Continue, n)
                }
                Status::Partial if input.is_empty() => (Step::More, 0),
                Status::Partial => (Step::More, input.len()),
            },
            Input::AuthResponse => self.auth_response(input),
            Input::Data { .. } => self.data(input),
            Input::Bdat { .. } => self.bdat(input),
            Input::Commands => self.command(input),
        }
    }

    fn command<'a>(&mut self, input: &'a [u8]) -> (Step<'a>, usize) {
        let (command, used) = match self.config.commands.parse(input) {
            Ok(Status::Partial) => return (Step::More, 0),
            Ok(Status::Complete(parsed)) => parsed,
            Err(err) => {
                let skip = err.skip().min(input.len());
                if err.needs_resync() {
                    self.input = Input::Resync;
                }
                // RFC 3030 §2: a BDAT line whose size cannot be read leaves
                // the chunk's end unknown; the session cannot go on.
                let bdat = input
                    .get(..5)
                    .is_some_and(|v| v.eq_ignore_ascii_case(b"BDAT "));
                if bdat && !matches!(err.kind(), ErrorKind::LineTooLong) {
                    return self.close(replies::BDAT_SYNTAX, input.len());
                }
                return self.refuse(err.reply(), skip);
            }
        };
        // Input after a command the client must wait on (RFC 2920 §3.1).
        if self.config.forbid_early_input && command.must_end_pipeline_group() && input.len() > used
        {
            return self.close(replies::SYNC, input.len());
        }
        if self.refused_greeting && command != Command::Quit {
            return self.refuse(replies::NO_SERVICE, used);
        }
        match self.check(&command) {
            Checked::Pass(pending) => {
                self.pending = pending;
                (Step::Event(ServerEvent::Command(command)), used)
            }
            Checked::Refuse(reply) => self.refuse(reply, used),
            Checked::Chunk {
                size,
                last,
                refusal,
            } => {
                if let Some(reply) = refusal {
                    self.count_error();
                    if last {
                        // The transaction ends with the last chunk either way.
                        self.transaction.failed = true;
                    }
                    self.input = Input::Bdat {
                        chunk: BdatDecoder::new(size),
                        size,
                        last,
                        refusal: Some(reply),
                    };
                } else {
                    self.input = Input::Bdat {
                        chunk: BdatDecoder::new(size),
                        size,
                        last,
                        refusal: None,
                    };
                }
                (Step::Continue, used)
            }
        }
    }

    /// The sequence, limit and parameter rules for one command.
    fn check(&mut self, command: &Command<'_>) -> Checked {
        use replies::*;
        let advertised = self.config.extensions;
        let offers = |e: Extension| advertised.contains(e);
        let lmtp = self.config.lmtp;
        match command {
            Command::Helo(_) | Command::Ehlo(_) if lmtp => Checked::Refuse(NOT_LMTP),
            Command::Lhlo(_) if !lmtp => Checked::Refuse(ErrorKind::UnrecognizedCommand.reply()),
            Command::Helo(_) => Checked::Pass(Pending::Hello { extended: false }),
            Command::Ehlo(_) | Command::Lhlo(_) => Checked::Pass(Pending::Hello { extended: true }),
            Command::Mail(mail) => {
                if self.config.require_hello && !self.greeted {
                    return Checked::Refuse(if lmtp { NO_LHLO } else { NO_HELLO });
                }
                if self.transaction.open {
                    return Checked::Refuse(NESTED_MAIL);
                }
                if let Some(reply) = self.mail_params(mail) {
                    return Checked::Refuse(reply);
                }
                Checked::Pass(Pending::Mail {
                    smtputf8: mail.params.smtputf8,
                    binary: mail.params.body == Some(Body::BinaryMime),
                })
            }
            Command::Rcpt(rcpt) => {
                if !self.transaction.open {
                    return Checked::Refuse(NO_MAIL);
                }
                if self.transaction.recipients >= self.config.max_recipients {
                    return Checked::Refuse(TOO_MANY_RECIPIENTS);
                }
                if let Some(reply) = self.rcpt_params(rcpt) {
                    return Checked::Refuse(reply);
                }
                Checked::Pass(Pending::Rcpt)
            }
            Command::Data => {
                if !self.transaction.open {
                    Checked::Refuse(NO_MAIL)
                } else if self.transaction.chunks > 0 || self.transaction.failed {
                    Checked::Refuse(DATA_AFTER_BDAT)
                } else if self.transaction.binary {
                    Checked::Refuse(BINARYMIME_DATA)
                } else if self.transaction.recipients == 0 {
                    Checked::Refuse(NO_RECIPIENTS)
                } else {
                    Checked::Pass(Pending::Data)
                }
            }
            &Command::Bdat { size, last } => {
                // The chunk follows its line at once (RFC 3030 §2), so it is
                // read whatever the verdict; a refused one is drained.
                let refusal = if !offers(Extension::Chunking) {
                    Some(NOT_IMPLEMENTED)
                } else if !self.transaction.open {
                    Some(NO_MAIL)
                } else if self.transaction.failed {
                    Some(AFTER_FAILED_CHUNK)
                } else if self.transaction.recipients == 0 {
                    Some(NO_RECIPIENTS)
                } else {
                    // Counted before any octet arrives, so an oversized chunk
                    // is refused at once and drained, never buffered.
                    self.size.add(size).err().map(|err| err.reply())
                };
                Checked::Chunk {
                    size,
                    last,
                    refusal,
                }
            }
            Command::StartTls => {
                if !offers(Extension::StartTls) {
                    Checked::Refuse(NOT_IMPLEMENTED)
                } else if self.tls {
                    Checked::Refuse(TLS_ACTIVE)
                } else {
                    Checked::Pass(Pending::StartTls)
                }
            }
            Command::Auth(_) => {
                if !offers(Extension::Auth) || !self.extended {
                    Checked::Refuse(NOT_IMPLEMENTED)
                } else if self.authenticated {
                    Checked::Refuse(AUTHENTICATED)
                } else if self.transaction.open {
                    Checked::Refuse(AUTH_IN_TRANSACTION)
                } else {
                    Checked::Pass(Pending::Auth)
                }
            }
            Command::Etrn(_) if !offers(Extension::Etrn) => Checked::Refuse(NOT_IMPLEMENTED),
            Command::Atrn(_) if !offers(Extension::Atrn) => Checked::Refuse(NOT_IMPLEMENTED),
            Command::Burl(_) if !offers(Extension::Burl) => Checked::Refuse(NOT_IMPLEMENTED),
            Command::Xclient(_) if !offers(Extension::Xclient) => Checked::Refuse(NOT_IMPLEMENTED),
            Command::Xforward(_) if !offers(Extension::Xforward) => {
                Checked::Refuse(NOT_IMPLEMENTED)
            }
            Command::Xclient(_) => Checked::Pass(Pending::Xclient),
            Command::Quit => Checked::Pass(Pending::Quit),
            Command::Rset => Checked::Pass(Pending::Rset),
            _ => Checked::Pass(Pending::Other),
        }
    }

    /// MAIL parameters against what was advertised (RFC 5321 §4.1.1.11:
    /// 555), the size limit (RFC 1870: 552) and SMTPUTF8 (RFC 6531 §3.4).
    fn mail_params(&self, mail: &MailFrom<'_>) -> Option<ErrorReply> {
        let p: &MailParams<'_> = &mail.params;
        let offers = |e: Extension| self.extended && self.config.extensions.contains(e);
        let binary = p.body == Some(Body::BinaryMime);
        let unadvertised = (p.size.is_some() && !offers(Extension::Size))
            || (p.body.is_some() && !offers(Extension::EightBitMime) && !binary)
            || (binary && !(offers(Extension::BinaryMime) && offers(Extension::Chunking)))
            || (p.smtputf8 && !offers(Extension::SmtpUtf8))
            || ((p.ret.is_some() || p.envid.is_some()) && !offers(Extension::Dsn))
            || (p.auth.is_some() && !offers(Extension::Auth))
            || (p.mt_priority.is_some() && !offers(Extension::MtPriority))
            || ((p.hold_for.is_some() || p.hold_until.is_some())
                && !offers(Extension::FutureRelease))
            || (p.by.is_some() && !offers(Extension::DeliverBy))
            || (p.require_tls && !offers(Extension::RequireTls))
            || (p.mtrk.is_some() && !offers(Extension::Mtrk))
            || (p.solicit.is_some() && !offers(Extension::NoSoliciting))
            || (p.transid.is_some() && !offers(Extension::Checkpoint))
            || (p.conperm && !offers(Extension::ConPerm));
        if unadvertised || !self.known_params(p.others.iter()) {
            return Some(ErrorKind::UnsupportedParameter.reply());
        }
        if p.size
            .is_some_and(|size| size > self.config.max_message_size)
        {
            return Some(ErrorKind::MessageTooLarge.reply());
        }
        let ascii = mail.path.mailbox().is_none_or(|m| m.is_ascii());
        if !ascii && !p.smtputf8 {
            return Some(replies::NON_ASCII);
        }
        None
    }

    /// RCPT parameters against what was advertised, and SMTPUTF8.
    fn rcpt_params(&self, rcpt: &RcptTo<'_>) -> Option<ErrorReply> {
        let p: &RcptParams<'_> = &rcpt.params;
        let offers = |e: Extension| self.extended && self.config.extensions.contains(e);
        let unadvertised = ((p.notify.is_some() || p.orcpt.is_some()) && !offers(Extension::Dsn))
            || (p.rrvs.is_some() && !offers(Extension::Rrvs))
            || (p.conneg && !offers(Extension::ConNeg));
        if unadvertised || !self.known_params(p.others.iter()) {
            return Some(ErrorKind::UnsupportedParameter.reply());
        }
        let ascii = rcpt.path.mailbox().is_none_or(|m| m.is_ascii());
        if !ascii && !self.transaction.smtputf8 {
            return Some(replies::NON_ASCII);
        }
        None
    }

    /// Every untyped parameter is one the caller declared.
    fn known_params<'p>(
        &self,
        mut params: impl Iterator<Item = crate::types::param::Param<'p>>,
    ) -> bool {
        params.all(|param| {
            self.config
                .supported_params
                .iter()
                .any(|k| k.eq_ignore_ascii_case(param.keyword()))
        })
    }

    fn auth_response<'a>(&mut self, input: &'a [u8]) -> (Step<'a>, usize) {
        match self.config.commands.parse_auth_response(input) {
            Ok(Status::Partial) => (Step::More, 0),
            Ok(Status::Complete((AuthResponse::Cancel, used))) => {
                // RFC 4954 §4: a cancelled exchange is answered 501.
                self.input = Input::Commands;
                self.refuse(ErrorKind::AuthCancelled.reply(), used)
            }
            Ok(Status::Complete((response, used))) => {
                self.input = Input::Commands;
                self.pending = Pending::Auth;
                (Step::Event(ServerEvent::AuthResponse(response)), used)
            }
            Err(err) => {
                self.input = if err.needs_resync() {
                    Input::Resync
                } else {
                    Input::Commands
                };
                self.refuse(err.reply(), err.skip().min(input.len()))
            }
        }
    }

    fn data<'a>(&mut self, input: &'a [u8]) -> (Step<'a>, usize) {
        let Input::Data { decoder, rejected } = &mut self.input else {
            return (Step::More, 0);
        };
        match decoder.decode(input) {
            Ok(Status::Partial) => (Step::More, 0),
            Ok(Status::Complete((DataEvent::Payload(payload), used))) => {
                if *rejected {
                    return (Step::Continue, used);
                }
                if let Some(kind) = decoder.rejection() {
                    *rejected = true;
                    return (Step::Event(ServerEvent::BodyRejected(kind)), used);
                }
                (Step::Event(ServerEvent::Body(payload)), used)
            }
            Ok(Status::Complete((DataEvent::End(end), used))) => {
                self.input = Input::Commands;
                let replies = self.replies_owed();
                self.pending = Pending::Message { replies };
                let end = MessageEnd {
                    size: end.size(),
                    replies,
                    data: Some(end),
                };
                (Step::Event(ServerEvent::MessageEnd(end)), used)
            }
            Err(err) => {
                // Content broke a rule or the size limit: the message is
                // refused, once per recipient under LMTP.
                let replies = self.replies_owed();
                self.reset_transaction();
                let reply = err.reply();
                self.input = if replies > 1 {
                    Input::Refusals {
                        reply,
                        left: replies - 1,
                    }
                } else {
                    Input::Commands
                };
                (Step::Event(ServerEvent::Reply(reply)), err.skip())
            }
        }
    }

    fn bdat<'a>(&mut self, input: &'a [u8]) -> (Step<'a>, usize) {
        let Input::Bdat {
            chunk,
            size,
            last,
            refusal,
        } = &mut self.input
        else {
            return (Step::More, 0);
        };
        if !chunk.is_done() {
            if input.is_empty() {
                return (Step::More, 0);
            }
            let (data, used) = chunk.decode(input);
            if refusal.is_some() {
                return (Step::Continue, used);
            }
            return (Step::Event(ServerEvent::Body(data)), used);
        }
        let (size, last, refusal) = (*size, *last, *refusal);
        self.input = Input::Commands;
        if let Some(reply) = refusal {
            if last {
                self.reset_transaction();
            }
            return (Step::Event(ServerEvent::Reply(reply)), 0);
        }
        let total = self.size.total();
        if last {
            let replies = self.replies_owed();
            self.pending = Pending::Message { replies };
            let end = MessageEnd {
                size: total,
                replies,
                data: None,
            };
            return (Step::Event(ServerEvent::MessageEnd(end)), 0);
        }
        self.pending = Pending::Chunk;
        (
            Step::Event(ServerEvent::ChunkEnd(ChunkEnd { size, total })),
            0,
        )
    }

    /// Replies owed at the end of a message: one, or one per accepted
    /// recipient under LMTP (RFC 2033 §4.2).
    fn replies_owed(&self) -> usize {
        if self.config.lmtp {
            self.transaction.recipients.max(1)
        } else {
            1
        }
    }

    /// Refuses with `reply`, counting an error; past the limit, closes.
    fn refuse<'a>(&mut self, reply: ErrorReply, used: usize) -> (Step<'a>, usize) {
        self.count_error();
        if self.close_next {
            self.close_next = false;
            return self.close(replies::TOO_MANY_ERRORS, used);
        }
        (Step::Event(ServerEvent::Reply(reply)), used)
    }

    fn count_error(&mut self) {
        self.errors = self.errors.saturating_add(1);
        if self.errors >= self.config.max_errors {
            self.close_next = true;
        }
    }

    fn close<'a>(&mut self, reply: ErrorReply, used: usize) -> (Step<'a>, usize) {
        self.input = Input::Closed;
        self.pending = Pending::Nothing;
        (Step::Event(ServerEvent::Close(reply)), used)
    }

    fn reset_transaction(&mut self) {
        self.transaction = Transaction::default();
        self.size = MessageSize::new(Some(self.config.max_message_size));
    }

    /// The state after the TLS handshake (RFC 3207 §4.2): as after the
    /// greeting, with nothing learned from the client.
    fn start_over(&mut self) {
        self.input = Input::Commands;
        self.pending = Pending::Nothing;
        self.greeted = false;
        self.extended = false;
        self.authenticated = false;
        self.reset_transaction();
    }
}

/// What one step of decoding produced.
// A return value, moved once; the event is as large as a `Command`.
#[allow(clippy::large_enum_variant)]
enum Step<'a> {
    Event(ServerEvent<'a>),
    /// Consumed what it could; decode on.
    Continue,
    /// More input is needed.
    More,
}

/// The verdict on a command.
enum Checked {
    Pass(Pending),
    Refuse(ErrorReply),
    Chunk {
        size: u64,
        last: bool,
        refusal: Option<ErrorReply>,
    },
}
