// qssl-rs: what a TLS session asks its owner in the middle of a handshake. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_SESSION_HOOKS_H
#define QSSLRS_SESSION_HOOKS_H

#include "rust/cxx.h"

#include <cstddef>
#include <cstdint>

namespace qsslrs {

// Implemented by the C++ owner of a Session and passed to Session::process(), the only call
// during which the engine asks. An answer must not call back into that Session.
class SessionHooks
{
public:
    // Client: the server's identity hint (has_hint false when it sent none). An empty key refuses.
    virtual void psk_client(rust::Slice<const uint8_t> hint, bool has_hint, size_t max_identity_length,
                            size_t max_key_length, rust::Vec<uint8_t> &identity,
                            rust::Vec<uint8_t> &key) = 0;
    // Server: the identity the client named. An empty key refuses.
    virtual void psk_server(rust::Slice<const uint8_t> identity, bool has_identity, size_t max_key_length,
                            rust::Vec<uint8_t> &key) = 0;
    // handshakeMustInterruptOnError: a QSslError::SslError as verification meets it, with the
    // certificate it concerns. True lets the handshake go on.
    virtual bool verification_error(int32_t qt_error, rust::Slice<const uint8_t> certificate_der) = 0;

protected:
    ~SessionHooks() = default;
};

} // namespace qsslrs

#endif
