//! QSslEllipticCurve's engine: OpenSSL NIDs and names.

use qsslrs_engine::curve;

#[cxx::bridge(namespace = "qsslrs")]
mod ffi {
    extern "Rust" {
        fn engine_curve_from_short_name(name: &str) -> i32;
        fn engine_curve_from_long_name(name: &str) -> i32;
        /// Empty for an unknown NID (Qt then gives a null QString).
        fn engine_curve_short_name(nid: i32) -> String;
        fn engine_curve_long_name(nid: i32) -> String;
        fn engine_curve_is_tls_named(nid: i32) -> bool;
    }
}

fn engine_curve_from_short_name(name: &str) -> i32 {
    curve::nid_from_short_name(name)
}
fn engine_curve_from_long_name(name: &str) -> i32 {
    curve::nid_from_long_name(name)
}
fn engine_curve_short_name(nid: i32) -> String {
    curve::short_name(nid).unwrap_or_default()
}
fn engine_curve_long_name(nid: i32) -> String {
    curve::long_name(nid).unwrap_or_default()
}
fn engine_curve_is_tls_named(nid: i32) -> bool {
    curve::is_tls_named_curve(nid)
}
