// qssl-rs: QSslConfiguration.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "qsslconfiguration_p.h"
#include "qsslrsconvert_p.h"
#include "qsslcipher_p.h"
#include "qtlsbackend_p.h"

#include "qsslrs-bridge/src/session.rs.h"

#include <QtCore/qdiriterator.h>
#include <QtCore/qfileinfo.h>
#include <QtCore/qloggingcategory.h>
#include <QtCore/qmutex.h>

#include <set>
#include <vector>

// The list of built-in curves is read straight from libcrypto, as Qt's backend does.
// TODO(lead): move behind the bridge (engine_builtin_curve_names) once it has one.
#if __has_include(<openssl/ec.h>)
#  include <openssl/ec.h>
#  include <openssl/objects.h>
#  define QSSLRS_HAVE_EC_HEADERS 1
#endif

QT_BEGIN_NAMESPACE

QT_IMPL_METATYPE_EXTERN(QSslConfiguration)

Q_LOGGING_CATEGORY(lcQSslRsConfig, "qt.network.ssl")

using QtOwnSsl::call;
using QtOwnSsl::madeByQt;

const char QSslConfiguration::ALPNProtocolHTTP2[] = "h2";
const char QSslConfiguration::NextProtocolHttp1_1[] = "http/1.1";

namespace {

// What the TLS library offers, as Qt lists it (anonymous suites already left out by the engine).
const QList<QSslCipher> &supportedCipherList()
{
    static const QList<QSslCipher> ciphers = [] {
        QList<QSslCipher> list;
        const rust::Vec<qsslrs::CipherView> views = qsslrs::engine_available_ciphers();
        list.reserve(qsizetype(views.size()));
        for (const qsslrs::CipherView &view : views) {
            QSslCipher cipher = QSslCipherPrivate::fromView(view);
            if (!cipher.isNull())
                list.append(cipher);
        }
        return list;
    }();
    return ciphers;
}

// Qt's OpenSSL backend: the default list is the supported one minus ciphers under 128 bits.
const QList<QSslCipher> &defaultCipherList()
{
    static const QList<QSslCipher> ciphers = [] {
        QList<QSslCipher> list;
        for (const QSslCipher &cipher : supportedCipherList()) {
            if (cipher.usedBits() >= 128)
                list.append(cipher);
        }
        return list;
    }();
    return ciphers;
}

struct GlobalConfigurations
{
    QMutex mutex;
    QSharedDataPointer<QSslConfigurationPrivate> tls;
    QSharedDataPointer<QSslConfigurationPrivate> dtls;

    // Filled on first use, as Qt's backend does when it initializes.
    void ensureInitialized()
    {
        if (tls)
            return;
        tls = new QSslConfigurationPrivate;
        tls->ciphers = defaultCipherList();
        dtls = new QSslConfigurationPrivate;
        dtls->protocol = QSsl::DtlsV1_2OrLater;
        // OpenSSL's DTLS method offers the same suites at these strengths.
        dtls->ciphers = defaultCipherList();
    }
};

Q_GLOBAL_STATIC(GlobalConfigurations, globalConfigurations)

} // namespace

QList<QSslCipher> QSslConfigurationPrivate::defaultCiphers()
{
    return defaultCipherList();
}

QSslConfiguration QSslConfigurationPrivate::newSocketConfiguration()
{
    QSslConfiguration result;
    QSslConfigurationPrivate *ptr = result.d.data();
    GlobalConfigurations *g = globalConfigurations();
    QMutexLocker locker(&g->mutex);
    g->ensureInitialized();
    const QSslConfigurationPrivate *global = g->tls.constData();
    ptr->peerCertificate = global->peerCertificate;
    ptr->peerCertificateChain = global->peerCertificateChain;
    ptr->localCertificateChain = global->localCertificateChain;
    ptr->privateKey = global->privateKey;
    ptr->sessionCipher = global->sessionCipher;
    ptr->sessionProtocol = global->sessionProtocol;
    ptr->ciphers = global->ciphers;
    ptr->caCertificates = global->caCertificates;
    ptr->allowRootCertOnDemandLoading = global->allowRootCertOnDemandLoading;
    ptr->protocol = global->protocol;
    ptr->peerVerifyMode = global->peerVerifyMode;
    ptr->peerVerifyDepth = global->peerVerifyDepth;
    ptr->sslOptions = global->sslOptions;
    ptr->ellipticCurves = global->ellipticCurves;
    ptr->backendConfig = global->backendConfig;
    ptr->dtlsCookieEnabled = global->dtlsCookieEnabled;
    ptr->ocspStaplingEnabled = global->ocspStaplingEnabled;
    ptr->reportFromCallback = global->reportFromCallback;
    ptr->missingCertIsFatal = global->missingCertIsFatal;
    return result;
}

