//! The options and outcomes of DATA decoding: [`DataConfig`] and its
//! [`ContentPolicy`] per kind of questionable content, [`ContentIssues`],
//! [`DataEnd`] and [`DataEvent`].

use crate::decode::data::DataDecoder;

/// What to do with one kind of questionable content in DATA: a bare LF, a bare
/// CR, a NUL or an over-long line.
///
/// Whatever the policy, these octets are never a line end for the purpose of
/// finding the end of data or a stuffed dot: only a real CRLF is (RFC 5321
/// §4.1.1.4, §2.3.8). Leniency here changes what is *reported*, never where the
/// message ends, so no policy can open the door to SMTP smuggling.
///
/// # Examples
///
/// ```
/// use smtp_wire::DataConfig;
/// use smtp_wire::body::ContentPolicy;
///
/// // Postfix `smtpd_forbid_bare_newline = note` in spirit: keep bare LF as
/// // data, but say so in the end-of-data summary.
/// let mut config = DataConfig::new();
/// config.bare_lf(ContentPolicy::Note);
/// assert_eq!(ContentPolicy::default(), ContentPolicy::Reject);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ContentPolicy {
    /// Keep the octets as data and, once the real end of data has been found,
    /// fail with the matching error (its reply is `550 5.5.2`). The default.
    #[default]
    Reject,
    /// Keep the octets as data and record them in [`ContentIssues`], without
    /// failing.
    Note,
    /// Keep the octets as data and say nothing.
    Accept,
}

/// Runtime options of a [`DataDecoder`] (httparse-style setters, never cargo
/// features, since features unify across a dependency graph).
///
/// The defaults are strict: bare LF, bare CR, NUL and lines longer than 1000
/// octets (RFC 5321 §4.5.3.1.6) are all [`ContentPolicy::Reject`], and there is
/// no size limit.
///
/// Why NUL is rejected by default: no `BODY` type that can be sent with DATA
/// allows it (RFC 5322 §3.5 text and RFC 2045 §2.8 8bit data both exclude NUL;
/// only BINARYMIME does, and that requires BDAT, RFC 3030 §3), and receivers
/// that delete NUL before looking for the terminator are what the NUL
/// smuggling variants (`\r\n\x00.\r\n`, `\r\n.\x00\r\n`) exploit downstream —
/// relaying NUL passes the risk on.
///
/// # Examples
///
/// ```
/// use smtp_wire::DataConfig;
/// use smtp_wire::body::ContentPolicy;
///
/// let mut config = DataConfig::new();
/// config
///     .bare_lf(ContentPolicy::Accept)
///     .bare_cr(ContentPolicy::Note)
///     .max_line_len(2048)
///     .max_message_size(Some(10 << 20));
/// let decoder = config.decoder();
/// assert!(!decoder.is_done());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataConfig {
    pub(super) bare_lf: ContentPolicy,
    pub(super) bare_cr: ContentPolicy,
    pub(super) nul: ContentPolicy,
    pub(super) long_lines: ContentPolicy,
    pub(super) max_line_len: usize,
    pub(super) max_message_size: Option<u64>,
}

impl DataConfig {
    /// Every policy `Accept` and no size limit: only `<CRLF>.` matters.
    pub(super) const fn accepts_everything(&self) -> bool {
        matches!(
            (
                self.bare_lf,
                self.bare_cr,
                self.nul,
                self.long_lines,
                self.max_message_size
            ),
            (
                ContentPolicy::Accept,
                ContentPolicy::Accept,
                ContentPolicy::Accept,
                ContentPolicy::Accept,
                None
            )
        )
    }

    /// The strict defaults (see the type's documentation).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// assert_eq!(DataConfig::new(), DataConfig::default());
    /// ```
    pub const fn new() -> DataConfig {
        DataConfig {
            bare_lf: ContentPolicy::Reject,
            bare_cr: ContentPolicy::Reject,
            nul: ContentPolicy::Reject,
            long_lines: ContentPolicy::Reject,
            max_line_len: 1000,
            max_message_size: None,
        }
    }

