// Generates the C++ side of the bridges and copies the headers where CMake looks for them
// (QSSLRS_BRIDGE_INCLUDE_DIR), so the C++ library never reaches into cargo's OUT_DIR.
const BRIDGES: &[&str] = &["src/session.rs", "src/certificate.rs", "src/dhparams.rs", "src/curve.rs"];

fn main() {
    cxx_build::bridges(BRIDGES).std("c++17").compile("qsslrs-bridge-cxx");
    for bridge in BRIDGES {
        println!("cargo:rerun-if-changed={bridge}");
    }
    println!("cargo:rerun-if-changed=include");
    println!("cargo:rerun-if-env-changed=QSSLRS_BRIDGE_INCLUDE_DIR");

    let Some(dest) = std::env::var_os("QSSLRS_BRIDGE_INCLUDE_DIR") else { return };
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    let generated = out.join("cxxbridge").join("include");
    copy_tree(&generated, std::path::Path::new(&dest));
    // The C++ interfaces the bridges call, where the generated headers include them from.
    copy_tree(std::path::Path::new("include"), &std::path::Path::new(&dest).join("qsslrs-bridge/include"));
}

/// Copies regular files, following cxx-build's symlinks, and leaves unchanged files untouched
/// so that CMake does not rebuild every C++ file after each cargo run.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let src = entry.path();
        let dst = to.join(entry.file_name());
        if std::fs::metadata(&src).unwrap().is_dir() {
            copy_tree(&src, &dst);
        } else {
            let data = std::fs::read(&src).unwrap();
            if std::fs::read(&dst).ok().as_deref() != Some(&data[..]) {
                std::fs::write(&dst, data).unwrap();
            }
        }
    }
}