QSslConfiguration::QSslConfiguration()
    : d(new QSslConfigurationPrivate)
{
}

// QSslConfiguration(QSslConfigurationPrivate *) is deliberately not defined: Qt does not
// export it, so neither may we (see tests/abi). Use QTlsBackend::d() instead.

static constexpr QSsl::SslOption allSslOptions[] = {
    QSsl::SslOptionDisableEmptyFragments,      QSsl::SslOptionDisableSessionTickets,
    QSsl::SslOptionDisableCompression,         QSsl::SslOptionDisableServerNameIndication,
    QSsl::SslOptionDisableLegacyRenegotiation, QSsl::SslOptionDisableSessionSharing,
    QSsl::SslOptionDisableSessionPersistence,  QSsl::SslOptionDisableServerCipherPreference,
};

// Whether a Qt-made configuration still consults the system roots on demand: Qt's public API
// does not say, but setting its own CA list again turns that off, and operator== compares it.
static bool qtsAllowsRootsOnDemand(const QSslConfiguration &configuration)
{
    QSslConfiguration probe = configuration;
    probe.setCaCertificates(probe.caCertificates());
    return !(probe == configuration);
}

// Everything Qt's getters show, the session's outcome included.
QSslConfiguration QtOwnSsl::Convert<QSslConfiguration>::ours(const QSslConfiguration &configuration)
{
    if (!madeByQt(configuration))
        return configuration;
    const QSslConfiguration &qt = configuration; // each getter below is Qt's own
    QSslConfiguration result;
    QSslConfigurationPrivate &d = QSslConfigurationPrivate::of(result);
    d.protocol = qt.protocol();
    d.peerVerifyMode = qt.peerVerifyMode();
    d.peerVerifyDepth = qt.peerVerifyDepth();
    d.localCertificateChain = QtOwnSsl::ours(qt.localCertificateChain());
    d.privateKey = QtOwnSsl::ours(qt.privateKey());
    d.ciphers = QtOwnSsl::ours(qt.ciphers());
    d.caCertificates = QtOwnSsl::ours(qt.caCertificates());
    d.allowRootCertOnDemandLoading = qtsAllowsRootsOnDemand(qt);
    d.sslOptions = {};
    for (QSsl::SslOption option : allSslOptions)
        d.sslOptions.setFlag(option, qt.testSslOption(option));
    d.sslSession = qt.sessionTicket();
    d.sslSessionTicketLifeTimeHint = qt.sessionTicketLifeTimeHint();
    d.ephemeralServerKey = QtOwnSsl::ours(qt.ephemeralServerKey());
    d.ellipticCurves = qt.ellipticCurves();
    d.preSharedKeyIdentityHint = qt.preSharedKeyIdentityHint();
    d.dhParams = QtOwnSsl::ours(qt.diffieHellmanParameters());
    d.backendConfig = qt.backendConfiguration();
    d.dtlsCookieEnabled = qt.dtlsCookieVerificationEnabled();
    d.reportFromCallback = qt.handshakeMustInterruptOnError();
    d.missingCertIsFatal = qt.missingCertificateIsFatal();
    d.ocspStaplingEnabled = qt.ocspStaplingEnabled();
    d.nextAllowedProtocols = qt.allowedNextProtocols();
    d.peerCertificate = QtOwnSsl::ours(qt.peerCertificate());
    d.peerCertificateChain = QtOwnSsl::ours(qt.peerCertificateChain());
    d.sessionCipher = QtOwnSsl::ours(qt.sessionCipher());
    d.sessionProtocol = qt.sessionProtocol();
    d.nextNegotiatedProtocol = qt.nextNegotiatedProtocol();
    d.nextProtocolNegotiationStatus = qt.nextProtocolNegotiationStatus();
    return result;
}

