//! [`ClientConfig`]: the options of a [`ClientSession`](super::ClientSession).

use crate::parse::reply::ReplyConfig;

/// How many commands may wait for their replies at once. A client that
/// pipelines more (a long list of recipients) decodes replies first.
pub const MAX_PENDING: usize = 128;

/// Options of a [`ClientSession`](crate::session::ClientSession).
///
/// # Examples
///
/// ```
/// use smtp_wire::session::ClientConfig;
/// let mut config = ClientConfig::new();
/// config.pipelining(false).chunking(false);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientConfig {
    pub(super) replies: ReplyConfig,
    pub(super) lmtp: bool,
    pub(super) pipelining: bool,
    pub(super) chunking: bool,
    pub(super) tls: bool,
}

impl Default for ClientConfig {
    fn default() -> ClientConfig {
        ClientConfig::new()
    }
}

impl ClientConfig {
    /// SMTP; PIPELINING and CHUNKING used when the server offers them; the
    /// default [`ReplyConfig`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!smtp_wire::session::ClientConfig::new().is_lmtp());
    /// ```
    pub const fn new() -> ClientConfig {
        ClientConfig {
            replies: ReplyConfig::new(),
            lmtp: false,
            pipelining: true,
            chunking: true,
            tls: false,
        }
    }

    /// An LMTP client (RFC 2033): LHLO, and one reply per accepted
    /// recipient after the message.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::session::ClientConfig::lmtp().is_lmtp());
    /// ```
    pub const fn lmtp() -> ClientConfig {
        let mut config = ClientConfig::new();
        config.lmtp = true;
        config
    }

    /// `true` for an LMTP client.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!smtp_wire::session::ClientConfig::default().is_lmtp());
    /// ```
    pub const fn is_lmtp(&self) -> bool {
        self.lmtp
    }

    /// How replies are parsed.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ReplyConfig;
    /// let mut replies = ReplyConfig::new();
    /// replies.allow_code_mismatch(true);
    /// let mut config = smtp_wire::session::ClientConfig::new();
    /// config.replies(replies);
    /// ```
    pub fn replies(&mut self, replies: ReplyConfig) -> &mut Self {
        self.replies = replies;
        self
    }

    /// The reply parser options.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ReplyConfig;
    /// use smtp_wire::session::ClientConfig;
    /// assert_eq!(ClientConfig::new().reply_config(), ReplyConfig::new());
    /// ```
    pub const fn reply_config(&self) -> ReplyConfig {
        self.replies
    }

    /// Send commands without waiting for each reply when the server offers
    /// PIPELINING (RFC 2920). On by default.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ClientConfig::new();
    /// config.pipelining(false);
    /// ```
    pub fn pipelining(&mut self, use_it: bool) -> &mut Self {
        self.pipelining = use_it;
        self
    }

    /// Prefer BDAT to DATA when the server offers CHUNKING (RFC 3030); see
    /// [`ClientSession::uses_bdat`](crate::session::ClientSession::uses_bdat). On by default.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ClientConfig::new();
    /// config.chunking(false);
    /// ```
    pub fn chunking(&mut self, use_it: bool) -> &mut Self {
        self.chunking = use_it;
        self
    }

    /// The connection is already encrypted (implicit TLS, RFC 8314).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::session::ClientConfig::new();
    /// config.tls(true);
    /// ```
    pub fn tls(&mut self, active: bool) -> &mut Self {
        self.tls = active;
        self
    }
}
