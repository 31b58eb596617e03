//! Value types: every command, reply, address, parameter and capability,
//! validated by its constructors, plus [`Error`](error::Error) and
//! [`Status`](status::Status).
//!
//! This layer is a leaf: it holds values and their validating constructors
//! (which use the grammar tables in `syntax`), never parsing or writing code.
//! Parsers live in `parse` and `decode`, writers in `encode`.

pub(crate) mod address;
pub(crate) mod command;
pub(crate) mod ehlo;
pub(crate) mod error;
pub(crate) mod param;
pub(crate) mod reply;
pub(crate) mod secret;
pub(crate) mod status;
