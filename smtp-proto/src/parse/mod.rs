//! Parsers of command lines, replies and EHLO capabilities. nom is used
//! inside, never in the public API.

pub(crate) mod capability;
pub(crate) mod command;
pub(crate) mod line;
pub(crate) mod reply;
