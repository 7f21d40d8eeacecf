// qssl-rs: finding Qt's own SSL functions in the running process.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include "qtownssl_p.h"

#include <QtCore/qbytearray.h>

#include <dlfcn.h>

namespace QtOwnSsl {

namespace {

bool isOurs(const void *address)
{
    static const void *const self = [] {
        Dl_info info{};
        return dladdr(reinterpret_cast<const void *>(&qtSymbol), &info) ? info.dli_fbase
                                                                         : nullptr;
    }();
    Dl_info info{};
    return dladdr(address, &info) && info.dli_fbase == self;
}

} // namespace

void *qtSymbol(const char *mangledName)
{
    // Qt's libraries export their public API under the Qt_6 version node, ours under QSSLRS_1,
    // so a versioned lookup never finds ours, whatever the load order.
    if (void *found = dlvsym(RTLD_DEFAULT, mangledName, "Qt_6"))
        return found;
    // A Qt built without symbol versions: the first definition that is not ours.
    void *found = dlsym(RTLD_DEFAULT, mangledName);
    if (found && isOurs(found))
        found = dlsym(RTLD_NEXT, mangledName);
    return found && !isOurs(found) ? found : nullptr;
}

void *qtCounterpart(const void *ourFunction)
{
    // Our exported function has the very name of Qt's: ask the dynamic linker for it.
    Dl_info info{};
    if (!dladdr(ourFunction, &info) || !info.dli_sname || info.dli_saddr != ourFunction)
        return nullptr;
    return qtSymbol(info.dli_sname);
}

void *requiredQtSymbol(const char *mangledName)
{
    void *found = qtSymbol(mangledName);
    if (!found)
        qFatal("qssl-rs: Qt's own %s is missing from the running QtNetwork", mangledName);
    return found;
}

void *requiredQtCounterpart(const void *ourFunction)
{
    if (void *found = qtCounterpart(ourFunction))
        return found;
    Dl_info info{};
    dladdr(ourFunction, &info);
    qFatal("qssl-rs: Qt's own %s is missing from the running Qt libraries",
           info.dli_sname ? info.dli_sname : "function");
    return nullptr;
}

void *qtStructor(const char *mangledClass, const char *suffix)
{
    return requiredQtSymbol(QByteArray("_ZN" + QByteArray(mangledClass) + suffix).constData());
}

} // namespace QtOwnSsl
