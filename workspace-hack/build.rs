//! Empty: it is here so that Cargo resolves this crate's build-dependencies, which give the
//! crates built for build scripts and proc-macros one feature set too.

fn main() {}
