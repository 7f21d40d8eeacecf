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

QSslConfiguration::QSslConfiguration(const QSslConfiguration &other) = default;

QSslConfiguration::~QSslConfiguration() = default;

QSslConfiguration &QSslConfiguration::operator=(const QSslConfiguration &other) = default;

// The same fields as Qt compares; isNull() below looks at a different set, as in Qt.
bool QSslConfiguration::operator==(const QSslConfiguration &other) const
{
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
    return d->protocol;
}

void QSslConfiguration::setProtocol(QSsl::SslProtocol protocol)
{
    d->protocol = protocol;
}

QSslSocket::PeerVerifyMode QSslConfiguration::peerVerifyMode() const
{
    return d->peerVerifyMode;
}

void QSslConfiguration::setPeerVerifyMode(QSslSocket::PeerVerifyMode mode)
{
    d->peerVerifyMode = mode;
}

int QSslConfiguration::peerVerifyDepth() const
{
    return d->peerVerifyDepth;
}

void QSslConfiguration::setPeerVerifyDepth(int depth)
{
    if (depth < 0) {
        qCWarning(lcQSslRsConfig,
                  "QSslConfiguration::setPeerVerifyDepth: cannot set negative depth of %d", depth);
        return;
    }
    d->peerVerifyDepth = depth;
}

QList<QSslCertificate> QSslConfiguration::localCertificateChain() const
{
    return d->localCertificateChain;
}

void QSslConfiguration::setLocalCertificateChain(const QList<QSslCertificate> &localChain)
{
    d->localCertificateChain = localChain;
}

QSslCertificate QSslConfiguration::localCertificate() const
{
    if (d->localCertificateChain.isEmpty())
        return QSslCertificate();
    return d->localCertificateChain.first();
}

void QSslConfiguration::setLocalCertificate(const QSslCertificate &certificate)
{
    d->localCertificateChain = QList<QSslCertificate>{certificate};
}

QSslCertificate QSslConfiguration::peerCertificate() const
{
    return d->peerCertificate;
}

QList<QSslCertificate> QSslConfiguration::peerCertificateChain() const
{
    return d->peerCertificateChain;
}

QSslCipher QSslConfiguration::sessionCipher() const
{
    return d->sessionCipher;
}

QSsl::SslProtocol QSslConfiguration::sessionProtocol() const
{
    return d->sessionProtocol;
}

QSslKey QSslConfiguration::privateKey() const
{
    return d->privateKey;
}

void QSslConfiguration::setPrivateKey(const QSslKey &key)
{
    d->privateKey = key;
}

QList<QSslCipher> QSslConfiguration::ciphers() const
{
    return d->ciphers;
}

void QSslConfiguration::setCiphers(const QList<QSslCipher> &ciphers)
{
    d->ciphers = ciphers;
}

// Qt splits on ':' only (no trimming) and silently drops names it does not know.
void QSslConfiguration::setCiphers(const QString &ciphers)
{
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
    return d->caCertificates;
}

void QSslConfiguration::setCaCertificates(const QList<QSslCertificate> &certificates)
{
    d->caCertificates = certificates;
    d->allowRootCertOnDemandLoading = false;
}

// Unlike the other two adders, Qt leaves on-demand loading of system roots enabled here.
bool QSslConfiguration::addCaCertificates(const QString &path, QSsl::EncodingFormat format,
                                          QSslCertificate::PatternSyntax syntax)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path, format, syntax);
    if (certificates.isEmpty())
        return false;
    d->caCertificates += certificates;
    return true;
}

void QSslConfiguration::addCaCertificate(const QSslCertificate &certificate)
{
    d->caCertificates += certificate;
    d->allowRootCertOnDemandLoading = false;
}

void QSslConfiguration::addCaCertificates(const QList<QSslCertificate> &certificates)
{
    d->caCertificates += certificates;
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
    d->sslOptions.setFlag(option, on);
}

bool QSslConfiguration::testSslOption(QSsl::SslOption option) const
{
    return d->sslOptions.testFlag(option);
}

QByteArray QSslConfiguration::sessionTicket() const
{
    return d->sslSession;
}

void QSslConfiguration::setSessionTicket(const QByteArray &sessionTicket)
{
    d->sslSession = sessionTicket;
}

int QSslConfiguration::sessionTicketLifeTimeHint() const
{
    return d->sslSessionTicketLifeTimeHint;
}

QSslKey QSslConfiguration::ephemeralServerKey() const
{
    return d->ephemeralServerKey;
}

QList<QSslEllipticCurve> QSslConfiguration::ellipticCurves() const
{
    return d->ellipticCurves;
}

void QSslConfiguration::setEllipticCurves(const QList<QSslEllipticCurve> &curves)
{
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
    return d->preSharedKeyIdentityHint;
}

void QSslConfiguration::setPreSharedKeyIdentityHint(const QByteArray &hint)
{
    d->preSharedKeyIdentityHint = hint;
}

QSslDiffieHellmanParameters QSslConfiguration::diffieHellmanParameters() const
{
    return d->dhParams;
}

void QSslConfiguration::setDiffieHellmanParameters(const QSslDiffieHellmanParameters &dhparams)
{
    d->dhParams = dhparams;
}

QMap<QByteArray, QVariant> QSslConfiguration::backendConfiguration() const
{
    return d->backendConfig;
}

void QSslConfiguration::setBackendConfigurationOption(const QByteArray &name,
                                                      const QVariant &value)
{
    d->backendConfig[name] = value;
}

void QSslConfiguration::setBackendConfiguration(const QMap<QByteArray, QVariant> &backendConfiguration)
{
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

void QSslConfiguration::setDefaultConfiguration(const QSslConfiguration &configuration)
{
    GlobalConfigurations *g = globalConfigurations();
    QMutexLocker locker(&g->mutex);
    g->ensureInitialized();
    g->tls = configuration.d;
}

bool QSslConfiguration::dtlsCookieVerificationEnabled() const
{
    return d->dtlsCookieEnabled;
}

void QSslConfiguration::setDtlsCookieVerificationEnabled(bool enable)
{
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
    GlobalConfigurations *g = globalConfigurations();
    QMutexLocker locker(&g->mutex);
    g->ensureInitialized();
    g->dtls = configuration.d;
}

bool QSslConfiguration::handshakeMustInterruptOnError() const
{
    return d->reportFromCallback;
}

void QSslConfiguration::setHandshakeMustInterruptOnError(bool interrupt)
{
    d->reportFromCallback = interrupt;
}

bool QSslConfiguration::missingCertificateIsFatal() const
{
    return d->missingCertIsFatal;
}

void QSslConfiguration::setMissingCertificateIsFatal(bool cannotRecover)
{
    d->missingCertIsFatal = cannotRecover;
}

void QSslConfiguration::setOcspStaplingEnabled(bool enable)
{
    d->ocspStaplingEnabled = enable;
}

bool QSslConfiguration::ocspStaplingEnabled() const
{
    return d->ocspStaplingEnabled;
}

void QSslConfiguration::setAllowedNextProtocols(const QList<QByteArray> &protocols)
{
    d->nextAllowedProtocols = protocols;
}

QList<QByteArray> QSslConfiguration::allowedNextProtocols() const
{
    return d->nextAllowedProtocols;
}

QByteArray QSslConfiguration::nextNegotiatedProtocol() const
{
    return d->nextNegotiatedProtocol;
}

QSslConfiguration::NextProtocolNegotiationStatus QSslConfiguration::nextProtocolNegotiationStatus() const
{
    return d->nextProtocolNegotiationStatus;
}

QT_END_NAMESPACE
