//! The one Rust library linked into libQSslRs: cxx bridges over `qsslrs-engine`, one per concern.
//! Bridge items named `engine_*` are Rust called by C++.

mod errors;
mod session;
mod certificate;
mod curve;
mod dhparams;
mod key;
