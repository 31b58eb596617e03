//! A downstream user of `smtp-wire`, written against its public API only: a
//! policy filter on [`ServerSession`] ([`Filter`]) and a blocking client on
//! [`ClientSession`](smtp_wire::session::ClientSession) ([`client`]).
//!
//! # Size
//!
//! Counted with `grep -cvE '^\s*(//|$)'` (non-blank lines that are not
//! comments; doc comments count as comments): the filter (`src/lib.rs`)
//! is 216 lines, the client (`src/client.rs`) 147. (`lib.rs` also holds
//! `serve`, a 12-line blocking loop that runs the filter on a stream.)
//!
//! # Protocol decisions still made by hand
//!
//! The goal is none beyond policy (who may send, to whom, what to store).
//! What the session and the parser decide (the command sequence, pipelining
//! synchronisation, the size limit during DATA and BDAT, unknown MAIL/RCPT
//! parameters, draining refused chunks, dot-unstuffing, the error limit)
//! needed no code here. What did, honestly:
//!
//! Filter:
//!
//! 1. **The reply code of each positive answer**: 250 to MAIL, RCPT, RSET,
//!    NOOP, a chunk and the end of a message; 354 to DATA; 221 to QUIT; 252
//!    to VRFY; 214 to HELP; and which enhanced code goes with each (2.1.0,
//!    2.1.5, 2.0.0). The crate names the codes but has no "the usual
//!    positive reply to this command".
//! 2. **Which replies carry no enhanced status code**: the greeting, the
//!    HELO and EHLO replies and the 354 (RFC 2034 §3, RFC 3463 §2: a 3xx has
//!    none). `Reply::with_enhanced` refuses a 3xx with one, so the rule is
//!    enforced, but the caller still picks `Reply::new` or `with_enhanced`.
//! 3. **The EHLO capability lines**: built from `ServerConfig::advertised()`
//!    by hand, with `SIZE` given the session's limit
//!    ([`Filter::new`]). Nothing in the crate turns a `ServerConfig` into
//!    the EHLO reply it implies, so the two can drift apart.
//! 4. **Commands the filter does not implement**: the session refuses the
//!    commands of extensions that are not advertised (ETRN, AUTH,
//!    STARTTLS...), but EXPN and unknown verbs come as
//!    [`ServerEvent::Command`], and the filter must know to answer them
//!    `502 5.5.1` and `500 5.5.2` (it uses
//!    `ErrorKind::{NotImplemented, UnrecognizedCommand}.reply()`).
//! 5. **Envelope bookkeeping**: a 250 to MAIL starts a new envelope (and
//!    drops content left from an aborted transaction); a 250 to RCPT adds a
//!    recipient; the end of a message takes them. The session tracks the
//!    same things (`Transaction`) but only as counts.
//! 6. **Domain comparison**: the deny list is matched case-insensitively
//!    (domains are case-insensitive, RFC 5321 §2.4); `Domain` has no
//!    comparison helper of its own.
//!
//! Client ([`client`], details there):
//!
//! 7. **Giving up**: when the session refuses a command as out of sequence
//!    (the greeting, EHLO or MAIL was refused), the client sends QUIT.
//! 8. **The SIZE= value**: the content's length, computed by the client.
//!
//! Everything else is policy: the deny list, the size limit's value, the
//! texts of the replies.
#![forbid(unsafe_code)]

pub mod client;

use std::io::{Read, Write};
#[cfg(doc)]
use std::net::TcpStream;

use smtp_wire::address::{ForwardPath, Host, ReversePath};
use smtp_wire::ehlo::{Capability, EhloReply, Extension};
use smtp_wire::error::ErrorReply;
use smtp_wire::reply::{EnhancedStatusCode, Reply, ReplyCode};
use smtp_wire::session::{ServerConfig, ServerEvent, ServerSession};
use smtp_wire::{Command, Encode, ErrorKind};

/// The refusal for a recipient whose domain is on the deny list; checked
/// when this crate is built.
pub const DENIED: ErrorReply = match ErrorReply::new(
    ReplyCode::MAILBOX_UNAVAILABLE,
    EnhancedStatusCode::NOT_AUTHORIZED,
    "Recipient domain refused by policy",
) {
    Ok(reply) => reply,
    Err(_) => panic!("an invalid policy reply"),
};

/// The answer to commands the filter does not implement (EXPN, ETRN...).
pub const NOT_IMPLEMENTED: ErrorReply = ErrorKind::NotImplemented.reply();

/// What the filter accepts.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The name in the greeting and the EHLO reply.
    pub hostname: String,
    /// Recipients in these domains (compared case-insensitively) get
    /// [`DENIED`].
    pub deny_domains: Vec<String>,
    /// The largest message, in octets: advertised with SIZE and enforced
    /// by the session during DATA and BDAT (552).
    pub max_message_size: u64,
}

