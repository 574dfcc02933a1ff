//! Nothing to use: this crate only asks for the core's dependencies with one set of features
//! for every build of the workspace, so that each is compiled once per profile (see
//! `scripts/feature-sets.py`, which writes its Cargo.toml).