    /// What to do with an LF that does not follow a CR.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// use smtp_wire::body::ContentPolicy;
    /// let mut config = DataConfig::new();
    /// config.bare_lf(ContentPolicy::Note);
    /// ```
    pub fn bare_lf(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.bare_lf = policy;
        self
    }

    /// What to do with a CR that is not followed by LF.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// use smtp_wire::body::ContentPolicy;
    /// let mut config = DataConfig::new();
    /// config.bare_cr(ContentPolicy::Accept);
    /// ```
    pub fn bare_cr(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.bare_cr = policy;
        self
    }

    /// What to do with a NUL octet.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// use smtp_wire::body::ContentPolicy;
    /// let mut config = DataConfig::new();
    /// config.nul(ContentPolicy::Note);
    /// ```
    pub fn nul(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.nul = policy;
        self
    }

    /// What to do with a line longer than
    /// [`max_line_len`](DataConfig::max_line_len). `Accept` turns the check off.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// use smtp_wire::body::ContentPolicy;
    /// let mut config = DataConfig::new();
    /// config.long_lines(ContentPolicy::Accept);
    /// ```
    pub fn long_lines(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.long_lines = policy;
        self
    }

    /// One policy for every kind of problem: bare LF, bare CR, NUL and long
    /// lines. `all_policies(ContentPolicy::Accept)` keeps any octet as data,
    /// and then only `<CRLF>.` is looked for, at memmem speed; the end of
    /// data is still only `<CRLF>.<CRLF>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataConfig, Status};
    /// use smtp_wire::body::{ContentPolicy, DataEvent};
    /// let mut config = DataConfig::new();
    /// config.all_policies(ContentPolicy::Accept);
    /// let mut decoder = config.decoder();
    /// let Ok(Status::Complete((DataEvent::Payload(data), _))) = decoder.decode(b"a\nb\r\n.\r\n") else { panic!() };
    /// assert_eq!(data, b"a\nb\r\n");
    /// ```
    pub fn all_policies(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.bare_lf(policy)
            .bare_cr(policy)
            .nul(policy)
            .long_lines(policy)
    }

    /// The longest text line, counting its CRLF and not counting a stuffed
    /// dot; default 1000 (RFC 5321 §4.5.3.1.6).
    ///
    /// Only CRLF delimits lines, except that for this count a bare LF also
    /// ends a line, so that content let through with bare-LF line endings is
    /// not reported as over-long as well. Values below 2 count as 2, the
    /// CRLF alone (so an empty line always fits), as the other configs
    /// clamp their limits.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataConfig, Status};
    /// use smtp_wire::body::DataEvent;
    /// let mut config = DataConfig::new();
    /// config.max_line_len(0);
    /// let mut decoder = config.decoder();
    /// let Ok(Status::Complete((DataEvent::Payload(line), 2))) = decoder.decode(b"\r\n.\r\n") else {
    ///     panic!()
    /// };
    /// assert_eq!(line, b"\r\n");
    /// // The empty line was not too long: the message ends without error.
    /// assert!(matches!(decoder.decode(b".\r\n"), Ok(Status::Complete((DataEvent::End(_), 3)))));
    /// ```
    pub fn max_line_len(&mut self, len: usize) -> &mut DataConfig {
        self.max_line_len = len.max(2);
        self
    }

    /// The largest message accepted, in octets as SIZE counts them (RFC 1870:
    /// content incl. CRLFs, without stuffing and terminator); `None`, the
    /// default, for no limit. Going past it fails with
    /// [`ErrorKind::MessageTooLarge`](crate::ErrorKind::MessageTooLarge) (`552 5.3.4`) after the end of data.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// let mut config = DataConfig::new();
    /// config.max_message_size(Some(35_882_577));
    /// ```
    pub fn max_message_size(&mut self, limit: Option<u64>) -> &mut DataConfig {
        self.max_message_size = limit;
        self
    }

    /// A new decoder with these options.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// let decoder = DataConfig::new().decoder();
    /// assert_eq!(decoder.size(), 0);
    /// ```
    pub const fn decoder(&self) -> DataDecoder {
        DataDecoder::with_config(*self)
    }
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig::new()
    }
}

