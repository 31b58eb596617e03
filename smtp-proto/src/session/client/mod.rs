//! [`ClientSession`]: the client side of an SMTP or LMTP session.

mod config;
mod event;

pub use self::config::{ClientConfig, MAX_PENDING};
pub use self::event::{Answered, ClientError, ClientEvent, ServerInfo};

use crate::encode::body::{BdatChunk, DataBody};
use crate::types::address::Host;
use crate::types::command::auth::{Auth, AuthResponse};
use crate::types::command::{Command, MailFrom, RcptTo};
use crate::types::ehlo::{EhloReply, Extension, Extensions};
use crate::types::param::Body;
use crate::types::status::Status;

/// One command waiting for its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    Auth,
    Mail,
    Rcpt(u32),
    Data,
    Chunk,
    Message,
    Rset,
    Quit,
    Other,
}

impl Sent {
    /// Whether more commands may follow this one before its reply.
    fn pipelinable(self) -> bool {
        matches!(
            self,
            Sent::Mail | Sent::Rcpt(_) | Sent::Rset | Sent::Chunk | Sent::Message
        )
    }
}

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before a positive greeting.
    Connecting,
    /// Between transactions.
    Idle,
    /// MAIL was sent (accepted or not yet answered).
    Mail,
    /// DATA was accepted with 354: the content is due.
    Content,
    Closed,
}

/// The client side of an SMTP or LMTP session, sans I/O: it checks each
/// command against what the server offered and against the sequence,
/// pipelines where the server allows it, and pairs every reply with the
/// command it answers.
///
/// # The loop
///
/// Commands come from methods ([`ehlo`](ClientSession::ehlo),
/// [`mail`](ClientSession::mail), [`rcpt`](ClientSession::rcpt),
/// [`data`](ClientSession::data), [`bdat`](ClientSession::bdat)...), which
/// return the value to encode and send, or a [`ClientError`] when it must
/// not be sent now. [`decode`](ClientSession::decode) reads the server's
/// replies, one at a time, each paired with what it answers.
///
/// # Examples
///
/// ```
/// use smtp_wire::address::{Domain, Host, Mailbox};
/// use smtp_wire::command::{MailFrom, RcptTo};
/// use smtp_wire::session::{Answered, ClientEvent, ClientSession};
/// use smtp_wire::Encode;
///
/// let mut client = ClientSession::new(Default::default());
/// // What to write to the socket (`encode_append` with the `alloc` feature).
/// let (mut out, mut len) = ([0u8; 256], 0);
/// fn send(value: impl Encode, out: &mut [u8], len: &mut usize) {
///     *len += value.encode(&mut out[*len..]).unwrap();
/// }
/// let mut server: &[u8] = b"220 mx.example\r\n250-mx.example\r\n250-PIPELINING\r\n250 CHUNKING\r\n\
///     250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Queued\r\n";
/// let mut next = |client: &mut ClientSession| {
///     let (event, used) = client.decode(server);
///     server = &server[used..];
///     match event {
///         Some(ClientEvent::Reply { to, reply }) => (to, reply.code().get()),
///         other => panic!("{other:?}"),
///     }
/// };
/// assert_eq!(next(&mut client), (Answered::Greeting, 220));
/// send(client.ehlo(Host::Domain(Domain::new("client.example")?))?, &mut out, &mut len);
/// assert_eq!(next(&mut client), (Answered::Ehlo, 250));
/// // Pipelined: MAIL, RCPT and the whole message in one chunk.
/// send(client.mail(MailFrom::new(Mailbox::new("a@example.org")?))?, &mut out, &mut len);
/// send(client.rcpt(RcptTo::new(Mailbox::new("b@example.net")?))?, &mut out, &mut len);
/// assert!(client.uses_bdat());
/// send(client.bdat(b"Subject: hi\r\n\r\nHello\r\n", true)?, &mut out, &mut len);
/// assert_eq!(next(&mut client), (Answered::Mail, 250));
/// assert_eq!(next(&mut client), (Answered::Rcpt { index: 0 }, 250));
/// assert_eq!(next(&mut client), (Answered::Message { recipient: 0 }, 250));
/// assert!(out.starts_with(b"EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n"));
/// assert!(out[..len].ends_with(b"BDAT 22 LAST\r\nSubject: hi\r\n\r\nHello\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientSession {
    config: ClientConfig,
    queue: [Sent; MAX_PENDING],
    head: usize,
    len: usize,
    phase: Phase,
    server: ServerInfo,
    tls: bool,
    /// The transaction: RCPTs sent, SMTPUTF8 on MAIL.
    sent_rcpts: u32,
    /// RCPTs accepted and delivery replies received (LMTP) in the
    /// transaction whose replies are being decoded; both restart with its
    /// MAIL reply.
    accepted: usize,
    delivered: usize,
    smtputf8: bool,
    bdat_used: bool,
    /// The last reply was a 334 to AUTH: an AUTH response is due.
    challenged: bool,
    /// A positive reply to EHLO, LHLO or HELO arrived.
    hello: bool,
}

