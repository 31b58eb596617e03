//! The blocking client against the `sink` example server and against the
//! policy filter, on loopback: DATA and BDAT, pipelined or not.
//!
//! `sink` is a binary of the `smtp-wire-tests` package, which this package
//! cannot name with `CARGO_BIN_EXE_*`: the test builds it with the cargo
//! that runs the tests, into the same target directory, and runs it from
//! there.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use smtp_wire::ehlo::Extension;
use smtp_wire::session::{Answered, ClientConfig, ServerConfig};
use smtp_wire_downstream::client::{Envelope, send};
use smtp_wire_downstream::{Filter, Message, Policy, serve};

const CONTENT: &[u8] = b"From: <alice@example.org>\r\nSubject: loopback\r\n\r\n\
.one dot\r\n..\r\n.\r\nlast\r\n";

const TO: &[&str] = &[
    "bob@example.net",
    "reject-me@example.net",
    "carol@example.net",
];

fn envelope() -> Envelope<'static> {
    Envelope {
        helo: "client.example",
        from: "alice@example.org",
        to: TO,
        content: CONTENT,
    }
}

/// The `sink` binary, built once per test run.
fn sink_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // This test runs from <target>/<profile>/deps/.
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().and_then(Path::parent).unwrap();
        let target_dir = profile_dir.parent().unwrap();
        let mut build = Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()));
        build
            .args(["build", "--quiet", "-p", "smtp-wire-tests", "--bin", "sink"])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build.status().expect("run cargo");
        assert!(
            status.success(),
            "cargo build -p smtp-wire-tests --bin sink"
        );
        let binary = profile_dir.join(format!("sink{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.is_file(), "{} was not built", binary.display());
        binary
    })
}

/// A running `sink`, killed when dropped.
struct Sink {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Sink {
    fn start() -> Sink {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "smtp-wire-downstream-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = Command::new(sink_binary())
            .args(["--listen", "127.0.0.1:0", "--dir"])
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The first line says where it listens.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("sink starts");
        let port = line.trim().rsplit(':').next().unwrap().parse().unwrap();
        Sink { child, port, dir }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    /// The first stored message: its envelope file and its content.
    fn stored(&self) -> (String, Vec<u8>) {
        let env = std::fs::read_to_string(self.dir.join("000001.env")).unwrap();
        let eml = std::fs::read(self.dir.join("000001.eml")).unwrap();
        (env, eml)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn codes(replies: &[(Answered, u16)]) -> Vec<u16> {
    replies.iter().map(|(_, code)| *code).collect()
}

#[test]
fn bdat_to_the_sink() {
    let sink = Sink::start();
    let replies = send(sink.connect(), ClientConfig::new(), &envelope()).unwrap();
    // The sink refuses recipients containing "reject".
    assert_eq!(codes(&replies), [220, 250, 250, 250, 550, 250, 250, 221]);
    assert_eq!(replies[6].0, Answered::Message { recipient: 0 });
    let (env, eml) = sink.stored();
    assert_eq!(eml, CONTENT);
    assert_eq!(
        env,
        format!(
            "MAIL FROM:<alice@example.org> SIZE={}\nRCPT TO:<bob@example.net>\n\
             RCPT TO:<carol@example.net>\nvia BDAT 1 chunks\n",
            CONTENT.len()
        )
    );
}

#[test]
fn data_to_the_sink() {
    let sink = Sink::start();
    let mut config = ClientConfig::new();
    config.chunking(false);
    let replies = send(sink.connect(), config, &envelope()).unwrap();
    assert_eq!(
        codes(&replies),
        [220, 250, 250, 250, 550, 250, 354, 250, 221]
    );
    let (env, eml) = sink.stored();
    assert_eq!(
        eml, CONTENT,
        "dot-stuffed by the client, un-stuffed by the sink"
    );
    assert!(env.ends_with("via DATA\n"), "{env}");
}

/// A stream that keeps what each read returned.
struct Recorded {
    stream: TcpStream,
    reads: Vec<Vec<u8>>,
}

impl Read for Recorded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.stream.read(buf)?;
        self.reads.push(buf[..n].to_vec());
        Ok(n)
    }
}

impl Write for Recorded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

/// What the client got, what the filter stored, and what each of the
/// filter's reads returned.
type Outcome = (Vec<u16>, Vec<Message>, Vec<Vec<u8>>);

/// Runs the filter on a loopback listener for one connection.
fn through_filter(server: ServerConfig, client: ClientConfig) -> Outcome {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let policy = Policy {
        hostname: "mx.example.org".into(),
        deny_domains: vec!["EXAMPLE.NET".into()],
        max_message_size: 10_000,
    };
    let mut filter = Filter::with_config(policy, server).unwrap();
    let thread = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut stream = Recorded {
            stream,
            reads: Vec::new(),
        };
        serve(&mut stream, &mut filter).unwrap();
        (filter.stored().to_vec(), stream.reads)
    });
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let to = ["bob@example.org", "eve@example.net", "carol@example.org"];
    let envelope = Envelope {
        to: &to,
        ..envelope()
    };
    let replies = send(stream, client, &envelope).unwrap();
    let (stored, reads) = thread.join().unwrap();
    (codes(&replies), stored, reads)
}

