//! A small blocking SMTP client over [`TcpStream`], on [`ClientSession`]:
//! greeting, EHLO, MAIL and RCPT (pipelined when the server offers
//! PIPELINING), DATA or BDAT (BDAT when it offers CHUNKING and the
//! [`ClientConfig`] allows it), QUIT.
//!
//! The session decides when the client must stop and read replies (no
//! PIPELINING, DATA ending a group, too many pending): every command goes
//! through one helper, which reads replies while the session answers
//! `WaitForReplies`. It also drops MAIL parameters the server did not offer
//! (SIZE), pairs each reply with its command and dot-stuffs the content.
//!
//! Hand-made decisions:
//!
//! 1. When the session refuses a command as out of sequence (the greeting,
//!    EHLO or MAIL was refused, and the client learned it while waiting for
//!    replies), the client gives up on the message and sends QUIT. It does
//!    not fall back to HELO.
//! 2. The `SIZE=` it declares on MAIL is the content's length: the session
//!    drops SIZE when the server does not offer it, but does not compute
//!    it.

use std::io::{self, Read, Write};
use std::net::TcpStream;

use smtp_wire::address::{Host, Mailbox, ReversePath};
use smtp_wire::command::{MailFrom, RcptTo};
use smtp_wire::session::{Answered, ClientConfig, ClientError, ClientEvent, ClientSession};
use smtp_wire::{Encode, Error, ErrorKind};

/// What to send.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// The name for EHLO.
    pub helo: &'a str,
    /// The sender; empty for `<>`.
    pub from: &'a str,
    /// The recipients.
    pub to: &'a [&'a str],
    /// The message content, lines ending in CRLF.
    pub content: &'a [u8],
}

/// Why a conversation stopped.
#[derive(Debug)]
pub enum SendError {
    /// The connection failed.
    Io(io::Error),
    /// An address or the EHLO name is not valid.
    Address(ErrorKind),
    /// The session refused to send a command (the server lacks an
    /// extension the message needs, the message is larger than its SIZE...).
    Session(ClientError),
    /// The server sent something that is not a reply.
    Malformed(Error),
    /// The server closed the connection before the conversation ended.
    Closed,
}

impl From<io::Error> for SendError {
    fn from(err: io::Error) -> SendError {
        SendError::Io(err)
    }
}

impl From<ErrorKind> for SendError {
    fn from(kind: ErrorKind) -> SendError {
        SendError::Address(kind)
    }
}

/// Sends one message over `stream`; returns every reply, in order, with
/// what it answered.
///
/// # Errors
///
/// See [`SendError`]. A refused recipient or message is not an error: its
/// code is in the result.
pub fn send(
    stream: TcpStream,
    config: ClientConfig,
    envelope: &Envelope<'_>,
) -> Result<Vec<(Answered, u16)>, SendError> {
    let mut conn = Conn {
        stream,
        session: ClientSession::new(config),
        input: Vec::new(),
        out: Vec::new(),
        replies: Vec::new(),
    };
    conn.next_reply()?; // the greeting
    match conn.conversation(envelope) {
        // Hand-made decision: a conversation that cannot go on (a refused
        // greeting, EHLO or MAIL) ends with QUIT.
        Err(SendError::Session(ClientError::Sequence)) => {}
        other => other?,
    }
    match conn.command(|s| s.quit()) {
        // A 421 closed the session: nothing more to say.
        Err(SendError::Session(ClientError::Closed)) => {}
        other => {
            other?;
            conn.drain()?;
        }
    }
    Ok(conn.replies)
}

/// A connection and its session.
struct Conn {
    stream: TcpStream,
    session: ClientSession,
    /// Received and not yet decoded.
    input: Vec<u8>,
    /// Commands not yet written.
    out: Vec<u8>,
    replies: Vec<(Answered, u16)>,
}

impl Conn {
    fn conversation(&mut self, envelope: &Envelope<'_>) -> Result<(), SendError> {
        let host = Host::new(envelope.helo)?;
        self.command(|s| s.ehlo(host))?;
        self.next_reply()?;
        let sender = match envelope.from {
            "" => ReversePath::Null,
            from => Mailbox::new(from)?.into(),
        };
        // Hand-made decision: SIZE= is the content's length (RFC 1870).
        let mail = MailFrom::new(sender).with_size(envelope.content.len() as u64);
        self.command(|s| s.mail(mail))?;
        for to in envelope.to {
            let rcpt = RcptTo::new(Mailbox::new(to)?);
            self.command(|s| s.rcpt(rcpt))?;
        }
        if self.session.uses_bdat() {
            self.command(|s| s.bdat(envelope.content, true))?;
        } else {
            self.command(|s| s.data())?;
            // The content goes only after a 354 (the session makes DATA end
            // the pipelined group).
            loop {
                match self.next_reply()? {
                    (Answered::Data, 354) => {
                        self.command(|s| s.data_body(envelope.content))?;
                        break;
                    }
                    (Answered::Data, _) => break,
                    _ => {}
                }
            }
        }
        self.drain()
    }

    /// Queues the command `make` builds, reading replies for as long as the
    /// session says it cannot be sent yet.
    fn command<T: Encode>(
        &mut self,
        mut make: impl FnMut(&mut ClientSession) -> Result<T, ClientError>,
    ) -> Result<(), SendError> {
        loop {
            match make(&mut self.session) {
                Ok(value) => {
                    value.encode_append(&mut self.out);
                    return Ok(());
                }
                Err(ClientError::WaitForReplies | ClientError::TooManyPending) => {
                    self.next_reply()?;
                }
                Err(err) => return Err(SendError::Session(err)),
            }
        }
    }

    /// Reads every reply still owed.
    fn drain(&mut self) -> Result<(), SendError> {
        while self.session.pending() > 0 {
            self.next_reply()?;
        }
        Ok(())
    }

    /// Writes what is queued, then reads the next reply.
    fn next_reply(&mut self) -> Result<(Answered, u16), SendError> {
        if !self.out.is_empty() {
            self.stream.write_all(&self.out)?;
            self.out.clear();
        }
        loop {
            let (event, used) = self.session.decode(&self.input);
            let got = match event {
                Some(ClientEvent::Reply { to, reply }) => Some(Ok((to, reply.code().get()))),
                Some(ClientEvent::Malformed(err)) => Some(Err(SendError::Malformed(err))),
                // Closed, or a TLS hand-off this client never asks for.
                Some(_) => Some(Err(SendError::Closed)),
                None => None,
            };
            self.input.drain(..used);
            if let Some(got) = got {
                let reply = got?;
                self.replies.push(reply);
                return Ok(reply);
            }
            let mut read = [0u8; 4096];
            let n = self.stream.read(&mut read)?;
            if n == 0 {
                return Err(SendError::Closed);
            }
            self.input.extend_from_slice(&read[..n]);
        }
    }
}
