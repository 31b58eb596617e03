//! Host-side tests of the responder: the driver is simulated with `Vec`s.

extern crate std;

use std::string::String;
use std::vec::Vec;

use super::*;

type Small = Responder<600, 600, 64>;

/// Feeds `flights` (what a client sends before it waits for replies) in
/// reads of at most `read` bytes, sending every reply as it appears; returns
/// the replies.
fn run<const IN: usize, const OUT: usize, const MSG: usize>(
    device: &mut Responder<IN, OUT, MSG>,
    flights: &[&[u8]],
    read: usize,
) -> String {
    let mut sent = Vec::new();
    // Sending makes room, which lets buffered input be decoded: send
    // until nothing is left.
    let mut send = |device: &mut Responder<IN, OUT, MSG>| {
        while !device.tx_data().is_empty() {
            let out = device.tx_data().to_vec();
            sent.extend_from_slice(&out);
            device.tx_done(out.len());
        }
    };
    send(device);
    for flight in flights {
        for piece in flight.chunks(read) {
            let mut rest = piece;
            while !rest.is_empty() && !device.is_closed() {
                let n = device.receive(rest);
                rest = &rest[n..];
                send(device);
            }
        }
    }
    String::from_utf8(sent).unwrap()
}

const FLIGHTS: [&[u8]; 4] = [
    b"EHLO client.example\r\n",
    b"MAIL FROM:<sensor@client.example> SIZE=20\r\nRCPT TO:<ALARM@panel.example>\r\n\
      RCPT TO:<root@panel.example>\r\nDATA\r\n",
    b"Subject: fire\r\n\r\n..smoke\r\n.\r\n",
    b"QUIT\r\n",
];

#[test]
fn stores_one_message_however_it_is_read() {
    let mut first = None;
    for read in [1, 2, 7, 13, 64, 4096] {
        let mut device = Small::new("panel.example", "alarm").unwrap();
        let replies = run(&mut device, &FLIGHTS, read);
        assert_eq!(
            device.message(),
            Some(&b"Subject: fire\r\n\r\n.smoke\r\n"[..])
        );
        assert!(device.is_closed());
        match &first {
            None => first = Some(replies),
            Some(first) => assert_eq!(first, &replies, "read size {read}"),
        }
    }
    let replies = first.unwrap();
    assert_eq!(
        replies,
        "220 panel.example\r\n\
         250-panel.example\r\n250-PIPELINING\r\n250-SIZE 64\r\n250-8BITMIME\r\n\
         250-ENHANCEDSTATUSCODES\r\n250 CHUNKING\r\n\
         250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such mailbox here\r\n354 Go ahead\r\n\
         250 2.0.0 Stored\r\n221 2.0.0 Bye\r\n"
    );
}

#[test]
fn an_oversized_message_is_refused_and_not_stored() {
    let mut device = Small::new("panel.example", "alarm").unwrap();
    let body = [b'x'; 100];
    let mut content = Vec::from(&body[..]);
    content.extend_from_slice(b"\r\n.\r\n");
    let flights: [&[u8]; 4] = [
        FLIGHTS[0],
        b"MAIL FROM:<a@b.example>\r\nRCPT TO:<alarm@panel.example>\r\nDATA\r\n",
        &content,
        b"MAIL FROM:<a@b.example> SIZE=65\r\nQUIT\r\n",
    ];
    let replies = run(&mut device, &flights, 5);
    assert!(
        replies.ends_with(
            "354 Go ahead\r\n552 5.3.4 Message size exceeds fixed maximum message size\r\n\
             552 5.3.4 Message size exceeds fixed maximum message size\r\n221 2.0.0 Bye\r\n"
        ),
        "{replies}"
    );
    assert_eq!(device.message(), None);
}

#[test]
fn bdat_and_a_full_slot() {
    let mut device = Small::new("panel.example", "alarm").unwrap();
    let flights: [&[u8]; 3] = [
        FLIGHTS[0],
        b"MAIL FROM:<a@b.example>\r\nRCPT TO:<alarm@panel.example>\r\n\
          BDAT 3\r\nabcBDAT 2 LAST\r\nde\
          MAIL FROM:<a@b.example>\r\n",
        b"NOOP\r\n",
    ];
    let replies = run(&mut device, &flights, 3);
    assert!(
        replies.ends_with(
            "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Chunk received\r\n250 2.0.0 Stored\r\n\
             452 4.3.1 Message slot full, try again later\r\n250 2.0.0 Ok\r\n"
        ),
        "{replies}"
    );
    assert_eq!(device.message(), Some(&b"abcde"[..]));
    device.clear_message();
    assert_eq!(device.message(), None);
}

#[test]
fn output_backpressure_keeps_every_reply() {
    // 40 pipelined NOOP-like commands whose replies need more than OUT
    // octets: decoding waits for the driver to send.
    let mut device = Small::new("panel.example", "alarm").unwrap();
    let mut flight = Vec::new();
    flight.extend_from_slice(b"MAIL FROM:<a@b.example>\r\n");
    for _ in 0..40 {
        flight.extend_from_slice(b"RCPT TO:<nobody@panel.example>\r\n");
    }
    flight.extend_from_slice(b"RSET\r\n");
    let replies = run(&mut device, &[FLIGHTS[0], &flight], 4096);
    assert_eq!(replies.matches("550 5.1.1").count(), 40, "{replies}");
    assert!(replies.ends_with("250 2.0.0 Ok\r\n"));
}

#[test]
fn the_constants_are_what_they_say() {
    assert_eq!(NO_SUCH_MAILBOX.code(), ReplyCode::MAILBOX_UNAVAILABLE);
    assert_eq!(SLOT_FULL.enhanced(), EnhancedStatusCode::TEMP_SYSTEM_FULL);
    let mut buf = [0u8; 64];
    let n = NO_SUCH_MAILBOX.encode(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"550 5.1.1 No such mailbox here\r\n");
    assert_eq!(
        Device::new("not a host", "x").unwrap_err(),
        ErrorKind::InvalidReplyText
    );
}
