//! The example servers (`sink`, threads; `tokio-sink`, tokio) against a
//! hostile client on loopback: bodies and chunks far past the size limit,
//! content sent before the 354, SMTP smuggling, recipient floods, error
//! floods; then a load test of `tokio-sink`. Memory is read from
//! `/proc/PID/status` (`VmHWM`, the peak resident set).
//!
//! Both servers run on the crate's `ServerSession`, which drains what it
//! refuses as it arrives; these tests show it from the outside.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A server process, killed on drop.
struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Sink,
    TokioSink,
}

const KINDS: [Kind; 2] = [Kind::Sink, Kind::TokioSink];

/// The size limit both servers get: 32 MiB.
const LIMIT: u64 = 32 << 20;

impl Server {
    fn start(kind: Kind, extra: &[&str]) -> Server {
        // Tests run in parallel: each server gets a directory of its own, or
        // one test's clean-up would delete another server's files.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "smtp-wire-hostile-{kind:?}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let binary = match kind {
            Kind::Sink => env!("CARGO_BIN_EXE_sink"),
            Kind::TokioSink => env!("CARGO_BIN_EXE_tokio-sink"),
        };
        let mut child = Command::new(binary)
            .args([
                "--listen",
                "127.0.0.1:0",
                "--max-size",
                &LIMIT.to_string(),
                "--dir",
            ])
            .arg(&dir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("server start");
        let port = line.trim().rsplit(':').next().unwrap().parse().unwrap();
        Server { child, port, dir }
    }

    fn connect(&self) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut client = Client {
            stream,
            pending: Vec::new(),
        };
        assert_eq!(client.reply().0, 220);
        client
    }

    /// The peak resident set of the server, in kB.
    fn peak_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// The stored messages (`.eml` files, not the temporary ones).
    fn messages(&self) -> Vec<Vec<u8>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    fn message(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(name)).unwrap()
    }
}

struct Client {
    stream: TcpStream,
    pending: Vec<u8>,
}

impl Client {
    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    /// One whole reply: its code and its last line; code 0 at the end of
    /// the connection.
    fn reply(&mut self) -> (u16, String) {
        loop {
            if let Some(lf) = self.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=lf).collect();
                let line = String::from_utf8_lossy(&line).trim_end().to_owned();
                if line.as_bytes().get(3) == Some(&b'-') {
                    continue;
                }
                return (line[..3].parse().unwrap(), line);
            }
            let mut buf = [0u8; 65536];
            match self.stream.read(&mut buf) {
                Ok(0) | Err(_) => return (0, String::new()),
                Ok(n) => self.pending.extend_from_slice(&buf[..n]),
            }
        }
    }

    fn expect(&mut self, code: u16) -> String {
        let (got, line) = self.reply();
        assert_eq!(got, code, "{line}");
        line
    }

    fn hello(&mut self) {
        self.send(b"EHLO hostile.example\r\n");
        self.expect(250);
    }
}

/// Lines of text, written in pieces of 64 KiB until `total` octets.
fn stream_text(client: &mut Client, total: u64) {
    let line = b"The quick brown fox jumps over the lazy dog, again and again.\r\n";
    let piece: Vec<u8> = line
        .iter()
        .copied()
        .cycle()
        .take(line.len() * 1024)
        .collect();
    let mut sent = 0u64;
    while sent < total {
        client.send(&piece);
        sent += piece.len() as u64;
    }
}

#[test]
fn a_body_far_past_the_limit_is_drained_not_buffered() {
    for kind in KINDS {
        let server = Server::start(kind, &[]);
        let mut client = server.connect();
        client.hello();
        client.send(b"MAIL FROM:<a@hostile.example>\r\nRCPT TO:<b@sink.example>\r\nDATA\r\n");
        client.expect(250);
        client.expect(250);
        client.expect(354);
        let started = Instant::now();
        stream_text(&mut client, 600 << 20);
        client.send(b".\r\n");
        client.expect(552);
        // The next command is read as one: the session is in sync.
        client.send(b"NOOP\r\n");
        client.expect(250);
        let peak = server.peak_kb();
        println!(
            "{kind:?}: 600 MiB body against a 32 MiB limit: peak RSS {peak} kB, {:.1} s",
            started.elapsed().as_secs_f64()
        );
        assert!(peak < 24 * 1024, "{kind:?}: peak RSS {peak} kB");
        assert!(server.messages().is_empty());
    }
}