fn expected_message() -> Vec<Message> {
    vec![Message {
        sender: "alice@example.org".into(),
        recipients: vec!["bob@example.org".into(), "carol@example.org".into()],
        content: CONTENT.to_vec(),
    }]
}

#[test]
fn data_and_bdat_through_the_filter() {
    let mut data = ClientConfig::new();
    data.chunking(false);
    let (codes, stored, _) = through_filter(ServerConfig::new(), data);
    assert_eq!(codes, [220, 250, 250, 250, 550, 250, 354, 250, 221]);
    assert_eq!(stored, expected_message());

    let (codes, stored, reads) = through_filter(ServerConfig::new(), ClientConfig::new());
    assert_eq!(codes, [220, 250, 250, 250, 550, 250, 250, 221]);
    assert_eq!(stored, expected_message());
    // Pipelined: MAIL, the three RCPTs and BDAT LAST with its chunk went in
    // one write, QUIT in another, so the filter read those five commands
    // in fewer than five reads (one, unless loopback cut the write).
    let mail = reads.iter().position(|r| r.starts_with(b"MAIL")).unwrap();
    let quit = reads.iter().position(|r| r.ends_with(b"QUIT\r\n")).unwrap();
    assert!(quit - mail < 5, "{} reads", quit - mail + 1);
}

#[test]
fn without_pipelining_the_client_waits_for_each_reply() {
    // A server without PIPELINING: the session makes the client read each
    // reply before it sends the next command, so no read of the server's
    // holds more than one command line.
    let mut server = ServerConfig::new();
    server.extensions(server.advertised().without(Extension::Pipelining));
    for chunking in [false, true] {
        let mut client = ClientConfig::new();
        client.chunking(chunking);
        let (codes, stored, reads) = through_filter(server, client);
        let expected: &[u16] = match chunking {
            false => &[220, 250, 250, 250, 550, 250, 354, 250, 221],
            true => &[220, 250, 250, 250, 550, 250, 250, 221],
        };
        assert_eq!(codes, expected);
        assert_eq!(stored, expected_message(), "chunking {chunking}");
        for read in &reads {
            let lines = read.windows(2).filter(|w| w == b"\r\n").count();
            let command = read.starts_with(b"MAIL") || read.starts_with(b"RCPT");
            assert!(
                !command || lines == 1,
                "{:?}",
                String::from_utf8_lossy(read)
            );
        }
    }
}

#[test]
fn every_recipient_refused() {
    // DATA or BDAT LAST was pipelined behind the RCPTs; the session answers
    // it 554 (no valid recipients) and nothing is stored.
    let listener_policy = |client: ClientConfig| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let policy = Policy {
            hostname: "mx.example.org".into(),
            deny_domains: vec!["example.net".into()],
            max_message_size: 10_000,
        };
        let mut filter = Filter::new(policy).unwrap();
        let thread = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            serve(stream, &mut filter).unwrap();
            filter.stored().to_vec()
        });
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let replies = send(stream, client, &envelope()).unwrap();
        (codes(&replies), thread.join().unwrap())
    };
    let mut data = ClientConfig::new();
    data.chunking(false);
    for client in [data, ClientConfig::new()] {
        let (codes, stored) = listener_policy(client);
        assert_eq!(codes, [220, 250, 250, 550, 550, 550, 554, 221]);
        assert!(stored.is_empty());
    }
}

#[test]
fn a_refused_greeting_ends_with_quit() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.write_all(b"554 5.3.2 No service\r\n").unwrap();
        let mut line = [0u8; 6];
        stream.read_exact(&mut line).unwrap();
        stream.write_all(b"221 2.0.0 Bye\r\n").unwrap();
        line
    });
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let replies = send(stream, ClientConfig::new(), &envelope()).unwrap();
    assert_eq!(replies, [(Answered::Greeting, 554), (Answered::Quit, 221)]);
    assert_eq!(&server.join().unwrap(), b"QUIT\r\n");
}
