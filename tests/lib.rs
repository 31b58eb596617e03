//! Shared helpers for the integration tests: capture loading and a client
//! stream walker that drives the command parser the way a server would.

use std::path::PathBuf;

use smtp_wire::auth::{AuthResponse, InitialResponse};
use smtp_wire::{Command, CommandConfig, Encode, Error, Status};

/// The bytes of a file under `tests/data/`.
pub fn data(path: &str) -> Vec<u8> {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(path);
    std::fs::read(&full).unwrap_or_else(|err| panic!("{}: {err}", full.display()))
}

/// Every capture prefix under `tests/data/captures`, such as `postfix/client.smtputf8`.
pub fn capture_prefixes() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/captures");
    let mut prefixes = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|ext| ext == "c2s") {
                let rel = file.strip_prefix(&root).unwrap().with_extension("");
                prefixes.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    prefixes.sort();
    prefixes
}

/// What a server sees in a client stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A command, as its canonical encoding.
    Command(Vec<u8>),
    /// An AUTH exchange line.
    AuthResponse,
    /// A message body or BDAT chunk, as raw bytes (still dot-stuffed for DATA).
    Content(Vec<u8>),
    /// A rejected line: the error and the line's bytes.
    Error(Error, Vec<u8>),
    /// Bytes left at the end that do not complete an item.
    Incomplete(Vec<u8>),
}

/// The reply codes of a server byte stream, one per (possibly multi-line)
/// reply. A deliberately naive splitter, independent of the crate's reply
/// parser: a reply ends at a line whose fourth byte is not `-`.
pub fn naive_reply_codes(stream: &[u8]) -> Vec<u16> {
    let mut codes = Vec::new();
    for line in stream.split(|&b| b == b'\n').filter(|line| line.len() >= 3) {
        if line.get(3) != Some(&b'-') {
            let code = std::str::from_utf8(&line[..3])
                .ok()
                .and_then(|c| c.parse().ok());
            codes.push(code.unwrap_or(0));
        }
    }
    codes
}

/// Walks a client byte stream the way a server would: commands, AUTH
/// continuation lines, DATA bodies and BDAT chunks.
///
/// `replies` are the server's reply codes in order (see
/// [`naive_reply_codes`]); they decide whether DATA got 354 and whether an
/// AUTH exchange goes on. With no replies, DATA is taken to get 354 and
/// AUTH LOGIN to ask for two lines. Bodies are cut with a naive search for
/// CRLF.CRLF, which is right for the captures (the body decoders have their
/// own tests).
pub fn walk_client_stream(config: &CommandConfig, stream: &[u8], replies: &[u16]) -> Vec<Event> {
    let scripted = !replies.is_empty();
    let mut replies = replies.iter().copied();
    let mut next_reply = move || replies.next();
    if scripted {
        next_reply(); // the greeting
    }
    let mut events = Vec::new();
    let mut rest = stream;
    let mut auth_lines = 0usize;
    let mut accepted_rcpts = 0usize;
    while !rest.is_empty() {
        if auth_lines > 0 {
            auth_lines -= 1;
            match config.parse_auth_response(rest) {
                Ok(Status::Complete((response, used))) => {
                    events.push(Event::AuthResponse);
                    rest = &rest[used..];
                    let reply = next_reply();
                    if response == AuthResponse::Cancel || (scripted && reply != Some(334)) {
                        auth_lines = 0;
                    } else if scripted {
                        auth_lines = 1;
                    }
                }
                Ok(Status::Partial) => break,
                Err(err) => {
                    events.push(Event::Error(err, rest[..err.skip()].to_vec()));
                    rest = &rest[err.skip()..];
                    next_reply();
                }
            }
            continue;
        }
        match config.parse(rest) {
            Ok(Status::Complete((command, used))) => {
                events.push(Event::Command(command.encode_to_vec()));
                rest = &rest[used..];
                if let Command::Bdat { size, .. } = command {
                    // The chunk follows at once, whatever the reply (RFC 3030 §2).
                    let size = usize::try_from(size).unwrap().min(rest.len());
                    events.push(Event::Content(rest[..size].to_vec()));
                    rest = &rest[size..];
                }
                let reply = next_reply();
                match command {
                    Command::Mail(_) | Command::Rset => accepted_rcpts = 0,
                    Command::Rcpt(_) if reply.is_some_and(|code| code / 100 == 2) => {
                        accepted_rcpts += 1
                    }
                    Command::Data if !scripted || reply == Some(354) => {
                        // A body that starts with the terminator line is empty.
                        let end = if rest.starts_with(b".\r\n") {
                            Some(3)
                        } else {
                            find(rest, b"\r\n.\r\n").map(|at| at + 5)
                        };
                        let Some(end) = end else { break };
                        events.push(Event::Content(rest[..end].to_vec()));
                        rest = &rest[end..];
                        // PRDR (Exim): 353, one reply per recipient, then the final one.
                        if next_reply() == Some(353) {
                            for _ in 0..=accepted_rcpts {
                                next_reply();
                            }
                        }
                    }
                    Command::Auth(_) if scripted => {
                        auth_lines = usize::from(reply == Some(334));
                    }
                    // RFC 4954: LOGIN asks for two lines, PLAIN without an
                    // initial response for one.
                    Command::Auth(auth) if auth.initial_response.is_none() => {
                        auth_lines = if auth.mechanism.is("LOGIN") { 2 } else { 1 };
                    }
                    Command::Auth(auth)
                        if auth.initial_response == Some(InitialResponse::Empty) =>
                    {
                        auth_lines = 1;
                    }
                    _ => {}
                }
            }
            Ok(Status::Partial) => break,
            Err(err) => {
                let skip = err.skip().min(rest.len());
                events.push(Event::Error(err, rest[..skip].to_vec()));
                rest = &rest[skip..];
                if err.needs_resync() {
                    match smtp_wire::command::skip_line(rest) {
                        Status::Complete(n) => rest = &rest[n..],
                        Status::Partial => rest = &[],
                    }
                }
                next_reply();
            }
        }
    }
    if !rest.is_empty() {
        events.push(Event::Incomplete(rest.to_vec()));
    }
    events
}

/// The first position of `needle` in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// A global allocator that counts the allocations each thread makes, for the
/// zero-allocation tests (tests run in parallel, so the count is per thread).
/// Each test binary that needs it declares:
///
/// ```
/// #[global_allocator]
/// static ALLOCATOR: smtp_wire_tests::CountingAllocator = smtp_wire_tests::CountingAllocator;
///
/// fn main() {
///     let (buf, allocations) = smtp_wire_tests::counted(|| vec![0u8; 8]);
///     assert_eq!((buf.len(), allocations), (8, 1));
/// }
/// ```
pub struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

// SAFETY: forwards every call unchanged to the system allocator.
unsafe impl std::alloc::GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
}

/// The allocations this thread has made so far (counted only where
/// [`CountingAllocator`] is the global allocator).
pub fn allocations() -> usize {
    ALLOCATIONS.with(std::cell::Cell::get)
}

/// Runs `f` and returns its result with the allocations it made on this
/// thread (counted only where [`CountingAllocator`] is the global allocator).
pub fn counted<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(std::cell::Cell::get);
    let result = f();
    (result, ALLOCATIONS.with(std::cell::Cell::get) - before)
}
