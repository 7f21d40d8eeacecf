// qssl-rs: living next to Qt's own SSL code in one process. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
//
// A relinked app holds SSL objects of two implementations behind the same class names: ours,
// and those that Qt's own libraries made (QNetworkReply's sslErrors and sslConfiguration(),
// QWebSocket's, QNAM's PSK authenticator...). Every private of ours starts with a mark, so a
// member function can tell a Qt-made object from ours without knowing Qt's layouts:
//   - a Qt-made object is served by Qt's own function of the same name, looked up once in the
//     running QtNetwork by its Qt_6 versioned symbol, and it stays Qt's (Qt may own it: the
//     authenticator QNAM passes by pointer);
//   - where ours must keep a value (a setter or constructor of ours, an argument compared with
//     ours), the Qt-made object is converted into ours through Qt's public getters;
//   - where ours enter Qt's functions (a setter of a Qt-made object, QNetworkRequest's
//     setSslConfiguration...), they are converted into Qt's through Qt's public constructors and
//     setters (qnetworkboundary.cpp).
#ifndef QSSLRS_QTOWNSSL_P_H
#define QSSLRS_QTOWNSSL_P_H

#include <QtCore/qglobal.h>
#include <QtCore/qlist.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

QT_BEGIN_NAMESPACE
class QOcspResponse;
class QSslCertificate;
class QSslCertificateExtension;
class QSslCipher;
class QSslConfiguration;
class QSslDiffieHellmanParameters;
class QSslError;
class QSslKey;
class QSslPreSharedKeyAuthenticator;
QT_END_NAMESPACE

