//! What a [`ClientSession`](super::ClientSession) reports: [`ClientEvent`]
//! and [`Answered`], [`ClientError`], and [`ServerInfo`].

use core::fmt;

use crate::types::ehlo::{Extension, Extensions};
use crate::types::error::Error;
use crate::types::reply::Reply;

/// What a reply answers; see [`ClientEvent::Reply`].
///
/// # Examples
///
/// ```
/// use smtp_wire::session::Answered;
/// assert_ne!(Answered::Rcpt { index: 0 }, Answered::Rcpt { index: 1 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Answered {
    /// The server's greeting.
    Greeting,
    /// EHLO or LHLO.
    Ehlo,
    /// HELO.
    Helo,
    /// STARTTLS.
    StartTls,
    /// AUTH, or an AUTH response line.
    Auth,
    /// MAIL.
    Mail,
    /// RCPT: the `index`-th RCPT of the transaction, from 0.
    Rcpt {
        /// The position of the RCPT in the transaction.
        index: usize,
    },
    /// DATA (354 means: send the content).
    Data,
    /// A BDAT chunk without LAST.
    Chunk,
    /// The end of the message (after the DATA content, or BDAT LAST).
    /// Under LMTP, one per accepted recipient: `recipient` counts the
    /// accepted recipients from 0, in RCPT order (RFC 2033 §4.2).
    Message {
        /// Which accepted recipient this delivery reply is for.
        recipient: usize,
    },
    /// RSET.
    Rset,
    /// QUIT.
    Quit,
    /// Any other command (NOOP, VRFY, HELP...).
    Other,
    /// Nothing: the server spoke unprompted (a 421 before closing, say).
    Unsolicited,
}

/// What a [`ClientSession`](crate::session::ClientSession) found in the server's output.
///
/// # Examples
///
/// ```
/// use smtp_wire::session::{Answered, ClientEvent, ClientSession};
/// let mut client = ClientSession::new(Default::default());
/// let (Some(ClientEvent::Reply { to, reply }), 22) = client.decode(b"220 mx.example ESMTP\r\n")
/// else {
///     panic!()
/// };
/// assert_eq!((to, reply.code().get()), (Answered::Greeting, 220));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientEvent<'a> {
    /// A reply, and what it answers.
    Reply {
        /// The command (or step) it answers.
        to: Answered,
        /// The reply.
        reply: Reply<'a>,
    },
    /// The `220` answering STARTTLS arrived: start the TLS handshake. The
    /// bytes after it are **discarded** (a reply-injection attempt, RFC
    /// 3207 §4.2, CVE-2021-38371); the session starts over, expecting EHLO.
    TlsHandoff {
        /// The 220 reply.
        reply: Reply<'a>,
        /// What the server sent after it, never decoded.
        discarded: &'a [u8],
    },
    /// The server's output is not a valid reply; the session cannot go on.
    Malformed(Error),
    /// The session is over (QUIT answered, a 421, or a malformed reply).
    Closed,
}

/// Why a [`ClientSession`](crate::session::ClientSession) refused to send something.
///
/// # Examples
///
/// ```
/// use smtp_wire::session::{ClientError, ClientSession};
/// let mut client = ClientSession::new(Default::default());
/// assert_eq!(client.data().unwrap_err(), ClientError::Sequence);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientError {
    /// Not at this point of the session (RCPT before MAIL, DATA without a
    /// recipient, a command before the greeting...).
    Sequence,
    /// Replies are owed and this command may not be pipelined (the server
    /// does not offer PIPELINING, or a command that must end a group is
    /// pending): decode the replies first.
    WaitForReplies,
    /// [`MAX_PENDING`](crate::session::MAX_PENDING) commands are waiting for replies: decode some first.
    TooManyPending,
    /// The message needs an extension the server does not offer (8BITMIME,
    /// BINARYMIME, SMTPUTF8, REQUIRETLS, CHUNKING, STARTTLS, AUTH...).
    NotOffered(Extension),
    /// Every RCPT of the transaction has been answered and none was
    /// accepted: there is no one to send the content to (RFC 5321 §3.3);
    /// send RSET or QUIT. (With replies still owed, as when pipelining,
    /// DATA and BDAT go out, and the server refuses them.)
    NoRecipients,
    /// The declared size is larger than the server's SIZE.
    TooLarge {
        /// The server's limit.
        limit: u64,
    },
    /// The session is over.
    Closed,
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Sequence => f.write_str("command out of sequence"),
            ClientError::WaitForReplies => {
                f.write_str("replies are owed and this command cannot be pipelined")
            }
            ClientError::TooManyPending => f.write_str("too many commands waiting for replies"),
            ClientError::NoRecipients => f.write_str("the server accepted no recipient"),
            ClientError::NotOffered(extension) => {
                write!(f, "the server does not offer {extension}")
            }
            ClientError::TooLarge { limit } => {
                write!(
                    f,
                    "the message is larger than the server's limit of {limit} octets"
                )
            }
            ClientError::Closed => f.write_str("the session is over"),
        }
    }
}

impl core::error::Error for ClientError {}

/// What the server offered in its EHLO reply, kept by the session.
///
/// # Examples
///
/// ```
/// use smtp_wire::session::ClientSession;
/// assert!(ClientSession::new(Default::default()).server().extensions().is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ServerInfo {
    pub(super) extensions: Extensions,
    pub(super) size: Option<u64>,
    pub(super) extended: bool,
}

impl ServerInfo {
    /// The extensions the EHLO reply listed (none after HELO).
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn extensions(&self) -> Extensions {
        self.extensions
    }

    /// The SIZE limit (RFC 1870): `Some(0)` for no fixed limit, `None` when
    /// not declared.
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn size(&self) -> Option<u64> {
        self.size
    }

    /// `true` after a positive reply to EHLO or LHLO (not HELO).
    ///
    /// # Examples
    ///
    /// See the type's documentation.
    pub const fn is_extended(&self) -> bool {
        self.extended
    }
}