// Everything Qt's setters take: what a configuration asks for. The outcome of a session (peer
// chain, cipher, negotiated protocol, ephemeral key) has no setter in Qt and stays behind.
QSslConfiguration QtOwnSsl::Convert<QSslConfiguration>::qts(const QSslConfiguration &configuration)
{
    if (madeByQt(configuration))
        return configuration;
    const QSslConfigurationPrivate &d = QSslConfigurationPrivate::of(configuration);
    // A fresh Qt configuration; each setter below forwards to Qt's own.
    QSslConfiguration qt = constructQts<QSslConfiguration, void (*)(QSslConfiguration *)>(
            "_ZN17QSslConfigurationC1Ev");
    qt.setProtocol(d.protocol);
    qt.setPeerVerifyMode(d.peerVerifyMode);
    qt.setPeerVerifyDepth(d.peerVerifyDepth);
    if (!d.localCertificateChain.isEmpty())
        qt.setLocalCertificateChain(d.localCertificateChain);
    if (!d.privateKey.isNull())
        qt.setPrivateKey(d.privateKey);
    if (!d.ciphers.isEmpty()) {
        QList<QSslCipher> ciphers = QtOwnSsl::qts(d.ciphers);
        ciphers.removeIf([](const QSslCipher &cipher) { return cipher.isNull(); });
        qt.setCiphers(ciphers); // one Qt's backend does not know is left out, as Qt would
    }
    // Qt keeps consulting the system roots only for CAs added from files; a list of ours that
    // does so is given to Qt with the system roots spelled out.
    if (!d.allowRootCertOnDemandLoading)
        qt.setCaCertificates(d.caCertificates);
    else if (!d.caCertificates.isEmpty())
        qt.setCaCertificates(d.caCertificates + QSslConfiguration::systemCaCertificates());
    for (QSsl::SslOption option : allSslOptions)
        qt.setSslOption(option, d.sslOptions.testFlag(option));
    if (!d.sslSession.isNull())
        qt.setSessionTicket(d.sslSession);
    if (!d.ellipticCurves.isEmpty())
        qt.setEllipticCurves(d.ellipticCurves);
    if (!d.preSharedKeyIdentityHint.isNull())
        qt.setPreSharedKeyIdentityHint(d.preSharedKeyIdentityHint);
    if (d.dhParams != QSslDiffieHellmanParameters::defaultParameters())
        qt.setDiffieHellmanParameters(d.dhParams);
    if (!d.backendConfig.isEmpty())
        qt.setBackendConfiguration(d.backendConfig);
    qt.setDtlsCookieVerificationEnabled(d.dtlsCookieEnabled);
    qt.setHandshakeMustInterruptOnError(d.reportFromCallback);
    qt.setMissingCertificateIsFatal(d.missingCertIsFatal);
    qt.setOcspStaplingEnabled(d.ocspStaplingEnabled);
    if (!d.nextAllowedProtocols.isEmpty())
        qt.setAllowedNextProtocols(d.nextAllowedProtocols);
    return qt;
}

QSslConfiguration::QSslConfiguration(const QSslConfiguration &other)
{
    if (madeByQt(other))
        QtOwnSsl::copyConstructQts(this, other);
    else
        d = other.d;
}

QSslConfiguration::~QSslConfiguration()
{
    if (madeByQt(*this))
        QtOwnSsl::destroyQts(*this);
}

QSslConfiguration &QSslConfiguration::operator=(const QSslConfiguration &other)
{
    if (!QtOwnSsl::assignedAcross(*this, other))
        d = other.d;
    return *this;
}

