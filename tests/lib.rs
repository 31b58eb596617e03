//! Shared helpers for the integration tests: capture loading, a client
//! stream walker on a passive server session, and a counting allocator.

use std::path::PathBuf;

use smtp_wire::auth::{AuthResponse, InitialResponse};
use smtp_wire::body::ContentPolicy;
use smtp_wire::reply::ReplyCode;
use smtp_wire::session::{ServerConfig, ServerEvent, ServerSession};
use smtp_wire::{Command, CommandConfig, DataConfig, Encode, Error};

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

/// Walks a client byte stream the way a server would (commands, AUTH
/// continuation lines, DATA bodies and BDAT chunks), with a passive
/// [`ServerSession`] that follows the server's reply codes.
///
/// `replies` are the server's reply codes in order (see
/// [`naive_reply_codes`]); they decide whether DATA got 354 and whether an
/// AUTH exchange goes on. With no replies, every command gets what lets the
/// client go on: 354 for DATA, and for AUTH LOGIN two 334s. Content is
/// cut at its end, not judged (every content policy is `Accept`).
pub fn walk_client_stream(config: &CommandConfig, stream: &[u8], replies: &[u16]) -> Vec<Event> {
    let scripted = !replies.is_empty();
    let mut replies = replies.iter().copied();
    if scripted {
        replies.next(); // the greeting
    }
    // Content is cut, not judged here: the body decoders have their own tests.
    let mut data = DataConfig::new();
    data.all_policies(ContentPolicy::Accept);
    let mut passive = ServerConfig::passive();
    passive.commands(*config).data(data);
    let mut session = ServerSession::new(passive);
    session.reply_sent(ReplyCode::SERVICE_READY);
    let mut events = Vec::new();
    let mut offset = 0;
    // Where the content being read (DATA or a BDAT chunk) started.
    let mut content: Option<usize> = None;
    let mut auth_lines = 0usize;
    let mut accepted_rcpts = 0usize;
    loop {
        let rest = &stream[offset..];
        let (event, used) = session.decode(rest);
        let start = offset;
        offset += used;
        let Some(event) = event else { break };
        let mut reply = |default: u16| {
            if scripted {
                replies.next().unwrap_or(0)
            } else {
                default
            }
        };
        let code = match event {
            ServerEvent::Command(command) => {
                events.push(Event::Command(command.encode_to_vec()));
                let default = match command {
                    Command::Data => 354,
                    Command::Auth(auth) => {
                        auth_lines = match auth.initial_response {
                            None if auth.mechanism.is("LOGIN") => 2,
                            None | Some(InitialResponse::Empty) => 1,
                            Some(_) => 0,
                        };
                        if auth_lines > 0 { 334 } else { 235 }
                    }
                    _ => 250,
                };
                let code = reply(default);
                match command {
                    Command::Mail(_) | Command::Rset => accepted_rcpts = 0,
                    Command::Rcpt(_) if code / 100 == 2 => accepted_rcpts += 1,
                    Command::Data if code == 354 => content = Some(offset),
                    _ => {}
                }
                Some(code)
            }
            ServerEvent::AuthResponse(response) => {
                events.push(Event::AuthResponse);
                auth_lines = auth_lines.saturating_sub(1);
                let default = if response == AuthResponse::Cancel {
                    501
                } else if auth_lines > 0 {
                    334
                } else {
                    235
                };
                Some(reply(default))
            }
            ServerEvent::Bdat { size, last } => {
                events.push(Event::Command(Command::Bdat { size, last }.encode_to_vec()));
                content = Some(offset);
                None
            }
            ServerEvent::ChunkEnd(_) => {
                events.push(Event::Content(
                    stream[content.take().unwrap_or(offset)..offset].to_vec(),
                ));
                Some(reply(250))
            }
            ServerEvent::MessageEnd(_) => {
                events.push(Event::Content(
                    stream[content.take().unwrap_or(offset)..offset].to_vec(),
                ));
                let code = reply(250);
                // PRDR (Exim): 353, one reply per recipient, then the final one.
                if code == 353 {
                    for _ in 0..=accepted_rcpts {
                        reply(250);
                    }
                }
                Some(code)
            }
            ServerEvent::Error(err) => {
                let from = content.take().unwrap_or(start);
                events.push(Event::Error(err, stream[from..offset].to_vec()));
                reply(500);
                None
            }
            ServerEvent::Body(_) | ServerEvent::BodyRejected(_) => None,
            _ => break,
        };
        if let Some(code) = code.and_then(|code| ReplyCode::new(code).ok()) {
            session.reply_sent(code);
        }
    }
    if offset < stream.len() {
        let from = content.unwrap_or(offset);
        events.push(Event::Incomplete(stream[from..].to_vec()));
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
