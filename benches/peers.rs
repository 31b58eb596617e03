//! The peers' workloads, on the same bytes as `smtp_wire_benches::ours`.
//! Included with `#[path]` by the criterion bench and the `ratios` example,
//! since the peers are dev-dependencies of this package only.

/// Stalwart's `smtp-proto` 0.2.5 (hand-written byte parser, `Cow` results).
pub(crate) mod stalwart {
    use smtp_wire_benches::CommandMix;
    use stalwart_smtp_proto::request::receiver::{BdatReceiver, DataReceiver, RequestReceiver};
    use stalwart_smtp_proto::response::parser::ResponseReceiver;
    use stalwart_smtp_proto::{EhloResponse, Error, Request};

    fn count(mix: &mut CommandMix, request: &Request<std::borrow::Cow<'_, str>>) {
        mix.commands += 1;
        mix.bdat += usize::from(matches!(request, Request::Bdat { .. }));
    }

    /// Parses every command of a whole buffer with `Request::parse`.
    pub(crate) fn commands(buf: &[u8]) -> CommandMix {
        let mut mix = CommandMix::default();
        let mut iter = buf.iter();
        while !iter.as_slice().is_empty() {
            let request = Request::parse(&mut iter).expect("valid command");
            count(&mut mix, &request);
        }
        mix
    }

    /// Feeds 8 KiB reads to a `RequestReceiver`, Stalwart's streaming API
    /// (it buffers a partial line itself).
    pub(crate) fn commands_reads(buf: &[u8]) -> CommandMix {
        let mut mix = CommandMix::default();
        let mut receiver = RequestReceiver::default();
        for read in buf.chunks(smtp_wire_benches::READ_SIZE) {
            let mut iter = read.iter();
            loop {
                match receiver.ingest(&mut iter) {
                    Ok(request) => count(&mut mix, &request),
                    Err(Error::NeedsMoreData { .. }) => break,
                    Err(err) => panic!("{err:?}"),
                }
            }
        }
        mix
    }

    /// Parses a MAIL and a RCPT; returns the SIZE and the ORCPT's length.
    pub(crate) fn mail_rcpt(buf: &[u8]) -> (u64, usize) {
        let mut iter = buf.iter();
        let Ok(Request::Mail { from }) = Request::parse(&mut iter) else {
            panic!("MAIL")
        };
        let Ok(Request::Rcpt { to }) = Request::parse(&mut iter) else {
            panic!("RCPT")
        };
        (from.size as u64, to.orcpt.map_or(0, |o| o.len()))
    }

    /// Parses every reply with a `ResponseReceiver`; returns the count and
    /// the sum of the codes.
    pub(crate) fn replies(buf: &[u8]) -> (usize, u64) {
        let (mut count, mut codes) = (0, 0);
        let mut receiver = ResponseReceiver::default();
        let mut iter = buf.iter();
        while !iter.as_slice().is_empty() {
            let response = receiver.parse(&mut iter).expect("reply");
            count += 1;
            codes += u64::from(response.code);
            receiver.reset();
        }
        (count, codes)
    }

    /// Without `walk`, the generic `ResponseReceiver`; with it,
    /// `EhloResponse::parse`, which reads the capabilities into bit flags.
    /// Returns the capability count (lines less one without `walk`) and SIZE.
    pub(crate) fn ehlo(buf: &[u8], walk: bool) -> (usize, u64) {
        let mut iter = buf.iter();
        if !walk {
            let response = ResponseReceiver::default().parse(&mut iter).expect("reply");
            assert_eq!(response.code, 250);
            return (response.message.matches('\n').count(), 0);
        }
        let ehlo = EhloResponse::parse(&mut iter).expect("EHLO reply");
        let auth = usize::from(ehlo.auth_mechanisms != 0);
        (
            ehlo.capabilities.count_ones() as usize + auth - 1,
            ehlo.size as u64,
        )
    }

    /// `DataReceiver`, which copies the unstuffed content into `out`.
    pub(crate) fn data(wire: &[u8], out: &mut Vec<u8>) -> usize {
        out.clear();
        let mut iter = wire.iter();
        assert!(DataReceiver::new().ingest(&mut iter, out));
        assert!(iter.as_slice().is_empty());
        out.len()
    }

    /// `Request::parse` for each BDAT line, then `BdatReceiver`, which copies
    /// the chunk into `out`.
    pub(crate) fn bdat(wire: &[u8], out: &mut Vec<u8>) -> usize {
        out.clear();
        let mut iter = wire.iter();
        loop {
            let Ok(Request::Bdat {
                chunk_size,
                is_last,
            }) = Request::parse(&mut iter)
            else {
                panic!("BDAT")
            };
            assert!(BdatReceiver::new(chunk_size, is_last).ingest(&mut iter, out));
            if is_last {
                assert!(iter.as_slice().is_empty());
                return out.len();
            }
        }
    }