// The same fields as Qt compares; isNull() below looks at a different set, as in Qt.
bool QSslConfiguration::operator==(const QSslConfiguration &other) const
{
    if (madeByQt(*this) && madeByQt(other))
        return call<&QSslConfiguration::operator==>(this, other);
    if (madeByQt(*this) || madeByQt(other))
        return QtOwnSsl::ours(*this) == QtOwnSsl::ours(other);
    if (d == other.d)
        return true;
    const QSslConfigurationPrivate &a = *d;
    const QSslConfigurationPrivate &b = *other.d;
    return a.peerCertificate == b.peerCertificate
        && a.peerCertificateChain == b.peerCertificateChain
        && a.localCertificateChain == b.localCertificateChain
        && a.privateKey == b.privateKey
        && a.sessionCipher == b.sessionCipher
        && a.sessionProtocol == b.sessionProtocol
        && a.preSharedKeyIdentityHint == b.preSharedKeyIdentityHint
        && a.ciphers == b.ciphers
        && a.ellipticCurves == b.ellipticCurves
        && a.ephemeralServerKey == b.ephemeralServerKey
        && a.dhParams == b.dhParams
        && a.caCertificates == b.caCertificates
        && a.protocol == b.protocol
        && a.peerVerifyMode == b.peerVerifyMode
        && a.peerVerifyDepth == b.peerVerifyDepth
        && a.allowRootCertOnDemandLoading == b.allowRootCertOnDemandLoading
        && a.backendConfig == b.backendConfig
        && a.sslOptions == b.sslOptions
        && a.sslSession == b.sslSession
        && a.sslSessionTicketLifeTimeHint == b.sslSessionTicketLifeTimeHint
        && a.nextAllowedProtocols == b.nextAllowedProtocols
        && a.nextNegotiatedProtocol == b.nextNegotiatedProtocol
        && a.nextProtocolNegotiationStatus == b.nextProtocolNegotiationStatus
        && a.dtlsCookieEnabled == b.dtlsCookieEnabled
        && a.ocspStaplingEnabled == b.ocspStaplingEnabled
        && a.reportFromCallback == b.reportFromCallback
        && a.missingCertIsFatal == b.missingCertIsFatal;
}

// Qt's definition: byte arrays count as set when non-null (so an empty hint makes the
// configuration non-null while it still compares equal to a null one), and the DTLS cookie
// flag is not looked at.
bool QSslConfiguration::isNull() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::isNull>(this);
    return d->protocol == QSsl::SecureProtocols
        && d->peerVerifyMode == QSslSocket::AutoVerifyPeer
        && d->peerVerifyDepth == 0
        && d->allowRootCertOnDemandLoading
        && d->caCertificates.isEmpty()
        && d->ciphers.isEmpty()
        && d->ellipticCurves.isEmpty()
        && d->ephemeralServerKey.isNull()
        && d->dhParams == QSslDiffieHellmanParameters::defaultParameters()
        && d->localCertificateChain.isEmpty()
        && d->privateKey.isNull()
        && d->peerCertificate.isNull()
        && d->peerCertificateChain.isEmpty()
        && d->backendConfig.isEmpty()
        && d->sslOptions == QSslConfigurationPrivate::defaultSslOptions
        && d->sslSession.isNull()
        && d->sslSessionTicketLifeTimeHint == -1
        && d->preSharedKeyIdentityHint.isNull()
        && d->nextAllowedProtocols.isEmpty()
        && d->nextNegotiatedProtocol.isNull()
        && d->nextProtocolNegotiationStatus == QSslConfiguration::NextProtocolNegotiationNone
        && !d->ocspStaplingEnabled
        && !d->reportFromCallback
        && !d->missingCertIsFatal;
}

QSsl::SslProtocol QSslConfiguration::protocol() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::protocol>(this);
    return d->protocol;
}

void QSslConfiguration::setProtocol(QSsl::SslProtocol protocol)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setProtocol>(this, protocol);
    d->protocol = protocol;
}

QSslSocket::PeerVerifyMode QSslConfiguration::peerVerifyMode() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::peerVerifyMode>(this);
    return d->peerVerifyMode;
}

void QSslConfiguration::setPeerVerifyMode(QSslSocket::PeerVerifyMode mode)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setPeerVerifyMode>(this, mode);
    d->peerVerifyMode = mode;
}

int QSslConfiguration::peerVerifyDepth() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::peerVerifyDepth>(this);
    return d->peerVerifyDepth;
}

void QSslConfiguration::setPeerVerifyDepth(int depth)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setPeerVerifyDepth>(this, depth);
    if (depth < 0) {
        qCWarning(lcQSslRsConfig,
                  "QSslConfiguration::setPeerVerifyDepth: cannot set negative depth of %d", depth);
        return;
    }
    d->peerVerifyDepth = depth;
}

QList<QSslCertificate> QSslConfiguration::localCertificateChain() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::localCertificateChain>(this);
    return d->localCertificateChain;
}

void QSslConfiguration::setLocalCertificateChain(const QList<QSslCertificate> &localChain)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setLocalCertificateChain>(this, QtOwnSsl::qts(localChain));
    d->localCertificateChain = QtOwnSsl::ours(localChain);
}

