// qssl-rs: our SSL objects entering Qt's own functions.
// SPDX-License-Identifier: MIT OR Apache-2.0
//
// QNetworkAccessManager and QtWebSockets keep Qt's own SSL code, which reads the private data of
// the SSL objects given to it. A relinked app binds the functions below to us (our version node
// comes first), and each converts our objects into Qt's before calling Qt's own function. The
// list is derived from Qt's libraries and checked by tests/abi ("boundary coverage"). Signals are
// left alone: a relinked app connects to them by address, which must stay Qt's.
#include <QtNetwork/qnetworkaccessmanager.h>
#include <QtNetwork/qnetworkreply.h>
#include <QtNetwork/qnetworkrequest.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslerror.h>

#include "qtownssl_p.h"

QT_BEGIN_NAMESPACE

using QtOwnSsl::qts;

// QtWebSockets is not linked: its functions are found in the process when the app uses them.
// Only the members defined here are declared, with QtWebSockets' exact signatures.
class Q_DECL_EXPORT QWebSocket
{
public:
    void setSslConfiguration(const QSslConfiguration &sslConfiguration);
    void ignoreSslErrors(const QList<QSslError> &errors);
};

class Q_DECL_EXPORT QWebSocketServer
{
public:
    void setSslConfiguration(const QSslConfiguration &sslConfiguration);
};

// Likewise for functions newer Qt versions added to QtNetwork (Qt 6.7, 6.8): an app built on
// their headers runs on such a Qt only, where Qt's own exists.
class Q_DECL_EXPORT QNetworkRequestFactory
{
public:
    void setSslConfiguration(const QSslConfiguration &configuration);
};

class Q_DECL_EXPORT QDnsLookup
{
public:
    void setSslConfiguration(const QSslConfiguration &sslConfiguration);
};

namespace {

// A virtual function's member pointer holds a vtable slot, not an address: Qt's own is found by
// its mangled name.
template <typename Fn>
Fn qtVirtual(const char *mangledName)
{
    return reinterpret_cast<Fn>(QtOwnSsl::requiredQtSymbol(mangledName));
}

} // namespace

void QNetworkRequest::setSslConfiguration(const QSslConfiguration &configuration)
{
    QtOwnSsl::callRequired<&QNetworkRequest::setSslConfiguration>(this, qts(configuration));
}

void QNetworkReply::setSslConfiguration(const QSslConfiguration &configuration)
{
    QtOwnSsl::callRequired<&QNetworkReply::setSslConfiguration>(this, qts(configuration));
}

void QNetworkReply::ignoreSslErrors(const QList<QSslError> &errors)
{
    QtOwnSsl::callRequired<qOverload<const QList<QSslError> &>(&QNetworkReply::ignoreSslErrors)>(
            this, qts(errors));
}

void QNetworkReply::ignoreSslErrorsImplementation(const QList<QSslError> &errors)
{
    static const auto qt = qtVirtual<void (*)(QNetworkReply *, const QList<QSslError> &)>(
            "_ZN13QNetworkReply29ignoreSslErrorsImplementationERK5QListI9QSslErrorE");
    qt(this, qts(errors));
}

void QNetworkReply::setSslConfigurationImplementation(const QSslConfiguration &configuration)
{
    static const auto qt = qtVirtual<void (*)(QNetworkReply *, const QSslConfiguration &)>(
            "_ZN13QNetworkReply33setSslConfigurationImplementationERK17QSslConfiguration");
    qt(this, qts(configuration));
}

// Qt's writes into a Qt-made configuration; the caller's (perhaps ours) takes it by assignment.
void QNetworkReply::sslConfigurationImplementation(QSslConfiguration &configuration) const
{
    static const auto qt = qtVirtual<void (*)(const QNetworkReply *, QSslConfiguration &)>(
            "_ZNK13QNetworkReply30sslConfigurationImplementationER17QSslConfiguration");
    QSslConfiguration filled = qts(configuration);
    qt(this, filled);
    configuration = filled;
}

void QNetworkAccessManager::connectToHostEncrypted(const QString &hostName, quint16 port,
                                                   const QSslConfiguration &sslConfiguration)
{
    constexpr auto qtConnect = qOverload<const QString &, quint16, const QSslConfiguration &>(
            &QNetworkAccessManager::connectToHostEncrypted);
    QtOwnSsl::callRequired<qtConnect>(this, hostName, port, qts(sslConfiguration));
}

void QNetworkAccessManager::connectToHostEncrypted(const QString &hostName, quint16 port,
                                                   const QSslConfiguration &sslConfiguration,
                                                   const QString &peerName)
{
    constexpr auto qtConnect = qOverload<const QString &, quint16, const QSslConfiguration &,
                                         const QString &>(
            &QNetworkAccessManager::connectToHostEncrypted);
    QtOwnSsl::callRequired<qtConnect>(this, hostName, port, qts(sslConfiguration), peerName);
}

void QWebSocket::setSslConfiguration(const QSslConfiguration &sslConfiguration)
{
    QtOwnSsl::callRequired<&QWebSocket::setSslConfiguration>(this, qts(sslConfiguration));
}

void QWebSocket::ignoreSslErrors(const QList<QSslError> &errors)
{
    QtOwnSsl::callRequired<&QWebSocket::ignoreSslErrors>(this, qts(errors));
}

void QWebSocketServer::setSslConfiguration(const QSslConfiguration &sslConfiguration)
{
    QtOwnSsl::callRequired<&QWebSocketServer::setSslConfiguration>(this, qts(sslConfiguration));
}

void QNetworkRequestFactory::setSslConfiguration(const QSslConfiguration &configuration)
{
    QtOwnSsl::callRequired<&QNetworkRequestFactory::setSslConfiguration>(this, qts(configuration));
}

void QDnsLookup::setSslConfiguration(const QSslConfiguration &sslConfiguration)
{
    QtOwnSsl::callRequired<&QDnsLookup::setSslConfiguration>(this, qts(sslConfiguration));
}

QT_END_NAMESPACE
