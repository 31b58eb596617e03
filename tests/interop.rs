//! Live interop tests: real SMTP software against the `sink` and `send`
//! examples, and every recorded capture through `smtp-decode --json`.
//!
//! A plain `main` (harness = false) so that the peers run one after the other
//! and one summary line says what ran. Peers come from `.ci/install-peers`
//! (apt packages, Exim unpacked under `$SMTP_WIRE_PEERS`, aiosmtpd in a venv
//! there). A peer that is not installed is skipped and said so, except when
//! the `CI` variable is set: then a missing peer fails the run.
//!
//! Network rules: every server binds 127.0.0.1 on a port the kernel picks
//! (never 25/587), and no peer may look anything up in DNS. Their
//! configurations say so (`smtpd_peername_lookup = no`, `host_lookup =`,
//! explicit host names everywhere), and when the kernel allows it the whole
//! run happens inside `unshare --net --mount`, where only `lo` exists and
//! `/etc/resolv.conf` points at 127.0.0.1. Where that is refused, the server
//! peers that look up client names (Postfix smtpd, aiosmtpd) are not run.
//!
//! Every process is stopped by its PID by a guard, whatever happens, and every
//! wait is bounded in time.
//!
//! Arguments: scenario names to run only those (the default is all).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

type Outcome = Result<String, Failure>;
type Scenario = fn(&Ctx) -> Outcome;

enum Failure {
    Skip(String),
    Fail(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Fail(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure::Fail(message.to_string())
    }
}

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(Failure::Fail(format!($($fmt)+)));
        }
    };
}

const NETNS_ENV: &str = "SMTP_WIRE_INTEROP_NETNS";

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if std::env::var_os(NETNS_ENV).is_none()
        && let Some(status) = rerun_in_netns()
    {
        std::process::exit(status.code().unwrap_or(1));
    }
    let in_netns = std::env::var(NETNS_ENV).is_ok_and(|v| v == "1");
    let ctx = Ctx::new(in_netns);
    println!(
        "interop: CI={} network namespace={} peers={}",
        ctx.ci,
        if in_netns {
            "private (lo only)"
        } else {
            "host (unshare refused)"
        },
        ctx.peers.display()
    );
    let scenarios: [(&str, Scenario); 8] = [
        ("replay-captures", replay_captures),
        ("decode-client-side-only", decode_client_side_only),
        ("smtplib-to-sink", smtplib_to_sink),
        ("swaks-pipeline-to-sink", swaks_to_sink),
        ("exim-bdat-to-sink", exim_to_sink),
        ("send-bdat-to-postfix+postfix-to-sink", postfix_both_ways),
        ("send-data-to-aiosmtpd", send_to_aiosmtpd),
        ("sink-edge-cases", sink_edge_cases),
    ];
    let started = Instant::now();
    let (mut passed, mut skipped, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    for (name, scenario) in scenarios {
        if !args.is_empty() && !args.iter().any(|a| name.contains(a.as_str())) {
            continue;
        }
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| scenario(&ctx)).unwrap_or_else(|panic| {
            let text = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(Failure::Fail(format!("panicked: {text}")))
        });
        let secs = t.elapsed().as_secs_f64();
        match result {
            Ok(detail) => {
                println!("interop: {name}: ok ({secs:.1}s): {detail}");
                passed.push(name);
            }
            Err(Failure::Skip(reason)) if ctx.ci => {
                println!("interop: {name}: FAILED ({secs:.1}s): peer missing in CI: {reason}");
                failed.push(name);
            }
            Err(Failure::Skip(reason)) => {
                println!("interop: {name}: SKIPPED: {reason}");
                skipped.push(name);
            }
            Err(Failure::Fail(message)) => {
                println!("interop: {name}: FAILED ({secs:.1}s): {message}");
                failed.push(name);
            }
        }
    }
    println!(
        "interop summary: {} passed [{}], {} skipped [{}], {} failed [{}] in {:.1}s",
        passed.len(),
        passed.join(", "),
        skipped.len(),
        skipped.join(", "),
        failed.len(),
        failed.join(", "),
        started.elapsed().as_secs_f64()
    );
    if !failed.is_empty() {
        std::process::exit(1);
    }
}