namespace QtOwnSsl {

// The first word of every private of ours. Qt's privates begin with a reference count, a small
// enum, a bool or a pointer, and none of those can hold this word: its low byte is neither 0 nor
// 1, its low half is a negative int, and as an address it is not canonical.
inline constexpr quint64 OurMark = 0x5153'4c52'd00d'feedULL;

// The first base class of every private of ours, which puts the mark at offset 0.
class Marked
{
protected:
    Marked() = default;
    Marked(const Marked &) = default;
    Marked &operator=(const Marked &) { return *this; }
    // A freed private of ours leaves no mark behind for a Qt private later made in its memory.
    ~Marked() { *static_cast<volatile quint64 *>(&mark) = 0; }

private:
    quint64 mark = OurMark;
};

// True when the object (a public SSL value class: exactly one d-pointer) was made by Qt's own
// QtNetwork. A moved-from object has no private and counts as ours: our functions handle it.
template <typename T>
bool madeByQt(const T &object)
{
    static_assert(sizeof(T) == sizeof(void *), "one d-pointer");
    const void *d;
    std::memcpy(&d, static_cast<const void *>(&object), sizeof d);
    if (!d)
        return false;
    quint64 word;
    std::memcpy(&word, d, sizeof word);
    return word != OurMark;
}

// Qt's own definition of a function by its mangled name (Qt_6 version first), nullptr when the
// running Qt libraries have none (an API newer than that Qt, or QtWebSockets not loaded).
void *qtSymbol(const char *mangledName);
// Qt's own definition of a function that we export under the same name.
void *qtCounterpart(const void *ourFunction);
// The same, for functions every Qt 6 has: a missing one is a fatal error that names it.
void *requiredQtSymbol(const char *mangledName);
void *requiredQtCounterpart(const void *ourFunction);

// The signature of Qt's function as a plain function pointer: on the Itanium C++ ABI a member
// function takes `this` as its first argument (after the hidden return slot, if any).
template <typename F>
struct Signature;
template <typename R, typename C, typename... A>
struct Signature<R (C::*)(A...) const> { using Fn = R (*)(const C *, A...); };
template <typename R, typename C, typename... A>
struct Signature<R (C::*)(A...) const noexcept> { using Fn = R (*)(const C *, A...); };
template <typename R, typename C, typename... A>
struct Signature<R (C::*)(A...)> { using Fn = R (*)(C *, A...); };
template <typename R, typename C, typename... A>
struct Signature<R (C::*)(A...) noexcept> { using Fn = R (*)(C *, A...); };
template <typename R, typename... A>
struct Signature<R (*)(A...)> { using Fn = R (*)(A...); };
template <typename R, typename... A>
struct Signature<R (*)(A...) noexcept> { using Fn = R (*)(A...); };

template <typename F>
const void *addressOf(F function)
{
    if constexpr (std::is_member_function_pointer_v<F>) {
        // A non-virtual member function pointer starts with the function's address; a virtual
        // one with 1 + its vtable offset (functions are at even addresses), which names nothing.
        const void *address;
        std::memcpy(&address, &function, sizeof address);
        return reinterpret_cast<quintptr>(address) & 1 ? nullptr : address;
    } else {
        return reinterpret_cast<const void *>(function);
    }
}

// Qt's own counterpart of one of our exported functions, looked up once.
template <auto Function>
typename Signature<decltype(Function)>::Fn qtFunction()
{
    using Fn = typename Signature<decltype(Function)>::Fn;
    static const Fn fn = reinterpret_cast<Fn>(qtCounterpart(addressOf(Function)));
    return fn;
}

// Per class: ours(x), our object with x's value (x itself when it is ours); qts(x), Qt's object
// with x's value (x itself when Qt made it). Specialised in each class's .cpp.
template <typename T>
struct Convert;

// The mangled class name, for the constructors and destructors (whose address C++ cannot take).
template <typename T>
inline constexpr const char *mangledClassName = nullptr;

// Defined in each class's .cpp.
#define QSSLRS_CONVERT(Class, Mangled)                                               \
    template <>                                                                               \
    struct Convert<Class>                                                                     \
    {                                                                                         \
        static Class ours(const Class &object);                                               \
        static Class qts(const Class &object);                                                \
    };                                                                                        \
    template <>                                                                               \
    inline constexpr const char *mangledClassName<Class> = Mangled;
QSSLRS_CONVERT(QSslCertificate, "15QSslCertificate")
QSSLRS_CONVERT(QSslCertificateExtension, "24QSslCertificateExtension")
QSSLRS_CONVERT(QSslCipher, "10QSslCipher")
QSSLRS_CONVERT(QSslConfiguration, "17QSslConfiguration")
QSSLRS_CONVERT(QSslDiffieHellmanParameters, "27QSslDiffieHellmanParameters")
QSSLRS_CONVERT(QSslError, "9QSslError")
QSSLRS_CONVERT(QSslKey, "7QSslKey")
QSSLRS_CONVERT(QSslPreSharedKeyAuthenticator, "29QSslPreSharedKeyAuthenticator")
QSSLRS_CONVERT(QOcspResponse, "13QOcspResponse")
#undef QSSLRS_CONVERT

template <typename T>
T ours(const T &object) { return Convert<T>::ours(object); }
template <typename T>
T qts(const T &object) { return Convert<T>::qts(object); }

// A list converted item by item, or shared as it is when no item needs it.
template <typename T>
QList<T> ours(const QList<T> &list)
{
    if (std::none_of(list.cbegin(), list.cend(), [](const T &item) { return madeByQt(item); }))
        return list;
    QList<T> result;
    result.reserve(list.size());
    for (const T &item : list)
        result.append(ours(item));
    return result;
}

template <typename T>
QList<T> qts(const QList<T> &list)
{
    if (std::all_of(list.cbegin(), list.cend(), [](const T &item) { return madeByQt(item); }))
        return list;
    QList<T> result;
    result.reserve(list.size());
    for (const T &item : list)
        result.append(qts(item));
    return result;
}

void *qtStructor(const char *mangledClass, const char *suffix);

// Drops an object's d-pointer without touching what it points to (Qt already released it).
template <typename T>
void forget(T &object)
{
    std::memset(static_cast<void *>(&object), 0, sizeof(T));
}

// Our destructor on a Qt-made object: Qt's destructor releases Qt's private.
template <typename T>
void destroyQts(T &object)
{
    static const auto destructor =
            reinterpret_cast<void (*)(T *)>(qtStructor(mangledClassName<T>, "D1Ev"));
    destructor(&object);
    forget(object);
}

// Our copy constructor given a Qt-made object: Qt's copy constructor shares Qt's private.
template <typename T>
void copyConstructQts(T *where, const T &from)
{
    static const auto copy = reinterpret_cast<void (*)(T *, const T *)>(
            qtStructor(mangledClassName<T>, "C1ERKS_"));
    copy(where, &from);
}

// A new Qt-made object from one of Qt's constructors (Ctor: void (*)(T *, params...)).
template <typename T, typename Ctor, typename... Args>
T constructQts(const char *mangledConstructor, Args &&...args)
{
    static const auto ctor = reinterpret_cast<Ctor>(requiredQtSymbol(mangledConstructor));
    alignas(T) unsigned char storage[sizeof(T)];
    T *made = reinterpret_cast<T *>(storage);
    ctor(made, std::forward<Args>(args)...);
    T result(std::move(*made));
    made->~T();
    return result;
}

// Turns a Qt-made object into ours, in place (used where Qt lacks the function asked for).
template <typename T>
void becomeOurs(T &object)
{
    T converted = Convert<T>::ours(object);
    object.~T();
    new (&object) T(std::move(converted));
}

// Assignment across the two implementations: the object becomes a shared copy of `from`.
template <typename T>
void rebind(T &object, const T &from)
{
    object.~T();
    new (&object) T(from);
}

// operator= where either side is Qt-made; false when both are ours (the caller assigns). A
// Qt-made target stays Qt's, for Qt may own it; where Qt's API cannot make the value (an
// extension, an OCSP response), it becomes a copy of ours.
template <typename T>
bool assignedAcross(T &self, const T &other);

// Calls Qt's own counterpart of Function on a Qt-made object. Where the running QtNetwork has
// none (a function newer than that Qt), ours serves a converted copy (const) or the object
// becomes ours (non-const).
template <auto Function, typename Self, typename... Args>
decltype(auto) call(Self *self, Args &&...args)
{
    if (const auto fn = qtFunction<Function>())
        return fn(self, std::forward<Args>(args)...);
    if constexpr (std::is_const_v<Self>) {
        const auto copy = Convert<std::remove_const_t<Self>>::ours(*self);
        return (copy.*Function)(std::forward<Args>(args)...);
    } else {
        becomeOurs(*self);
        return (self->*Function)(std::forward<Args>(args)...);
    }
}

// Calls Qt's own counterpart of a function that every Qt 6 has (a member function takes its
// object first), with no fallback.
template <auto Function, typename... Args>
decltype(auto) callRequired(Args &&...args)
{
    using Fn = typename Signature<decltype(Function)>::Fn;
    static const Fn fn = reinterpret_cast<Fn>(requiredQtCounterpart(addressOf(Function)));
    return fn(std::forward<Args>(args)...);
}

template <typename T>
bool assignedAcross(T &self, const T &other)
{
    constexpr auto assign = static_cast<T &(T::*)(const T &)>(&T::operator=);
    if (!madeByQt(self)) {
        if (!madeByQt(other))
            return false;
        rebind(self, other);
    } else if (madeByQt(other)) {
        call<assign>(&self, other);
    } else if (const T converted = qts(other); madeByQt(converted)) {
        call<assign>(&self, converted);
    } else {
        rebind(self, other);
    }
    return true;
}

} // namespace QtOwnSsl

#endif