/// An accepted message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    /// The reverse path without its angle brackets (empty for `<>`).
    pub sender: String,
    /// The accepted forward paths without their angle brackets.
    pub recipients: Vec<String>,
    /// The content: DATA un-stuffed, or the BDAT chunks joined.
    pub content: Vec<u8>,
}

/// A sans-IO SMTP server that applies a [`Policy`] and keeps what it
/// accepts: feed it every read with [`received`](Filter::received), write
/// what it returns.
#[derive(Debug)]
pub struct Filter {
    session: ServerSession,
    policy: Policy,
    capabilities: Vec<Capability<'static>>,
    /// Received and not yet consumed.
    buf: Vec<u8>,
    /// Replies not yet handed out.
    out: Vec<u8>,
    /// The transaction being received.
    current: Message,
    stored: Vec<Message>,
    closed: bool,
}

impl Filter {
    /// A filter with the session's defaults and the policy's size limit.
    /// The greeting is queued: [`take_output`](Filter::take_output).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyText`] when the hostname cannot be the first
    /// word of an EHLO reply.
    pub fn new(policy: Policy) -> Result<Filter, ErrorKind> {
        Filter::with_config(policy, ServerConfig::new())
    }

    /// A filter on a session configured by the caller (its
    /// `max_message_size` is replaced by the policy's).
    ///
    /// # Errors
    ///
    /// As [`new`](Filter::new).
    pub fn with_config(policy: Policy, mut config: ServerConfig) -> Result<Filter, ErrorKind> {
        EhloReply::new(&policy.hostname, None, &[])?;
        config.max_message_size(policy.max_message_size);
        // Hand-made decision 3: the EHLO lines the configuration implies.
        let capabilities = config
            .advertised()
            .iter()
            .filter_map(|extension| match extension {
                Extension::Size => Some(Capability::Size(Some(policy.max_message_size))),
                other => Capability::new(other.keyword()).ok(),
            })
            .collect();
        let mut filter = Filter {
            session: ServerSession::new(config),
            policy,
            capabilities,
            buf: Vec::new(),
            out: Vec::new(),
            current: Message::default(),
            stored: Vec::new(),
            closed: false,
        };
        let banner = format!("{} ESMTP policy filter", filter.policy.hostname);
        filter.positive(ReplyCode::SERVICE_READY, None, &banner);
        Ok(filter)
    }

    /// The messages accepted so far.
    pub fn stored(&self) -> &[Message] {
        &self.stored
    }

    /// `true` once the connection should be closed (after QUIT, a 421 or a
    /// protocol violation); later input is ignored.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The replies queued and not yet handed out.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// Takes one read from the client; returns the replies to write.
    pub fn received(&mut self, input: &[u8]) -> Vec<u8> {
        if !self.closed {
            self.buf.extend_from_slice(input);
            // Events borrow the buffer; take it out so `self` stays free.
            let buf = std::mem::take(&mut self.buf);
            let mut used = 0;
            while !self.closed {
                let (event, n) = self.session.decode(&buf[used..]);
                used += n;
                let Some(event) = event else { break };
                self.event(event);
            }
            self.buf = buf;
            self.buf.drain(..used);
        }
        self.take_output()
    }

    fn event(&mut self, event: ServerEvent<'_>) {
        match event {
            ServerEvent::Command(command) => self.command(command),
            ServerEvent::Body(piece) => self.current.content.extend_from_slice(piece),
            // Over the size limit: the session drains the rest and sends 552.
            ServerEvent::BodyRejected(_) => self.current.content = Vec::new(),
            ServerEvent::ChunkEnd(_) => self.positive(
                ReplyCode::OK,
                Some(EnhancedStatusCode::OK),
                "Chunk received",
            ),
            ServerEvent::MessageEnd(end) => {
                let message = std::mem::take(&mut self.current);
                // One reply under SMTP; one per recipient under LMTP.
                for _ in 0..end.replies() {
                    self.positive(ReplyCode::OK, Some(EnhancedStatusCode::OK), "Queued");
                }
                self.stored.push(message);
            }
            // The session's own answers: send them, nothing else to do.
            ServerEvent::Error(err) => err.reply().encode_append(&mut self.out),
            ServerEvent::Reply(reply) => reply.encode_append(&mut self.out),
            ServerEvent::Close(reply) => {
                reply.encode_append(&mut self.out);
                self.closed = true;
            }
            // AUTH is not advertised, so no AUTH response can come.
            ServerEvent::AuthResponse(_) => self.refuse(NOT_IMPLEMENTED),
            // Not a Bdat event's to answer; Closed, and TlsHandoff (STARTTLS
            // is not advertised) end the connection.
            ServerEvent::Bdat { .. } => {}
            _ => self.closed = true,
        }
    }

