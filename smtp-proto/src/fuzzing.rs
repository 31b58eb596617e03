//! Internals for the cargo-fuzz targets in `fuzz/`, compiled only with
//! `--cfg fuzzing` (which cargo-fuzz sets). Never a public feature: nothing
//! here is part of the API.

use crate::parse::line::{Framing, frame_line};
use crate::types::error::ErrorKind;
use crate::types::status::ParseResult;

/// Frames one line the way the command parser does with `max_len`, and
/// returns (content length, bytes consumed).
pub fn frame_command_line(
    buf: &[u8],
    max_len: usize,
    allow_bare_lf: bool,
) -> ParseResult<(usize, usize)> {
    let rules = Framing {
        max_len,
        too_long: ErrorKind::LineTooLong,
        allow_bare_lf,
    };
    frame_line(buf, rules).map(|status| status.map(|line| (line.content.len(), line.consumed)))
}

/// The RFC 5321 IPv6 literal grammar, for comparing with `core::net`.
pub fn parse_ipv6_literal(text: &[u8]) -> Option<[u16; 8]> {
    crate::syntax::parse_ipv6(text)
}

/// The command parser before the one-pass path, kept as an oracle: the
/// `parse_command` target asserts that [`CommandConfig::parse`] agrees with
/// it on every input.
///
/// [`CommandConfig::parse`]: crate::CommandConfig::parse
pub fn parse_command_oracle<'a>(
    config: &crate::parse::command::CommandConfig,
    buf: &'a [u8],
) -> ParseResult<(crate::types::command::Command<'a>, usize)> {
    crate::parse::command::oracle::parse(config, buf)
}
