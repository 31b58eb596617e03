//! The library's module graph has no cycle: every top-level module uses only
//! the layers below it (the order is written at the top of `lib.rs`).
//!
//! The check reads the sources: every `crate::module` path (in `use` items
//! and inline), and every `super::` that climbs out of its top-level module,
//! outside comments and outside `#[cfg(test)]` modules (unit tests may
//! encode what they parse). Paths through the root's re-exports or the
//! public facade modules are refused inside the crate, so that each edge
//! names the module it really depends on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each internal top-level module and the modules it may use.
const LAYERS: &[(&str, &[&str])] = &[
    ("syntax", &[]),
    ("types", &["syntax"]),
    ("parse", &["syntax", "types"]),
    ("decode", &["syntax", "types"]),
    ("encode", &["syntax", "types"]),
    ("session", &["syntax", "types", "parse", "decode", "encode"]),
    ("owned", &["syntax", "types", "parse", "decode", "encode"]),
    (
        "codec",
        &[
            "syntax", "types", "parse", "decode", "encode", "session", "owned",
        ],
    ),
    ("arbitrary", &["syntax", "types"]),
    // Internals for the fuzz targets only (`--cfg fuzzing`).
    (
        "fuzzing",
        &["syntax", "types", "parse", "decode", "encode", "session"],
    ),
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file, e.g. `types/param/dsn.rs` -> `[types,
/// param, dsn]`, `types/param/mod.rs` -> `[types, param]`, `lib.rs` -> `[]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap();
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// Code without comments, string literals and `#[cfg(test)]` modules (good
/// enough for this crate's sources: no raw strings contain `crate::`).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Brace depth at which a skipped test module started, while inside one.
    let mut skipping: Option<usize> = None;
    let mut depth = 0usize;
    let mut test_attr = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if skipping.is_none() && trimmed == "#[cfg(test)]" {
            test_attr = true;
            continue;
        }
        if test_attr && trimmed.starts_with("mod ") && trimmed.ends_with('{') {
            skipping = Some(depth);
        }
        test_attr = false;
        let opens = line.matches('{').count();
        let closes = line.matches('}').count();
        depth = (depth + opens).saturating_sub(closes);
        if let Some(start) = skipping {
            if depth <= start {
                skipping = None;
            }
            out.push('\n');
            continue;
        }
        let mut in_string = false;
        let mut escaped = false;
        let mut prev = ' ';
        for c in line.chars() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
                prev = c;
                continue;
            }
            if c == '/' && prev == '/' {
                out.pop();
                break;
            }
            if c == '"' && prev != '\'' {
                in_string = true;
            } else {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The first segment after every `crate::`, including those inside
/// `use crate::{a::x, b::y}` groups.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `$crate::` or an identifier ending in `crate`
        }
        if let Some(group) = rest.strip_prefix('{') {
            // A group: its items up to the matching brace.
            let mut depth = 1;
            let mut end = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            let mut depth = 0;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group[..end].chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                    _ => item.push(c),
                }
            }
            items.push(item);
            for item in items {
                let first: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !first.is_empty() {
                    found.push(first);
                }
            }
        } else {
            let first: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(first);
        }
    }
    found
}

#[test]
fn no_module_uses_a_layer_above_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../smtp-proto/src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(
        files.len() > 20,
        "sources not found under {}",
        root.display()
    );
    let allowed: BTreeMap<&str, BTreeSet<&str>> = LAYERS
        .iter()
        .map(|(module, uses)| (*module, uses.iter().copied().collect()))
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap();
        let path = module_path(relative);
        let Some(top) = path.first().cloned() else {
            continue; // lib.rs: the facades and re-exports may use anything
        };
        let Some(may_use) = allowed.get(top.as_str()) else {
            problems.push(format!(
                "{}: top-level module `{top}` is not in LAYERS",
                relative.display()
            ));
            continue;
        };
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        for target in crate_paths(&code) {
            if target == top {
                continue;
            }
            graph.entry(top.clone()).or_default().insert(target.clone());
            if !allowed.contains_key(target.as_str()) {
                problems.push(format!(
                    "{}: `crate::{target}` is not an internal module (use the module that defines it)",
                    relative.display()
                ));
            } else if !may_use.contains(target.as_str()) {
                problems.push(format!(
                    "{}: `{top}` uses `{target}`, a layer above it",
                    relative.display()
                ));
            }
        }
        // `super::super::...` must stay inside the top-level module; an
        // inline `mod name {` adds a level.
        let mut inline = Vec::new();
        let mut braces = 0usize;
        for line in code.lines() {
            let trimmed = line.trim_start();
            let declares = ["mod ", "pub mod ", "pub(crate) mod "]
                .iter()
                .any(|p| trimmed.starts_with(p))
                && trimmed.trim_end().ends_with('{');
            if declares {
                inline.push(braces);
            }
            braces = (braces + line.matches('{').count()).saturating_sub(line.matches('}').count());
            while inline.last().is_some_and(|&start| braces <= start) {
                inline.pop();
            }
            let depth = path.len() + inline.len();
            if line.contains(&"super::".repeat(depth)) {
                problems.push(format!(
                    "{}: `{}` climbs out of `{top}`",
                    relative.display(),
                    line.trim()
                ));
            }
        }
    }
    for (module, uses) in &graph {
        println!(
            "{module} -> {}",
            uses.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_groups_and_inline_paths() {
    let code = code_only(
        "use crate::types::{a, b};\nuse crate::{parse::x, decode::{y, z}};\n\
         let s = \"crate::ignored\"; // crate::ignored\nlet v = crate::syntax::f();\n",
    );
    assert_eq!(
        crate_paths(&code),
        ["types", "parse", "decode", "syntax"].map(String::from)
    );
    assert_eq!(
        module_path(Path::new("types/param/mod.rs")),
        ["types", "param"]
    );
    assert_eq!(module_path(Path::new("lib.rs")), Vec::<String>::new());
    let with_tests = code_only(
        "fn f() {}\n#[cfg(test)]\nmod tests {\n    use crate::encode::x;\n    fn g() {}\n}\nuse crate::parse::y;\n",
    );
    assert_eq!(crate_paths(&with_tests), ["parse"].map(String::from));
}

/// The library is `no_std` outside its own unit tests: the attribute is an
/// attribute, not text in a doc comment (it once became one, and the crate
/// silently linked `std`; only the thumbv7em build in CI would notice).
#[test]
fn the_library_is_no_std() {
    let lib = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../smtp-proto/src/lib.rs"),
    )
    .unwrap();
    assert!(
        lib.lines()
            .any(|line| line.trim() == "#![cfg_attr(not(test), no_std)]"),
        "smtp-proto/src/lib.rs must declare #![cfg_attr(not(test), no_std)]"
    );
}
