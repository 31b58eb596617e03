//! [`ServerSession`]: the server side of an SMTP or LMTP session.

mod config;
mod event;

pub use self::config::ServerConfig;
pub use self::event::{ChunkEnd, MessageEnd, ServerEvent, Transaction};

use self::config::replies;
use crate::decode::{BdatDecoder, DataDecoder, DataEvent, MessageSize};
use crate::parse::line::skip_line;
use crate::types::command::auth::AuthResponse;
use crate::types::command::{Command, MailFrom, RcptTo};
use crate::types::ehlo::Extension;
use crate::types::error::{Error, ErrorKind, ErrorReply};
use crate::types::param::{Body, MailParams, RcptParams};
use crate::types::reply::ReplyCode;
use crate::types::status::Status;

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
        refusal: Refusal,
        left: usize,
    },
    TlsHandoff,
    Closed,
}

/// A refused message's verdict, repeated for each LMTP recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// Content that broke a rule or the size limit (DATA).
    Content(Error),
    /// A refused last chunk (BDAT).
    Chunk(ErrorReply),
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
    /// [`ServerEvent::Close`]) need no report; reporting them anyway, or any
    /// reply the session did not ask for, changes nothing, except that a
    /// 421 always ends the session.
    ///
    /// The code decides what happens next: 354 to DATA starts the content,
    /// 334 to AUTH reads an AUTH response, 220 to STARTTLS ends the
    /// plaintext phase, 2xx to MAIL opens a transaction, 2xx to RCPT
    /// counts a recipient, 221 to QUIT ends the session; 500 to 504 and 555
    /// count as errors.
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
        if n == 421 {
            self.input = Input::Closed;
            self.pending = Pending::Nothing;
            return;
        }
        if self.pending == Pending::Nothing {
            return;
        }
        if is_protocol_error(code) {
            self.count_error();
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
    /// assert_eq!((reply.code().get(), used), (503, 14));
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
            Input::Refusals { refusal, left } => {
                let refusal = *refusal;
                *left -= 1;
                if *left == 0 {
                    self.input = Input::Commands;
                }
                let event = match refusal {
                    Refusal::Content(error) => ServerEvent::Error(error.without_skip()),
                    Refusal::Chunk(reply) => ServerEvent::Reply(reply),
                };
                (Step::Event(event), 0)
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
                if bdat && !self.config.passive && !matches!(err.kind(), ErrorKind::LineTooLong) {
                    return self.close(replies::BDAT_SYNTAX, input.len());
                }
                return self.reject(err, skip);
            }
        };
        // Input after a command the client must wait on (RFC 2920 §3.1).
        if self.config.forbid_early_input && command.must_end_pipeline_group() && input.len() > used
        {
            return self.close(replies::SYNC, input.len());
        }
        if self.refused_greeting && !self.config.passive && command != Command::Quit {
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
                    if is_protocol_error(reply.code()) {
                        self.count_error();
                    }
                    // RFC 3030 §2: after a refused chunk the transaction has
                    // failed, LAST or not (it ends with the last chunk
                    // either way); the chunks pipelined after it are
                    // discarded until RSET, never joined into a message
                    // that lacks this one.
                    if self.transaction.open {
                        self.transaction.failed = true;
                    }
                    self.input = Input::Bdat {
                        chunk: BdatDecoder::new(size),
                        size,
                        last,
                        refusal: Some(reply),
                    };
                    return (Step::Continue, used);
                }
                self.input = Input::Bdat {
                    chunk: BdatDecoder::new(size),
                    size,
                    last,
                    refusal: None,
                };
                (Step::Event(ServerEvent::Bdat { size, last }), used)
            }
        }
    }

    /// The sequence, limit and parameter rules for one command.
    fn check(&mut self, command: &Command<'_>) -> Checked {
        use replies::*;
        if self.config.passive {
            return Checked::pass(command);
        }
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
        let ascii = mail.is_ascii();
        if !ascii && !p.smtputf8 {
            return Some(ErrorKind::NonAsciiAddress.reply());
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
        // The path and a raw UTF-8 ORCPT (RFC 6533 §3).
        let ascii = rcpt.is_ascii();
        if !ascii && !self.transaction.smtputf8 {
            return Some(ErrorKind::NonAsciiAddress.reply());
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
            Ok(Status::Complete((AuthResponse::Cancel, used))) if !self.config.passive => {
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
                self.reject(err, err.skip().min(input.len()))
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
                self.input = if replies > 1 {
                    Input::Refusals {
                        refusal: Refusal::Content(err),
                        left: replies - 1,
                    }
                } else {
                    Input::Commands
                };
                (Step::Event(ServerEvent::Error(err)), err.skip())
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
                // The end of the message, refused: under LMTP once per
                // accepted recipient, as refused DATA content (RFC 2033
                // §4.2; the client counts on it).
                let replies = self.replies_owed();
                self.reset_transaction();
                if replies > 1 {
                    self.input = Input::Refusals {
                        refusal: Refusal::Chunk(reply),
                        left: replies - 1,
                    };
                }
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

    /// Reports input the parser rejected, counting an error. The error that
    /// reaches the limit is still reported; the next step closes with 421
    /// (as Postfix's `smtpd_hard_error_limit`).
    fn reject<'a>(&mut self, error: Error, used: usize) -> (Step<'a>, usize) {
        self.count_error();
        (Step::Event(ServerEvent::Error(error)), used)
    }

    /// Refuses with `reply`; a protocol error (500 to 504, 555) counts
    /// toward the error limit, as in [`reject`](Self::reject). Limits and
    /// policy (452, 552, 553, 554) are not errors.
    fn refuse<'a>(&mut self, reply: ErrorReply, used: usize) -> (Step<'a>, usize) {
        if is_protocol_error(reply.code()) {
            self.count_error();
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

/// Replies that count toward the error limit: syntax, sequence and
/// parameter errors (RFC 5321 §4.2.4), not limits or policy.
fn is_protocol_error(code: ReplyCode) -> bool {
    matches!(code.get(), 500..=504 | 555)
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

impl Checked {
    /// The command passed on, with what its reply will mean.
    fn pass(command: &Command<'_>) -> Checked {
        Checked::Pass(match command {
            &Command::Bdat { size, last } => {
                return Checked::Chunk {
                    size,
                    last,
                    refusal: None,
                };
            }
            Command::Helo(_) => Pending::Hello { extended: false },
            Command::Ehlo(_) | Command::Lhlo(_) => Pending::Hello { extended: true },
            Command::Mail(mail) => Pending::Mail {
                smtputf8: mail.params.smtputf8,
                binary: mail.params.body == Some(Body::BinaryMime),
            },
            Command::Rcpt(_) => Pending::Rcpt,
            Command::Data => Pending::Data,
            Command::Auth(_) => Pending::Auth,
            Command::StartTls => Pending::StartTls,
            Command::Quit => Pending::Quit,
            Command::Rset => Pending::Rset,
            Command::Xclient(_) => Pending::Xclient,
            _ => Pending::Other,
        })
    }
}
