//! A tiny SMTP responder for a small device, without `std` or an allocator:
//! it takes mail for one mailbox (an alarm panel's `alarm@panel.example`,
//! say) into a fixed buffer, over fixed input and output buffers, on
//! `smtp-wire`'s [`ServerSession`].
//!
//! The driver (an interrupt handler, a TCP stack's callbacks) is sans-IO:
//!
//! 1. write [`tx_data`](Responder::tx_data) (the greeting first) and report
//!    what went out with [`tx_done`](Responder::tx_done);
//! 2. put received bytes in [`rx_buffer`](Responder::rx_buffer) and report
//!    them with [`rx_done`](Responder::rx_done) (or hand them to
//!    [`receive`](Responder::receive));
//! 3. read the stored message with [`message`](Responder::message) and free
//!    the slot with [`clear_message`](Responder::clear_message); until then
//!    a new MAIL gets `452 4.3.1`.
//!
//! The session enforces the protocol: the command sequence, pipelining,
//! unknown parameters, and the size limit, which is the message buffer's
//! size (a larger message is refused with 552 as it arrives, and drained,
//! never stored). The responder decides only who gets mail.
#![no_std]
#![forbid(unsafe_code)]

use smtp_wire::address::{ForwardPath, Host};
use smtp_wire::ehlo::{Capability, EhloReply, Extension, Extensions};
use smtp_wire::error::ErrorReply;
use smtp_wire::reply::{EnhancedStatusCode, Reply, ReplyCode};
use smtp_wire::session::{ServerConfig, ServerEvent, ServerSession};
use smtp_wire::{Command, CommandConfig, Encode, ErrorKind};

/// Builds a refusal in a `const` item: a mistake stops the build.
const fn refusal(code: ReplyCode, esc: EnhancedStatusCode, text: &'static str) -> ErrorReply {
    match ErrorReply::new(code, esc, text) {
        Ok(reply) => reply,
        Err(_) => panic!("an invalid refusal"),
    }
}

/// A recipient other than the device's mailbox.
pub const NO_SUCH_MAILBOX: ErrorReply = refusal(
    ReplyCode::MAILBOX_UNAVAILABLE,
    EnhancedStatusCode::BAD_DESTINATION_MAILBOX,
    "No such mailbox here",
);

/// A new message while the last one has not been read.
pub const SLOT_FULL: ErrorReply = refusal(
    ReplyCode::INSUFFICIENT_STORAGE,
    EnhancedStatusCode::TEMP_SYSTEM_FULL,
    "Message slot full, try again later",
);

/// A command the device does not implement.
pub const NOT_IMPLEMENTED: ErrorReply = ErrorKind::NotImplemented.reply();

/// The longest reply line (RFC 5321 §4.5.3.1.5): decoding stops while the
/// output buffer has less room than this, until the driver sends some.
pub const MAX_REPLY: usize = 512;

/// The extensions the device advertises (and the session enforces).
const EXTENSIONS: Extensions = Extensions::new()
    .with(Extension::Pipelining)
    .with(Extension::Size)
    .with(Extension::EightBitMime)
    .with(Extension::EnhancedStatusCodes)
    .with(Extension::Chunking);

/// A responder with 1 KiB input and output buffers and a 2 KiB message.
pub type Device = Responder<1024, 1024, 2048>;

/// The SMTP responder: `IN` octets of input, `OUT` of output, a message of
/// at most `MSG` octets.
#[derive(Debug, Clone)]
pub struct Responder<const IN: usize, const OUT: usize, const MSG: usize> {
    input: [u8; IN],
    input_len: usize,
    core: Core<OUT, MSG>,
}

/// Everything but the input, which events borrow while `Core` answers them.
#[derive(Debug, Clone)]
struct Core<const OUT: usize, const MSG: usize> {
    session: ServerSession,
    hostname: &'static str,
    local_part: &'static str,
    output: [u8; OUT],
    output_len: usize,
    message: [u8; MSG],
    message_len: usize,
    /// A message is stored and not yet read.
    full: bool,
    closed: bool,
}

impl<const IN: usize, const OUT: usize, const MSG: usize> Responder<IN, OUT, MSG> {
    /// The buffers must hold a command line and a reply (checked at build
    /// time, where `new` is used).
    const FITS: () = assert!(IN >= MAX_REPLY && OUT >= MAX_REPLY);

