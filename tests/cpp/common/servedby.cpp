// Linked into every test: before any test runs, proves that the SSL classes it uses come from
// libQSslRs and not from Qt's own QtNetwork (for a relinked build this is the whole point).
#include <QtNetwork/qsslsocket.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>

namespace {
const bool servedByQSslRs = [] {
    Dl_info info{};
    if (!dladdr(&QSslSocket::staticMetaObject, &info) || !info.dli_fname
        || !std::strstr(info.dli_fname, "libQSslRs.so")) {
        std::fprintf(stderr, "FAIL: QSslSocket::staticMetaObject comes from %s, not libQSslRs\n",
                     info.dli_fname ? info.dli_fname : "(unknown)");
        std::exit(1);
    }
    return true;
}();
}