impl ClientSession {
    /// A session at the start of a connection: the greeting is expected.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::{ClientError, ClientSession};
    /// use smtp_wire::address::{Domain, Host};
    /// let mut client = ClientSession::new(Default::default());
    /// let host = Host::Domain(Domain::new("c.example").unwrap());
    /// assert_eq!(client.ehlo(host).unwrap_err(), ClientError::Sequence); // no greeting yet
    /// ```
    pub const fn new(config: ClientConfig) -> ClientSession {
        let mut queue = [Sent::Other; MAX_PENDING];
        queue[0] = Sent::Greeting;
        ClientSession {
            config,
            queue,
            head: 0,
            len: 1,
            phase: Phase::Connecting,
            server: ServerInfo {
                extensions: Extensions::new(),
                size: None,
                extended: false,
            },
            tls: config.tls,
            sent_rcpts: 0,
            accepted: 0,
            delivered: 0,
            smtputf8: false,
            bdat_used: false,
            challenged: false,
            hello: false,
        }
    }

    /// What the server offered.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ClientSession;
    /// assert_eq!(ClientSession::new(Default::default()).server().size(), None);
    /// ```
    pub const fn server(&self) -> &ServerInfo {
        &self.server
    }

    /// Replies still owed by the server.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ClientSession;
    /// assert_eq!(ClientSession::new(Default::default()).pending(), 1); // the greeting
    /// ```
    pub const fn pending(&self) -> usize {
        self.len
    }

    /// Recipients the server accepted in the current transaction: the
    /// one whose replies are being decoded (the count restarts with the
    /// reply to MAIL).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ClientSession;
    /// assert_eq!(ClientSession::new(Default::default()).accepted_recipients(), 0);
    /// ```
    pub const fn accepted_recipients(&self) -> usize {
        self.accepted
    }

    /// `true` when the message should go with BDAT: the server offers
    /// CHUNKING and the configuration allows it.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ClientSession;
    /// assert!(!ClientSession::new(Default::default()).uses_bdat());
    /// ```
    pub const fn uses_bdat(&self) -> bool {
        self.config.chunking && self.server.extensions.contains(Extension::Chunking)
    }