/// Questionable content seen in a message (see [`ContentPolicy`]). Only kinds
/// whose policy is `Reject` or `Note` are recorded.
///
/// # Examples
///
/// ```
/// use smtp_wire::{DataConfig, Status};
/// use smtp_wire::body::{ContentPolicy, DataEvent};
///
/// let mut config = DataConfig::new();
/// config.bare_lf(ContentPolicy::Note);
/// let mut decoder = config.decoder();
/// let buf = b"a\nb\r\n.\r\n";
/// let Ok(Status::Complete((DataEvent::Payload(_), n))) = decoder.decode(buf) else { panic!() };
/// let Ok(Status::Complete((DataEvent::End(end), _))) = decoder.decode(&buf[n..]) else { panic!() };
/// assert!(end.issues().bare_lf);
/// assert!(!end.issues().bare_cr);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ContentIssues {
    /// An LF not preceded by CR was seen.
    pub bare_lf: bool,
    /// A CR not followed by LF was seen.
    pub bare_cr: bool,
    /// A NUL octet was seen.
    pub nul: bool,
    /// A line longer than the configured limit was seen.
    pub long_line: bool,
}

impl ContentIssues {
    /// `true` when nothing was recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::body::ContentIssues::default().is_empty());
    /// ```
    pub const fn is_empty(&self) -> bool {
        !(self.bare_lf || self.bare_cr || self.nul || self.long_line)
    }
}

/// The summary that comes with the end of data.
///
/// # Examples
///
/// ```
/// use smtp_wire::{DataDecoder, Status};
/// use smtp_wire::body::DataEvent;
///
/// let mut decoder = DataDecoder::new();
/// // ".\r\n" right after "DATA\r\n": an empty message.
/// let Ok(Status::Complete((DataEvent::End(end), 3))) = decoder.decode(b".\r\n") else { panic!() };
/// assert_eq!(end.size(), 0);
/// assert!(end.issues().is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataEnd {
    pub(super) size: u64,
    pub(super) issues: ContentIssues,
}

impl DataEnd {
    /// The size of the message as SIZE counts it (RFC 1870 §3): content octets
    /// including CRLFs, excluding stuffed dots and the terminator; the total
    /// length of all payload slices.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataDecoder, Status};
    /// use smtp_wire::body::DataEvent;
    /// let mut decoder = DataDecoder::new();
    /// let buf = b"..hi\r\n.\r\n"; // one line, ".hi" stuffed
    /// let Ok(Status::Complete((_, n))) = decoder.decode(buf) else { panic!() };
    /// let Ok(Status::Complete((DataEvent::End(end), _))) = decoder.decode(&buf[n..]) else { panic!() };
    /// assert_eq!(end.size(), 5); // ".hi\r\n"
    /// ```
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// Questionable content seen under a [`ContentPolicy::Note`] policy.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataDecoder, Status};
    /// use smtp_wire::body::DataEvent;
    /// let Ok(Status::Complete((DataEvent::End(end), _))) = DataDecoder::new().decode(b".\r\n") else { panic!() };
    /// assert!(end.issues().is_empty());
    /// ```
    pub const fn issues(&self) -> ContentIssues {
        self.issues
    }
}

/// One step of DATA decoding.
///
/// # Examples
///
/// ```
/// use smtp_wire::{DataDecoder, Status};
/// use smtp_wire::body::DataEvent;
///
/// let mut decoder = DataDecoder::new();
/// let event = decoder.decode(b"Hi\r\n.\r\n");
/// assert_eq!(event, Ok(Status::Complete((DataEvent::Payload(b"Hi\r\n"), 4))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataEvent<'a> {
    /// Message content, a non-empty slice of the caller's buffer. The message
    /// is the concatenation of all payloads. The bytes consumed can be up to
    /// two more than its length: a stuffed dot before and one after it are
    /// consumed and dropped.
    Payload(&'a [u8]),
    /// The end of data: the `.` CRLF of the terminator was consumed, and what
    /// follows it in the buffer belongs to the command parser.
    End(DataEnd),
}
