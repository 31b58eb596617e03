//! The DATA reference shared by the tests (`tests/bodies.rs`) and the fuzz
//! targets (through `#[path]`): RFC 5321 §4.5.2 one line at a time, with
//! nothing shared with the library's decoder.

#![allow(unreachable_pub)]

/// Finds the next CRLF; the bytes before it are a line; a line of "." ends
/// the data; otherwise one leading "." is dropped and line + CRLF appended.
/// Returns the body read so far and, when the terminator was found, the
/// offset just past it.
pub fn unstuff(stream: &[u8]) -> (Vec<u8>, Option<usize>) {
    let mut body = Vec::new();
    let mut pos = 0;
    loop {
        let Some(crlf) = stream[pos..].windows(2).position(|w| w == b"\r\n") else {
            return (body, None);
        };
        let line = &stream[pos..pos + crlf];
        pos += crlf + 2;
        if line == b"." {
            return (body, Some(pos));
        }
        body.extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
        body.extend_from_slice(b"\r\n");
    }
}