#[test]
fn a_huge_chunk_is_drained_as_it_arrives() {
    for kind in KINDS {
        let server = Server::start(kind, &[]);
        let mut client = server.connect();
        client.hello();
        client.send(b"MAIL FROM:<a@hostile.example>\r\nRCPT TO:<b@sink.example>\r\n");
        client.expect(250);
        client.expect(250);
        client.send(b"BDAT 9223372036854775808\r\n");
        stream_text(&mut client, 1 << 30);
        let peak = server.peak_kb();
        println!("{kind:?}: 1 GiB of a 2^63-octet chunk: peak RSS {peak} kB");
        assert!(peak < 24 * 1024, "{kind:?}: peak RSS {peak} kB");
        assert!(server.messages().is_empty());
    }
}

#[test]
fn content_sent_before_the_354_is_never_stored() {
    for kind in KINDS {
        for rcpt in ["<bad address>", "<b@sink.example>"] {
            let server = Server::start(kind, &[]);
            let mut client = server.connect();
            client.hello();
            // DATA and a "message" made of commands, in one write: the
            // client did not wait for the 354.
            let script = format!(
                "MAIL FROM:<a@hostile.example>\r\nRCPT TO:{rcpt}\r\nDATA\r\n\
                 MAIL FROM:<evil@hostile.example>\r\nRCPT TO:<victim@sink.example>\r\nDATA\r\n\
                 Subject: smuggled\r\n\r\nsmuggled\r\n.\r\n"
            );
            client.send(script.as_bytes());
            client.reply(); // MAIL
            client.reply(); // RCPT (refused or not)
            let (code, line) = client.reply();
            assert_eq!(code, 554, "{kind:?} {rcpt}: {line}");
            assert!(line.contains("5.5.0"), "{line}");
            assert_eq!(client.reply().0, 0, "the connection is closed");
            assert!(
                server.messages().is_empty(),
                "{kind:?} {rcpt}: a message was stored"
            );
        }
    }
}

#[test]
fn smuggling_variants_store_no_second_message() {
    let variants: [&[u8]; 8] = [
        b"\n.\n",
        b"\n.\r\n",
        b"\r.\r",
        b"\r\n.\r",
        b"\r\n.\n",
        b"\r\n.\r\r\n",
        b"\r\n\x00.\r\n",
        b"\r\n.\x00\r\n",
    ];
    for kind in KINDS {
        let server = Server::start(kind, &[]);
        for variant in variants {
            let mut client = server.connect();
            client.hello();
            client.send(b"MAIL FROM:<a@hostile.example>\r\nRCPT TO:<b@sink.example>\r\nDATA\r\n");
            client.expect(250);
            client.expect(250);
            client.expect(354);
            let mut body = b"Subject: first\r\n\r\nfirst".to_vec();
            body.extend_from_slice(variant);
            body.extend_from_slice(
                b"MAIL FROM:<evil@hostile.example>\r\nRCPT TO:<victim@sink.example>\r\nDATA\r\n\
                  Subject: smuggled\r\n\r\nsmuggled\r\n.\r\n",
            );
            client.send(&body);
            // One end only, the real one: refused for its bare CR/LF or NUL.
            let (code, line) = client.reply();
            assert_eq!(code, 550, "{kind:?} {variant:?}: {line}");
            client.send(b"QUIT\r\n");
            client.expect(221);
        }
        let stored = server.messages();
        assert!(
            stored.is_empty(),
            "{kind:?}: {} messages stored",
            stored.len()
        );
    }
}

#[test]
fn a_recipient_flood_gets_452_after_the_limit() {
    for kind in KINDS {
        let server = Server::start(kind, &[]);
        let mut client = server.connect();
        client.hello();
        let mut script = b"MAIL FROM:<a@hostile.example>\r\n".to_vec();
        for i in 0..10_000 {
            script.extend_from_slice(format!("RCPT TO:<r{i}@sink.example>\r\n").as_bytes());
        }
        client.send(&script);
        client.expect(250);
        for i in 0..10_000 {
            let (code, line) = client.reply();
            let want = if i < 100 { 250 } else { 452 };
            assert_eq!(code, want, "{kind:?}: RCPT {i}: {line}");
        }
        client.send(b"QUIT\r\n");
        client.expect(221);
    }
}