    fn command(&mut self, command: Command<'_>) {
        let ok = Some(EnhancedStatusCode::OK);
        match command {
            Command::Ehlo(_) | Command::Lhlo(_) => {
                let ehlo = EhloReply::new(&self.policy.hostname, None, &self.capabilities)
                    .expect("the hostname was checked when the filter was made");
                ehlo.encode_append(&mut self.out);
                self.session.reply_sent(ReplyCode::OK);
            }
            Command::Helo(_) => {
                let hostname = self.policy.hostname.clone();
                self.positive(ReplyCode::OK, None, &hostname);
            }
            Command::Mail(mail) => {
                // Hand-made decision 5: a new envelope.
                self.current = Message {
                    sender: bare_reverse(mail.path),
                    ..Message::default()
                };
                self.positive(ReplyCode::OK, Some(EnhancedStatusCode::ADDRESS_OK), "Ok");
            }
            Command::Rcpt(rcpt) => {
                if self.denied(rcpt.path) {
                    return self.refuse(DENIED);
                }
                self.current.recipients.push(bare_forward(rcpt.path));
                self.positive(
                    ReplyCode::OK,
                    Some(EnhancedStatusCode::DESTINATION_VALID),
                    "Ok",
                );
            }
            Command::Data => {
                self.positive(ReplyCode::START_MAIL_INPUT, None, "End with <CRLF>.<CRLF>")
            }
            Command::Rset => {
                self.current = Message::default();
                self.positive(ReplyCode::OK, ok, "Ok");
            }
            Command::Noop(_) => self.positive(ReplyCode::OK, ok, "Ok"),
            Command::Vrfy(_) => self.positive(ReplyCode::CANNOT_VERIFY, ok, "Cannot VRFY"),
            Command::Help(_) => self.positive(ReplyCode::HELP_MESSAGE, ok, "See RFC 5321"),
            Command::Quit => self.positive(ReplyCode::SERVICE_CLOSING, ok, "Bye"),
            Command::Unknown(_) => self.refuse(ErrorKind::UnrecognizedCommand.reply()),
            _ => self.refuse(NOT_IMPLEMENTED),
        }
    }

    /// The policy: is the recipient's domain on the deny list?
    fn denied(&self, path: ForwardPath<'_>) -> bool {
        let Some(Host::Domain(domain)) = path.mailbox().map(|m| m.host()) else {
            return false;
        };
        let domain = domain.as_str();
        self.policy
            .deny_domains
            .iter()
            .any(|denied| denied.eq_ignore_ascii_case(domain))
    }

    /// Queues a positive reply (with an enhanced code unless `esc` is
    /// `None`) and reports it to the session.
    fn positive(&mut self, code: ReplyCode, esc: Option<EnhancedStatusCode>, text: &str) {
        let lines = [text];
        let reply = match esc {
            Some(esc) => Reply::with_enhanced(code, esc, &lines),
            None => Reply::new(code, &lines),
        };
        // Workaround: `Reply` has no `const` constructor (only `ErrorReply`,
        // which takes 4xx and 5xx), so a positive reply is checked at run
        // time. Every text here is a constant or the checked hostname.
        reply
            .expect("reply text without control characters")
            .encode_append(&mut self.out);
        self.session.reply_sent(code);
    }

    /// Queues a refusal of the filter's own and reports it to the session.
    fn refuse(&mut self, reply: ErrorReply) {
        reply.encode_append(&mut self.out);
        self.session.reply_sent(reply.code());
    }
}

/// The sender without angle brackets; empty for `<>`.
fn bare_reverse(path: ReversePath<'_>) -> String {
    path.mailbox().map(|m| m.to_string()).unwrap_or_default()
}

/// The recipient without angle brackets (`Postmaster` for `<Postmaster>`).
fn bare_forward(path: ForwardPath<'_>) -> String {
    path.mailbox()
        .map_or_else(|| "Postmaster".to_string(), |m| m.to_string())
}

/// Serves one connection (a [`TcpStream`], or anything that reads and
/// writes) with `filter` until either side closes it.
///
/// # Errors
///
/// The stream's errors.
pub fn serve(mut stream: impl Read + Write, filter: &mut Filter) -> std::io::Result<()> {
    stream.write_all(&filter.take_output())?;
    let mut read = vec![0u8; 16 * 1024];
    while !filter.is_closed() {
        let n = stream.read(&mut read)?;
        if n == 0 {
            break;
        }
        stream.write_all(&filter.received(&read[..n]))?;
    }
    Ok(())
}