QSslCertificate QSslConfiguration::localCertificate() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::localCertificate>(this);
    if (d->localCertificateChain.isEmpty())
        return QSslCertificate();
    return d->localCertificateChain.first();
}

void QSslConfiguration::setLocalCertificate(const QSslCertificate &certificate)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setLocalCertificate>(this, QtOwnSsl::qts(certificate));
    d->localCertificateChain = QList<QSslCertificate>{QtOwnSsl::ours(certificate)};
}

QSslCertificate QSslConfiguration::peerCertificate() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::peerCertificate>(this);
    return d->peerCertificate;
}

QList<QSslCertificate> QSslConfiguration::peerCertificateChain() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::peerCertificateChain>(this);
    return d->peerCertificateChain;
}

QSslCipher QSslConfiguration::sessionCipher() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::sessionCipher>(this);
    return d->sessionCipher;
}

QSsl::SslProtocol QSslConfiguration::sessionProtocol() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::sessionProtocol>(this);
    return d->sessionProtocol;
}

QSslKey QSslConfiguration::privateKey() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::privateKey>(this);
    return d->privateKey;
}

void QSslConfiguration::setPrivateKey(const QSslKey &key)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setPrivateKey>(this, QtOwnSsl::qts(key));
    d->privateKey = QtOwnSsl::ours(key);
}

QList<QSslCipher> QSslConfiguration::ciphers() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::ciphers>(this);
    return d->ciphers;
}

void QSslConfiguration::setCiphers(const QList<QSslCipher> &ciphers)
{
    if (madeByQt(*this))
        return call<qOverload<const QList<QSslCipher> &>(&QSslConfiguration::setCiphers)>(this, QtOwnSsl::qts(ciphers));
    d->ciphers = QtOwnSsl::ours(ciphers);
}

// Qt splits on ':' only (no trimming) and silently drops names it does not know.
void QSslConfiguration::setCiphers(const QString &ciphers)
{
    if (madeByQt(*this))
        return call<qOverload<const QString &>(&QSslConfiguration::setCiphers)>(this, ciphers);
    QList<QSslCipher> cipherList;
    const QStringList names = ciphers.split(QLatin1Char(':'), Qt::SkipEmptyParts);
    for (const QString &name : names) {
        QSslCipher cipher(name);
        if (!cipher.isNull())
            cipherList.append(cipher);
    }
    d->ciphers = cipherList;
}

QList<QSslCipher> QSslConfiguration::supportedCiphers()
{
    return supportedCipherList();
}

QList<QSslCertificate> QSslConfiguration::caCertificates() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::caCertificates>(this);
    return d->caCertificates;
}

void QSslConfiguration::setCaCertificates(const QList<QSslCertificate> &certificates)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setCaCertificates>(this, QtOwnSsl::qts(certificates));
    d->caCertificates = QtOwnSsl::ours(certificates);
    d->allowRootCertOnDemandLoading = false;
}

// Unlike the other two adders, Qt leaves on-demand loading of system roots enabled here.
bool QSslConfiguration::addCaCertificates(const QString &path, QSsl::EncodingFormat format,
                                          QSslCertificate::PatternSyntax syntax)
{
    if (madeByQt(*this)) {
        constexpr auto qtAdd = qOverload<const QString &, QSsl::EncodingFormat,
                                         QSslCertificate::PatternSyntax>(
                &QSslConfiguration::addCaCertificates);
        return call<qtAdd>(this, path, format, syntax);
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path, format, syntax);
    if (certificates.isEmpty())
        return false;
    d->caCertificates += certificates;
    return true;
}

void QSslConfiguration::addCaCertificate(const QSslCertificate &certificate)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::addCaCertificate>(this, QtOwnSsl::qts(certificate));
    d->caCertificates += QtOwnSsl::ours(certificate);
    d->allowRootCertOnDemandLoading = false;
}

void QSslConfiguration::addCaCertificates(const QList<QSslCertificate> &certificates)
{
    if (madeByQt(*this))
        return call<qOverload<const QList<QSslCertificate> &>(&QSslConfiguration::addCaCertificates)>(this, QtOwnSsl::qts(certificates));
    d->caCertificates += QtOwnSsl::ours(certificates);
    d->allowRootCertOnDemandLoading = false;
}