    /// The EHLO reply of `EHLO_REPLY`, for `EhloResponse::write`.
    pub(crate) fn ehlo_response() -> EhloResponse<&'static str> {
        use stalwart_smtp_proto::*;
        let mut ehlo = EhloResponse::new("mx.example.org");
        ehlo.capabilities = EXT_PIPELINING
            | EXT_SIZE
            | EXT_ETRN
            | EXT_START_TLS
            | EXT_AUTH
            | EXT_ENHANCED_STATUS_CODES
            | EXT_8BIT_MIME
            | EXT_DSN
            | EXT_SMTP_UTF8
            | EXT_CHUNKING
            | EXT_BINARY_MIME;
        ehlo.auth_mechanisms = AUTH_PLAIN | AUTH_LOGIN;
        ehlo.size = 35882577;
        ehlo
    }

    /// Writes `ehlo` into `out` (cleared first); returns the length.
    pub(crate) fn encode_ehlo(ehlo: &EhloResponse<&str>, out: &mut Vec<u8>) -> usize {
        out.clear();
        ehlo.write(&mut *out).expect("Vec");
        out.len()
    }
}

/// `smtp-codec` 0.2.0 (nom 7 combinators, owned results). It has no BDAT,
/// so a BDAT line is an error that is counted and skipped.
pub(crate) mod codec {
    use smtp_codec::parse::command::command;
    use smtp_codec::parse::response::{Reply_line, ehlo_ok_rsp};
    use smtp_codec::types::{Command, Response};
    use smtp_wire_benches::CommandMix;

    /// Parses as many whole commands of `buf` as possible; a failed line
    /// (only BDAT here) counts in `bdat` and is skipped. Returns the bytes
    /// consumed.
    fn parse_some(buf: &[u8], mix: &mut CommandMix, keep: Option<&mut Vec<Command>>) -> usize {
        let mut rest = buf;
        let mut keep = keep;
        while !rest.is_empty() {
            match command(rest) {
                Ok((tail, parsed)) => {
                    mix.commands += 1;
                    if let Some(keep) = keep.as_deref_mut() {
                        keep.push(parsed);
                    }
                    rest = tail;
                }
                Err(nom::Err::Incomplete(_)) => break,
                Err(_) => match memchr::memchr(b'\n', rest) {
                    Some(lf) if rest.starts_with(b"BDAT ") => {
                        mix.commands += 1;
                        mix.bdat += 1;
                        rest = &rest[lf + 1..];
                    }
                    Some(_) => panic!("{:?}", String::from_utf8_lossy(&rest[..80])),
                    None => break,
                },
            }
        }
        buf.len() - rest.len()
    }

    /// Parses every command of a whole buffer.
    pub(crate) fn commands(buf: &[u8]) -> CommandMix {
        let mut mix = CommandMix::default();
        assert_eq!(parse_some(buf, &mut mix, None), buf.len());
        mix
    }

    /// The parsed commands, for the encoder workload.
    pub(crate) fn parsed(buf: &[u8]) -> Vec<Command> {
        let mut out = Vec::new();
        parse_some(buf, &mut CommandMix::default(), Some(&mut out));
        out
    }

    /// [`commands`] over 8 KiB reads into `scratch`, like ours.
    pub(crate) fn commands_reads(buf: &[u8], scratch: &mut [u8]) -> CommandMix {
        let mut mix = CommandMix::default();
        let left =
            smtp_wire_benches::feed_reads(buf, scratch, |bytes| parse_some(bytes, &mut mix, None));
        assert_eq!(left, 0);
        mix
    }

    /// Parses a MAIL and a RCPT; returns the parameter counts.
    pub(crate) fn mail_rcpt(buf: &[u8]) -> (usize, usize) {
        let Ok((rest, Command::Mail { parameters, .. })) = command(buf) else {
            panic!("MAIL")
        };
        let Ok((
            _,
            Command::Rcpt {
                parameters: rcpt, ..
            },
        )) = command(rest)
        else {
            panic!("RCPT")
        };
        (parameters.len(), rcpt.len())
    }

    /// Recognises every reply with `Reply_line` (it checks the grammar and
    /// returns the bytes, no code or text); returns the count.
    pub(crate) fn replies(buf: &[u8]) -> usize {
        let mut rest = buf;
        let mut count = 0;
        while !rest.is_empty() {
            let (tail, _) = Reply_line(rest).expect("reply");
            count += 1;
            rest = tail;
        }
        count
    }

    /// Without `walk`, `Reply_line`; with it, `ehlo_ok_rsp`, which builds the
    /// capability list. Returns the capability count (0 without `walk`).
    pub(crate) fn ehlo(buf: &[u8], walk: bool) -> usize {
        if !walk {
            let (rest, _) = Reply_line(buf).expect("reply");
            assert!(rest.is_empty());
            return 0;
        }
        let Ok((rest, Response::Ehlo { capabilities, .. })) = ehlo_ok_rsp(buf) else {
            panic!("EHLO reply")
        };
        assert!(rest.is_empty());
        capabilities.len()
    }

    /// Serializes `commands` into `out` (cleared first); returns the length.
    pub(crate) fn encode_commands(commands: &[Command], out: &mut Vec<u8>) -> usize {
        out.clear();
        for command in commands {
            command.serialize(out).expect("Vec");
        }
        out.len()
    }
}