    /// `true` once the session is over.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ClientSession;
    /// assert!(!ClientSession::new(Default::default()).is_closed());
    /// ```
    pub const fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    /// `EHLO host` (or `LHLO host` for LMTP), after the greeting or the TLS
    /// handshake. Its reply tells the session what the server offers.
    ///
    /// # Errors
    ///
    /// [`ClientError::Sequence`] before a positive greeting or inside a
    /// transaction; [`ClientError::WaitForReplies`] while replies are owed.
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub fn ehlo<'h>(&mut self, host: Host<'h>) -> Result<Command<'h>, ClientError> {
        self.idle_command(Sent::Ehlo)?;
        Ok(if self.config.lmtp {
            Command::Lhlo(host)
        } else {
            Command::Ehlo(host)
        })
    }

    /// `HELO host`, for a server that refused EHLO (RFC 5321 §3.2). Not for
    /// LMTP.
    ///
    /// # Errors
    ///
    /// As [`ehlo`](ClientSession::ehlo); [`ClientError::Sequence`] for LMTP.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::{Domain, Host};
    /// use smtp_wire::session::ClientSession;
    /// let mut client = ClientSession::new(Default::default());
    /// client.decode(b"220 mx.example\r\n");
    /// let helo = client.helo(Host::Domain(Domain::new("c.example")?))?;
    /// assert_eq!(helo.verb(), "HELO");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn helo<'h>(&mut self, host: Host<'h>) -> Result<Command<'h>, ClientError> {
        if self.config.lmtp {
            return Err(ClientError::Sequence);
        }
        self.idle_command(Sent::Helo)?;
        Ok(Command::Helo(host))
    }

    /// `STARTTLS` (RFC 3207). When its `220` arrives, [`decode`](ClientSession::decode)
    /// returns [`ClientEvent::TlsHandoff`].
    ///
    /// # Errors
    ///
    /// [`ClientError::NotOffered`] unless the server offers STARTTLS (and
    /// TLS is not active already); as [`ehlo`](ClientSession::ehlo).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::Extension;
    /// use smtp_wire::session::{ClientError, ClientSession};
    /// let mut client = ClientSession::new(Default::default());
    /// client.decode(b"220 mx.example\r\n");
    /// assert_eq!(client.starttls(), Err(ClientError::NotOffered(Extension::StartTls)));
    /// ```
    pub fn starttls(&mut self) -> Result<Command<'static>, ClientError> {
        if self.tls || !self.server.extensions.contains(Extension::StartTls) {
            return Err(ClientError::NotOffered(Extension::StartTls));
        }
        self.idle_command(Sent::StartTls)?;
        Ok(Command::StartTls)
    }

    /// `AUTH mechanism [initial-response]` (RFC 4954). Answer each 334 with
    /// [`auth_response`](ClientSession::auth_response).
    ///
    /// # Errors
    ///
    /// [`ClientError::NotOffered`] unless the server offers AUTH; as
    /// [`ehlo`](ClientSession::ehlo).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::auth::{Auth, InitialResponse, Mechanism};
    /// use smtp_wire::session::ClientSession;
    /// let mut client = ClientSession::new(Default::default());
    /// client.decode(b"220 mx.example\r\n");
    /// let auth = Auth { mechanism: Mechanism::new("PLAIN")?, initial_response: None };
    /// assert!(client.auth(auth).is_err()); // no EHLO reply offered AUTH
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn auth<'a>(&mut self, auth: Auth<'a>) -> Result<Command<'a>, ClientError> {
        if !self.server.extensions.contains(Extension::Auth) {
            return Err(ClientError::NotOffered(Extension::Auth));
        }
        self.idle_command(Sent::Auth)?;
        Ok(Command::Auth(auth))
    }

    /// One line answering a `334` challenge (RFC 4954 §4): base64 data, or
    /// [`AuthResponse::Cancel`].
    ///
    /// # Errors
    ///
    /// [`ClientError::Sequence`] unless the last reply was a 334 to AUTH.
    /// While such a challenge is unanswered, every other command is
    /// refused with [`ClientError::Sequence`]: the server would read it as
    /// the response (cancel with [`AuthResponse::Cancel`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::auth::AuthResponse;
    /// use smtp_wire::session::{ClientError, ClientSession};
    /// let mut client = ClientSession::new(Default::default());
    /// assert_eq!(client.auth_response(AuthResponse::Cancel), Err(ClientError::Sequence));
    /// ```
    pub fn auth_response<'a>(
        &mut self,
        response: AuthResponse<'a>,
    ) -> Result<AuthResponse<'a>, ClientError> {
        if !self.challenged {
            return Err(ClientError::Sequence);
        }
        self.challenged = false;
        if let Err(err) = self.push(Sent::Auth) {
            self.challenged = true;
            return Err(err);
        }
        Ok(response)
    }

    /// `MAIL FROM:<path> [params]`, adapted to what the server offers:
    /// parameters of extensions it lacks are dropped when they only inform
    /// (SIZE, the DSN parameters RET and ENVID, AUTH=, MT-PRIORITY),
    /// `SMTPUTF8` is added when the sender's address needs it, and a
    /// message that needs a missing extension is refused.
    ///
    /// # Errors
    ///
    /// [`ClientError::NotOffered`] for BODY=8BITMIME without 8BITMIME,
    /// BINARYMIME without BINARYMIME and CHUNKING, SMTPUTF8, REQUIRETLS,
    /// FUTURERELEASE, DELIVERBY or MTRK the server lacks;
    /// [`ClientError::TooLarge`] when SIZE exceeds the server's;
    /// [`ClientError::Sequence`] inside a transaction or before EHLO/HELO;
    /// [`ClientError::WaitForReplies`] when it cannot be pipelined.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::Mailbox;
    /// use smtp_wire::command::MailFrom;
    /// use smtp_wire::session::ClientSession;
    /// let mut client = ClientSession::new(Default::default());
    /// client.decode(b"220 mx.example\r\n");
    /// # let host = smtp_wire::address::Host::new("c.example")?;
    /// client.ehlo(host)?;
    /// client.decode(b"250 mx.example\r\n"); // no SIZE offered
    /// let mut mail = MailFrom::new(Mailbox::new("a@example.org")?);
    /// mail.params.size = Some(1000);
    /// let smtp_wire::Command::Mail(sent) = client.mail(mail)? else { panic!() };
    /// assert_eq!(sent.params.size, None); // dropped
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mail<'a>(&mut self, mut mail: MailFrom<'a>) -> Result<Command<'a>, ClientError> {
        if self.phase != Phase::Idle || !self.hello {
            return Err(ClientError::Sequence);
        }
        let offers = self.server.extensions;
        let need = |e: Extension| {
            if offers.contains(e) {
                Ok(())
            } else {
                Err(ClientError::NotOffered(e))
            }
        };
        let p = &mut mail.params;
        match p.body {
            Some(Body::BinaryMime) => {
                need(Extension::BinaryMime)?;
                need(Extension::Chunking)?;
            }
            Some(Body::EightBitMime) => need(Extension::EightBitMime)?,
            Some(Body::SevenBit) if !offers.contains(Extension::EightBitMime) => p.body = None,
            _ => {}
        }
        let ascii = mail.path.is_ascii();
        if p.smtputf8 || !ascii {
            need(Extension::SmtpUtf8)?;
            p.smtputf8 = true;
        }
        if p.require_tls {
            need(Extension::RequireTls)?;
        }
        if p.hold_for.is_some() || p.hold_until.is_some() {
            need(Extension::FutureRelease)?;
        }
        if p.by.is_some() {
            need(Extension::DeliverBy)?;
        }
        if p.mtrk.is_some() {
            need(Extension::Mtrk)?;
        }
        match (p.size, offers.contains(Extension::Size), self.server.size) {
            (Some(size), true, Some(limit)) if limit > 0 && size > limit => {
                return Err(ClientError::TooLarge { limit });
            }
            (Some(_), false, _) => p.size = None,
            _ => {}
        }
        if !offers.contains(Extension::Dsn) {
            p.ret = None;
            p.envid = None;
        }
        if !offers.contains(Extension::Auth) {
            p.auth = None;
        }
        if !offers.contains(Extension::MtPriority) {
            p.mt_priority = None;
        }
        self.push(Sent::Mail)?;
        self.phase = Phase::Mail;
        // The reply counts (`accepted`, `delivered`) restart with the MAIL
        // *reply*: replies of the previous message may still be owed.
        self.sent_rcpts = 0;
        self.smtputf8 = p.smtputf8;
        self.bdat_used = false;
        Ok(Command::Mail(mail))
    }

    /// `RCPT TO:<path> [params]`, with the DSN parameters (NOTIFY, ORCPT)
    /// dropped when the server does not offer DSN.
    ///
    /// # Errors
    ///
    /// [`ClientError::Sequence`] without MAIL; [`ClientError::NotOffered`]
    /// for a non-ASCII address without SMTPUTF8 on MAIL;
    /// [`ClientError::WaitForReplies`], [`ClientError::TooManyPending`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::Mailbox;
    /// use smtp_wire::command::RcptTo;
    /// use smtp_wire::session::{ClientError, ClientSession};
    /// let mut client = ClientSession::new(Default::default());
    /// let rcpt = RcptTo::new(Mailbox::new("b@example.net")?);
    /// assert_eq!(client.rcpt(rcpt).unwrap_err(), ClientError::Sequence);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rcpt<'a>(&mut self, mut rcpt: RcptTo<'a>) -> Result<Command<'a>, ClientError> {
        if self.phase != Phase::Mail || self.bdat_used {
            return Err(ClientError::Sequence);
        }
        // The path and a raw UTF-8 ORCPT (RFC 6533 §3).
        let ascii = rcpt.is_ascii();
        if !ascii && !self.smtputf8 {
            return Err(ClientError::NotOffered(Extension::SmtpUtf8));
        }
        if !self.server.extensions.contains(Extension::Dsn) {
            rcpt.params.notify = None;
            rcpt.params.orcpt = None;
        }
        self.push(Sent::Rcpt(self.sent_rcpts))?;
        self.sent_rcpts = self.sent_rcpts.saturating_add(1);
        Ok(Command::Rcpt(rcpt))
    }

    /// `DATA`. When its 354 arrives, send the content with
    /// [`data_body`](ClientSession::data_body) (or stuff it yourself and
    /// call [`content_sent`](ClientSession::content_sent)).
    ///
    /// # Errors
    ///
    /// [`ClientError::Sequence`] without MAIL and RCPT, or after BDAT;
    /// [`ClientError::NoRecipients`] when every RCPT was refused;
    /// [`ClientError::WaitForReplies`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::{ClientError, ClientSession};
    /// assert_eq!(ClientSession::new(Default::default()).data(), Err(ClientError::Sequence));
    /// ```
    pub fn data(&mut self) -> Result<Command<'static>, ClientError> {
        if self.phase != Phase::Mail || self.sent_rcpts == 0 || self.bdat_used {
            return Err(ClientError::Sequence);
        }
        self.check_recipients()?;
        self.push(Sent::Data)?;
        Ok(Command::Data)
    }

    /// The whole DATA content, dot-stuffed with its terminator when
    /// encoded, after the 354 arrived.
    ///
    /// # Errors
    ///
    /// [`ClientError::Sequence`] unless a 354 answered DATA.
    ///
    /// # Examples
    ///
    /// See [`content_sent`](ClientSession::content_sent).
    pub fn data_body<'a>(&mut self, content: &'a [u8]) -> Result<DataBody<'a>, ClientError> {
        self.content_sent()?;
        Ok(DataBody::normalized(content))
    }

    /// Records that the DATA content and its terminator were sent (by a
    /// [`DotStuffer`](crate::body::DotStuffer) of your own); the end-of-data
    /// replies are now owed.
    ///
    /// # Errors
    ///
    /// [`ClientError::Sequence`] unless a 354 answered DATA.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::{Answered, ClientEvent, ClientSession};
    /// let mut client = ClientSession::new(Default::default());
    /// assert!(client.content_sent().is_err());
    /// ```
    pub fn content_sent(&mut self) -> Result<(), ClientError> {
        if self.phase != Phase::Content {
            return Err(ClientError::Sequence);
        }
        self.push(Sent::Message)?;
        self.phase = Phase::Idle;
        Ok(())
    }

    /// `BDAT size [LAST]` with its chunk (RFC 3030).
    ///
    /// # Errors
    ///
    /// [`ClientError::NotOffered`] without CHUNKING; [`ClientError::Sequence`]
    /// without MAIL and RCPT; [`ClientError::NoRecipients`] for the first
    /// chunk when every RCPT was refused; [`ClientError::WaitForReplies`],
    /// [`ClientError::TooManyPending`].
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub fn bdat<'a>(&mut self, chunk: &'a [u8], last: bool) -> Result<BdatChunk<'a>, ClientError> {
        if !self.server.extensions.contains(Extension::Chunking) {
            return Err(ClientError::NotOffered(Extension::Chunking));
        }
        if self.phase != Phase::Mail || self.sent_rcpts == 0 {
            return Err(ClientError::Sequence);
        }
        if !self.bdat_used {
            self.check_recipients()?;
        }
        if last {
            self.push(Sent::Message)?;
            self.phase = Phase::Idle;
        } else {
            self.push(Sent::Chunk)?;
            self.bdat_used = true;
        }
        Ok(BdatChunk::new(chunk, last))
    }

    /// Content may start unless every RCPT was answered and none accepted.
    fn check_recipients(&self) -> Result<(), ClientError> {
        if self.len == 0 && self.accepted == 0 {
            return Err(ClientError::NoRecipients);
        }
        Ok(())
    }

    /// `RSET`: ends the transaction.
    ///
    /// # Errors
    ///
    /// [`ClientError::WaitForReplies`], [`ClientError::TooManyPending`],
    /// [`ClientError::Sequence`] before the greeting or during DATA content.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ClientSession;
    /// let mut client = ClientSession::new(Default::default());
    /// client.decode(b"220 mx.example\r\n");
    /// assert_eq!(client.rset()?, smtp_wire::Command::Rset);
    /// # Ok::<(), smtp_wire::session::ClientError>(())
    /// ```
    pub fn rset(&mut self) -> Result<Command<'static>, ClientError> {
        if matches!(self.phase, Phase::Connecting | Phase::Content) {
            return Err(ClientError::Sequence);
        }
        self.push(Sent::Rset)?;
        self.phase = Phase::Idle;
        Ok(Command::Rset)
    }

    /// `QUIT`.
    ///
    /// # Errors
    ///
    /// [`ClientError::Closed`] when the session is over;
    /// [`ClientError::Sequence`] during DATA content.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ClientSession;
    /// let mut client = ClientSession::new(Default::default());
    /// client.decode(b"220 mx.example\r\n");
    /// assert_eq!(client.quit()?, smtp_wire::Command::Quit);
    /// # Ok::<(), smtp_wire::session::ClientError>(())
    /// ```
    pub fn quit(&mut self) -> Result<Command<'static>, ClientError> {
        if self.phase == Phase::Content {
            return Err(ClientError::Sequence);
        }
        self.push(Sent::Quit)?;
        Ok(Command::Quit)
    }

    /// Any command, checked as its own method would check it: EHLO, LHLO
    /// and HELO as [`ehlo`](ClientSession::ehlo), MAIL as
    /// [`mail`](ClientSession::mail) (so its parameters may be adapted),
    /// RCPT, DATA, RSET, QUIT, STARTTLS and AUTH likewise; NOOP, VRFY,
    /// EXPN, HELP, ETRN and the rest are sent as given.
    ///
    /// # Errors
    ///
    /// Those of the command's own method; [`ClientError::Sequence`] for
    /// BDAT, which needs its chunk ([`bdat`](ClientSession::bdat)), and
    /// for any command before the greeting or during DATA content.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::ClientSession;
    /// use smtp_wire::Command;
    /// let mut client = ClientSession::new(Default::default());
    /// client.decode(b"220 mx.example\r\n");
    /// assert_eq!(client.command(Command::Noop(None))?, Command::Noop(None));
    /// # Ok::<(), smtp_wire::session::ClientError>(())
    /// ```
    pub fn command<'a>(&mut self, command: Command<'a>) -> Result<Command<'a>, ClientError> {
        match command {
            Command::Ehlo(host) | Command::Lhlo(host) => self.ehlo(host),
            Command::Helo(host) => self.helo(host),
            Command::Mail(mail) => self.mail(mail),
            Command::Rcpt(rcpt) => self.rcpt(rcpt),
            Command::Data => self.data(),
            Command::Rset => self.rset(),
            Command::Quit => self.quit(),
            Command::StartTls => self.starttls(),
            Command::Auth(auth) => self.auth(auth),
            Command::Bdat { .. } => Err(ClientError::Sequence),
            other => {
                if matches!(self.phase, Phase::Connecting | Phase::Content) {
                    return Err(ClientError::Sequence);
                }
                self.push(Sent::Other)?;
                Ok(other)
            }
        }
    }

    /// Decodes the next reply from the front of `input` (the server's
    /// bytes not yet consumed) and pairs it with what it answers.
    ///
    /// Returns the event, or `None` when more input is needed, and the
    /// bytes used.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::session::{ClientEvent, ClientSession};
    /// let mut client = ClientSession::new(Default::default());
    /// assert_eq!(client.decode(b"220 mx.exa"), (None, 0));
    /// let (Some(ClientEvent::Malformed(err)), _) = client.decode(b"2200 x\r\n") else { panic!() };
    /// assert!(client.is_closed());
    /// ```
    pub fn decode<'a>(&mut self, input: &'a [u8]) -> (Option<ClientEvent<'a>>, usize) {
        if self.phase == Phase::Closed {
            return (Some(ClientEvent::Closed), 0);
        }
        let (reply, used) = match self.config.replies.parse(input) {
            Ok(Status::Partial) => return (None, 0),
            Ok(Status::Complete(parsed)) => parsed,
            Err(err) => {
                self.phase = Phase::Closed;
                return (
                    Some(ClientEvent::Malformed(err)),
                    err.skip().min(input.len()),
                );
            }
        };
        let code = reply.code().get();
        let Some(sent) = self.pop_for_reply() else {
            if code == 421 {
                self.phase = Phase::Closed;
            }
            let event = ClientEvent::Reply {
                to: Answered::Unsolicited,
                reply,
            };
            return (Some(event), used);
        };
        let positive = code < 400;
        let to = match sent {
            Sent::Greeting => {
                if positive {
                    self.phase = Phase::Idle;
                }
                Answered::Greeting
            }
            Sent::Ehlo => {
                if positive {
                    self.hello = true;
                    if let Some(ehlo) = EhloReply::from_reply(reply) {
                        let summary = ehlo.summary();
                        self.server = ServerInfo {
                            extensions: summary.extensions,
                            size: summary.size,
                            extended: true,
                        };
                    }
                }
                Answered::Ehlo
            }
            Sent::Helo => {
                if positive {
                    self.hello = true;
                    self.server = ServerInfo::default();
                }
                Answered::Helo
            }
            Sent::StartTls => {
                if code == 220 {
                    // RFC 3207 §4.2: what follows the 220 in plaintext is
                    // never read, and the session starts over after the
                    // handshake.
                    self.phase = Phase::Idle;
                    self.server = ServerInfo::default();
                    self.hello = false;
                    self.tls = true;
                    self.head = 0;
                    self.len = 0;
                    let event = ClientEvent::TlsHandoff {
                        reply,
                        discarded: input.get(used..).unwrap_or_default(),
                    };
                    return (Some(event), input.len());
                }
                Answered::StartTls
            }
            Sent::Auth => {
                self.challenged = code == 334;
                Answered::Auth
            }
            Sent::Mail => {
                // Replies come in order: every reply of the previous
                // transaction is in, this one's counts start here.
                self.accepted = 0;
                self.delivered = 0;
                if !positive && self.phase == Phase::Mail {
                    // The RCPTs and DATA pipelined after it will be refused.
                    self.phase = Phase::Idle;
                }
                Answered::Mail
            }
            Sent::Rcpt(index) => {
                if positive {
                    self.accepted += 1;
                }
                Answered::Rcpt {
                    index: index as usize,
                }
            }
            Sent::Data => {
                if code == 354 {
                    self.phase = Phase::Content;
                }
                Answered::Data
            }
            Sent::Chunk => Answered::Chunk,
            Sent::Message => {
                let recipient = self.delivered;
                self.delivered += 1;
                Answered::Message { recipient }
            }
            Sent::Rset => Answered::Rset,
            Sent::Quit => {
                self.phase = Phase::Closed;
                Answered::Quit
            }
            Sent::Other => Answered::Other,
        };
        if code == 421 {
            self.phase = Phase::Closed;
        }
        (Some(ClientEvent::Reply { to, reply }), used)
    }

    /// A command for outside a transaction (EHLO, HELO, STARTTLS, AUTH).
    fn idle_command(&mut self, sent: Sent) -> Result<(), ClientError> {
        if self.phase != Phase::Idle {
            return Err(if self.phase == Phase::Closed {
                ClientError::Closed
            } else {
                ClientError::Sequence
            });
        }
        if self.len > 0 {
            return Err(ClientError::WaitForReplies);
        }
        self.push(sent)
    }

    /// Whether another command may be sent while replies are owed.
    fn check_pipelining(&self) -> Result<(), ClientError> {
        if self.len == 0 {
            return Ok(());
        }
        let offered = self.config.pipelining
            && (self.server.extensions.contains(Extension::Pipelining) || self.config.lmtp);
        if offered && self.queued().all(Sent::pipelinable) {
            Ok(())
        } else {
            Err(ClientError::WaitForReplies)
        }
    }

    fn push(&mut self, sent: Sent) -> Result<(), ClientError> {
        if self.phase == Phase::Closed {
            return Err(ClientError::Closed);
        }
        // After a 334 the server reads the next line as the AUTH response
        // (RFC 4954 §4): only `auth_response` (which clears the flag) may
        // send it; "*" cancels.
        if self.challenged {
            return Err(ClientError::Sequence);
        }
        self.check_pipelining()?;
        if self.len == MAX_PENDING {
            return Err(ClientError::TooManyPending);
        }
        self.queue[(self.head + self.len) % MAX_PENDING] = sent;
        self.len += 1;
        Ok(())
    }

    /// What the next reply answers. The end of a message is answered once
    /// per accepted recipient under LMTP (RFC 2033 §4.2): its entry stays
    /// until every delivery reply came (the RCPT replies, which the server
    /// sends first, have set the count by then).
    fn pop_for_reply(&mut self) -> Option<Sent> {
        if self.len == 0 {
            return None;
        }
        let front = self.queue[self.head];
        if front == Sent::Message && self.config.lmtp && self.delivered + 1 < self.accepted.max(1) {
            return Some(front);
        }
        let sent = self.queue[self.head];
        self.head = (self.head + 1) % MAX_PENDING;
        self.len -= 1;
        Some(sent)
    }

    fn queued(&self) -> impl Iterator<Item = Sent> + '_ {
        (0..self.len).map(move |i| self.queue[(self.head + i) % MAX_PENDING])
    }
}