// Every *.pem and *.crt in the usual directories, each file once (symlinks resolved), as Qt's
// OpenSSL backend reads them on Unix.
QList<QSslCertificate> QSslConfiguration::systemCaCertificates()
{
    std::set<QString> files = {
        QStringLiteral("/etc/pki/tls/certs/ca-bundle.crt"),       // Fedora, Mandriva
        QStringLiteral("/usr/local/share/certs/ca-root-nss.crt"), // FreeBSD
    };
    const QStringList filters = {QStringLiteral("*.pem"), QStringLiteral("*.crt")};
    for (const rust::String &directory : qsslrs::engine_system_ca_dirs()) {
        QDirIterator it(qsslrs::toQString(directory), filters, QDir::Files);
        while (it.hasNext()) {
            const QString canonical = it.nextFileInfo().canonicalFilePath();
            if (!canonical.isEmpty())
                files.insert(canonical);
        }
    }
    QList<QSslCertificate> certificates;
    for (const QString &file : files)
        certificates += QSslCertificate::fromPath(file, QSsl::Pem);
    return certificates;
}

void QSslConfiguration::setSslOption(QSsl::SslOption option, bool on)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setSslOption>(this, option, on);
    d->sslOptions.setFlag(option, on);
}

bool QSslConfiguration::testSslOption(QSsl::SslOption option) const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::testSslOption>(this, option);
    return d->sslOptions.testFlag(option);
}

QByteArray QSslConfiguration::sessionTicket() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::sessionTicket>(this);
    return d->sslSession;
}

void QSslConfiguration::setSessionTicket(const QByteArray &sessionTicket)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setSessionTicket>(this, sessionTicket);
    d->sslSession = sessionTicket;
}

int QSslConfiguration::sessionTicketLifeTimeHint() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::sessionTicketLifeTimeHint>(this);
    return d->sslSessionTicketLifeTimeHint;
}

QSslKey QSslConfiguration::ephemeralServerKey() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::ephemeralServerKey>(this);
    return d->ephemeralServerKey;
}

QList<QSslEllipticCurve> QSslConfiguration::ellipticCurves() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::ellipticCurves>(this);
    return d->ellipticCurves;
}

void QSslConfiguration::setEllipticCurves(const QList<QSslEllipticCurve> &curves)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setEllipticCurves>(this, curves);
    d->ellipticCurves = curves;
}

// Every built-in curve of the TLS library, in its order (Qt's OpenSSL backend lists them all).
QList<QSslEllipticCurve> QSslConfiguration::supportedEllipticCurves()
{
    static const QList<QSslEllipticCurve> curves = [] {
        QList<QSslEllipticCurve> list;
#ifdef QSSLRS_HAVE_EC_HEADERS
        const size_t count = EC_get_builtin_curves(nullptr, 0);
        std::vector<EC_builtin_curve> builtin(count);
        if (EC_get_builtin_curves(builtin.data(), count) == count) {
            for (const EC_builtin_curve &c : builtin) {
                const QSslEllipticCurve curve =
                    QSslEllipticCurve::fromShortName(QString::fromLatin1(OBJ_nid2sn(c.nid)));
                if (curve.isValid())
                    list.append(curve);
            }
        }
#endif
        return list;
    }();
    return curves;
}

QByteArray QSslConfiguration::preSharedKeyIdentityHint() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::preSharedKeyIdentityHint>(this);
    return d->preSharedKeyIdentityHint;
}

void QSslConfiguration::setPreSharedKeyIdentityHint(const QByteArray &hint)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setPreSharedKeyIdentityHint>(this, hint);
    d->preSharedKeyIdentityHint = hint;
}

QSslDiffieHellmanParameters QSslConfiguration::diffieHellmanParameters() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::diffieHellmanParameters>(this);
    return d->dhParams;
}

void QSslConfiguration::setDiffieHellmanParameters(const QSslDiffieHellmanParameters &dhparams)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setDiffieHellmanParameters>(this, QtOwnSsl::qts(dhparams));
    d->dhParams = QtOwnSsl::ours(dhparams);
}

QMap<QByteArray, QVariant> QSslConfiguration::backendConfiguration() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::backendConfiguration>(this);
    return d->backendConfig;
}

void QSslConfiguration::setBackendConfigurationOption(const QByteArray &name,
                                                      const QVariant &value)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setBackendConfigurationOption>(this, name, value);
    d->backendConfig[name] = value;
}

