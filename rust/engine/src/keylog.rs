//! TLS secrets in the NSS key log format (what Wireshark reads), written only when asked: by the
//! SSLKEYLOGFILE environment variable, or by a configuration's `QSslRsKeyLogFile` option. Both
//! roles, TLS and DTLS: the callback sits on the shared context.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use openssl::ssl::SslContextBuilder;

/// The environment variable browsers, curl and OpenSSL-based tools honour.
pub const ENVIRONMENT_VARIABLE: &str = "SSLKEYLOGFILE";

/// One open file per path, shared by every context that logs there, so that lines from
/// concurrent handshakes never interleave.
fn files() -> &'static Mutex<HashMap<PathBuf, Arc<Mutex<File>>>> {
    static FILES: OnceLock<Mutex<HashMap<PathBuf, Arc<Mutex<File>>>>> = OnceLock::new();
    FILES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The file a new context logs to, and who asked for it: the configuration's own path (`key` is
/// its option's name), else SSLKEYLOGFILE (read when the context is built); None when neither
/// is set.
pub(crate) fn path_for(configured: Option<&[u8]>, key: &'static [u8]) -> Option<(PathBuf, &'static str)> {
    use std::os::unix::ffi::OsStrExt;
    match configured {
        Some(path) if !path.is_empty() => Some((
            PathBuf::from(std::ffi::OsStr::from_bytes(path)),
            std::str::from_utf8(key).unwrap_or_default(),
        )),
        _ => std::env::var_os(ENVIRONMENT_VARIABLE)
            .filter(|path| !path.is_empty())
            .map(|path| (PathBuf::from(path), ENVIRONMENT_VARIABLE)),
    }
}

/// Opens (once per path, with a warning on stderr the first time) and installs the callback.
/// A file that cannot be opened is reported once and logs nothing: it never fails a connection.
pub(crate) fn install(builder: &mut SslContextBuilder, path: &Path, asked_by: &str) {
    let file = {
        let mut files = files().lock().unwrap_or_else(|e| e.into_inner());
        match files.get(path) {
            Some(file) => Arc::clone(file),
            None => match OpenOptions::new().create(true).append(true).open(path) {
                Ok(file) => {
                    eprintln!(
                        "qssl-rs: writing TLS session secrets to {} ({}): whoever can read that \
                         file can decrypt this process's TLS traffic",
                        path.display(),
                        asked_by
                    );
                    let file = Arc::new(Mutex::new(file));
                    files.insert(path.to_path_buf(), Arc::clone(&file));
                    file
                }
                Err(error) => {
                    eprintln!("qssl-rs: cannot open the TLS key log file {}: {error}", path.display());
                    return;
                }
            },
        }
    };
    builder.set_keylog_callback(move |_, line| {
        let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
        // One write per line: an O_APPEND file then never splits a line between processes.
        let _ = file.write_all(format!("{line}\n").as_bytes());
    });
}
