//! Streaming decoders for message content (DATA and BDAT). Issue #4.