void QSslConfiguration::setBackendConfiguration(const QMap<QByteArray, QVariant> &backendConfiguration)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setBackendConfiguration>(this, backendConfiguration);
    d->backendConfig = backendConfiguration;
}

// The process-wide defaults are shared, not copied: what was set is returned as it was.
QSslConfiguration QSslConfiguration::defaultConfiguration()
{
    GlobalConfigurations *g = globalConfigurations();
    QMutexLocker locker(&g->mutex);
    g->ensureInitialized();
    QSslConfiguration result;
    QTlsBackend::d(result) = g->tls;
    return result;
}

// Qt's own default is set too: QNetworkAccessManager, QWebSocket and every other Qt library
// that keeps Qt's SSL code start from it.
void QSslConfiguration::setDefaultConfiguration(const QSslConfiguration &configuration)
{
    const QSslConfiguration ours = QtOwnSsl::ours(configuration);
    {
        GlobalConfigurations *g = globalConfigurations();
        QMutexLocker locker(&g->mutex);
        g->ensureInitialized();
        g->tls = ours.d;
    }
    QtOwnSsl::callRequired<&QSslConfiguration::setDefaultConfiguration>(QtOwnSsl::qts(ours));
}

bool QSslConfiguration::dtlsCookieVerificationEnabled() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::dtlsCookieVerificationEnabled>(this);
    return d->dtlsCookieEnabled;
}

void QSslConfiguration::setDtlsCookieVerificationEnabled(bool enable)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setDtlsCookieVerificationEnabled>(this, enable);
    d->dtlsCookieEnabled = enable;
}

QSslConfiguration QSslConfiguration::defaultDtlsConfiguration()
{
    GlobalConfigurations *g = globalConfigurations();
    QMutexLocker locker(&g->mutex);
    g->ensureInitialized();
    QSslConfiguration result;
    QTlsBackend::d(result) = g->dtls;
    return result;
}

void QSslConfiguration::setDefaultDtlsConfiguration(const QSslConfiguration &configuration)
{
    const QSslConfiguration ours = QtOwnSsl::ours(configuration);
    {
        GlobalConfigurations *g = globalConfigurations();
        QMutexLocker locker(&g->mutex);
        g->ensureInitialized();
        g->dtls = ours.d;
    }
    QtOwnSsl::callRequired<&QSslConfiguration::setDefaultDtlsConfiguration>(QtOwnSsl::qts(ours));
}

bool QSslConfiguration::handshakeMustInterruptOnError() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::handshakeMustInterruptOnError>(this);
    return d->reportFromCallback;
}

void QSslConfiguration::setHandshakeMustInterruptOnError(bool interrupt)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setHandshakeMustInterruptOnError>(this, interrupt);
    d->reportFromCallback = interrupt;
}

bool QSslConfiguration::missingCertificateIsFatal() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::missingCertificateIsFatal>(this);
    return d->missingCertIsFatal;
}

void QSslConfiguration::setMissingCertificateIsFatal(bool cannotRecover)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setMissingCertificateIsFatal>(this, cannotRecover);
    d->missingCertIsFatal = cannotRecover;
}

void QSslConfiguration::setOcspStaplingEnabled(bool enable)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setOcspStaplingEnabled>(this, enable);
    d->ocspStaplingEnabled = enable;
}

bool QSslConfiguration::ocspStaplingEnabled() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::ocspStaplingEnabled>(this);
    return d->ocspStaplingEnabled;
}

void QSslConfiguration::setAllowedNextProtocols(const QList<QByteArray> &protocols)
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::setAllowedNextProtocols>(this, protocols);
    d->nextAllowedProtocols = protocols;
}

QList<QByteArray> QSslConfiguration::allowedNextProtocols() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::allowedNextProtocols>(this);
    return d->nextAllowedProtocols;
}

QByteArray QSslConfiguration::nextNegotiatedProtocol() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::nextNegotiatedProtocol>(this);
    return d->nextNegotiatedProtocol;
}

QSslConfiguration::NextProtocolNegotiationStatus QSslConfiguration::nextProtocolNegotiationStatus() const
{
    if (madeByQt(*this))
        return call<&QSslConfiguration::nextProtocolNegotiationStatus>(this);
    return d->nextProtocolNegotiationStatus;
}

QT_END_NAMESPACE
