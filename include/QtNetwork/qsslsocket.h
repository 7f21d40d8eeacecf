// qssl-rs: QSslSocket, API-identical to Qt 6.4's.
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef QSSLSOCKET_H
#define QSSLSOCKET_H

#include <QtNetwork/qtnetworkglobal.h>
#include <QtCore/qlist.h>
#ifndef QT_NO_SSL
#  include <QtNetwork/qtcpsocket.h>
#  include <QtNetwork/qsslerror.h>
#endif

QT_BEGIN_NAMESPACE

#ifndef QT_NO_SSL

class QDir;
class QSslCipher;
class QSslCertificate;
class QSslConfiguration;
class QSslPreSharedKeyAuthenticator;
class QOcspResponse;

class QSslSocketPrivate;
class Q_NETWORK_EXPORT QSslSocket : public QTcpSocket
{
    Q_OBJECT
    Q_MOC_INCLUDE(<QtNetwork/qsslpresharedkeyauthenticator.h>)
public:
    enum SslMode {
        UnencryptedMode,
        SslClientMode,
        SslServerMode
    };
    Q_ENUM(SslMode) // Qt 6.7 (metadata only): apps built on newer headers look these up

    enum PeerVerifyMode {
        VerifyNone,
        QueryPeer,
        VerifyPeer,
        AutoVerifyPeer
    };
    Q_ENUM(PeerVerifyMode)

    explicit QSslSocket(QObject *parent = nullptr);
    ~QSslSocket();
    void resume() override;

    void connectToHostEncrypted(const QString &hostName, quint16 port,
                                OpenMode mode = ReadWrite,
                                NetworkLayerProtocol protocol = AnyIPProtocol);
    void connectToHostEncrypted(const QString &hostName, quint16 port,
                                const QString &sslPeerName,
                                OpenMode mode = ReadWrite,
                                NetworkLayerProtocol protocol = AnyIPProtocol);
    bool setSocketDescriptor(qintptr socketDescriptor,
                             SocketState state = ConnectedState,
                             OpenMode openMode = ReadWrite) override;

    // Not in Qt's header: Qt's socket keeps its descriptor in private state we cannot reach, so
    // ours overrides these base virtuals. They take the base's vtable slots, so code compiled
    // against Qt's headers reaches them through the vtable (see tests/abi/check_abi.py).
    using QAbstractSocket::bind;
    bool bind(const QHostAddress &address, quint16 port = 0, BindMode mode = DefaultForPlatform) override;
    qintptr socketDescriptor() const override;

    using QAbstractSocket::connectToHost;
    void connectToHost(const QString &hostName, quint16 port,
                       OpenMode openMode = ReadWrite,
                       NetworkLayerProtocol protocol = AnyIPProtocol) override;
    void disconnectFromHost() override;

    virtual void setSocketOption(QAbstractSocket::SocketOption option, const QVariant &value) override;
    virtual QVariant socketOption(QAbstractSocket::SocketOption option) override;

    SslMode mode() const;
    bool isEncrypted() const;

    QSsl::SslProtocol protocol() const;
    void setProtocol(QSsl::SslProtocol protocol);

    QSslSocket::PeerVerifyMode peerVerifyMode() const;
    void setPeerVerifyMode(QSslSocket::PeerVerifyMode mode);

    int peerVerifyDepth() const;
    void setPeerVerifyDepth(int depth);

    QString peerVerifyName() const;
    void setPeerVerifyName(const QString &hostName);

    qint64 bytesAvailable() const override;
    qint64 bytesToWrite() const override;
    bool canReadLine() const override;
    void close() override;
    bool atEnd() const override;

    void setReadBufferSize(qint64 size) override;

    qint64 encryptedBytesAvailable() const;
    qint64 encryptedBytesToWrite() const;

    QSslConfiguration sslConfiguration() const;
    void setSslConfiguration(const QSslConfiguration &config);

    void setLocalCertificateChain(const QList<QSslCertificate> &localChain);
    QList<QSslCertificate> localCertificateChain() const;

    void setLocalCertificate(const QSslCertificate &certificate);
    void setLocalCertificate(const QString &fileName, QSsl::EncodingFormat format = QSsl::Pem);
    QSslCertificate localCertificate() const;
    QSslCertificate peerCertificate() const;
    QList<QSslCertificate> peerCertificateChain() const;
    QSslCipher sessionCipher() const;
    QSsl::SslProtocol sessionProtocol() const;
    QList<QOcspResponse> ocspResponses() const;

    void setPrivateKey(const QSslKey &key);
    void setPrivateKey(const QString &fileName, QSsl::KeyAlgorithm algorithm = QSsl::Rsa,
                       QSsl::EncodingFormat format = QSsl::Pem,
                       const QByteArray &passPhrase = QByteArray());
    QSslKey privateKey() const;

    bool waitForConnected(int msecs = 30000) override;
    bool waitForEncrypted(int msecs = 30000);
    bool waitForReadyRead(int msecs = 30000) override;
    bool waitForBytesWritten(int msecs = 30000) override;
    bool waitForDisconnected(int msecs = 30000) override;

    QList<QSslError> sslHandshakeErrors() const;

    static bool supportsSsl();
    static long sslLibraryVersionNumber();
    static QString sslLibraryVersionString();
    static long sslLibraryBuildVersionNumber();
    static QString sslLibraryBuildVersionString();

    static QList<QString> availableBackends();
    static QString activeBackend();
    static bool setActiveBackend(const QString &backendName);
    static QList<QSsl::SslProtocol> supportedProtocols(const QString &backendName = {});
    static bool isProtocolSupported(QSsl::SslProtocol protocol, const QString &backendName = {});
    static QList<QSsl::ImplementedClass> implementedClasses(const QString &backendName = {});
    static bool isClassImplemented(QSsl::ImplementedClass cl, const QString &backendName = {});
    static QList<QSsl::SupportedFeature> supportedFeatures(const QString &backendName = {});
    static bool isFeatureSupported(QSsl::SupportedFeature feat, const QString &backendName = {});

    void ignoreSslErrors(const QList<QSslError> &errors);
    void continueInterruptedHandshake();

public Q_SLOTS:
    void startClientEncryption();
    void startServerEncryption();
    void ignoreSslErrors();

Q_SIGNALS:
    void encrypted();
    void peerVerifyError(const QSslError &error);
    void sslErrors(const QList<QSslError> &errors);
    void modeChanged(QSslSocket::SslMode newMode);
    void encryptedBytesWritten(qint64 totalBytes);
    void preSharedKeyAuthenticationRequired(QSslPreSharedKeyAuthenticator *authenticator);
    void newSessionTicketReceived();
    void alertSent(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description);
    void alertReceived(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description);
    void handshakeInterruptedOnError(const QSslError &error);

protected:
    qint64 readData(char *data, qint64 maxlen) override;
    qint64 skipData(qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 len) override;

private:
    Q_DECLARE_PRIVATE(QSslSocket)
    Q_DISABLE_COPY_MOVE(QSslSocket)
    // Qt's private _q_* slots are intentionally not declared here.
};

#endif // QT_NO_SSL

QT_END_NAMESPACE

#endif // QSSLSOCKET_H
