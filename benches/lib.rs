//! Benchmarks for `smtp-proto` live in this package (issue #6); the shared
//! input generators go here.