#[test]
fn an_error_flood_gets_421() {
    for kind in KINDS {
        let server = Server::start(kind, &[]);
        let mut client = server.connect();
        client.hello();
        let script = b"MAIL FROM:<no-closing-bracket\r\n".repeat(10_000);
        client.send(&script);
        let mut codes = Vec::new();
        loop {
            let (code, _) = client.reply();
            if code == 0 {
                break;
            }
            codes.push(code);
        }
        // The default limit is 20 errors: each is answered, then 421.
        assert_eq!(codes.len(), 21, "{kind:?}: {codes:?}");
        assert!(codes[..20].iter().all(|&c| c == 501), "{kind:?}: {codes:?}");
        assert_eq!(codes[20], 421);
    }
}

/// A message of about `size` octets with lines that need dot-stuffing.
fn message(conn: usize, n: usize, size: usize) -> Vec<u8> {
    let mut out = format!("Subject: load {conn}.{n}\r\n\r\n").into_bytes();
    let mut i = 0;
    while out.len() < size {
        let line = match i % 7 {
            0 => format!(".dot line {i}\r\n"),
            1 => "..\r\n".to_string(),
            _ => format!("line {i} of message {conn}.{n}: some ordinary text to fill it\r\n"),
        };
        out.extend_from_slice(line.as_bytes());
        i += 1;
    }
    out
}

fn dot_stuffed(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 64);
    for line in content.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b".") {
            out.push(b'.');
        }
        out.extend_from_slice(line);
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// One connection: 20 messages, alternating DATA and BDAT (in one or
/// three chunks), pipelined; returns (stored name, content) for each.
fn load_connection(port: u16, conn: usize) -> Vec<(String, Vec<u8>)> {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut client = Client {
        stream,
        pending: Vec::new(),
    };
    client.expect(220);
    client.hello();
    let mut stored = Vec::new();
    for n in 0..20 {
        let content = message(conn, n, 200 + (conn * 7919 + n * 104_729) % 60_000);
        client.send(
            format!("MAIL FROM:<c{conn}@load.example>\r\nRCPT TO:<m{n}@sink.example>\r\n")
                .as_bytes(),
        );
        let queued = if n % 2 == 0 {
            client.send(b"DATA\r\n");
            client.expect(250);
            client.expect(250);
            client.expect(354);
            client.send(&dot_stuffed(&content));
            client.expect(250)
        } else {
            let cuts = [0, content.len() / 3, content.len() * 2 / 3, content.len()];
            let chunks = if n % 4 == 1 { 1 } else { 3 };
            let mut wire = Vec::new();
            for c in 0..chunks {
                let (from, to) = if chunks == 1 {
                    (0, content.len())
                } else {
                    (cuts[c], cuts[c + 1])
                };
                let last = if c + 1 == chunks { " LAST" } else { "" };
                wire.extend_from_slice(format!("BDAT {}{last}\r\n", to - from).as_bytes());
                wire.extend_from_slice(&content[from..to]);
            }
            client.send(&wire);
            client.expect(250);
            client.expect(250);
            for _ in 1..chunks {
                client.expect(250);
            }
            client.expect(250)
        };
        let name = queued.rsplit(' ').next().unwrap().to_string();
        stored.push((name, content));
    }
    client.send(b"QUIT\r\n");
    client.expect(221);
    stored
}

#[test]
fn load_200_connections_of_20_messages() {
    let server = Server::start(Kind::TokioSink, &[]);
    let port = server.port;
    let started = Instant::now();
    let threads: Vec<_> = (0..200)
        .map(|conn| std::thread::spawn(move || load_connection(port, conn)))
        .collect();
    let mut sent = Vec::new();
    for thread in threads {
        sent.extend(thread.join().unwrap());
    }
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(300), "took {elapsed:?}");
    let peak = server.peak_kb();
    let bytes: usize = sent.iter().map(|(_, c)| c.len()).sum();
    println!(
        "tokio-sink load: {} messages ({:.1} MB) over 200 connections in {:.2} s: {:.0} messages/s, peak RSS {peak} kB",
        sent.len(),
        bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        sent.len() as f64 / elapsed.as_secs_f64()
    );
    assert_eq!(sent.len(), 4000);
    let mut lost = 0;
    let mut corrupted = 0;
    for (name, content) in &sent {
        if !Path::new(&server.dir).join(name).exists() {
            lost += 1;
        } else if server.message(name) != *content {
            corrupted += 1;
        }
    }
    assert_eq!((lost, corrupted), (0, 0));
    assert_eq!(server.messages().len(), 4000);
}
