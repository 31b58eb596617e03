//! Owned values on real traffic: every command and reply of every capture
//! becomes an owned value (by copying its line, or from its canonical
//! encoding with `into_owned`) that reads back equal after the buffer is
//! gone, and can cross to another thread.

use smtp_wire::owned::{OwnedCommand, OwnedReply};
use smtp_wire::{Command, CommandConfig, Encode, Reply, ReplyConfig, Status};
use smtp_wire_tests::{Event, capture_prefixes, data, walk_client_stream};

/// Every command of every client stream, as the server read it.
fn captured_commands() -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for prefix in capture_prefixes() {
        let stream = data(&format!("captures/{prefix}.c2s"));
        for event in walk_client_stream(&CommandConfig::new(), &stream, &[]) {
            if let Event::Command(line) = event {
                lines.push(line);
            }
        }
    }
    lines
}

/// Every whole reply of every server stream.
fn captured_replies() -> Vec<Vec<u8>> {
    let mut replies = Vec::new();
    for prefix in capture_prefixes() {
        let stream = data(&format!("captures/{prefix}.s2c"));
        let mut rest = &stream[..];
        while let Ok(Status::Complete((_, used))) = Reply::parse(rest) {
            replies.push(rest[..used].to_vec());
            rest = &rest[used..];
        }
    }
    replies
}

#[test]
fn captured_commands_outlive_their_buffer() {
    let lines = captured_commands();
    assert!(lines.len() > 300, "{} commands", lines.len());
    let config = CommandConfig::new();
    let mut owned: Vec<(OwnedCommand, OwnedCommand)> = Vec::new();
    for line in &lines {
        let buf = line.clone();
        let Ok(Status::Complete((command, used))) = config.parse(&buf) else {
            panic!("{line:?}")
        };
        let Ok(Status::Complete((copied, copied_used))) = OwnedCommand::copy_from(&buf, &config)
        else {
            panic!("{line:?}")
        };
        assert_eq!(copied_used, used);
        owned.push((command.into_owned(), copied));
        drop(buf);
    }
    // Read back on another thread, long after every read buffer is gone.
    let back = std::thread::spawn(move || {
        owned
            .iter()
            .map(|(encoded, copied)| {
                assert_eq!(encoded.command(), copied.command());
                assert_eq!(encoded.encode_to_vec(), copied.encode_to_vec());
                encoded.command().encode_to_vec()
            })
            .collect::<Vec<_>>()
    })
    .join()
    .unwrap();
    for (line, back) in lines.iter().zip(&back) {
        // The walker gave canonical encodings, so the owned value's is the same.
        assert_eq!(line, back, "{}", String::from_utf8_lossy(line));
    }
}

#[test]
fn captured_replies_outlive_their_buffer() {
    let replies = captured_replies();
    assert!(replies.len() > 300, "{} replies", replies.len());
    let config = ReplyConfig::new();
    let owned: Vec<(Vec<u8>, OwnedReply, OwnedReply)> = replies
        .iter()
        .map(|raw| {
            let buf = raw.clone();
            let Ok(Status::Complete((reply, _))) = config.parse(&buf) else {
                panic!("{raw:?}")
            };
            let Ok(Status::Complete((copied, _))) = OwnedReply::copy_from(&buf, &config) else {
                panic!("{raw:?}")
            };
            (reply.encode_to_vec(), reply.into_owned(), copied)
        })
        .collect();
    std::thread::spawn(move || {
        for (canonical, encoded, copied) in &owned {
            assert_eq!(encoded.reply(), copied.reply());
            assert_eq!(&encoded.encode_to_vec(), canonical);
            assert_eq!(encoded.as_bytes(), &canonical[..]);
            assert_eq!(
                encoded.ehlo().map(|e| e.summary()),
                copied.ehlo().map(|e| e.summary())
            );
        }
    })
    .join()
    .unwrap();
}

#[test]
fn into_owned_keeps_lines_past_the_default_limits() {
    // A built value may be longer than the default parser limits allow; its
    // owned form reads back all the same.
    let envid = "x".repeat(600);
    let mut mail = smtp_wire::command::MailFrom::new(smtp_wire::address::ReversePath::Null);
    mail.params.envid = Some(smtp_wire::param::XText::new(&envid).unwrap());
    let command = Command::from(mail);
    assert!(Command::parse(&command.encode_to_vec()).is_err());
    assert_eq!(command.into_owned().command(), command);
}