    /// A responder for `local_part@hostname`, with its greeting queued.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyText`] when `hostname` cannot name the
    /// server in a reply, [`ErrorKind::InvalidDomain`] when it is not a
    /// domain.
    pub fn new(hostname: &'static str, local_part: &'static str) -> Result<Self, ErrorKind> {
        let () = Self::FITS;
        EhloReply::new(hostname, None, &[])?;
        Host::new(hostname)?;
        let mut commands = CommandConfig::new();
        // Every line must fit the input buffer, or a long one could fill it
        // before it ends (AUTH lines may otherwise be 12288 octets).
        commands
            .max_line_len(MAX_REPLY)
            .max_auth_line_len(MAX_REPLY);
        let mut config = ServerConfig::new();
        config
            .commands(commands)
            .extensions(EXTENSIONS)
            .max_message_size(MSG as u64);
        let mut responder = Responder {
            input: [0; IN],
            input_len: 0,
            core: Core {
                session: ServerSession::new(config),
                hostname,
                local_part,
                output: [0; OUT],
                output_len: 0,
                message: [0; MSG],
                message_len: 0,
                full: false,
                closed: false,
            },
        };
        responder
            .core
            .positive(ReplyCode::SERVICE_READY, None, hostname);
        Ok(responder)
    }

    /// Free room for received bytes; report them with
    /// [`rx_done`](Responder::rx_done).
    pub fn rx_buffer(&mut self) -> &mut [u8] {
        &mut self.input[self.input_len..]
    }

    /// `n` bytes were put in [`rx_buffer`](Responder::rx_buffer): decode
    /// what can be decoded.
    pub fn rx_done(&mut self, n: usize) {
        self.input_len = (self.input_len + n).min(IN);
        self.process();
    }

    /// Copies in as much of `data` as fits and decodes it; returns how many
    /// bytes were taken (fewer than `data.len()` while output waits to be
    /// sent).
    pub fn receive(&mut self, data: &[u8]) -> usize {
        let mut taken = 0;
        while taken < data.len() && !self.core.closed {
            let room = self.rx_buffer();
            let n = room.len().min(data.len() - taken);
            if n == 0 {
                break;
            }
            room[..n].copy_from_slice(&data[taken..taken + n]);
            taken += n;
            self.rx_done(n);
        }
        taken
    }

    /// Replies waiting to be sent.
    pub fn tx_data(&self) -> &[u8] {
        &self.core.output[..self.core.output_len]
    }

    /// The first `n` bytes of [`tx_data`](Responder::tx_data) were sent;
    /// decoding resumes if it was waiting for room.
    pub fn tx_done(&mut self, n: usize) {
        let n = n.min(self.core.output_len);
        self.core.output.copy_within(n..self.core.output_len, 0);
        self.core.output_len -= n;
        self.process();
    }

    /// The stored message, until [`clear_message`](Responder::clear_message).
    pub fn message(&self) -> Option<&[u8]> {
        self.core
            .full
            .then(|| &self.core.message[..self.core.message_len])
    }

    /// Frees the message slot.
    pub fn clear_message(&mut self) {
        self.core.full = false;
        self.core.message_len = 0;
    }

    /// `true` once the connection should be closed (after the replies in
    /// [`tx_data`](Responder::tx_data) are sent).
    pub fn is_closed(&self) -> bool {
        self.core.closed
    }

    fn process(&mut self) {
        let mut used = 0;
        while !self.core.closed && OUT - self.core.output_len >= MAX_REPLY {
            let input = &self.input[used..self.input_len];
            let (event, n) = self.core.session.decode(input);
            used += n;
            match event {
                Some(event) => self.core.event(event),
                None => break,
            }
        }
        self.input.copy_within(used..self.input_len, 0);
        self.input_len -= used;
        // With every line limit below IN the session always makes room;
        // a full buffer it did not touch would stall the connection.
        if self.input_len == IN && used == 0 && OUT - self.core.output_len >= MAX_REPLY {
            self.core.closed = true;
        }
    }
}

impl<const OUT: usize, const MSG: usize> Core<OUT, MSG> {
    /// The EHLO capabilities: [`EXTENSIONS`], with the size limit.
    const CAPABILITIES: [Capability<'static>; 5] = [
        Capability::Pipelining,
        Capability::Size(Some(MSG as u64)),
        Capability::EightBitMime,
        Capability::EnhancedStatusCodes,
        Capability::Chunking,
    ];