/// Runs this binary again inside a private network and mount namespace, when
/// the kernel allows it. `None` when it does not.
fn rerun_in_netns() -> Option<ExitStatus> {
    let probe = Command::new("unshare")
        .args(["--net", "--mount", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        // Not in a namespace: NETNS_ENV stays unset, so `main` runs on the host.
        return None;
    }
    let resolv =
        std::env::temp_dir().join(format!("smtp-wire-interop-resolv-{}", std::process::id()));
    std::fs::write(
        &resolv,
        "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
    )
    .ok()?;
    let exe = std::env::current_exe().ok()?;
    let script = "ip link set lo up && mount --bind \"$RESOLV\" /etc/resolv.conf && exec \"$@\"";
    let status = Command::new("unshare")
        .args(["--net", "--mount", "--", "sh", "-c", script, "sh"])
        .arg(exe)
        .args(std::env::args_os().skip(1))
        .env(NETNS_ENV, "1")
        .env("RESOLV", &resolv)
        .status();
    let _ = std::fs::remove_file(&resolv);
    status.ok()
}

struct Ctx {
    ci: bool,
    in_netns: bool,
    peers: PathBuf,
    examples: PathBuf,
    data: PathBuf,
}

impl Ctx {
    fn new(in_netns: bool) -> Ctx {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        let peers = std::env::var_os("SMTP_WIRE_PEERS")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/opt/smtp-wire-peers"));
        // target/<profile>/deps/interop-HASH -> target/<profile>/examples
        let exe = std::env::current_exe().expect("current_exe");
        let examples = exe
            .parent()
            .and_then(Path::parent)
            .map(|p| p.join("examples"))
            .expect("target dir");
        Ctx {
            ci,
            in_netns,
            peers,
            examples,
            data: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"),
        }
    }

    /// An example binary; built by `cargo test --workspace` or
    /// `cargo build -p smtp-wire --examples`.
    fn example(&self, name: &str) -> Result<PathBuf, Failure> {
        let path = self.examples.join(name);
        ensure!(
            path.is_file(),
            "{} is missing: run `cargo build -p smtp-wire --examples` first",
            path.display()
        );
        Ok(path)
    }

    /// A peer program, or a skip.
    fn peer(&self, name: &str, path: PathBuf) -> Result<PathBuf, Failure> {
        if path.is_file() {
            Ok(path)
        } else {
            Err(Failure::Skip(format!(
                "{name} is not installed ({} missing; run .ci/install-peers)",
                path.display()
            )))
        }
    }

    /// Peers that look up client names run only inside the private namespace.
    fn need_netns(&self, name: &str) -> Result<(), Failure> {
        if self.in_netns {
            Ok(())
        } else {
            Err(Failure::Skip(format!(
                "{name} looks up client names and `unshare --net` is refused here"
            )))
        }
    }
}

/// A private temporary folder, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("smtp-wire-interop-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("SMTP_WIRE_INTEROP_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A process this test started; stopped by its PID when dropped: SIGTERM,
/// up to 5 s to exit, then SIGKILL.
struct Proc {
    name: String,
    child: Child,
}

impl Proc {
    fn spawn(name: &str, command: &mut Command) -> Result<Proc, Failure> {
        let child = command
            .spawn()
            .map_err(|err| Failure::Fail(format!("cannot start {name}: {err}")))?;
        Ok(Proc {
            name: name.to_string(),
            child,
        })
    }

    /// Waits for the process to exit by itself, at most `limit`.
    fn wait(&mut self, limit: Duration) -> Result<ExitStatus, Failure> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self
                .child
                .try_wait()
                .map_err(|e| Failure::Fail(e.to_string()))?
            {
                return Ok(status);
            }
            if Instant::now() > deadline {
                return Err(Failure::Fail(format!(
                    "{} did not finish within {limit:?}",
                    self.name
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A daemon that forks away from the process we started (Postfix's master):
/// stopped through the PID in its pid file when dropped, SIGTERM, up to 5 s,
/// then SIGKILL.
struct PidFileGuard(PathBuf);

impl Drop for PidFileGuard {
    fn drop(&mut self) {
        let Some(pid) = std::fs::read_to_string(&self.0)
            .ok()
            .and_then(|text| text.trim().parse::<u32>().ok())
        else {
            return;
        };
        let alive = || Path::new(&format!("/proc/{pid}")).exists();
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        if alive() {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

/// Runs a command to completion, bounded in time; returns (status, stdout, stderr).
fn run(
    name: &str,
    command: &mut Command,
    limit: Duration,
) -> Result<(ExitStatus, String, String), Failure> {
    let dir = TempDir::new(&format!("run-{}", name.replace(['/', ' '], "_")));
    let out_path = dir.path().join("stdout");
    let err_path = dir.path().join("stderr");
    let out = std::fs::File::create(&out_path).map_err(|e| Failure::Fail(e.to_string()))?;
    let err = std::fs::File::create(&err_path).map_err(|e| Failure::Fail(e.to_string()))?;
    command.stdout(out).stderr(err);
    if command.get_program() != "sh" {
        command.stdin(Stdio::null());
    }
    let mut proc = Proc::spawn(name, command)?;
    let status = proc.wait(limit);
    drop(proc);
    let stdout =
        String::from_utf8_lossy(&std::fs::read(&out_path).unwrap_or_default()).into_owned();
    let stderr =
        String::from_utf8_lossy(&std::fs::read(&err_path).unwrap_or_default()).into_owned();
    match status {
        Ok(status) => Ok((status, stdout, stderr)),
        Err(Failure::Fail(message)) => Err(Failure::Fail(format!(
            "{message}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        ))),
        Err(other) => Err(other),
    }
}

/// The `sink` example on 127.0.0.1 with a kernel-chosen port.
struct Sink {
    _proc: Proc,
    port: u16,
    dir: PathBuf,
    log: PathBuf,
}

impl Sink {
    fn start(ctx: &Ctx, tmp: &Path, extra: &[&str]) -> Result<Sink, Failure> {
        let dir = tmp.join("sink-messages");
        let log = tmp.join("sink.log");
        let mut proc = Proc::spawn(
            "sink",
            Command::new(ctx.example("sink")?)
                .args(["--listen", "127.0.0.1:0", "--dir"])
                .arg(&dir)
                .args(extra)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(std::fs::File::create(&log).map_err(|e| Failure::Fail(e.to_string()))?),
        )?;
        let stdout = proc.child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| Failure::Fail("sink did not start within 10 s".into()))?;
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| Failure::Fail(format!("sink said {line:?}")))?;
        ensure!(line.contains("127.0.0.1:"), "sink bound {line:?}");
        Ok(Sink {
            _proc: proc,
            port,
            dir,
            log,
        })
    }

    /// Waits for message `n` (1-based), at most `limit`; returns (envelope, content).
    fn message(&self, n: usize, limit: Duration) -> Result<(String, Vec<u8>), Failure> {
        let deadline = Instant::now() + limit;
        let eml = self.dir.join(format!("{n:06}.eml"));
        while !eml.is_file() {
            if Instant::now() > deadline {
                return Err(Failure::Fail(format!(
                    "message {n} did not reach the sink within {limit:?}; sink log:\n{}",
                    self.log_text()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let env = std::fs::read_to_string(self.dir.join(format!("{n:06}.env")))
            .map_err(|e| e.to_string())?;
        let content = std::fs::read(&eml).map_err(|e| e.to_string())?;
        Ok((env, content))
    }

    fn count(&self) -> usize {
        std::fs::read_dir(&self.dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
                    .count()
            })
            .unwrap_or(0)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A relayed copy of `sent`: the relay may add header fields (Received,
/// Message-Id, Date), but keeps ours and the body byte for byte.
fn relayed_intact(received: &[u8], sent: &str) -> bool {
    let Some((head, body)) = sent.split_once("\r\n\r\n") else {
        return false;
    };
    received.ends_with(format!("\r\n\r\n{body}").as_bytes())
        && head
            .split("\r\n")
            .all(|field| contains(received, format!("{field}\r\n").as_bytes()))
}

// ---------------------------------------------------------------------------
// Replay: every capture through smtp-decode --json

/// Errors that the captures contain on purpose, by capture: the scripted
/// error sessions (see `tests/data/captures/index.md`). Anything else is
/// unexpected.
fn expected_errors(prefix: &str) -> &'static [&'static str] {
    const COMMAND_ERRORS: [&str; 10] = [
        "missing-argument", // HELO / EHLO without argument
        "missing-argument",
        "invalid-sender-address", // MAIL without <>, unterminated <
        "invalid-sender-address",
        "invalid-recipient-address", // empty and <> RCPT
        "invalid-recipient-address",
        "invalid-syntax", // space after colon (strict)
        "line-too-long",  // the 1100- and 4200-octet lines
        "line-too-long",
        "nul", // NUL in a command
    ];
    match prefix {
        // EHLO and NOOP ended by bare LF, then a body with bare LF.
        "aiosmtpd/server.bare-lf" | "postfix/server.bare-lf" => {
            &["bare-lf", "bare-lf", "bare-lf-in-data"]
        }
        // 'BDAT 4 LAST FOO' and 'BDAT abc'.
        "postfix/server.bdat-errors" => &["invalid-syntax", "invalid-syntax"],
        "postfix/server.command-errors" => &COMMAND_ERRORS,
        // The same script; aiosmtpd answered differently, so one more line
        // after the NUL line is read as a command.
        "aiosmtpd/server.command-errors" => &[
            "missing-argument",
            "missing-argument",
            "invalid-sender-address",
            "invalid-sender-address",
            "invalid-recipient-address",
            "invalid-recipient-address",
            "invalid-syntax",
            "line-too-long",
            "line-too-long",
            "nul",
            "nul",
        ],
        // NOTIFY=BOGUS.
        "postfix/server.dsn-utf8-size" => &["invalid-parameter-value"],
        // NOTIFY=BOGUS; then aiosmtpd (no DSN) refused MAIL and answered DATA
        // with 503, so the scripted client's body lines are commands, as
        // they were for aiosmtpd.
        "aiosmtpd/server.dsn-utf8-size" => &[
            "invalid-parameter-value",
            "invalid-command",
            "invalid-command",
            "invalid-command",
            "invalid-command",
            "invalid-command",
            "invalid-command",
            "invalid-command",
            "invalid-command",
            "invalid-command",
            "invalid-command",
            "invalid-command",
        ],
        // VRFY without an argument.
        "aiosmtpd/server.session-basics" | "postfix/server.session-basics" => &["missing-argument"],
        // '*' sent as a command.
        "postfix/server.auth" => &["invalid-command"],
        // aiosmtpd never answered the failed AUTH PLAIN (the .flow file shows
        // the recorder giving up after 3 s), so pairing replies with commands
        // is one reply off from there on: the 334 meant for AUTH LOGIN makes
        // the next command line read as AUTH data, and so on.
        "aiosmtpd/server.auth" => &[
            "invalid-base64",
            "invalid-command",
            "invalid-base64",
            "invalid-command",
        ],
        _ => &[],
    }
}

const KEYS: [(&str, &[&str]); 7] = [
    ("command", &["type", "offset", "len", "verb", "canonical"]),
    (
        "reply",
        &[
            "type", "offset", "len", "code", "enhanced", "lines", "class", "category",
        ],
    ),
    ("data", &["type", "offset", "len", "size", "body"]),
    ("chunk", &["type", "offset", "len", "last", "body"]),
    ("error", &["type", "offset", "len", "kind", "reply"]),
    ("incomplete", &["type", "offset", "len"]),
    ("auth-response", &["type", "offset", "len"]),
];

/// A JSON body: a string, or `{"hex": "..."}`.
fn json_bytes(value: &Value) -> Result<Vec<u8>, Failure> {
    if let Some(text) = value.as_str() {
        return Ok(text.as_bytes().to_vec());
    }
    let hex = value.get("hex").and_then(Value::as_str).ok_or_else(|| {
        Failure::Fail(format!("body is neither a string nor {{\"hex\"}}: {value}"))
    })?;
    ensure!(
        value.as_object().is_some_and(|o| o.len() == 1),
        "extra keys in {value}"
    );
    ensure!(
        std::str::from_utf8(&hex_decode(hex)).is_err(),
        "hex used for valid UTF-8"
    );
    Ok(hex_decode(hex))
}

fn hex_decode(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
        .collect()
}

/// Checks one JSON event against the schema and the input streams; returns
/// smtp-decode with only the client side: after an AUTH the server
/// evidently refused (the next line is a command, not base64), that line is
/// decoded as the command it is.
fn decode_client_side_only(ctx: &Ctx) -> Outcome {
    let decode = ctx.example("smtp-decode")?;
    let c2s = ctx.data.join("captures/postfix/server.auth.c2s");
    let mut command = Command::new(&decode);
    command.arg("--json").arg("--client").arg(&c2s);
    let (status, stdout, stderr) = run("smtp-decode", &mut command, Duration::from_secs(20))?;
    ensure!(status.success(), "smtp-decode failed: {stderr}");
    let errors = stdout
        .lines()
        .filter(|l| l.contains(r#""type":"error""#))
        .count();
    let auth_plain = stdout
        .lines()
        .filter(|l| l.contains(r#""type":"command""#) && l.contains(r#""canonical":"AUTH PLAIN"#))
        .count();
    ensure!(errors == 0, "errors in a client-only decode:\n{stdout}");
    ensure!(
        auth_plain == 2,
        "AUTH PLAIN not decoded as a command twice:\n{stdout}"
    );
    Ok("AUTH BOGUS-MECH then AUTH PLAIN: the second line is a command, no base64 error".into())
}

/// the event.
fn check_event(
    line: &str,
    client: &[u8],
    server: &[u8],
    saw_client_end: bool,
) -> Result<Value, Failure> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON ({e}): {line}"))?;
    let object = value.as_object().ok_or(format!("not an object: {line}"))?;
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or(format!("no type: {line}"))?;
    let keys = KEYS
        .iter()
        .find(|(k, _)| *k == kind)
        .ok_or(format!("unknown type {kind}"))?
        .1;
    let have: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = keys.iter().copied().collect();
    ensure!(have == want, "{kind} keys {have:?}, want {want:?}: {line}");
    let offset = object["offset"].as_u64().ok_or("offset")? as usize;
    let len = object["len"].as_u64().ok_or("len")? as usize;
    let stream = match kind {
        "reply" => server,
        "error" | "incomplete" if saw_client_end => server,
        "error" if value["kind"].as_str().is_some_and(|k| k.contains("reply")) => server,
        _ => client,
    };
    ensure!(
        offset + len <= stream.len(),
        "{kind} runs past its stream: {line}"
    );
    let bytes = &stream[offset..offset + len];
    match kind {
        "command" => {
            let verb = object["verb"].as_str().ok_or("verb")?;
            let canonical = object["canonical"].as_str().ok_or("canonical")?;
            ensure!(
                canonical.starts_with(verb),
                "canonical {canonical:?} does not start with {verb}"
            );
            ensure!(
                bytes.ends_with(b"\n"),
                "command bytes do not end a line: {line}"
            );
            ensure!(!canonical.contains('\n'), "canonical holds a line end");
        }
        "reply" => {
            let code = object["code"].as_u64().ok_or("code")?;
            ensure!(
                bytes.starts_with(code.to_string().as_bytes()),
                "reply bytes do not start with {code}"
            );
            let lines = object["lines"].as_array().ok_or("lines")?;
            ensure!(
                !lines.is_empty() && lines.iter().all(Value::is_string),
                "lines: {line}"
            );
            match &object["enhanced"] {
                Value::Null => {}
                Value::String(esc) => {
                    let first = lines[0].as_str().unwrap_or("");
                    ensure!(
                        first.starts_with(esc.as_str()),
                        "enhanced {esc} not on the first line"
                    );
                }
                other => return Err(Failure::Fail(format!("enhanced is {other}"))),
            }
            let class = [
                "positive-completion",
                "positive-intermediate",
                "transient-negative",
                "permanent-negative",
            ][(code / 100 - 2) as usize];
            ensure!(object["class"] == class, "class of {code}: {line}");
            let category = [
                "syntax",
                "information",
                "connections",
                "unspecified",
                "unspecified",
                "mail-system",
            ][((code / 10) % 10) as usize];
            ensure!(
                category == "unspecified" || object["category"] == category,
                "category of {code}"
            );
        }
        "data" => {
            let body = json_bytes(&object["body"])?;
            ensure!(
                object["size"].as_u64() == Some(body.len() as u64),
                "size != body length"
            );
            ensure!(
                bytes.ends_with(b".\r\n"),
                "data does not end with the terminator"
            );
        }
        "chunk" => {
            let body = json_bytes(&object["body"])?;
            ensure!(
                body == bytes,
                "chunk body differs from the input at its offset"
            );
            ensure!(object["last"].is_boolean(), "last");
        }
        "error" => {
            let reply = object["reply"].as_object().ok_or("reply")?;
            let keys: BTreeSet<&str> = reply.keys().map(String::as_str).collect();
            ensure!(
                keys == BTreeSet::from(["code", "enhanced", "text"]),
                "error reply keys {keys:?}"
            );
            ensure!(
                reply["code"].is_u64()
                    && reply["enhanced"].is_string()
                    && reply["text"].is_string(),
                "{line}"
            );
            ensure!(len > 0, "error skips nothing");
        }
        _ => {}
    }
    Ok(value)
}

fn replay_captures(ctx: &Ctx) -> Outcome {
    let decode = ctx.example("smtp-decode")?;
    let root = ctx.data.join("captures");
    let prefixes = smtp_wire_tests::capture_prefixes();
    ensure!(
        prefixes.len() >= 40,
        "only {} captures found",
        prefixes.len()
    );
    let (mut events_total, mut messages_checked) = (0usize, 0usize);
    for prefix in &prefixes {
        let c2s = root.join(format!("{prefix}.c2s"));
        let s2c = root.join(format!("{prefix}.s2c"));
        let client = std::fs::read(&c2s).map_err(|e| e.to_string())?;
        let server = std::fs::read(&s2c).map_err(|e| e.to_string())?;
        let mut command = Command::new(&decode);
        command.arg("--json").arg("--client").arg(&c2s);
        if !server.is_empty() {
            command.arg("--server").arg(&s2c);
        }
        let (status, stdout, stderr) = run("smtp-decode", &mut command, Duration::from_secs(20))?;
        ensure!(status.success(), "{prefix}: smtp-decode failed: {stderr}");
        let mut errors = Vec::new();
        let mut messages: Vec<Vec<u8>> = Vec::new();
        let mut open_bdat: Option<Vec<u8>> = None;
        let mut saw_client_end = false;
        for line in stdout.lines() {
            let event =
                check_event(line, &client, &server, saw_client_end).map_err(|f| match f {
                    Failure::Fail(m) => Failure::Fail(format!("{prefix}: {m}")),
                    other => other,
                })?;
            events_total += 1;
            match event["type"].as_str() {
                Some("error") => errors.push(event["kind"].as_str().unwrap_or("").to_string()),
                Some("incomplete") => saw_client_end = true,
                Some("data") => messages.push(json_bytes(&event["body"])?),
                Some("chunk") => {
                    let part = json_bytes(&event["body"])?;
                    open_bdat
                        .get_or_insert_with(Vec::new)
                        .extend_from_slice(&part);
                    if event["last"] == true {
                        messages.extend(open_bdat.take());
                    }
                }
                _ => {}
            }
        }
        let expected = expected_errors(prefix);
        ensure!(
            errors == expected,
            "{prefix}: errors {errors:?}, expected {expected:?}\n{stdout}"
        );
        for (i, message) in messages.iter().enumerate() {
            let path = root.join(format!("{prefix}.msg{}", i + 1));
            if let Ok(want) = std::fs::read(&path) {
                ensure!(
                    *message == want,
                    "{prefix}: message {} differs from {}",
                    i + 1,
                    path.display()
                );
                messages_checked += 1;
            }
        }
        let msg_files = std::fs::read_dir(root.join(prefix.split('/').next().unwrap_or("")))
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let base = prefix.rsplit('/').next().unwrap_or("");
                name.strip_prefix(base)
                    .is_some_and(|rest| rest.starts_with(".msg"))
            })
            .count();
        ensure!(
            msg_files <= messages.len(),
            "{prefix}: {msg_files} .msg files but {} messages decoded",
            messages.len()
        );
    }
    ensure!(
        messages_checked >= 3,
        "only {messages_checked} messages compared"
    );
    Ok(format!(
        "{} captures, {events_total} JSON events schema-checked, {messages_checked} decoded messages equal their .msgN files",
        prefixes.len()
    ))
}

// ---------------------------------------------------------------------------
// smtplib -> sink

const SMTPLIB_SCRIPT: &str = r#"
import smtplib, sys
port = int(sys.argv[1])
plain = open(sys.argv[2], 'rb').read()
utf8 = open(sys.argv[3], 'rb').read()
s = smtplib.SMTP('127.0.0.1', port, local_hostname='smtplib.test', timeout=20)
refused = s.sendmail('alice@smtplib.test',
                     ['bob@example.test', 'reject-me@example.test', 'carol@example.net'],
                     plain,
                     mail_options=['RET=HDRS', 'ENVID=QQ314159', 'BODY=8BITMIME'],
                     rcpt_options=['NOTIFY=SUCCESS,FAILURE'])
print('refused', sorted(refused.items()))
refused = s.sendmail('älice@exämple.test', ['bøb@exämple.test'], utf8, mail_options=['SMTPUTF8', 'BODY=8BITMIME'])
print('refused', sorted(refused.items()))
s.quit()
print('done')
"#;

fn smtplib_to_sink(ctx: &Ctx) -> Outcome {
    let python = ctx.peer("python3", PathBuf::from("/usr/bin/python3"))?;
    let tmp = TempDir::new("smtplib");
    let sink = Sink::start(ctx, tmp.path(), &[])?;
    let plain: &[u8] = b"From: <alice@smtplib.test>\r\nTo: <bob@example.test>\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n \r\nlast line \xc3\xa9\r\n";
    let utf8 = "From: <älice@exämple.test>\r\nSubject: ünïcode\r\n\r\n.Grüße\r\n".as_bytes();
    std::fs::write(tmp.path().join("plain.eml"), plain).map_err(|e| e.to_string())?;
    std::fs::write(tmp.path().join("utf8.eml"), utf8).map_err(|e| e.to_string())?;
    let (status, stdout, stderr) = run(
        "smtplib",
        Command::new(python)
            .arg("-c")
            .arg(SMTPLIB_SCRIPT)
            .arg(sink.port.to_string())
            .arg(tmp.path().join("plain.eml"))
            .arg(tmp.path().join("utf8.eml")),
        Duration::from_secs(60),
    )?;
    ensure!(
        status.success(),
        "smtplib failed: {stdout}{stderr}\nsink log:\n{}",
        sink.log_text()
    );
    ensure!(
        stdout.contains("refused [('reject-me@example.test', (550, b'5.1.1 <reject-me@example.test>: Recipient address rejected'))]"),
        "smtplib output: {stdout}"
    );
    let (env, content) = sink.message(1, Duration::from_secs(10))?;
    ensure!(
        content == plain,
        "message 1 is not byte-exact: {:?}",
        String::from_utf8_lossy(&content)
    );
    ensure!(
        env.starts_with("MAIL FROM:<alice@smtplib.test> SIZE=")
            && env.contains("RET=HDRS ENVID=QQ314159"),
        "envelope: {env}"
    );
    ensure!(
        env.contains("RCPT TO:<bob@example.test> NOTIFY=SUCCESS,FAILURE\nRCPT TO:<carol@example.net> NOTIFY=SUCCESS,FAILURE\nvia DATA"),
        "envelope: {env}"
    );
    let (env, content) = sink.message(2, Duration::from_secs(10))?;
    ensure!(content == utf8, "message 2 is not byte-exact");
    ensure!(
        env.contains("MAIL FROM:<älice@exämple.test>") && env.contains("SMTPUTF8"),
        "envelope: {env}"
    );
    ensure!(
        env.contains("RCPT TO:<bøb@exämple.test>"),
        "envelope: {env}"
    );
    Ok("2 messages (3 RCPTs, 1 refused 550 5.1.1; DSN RET/ENVID/NOTIFY; SMTPUTF8; dot-leading lines) stored byte-exact".into())
}

// ---------------------------------------------------------------------------
// swaks --pipeline -> sink

fn swaks_to_sink(ctx: &Ctx) -> Outcome {
    let swaks = ctx.peer("swaks", PathBuf::from("/usr/bin/swaks"))?;
    let tmp = TempDir::new("swaks");
    let sink = Sink::start(ctx, tmp.path(), &[])?;
    // No final newline: swaks adds CRLF before the terminating dot.
    let data = "From: <alice@swaks.test>\nTo: <bob@example.test>\nSubject: swaks pipeline\n\n.one dot\n..two dots\n.\nend";
    let file = tmp.path().join("data.eml");
    std::fs::write(&file, data).map_err(|e| e.to_string())?;
    let (status, stdout, stderr) = run(
        "swaks",
        Command::new(swaks)
            .args(["--server", "127.0.0.1", "--port"])
            .arg(sink.port.to_string())
            .args(["--helo", "swaks.test", "--from", "alice@swaks.test"])
            .args([
                "--to",
                "bob@example.test,reject-me@example.test,carol@example.net",
            ])
            .args(["--pipeline", "--timeout", "20"])
            .arg("--data")
            .arg(format!("@{}", file.display())),
        Duration::from_secs(60),
    )?;
    let transcript = format!("{stdout}{stderr}");
    ensure!(
        status.success(),
        "swaks failed ({status}): {transcript}\nsink log:\n{}",
        sink.log_text()
    );
    ensure!(
        transcript.contains("<** 550 5.1.1"),
        "no 550 for the rejected recipient: {transcript}"
    );
    // Pipelined: swaks sends MAIL, the RCPTs and DATA before reading a reply.
    let mail_at = transcript
        .find(" -> MAIL FROM")
        .ok_or("no MAIL in the transcript")?;
    let data_at = transcript
        .find(" -> DATA")
        .ok_or("no DATA in the transcript")?;
    let first_reply = transcript[mail_at..]
        .find("<- ")
        .map(|i| i + mail_at)
        .unwrap_or(usize::MAX);
    ensure!(
        data_at < first_reply,
        "swaks did not pipeline: {transcript}"
    );
    let (env, content) = sink.message(1, Duration::from_secs(10))?;
    let want = format!("{}\r\n", data.replace('\n', "\r\n"));
    ensure!(
        content == want.as_bytes(),
        "not byte-exact: {:?}",
        String::from_utf8_lossy(&content)
    );
    ensure!(
        env.contains("RCPT TO:<bob@example.test>\nRCPT TO:<carol@example.net>\nvia DATA"),
        "envelope: {env}"
    );
    Ok("MAIL/3 RCPT/DATA pipelined, 1 refused, dot-leading lines stored byte-exact".into())
}

// ---------------------------------------------------------------------------
// Exim smtp transport -> sink (BDAT)

fn exim_to_sink(ctx: &Ctx) -> Outcome {
    let exim = ctx.peer("exim", ctx.peers.join("exim/usr/sbin/exim4"))?;
    let tmp = TempDir::new("exim");
    let sink = Sink::start(ctx, tmp.path(), &[])?;
    let root = tmp.path().join("exim");
    for dir in ["spool", "log"] {
        std::fs::create_dir_all(root.join(dir)).map_err(|e| e.to_string())?;
    }
    let conf = root.join("exim.conf");
    std::fs::write(
        &conf,
        format!(
            "exim_path = {exim}
spool_directory = {root}/spool
log_file_path = {root}/log/%slog
pid_file_path = {root}/exim.pid
keep_environment =
primary_hostname = exim.test
qualify_domain = exim.test
host_lookup =
rfc1413_hosts =
rfc1413_query_timeout = 0s
disable_ipv6 = true
dns_retrans = 1s
dns_retry = 1
begin routers
# Bounces for the refused recipient go to the sender's own domain: drop them.
local_bounces:
  driver = redirect
  domains = exim.test
  data = :blackhole:
to_sink:
  driver = manualroute
  route_list = * 127.0.0.1
  self = send
  transport = to_sink_smtp
  no_more
begin transports
to_sink_smtp:
  driver = smtp
  port = {port}
  allow_localhost
  hosts_avoid_tls = *
  hosts_try_chunking = *
  helo_data = exim.test
begin retry
*   *   F,1h,1m
",
            exim = exim.display(),
            root = root.display(),
            port = sink.port
        ),
    )
    .map_err(|e| e.to_string())?;
    // The spool and log belong to Exim's user; the configuration stays root's.
    for dir in ["spool", "log"] {
        let _ = Command::new("chown")
            .args(["-R", "Debian-exim:"])
            .arg(root.join(dir))
            .status();
    }
    let small = "From: <alice@exim.test>\r\nTo: <bob@example.test>\r\nSubject: small\r\n\r\n.dot line\r\nsmall body\r\n";
    let mut big =
        String::from("From: <alice@exim.test>\r\nTo: <bob@example.test>\r\nSubject: big\r\n\r\n");
    for i in 0..400 {
        big.push_str(&format!(
            "{i:04} .line of the big message, long enough to need two chunks\r\n"
        ));
    }
    let mut chunk_counts = Vec::new();
    for (n, message) in [small, big.as_str()].iter().enumerate() {
        let file = tmp.path().join(format!("msg{n}.eml"));
        std::fs::write(&file, message).map_err(|e| e.to_string())?;
        let (status, stdout, stderr) = run(
            "exim",
            Command::new("sh").arg("-c").arg(format!(
                "exec \"{}\" -C \"{}\" -odi -oi -f alice@exim.test bob@example.test reject-me@example.test < \"{}\"",
                exim.display(),
                conf.display(),
                file.display()
            )),
            Duration::from_secs(60),
        )?;
        let mainlog = std::fs::read_to_string(root.join("log/mainlog")).unwrap_or_default();
        ensure!(
            status.success(),
            "exim failed ({status}): {stdout}{stderr}\nmainlog:\n{mainlog}\nsink log:\n{}",
            sink.log_text()
        );
        let (env, content) = sink
            .message(n + 1, Duration::from_secs(20))
            .map_err(|f| match f {
                Failure::Fail(m) => Failure::Fail(format!("{m}\nexim mainlog:\n{mainlog}")),
                other => other,
            })?;
        // Exim adds its Received header (and Message-Id, Date); the rest is ours.
        ensure!(
            relayed_intact(&content, message),
            "message {} does not end with what was submitted: {:?}",
            n + 1,
            String::from_utf8_lossy(&content)
        );
        ensure!(
            content.starts_with(b"Received: from "),
            "no Received header"
        );
        let chunks: usize = env
            .lines()
            .find_map(|l| l.strip_prefix("via BDAT "))
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| {
                Failure::Fail(format!("message {} did not come with BDAT: {env}", n + 1))
            })?;
        ensure!(
            env.contains("RCPT TO:<bob@example.test>\n"),
            "envelope: {env}"
        );
        ensure!(
            !env.contains("reject-me"),
            "rejected recipient in the envelope: {env}"
        );
        chunk_counts.push(chunks);
    }
    ensure!(
        chunk_counts[0] == 1,
        "small message in {} chunks",
        chunk_counts[0]
    );
    ensure!(
        chunk_counts[1] >= 2,
        "big message in {} chunk(s)",
        chunk_counts[1]
    );
    let log = sink.log_text();
    ensure!(
        log.contains("C: BDAT ") && log.contains(" LAST"),
        "sink log has no BDAT LAST"
    );
    Ok(format!(
        "small message in BDAT {} chunk, {} octet message in {} chunks; refused recipient 550; content intact",
        chunk_counts[0],
        big.len(),
        chunk_counts[1]
    ))
}

// ---------------------------------------------------------------------------
// send -> Postfix smtpd (BDAT), then Postfix smtp client -> sink (DATA)

fn free_port() -> Result<u16, Failure> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn wait_port(port: u16, limit: Duration) -> Result<(), Failure> {
    let deadline = Instant::now() + limit;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    while std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err() {
        ensure!(
            Instant::now() < deadline,
            "nothing listens on 127.0.0.1:{port} after {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

fn postfix_both_ways(ctx: &Ctx) -> Outcome {
    let postfix = ctx.peer("postfix", PathBuf::from("/usr/sbin/postfix"))?;
    ctx.need_netns("Postfix smtpd")?;
    let send = ctx.example("send")?;
    let tmp = TempDir::new("postfix");
    let sink = Sink::start(ctx, tmp.path(), &[])?;
    let etc = tmp.path().join("etc");
    let run_dir = tmp.path().join("run");
    std::fs::create_dir_all(&etc).map_err(|e| e.to_string())?;
    for dir in ["data", "spool"] {
        std::fs::create_dir_all(run_dir.join(dir)).map_err(|e| e.to_string())?;
    }
    let _ = Command::new("chown")
        .arg("postfix:")
        .arg(run_dir.join("data"))
        .status();
    let port = free_port()?;
    let master =
        std::fs::read_to_string("/etc/postfix/master.cf").map_err(|e| format!("master.cf: {e}"))?;
    let master = master.replacen(
        "smtp      inet  n       -       y       -       -       smtpd",
        &format!("127.0.0.1:{port} inet  n       -       n       -       -       smtpd"),
        1,
    );
    ensure!(
        master.contains(&format!("127.0.0.1:{port} inet")),
        "master.cf has no smtpd line to move"
    );
    std::fs::write(etc.join("master.cf"), master).map_err(|e| e.to_string())?;
    let main = format!(
        "compatibility_level = 3.6
queue_directory = {run}/spool
data_directory = {run}/data
maillog_file = {run}/postfix.log
maillog_file_prefixes = {run}
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = postfix.test
mydomain = postfix.test
myorigin = $myhostname
mydestination =
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:{sink}
defer_transports = smtp
local_transport = error:5.1.1 local delivery disabled
alias_maps =
alias_database =
smtp_dns_support_level = disabled
disable_dns_lookups = yes
smtp_host_lookup = native
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtpd_peername_lookup = no
smtpd_forbid_bare_newline = normalize
smtpd_banner = $myhostname ESMTP Postfix
smtpd_error_sleep_time = 0s
smtpd_recipient_restrictions = check_recipient_access inline:{{ {{postfix-reject@example.test = 550 5.1.1 No such user here}} }}
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtputf8_enable = yes
biff = no
delay_warning_time = 0h
",
        run = run_dir.display(),
        sink = sink.port
    );
    std::fs::write(etc.join("main.cf"), main).map_err(|e| e.to_string())?;
    let postconf = |args: &[&str]| -> Result<String, Failure> {
        let (status, out, err) = run(
            "postconf",
            Command::new("/usr/sbin/postconf")
                .arg("-c")
                .arg(&etc)
                .args(args),
            Duration::from_secs(20),
        )?;
        ensure!(status.success(), "postconf {args:?}: {err}");
        Ok(out)
    };
    let version = postconf(&["-h", "mail_version"])?;
    let (status, out, err) = run(
        "postfix check",
        Command::new(&postfix).arg("-c").arg(&etc).arg("check"),
        Duration::from_secs(60),
    )?;
    ensure!(status.success(), "postfix check: {out}{err}");
    // `postfix start-fg` runs postfix-script, which starts the master as its
    // child: stop the master itself by the PID it records.
    let _master_pid = PidFileGuard(run_dir.join("spool/pid/master.pid"));
    let _master = Proc::spawn(
        "postfix master",
        Command::new(&postfix)
            .arg("-c")
            .arg(&etc)
            .arg("start-fg")
            .stdin(Stdio::null())
            .stdout(
                std::fs::File::create(tmp.path().join("postfix.out")).map_err(|e| e.to_string())?,
            )
            .stderr(Stdio::null()),
    )?;
    let postfix_log = || std::fs::read_to_string(run_dir.join("postfix.log")).unwrap_or_default();
    wait_port(port, Duration::from_secs(20)).map_err(|f| match f {
        Failure::Fail(m) => Failure::Fail(format!("{m}\n{}", postfix_log())),
        other => other,
    })?;

    // send -> Postfix smtpd: Postfix offers CHUNKING, so BDAT.
    let body = "From: <alice@send.test>\r\nTo: <bob@example.test>\r\nSubject: via postfix\r\n\r\n.a dot-leading line\r\nbody \u{e9}t\u{e9}\r\n";
    let file = tmp.path().join("msg.eml");
    std::fs::write(&file, body).map_err(|e| e.to_string())?;
    let (status, out, err) = run(
        "send",
        Command::new(&send)
            .arg("--server")
            .arg(format!("127.0.0.1:{port}"))
            .args([
                "--from",
                "alice@send.test",
                "--to",
                "bob@example.test",
                "--to",
                "postfix-reject@example.test",
            ])
            .args(["--envid", "E1", "--file"])
            .arg(&file),
        Duration::from_secs(60),
    )?;
    ensure!(
        status.success(),
        "send to Postfix failed ({status}): {out}{err}\n{}",
        postfix_log()
    );
    ensure!(
        out.contains("   using: pipelining, BDAT, DSN parameters"),
        "send did not use pipelined BDAT: {out}"
    );
    ensure!(out.contains("C: BDAT ") && out.contains(" LAST"), "{out}");
    ensure!(out.contains("S: 220 postfix.test ESMTP Postfix"), "{out}");
    ensure!(
        out.contains("S: 250 2.1.0 Ok") && out.contains("S: 250 2.1.5 Ok"),
        "{out}"
    );
    ensure!(out.contains("S: 550 5.1.1 <postfix-reject@example.test>: Recipient address rejected: No such user here"), "{out}");
    ensure!(
        out.contains("5.1.1 Bad destination mailbox address"),
        "meaning missing: {out}"
    );
    let queued = out
        .lines()
        .find_map(|l| {
            l.strip_prefix("S: 250 2.0.0 Ok: ")
                .and_then(|l| l.split_once(" bytes queued as "))
        })
        .ok_or_else(|| Failure::Fail(format!("no 'queued as' reply: {out}")))?;
    ensure!(
        queued.0 == body.len().to_string(),
        "Postfix counted {} bytes, sent {}",
        queued.0,
        body.len()
    );
    let queue_id = queued.1.trim().to_string();
    // The queued message, as Postfix stores it.
    let (status, queued_text, err) = run(
        "postcat",
        Command::new("/usr/sbin/postcat")
            .arg("-c")
            .arg(&etc)
            .args(["-bh", "-q", &queue_id]),
        Duration::from_secs(20),
    )?;
    ensure!(status.success(), "postcat -q {queue_id}: {err}");
    ensure!(
        queued_text.contains("Subject: via postfix")
            && queued_text.contains(".a dot-leading line")
            && queued_text.contains("body été"),
        "queued message: {queued_text}"
    );

    // Postfix smtp client -> sink: flush the deferred queue.
    ensure!(sink.count() == 0, "delivered before the flush");
    let (status, _, err) = run(
        "postqueue",
        Command::new("/usr/sbin/postqueue")
            .arg("-c")
            .arg(&etc)
            .arg("-f"),
        Duration::from_secs(20),
    )?;
    ensure!(status.success(), "postqueue -f: {err}");
    let (env, content) = sink
        .message(1, Duration::from_secs(30))
        .map_err(|f| match f {
            Failure::Fail(m) => Failure::Fail(format!("{m}\npostfix log:\n{}", postfix_log())),
            other => other,
        })?;
    ensure!(
        relayed_intact(&content, body)
            && contains(&content, b"by postfix.test (Postfix) with ESMTP id"),
        "relayed message: {:?}",
        String::from_utf8_lossy(&content)
    );
    ensure!(
        env.ends_with("via DATA\n"),
        "Postfix's client should use DATA: {env}"
    );
    ensure!(
        env.contains("ENVID=E1") && env.contains("RET=HDRS") && env.contains("BODY=8BITMIME"),
        "envelope: {env}"
    );
    ensure!(
        env.contains(
            "RCPT TO:<bob@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.test"
        ),
        "envelope: {env}"
    );
    ensure!(sink.log_text().contains("C: DATA"), "sink saw no DATA");
    Ok(format!(
        "Postfix {}: send pipelined MAIL/2 RCPT/BDAT LAST, got 550 5.1.1 and '250 2.0.0 Ok: {} bytes queued as {queue_id}', postcat shows the message; Postfix relayed it to the sink with DATA and DSN parameters",
        version.trim(),
        body.len()
    ))
}

// ---------------------------------------------------------------------------
// send -> aiosmtpd (DATA)

const AIOSMTPD_SCRIPT: &str = r#"
import asyncio, os, sys
from aiosmtpd.smtp import SMTP
out = sys.argv[1]
class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if 'reject' in address:
            return '550 5.1.1 No such user'
        envelope.rcpt_tos.append(address)
        return '250 2.1.5 OK'
    async def handle_DATA(self, server, session, envelope):
        with open(os.path.join(out, 'message.eml'), 'wb') as f:
            f.write(envelope.original_content)
        with open(os.path.join(out, 'envelope.txt'), 'w') as f:
            f.write(envelope.mail_from + '\n' + '\n'.join(envelope.rcpt_tos) + '\n')
        return '250 2.0.0 Message accepted'
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(Handler(), hostname='aiosmtpd.test', ident='aiosmtpd', enable_SMTPUTF8=True),
        '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())
"#;

fn send_to_aiosmtpd(ctx: &Ctx) -> Outcome {
    let python = ctx.peer("aiosmtpd (venv)", ctx.peers.join("venv/bin/python"))?;
    ctx.need_netns("aiosmtpd")?;
    let send = ctx.example("send")?;
    let tmp = TempDir::new("aiosmtpd");
    let mut server = Proc::spawn(
        "aiosmtpd",
        Command::new(&python)
            .arg("-c")
            .arg(AIOSMTPD_SCRIPT)
            .arg(tmp.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(
                std::fs::File::create(tmp.path().join("aiosmtpd.log"))
                    .map_err(|e| e.to_string())?,
            ),
    )?;
    let stdout = server.child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(20)).map_err(|_| {
        Failure::Fail(format!(
            "aiosmtpd did not start: {}",
            std::fs::read_to_string(tmp.path().join("aiosmtpd.log")).unwrap_or_default()
        ))
    })?;
    let port: u16 = line
        .trim()
        .parse()
        .map_err(|_| format!("aiosmtpd said {line:?}"))?;
    let (_, version, _) = run(
        "aiosmtpd version",
        Command::new(&python).args(["-c", "import aiosmtpd; print(aiosmtpd.__version__)"]),
        Duration::from_secs(20),
    )?;
    let body = "From: <alice@send.test>\r\nSubject: to aiosmtpd\r\n\r\n.dot-leading\r\n..two\r\n.\r\nend\r\n";
    let file = tmp.path().join("msg.eml");
    std::fs::write(&file, body).map_err(|e| e.to_string())?;
    let (status, out, err) = run(
        "send",
        Command::new(&send)
            .arg("--server")
            .arg(format!("127.0.0.1:{port}"))
            .args([
                "--from",
                "alice@send.test",
                "--to",
                "bob@example.test",
                "--to",
                "reject-me@example.test",
                "--file",
            ])
            .arg(&file),
        Duration::from_secs(60),
    )?;
    ensure!(
        status.success(),
        "send to aiosmtpd failed ({status}): {out}{err}"
    );
    ensure!(
        out.contains("C: DATA") && !out.contains("C: BDAT"),
        "send should use DATA: {out}"
    );
    ensure!(out.contains("S: 354 "), "{out}");
    ensure!(out.contains("S: 550 5.1.1 No such user"), "{out}");
    ensure!(out.contains("S: 250 2.0.0 Message accepted"), "{out}");
    let content = std::fs::read(tmp.path().join("message.eml")).map_err(|e| e.to_string())?;
    ensure!(
        content == body.as_bytes(),
        "aiosmtpd got {:?}",
        String::from_utf8_lossy(&content)
    );
    let envelope =
        std::fs::read_to_string(tmp.path().join("envelope.txt")).map_err(|e| e.to_string())?;
    ensure!(
        envelope == "alice@send.test\nbob@example.test\n",
        "envelope {envelope:?}"
    );
    drop(server);
    Ok(format!(
        "aiosmtpd {}: DATA with dot-stuffing, 1 of 2 recipients refused 550 5.1.1, content byte-exact",
        version.trim()
    ))
}

// ---------------------------------------------------------------------------
// The sink's own rules, over a raw socket: sequence, SIZE, BDAT draining.

fn sink_edge_cases(ctx: &Ctx) -> Outcome {
    let tmp = TempDir::new("edge");
    let sink = Sink::start(ctx, tmp.path(), &["--max-size", "100"])?;
    let mut stream =
        std::net::TcpStream::connect(("127.0.0.1", sink.port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    // Three pipelined groups (RFC 2920): each ends with a command the
    // client must wait on (EHLO, DATA) or with the content's end.
    let mut chunks = b"RCPT TO:<x@y.test>\r\nMAIL FROM:<a@b.test> SIZE=1000\r\n\
MAIL FROM:<a@b.test>\r\nRCPT TO:<reject@y.test>\r\nBDAT 5\r\nxxxxxBDAT 3 LAST\r\nyyyRSET\r\n\
MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nBDAT 200 LAST\r\n"
        .to_vec();
    chunks.extend(std::iter::repeat_n(b'z', 200));
    chunks.extend_from_slice(b"MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n");
    let groups: [(&[u8], usize); 4] = [
        (b"", 1),
        (b"MAIL FROM:<a@b.test>\r\nEHLO raw.test\r\n", 2),
        (&chunks, 13),
        (b".hi\r\n.\r\nQUIT\r\n", 2),
    ];
    let mut codes = Vec::new();
    let mut replies = String::new();
    let mut pending = Vec::new();
    for (group, want) in groups {
        stream.write_all(group).map_err(|e| e.to_string())?;
        let mut got = 0;
        while got < want {
            let mut byte = [0u8; 4096];
            let n = std::io::Read::read(&mut stream, &mut byte).map_err(|e| e.to_string())?;
            ensure!(n > 0, "connection closed after {codes:?}\n{replies}");
            pending.extend_from_slice(&byte[..n]);
            while let Some(lf) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=lf).collect();
                let line = String::from_utf8_lossy(&line).into_owned();
                replies.push_str(&line);
                if line.as_bytes().get(3) == Some(&b' ') {
                    codes.push(line[..3].to_string());
                    got += 1;
                }
            }
        }
    }
    let want = [
        "220", "503", "250", "503", "552", "250", "550", "554", "503", "250", "250", "250", "552",
        "250", "250", "354", "250", "221",
    ];
    ensure!(codes == want, "codes {codes:?}, want {want:?}\n{replies}");
    let (_, content) = sink.message(1, Duration::from_secs(5))?;
    ensure!(content == b"hi\r\n", "content {content:?}");
    Ok(
        "503 sequence, 552 SIZE, 554 + drained chunks, 552 oversized BDAT drained, then DATA works"
            .into(),
    )
}
