//! Canonical encoding of commands: upper-case verb, single spaces, CRLF.
//! Parameters are written in a fixed order, typed ones first.

use core::fmt;

use crate::encode::value::{put_display, put_host};
use crate::encode::{Sink, WriteTo, put_decimal};
use crate::types::command::{Auth, Command, InitialResponse, Lookup};
use crate::types::param::{MailParams, Notify, OtherParams, RcptParams};

fn put_param<S: Sink + ?Sized>(out: &mut S, keyword: &str, value: Option<&dyn fmt::Display>) {
    out.put(b" ");
    out.put(keyword.as_bytes());
    if let Some(value) = value {
        out.put(b"=");
        put_display(out, value);
    }
}

fn put_others<S: Sink + ?Sized>(out: &mut S, others: &OtherParams<'_>) {
    // The parser leaves the text empty when every parameter was typed.
    if others.raw().is_empty() {
        return;
    }
    for param in others.iter() {
        out.put(b" ");
        out.put(param.keyword().as_bytes());
        if let Some(value) = param.value() {
            out.put(b"=");
            out.put(value.as_bytes());
        }
    }
}

/// ` KEYWORD=value`, `prefix` being ` KEYWORD=`: values are validated when
/// made, so they are written as they are.
fn put_value<S: Sink + ?Sized>(out: &mut S, prefix: &[u8], value: &str) {
    out.put(prefix);
    out.put(value.as_bytes());
}

impl WriteTo for MailParams<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        if let Some(size) = self.size {
            out.put(b" SIZE=");
            put_decimal(out, size);
        }
        if let Some(body) = self.body {
            put_value(out, b" BODY=", body.as_str());
        }
        if self.smtputf8 {
            out.put(b" SMTPUTF8");
        }
        if let Some(ret) = self.ret {
            put_value(out, b" RET=", ret.as_str());
        }
        if let Some(envid) = self.envid {
            put_value(out, b" ENVID=", envid.as_str());
        }
        if let Some(auth) = self.auth {
            put_value(out, b" AUTH=", auth.xtext().as_str());
        }
        if let Some(priority) = self.mt_priority {
            put_param(out, "MT-PRIORITY", Some(&priority.get()));
        }
        if let Some(hold_for) = self.hold_for {
            out.put(b" HOLDFOR=");
            put_decimal(out, u64::from(hold_for));
        }
        if let Some(hold_until) = self.hold_until {
            put_value(out, b" HOLDUNTIL=", hold_until.as_str());
        }
        if let Some(by) = self.by {
            put_param(out, "BY", Some(&by));
        }
        if self.require_tls {
            out.put(b" REQUIRETLS");
        }
        if let Some(mtrk) = self.mtrk {
            put_param(out, "MTRK", Some(&mtrk));
        }
        if let Some(solicit) = self.solicit {
            put_value(out, b" SOLICIT=", solicit.as_str());
        }
        if let Some(transid) = self.transid {
            put_value(out, b" TRANSID=", transid.as_str());
        }
        if self.conperm {
            out.put(b" CONPERM");
        }
        put_others(out, &self.others);
    }
}

impl WriteTo for RcptParams<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        match self.notify {
            None => {}
            Some(Notify::Never) => out.put(b" NOTIFY=NEVER"),
            Some(Notify::On {
                success,
                failure,
                delay,
            }) => {
                out.put(b" NOTIFY=");
                let mut sep: &[u8] = b"";
                for (on, name) in [
                    (success, &b"SUCCESS"[..]),
                    (failure, b"FAILURE"),
                    (delay, b"DELAY"),
                ] {
                    if on {
                        out.put(sep);
                        out.put(name);
                        sep = b",";
                    }
                }
            }
        }
        if let Some(orcpt) = self.orcpt {
            put_value(out, b" ORCPT=", orcpt.addr_type());
            out.put(b";");
            out.put(orcpt.address().as_str().as_bytes());
        }
        if let Some(rrvs) = self.rrvs {
            put_param(out, "RRVS", Some(&rrvs));
        }
        if self.conneg {
            out.put(b" CONNEG");
        }
        put_others(out, &self.others);
    }
}

fn put_lookup<S: Sink + ?Sized>(out: &mut S, lookup: &Lookup<'_>) {
    out.put(b" ");
    out.put(lookup.target().as_str().as_bytes());
    if lookup.smtputf8() {
        out.put(b" SMTPUTF8");
    }
}

fn put_auth<S: Sink + ?Sized>(out: &mut S, auth: &Auth<'_>) {
    out.put(b" ");
    out.put(auth.mechanism.as_str().as_bytes());
    match auth.initial_response {
        None => {}
        Some(InitialResponse::Empty) => out.put(b" ="),
        Some(InitialResponse::Base64(data)) => {
            out.put(b" ");
            out.put(data.expose().as_bytes());
        }
    }
}

impl WriteTo for Command<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        out.put(self.verb().as_bytes());
        match self {
            Command::Helo(host) | Command::Ehlo(host) | Command::Lhlo(host) => {
                out.put(b" ");
                put_host(out, host);
            }
            Command::Mail(mail) => {
                out.put(b" FROM:");
                mail.path.write_to(out);
                mail.params.write_to(out);
            }
            Command::Rcpt(rcpt) => {
                out.put(b" TO:");
                rcpt.path.write_to(out);
                rcpt.params.write_to(out);
            }
            Command::Bdat { size, last } => {
                out.put(b" ");
                put_decimal(out, *size);
                if *last {
                    out.put(b" LAST");
                }
            }
            Command::Vrfy(lookup) | Command::Expn(lookup) => put_lookup(out, lookup),
            Command::Help(text) | Command::Noop(text) => {
                if let Some(text) = text {
                    out.put(b" ");
                    out.put(text.as_str().as_bytes());
                }
            }
            Command::Auth(auth) => put_auth(out, auth),
            Command::Etrn(etrn) => {
                out.put(b" ");
                put_display(out, etrn);
            }
            Command::Atrn(list) => {
                if let Some(list) = list {
                    out.put(b" ");
                    out.put(list.as_str().as_bytes());
                }
            }
            Command::Burl(burl) => {
                out.put(b" ");
                out.put(burl.url().as_bytes());
                if burl.last() {
                    out.put(b" LAST");
                }
            }
            Command::Xclient(attributes) | Command::Xforward(attributes) => {
                out.put(b" ");
                out.put(attributes.as_str().as_bytes());
            }
            Command::Unknown(unknown) => {
                if let Some(args) = unknown.args() {
                    out.put(b" ");
                    out.put(args);
                }
            }
            Command::Data | Command::Rset | Command::Quit | Command::StartTls => {}
        }
        out.put(b"\r\n");
    }
}
