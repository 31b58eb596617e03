//! [`ServerConfig`], and the replies a [`ServerSession`](super::ServerSession)
//! sends on its own.

use crate::decode::DataConfig;
use crate::parse::command::CommandConfig;
use crate::types::ehlo::{Extension, Extensions};
use crate::types::error::ErrorReply;
use crate::types::reply::{EnhancedStatusCode, ReplyCode};

/// Limits, extensions and policies of a [`ServerSession`](crate::session::ServerSession), set at run time.
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
    pub(super) commands: CommandConfig,
    pub(super) data: DataConfig,
    pub(super) extensions: Extensions,
    pub(super) max_message_size: u64,
    pub(super) max_recipients: usize,
    pub(super) max_errors: usize,
    pub(super) require_hello: bool,
    pub(super) lmtp: bool,
    pub(super) tls: bool,
    pub(super) forbid_early_input: bool,
    pub(super) passive: bool,
    pub(super) supported_params: &'static [&'static str],
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
            passive: false,
            supported_params: &[],
        }
    }

    /// A session that follows a conversation it does not take part in (a
    /// decoder of recorded traffic, a proxy in front of another server):
    /// every command is passed on and no rule or limit is enforced; the
    /// input mode follows the replies reported with
    /// [`reply_sent`](super::ServerSession::reply_sent) (DATA content after
    /// a 354, an AUTH response after a 334, the hand-off after a 220 to
    /// STARTTLS). Every extension counts as advertised; there is no size or
    /// error limit. The parser's limits and the DATA decoder's content rules
    /// still apply.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::{ServerConfig, ServerEvent, ServerSession};
    /// use smtp_wire::reply::ReplyCode;
    ///
    /// let mut session = ServerSession::new(ServerConfig::passive());
    /// session.reply_sent(ReplyCode::SERVICE_READY);
    /// // RCPT before MAIL is passed on: the observed server decides.
    /// let (Some(ServerEvent::Command(_)), _) = session.decode(b"RCPT TO:<a@b.example>\r\n") else {
    ///     panic!()
    /// };
    /// ```
    pub const fn passive() -> ServerConfig {
        let mut config = ServerConfig::new();
        config.passive = true;
        config.forbid_early_input = false;
        config.require_hello = false;
        config.max_message_size = u64::MAX;
        config.max_recipients = usize::MAX;
        config.max_errors = usize::MAX;
        let mut all = Extensions::new();
        let mut i = 0;
        while i < Extension::ALL.len() {
            all = all.with(Extension::ALL[i]);
            i += 1;
        }
        config.extensions = all;
        config
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
    /// may make. The error that reaches the limit is answered as usual;
    /// the next [`decode`](super::ServerSession::decode) returns
    /// [`ServerEvent::Close`](super::ServerEvent::Close) with `421 4.7.0`
    /// (as Postfix's `smtpd_hard_error_limit`). Values below 1 are raised
    /// to 1.
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
    /// [`Command::must_end_pipeline_group`](crate::Command::must_end_pipeline_group)) before the server has answered
    /// it: [`ServerEvent::Close`](crate::session::ServerEvent::Close) with `554 5.5.0`. On by default, as
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

    /// The command parser options.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::CommandConfig;
    /// use smtp_wire::session::ServerConfig;
    /// assert_eq!(ServerConfig::new().command_config(), &CommandConfig::new());
    /// ```
    pub const fn command_config(&self) -> &CommandConfig {
        &self.commands
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
pub(super) mod replies {
    use super::*;

    /// Checked by `ErrorReply::new` when the crate is built.
    const fn r(code: ReplyCode, enhanced: EnhancedStatusCode, text: &'static str) -> ErrorReply {
        match ErrorReply::new(code, enhanced, text) {
            Ok(reply) => reply,
            Err(_) => panic!("an invalid session reply"),
        }
    }

    pub(in crate::session::server) const NO_HELLO: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Send HELO or EHLO first",
    );
    pub(in crate::session::server) const NO_LHLO: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Send LHLO first",
    );
    pub(in crate::session::server) const NESTED_MAIL: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Nested MAIL command",
    );
    pub(in crate::session::server) const NO_MAIL: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Need MAIL command",
    );
    pub(in crate::session::server) const NO_RECIPIENTS: ErrorReply = r(
        ReplyCode::TRANSACTION_FAILED,
        EnhancedStatusCode::INVALID_COMMAND,
        "No valid recipients",
    );
    pub(in crate::session::server) const DATA_AFTER_BDAT: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "DATA after BDAT in the same transaction",
    );
    pub(in crate::session::server) const BINARYMIME_DATA: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "BODY=BINARYMIME needs BDAT",
    );
    pub(in crate::session::server) const AFTER_FAILED_CHUNK: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Chunk discarded after an earlier error; send RSET",
    );
    pub(in crate::session::server) const TOO_MANY_RECIPIENTS: ErrorReply = r(
        ReplyCode::INSUFFICIENT_STORAGE,
        EnhancedStatusCode::TEMP_TOO_MANY_RECIPIENTS,
        "Too many recipients",
    );
    pub(in crate::session::server) const NOT_IMPLEMENTED: ErrorReply = r(
        ReplyCode::NOT_IMPLEMENTED,
        EnhancedStatusCode::INVALID_COMMAND,
        "Command not implemented",
    );
    pub(in crate::session::server) const NOT_LMTP: ErrorReply = r(
        ReplyCode::SYNTAX_ERROR,
        EnhancedStatusCode::INVALID_COMMAND,
        "This is LMTP: use LHLO",
    );
    pub(in crate::session::server) const TLS_ACTIVE: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "TLS already active",
    );
    pub(in crate::session::server) const AUTHENTICATED: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "Already authenticated",
    );
    pub(in crate::session::server) const AUTH_IN_TRANSACTION: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "AUTH not allowed during a mail transaction",
    );
    pub(in crate::session::server) const NO_SERVICE: ErrorReply = r(
        ReplyCode::BAD_SEQUENCE,
        EnhancedStatusCode::INVALID_COMMAND,
        "No SMTP service here",
    );
    pub(in crate::session::server) const SYNC: ErrorReply = r(
        ReplyCode::TRANSACTION_FAILED,
        EnhancedStatusCode::PROTOCOL_ERROR,
        "Error: SMTP protocol synchronization",
    );
    pub(in crate::session::server) const TOO_MANY_ERRORS: ErrorReply = r(
        ReplyCode::SERVICE_NOT_AVAILABLE,
        EnhancedStatusCode::TEMP_SECURITY,
        "Too many errors, closing connection",
    );
    pub(in crate::session::server) const BDAT_SYNTAX: ErrorReply = r(
        ReplyCode::DOES_NOT_ACCEPT_MAIL,
        EnhancedStatusCode::INVALID_ARGUMENTS,
        "Syntax: BDAT count [LAST]",
    );
}
