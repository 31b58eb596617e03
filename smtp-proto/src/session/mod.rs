//! Sans-IO SMTP and LMTP sessions: [`ServerSession`] and [`ClientSession`].
//!
//! The parsers of this crate read one item at a time; a session knows what
//! the next bytes are. The server side owns the input mode (commands, DATA
//! content after a 354, a BDAT chunk after its line, an AUTH response after
//! a 334, nothing after the 220 to STARTTLS), the RFC 5321 command
//! sequence, the limits and the pipelining rules; the client side pairs
//! every reply with the command it answers and knows what the server
//! offered. Neither touches a socket or a clock, holds input, or allocates:
//! the caller reads, writes and decides.
//!
//! # Examples
//!
//! ```
//! use smtp_wire::session::{ServerEvent, ServerSession};
//! use smtp_wire::reply::ReplyCode;
//!
//! let mut session = ServerSession::new(Default::default());
//! session.reply_sent(ReplyCode::SERVICE_READY);
//! let (Some(ServerEvent::Command(_)), _) = session.decode(b"EHLO c.example\r\n") else { panic!() };
//! session.reply_sent(ReplyCode::OK);
//! // DATA and its content in one write: the client did not wait for the
//! // 354, so what follows DATA cannot be trusted to be either content or
//! // commands. The session says to close.
//! let input = b"MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\nSubject: x\r\n";
//! let (Some(ServerEvent::Command(_)), n) = session.decode(input) else { panic!() };
//! session.reply_sent(ReplyCode::OK);
//! let (Some(ServerEvent::Command(_)), m) = session.decode(&input[n..]) else { panic!() };
//! session.reply_sent(ReplyCode::OK);
//! let (Some(ServerEvent::Close(reply)), _) = session.decode(&input[n + m..]) else { panic!() };
//! assert_eq!(reply.to_string(), "554 5.5.0 Error: SMTP protocol synchronization");
//! ```

mod client;
mod server;

pub use self::client::{
    Answered, ClientConfig, ClientError, ClientEvent, ClientSession, MAX_PENDING, ServerInfo,
};
pub use self::server::{
    ChunkEnd, MessageEnd, ServerConfig, ServerEvent, ServerSession, Transaction,
};
