//! Runs one SMTP conversation through [`Device`] so that the linker keeps
//! everything a real firmware would: `llvm-size` on this binary is the
//! responder's footprint (plus a few bytes of vector table and panic loop).
#![no_std]
#![no_main]

use core::hint::black_box;
use smtp_wire_firmware::Device;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    halt()
}

/// Stops here (a real firmware would reset or sleep).
fn halt() -> ! {
    loop {
        core::hint::spin_loop();
    }
}

/// What a client sends, flight by flight (it waits for replies after EHLO,
/// DATA and the content); `black_box` keeps the compiler from evaluating
/// the conversation at build time.
static FLIGHTS: [&[u8]; 3] = [
    b"EHLO client.example\r\n",
    b"MAIL FROM:<a@b.example> SIZE=20\r\nRCPT TO:<alarm@panel.example>\r\nDATA\r\n",
    b"Subject: x\r\n\r\n..hi\r\n.\r\nQUIT\r\n",
];

/// The reset handler: the entry point of `link.x`.
// The one unsafe attribute of this probe: the linker needs the symbol's name.
#[unsafe(no_mangle)]
pub extern "C" fn reset() -> ! {
    let Ok(mut device) = Device::new("panel.example", "alarm") else {
        halt()
    };
    for flight in black_box(&FLIGHTS) {
        let mut rest = *flight;
        loop {
            let sent = black_box(device.tx_data()).len();
            device.tx_done(sent);
            if rest.is_empty() || device.is_closed() {
                break;
            }
            let n = device.receive(&rest[..rest.len().min(7)]);
            rest = &rest[n..];
        }
    }
    black_box(device.message());
    halt()
}