    fn event(&mut self, event: ServerEvent<'_>) {
        let ok = Some(EnhancedStatusCode::OK);
        match event {
            ServerEvent::Command(command) => self.command(command),
            ServerEvent::Body(piece) => {
                // The session's size limit is MSG, so every piece fits.
                let end = self.message_len + piece.len();
                if let Some(slot) = self.message.get_mut(self.message_len..end) {
                    slot.copy_from_slice(piece);
                    self.message_len = end;
                }
            }
            ServerEvent::BodyRejected(_) => self.message_len = 0,
            ServerEvent::ChunkEnd(_) => self.positive(ReplyCode::OK, ok, "Chunk received"),
            ServerEvent::MessageEnd(_) => {
                self.full = true;
                self.positive(ReplyCode::OK, ok, "Stored");
            }
            ServerEvent::Error(err) => self.emit(&err.reply()),
            ServerEvent::Reply(reply) => self.emit(&reply),
            ServerEvent::Close(reply) => {
                self.emit(&reply);
                self.closed = true;
            }
            ServerEvent::AuthResponse(_) => self.refuse(NOT_IMPLEMENTED),
            ServerEvent::Bdat { .. } => {}
            _ => self.closed = true,
        }
    }

    fn command(&mut self, command: Command<'_>) {
        let ok = Some(EnhancedStatusCode::OK);
        match command {
            Command::Ehlo(_) | Command::Lhlo(_) => {
                let caps = &Self::CAPABILITIES;
                match EhloReply::new(self.hostname, None, caps) {
                    Ok(ehlo) => self.emit(&ehlo),
                    Err(_) => self.closed = true,
                }
                self.session.reply_sent(ReplyCode::OK);
            }
            Command::Helo(_) => self.positive(ReplyCode::OK, None, self.hostname),
            Command::Mail(_) if self.full => self.refuse(SLOT_FULL),
            Command::Mail(_) => {
                self.message_len = 0;
                self.positive(ReplyCode::OK, Some(EnhancedStatusCode::ADDRESS_OK), "Ok");
            }
            Command::Rcpt(rcpt) if self.is_ours(rcpt.path) => {
                let valid = Some(EnhancedStatusCode::DESTINATION_VALID);
                self.positive(ReplyCode::OK, valid, "Ok");
            }
            Command::Rcpt(_) => self.refuse(NO_SUCH_MAILBOX),
            Command::Data => self.positive(ReplyCode::START_MAIL_INPUT, None, "Go ahead"),
            Command::Rset | Command::Noop(_) => self.positive(ReplyCode::OK, ok, "Ok"),
            Command::Quit => self.positive(ReplyCode::SERVICE_CLOSING, ok, "Bye"),
            Command::Unknown(_) => self.refuse(ErrorKind::UnrecognizedCommand.reply()),
            _ => self.refuse(NOT_IMPLEMENTED),
        }
    }

    /// The device's one mailbox: `local_part@hostname`, case-insensitively.
    fn is_ours(&self, path: ForwardPath<'_>) -> bool {
        let Some(mailbox) = path.mailbox() else {
            return false;
        };
        let Host::Domain(domain) = mailbox.host() else {
            return false;
        };
        domain.as_str().eq_ignore_ascii_case(self.hostname)
            && mailbox
                .local_part()
                .as_str()
                .eq_ignore_ascii_case(self.local_part)
    }

    /// Queues a positive reply and reports it to the session. (`Reply` has
    /// no `const` constructor, so this is checked at run time.)
    fn positive(&mut self, code: ReplyCode, esc: Option<EnhancedStatusCode>, text: &str) {
        let lines = [text];
        let reply = match esc {
            Some(esc) => Reply::with_enhanced(code, esc, &lines),
            None => Reply::new(code, &lines),
        };
        match reply {
            Ok(reply) => self.emit(&reply),
            Err(_) => self.closed = true,
        }
        self.session.reply_sent(code);
    }

    /// Queues a refusal of the device's own and reports it to the session.
    fn refuse(&mut self, reply: ErrorReply) {
        self.emit(&reply);
        self.session.reply_sent(reply.code());
    }

    /// Appends to the output; [`MAX_REPLY`] octets of room were checked
    /// before the event was decoded, so this fits.
    fn emit(&mut self, value: &impl Encode) {
        match value.encode(&mut self.output[self.output_len..]) {
            Ok(n) => self.output_len += n,
            Err(_) => self.closed = true,
        }
    }
}

#[cfg(test)]
mod tests;
