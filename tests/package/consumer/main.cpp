// A project that found qssl-rs with find_package(QSslRs): its QSslSocket must come from the
// installed libQSslRs, our headers must be the ones it compiled against, and the extension
// header <QSslRs> must be installed with them.
#include <QtNetwork/QSslSocket>
#include <QSslRs>

#include <cstdio>
#include <cstring>
#include <dlfcn.h>

int main(int argc, char **argv)
{
    Dl_info info{};
    dladdr(&QSslSocket::staticMetaObject, &info);
    const char *library = info.dli_fname ? info.dli_fname : "(unknown)";
    std::printf("QSslSocket comes from %s\n", library);
    if (argc < 2 || !std::strstr(library, argv[1]) || !std::strstr(library, "libQSslRs.so"))
        return 1;
    // Declared only by our header (Qt's QSslSocket does not override it).
    qintptr (QSslSocket::*ours)() const = &QSslSocket::socketDescriptor;
    QSslSocket socket;
    if (std::strcmp(qSslRsVersion(), QSSLRS_VERSION_STR) != 0 || !QSslRs::negotiatedGroup(&socket).isEmpty())
        return 1;
    return QSslSocket::supportsSsl() && (socket.*ours)() == -1 ? 0 : 1;
}
